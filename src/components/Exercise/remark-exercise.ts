import {createHash} from 'node:crypto';
import {specFromBlocks, type CodeBlock} from './spec';

/**
 * A remark plugin: inside each `<Exercise>` element, takes the fenced code blocks out of the
 * Markdown and hands them to the component as one `spec` prop (JSON), checked at build time, so
 * that a chapter reads as a document and a broken exercise fails the build with a clear message.
 */
interface Node {
  type: string;
  name?: string | null;
  lang?: string | null;
  meta?: string | null;
  value?: unknown;
  children?: Node[];
  attributes?: Array<{type: string; name?: string; value?: unknown}>;
  position?: {start: {line: number}};
}

const hash = (text: string) => createHash('sha256').update(text).digest('hex').slice(0, 10);

function transformExercise(node: Node, file: string): void {
  const idAttribute = node.attributes?.find((attribute) => attribute.name === 'id');
  if (typeof idAttribute?.value !== 'string') {
    throw new Error(`${file}:${node.position?.start.line}: <Exercise> needs an id="<chapter>/<slug>" written as a plain string`);
  }
  const blocks: CodeBlock[] = [];
  node.children = (node.children ?? []).filter((child) => {
    if (child.type !== 'code') return true;
    blocks.push({lang: child.lang ?? null, meta: child.meta ?? null, value: String(child.value), line: child.position?.start.line});
    return false;
  });
  try {
    const spec = specFromBlocks(idAttribute.value, blocks, hash);
    node.attributes!.push({type: 'mdxJsxAttribute', name: 'spec', value: JSON.stringify(spec)});
  } catch (error) {
    throw new Error(`${file}: ${(error as Error).message}`);
  }
}

export default function remarkExercise() {
  return (tree: Node, vfile: {path?: string}) => {
    const walk = (node: Node) => {
      if (node.type === 'mdxJsxFlowElement' && node.name === 'Exercise') transformExercise(node, vfile.path ?? 'an MDX file');
      node.children?.forEach(walk);
    };
    walk(tree);
  };
}
