/**
 * Code blocks of the chapters. Checks the Python in them: every ```python run``` block is executed with python3, and
 * what it prints is compared with the ```text output``` block that follows it. This is how the
 * course keeps its promise that every claim about what a program prints was checked by running it.
 */

export interface FencedBlock {
  readonly lang: string;
  readonly meta: string;
  readonly code: string;
  /** 1-based line of the opening fence. */
  readonly line: number;
}

export interface PythonExample {
  readonly file: string;
  readonly line: number;
  readonly title: string;
  readonly code: string;
  /** The printed output the chapter shows, or null when the block only has to run cleanly. */
  readonly expectedOutput: string | null;
}

const FENCE = /^(\s*)(`{3,}|~{3,})\s*([\w-]*)\s*(.*)$/;

/** Every fenced code block of a Markdown/MDX text, in order, with the blank-line gaps between them. */
export function fencedBlocks(markdown: string): Array<FencedBlock & {linesBefore: string[]}> {
  const lines = markdown.split('\n');
  const blocks: Array<FencedBlock & {linesBefore: string[]}> = [];
  let between: string[] = [];
  for (let i = 0; i < lines.length; i++) {
    const open = FENCE.exec(lines[i]);
    if (!open) {
      between.push(lines[i]);
      continue;
    }
    const [, indent, fence, lang, meta] = open;
    const body: string[] = [];
    let j = i + 1;
    for (; j < lines.length; j++) {
      if (closesFence(lines[j], fence)) break;
      body.push(lines[j].startsWith(indent) ? lines[j].slice(indent.length) : lines[j]);
    }
    if (j === lines.length) throw new Error(`line ${i + 1}: code fence ${fence} is never closed`);
    blocks.push({lang, meta: meta.trim(), code: body.join('\n'), line: i + 1, linesBefore: between});
    between = [];
    i = j;
  }
  return blocks;
}

/** A closing fence is a run of the opening fence's character, at least as long, alone on its line. */
function closesFence(line: string, fence: string): boolean {
  const trimmed = line.trim();
  return trimmed.length >= fence.length && trimmed === fence[0].repeat(trimmed.length);
}

const hasWord = (meta: string, word: string) => new RegExp(`(^|\\s)${word}(\\s|$)`).test(meta);

/** The runnable Python examples of one chapter, each paired with the output block right after it. */
export function pythonExamples(markdown: string, file: string): PythonExample[] {
  const blocks = fencedBlocks(markdown);
  const examples: PythonExample[] = [];
  blocks.forEach((block, index) => {
    if (block.lang !== 'python' || !hasWord(block.meta, 'run')) return;
    const next = blocks[index + 1];
    const outputFollows =
      next !== undefined &&
      next.lang === 'text' &&
      hasWord(next.meta, 'output') &&
      next.linesBefore.every((line) => line.trim() === '');
    examples.push({
      file,
      line: block.line,
      title: /title="([^"]*)"/.exec(block.meta)?.[1] ?? `block at line ${block.line}`,
      code: block.code,
      expectedOutput: outputFollows ? next.code : null,
    });
  });
  return examples;
}

const NUMBER = /\d+(?:\.\d+)?/g;

/**
 * Compares printed output with the output a chapter shows. Text must match exactly. Integers must
 * match exactly (counts, results). Decimals are measurements (seconds, ratios) and may differ by
 * 20% or 0.05, whichever is larger, because a reader's machine is never the author's.
 * Returns a list of differences, empty when the outputs agree.
 */
export function compareOutput(expected: string, actual: string): string[] {
  const want = expected.replace(/\s+$/, '').split('\n');
  const got = actual.replace(/\s+$/, '').split('\n');
  const differences: string[] = [];
  if (want.length !== got.length) {
    differences.push(`expected ${want.length} lines of output, got ${got.length}`);
  }
  for (let i = 0; i < Math.min(want.length, got.length); i++) {
    const problem = compareLine(want[i].trimEnd(), got[i].trimEnd());
    if (problem) differences.push(`line ${i + 1}: ${problem}\n  expected: ${want[i]}\n  actual:   ${got[i]}`);
  }
  return differences;
}

function compareLine(expected: string, actual: string): string | null {
  if (expected.split(NUMBER).join('#') !== actual.split(NUMBER).join('#')) return 'text differs';
  const wantNumbers = expected.match(NUMBER) ?? [];
  const gotNumbers = actual.match(NUMBER) ?? [];
  for (let k = 0; k < wantNumbers.length; k++) {
    const [want, got] = [wantNumbers[k], gotNumbers[k]];
    if (!want.includes('.')) {
      if (want !== got) return `${got} is not ${want}`;
      continue;
    }
    const tolerance = Math.max(0.05, 0.2 * Math.abs(Number(want)));
    if (Math.abs(Number(got) - Number(want)) > tolerance) return `${got} is not within ${tolerance.toFixed(2)} of ${want}`;
  }
  return null;
}
