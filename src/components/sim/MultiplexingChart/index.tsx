import {lazy, Suspense, useRef, useState, type ReactNode} from 'react';
import {useNearViewport} from '../../useNearViewport';
import type {SimState} from '../useSim';
import styles from './styles.module.css';

/** The knob, chart, table and summary: loaded with the simulator and Observable Plot only when the widget comes near. */
const ChartView = lazy(() => import('./ChartView'));
const SummaryView = lazy(() => import('./SummaryView'));

export interface MultiplexingChartProps {
  title?: string;
}

/**
 * The multiplexing-scaling scenario as a chart: what one select / poll / epoll wait call costs
 * against how many fds it watches (log scales), with select's end at FD_SETSIZE and a knob for how
 * many fds are ready per call. The server renders a skeleton of the final size.
 */
export default function MultiplexingChart({title = 'What one wait call costs'}: MultiplexingChartProps): ReactNode {
  const ref = useRef<HTMLElement>(null);
  const near = useNearViewport(ref);
  const [state, setState] = useState<SimState>('idle');
  return (
    <section ref={ref} className={styles.widget} data-sim="multiplexing-scaling" data-state={state} aria-label={`Simulation: ${title}`}>
      <h3 className={styles.title}>
        {title} <code className={styles.id}>multiplexing-scaling</code>
      </h3>
      {near ? (
        <Suspense fallback={<ChartSkeleton />}>
          <ChartView onState={setState} />
        </Suspense>
      ) : (
        <ChartSkeleton />
      )}
    </section>
  );
}

function ChartSkeleton(): ReactNode {
  return (
    <div>
      <div className={styles.knobs} />
      <div className={styles.figure}>
        <div className={styles.chartBox}>
          <p className={styles.waiting}>The simulation starts when you scroll to it.</p>
        </div>
        <div>
          <div className={styles.legend} />
        </div>
      </div>
      <div className={styles.errorNote} />
      <div className={styles.summary} />
      <div className={styles.toggleRow} />
    </div>
  );
}

/** multiplexing-summary: one row per mechanism, the complexity measured from the model's costs. */
export function MultiplexingSummary({title = 'select, poll and epoll side by side'}: MultiplexingChartProps): ReactNode {
  const ref = useRef<HTMLElement>(null);
  const near = useNearViewport(ref);
  const [state, setState] = useState<SimState>('idle');
  return (
    <section ref={ref} className={styles.widget} data-sim="multiplexing-summary" data-state={state} aria-label={`Simulation: ${title}`}>
      <h3 className={styles.title}>
        {title} <code className={styles.id}>multiplexing-summary</code>
      </h3>
      {near ? (
        <Suspense fallback={<SummarySkeleton />}>
          <SummaryView onState={setState} />
        </Suspense>
      ) : (
        <SummarySkeleton />
      )}
    </section>
  );
}

function SummarySkeleton(): ReactNode {
  return (
    <div>
      <div className={`table-scroll ${styles.summaryTableBox}`}>
        <p className={styles.waiting}>The simulation starts when you scroll to it.</p>
      </div>
      <div className={styles.note} />
    </div>
  );
}
