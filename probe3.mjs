import {chromium} from '@playwright/test';
const b = await chromium.launch({executablePath:'/usr/bin/chromium', args:['--no-sandbox','--disable-gpu']});
const p = await b.newPage();
p.on('crash', () => console.log('PAGE CRASHED'));
await p.goto('http://127.0.0.1:4180/parent.html');
await p.waitForFunction(() => window.ready);
for (const [name, code] of [
  ['buffers', 'const hoard: Uint8Array[] = [];\nwhile (true) hoard.push(new Uint8Array(5e8).fill(1));\n'],
  ['strings', 'let s = "x";\nconst hoard: string[] = [];\nwhile (true) { s = s + s; hoard.push(s); }\n'],
]) {
  const t0 = Date.now();
  await p.evaluate((files) => window.compileAndRun(files), {'/index.ts': code});
  await p.waitForFunction(() => window.log.some(m => m.type === 'exercise-outcome'), null, {timeout: 20000}).catch(() => {});
  const log = await p.evaluate(() => window.log);
  console.log(name, Date.now() - t0, JSON.stringify(log.find(m => m.type === 'exercise-outcome')).slice(0, 300));
}
await b.close();
