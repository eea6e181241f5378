import {describe, expect, it} from 'vitest';
import {compareOutput, fencedBlocks, pythonExamples} from './code-blocks';

const chapter = [
  'Some prose.',
  '',
  '```python run title="hello.py"',
  'print("took 1.00 s")',
  '```',
  '',
  '```text output',
  'took 1.00 s',
  '```',
  '',
  '```python',
  'fragment = "not run"',
  '```',
  '',
  '````python run',
  'print("```")',
  '````',
  'Prose between the block and the output, so no output is paired.',
  '```text output',
  'ignored',
  '```',
].join('\n');

describe('fencedBlocks', () => {
  it('finds every block with its language, meta and opening line', () => {
    const blocks = fencedBlocks(chapter);
    expect(blocks.map((b) => [b.lang, b.meta, b.line])).toEqual([
      ['python', 'run title="hello.py"', 3],
      ['text', 'output', 7],
      ['python', '', 11],
      ['python', 'run', 15],
      ['text', 'output', 19],
    ]);
    expect(blocks[3].code).toBe('print("```")');
  });

  it('names the line of a fence that is never closed', () => {
    expect(() => fencedBlocks('a\n```python\nprint(1)\n')).toThrow('line 2: code fence ``` is never closed');
  });
});

describe('pythonExamples', () => {
  it('pairs a run block with the output block right after it, and only then', () => {
    const examples = pythonExamples(chapter, 'chapter.mdx');
    expect(examples).toHaveLength(2);
    expect(examples[0]).toMatchObject({title: 'hello.py', line: 3, expectedOutput: 'took 1.00 s'});
    expect(examples[1]).toMatchObject({title: 'block at line 15', expectedOutput: null});
  });
});

describe('compareOutput', () => {
  it('accepts timings that differ a little', () => {
    expect(compareOutput('serial: 4.00 s\nthreads: 1.00 s', 'serial: 4.01 s\nthreads: 1.03 s\n')).toEqual([]);
  });

  it('rejects a timing that is far off', () => {
    const [difference] = compareOutput('threads: 1.00 s', 'threads: 4.00 s');
    expect(difference).toContain('4.00 is not within 0.20 of 1.00');
  });

  it('treats integers as exact', () => {
    expect(compareOutput('counter = 400000', 'counter = 399871')[0]).toContain('399871 is not 400000');
  });

  it('rejects changed words and missing lines', () => {
    expect(compareOutput('CPU-bound', 'I/O-bound')[0]).toContain('text differs');
    expect(compareOutput('a\nb', 'a')).toEqual(['expected 2 lines of output, got 1']);
  });
});
