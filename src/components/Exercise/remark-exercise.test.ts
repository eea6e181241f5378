import {existsSync, readdirSync, readFileSync} from 'node:fs';
import {join} from 'node:path';
import {compile} from '@mdx-js/mdx';
import {describe, expect, it} from 'vitest';
import remarkExercise from './remark-exercise';
import type {ExerciseSpec} from './spec';

/** Compiles MDX with the plugin and returns the spec props it produced, by exercise id. */
async function specsOf(mdx: string, path = 'chapter.mdx'): Promise<Map<string, ExerciseSpec>> {
  const specs = new Map<string, ExerciseSpec>();
  const capture = () => (tree: {children?: unknown[]}) => {
    const walk = (node: {type?: string; name?: string; attributes?: Array<{name: string; value: string}>; children?: unknown[]}) => {
      if (node.type === 'mdxJsxFlowElement' && node.name === 'Exercise') {
        const attribute = (name: string) => node.attributes!.find((a) => a.name === name)!.value;
        specs.set(attribute('id'), JSON.parse(attribute('spec')));
      }
      (node.children as (typeof node)[] | undefined)?.forEach(walk);
    };
    walk(tree);
  };
  await compile({value: mdx, path}, {remarkPlugins: [remarkExercise, capture]});
  return specs;
}

const exercise = (body: string) => `# Title

<Exercise id="foundations/demo" title="Demo">

Instructions stay in the page.

${body}

<Hint>Think.</Hint>

</Exercise>
`;

const fence = (meta: string, code: string) => `\`\`\`ts ${meta}\n${code}\n\`\`\``;

describe('remark-exercise', () => {
  it('moves the code blocks into the spec prop and leaves the prose', async () => {
    const source = exercise([fence('file=/index.ts', 'let a = 1;'), fence('file=/index.test.ts hidden', 'it("a", () => {});'), fence('file=/index.ts solution', 'let a = 2;')].join('\n\n'));
    const spec = (await specsOf(source)).get('foundations/demo')!;
    expect(spec.files['/index.ts'].code).toBe('let a = 1;');
    expect(spec.solution['/index.ts']).toBe('let a = 2;');
    const compiled = String(await compile(source, {remarkPlugins: [remarkExercise]}));
    expect(compiled).toContain('Instructions stay in the page.');
    expect(compiled).not.toMatch(/_jsx\(_components\.code/);
  });

  it('fails the build naming the file and the problem', async () => {
    const source = exercise(fence('file=/index.ts', 'let a = 1;'));
    await expect(specsOf(source, 'docs/01-foundations/index.mdx')).rejects.toThrow(
      'docs/01-foundations/index.mdx: <Exercise id="foundations/demo">: there is no hidden test file',
    );
  });
});

describe('the exercises of the course', async () => {
  const docs = new URL('../../../docs/', import.meta.url).pathname;
  const chapters = readdirSync(docs).filter((dir) => existsSync(join(docs, dir, 'index.mdx')));
  const all: Array<[string, string]> = [];
  for (const dir of chapters) {
    const path = join(docs, dir, 'index.mdx');
    for (const id of (await specsOf(readFileSync(path, 'utf8'), path)).keys()) all.push([dir, id]);
  }

  it('have unique ids, each under its chapter slug', () => {
    expect(new Set(all.map(([, id]) => id)).size).toBe(all.length);
    for (const [dir, id] of all) expect(id.split('/')[0]).toBe(dir.replace(/^\d+-/, ''));
  });

  it('number at least three in every chapter', () => {
    for (const dir of chapters) expect(all.filter(([chapter]) => chapter === dir).length, dir).toBeGreaterThanOrEqual(3);
  });
});
