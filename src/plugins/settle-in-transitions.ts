import {existsSync, readFileSync} from 'node:fs';
import {createRequire} from 'node:module';
import {dirname, join} from 'node:path';
import type {Plugin} from '@docusaurus/types';

/**
 * Once a page has hydrated, Docusaurus learns that it runs in a browser and how wide the window is,
 * and sets both in urgent updates: React renders what depends on them (the sidebar, the table of
 * contents, their mobile forms on a phone, the colour-mode toggle) in one task that nothing can
 * interrupt, the longest of a chapter's load on a phone after the main bundle itself. The two
 * modules that hold those states are replaced with ours, which set the same values in transitions.
 */
const replacements = [
  {original: ['@docusaurus/core', 'lib/client/browserContext'], ours: 'browser-context.tsx', exports: ['Context', 'BrowserContextProvider']},
  {original: ['@docusaurus/theme-common', 'lib/hooks/useWindowSize'], ours: 'use-window-size.ts', exports: ['useWindowSize']},
];

/**
 * The module's file, checked to still export what ours does: after a Docusaurus upgrade that moves
 * or renames it, the build stops here instead of quietly keeping the urgent updates.
 */
export function originalModule(packageName: string, modulePath: string, exports: string[]): string {
  const require = createRequire(import.meta.url);
  // Where Node would look for the package (an exports map may hide its package.json from require.resolve).
  const folder = (require.resolve.paths(packageName) ?? []).map((nodeModules) => join(nodeModules, packageName)).find((candidate) => existsSync(join(candidate, 'package.json')));
  if (folder === undefined) throw new Error(`settle-in-transitions: ${packageName} is not installed`);
  const file = join(folder, modulePath);
  let source: string;
  try {
    source = readFileSync(`${file}.js`, 'utf8');
  } catch {
    throw new Error(`settle-in-transitions: ${packageName} has no ${modulePath}.js any more; see src/plugins/settle-in-transitions.ts`);
  }
  for (const name of exports) {
    if (!new RegExp(`export (?:const|function) ${name}\\b`).test(source)) {
      throw new Error(`settle-in-transitions: ${packageName}/${modulePath}.js no longer exports ${name}; see src/plugins/settle-in-transitions.ts`);
    }
  }
  return file;
}

export default function settleInTransitionsPlugin(): Plugin<unknown> {
  const client = join(dirname(new URL(import.meta.url).pathname), '..', 'client');
  const alias = Object.fromEntries(
    replacements.map(({original: [packageName, modulePath], ours, exports}) => [`${originalModule(packageName, modulePath, exports)}$`, join(client, ours)]),
  );
  return {name: 'settle-in-transitions', configureWebpack: () => ({resolve: {alias}})};
}
