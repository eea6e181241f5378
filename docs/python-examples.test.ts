import {execFile} from 'node:child_process';
import {existsSync, mkdtempSync, readFileSync, readdirSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {promisify} from 'node:util';
import {describe, expect, it} from 'vitest';
import {compareOutput, pythonExamples} from '../scripts/code-blocks';

const run = promisify(execFile);
const docsDir = new URL('.', import.meta.url).pathname;

const chapters = readdirSync(docsDir, {withFileTypes: true})
  .filter((entry) => entry.isDirectory() && existsSync(join(docsDir, entry.name, 'index.mdx')))
  .map((entry) => join(entry.name, 'index.mdx'));

describe.each(chapters)('the Python in %s', (file) => {
  const examples = pythonExamples(readFileSync(join(docsDir, file), 'utf8'), file);

  // One at a time: many examples time real work, and on a 2-core machine running them side by side
  // slowed some enough to change what they print.
  it.each(examples.map((example) => [example.title, example] as const))(
    '%s runs and prints what the chapter shows',
    async (_title, example) => {
      // Run from a file, as a reader would: with the spawn and forkserver start methods (the
      // default on Linux from 3.14) pool workers re-import __main__, which `python3 -c` lacks.
      const dir = mkdtempSync(join(tmpdir(), 'example-'));
      const script = join(dir, /^[\w-]+\.py$/.test(example.title) ? example.title : 'example.py');
      writeFileSync(script, example.code);
      const {stdout} = await run('python3', [script], {timeout: 30_000, maxBuffer: 1 << 20, cwd: dir});
      if (example.expectedOutput !== null) {
        expect(compareOutput(example.expectedOutput, stdout), `${example.file}:${example.line}`).toEqual([]);
      }
    },
    40_000,
  );
});
