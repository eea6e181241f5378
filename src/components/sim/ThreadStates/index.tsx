import {lazy, Suspense, useRef, useState, type ReactNode} from 'react';
import {useNearViewport} from '../../useNearViewport';
import type {SimState} from '../useSim';
import styles from './styles.module.css';

/** The diagram, controls and table: loaded with the simulator only when the widget comes near. */
const ThreadStatesView = lazy(() => import('./ThreadStatesView'));

export interface ThreadStatesProps {
  title?: string;
}

/**
 * The thread lifecycle as a state diagram, animated from the trace of the thread-lifecycle
 * scenario: step through each thread's state changes, or play them, and change the read's delay
 * and the number of cores. The server renders a skeleton of the final size.
 */
export default function ThreadStates({title = 'Thread states, step by step'}: ThreadStatesProps): ReactNode {
  const ref = useRef<HTMLElement>(null);
  const near = useNearViewport(ref);
  const [state, setState] = useState<SimState>('idle');
  return (
    <section ref={ref} className={styles.widget} data-sim="thread-lifecycle" data-state={state} aria-label={`Simulation: ${title}`}>
      <h3 className={styles.title}>
        {title} <code className={styles.id}>thread-lifecycle</code>
      </h3>
      {near ? (
        <Suspense fallback={<Skeleton />}>
          <ThreadStatesView onState={setState} />
        </Suspense>
      ) : (
        <Skeleton />
      )}
    </section>
  );
}

/** The same boxes as the loaded widget, empty: nothing moves when it arrives. */
function Skeleton(): ReactNode {
  return (
    <div className={styles.skeleton}>
      <div className={styles.knobs} />
      <div className={styles.controls} />
      <div className={styles.figure}>
        <div className={styles.diagramBox}>
          <p className={styles.waiting}>The simulation starts when you scroll to it.</p>
        </div>
      </div>
      <div className={styles.announcement} />
      <div className={styles.legend} />
      <div className={styles.tableBox} />
    </div>
  );
}
