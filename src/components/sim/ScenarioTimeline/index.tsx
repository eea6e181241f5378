import {lazy, Suspense, useRef, type ReactNode} from 'react';
import type {ScenarioParams} from '@site/src/sim/scenarios/types';
import {useNearViewport} from '../../useNearViewport';
import {useSim} from '../useSim';
import styles from './styles.module.css';

/** The timeline component and d3 load only when a timeline comes near the viewport. */
const TimelineSet = lazy(() => import('../Timeline').then((module) => ({default: module.TimelineSet})));

export interface ScenarioTimelineProps {
  /** A scenario id of REPRODUCTION.md that returns timelines (`npm run sim -- list`). */
  scenario: string;
  /** Knob values; the scenario's defaults fill the rest. */
  params?: ScenarioParams;
}

/**
 * The timelines of one scenario's runs, simulated in the page's simulation Worker when the widget
 * comes near the viewport, with a choice between them when there are several.
 */
export default function ScenarioTimeline({scenario, params = {}}: ScenarioTimelineProps): ReactNode {
  const ref = useRef<HTMLElement>(null);
  const near = useNearViewport(ref);
  const call = useSim(near, 'runScenario', scenario, params, true);
  return (
    <section ref={ref} className={styles.widget} data-sim={scenario} data-state={call.state} aria-label={`Timelines of the scenario ${scenario}`}>
      {call.error && (
        <p className={styles.error} role="alert">
          The simulation of {scenario} failed: {call.error}
        </p>
      )}
      {call.value ? (
        <Suspense fallback={<Placeholder text="Loading the timeline…" />}>
          <TimelineSet timelines={call.value.timelines} />
        </Suspense>
      ) : (
        !call.error && <Placeholder text={call.state === 'running' ? 'Simulating…' : 'The simulation starts when you scroll to it.'} />
      )}
    </section>
  );
}

export function Placeholder({text}: {text: string}): ReactNode {
  return <div className={styles.placeholder}>{text}</div>;
}
