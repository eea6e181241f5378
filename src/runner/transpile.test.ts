import {describe, expect, it} from 'vitest';
import {transpile} from './transpile';

describe('transpile', () => {
  it('strips types and turns imports into require, keeping every line in place', () => {
    const source = "import {b} from './b';\n\nexport function f(x: number): number {\n  return b(x) as number;\n}\n";
    const result = transpile('/index.ts', source);
    if (!result.ok) throw new Error(result.problem.message);
    const lines = result.code.split('\n');
    expect(lines).toHaveLength(source.split('\n').length);
    expect(lines[0]).toContain("require('./b')");
    expect(lines[3]).toContain('return _b.b.call(void 0, x)');
    expect(result.code).not.toContain(': number');
  });

  it('names the file, line and column of a syntax error', () => {
    const result = transpile('/index.ts', 'const a = 1;\nlet b = (;\n');
    expect(result).toEqual({
      ok: false,
      problem: {title: 'SyntaxError', message: 'Unexpected token (/index.ts:2:10)', location: {path: '/index.ts', line: 2, column: 10}},
    });
  });

  it('turns a non-code file into a module exporting its text', () => {
    const result = transpile('/data.txt', 'hello');
    expect(result).toEqual({ok: true, code: 'module.exports = "hello";'});
  });
});
