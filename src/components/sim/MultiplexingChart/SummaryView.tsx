import {useEffect, useId, type ReactNode} from 'react';
import {useSim, type SimState} from '../useSim';
import styles from './styles.module.css';

/** What one call's cost grows with, read from the two measured exponents (k near 1: linear, near 0: flat). */
function growth(kWatched: number, kReady: number): string {
  if (kWatched > 0.8) return 'O(watched fds)';
  if (kReady > 0.5) return 'O(ready fds)';
  return 'O(1)';
}

/** The seed's claim, from its exponent: 1 is O(n), 0 is O(1). */
const claim = (k: number | null): string => (k === null ? '—' : k === 0 ? 'O(1)' : 'O(n)');

export default function SummaryView({onState}: {onState: (state: SimState) => void}): ReactNode {
  const run = useSim(true, 'mechanismSummaries');
  useEffect(() => onState(run.state), [run.state, onState]);
  const captionId = useId();
  return (
    <div>
      {run.error && (
        <p className={styles.error} role="alert">
          {run.error}
        </p>
      )}
      {/* Until the Worker answers, the skeleton's boxes keep the widget's height: nothing below moves. */}
      {run.value === null && (
        <div className={`table-scroll ${styles.summaryTableBox}`}>
          <p className={styles.waiting}>{run.state === 'error' ? '' : 'Simulating…'}</p>
        </div>
      )}
      {run.value && (
        <div className={`table-scroll ${styles.summaryTableBox}`} tabIndex={0} role="region" aria-labelledby={captionId}>
          <table className={`${styles.table} ${styles.mechanisms}`} data-testid="mechanism-table">
            <caption id={captionId}>
              Per mechanism. Cost per call: measured from the model as the exponent k in cost ∝ n<sup>k</sup>, between 100 and 1,000 watched fds and between 10 and 100 ready ones.
            </caption>
            <thead>
              <tr>
                <th scope="col">Mechanism</th>
                <th scope="col">Runs on</th>
                <th scope="col">Limit</th>
                <th scope="col">Cost per call</th>
                <th scope="col">Seed says</th>
                <th scope="col">asyncio on Linux</th>
              </tr>
            </thead>
            <tbody>
              {run.value.map((row) => (
                <tr key={row.kind} data-kind={row.kind}>
                  <th scope="row">
                    <code>{row.kind}</code>
                  </th>
                  <td>{row.platform}</td>
                  <td>{row.fdLimit}</td>
                  <td data-cost>
                    <strong>{growth(row.kWatched, row.kReady)}</strong>
                    <br />
                    <span className={styles.exponents}>
                      k: {row.kWatched.toFixed(2)} watched, {row.kReady.toFixed(2)} ready
                    </span>
                  </td>
                  <td>{claim(row.seedKWatched)}</td>
                  <td>{row.asyncioDefaultOnLinux ? 'yes (DefaultSelector)' : 'no'}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {run.value === null && <div className={styles.note} />}
      {run.value && (
        <p className={styles.note} data-testid="mechanism-note">
          The seed calls epoll O(1). Per call it is O(ready): independent of how many fds are watched, but each ready fd is copied out and handled. On Linux, asyncio’s default selector is epoll; asyncio never uses libuv (uvloop does).
        </p>
      )}
    </div>
  );
}
