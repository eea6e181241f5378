import {defineConfig} from '@playwright/test';

/**
 * The built site, served by Docusaurus on loopback only, and (for a root build) the classroom
 * export unpacked and served by its two launchers on the next two ports (e2e/export.spec.ts).
 * `E2E_BUILD_DIR` and `BASE_URL` point the suite at another build, such as a sub-path build.
 */
const port = Number(process.env.E2E_PORT ?? 4173);
const baseUrl = process.env.BASE_URL ?? '/';
const buildDir = process.env.E2E_BUILD_DIR ?? 'build';
export const exportPorts = {python: port + 1, node: port + 2};

export default defineConfig({
  testDir: 'e2e',
  fullyParallel: true,
  workers: 2,
  retries: 0,
  timeout: 60_000,
  reporter: [['list'], ['json', {outputFile: `reports/${process.env.E2E_REPORT ?? 'e2e'}.json`}]],
  use: {
    baseURL: `http://127.0.0.1:${port}${baseUrl}`,
    // The offline service worker precaches the whole course on a first visit; only
    // e2e/offline.spec.ts, which tests it, lets it run, so other tests do not each download the site.
    serviceWorkers: 'block',
    launchOptions: {
      // Debian's Chromium (scripts/ensure-chromium.sh); never a downloaded browser.
      executablePath: '/usr/bin/chromium',
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-background-networking',
        '--disable-component-update',
        '--no-first-run',
        '--disable-sync',
      ],
    },
  },
  webServer: [
    {
      command:
        baseUrl === '/'
          ? `npx docusaurus serve --dir ${buildDir} --host 127.0.0.1 --port ${port} --no-open`
          : `npx tsx scripts/serve-build.ts ${buildDir} ${baseUrl} ${port}`,
      url: `http://127.0.0.1:${port}${baseUrl}`,
      reuseExistingServer: false,
      timeout: 60_000,
    },
    ...(baseUrl === '/'
      ? [
          {
            command: `npx tsx scripts/serve-export.ts ${exportPorts.python} ${exportPorts.node}`,
            url: `http://127.0.0.1:${exportPorts.node}/`,
            reuseExistingServer: false,
            timeout: 120_000,
          },
        ]
      : []),
  ],
});
