import {useMemo, useRef, useState, type ReactNode} from 'react';
import type {ScenarioParams} from '@site/src/sim/scenarios/types';
import {useNearViewport} from '../../useNearViewport';
import type {SimState} from '../useSim';
import Lab from './Lab';
import type {LabStart} from './remark-scenario-lab';
import styles from './styles.module.css';

export interface ScenarioLabProps {
  /** A scenario id of REPRODUCTION.md (`npm run sim -- list`). */
  id: string;
  /** A heading for the lab; the scenario's own description is shown under it. */
  title?: string;
  /** Knob values to start from (and to go back to on reset); the scenario's defaults fill the rest. */
  preset?: ScenarioParams;
  /** What the chapter wants said beside the result: why the seed's figure differs, what to try. */
  children?: ReactNode;
  /** Filled in at build time by remark-scenario-lab.ts: the knobs and the rows at the preset (JSON). */
  initial?: string;
}

/**
 * A scenario to steer: its knobs, the regenerated table with the seed's figure beside the simulated
 * one, a chart and the runs' timelines. The server renders it whole, with the rows the build
 * computed, so nothing moves when it comes alive; when it comes near the viewport the simulation
 * runs in the page's simulation Worker (Observable Plot and the timelines load on demand).
 */
export default function ScenarioLab({id, title, preset = {}, children, initial}: ScenarioLabProps): ReactNode {
  const ref = useRef<HTMLElement>(null);
  const near = useNearViewport(ref);
  const [state, setState] = useState<SimState>('idle');
  const start = useMemo(() => (initial === undefined ? null : (JSON.parse(initial) as LabStart)), [initial]);
  return (
    <section ref={ref} className={styles.lab} data-sim={id} data-state={state} aria-label={`Simulation: ${title ?? id}`}>
      <h3 className={styles.title}>
        {title ?? 'Simulation'} <code className={styles.id}>{id}</code>
      </h3>
      {children && <div className={styles.note}>{children}</div>}
      {near || start !== null ? <Lab id={id} preset={preset} initial={start} enabled={near} onState={setState} /> : <div className={styles.placeholder}>The simulation starts when you scroll to it.</div>}
    </section>
  );
}
