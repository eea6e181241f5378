import {chromium} from '@playwright/test';
const b = await chromium.launch({executablePath:'/usr/bin/chromium', args:['--no-sandbox','--disable-gpu']});
const p = await b.newPage();
p.on('console', m => console.log('PAGE', m.type(), m.text().slice(0, 200)));
await p.goto('http://127.0.0.1:4175/foundations/');
console.log(await p.evaluate(() => { const block = 'x'.repeat(256*1024); let n = 0; try { for (let i = 0; i < 1000; i++) { localStorage.setItem('filler-'+i, block); n++; } } catch (e) { return 'full after ' + n + ' ' + e.name; } return 'never full ' + n; }));
console.log(await p.evaluate(() => { try { localStorage.setItem('k', 'x'.repeat(2000)); return 'ok'; } catch (e) { return e.name; } }));
await b.close();
