import {createHash} from 'node:crypto';
import {existsSync, readFileSync, readdirSync} from 'node:fs';
import {join, relative, sep} from 'node:path';
import {fileURLToPath} from 'node:url';
import type {MermaidConfig} from 'mermaid';
import {fencedBlocks} from '../../../scripts/code-blocks';

/**
 * The cache of diagrams rendered ahead of time: each ```mermaid block of the docs is drawn once
 * per colour mode by `npm run diagrams` (scripts/diagrams.ts) into static/diagrams/, and the build
 * (remark-diagram.ts) shows those files. Build-time only (Node). A file's name is a hash of
 * everything that changes the drawing, so an edited diagram, a new theme or a new Mermaid all
 * miss the cache and fail the build until the diagrams are rendered again.
 */

export const siteDir = fileURLToPath(new URL('../../../', import.meta.url));
export const cacheDir = join(siteDir, 'static', 'diagrams');
/** Where static/diagrams/ is served, under the site's base URL. */
export const cacheUrl = '/diagrams/';

export type ColourMode = 'light' | 'dark';
export const colourModes: readonly ColourMode[] = ['light', 'dark'];

interface ModeStyle {
  readonly mermaid: MermaidConfig;
  /** The page's background in that mode, painted behind the diagram so that it also reads when opened on its own. */
  readonly background: string;
}

/** Settings every rendering shares. */
const common: MermaidConfig = {
  startOnLoad: false,
  // The same source gives the same file, so re-rendering does not churn the committed SVGs.
  deterministicIds: true,
  // Labels as SVG text, not HTML in <foreignObject>, which some browsers do not draw inside an <img>.
  htmlLabels: false,
  // A gantt chart is as wide as its container: the width of the docs' text column.
  gantt: {useWidth: 800},
};

export const modeStyles: Record<ColourMode, ModeStyle> = {
  light: {mermaid: {...common, theme: 'neutral'}, background: '#ffffff'},
  dark: {
    // Mermaid's dark theme gives edge labels a background too close to their text.
    mermaid: {...common, theme: 'dark', themeVariables: {edgeLabelBackground: '#1b1b1d'}},
    background: '#1b1b1d',
  },
};

/** The installed Mermaid's version, part of every hash: a new Mermaid draws differently. */
export function mermaidVersion(): string {
  const manifest = join(siteDir, 'node_modules', 'mermaid', 'package.json');
  if (!existsSync(manifest)) throw new Error('the mermaid package is not installed: run `npm install`');
  return (JSON.parse(readFileSync(manifest, 'utf8')) as {version: string}).version;
}

/** Trailing spaces and blank lines around a diagram change nothing in its drawing. */
const normalise = (source: string) =>
  source
    .split('\n')
    .map((line) => line.trimEnd())
    .join('\n')
    .trim();

/** The name both of a diagram's SVGs share: sha256 of its source, the settings above and Mermaid's version. */
export function diagramHash(source: string, version: string = mermaidVersion()): string {
  const key = JSON.stringify({source: normalise(source), modeStyles, mermaid: version});
  return createHash('sha256').update(key).digest('hex').slice(0, 16);
}

export const svgFile = (hash: string, mode: ColourMode) => `${hash}.${mode}.svg`;
/** Files of the cache look like this; anything else in static/diagrams/ is not the cache's to delete. */
export const cacheFilePattern = /^[0-9a-f]{16}\.(light|dark)\.svg$/;

export interface AccessibleText {
  readonly title?: string;
  readonly description?: string;
}

/**
 * Mermaid's own accessibility syntax: `accTitle: …`, and `accDescr: …` on one line or
 * `accDescr { … }` over several lines (joined with spaces).
 */
export function accessibleText(source: string): AccessibleText {
  const title = /^[ \t]*accTitle[ \t]*:[ \t]*(.*?)[ \t]*$/m.exec(source)?.[1];
  const oneLine = /^[ \t]*accDescr[ \t]*:[ \t]*(.*?)[ \t]*$/m.exec(source)?.[1];
  const block = /^[ \t]*accDescr[ \t]*\{([^}]*)\}/m.exec(source)?.[1];
  const description = oneLine ?? block?.split('\n').map((line) => line.trim()).filter(Boolean).join(' ');
  return {title: title || undefined, description: description || undefined};
}

/** The size an SVG declares in its viewBox, rounded up to whole pixels: the space its image takes. */
export function svgSize(svg: string): {width: number; height: number} {
  const root = /<svg\b[^>]*>/.exec(svg)?.[0] ?? '';
  const viewBox = /\sviewBox="([^"]*)"/.exec(root)?.[1].trim().split(/[\s,]+/).map(Number);
  if (!viewBox || viewBox.length !== 4 || !viewBox.every(Number.isFinite) || viewBox[2] <= 0 || viewBox[3] <= 0) {
    throw new Error('the SVG has no usable viewBox on its <svg> element');
  }
  return {width: Math.ceil(viewBox[2]), height: Math.ceil(viewBox[3])};
}

export interface MermaidDiagram {
  /** Path from the site's folder, with forward slashes. */
  readonly file: string;
  /** 1-based line of the opening fence. */
  readonly line: number;
  readonly source: string;
}

/** Every ```mermaid block of the docs' Markdown and MDX files, in file order. */
export function mermaidDiagrams(docsDir: string = join(siteDir, 'docs')): MermaidDiagram[] {
  const files: string[] = [];
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, {withFileTypes: true}).sort((a, b) => a.name.localeCompare(b.name))) {
      if (entry.isDirectory()) walk(join(dir, entry.name));
      else if (/\.mdx?$/.test(entry.name)) files.push(join(dir, entry.name));
    }
  };
  walk(docsDir);
  return files.flatMap((path) => {
    const file = relative(siteDir, path).split(sep).join('/');
    return fencedBlocks(readFileSync(path, 'utf8'))
      .filter((block) => block.lang === 'mermaid')
      .map((block) => ({file, line: block.line, source: block.code}));
  });
}

/**
 * What keeps a diagram off the page: no text alternative, or no rendered SVG in the cache.
 * Empty when the build can show it.
 */
export function diagramProblems(source: string, hash: string = diagramHash(source), dir: string = cacheDir): string[] {
  const problems: string[] = [];
  const {title, description} = accessibleText(source);
  if (!title) problems.push('the diagram has no `accTitle:` line (its short text alternative)');
  if (!description) problems.push('the diagram has no `accDescr:` line (what it shows, in a sentence or two)');
  const missing = colourModes.map((mode) => svgFile(hash, mode)).filter((name) => !existsSync(join(dir, name)));
  if (missing.length) problems.push(`no rendered SVG in static/diagrams/ (${missing.join(', ')}): run \`npm run diagrams\``);
  return problems;
}
