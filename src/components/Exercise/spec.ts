/**
 * What an exercise is, as data: the `<Exercise>` MDX element's fenced code blocks, gathered at
 * build time by remark-exercise.ts into one `spec` prop. Authors write:
 *
 *   <Exercise id="foundations/all-at-once" title="…" timeLimit={5000}>
 *   Instructions in Markdown.
 *   ```ts file=/index.ts            ← a starter file the learner edits (`active` opens it first)
 *   ```ts file=/index.test.ts hidden  ← a hidden test file
 *   ```ts file=/index.ts solution   ← the solution of a starter file
 *   <Hint>…</Hint>
 *   </Exercise>
 */
export interface ExerciseFile {
  readonly code: string;
  readonly hidden: boolean;
  readonly readOnly: boolean;
}

export interface ExerciseSpec {
  /** Starter files and hidden test files, by path. */
  readonly files: Record<string, ExerciseFile>;
  /** The solution of each starter file that has one. */
  readonly solution: Record<string, string>;
  /** The file the editor opens first. */
  readonly active: string;
  /** Changes whenever the starter or the tests change: saved work is keyed on it. */
  readonly version: string;
}

export const EXERCISE_ID = /^[a-z0-9]+(?:-[a-z0-9]+)*\/[a-z0-9]+(?:-[a-z0-9]+)*$/;
export const TEST_FILE = /\.(test|spec)\.[jt]sx?$/;

export interface CodeBlock {
  readonly lang: string | null;
  readonly meta: string | null;
  readonly value: string;
  readonly line?: number;
}

/** Builds and checks an exercise's spec from its code blocks; throws naming what is wrong. */
export function specFromBlocks(id: string, blocks: readonly CodeBlock[], hash: (text: string) => string): ExerciseSpec {
  const problem = (message: string, block?: CodeBlock) =>
    new Error(`<Exercise id="${id}">${block?.line ? ` (code block at line ${block.line})` : ''}: ${message}`);
  if (!EXERCISE_ID.test(id)) throw problem('the id must look like "<chapter>/<slug>", in lower case with dashes');

  const files: Record<string, ExerciseFile> = {};
  const solution: Record<string, string> = {};
  let active: string | null = null;
  for (const block of blocks) {
    const meta = block.meta ?? '';
    const path = /(?:^|\s)file=("?)(\/[^\s"]+)\1/.exec(meta)?.[2];
    if (!path) throw problem('every code block needs file=/path (for example file=/index.ts)', block);
    const flags = new Set(meta.split(/\s+/).filter((word) => !word.startsWith('file=')));
    for (const flag of flags) {
      if (!['hidden', 'solution', 'active', 'readonly'].includes(flag)) throw problem(`unknown flag "${flag}"`, block);
    }
    if (flags.has('solution')) {
      if (path in solution) throw problem(`two solutions for ${path}`, block);
      solution[path] = block.value;
      continue;
    }
    if (path in files) throw problem(`two blocks for ${path}`, block);
    files[path] = {code: block.value, hidden: flags.has('hidden'), readOnly: flags.has('readonly')};
    if (flags.has('active')) active = path;
  }

  const visible = Object.keys(files).filter((path) => !files[path].hidden);
  if (!visible.length) throw problem('there is no starter file (a code block with file= and without hidden)');
  if (!Object.keys(files).some((path) => files[path].hidden && TEST_FILE.test(path))) {
    throw problem('there is no hidden test file (file=/something.test.ts hidden)');
  }
  if (!Object.keys(solution).length) throw problem('there is no solution (a code block with the flag solution)');
  for (const path of Object.keys(solution)) {
    if (!visible.includes(path)) throw problem(`the solution ${path} is not one of the starter files (${visible.join(', ')})`);
  }
  const content = Object.entries(files).map(([path, file]) => `${path}\n${file.code}`).join('\n');
  return {files, solution, active: active ?? visible[0], version: hash(content)};
}
