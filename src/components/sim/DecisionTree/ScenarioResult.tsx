import {useState, type ReactNode} from 'react';
import Link from '@docusaurus/Link';
import type {ScenarioPreset} from '@site/src/course/decision-trees';
import {useSim} from '../useSim';
import {formatParams, formatValue} from './format';
import Inline from './Inline';
import styles from './styles.module.css';

/**
 * A leaf's scenario, run in the simulation Worker with the leaf's preset: the rows as a table with
 * the seed's figure beside the simulated one.
 */
export default function ScenarioResult({show, id}: {show: ScenarioPreset; id: string}): ReactNode {
  const call = useSim(true, 'runScenario', show.scenario, show.preset);
  const [allRows, setAllRows] = useState(false);
  const result = call.value;
  const chosen = show.rows;
  const rows = result === null ? [] : chosen === undefined || allRows ? result.rows : result.rows.filter((row) => chosen.includes(row.key));
  const hidden = result === null ? 0 : result.rows.length - rows.length;

  return (
    <div id={id} className={styles.result} data-sim={show.scenario} data-state={call.state} aria-busy={call.state === 'running'}>
      <p className={styles.look}>
        <Inline text={show.look} />
      </p>
      <p className={call.state === 'running' ? styles.status : 'visually-hidden'} role="status">
        {call.state === 'running' ? 'Running the simulation…' : call.state === 'done' ? 'The simulation is done: its rows are in the table below.' : ''}
      </p>
      {call.state === 'error' && (
        <p className={styles.problem} role="alert">
          The simulation failed: {call.error}
        </p>
      )}
      {result !== null && (
        <>
          <div className="table-scroll" tabIndex={0} role="region" aria-label={`Result of ${show.scenario} (scrolls sideways on small screens)`}>
            <table className={styles.table}>
              <caption className={styles.caption}>
                <code>{show.scenario}</code> with {formatParams(result.params)}
              </caption>
              <thead>
                <tr>
                  <th scope="col">What</th>
                  <th scope="col">Simulated</th>
                  <th scope="col">The seed’s figure</th>
                </tr>
              </thead>
              <tbody>
                {rows.map((row) => (
                  <tr key={row.key} data-row={row.key}>
                    <th scope="row">{row.label}</th>
                    <td className={styles.number}>{formatValue(row.value, row.unit)}</td>
                    <td className={styles.number}>{row.seed === null ? <NoFigure /> : formatValue(row.seed, row.unit)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          <p className={styles.more}>
            {chosen !== undefined && chosen.length < result.rows.length && (
              <button type="button" className="button button--sm button--secondary" onClick={() => setAllRows((all) => !all)}>
                {allRows ? `Show only the ${chosen.length} rows that matter here` : `Show the other ${hidden} rows`}
              </button>
            )}{' '}
            To change its knobs and watch its timelines, open <code>{show.scenario}</code> on the <Link to="/lab/scenarios/">Every scenario</Link> page.
          </p>
        </>
      )}
    </div>
  );
}

/** A dash for the eye, a word for the screen reader. */
function NoFigure(): ReactNode {
  return (
    <>
      <span aria-hidden="true">—</span>
      <span className="visually-hidden">none</span>
    </>
  );
}
