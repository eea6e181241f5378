import remarkMdx from 'remark-mdx';
import remarkParse from 'remark-parse';
import {unified} from 'unified';
import remarkExercise from '../components/Exercise/remark-exercise';
import type {ExerciseSpec} from '../components/Exercise/spec';

/**
 * The exercises of a chapter's MDX source, as the build sees them: the build's own remark plugin
 * gathers each `<Exercise>`'s code blocks into its spec (with the content version that saved work
 * is keyed on). Build-time only (Node): the progress page's index and the exercise check use it.
 */
export interface IndexedExercise {
  readonly id: string;
  readonly title: string;
  readonly timeLimitMs: number;
  readonly spec: ExerciseSpec;
}

interface MdxNode {
  type: string;
  name?: string | null;
  children?: MdxNode[];
  attributes?: Array<{name?: string; value?: unknown}>;
}

export function exercisesInMdx(source: string, file: string): IndexedExercise[] {
  const tree = unified().use(remarkParse).use(remarkMdx).parse(source) as MdxNode;
  (remarkExercise() as (tree: MdxNode, vfile: {path: string}) => void)(tree, {path: file});
  const found: IndexedExercise[] = [];
  const walk = (node: MdxNode) => {
    if (node.type === 'mdxJsxFlowElement' && node.name === 'Exercise') {
      const attribute = (name: string) => node.attributes?.find((a) => a.name === name)?.value;
      const timeLimit = attribute('timeLimit') as {value?: string} | undefined;
      found.push({
        id: String(attribute('id')),
        title: typeof attribute('title') === 'string' ? String(attribute('title')) : String(attribute('id')),
        timeLimitMs: timeLimit?.value ? Number(timeLimit.value) : 5000,
        spec: JSON.parse(String(attribute('spec'))) as ExerciseSpec,
      });
    }
    node.children?.forEach(walk);
  };
  walk(tree);
  return found;
}
