import {chromium} from '@playwright/test';
const b = await chromium.launch({executablePath:'/usr/bin/chromium', args:['--no-sandbox','--disable-gpu']});
const p = await b.newPage();
await p.goto('http://127.0.0.1:4180/parent.html');
await p.waitForFunction(() => window.ready);
const cdp = await b.newBrowserCDPSession();
await p.evaluate((files) => window.compileAndRun(files), {'/index.ts': 'const hoard: number[][] = [];\nwhile (true) hoard.push(new Array(1e7).fill(7));\n'});
for (let i = 0; i < 30; i++) {
  await new Promise(r => setTimeout(r, 1000));
  const {targetInfos} = await cdp.send('Target.getTargets');
  const page = targetInfos.find(t => t.type === 'page' && t.url.includes('parent.html'));
  const frames = targetInfos.filter(t => t.type === 'iframe').map(t => t.url.slice(22, 50));
  let alive = 'n/a';
  if (page) {
    try {
      const {sessionId} = await cdp.send('Target.attachToTarget', {targetId: page.targetId, flatten: true});
      const r = await cdp.send('Runtime.evaluate', {expression: 'JSON.stringify(window.log.filter(m => m.type === "exercise-outcome"))', returnByValue: true}, sessionId).catch(e => ({err: e.message}));
      alive = JSON.stringify(r).slice(0, 200);
      await cdp.send('Target.detachFromTarget', {sessionId});
    } catch (e) { alive = 'attach failed ' + e.message; }
  }
  console.log(i, frames.join('|'), alive);
  if (alive.includes('outcome')) break;
}
await b.close();
