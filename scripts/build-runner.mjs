// Builds the exercise runner (src/runner/) into static/runner/, where Docusaurus serves it as it
// is: the runner page Sandpack uses as its bundler, the Worker that runs learner code, and the
// course modules exercise code can import by name; and the simulation Worker of the widgets into
// static/sim/. Generated files; not committed.
import {createHash} from 'node:crypto';
import {mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync} from 'node:fs';
import {join} from 'node:path';
import {build} from 'esbuild';

const root = new URL('..', import.meta.url).pathname;
const source = join(root, 'src/runner');
const out = join(root, 'static/runner');

/** Course modules: `src/runner/modules/<name>.ts` is importable as `@course/<name>`. */
const courseModules = Object.fromEntries(
  readdirSync(join(source, 'modules'))
    .filter((file) => file.endsWith('.ts') && !file.endsWith('.test.ts'))
    .map((file) => [`@course/${file.replace(/\.ts$/, '')}`, `modules/${file.replace(/\.ts$/, '.js')}`]),
);

const hash = createHash('sha256');
const hashTree = (dir) => {
  for (const entry of readdirSync(dir, {withFileTypes: true}).sort((a, b) => a.name.localeCompare(b.name))) {
    if (entry.isDirectory()) hashTree(join(dir, entry.name));
    else hash.update(entry.name).update(readFileSync(join(dir, entry.name)));
  }
};
hashTree(source);
hash.update(readFileSync(join(root, 'package-lock.json')));
const buildId = hash.digest('hex').slice(0, 12);

rmSync(out, {recursive: true, force: true});
mkdirSync(join(out, 'modules'), {recursive: true});

const common = {bundle: true, minify: true, target: 'es2022', format: 'iife', logLevel: 'warning', legalComments: 'none'};
const define = {__COURSE_MODULES__: JSON.stringify(courseModules), __BUILD_ID__: JSON.stringify(buildId)};

// The simulation Worker that the simulator's widgets talk to (src/components/sim/client.ts).
const simOut = join(root, 'static/sim');
rmSync(simOut, {recursive: true, force: true});

await Promise.all([
  build({...common, entryPoints: [join(root, 'src/components/sim/worker.ts')], outfile: join(simOut, 'worker.js')}),
  build({...common, entryPoints: [join(source, 'runner.ts')], outfile: join(out, 'runner.js'), define}),
  build({...common, entryPoints: [join(source, 'worker.ts')], outfile: join(out, 'worker.js'), define}),
  build({...common, entryPoints: [join(source, 'jail.ts')], outfile: join(out, 'jail.js'), define}),
  ...Object.entries(courseModules).map(([name, file]) =>
    build({
      ...common,
      entryPoints: [join(source, file.replace(/\.js$/, '.ts'))],
      outfile: join(out, file),
      globalName: '__courseModule',
      footer: {js: `(self.courseModules=self.courseModules||{})[${JSON.stringify(name)}]=__courseModule;`},
    }),
  ),
]);
// The page is a folder (runner/) so that no static server rewrites its URL. The jail has no page:
// runner.ts writes it into its frame (srcdoc), so that it works offline too.
writeFileSync(join(out, 'index.html'), readFileSync(join(source, 'index.html'), 'utf8').replaceAll('__BUILD_ID__', buildId));
console.log(`runner built into static/runner/ (build ${buildId}; course modules: ${Object.keys(courseModules).join(', ')})`);
