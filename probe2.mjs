import {chromium} from '@playwright/test';
const b = await chromium.launch({executablePath:'/usr/bin/chromium', args:['--no-sandbox','--disable-gpu']});
const p = await b.newPage();
p.on('crash', () => console.log('PAGE CRASHED'));
p.on('console', m => { if (m.type() === 'error') console.log('PAGE', m.type(), m.text()); });
await p.goto('http://127.0.0.1:4180/parent.html');
await p.waitForFunction(() => window.ready);
async function go(name, files) {
  const t0 = Date.now();
  await p.evaluate((files) => window.compileAndRun(files), files);
  await p.waitForFunction(() => window.log.some(m => m.type === 'exercise-outcome'), null, {timeout: 20000}).catch(() => {});
  const log = await p.evaluate(() => window.log);
  const outcome = log.find(m => m.type === 'exercise-outcome');
  console.log(`== ${name} (${Date.now() - t0} ms)`, JSON.stringify(outcome).slice(0, 250));
  for (const m of log) if (m.type === 'console') console.log('   console', JSON.stringify(m.log.slice(0, 2)).slice(0, 200), m.log.length);
}
const test = `import {double} from './index';\ndescribe('double', () => {\n  it('doubles', () => { expect(double(2)).toBe(4); });\n});\n`;
await go('pass', {'/index.ts': 'export function double(n: number): number {\n  return n * 2;\n}\n', '/index.test.ts': test});
await go('pass2', {'/index.ts': 'export function double(n: number): number {\n  return n * 2;\n}\n', '/index.test.ts': test});
await go('throw', {'/index.ts': 'export function double(n: number): number {\n  return n * 2;\n}\nconst x: any = null;\nx.boom();\n', '/index.test.ts': test});
await go('module', {'/index.ts': 'import {runInWorker} from "@course/workers";\nexport const double = (n: number) => n * 2;\nrunInWorker((n: number) => n * 10, 4).then(v => console.log("from worker", v));\n', '/index.test.ts': test + `it('waits', async () => { await new Promise(r => setTimeout(r, 300)); });\n`});
await go('async throw', {'/index.ts': 'export const double = (n: number) => n * 2;\nsetTimeout(() => { throw new Error("later"); }, 10);\n', '/index.test.ts': test + `it('waits', async () => { await new Promise(r => setTimeout(r, 100)); });\n`});
await go('loop', {'/index.ts': 'export function double(n: number): number {\n  while (true) {}\n}\n', '/index.test.ts': test});
await go('bomb', {'/index.ts': 'const hoard: number[][] = [];\nwhile (true) hoard.push(new Array(1e7).fill(7));\n', '/index.test.ts': test});
await go('after bomb', {'/index.ts': 'export function double(n: number): number {\n  return n * 2;\n}\n', '/index.test.ts': test});
console.log('page responsive:', await p.evaluate(() => 1 + 1));
await b.close();
