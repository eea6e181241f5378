/**
 * A client module (siteConfig.clientModules). The first string comparison a page makes loads the
 * browser's collation tables, 10–14 ms measured here; the theme's first comparison comes in the
 * redraw that follows hydration on a phone (the sidebar turning into the mobile menu), which made
 * that uninterrupted task longer still. One comparison in a task of its own, while the page's
 * other chunks download, pays that cost where it blocks nothing else.
 */
if (typeof window !== 'undefined') setTimeout(() => 'a'.localeCompare('b'), 0);

export {};
