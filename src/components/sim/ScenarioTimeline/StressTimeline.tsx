import {lazy, Suspense, useState, type ReactNode} from 'react';
import {useSim} from '../useSim';
import {Placeholder} from '.';
import styles from './styles.module.css';

const Timeline = lazy(() => import('../Timeline'));

/**
 * A synthetic timeline of `spans` spans over `threads` threads and a GIL, made in the simulation
 * Worker when asked for: shows that the timeline stays smooth far beyond the simulator's own runs
 * (and lets a test time its first draw).
 */
export default function StressTimeline({spans = 100_000, threads = 7}: {spans?: number; threads?: number}): ReactNode {
  const [asked, setAsked] = useState(false);
  const call = useSim(asked, 'syntheticTimeline', spans, threads);
  const name = `${spans.toLocaleString('en-US')} spans over ${threads} threads`;
  return (
    <section className={styles.widget} data-timeline-stress={spans} data-state={call.state} aria-label={`A timeline of ${name}`}>
      {!asked && (
        <button type="button" className="button button--primary" onClick={() => setAsked(true)}>
          Draw {name}
        </button>
      )}
      {call.error && (
        <p className={styles.error} role="alert">
          The synthetic timeline failed: {call.error}
        </p>
      )}
      {call.value ? (
        <Suspense fallback={<Placeholder text="Loading the timeline…" />}>
          <Timeline timeline={call.value} />
        </Suspense>
      ) : (
        asked && !call.error && <Placeholder text="Making the spans…" />
      )}
    </section>
  );
}
