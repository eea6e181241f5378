import type {Plugin} from '@docusaurus/types';

/**
 * The local search plugin's generated constants import lunr to register extra languages; for
 * English alone they never use it, yet the import put lunr (8 KB gzip) into every page's main
 * bundle. Marked free of side effects, lunr is bundled only where it is used: the search Worker.
 */
export default function lunrInSearchWorkerPlugin(): Plugin<unknown> {
  return {
    name: 'lunr-in-search-worker',
    configureWebpack: () => ({
      module: {rules: [{test: /[\\/]node_modules[\\/]lunr[\\/]lunr\.js$/, sideEffects: false}]},
    }),
  };
}
