import {lazy, Suspense, useRef, useState, type ReactNode} from 'react';
import type {ScenarioParams} from '@site/src/sim/scenarios/types';
import {useNearViewport} from '../../useNearViewport';
import type {SimState} from '../useSim';
import styles from './styles.module.css';

/** The knobs, table, chart and timeline: loaded with the simulator only when the lab comes near. */
const Lab = lazy(() => import('./Lab'));

export interface ScenarioLabProps {
  /** A scenario id of REPRODUCTION.md (`npm run sim -- list`). */
  id: string;
  /** A heading for the lab; the scenario's own description is shown under it. */
  title?: string;
  /** Knob values to start from (and to go back to on reset); the scenario's defaults fill the rest. */
  preset?: ScenarioParams;
  /** What the chapter wants said beside the result: why the seed's figure differs, what to try. */
  children?: ReactNode;
}

/**
 * A scenario to steer: its knobs, the regenerated table with the seed's figure beside the simulated
 * one, a chart and the runs' timelines. The server renders the frame at its final size; the
 * simulation runs in the page's simulation Worker.
 */
export default function ScenarioLab({id, title, preset = {}, children}: ScenarioLabProps): ReactNode {
  const ref = useRef<HTMLElement>(null);
  const near = useNearViewport(ref);
  const [state, setState] = useState<SimState>('idle');
  return (
    <section ref={ref} className={styles.lab} data-sim={id} data-state={state} aria-label={`Simulation: ${title ?? id}`}>
      <h3 className={styles.title}>
        {title ?? 'Simulation'} <code className={styles.id}>{id}</code>
      </h3>
      {children && <div className={styles.note}>{children}</div>}
      {near ? (
        <Suspense fallback={<Placeholder />}>
          <Lab id={id} preset={preset} onState={setState} />
        </Suspense>
      ) : (
        <Placeholder />
      )}
    </section>
  );
}

function Placeholder(): ReactNode {
  return <div className={styles.placeholder}>The simulation starts when you scroll to it.</div>;
}
