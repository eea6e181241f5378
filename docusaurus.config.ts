import type {Config} from '@docusaurus/types';
import type * as Preset from '@docusaurus/preset-classic';
import remarkExercise from './src/components/Exercise/remark-exercise';
import remarkDiagram from './src/components/Diagram/remark-diagram';
import remarkScenarioLab from './src/components/sim/ScenarioLab/remark-scenario-lab';
import remarkComponentImports from './src/theme/remark-component-imports';
import courseIndexPlugin from './src/plugins/course-index';
import lunrInSearchWorkerPlugin from './src/plugins/lunr-in-search-worker';
import prismOnDemandPlugin from './src/plugins/prism-on-demand';
import settleInTransitionsPlugin from './src/plugins/settle-in-transitions';
import {ssrTemplate} from './src/client/ssr-template';
import {writtenChapters} from './src/course/written';

const docsDir = new URL('./docs', import.meta.url).pathname;

/** Served under a sub-path when a static host needs one (BASE_URL=/concurrency/ npm run build). */
const baseUrl = process.env.BASE_URL ?? '/';

const config: Config = {
  title: 'Python Concurrency, Interactively',
  tagline: 'Processes, threads, the GIL, locks, pools, I/O multiplexing and asyncio — watch them, steer them, test them.',
  favicon: 'img/logo.svg',
  url: 'http://127.0.0.1',
  baseUrl,
  trailingSlash: true,

  onBrokenLinks: 'throw',
  onBrokenAnchors: 'throw',
  onDuplicateRoutes: 'throw',

  future: {
    // Rspack (@docusaurus/faster) breaks `npm ci` on this registry; stay on webpack explicitly.
    faster: false,
  },

  i18n: {defaultLocale: 'en', locales: ['en']},

  markdown: {
    hooks: {
      onBrokenMarkdownLinks: 'throw',
      onBrokenMarkdownImages: 'throw',
    },
  },

  // Links load their page's JavaScript when the reader shows intent, not when they scroll into
  // view; the collation tables load before hydration, not inside it.
  clientModules: ['./src/client/prefetch-on-intent.ts', './src/client/warm-collator.ts'],
  // The app's scripts run once the page has been painted (src/client/ssr-template.ts).
  ssrTemplate,

  customFields: {
    writtenChapterDirs: writtenChapters(docsDir).map((chapter) => chapter.dir),
  },

  presets: [
    [
      'classic',
      {
        docs: {
          routeBasePath: '/',
          sidebarPath: './sidebars.ts',
          // Mermaid diagrams are SVGs rendered ahead of time (`npm run diagrams`): no Mermaid in the
          // page. Scenario labs and timelines get their first run at build time, so the server
          // renders them at their final size. The rarer widgets are imported by the pages that use
          // them, not by every page.
          remarkPlugins: [remarkExercise, remarkDiagram, remarkScenarioLab, remarkComponentImports],
        },
        blog: false,
        theme: {customCss: './src/css/custom.css'},
      } satisfies Preset.Options,
    ],
  ],

  plugins: [
    courseIndexPlugin,
    lunrInSearchWorkerPlugin,
    prismOnDemandPlugin,
    settleInTransitionsPlugin,
    [
      '@docusaurus/plugin-pwa',
      {
        // Offline for everyone after the first visit, not only for an installed app.
        offlineModeActivationStrategies: ['always'],
        injectManifestConfig: {
          // Precache the whole course (pages, runner, simulator Worker, search index), not the server bundle.
          globIgnores: ['__server/**'],
          maximumFileSizeToCacheInBytes: 8 * 1024 * 1024,
        },
        pwaHead: [
          {tagName: 'link', rel: 'manifest', href: `${baseUrl}manifest.json`},
          {tagName: 'meta', name: 'theme-color', content: '#1f5f99'},
        ],
      },
    ],
  ],

  themes: [
    [
      '@easyops-cn/docusaurus-search-local',
      {
        hashed: true,
        indexDocs: true,
        indexBlog: false,
        indexPages: true,
        docsRouteBasePath: '/',
        language: ['en'],
        // Off: it put mark.js (5.5 KB gzip) in every page and walked the whole chapter on every
        // page load to clear marks that were not there (~130 ms on a phone-speed CPU).
        highlightSearchTermsOnTargetPage: false,
        explicitSearchResultPath: true,
      },
    ],
  ],

  themeConfig: {
    colorMode: {respectPrefersColorScheme: true},
    navbar: {
      title: 'Python Concurrency',
      logo: {alt: 'Course logo: two interleaved threads', src: 'img/logo.svg'},
      items: [
        {type: 'docSidebar', sidebarId: 'course', position: 'left', label: 'Course'},
        {to: '/progress/', label: 'Progress', position: 'left'},
      ],
    },
    footer: {
      style: 'dark',
      copyright: 'An interactive course on Python concurrency. Works offline: every file is served by this site.',
    },
    prism: {
      // No inline colours: the tokens are coloured by src/css/custom.css in both modes, so the
      // server's markup is right in either and code blocks are not drawn twice (src/theme/CodeBlock).
      theme: {plain: {}, styles: []},
      additionalLanguages: ['bash'],
    },
  } satisfies Preset.ThemeConfig,
};

export default config;
