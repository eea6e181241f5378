import {execFile} from 'node:child_process';
import {readFileSync, readdirSync, existsSync} from 'node:fs';
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

  it.concurrent.each(examples.map((example) => [example.title, example] as const))(
    '%s runs and prints what the chapter shows',
    async (_title, example) => {
      const {stdout} = await run('python3', ['-c', example.code], {timeout: 30_000, maxBuffer: 1 << 20});
      if (example.expectedOutput !== null) {
        expect(compareOutput(example.expectedOutput, stdout), `${example.file}:${example.line}`).toEqual([]);
      }
    },
    40_000,
  );
});
