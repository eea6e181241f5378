import {readFileSync} from 'node:fs';
import {join, relative} from 'node:path';
import {accessibleText, cacheDir, cacheUrl, colourModes, diagramHash, diagramProblems, mermaidVersion, siteDir, svgFile, svgSize} from './cache';

/**
 * A remark plugin: replaces each ```mermaid block with a `<Diagram>` element showing the SVGs that
 * `npm run diagrams` rendered ahead of time (light and dark), sized from their viewBox so the page
 * does not shift when they load, with the block's `accTitle` / `accDescr` as text alternative.
 * A diagram with no rendered SVG or no text alternative fails the build, naming file and line.
 */
interface Node {
  type: string;
  lang?: string | null;
  value?: unknown;
  children?: Node[];
  position?: {start: {line: number}};
  [key: string]: unknown;
}

const attribute = (name: string, value: string) => ({type: 'mdxJsxAttribute', name, value});

function sizeOf(path: string, where: string): {width: number; height: number} {
  try {
    return svgSize(readFileSync(path, 'utf8'));
  } catch (error) {
    throw new Error(`${where}: ${relative(siteDir, path)}: ${(error as Error).message}: run \`npm run diagrams -- --force\``);
  }
}

function diagramElement(source: string, where: string, version: string, dir: string): Node {
  const hash = diagramHash(source, version);
  const problems = diagramProblems(source, hash, dir);
  if (problems.length) throw new Error(`${where}: ${problems.join('; ')}`);
  const {title, description} = accessibleText(source);
  const attributes = [attribute('title', title!), attribute('description', description!)];
  for (const mode of colourModes) {
    const name = svgFile(hash, mode);
    const {width, height} = sizeOf(join(dir, name), where);
    attributes.push(attribute(`${mode}Src`, `${cacheUrl}${name}`), attribute(`${mode}Width`, String(width)), attribute(`${mode}Height`, String(height)));
  }
  return {type: 'mdxJsxFlowElement', name: 'Diagram', attributes, children: []};
}

export interface RemarkDiagramOptions {
  /** Where the rendered SVGs are; static/diagrams/ unless a test says otherwise. */
  cacheDir?: string;
}

export default function remarkDiagram({cacheDir: dir = cacheDir}: RemarkDiagramOptions = {}) {
  return (tree: Node, vfile: {path?: string}) => {
    const file = vfile.path ? relative(siteDir, vfile.path) : 'an MDX file';
    const version = mermaidVersion();
    const walk = (node: Node) => {
      if (!node.children) return;
      node.children = node.children.map((child) =>
        child.type === 'code' && child.lang === 'mermaid' ? diagramElement(String(child.value), `${file}:${child.position?.start.line}`, version, dir) : child,
      );
      node.children.forEach(walk);
    };
    walk(tree);
  };
}
