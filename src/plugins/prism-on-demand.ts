import {createRequire} from 'node:module';
import {dirname, join} from 'node:path';
import type {Plugin} from '@docusaurus/types';

/**
 * The classic theme loads Prism in every page's main bundle, through a client module that adds
 * the site's extra languages at start-up; defining Prism's grammars was the longest task of a
 * chapter's load on a phone (≈ 60 ms of script on a 4× slower CPU, before React could start).
 * Code blocks are kept as the server highlighted them (src/theme/CodeBlock), so Prism is needed
 * only to draw a block in the browser: that client module is dropped here, and the code block
 * loads Prism, with the extra languages, when it first has to draw one.
 */
export default function prismOnDemandPlugin(): Plugin<unknown> {
  const themeLib = dirname(createRequire(import.meta.url).resolve('@docusaurus/theme-classic/lib/prism-include-languages'));
  return {
    name: 'prism-on-demand',
    configureWebpack: () => ({
      resolve: {alias: {[`${join(themeLib, 'prism-include-languages')}$`]: false}},
    }),
  };
}
