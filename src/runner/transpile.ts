import {transform} from 'sucrase';
import type {RunProblem} from './protocol';

export type Transpiled = {ok: true; code: string} | {ok: false; problem: RunProblem};

/**
 * TypeScript → CommonJS JavaScript, keeping every line where it was, so that a stack trace's
 * line numbers are the learner's own. Types are stripped, not checked.
 */
export function transpile(path: string, source: string): Transpiled {
  if (!/\.[cm]?[jt]sx?$/.test(path)) return {ok: true, code: `module.exports = ${JSON.stringify(source)};`};
  try {
    const transforms: Array<'typescript' | 'imports' | 'jsx'> = ['imports'];
    if (/\.tsx?$/.test(path)) transforms.unshift('typescript');
    if (/x$/.test(path)) transforms.push('jsx');
    return {ok: true, code: transform(source, {transforms, filePath: path, production: true}).code};
  } catch (error) {
    const loc = (error as {loc?: {line: number; column: number}}).loc;
    const message = (error as Error).message.replace(/^Error transforming [^:]+: /, '').replace(/ \(\d+:\d+\)$/, '');
    return {
      ok: false,
      problem: {
        title: 'SyntaxError',
        message: loc ? `${message} (${path}:${loc.line}:${loc.column})` : `${message} (${path})`,
        location: loc ? {path, line: loc.line, column: loc.column} : undefined,
      },
    };
  }
}
