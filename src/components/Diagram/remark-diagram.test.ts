import {mkdtempSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {compile} from '@mdx-js/mdx';
import {beforeAll, describe, expect, it} from 'vitest';
import {diagramHash, svgFile} from './cache';
import remarkDiagram from './remark-diagram';

const diagram = ['flowchart LR', '    accTitle: Two steps', '    accDescr: A leads to B.', '    A --> B'].join('\n');
const chapter = (body: string) => `# Title\n\nSome prose.\n\n\`\`\`mermaid\n${body}\n\`\`\`\n`;

/** Compiles MDX with the plugin against a cache folder, and returns the Diagram elements' attributes. */
async function diagramsOf(mdx: string, cacheDir: string, path = 'docs/01-foundations/index.mdx') {
  const found: Array<Record<string, unknown>> = [];
  const capture = () => (tree: {children?: unknown[]}) => {
    const walk = (node: {type?: string; name?: string; attributes?: Array<{name: string; value: unknown}>; children?: unknown[]}) => {
      if (node.type === 'mdxJsxFlowElement' && node.name === 'Diagram') found.push(Object.fromEntries(node.attributes!.map((a) => [a.name, a.value])));
      (node.children as (typeof node)[] | undefined)?.forEach(walk);
    };
    walk(tree);
  };
  const compiled = String(await compile({value: mdx, path}, {remarkPlugins: [[remarkDiagram, {cacheDir}], capture]}));
  return {found, compiled};
}

describe('remark-diagram', () => {
  let cache: string;
  beforeAll(() => {
    cache = mkdtempSync(join(tmpdir(), 'diagrams-'));
    const hash = diagramHash(diagram);
    writeFileSync(join(cache, svgFile(hash, 'light')), '<svg xmlns="http://www.w3.org/2000/svg" viewBox="-8 -8 300.4 120"></svg>');
    writeFileSync(join(cache, svgFile(hash, 'dark')), '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 302 121.5"></svg>');
  });

  it('replaces the block with a Diagram of both rendered SVGs, sized from their viewBox, with the text alternative', async () => {
    const {found, compiled} = await diagramsOf(chapter(diagram), cache);
    const hash = diagramHash(diagram);
    expect(found).toEqual([
      {
        title: 'Two steps',
        description: 'A leads to B.',
        lightSrc: `/diagrams/${hash}.light.svg`,
        lightWidth: '301',
        lightHeight: '120',
        darkSrc: `/diagrams/${hash}.dark.svg`,
        darkWidth: '302',
        darkHeight: '122',
      },
    ]);
    expect(compiled).toContain('Some prose.');
    expect(compiled).not.toContain('flowchart LR');
  });

  it('fails the build naming the file and line when the diagram was never rendered', async () => {
    const edited = diagram.replace('A --> B', 'A --> C');
    await expect(diagramsOf(chapter(edited), cache)).rejects.toThrow(
      /^docs\/01-foundations\/index\.mdx:5: no rendered SVG in static\/diagrams\/ \([0-9a-f]{16}\.light\.svg, [0-9a-f]{16}\.dark\.svg\): run `npm run diagrams`$/,
    );
  });

  it('fails the build naming the file and line when the diagram has no accTitle or accDescr', async () => {
    const untitled = diagram.split('\n').filter((line) => !line.includes('accTitle')).join('\n');
    await expect(diagramsOf(`Intro.\n\n${chapter(untitled)}`, cache)).rejects.toThrow('docs/01-foundations/index.mdx:7: the diagram has no `accTitle:` line');
    const undescribed = diagram.split('\n').filter((line) => !line.includes('accDescr')).join('\n');
    await expect(diagramsOf(chapter(undescribed), cache)).rejects.toThrow('docs/01-foundations/index.mdx:5: the diagram has no `accDescr:` line');
  });

  it('leaves other code blocks alone', async () => {
    const {found, compiled} = await diagramsOf('```python\nprint("mermaid")\n```\n', cache);
    expect(found).toEqual([]);
    expect(compiled).toContain('print(');
  });
});
