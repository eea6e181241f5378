import {useMemo, useRef, type ReactNode} from 'react';
import type {ScenarioParams} from '@site/src/sim/scenarios/types';
import {useNearViewport} from '../../useNearViewport';
import {TimelineSet} from '../Timeline';
import type {TimelineOutline} from '../Timeline/layout';
import {useSim} from '../useSim';
import styles from './styles.module.css';

export interface ScenarioTimelineProps {
  /** A scenario id of REPRODUCTION.md that returns timelines (`npm run sim -- list`). */
  scenario: string;
  /** Knob values; the scenario's defaults fill the rest. */
  params?: ScenarioParams;
  /** Filled in at build time by remark-scenario-lab.ts: the runs' outlines (JSON), drawn until the Worker has run. */
  outlines?: string;
}

/**
 * The timelines of one scenario's runs, simulated in the page's simulation Worker when the widget
 * comes near the viewport, with a choice between them when there are several. The server draws
 * their frames from the outlines the build computed, so nothing moves when the spans arrive (d3
 * and the drawing code load only then).
 */
export default function ScenarioTimeline({scenario, params = {}, outlines}: ScenarioTimelineProps): ReactNode {
  const ref = useRef<HTMLElement>(null);
  const near = useNearViewport(ref);
  const call = useSim(near, 'runScenario', scenario, params, true);
  const frames = useMemo(() => (outlines === undefined ? undefined : (JSON.parse(outlines) as TimelineOutline[])), [outlines]);
  return (
    <section ref={ref} className={styles.widget} data-sim={scenario} data-state={call.state} aria-label={`Timelines of the scenario ${scenario}`}>
      {call.error && (
        <p className={styles.error} role="alert">
          The simulation of {scenario} failed: {call.error}
        </p>
      )}
      {call.value || (frames && !call.error) ? (
        <TimelineSet timelines={call.value?.timelines} outlines={frames} />
      ) : (
        !call.error && <Placeholder text={call.state === 'running' ? 'Simulating…' : 'The simulation starts when you scroll to it.'} />
      )}
    </section>
  );
}

export function Placeholder({text}: {text: string}): ReactNode {
  return <div className={styles.placeholder}>{text}</div>;
}
