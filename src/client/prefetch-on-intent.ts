/**
 * A client module (siteConfig.clientModules): Docusaurus's <Link> prefetches a page's JavaScript
 * as soon as a link to it scrolls into view, and the sidebar names every chapter, so each page
 * load also downloaded every other chapter (about 300 KB gzip) and spent main-thread time adding
 * the prefetch tags. Links still preload their page when the reader points at, focuses or touches
 * them (window.docusaurus.preload); only the prefetch on sight is dropped.
 */
interface DocusaurusGlobal {
  prefetch: (routePath: string) => unknown;
  preload: (routePath: string) => unknown;
}

const withoutPrefetch = (api: DocusaurusGlobal): DocusaurusGlobal => Object.freeze({...api, prefetch: () => false});

if (typeof window !== 'undefined') {
  const holder = window as unknown as {docusaurus?: DocusaurusGlobal};
  let api = holder.docusaurus && withoutPrefetch(holder.docusaurus);
  // The client entry sets window.docusaurus after the client modules have run: take it as it is set.
  Object.defineProperty(window, 'docusaurus', {
    configurable: true,
    enumerable: true,
    get: () => api,
    set: (value: DocusaurusGlobal) => {
      api = withoutPrefetch(value);
    },
  });
}

export {};
