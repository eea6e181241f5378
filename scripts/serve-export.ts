/**
 * For the e2e suite: makes the classroom export from build/ (`npm run export -- --no-build`),
 * unpacks export.zip into a temporary folder, as a teacher would, and starts both of its
 * launchers from there: `python3 serve.py --port P1` and `node serve.mjs --port P2`.
 *
 *   tsx scripts/serve-export.ts P1 P2
 *
 * It stays up until it is stopped, and stops both launchers with it.
 */
import {execFileSync, spawn, type ChildProcess} from 'node:child_process';
import {chmodSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {dirname, join} from 'node:path';
import {unzipSync} from 'fflate';

const [pythonPort, nodePort] = process.argv.slice(2).map(Number);
if (!Number.isInteger(pythonPort) || !Number.isInteger(nodePort)) throw new Error('usage: tsx scripts/serve-export.ts PYTHON_PORT NODE_PORT');

const root = join(__dirname, '..');
execFileSync(process.execPath, [join(root, 'node_modules', 'tsx', 'dist', 'cli.mjs'), join(__dirname, 'export.ts'), '--no-build'], {cwd: root, stdio: 'inherit'});

const unpacked = mkdtempSync(join(tmpdir(), 'course-export-'));
for (const [name, data] of Object.entries(unzipSync(readFileSync(join(root, 'export.zip'))))) {
  if (name.endsWith('/')) continue;
  const path = join(unpacked, name);
  mkdirSync(dirname(path), {recursive: true});
  writeFileSync(path, data);
}
const folder = join(unpacked, 'python-concurrency-course');
chmodSync(join(folder, 'serve.py'), 0o755);

const launchers: ChildProcess[] = [
  spawn('python3', ['serve.py', '--port', String(pythonPort)], {cwd: folder, stdio: 'inherit'}),
  spawn(process.execPath, ['serve.mjs', '--port', String(nodePort)], {cwd: folder, stdio: 'inherit'}),
];
const stop = () => {
  for (const launcher of launchers) launcher.kill();
  process.exit(0);
};
for (const launcher of launchers) launcher.on('exit', (code) => code !== null && code !== 0 && process.exit(code));
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
