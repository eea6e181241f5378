/**
 * Renders the docs' Mermaid diagrams ahead of time, so that a page shows finished SVG images and
 * loads no Mermaid at all (src/components/Diagram/).
 *
 *   npm run diagrams              render the diagrams not yet in static/diagrams/, delete unused files
 *   npm run diagrams -- --force   render every diagram again
 *
 * Each ```mermaid block is drawn in the light and the dark theme by the installed `mermaid` package,
 * loaded from disk into Debian's Chromium (no network), and written to
 * static/diagrams/<hash>.light.svg and .dark.svg. Commit those files: the build only reads them.
 */
import {mkdirSync, readdirSync, rmSync, writeFileSync} from 'node:fs';
import {join} from 'node:path';
import {chromium, type Page} from '@playwright/test';
import {
  accessibleText,
  cacheDir,
  cacheFilePattern,
  colourModes,
  diagramHash,
  mermaidDiagrams,
  mermaidVersion,
  modeStyles,
  siteDir,
  svgFile,
  type ColourMode,
  type MermaidDiagram,
} from '../src/components/Diagram/cache';

const CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run', '--disable-sync'];

/** A blank page holding the installed Mermaid, with every request refused: nothing comes from the network. */
async function mermaidPage(page: Page): Promise<void> {
  await page.route('**/*', (route) => route.abort('blockedbyclient'));
  // A gantt chart marks "today": a fixed clock keeps the same source drawing the same file.
  await page.clock.setFixedTime(new Date('2000-01-01T00:00:00Z'));
  // The body is as wide as the docs' text column, which is what Mermaid lays out against.
  await page.setContent('<!doctype html><html><head><meta charset="utf-8"></head><body style="margin:0;width:800px"></body></html>');
  await page.addScriptTag({path: join(siteDir, 'node_modules', 'mermaid', 'dist', 'mermaid.min.js')});
}

/** One diagram drawn in one colour mode, as a standalone SVG document. */
async function render(page: Page, diagram: MermaidDiagram, hash: string, mode: ColourMode): Promise<string> {
  const {mermaid: config, background} = modeStyles[mode];
  return page.evaluate(
    async ({source, config, background, id}) => {
      const mermaid = (globalThis as unknown as {mermaid: typeof import('mermaid').default}).mermaid;
      mermaid.initialize(config);
      const {svg} = await mermaid.render(id, source);
      const document = new DOMParser().parseFromString(svg, 'image/svg+xml');
      const error = document.querySelector('parsererror');
      if (error) throw new Error(`Mermaid's SVG is not well-formed XML: ${error.textContent}`);
      const root = document.documentElement;
      const [, , width, height] = (root.getAttribute('viewBox') ?? '').split(/[\s,]+/).map(Number);
      if (!(width > 0 && height > 0)) throw new Error('Mermaid drew an SVG with no size');
      // Mermaid sizes the SVG to fill its container; an image file states its own size instead.
      root.setAttribute('width', String(Math.ceil(width)));
      root.setAttribute('height', String(Math.ceil(height)));
      root.setAttribute('style', `background-color: ${background}`);
      return `${new XMLSerializer().serializeToString(root)}\n`;
    },
    {source: diagram.source, config, background, id: `diagram-${hash}`},
  );
}

async function main(): Promise<void> {
  const force = process.argv.slice(2).includes('--force');
  const unknown = process.argv.slice(2).filter((arg) => arg !== '--force');
  if (unknown.length) throw new Error(`unknown argument ${unknown[0]}; the only option is --force`);

  const version = mermaidVersion();
  const diagrams = mermaidDiagrams();
  const byHash = new Map<string, MermaidDiagram>();
  for (const diagram of diagrams) byHash.set(diagramHash(diagram.source, version), diagram);

  mkdirSync(cacheDir, {recursive: true});
  const present = new Set(readdirSync(cacheDir).filter((name) => cacheFilePattern.test(name)));
  const wanted = new Set([...byHash.keys()].flatMap((hash) => colourModes.map((mode) => svgFile(hash, mode))));
  const unused = [...present].filter((name) => !wanted.has(name));
  for (const name of unused) rmSync(join(cacheDir, name));

  const toRender = [...byHash].filter(([hash]) => force || colourModes.some((mode) => !present.has(svgFile(hash, mode))));
  const failures: string[] = [];
  if (toRender.length) {
    const browser = await chromium.launch({executablePath: '/usr/bin/chromium', args: CHROMIUM_ARGS});
    try {
      for (const [hash, diagram] of toRender) {
        // A fresh Mermaid for each diagram: its id counters run across renders, so a diagram drawn
        // after others would come out different from the same diagram drawn alone.
        const page = await browser.newPage();
        try {
          await mermaidPage(page);
          const svgs: Array<[string, string]> = [];
          // Both modes or neither: a half-rendered pair would pass for cached on the next run.
          for (const mode of colourModes) svgs.push([svgFile(hash, mode), await render(page, diagram, hash, mode)]);
          for (const [name, svg] of svgs) writeFileSync(join(cacheDir, name), svg);
        } catch (error) {
          failures.push(`${diagram.file}:${diagram.line}: Mermaid could not draw this diagram: ${(error as Error).message.split('\n')[0]}`);
        } finally {
          await page.close();
        }
      }
    } finally {
      await browser.close();
    }
  }

  const withoutText = diagrams.filter((diagram) => {
    const {title, description} = accessibleText(diagram.source);
    return !title || !description;
  });
  console.log(
    `diagrams: ${diagrams.length} in the docs (${byHash.size} different), ${toRender.length - failures.length} rendered, ` +
      `${byHash.size - toRender.length} already in static/diagrams/, ${unused.length} unused files deleted (Mermaid ${version})`,
  );
  for (const diagram of withoutText) {
    console.warn(`${diagram.file}:${diagram.line}: warning: add \`accTitle:\` and \`accDescr:\` lines, or the build refuses this diagram`);
  }
  if (failures.length) {
    for (const failure of failures) console.error(failure);
    process.exit(1);
  }
}

main().catch((error: Error) => {
  console.error(`diagrams: ${error.message}`);
  process.exit(1);
});
