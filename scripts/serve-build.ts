/**
 * For the e2e suite: serves a build made for a sub-path (BASE_URL=/concurrency/) at that path, as
 * a static host would, with the classroom launcher serve.mjs:
 *
 *   tsx scripts/serve-build.ts build-subpath /concurrency/ 4173
 *
 * (`docusaurus serve` cannot stand in for a static host here: under a base URL it redirects a
 * file requested with a query string, such as runner.js?v=…, to runner.js/?v=…, which is a 404.)
 */
import {spawn} from 'node:child_process';
import {copyFileSync, mkdirSync, mkdtempSync, symlinkSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {dirname, join, resolve} from 'node:path';

const [buildDir, baseUrl, port] = process.argv.slice(2);
if (!buildDir || !/^\/([\w-]+\/)+$/.test(baseUrl ?? '') || !/^\d+$/.test(port ?? '')) {
  throw new Error('usage: tsx scripts/serve-build.ts <build folder> </sub/path/> <port>');
}
const folder = mkdtempSync(join(tmpdir(), 'course-host-'));
const mounted = join(folder, 'site', ...baseUrl.split('/').filter(Boolean));
mkdirSync(dirname(mounted), {recursive: true});
symlinkSync(resolve(buildDir), mounted, 'dir');
copyFileSync(join(__dirname, 'export', 'serve.mjs'), join(folder, 'serve.mjs'));
const server = spawn(process.execPath, [join(folder, 'serve.mjs'), '--port', port], {stdio: 'inherit'});
server.on('exit', (code) => process.exit(code ?? 0));
for (const signal of ['SIGTERM', 'SIGINT'] as const) process.on(signal, () => server.kill(signal));
