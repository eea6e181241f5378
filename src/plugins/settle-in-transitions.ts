import {createRequire} from 'node:module';
import {dirname, join} from 'node:path';
import type {Plugin} from '@docusaurus/types';

/**
 * Once a page has hydrated, Docusaurus learns that it runs in a browser and how wide the window is,
 * and sets both in urgent updates: React renders what depends on them (the sidebar, the table of
 * contents, their mobile forms on a phone, the colour-mode toggle) in one task that nothing can
 * interrupt, the longest of a chapter's load on a phone after the main bundle itself. The two
 * modules that hold those states are replaced with ours (src/client/browser-context.tsx,
 * src/client/use-window-size.ts), which set the same values in transitions.
 */
export default function settleInTransitionsPlugin(): Plugin<unknown> {
  const require = createRequire(import.meta.url);
  const coreClient = join(dirname(require.resolve('@docusaurus/core/package.json')), 'lib', 'client');
  const themeCommon = dirname(require.resolve('@docusaurus/theme-common'));
  const here = dirname(new URL(import.meta.url).pathname);
  return {
    name: 'settle-in-transitions',
    configureWebpack: () => ({
      resolve: {
        alias: {
          [`${join(coreClient, 'browserContext')}$`]: join(here, '..', 'client', 'browser-context.tsx'),
          [`${join(themeCommon, 'hooks', 'useWindowSize')}$`]: join(here, '..', 'client', 'use-window-size.ts'),
        },
      },
    }),
  };
}
