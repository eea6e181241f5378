/**
 * `npm run export [-- --no-build]`: the course as a folder a classroom can use with no internet.
 *
 *   export/README.md   for the teacher: how to serve it, what --host 0.0.0.0 exposes
 *   export/serve.py    python3 serve.py [--port P] [--host H]   (standard library only)
 *   export/serve.mjs   node serve.mjs  [--port P] [--host H]    (standard library only)
 *   export/site/       the built course
 *   export.zip         the same folder, as python-concurrency-course/…
 *
 * The site must be built with the default base URL ('/'), since the launchers serve it at the root.
 */
import {execFileSync} from 'node:child_process';
import {cpSync, existsSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync} from 'node:fs';
import {join, relative, sep} from 'node:path';
import {zipSync, type Zippable} from 'fflate';

const root = join(__dirname, '..');
const buildDir = join(root, 'build');
const exportDir = join(root, 'export');
const zipPath = join(root, 'export.zip');
const FOLDER_IN_ZIP = 'python-concurrency-course';

const args = process.argv.slice(2);
for (const arg of args) if (arg !== '--no-build') throw new Error(`unknown option ${arg} (the only option is --no-build)`);

if (!args.includes('--no-build')) {
  if (process.env.BASE_URL && process.env.BASE_URL !== '/') throw new Error('BASE_URL must be / for an export: the launchers serve the course at the root');
  execFileSync('npm', ['run', 'build'], {cwd: root, stdio: 'inherit'});
}
if (!existsSync(join(buildDir, 'index.html'))) throw new Error('No build/ folder: run `npm run build` first, or `npm run export` without --no-build');
// A root build names its main bundle from the root; a sub-path build, from under its prefix.
if (!/"\/assets\/js\/main\.[0-9a-f]+\.js"/.test(readFileSync(join(buildDir, 'index.html'), 'utf8'))) {
  throw new Error('build/ was built for a sub-path (BASE_URL); rebuild with the default base URL before exporting');
}

rmSync(exportDir, {recursive: true, force: true});
rmSync(zipPath, {force: true});
cpSync(buildDir, join(exportDir, 'site'), {recursive: true});
for (const file of ['README.md', 'serve.py', 'serve.mjs']) cpSync(join(__dirname, 'export', file), join(exportDir, file));

const files: Zippable = {};
const walk = (dir: string) => {
  for (const entry of readdirSync(dir, {withFileTypes: true})) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) walk(path);
    else {
      const name = `${FOLDER_IN_ZIP}/${relative(exportDir, path).split(sep).join('/')}`;
      // Launchers stay executable once unpacked (mode in the zip's external attributes).
      const executable = /\.(py|mjs)$/.test(entry.name) && !name.includes('/site/');
      files[name] = [readFileSync(path), {level: 6, ...(executable ? {attrs: 0o100755 << 16, os: 3} : {})}];
    }
  }
};
walk(exportDir);
writeFileSync(zipPath, zipSync(files));

const megabytes = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MB`;
let folderBytes = 0;
const measure = (dir: string) => {
  for (const entry of readdirSync(dir, {withFileTypes: true})) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) measure(path);
    else folderBytes += statSync(path).size;
  }
};
measure(exportDir);
console.log(`export/ written (${megabytes(folderBytes)}), export.zip ${megabytes(statSync(zipPath).size)}`);
console.log('Try it: cd export && python3 serve.py   (or node serve.mjs), then open the address it prints.');
