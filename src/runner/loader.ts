/**
 * A CommonJS loader for an exercise's files, already transpiled to JavaScript: relative imports
 * between the files, and course modules (`@course/sim`) by name. The runner's Worker uses it, and
 * so does the exercise check in Node (`docs/exercises.test.ts`), so both resolve imports alike.
 */
export type Exports = Record<string, unknown>;

export interface LoaderOptions {
  /** Transpiled code, by path (`/index.ts`). */
  readonly files: Record<string, string>;
  /** The course modules the code may import, by name. */
  readonly courseModuleNames: readonly string[];
  /** Loads a course module by name; called once per run and module. */
  readonly courseModule: (name: string) => Exports;
}

export function createLoader({files, courseModuleNames, courseModule}: LoaderOptions) {
  const cache = new Map<string, {exports: Exports}>();
  const candidates = (path: string) => [path, `${path}.ts`, `${path}.tsx`, `${path}.js`, `${path}/index.ts`, `${path}/index.js`];

  function resolve(specifier: string, from: string): string | null {
    if (!specifier.startsWith('.') && !specifier.startsWith('/')) return null;
    const base = specifier.startsWith('/') ? [] : from.split('/').slice(0, -1);
    for (const part of specifier.split('/')) {
      if (part === '..') base.pop();
      else if (part !== '.' && part !== '') base.push(part);
    }
    const path = `/${base.filter(Boolean).join('/')}`;
    return candidates(path).find((candidate) => candidate in files) ?? null;
  }

  function load(path: string): Exports {
    const cached = cache.get(path);
    if (cached) return cached.exports;
    const module = {exports: {} as Exports};
    cache.set(path, module);
    evaluate(path, files[path], module, (specifier: string) => requireFrom(specifier, path));
    return module.exports;
  }

  function requireFrom(specifier: string, from: string): Exports {
    if (courseModuleNames.includes(specifier)) return courseModule(specifier);
    const path = resolve(specifier, from);
    if (path) return load(path);
    const available = [...courseModuleNames, ...Object.keys(files).map((file) => `.${file}`)].join(', ');
    throw new Error(`Cannot find module '${specifier}' from ${from}. Exercises can import: ${available}`);
  }

  return {load};
}

/**
 * Runs one CommonJS file. The wrapper sits on the file's first line, and the code is named after
 * the file (sourceURL), so every line number in a stack trace is the learner's own.
 */
function evaluate(path: string, code: string, module: {exports: Exports}, require: (specifier: string) => Exports): void {
  const factory = (0, eval)(`(function (exports, require, module) {${code}\n})\n//# sourceURL=${path}`);
  factory.call(module.exports, module.exports, require, module);
}
