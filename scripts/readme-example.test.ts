import {readFileSync} from 'node:fs';
import {transform} from 'sucrase';
import {expect, it} from 'vitest';
import * as sim from '../src/sim';
import {fencedBlocks} from './code-blocks';

/** The README's worked example of the simulator's API runs, and prints what its comments say. */
it("the README's simulator example runs as written", () => {
  const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
  const example = fencedBlocks(readme).find((block) => block.lang === 'ts' && block.code.includes("from '@course/sim'"));
  expect(example, 'a ts block importing @course/sim').toBeDefined();
  const code = transform(`${example!.code}\nexports.results = {run, gathered, verdict};`, {transforms: ['typescript', 'imports']}).code;
  const exports: {results?: Record<string, {metrics?: sim.RunMetrics; result?: unknown; wallTimeUs?: number; ok?: boolean}>} = {};
  new Function('exports', 'require', code)(exports, (name: string) => {
    if (name !== '@course/sim') throw new Error(`the example imports ${name}`);
    return sim;
  });
  const {run, gathered, verdict} = exports.results!;
  const comment = (pattern: RegExp) => Number(pattern.exec(example!.code)![1]);
  expect(run.metrics!.wallTimeUs).toBe(comment(/wallTimeUs;\s+\/\/ (\d+)/));
  expect(run.metrics!.gilHandoffs).toBe(comment(/gilHandoffs;\s+\/\/ (\d+)/));
  expect(gathered.result).toEqual(['a', 'b', 'c']);
  expect(gathered.wallTimeUs).toBe(comment(/gathered.wallTimeUs = (\d+)/));
  expect(verdict.ok).toBe(true);
});
