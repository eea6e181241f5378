import {describe, expect, it} from 'vitest';
import {specFromBlocks, type CodeBlock} from './spec';

const hash = (text: string) => `h${text.length}`;
const starter: CodeBlock = {lang: 'ts', meta: 'file=/index.ts', value: 'export const x = 1;', line: 3};
const tests: CodeBlock = {lang: 'ts', meta: 'file=/index.test.ts hidden', value: 'it("x", () => {});', line: 7};
const solution: CodeBlock = {lang: 'ts', meta: 'file=/index.ts solution', value: 'export const x = 2;', line: 11};

describe('specFromBlocks', () => {
  it('sorts blocks into starter files, hidden tests and solutions', () => {
    const helper: CodeBlock = {lang: 'ts', meta: 'file="/api.ts" readonly active', value: 'export {}', line: 5};
    const spec = specFromBlocks('foundations/x', [starter, helper, tests, solution], hash);
    expect(spec.files).toEqual({
      '/index.ts': {code: 'export const x = 1;', hidden: false, readOnly: false},
      '/api.ts': {code: 'export {}', hidden: false, readOnly: true},
      '/index.test.ts': {code: 'it("x", () => {});', hidden: true, readOnly: false},
    });
    expect(spec.solution).toEqual({'/index.ts': 'export const x = 2;'});
    expect(spec.active).toBe('/api.ts');
  });

  it('opens the first starter file when none is marked active', () => {
    expect(specFromBlocks('foundations/x', [tests, starter, solution], hash).active).toBe('/index.ts');
  });

  it('changes version when the starter or the tests change, not when the solution does', () => {
    const base = specFromBlocks('a/b', [starter, tests, solution], hash).version;
    const otherSolution = specFromBlocks('a/b', [starter, tests, {...solution, value: 'changed, longer'}], hash).version;
    const otherTests = specFromBlocks('a/b', [starter, {...tests, value: 'it("y", () => {}); // more'}, solution], hash).version;
    expect(otherSolution).toBe(base);
    expect(otherTests).not.toBe(base);
  });

  it.each([
    ['Foundations/X', [starter, tests, solution], 'the id must look like "<chapter>/<slug>"'],
    ['a/b', [{...starter, meta: 'title="x"'}, tests, solution], '(code block at line 3): every code block needs file=/path'],
    ['a/b', [{...starter, meta: 'file=/index.ts hiden'}, tests, solution], 'unknown flag "hiden"'],
    ['a/b', [starter, starter, tests, solution], 'two blocks for /index.ts'],
    ['a/b', [tests, solution], 'there is no starter file'],
    ['a/b', [starter, solution], 'there is no hidden test file'],
    ['a/b', [starter, tests], 'there is no solution'],
    ['a/b', [starter, tests, {...solution, meta: 'file=/main.ts solution'}], 'the solution /main.ts is not one of the starter files (/index.ts)'],
  ] as const)('refuses %s with a message naming the problem (%#)', (id, blocks, message) => {
    expect(() => specFromBlocks(id, blocks, hash)).toThrow(message);
  });
});
