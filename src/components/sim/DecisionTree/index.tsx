import type {ReactNode} from 'react';
import Tree from './Tree';
import styles from './styles.module.css';

export interface DecisionTreeProps {
  /** A tree id of `src/course/decision-trees.ts`: `by-workload` (seed 000) or `cpu-or-io` (seed 004). */
  tree: string;
}

/**
 * One of the seeds' decision trees as questions to answer, a leaf with the recommendation, and the
 * scenario that shows why. The server renders the first question in full, so nothing moves when
 * the page hydrates (a lazily loaded tree would be streamed out of place by React below the first
 * 12.8 kB of a page, and shown late). Saved answers are applied after hydration; the simulator
 * runs in its Worker only when the learner asks for a leaf's scenario.
 */
export default function DecisionTree({tree}: DecisionTreeProps): ReactNode {
  return (
    <section className={styles.decision} data-decision={tree}>
      <Tree id={tree} />
    </section>
  );
}
