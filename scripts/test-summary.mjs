// Prints one "N passed, M failed" line per test runner and one for all of them, from the JSON
// reports that vitest and Playwright write to reports/. CI prints it after `npm test`.
import {existsSync, readFileSync} from 'node:fs';

const read = (file) => (existsSync(file) ? JSON.parse(readFileSync(file, 'utf8')) : null);

function unitCounts(report) {
  return {passed: report.numPassedTests, failed: report.numFailedTests, skipped: report.numPendingTests};
}

function e2eCounts(report) {
  const {expected = 0, unexpected = 0, flaky = 0, skipped = 0} = report.stats;
  return {passed: expected + flaky, failed: unexpected, skipped};
}

const runners = [
  ['unit', read('reports/unit.json'), unitCounts],
  ['e2e', read('reports/e2e.json'), e2eCounts],
  ['e2e on the sub-path build', read('reports/e2e-subpath.json'), e2eCounts],
];

const total = {passed: 0, failed: 0, skipped: 0};
for (const [name, report, counts] of runners) {
  if (!report) {
    console.log(`${name}: no report (the run stopped before it)`);
    continue;
  }
  const c = counts(report);
  for (const key of Object.keys(total)) total[key] += c[key];
  console.log(`${name}: ${c.passed} passed, ${c.failed} failed, ${c.skipped} skipped`);
}
console.log(`total: ${total.passed} passed, ${total.failed} failed, ${total.skipped} skipped`);
