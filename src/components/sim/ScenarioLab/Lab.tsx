import {lazy, Suspense, useEffect, useId, useMemo, useState, type ReactNode} from 'react';
import {knobProblem, type KnobName, type ScenarioParams, type ScenarioRow} from '@site/src/sim/scenarios/types';
import {useSim, type SimState} from '../useSim';
import {formatValue, mainUnit, seedDifference} from './format';
import Knob from '../Knob';
import styles from './styles.module.css';

const RowsChart = lazy(() => import('./RowsChart'));
const TimelineSet = lazy(() => import('../Timeline').then((module) => ({default: module.TimelineSet})));

interface LabProps {
  id: string;
  preset: ScenarioParams;
  onState: (state: SimState) => void;
}

/** Waits this long after the last keystroke before rerunning, so typing "12" runs once. */
const SETTLE_MS = 250;

export default function Lab({id, preset, onState}: LabProps): ReactNode {
  const info = useSim(true, 'scenarioInfo', id);
  const knobs = info.value?.knobs ?? [];
  // Keyed by content: MDX passes a new preset object on every render, and a new `start` would
  // throw away the learner's knob edits.
  const presetKey = JSON.stringify(preset);
  const start = useMemo(() => ({...info.value?.defaults, ...(JSON.parse(presetKey) as ScenarioParams)}), [info.value, presetKey]);
  const [drafts, setDrafts] = useState<Partial<Record<KnobName, string>>>({});
  const [params, setParams] = useState<ScenarioParams | null>(null);

  // Once the scenario's knobs are known, start from the preset.
  useEffect(() => {
    if (info.value === null) return;
    setDrafts(Object.fromEntries(info.value.knobs.map((name) => [name, String(start[name])])));
    setParams(start);
  }, [info.value, start]);

  const problems = Object.fromEntries(
    knobs.map((name) => {
      const text = drafts[name] ?? '';
      const maximum = info.value?.maxima[name];
      const value = Number(text);
      const problem = text.trim() === '' ? 'a value is needed' : knobProblem(name, value);
      return [name, problem ?? (maximum !== undefined && value > maximum ? `at most ${maximum} in this scenario` : null)];
    }),
  ) as Record<KnobName, string | null>;
  const valid = knobs.every((name) => problems[name] === null);

  useEffect(() => {
    if (!valid || knobs.length === 0) return;
    const next = Object.fromEntries(knobs.map((name) => [name, Number(drafts[name])])) as ScenarioParams;
    const timer = setTimeout(() => setParams(next), SETTLE_MS);
    return () => clearTimeout(timer);
  }, [drafts, valid, knobs]);

  // The runs' timelines are drawn (and sent from the Worker) only once the learner asks to watch.
  const [watching, setWatching] = useState(false);
  const result = useSim(params !== null, 'runScenario', id, params ?? {}, watching);
  // How long the last run took, from the Worker call to the drawn result (effects run after the
  // commit): the bench's figure for a knob change.
  const [runMs, setRunMs] = useState<number | null>(null);
  useEffect(() => {
    if (result.value !== null) setRunMs(Math.round(performance.now() - result.startedAt));
  }, [result.value, result.startedAt]);

  const state: SimState = info.state === 'error' ? 'error' : params === null ? 'running' : result.state;
  useEffect(() => onState(state), [state, onState]);

  const error = info.error ?? result.error;
  return (
    <div className={styles.body} data-run-ms={runMs ?? undefined}>
      {info.value && <p className={styles.description}>{info.value.description}</p>}
      <form className={styles.knobs} onSubmit={(event) => event.preventDefault()} aria-label="Knobs">
        {knobs.map((name) => (
          <Knob key={name} name={name} draft={drafts[name] ?? null} problem={problems[name]} max={info.value?.maxima[name]} onChange={(text) => setDrafts((previous) => ({...previous, [name]: text}))} />
        ))}
        {knobs.length > 0 && (
          <button type="button" className="button button--sm button--secondary" onClick={() => setDrafts(Object.fromEntries(knobs.map((name) => [name, String(start[name])])))}>
            Reset knobs
          </button>
        )}
      </form>
      {error && (
        <p className={styles.error} role="alert">
          {error}
        </p>
      )}
      {result.value && <Results rows={result.value.rows} stale={result.state === 'running'} />}
      {result.value && (
        <div className={styles.watch}>
          <button type="button" className="button button--sm button--outline button--primary" aria-expanded={watching} onClick={() => setWatching((shown) => !shown)}>
            {watching ? 'Hide the timeline' : 'Watch the runs on a timeline'}
          </button>
          {watching &&
            result.state !== 'running' &&
            (result.value.timelines.length > 0 ? (
              <Suspense fallback={<div className={styles.timelinePlaceholder} />}>
                <TimelineSet timelines={result.value.timelines} />
              </Suspense>
            ) : (
              <p className={styles.status}>This scenario's table is computed from costs rather than from runs worth watching: there is no timeline to draw.</p>
            ))}
        </div>
      )}
    </div>
  );
}

function Results({rows, stale}: {rows: ScenarioRow[]; stale: boolean}): ReactNode {
  const captionId = useId();
  const unit = mainUnit(rows);
  const charted = rows.filter((row) => row.unit === unit);
  const claims = rows.some((row) => row.seed !== null);
  return (
    <div aria-busy={stale}>
      <p className={styles.status} role="status">
        {stale ? 'Running the simulation again…' : ''}
      </p>
      <div className="table-scroll" tabIndex={0} role="region" aria-labelledby={captionId}>
        <table className={styles.table}>
          <caption id={captionId}>Simulated{claims ? ', beside the figure the seed document claims' : ''}</caption>
          <thead>
            <tr>
              <th scope="col">What</th>
              <th scope="col">Simulated</th>
              {claims && <th scope="col">Seed claims</th>}
              {claims && <th scope="col">Difference</th>}
            </tr>
          </thead>
          <tbody>
            {rows.map((row) => {
              const difference = seedDifference(row.value, row.seed);
              return (
                <tr key={row.key} data-row={row.key}>
                  <th scope="row">{row.label}</th>
                  <td data-value={row.value}>
                    {formatValue(row.value)} {row.unit}
                  </td>
                  {claims && <td>{row.seed === null ? '—' : `${formatValue(row.seed)} ${row.unit}`}</td>}
                  {claims && (
                    <td>
                      {difference === null ? '—' : difference.agrees ? `agrees (${signed(difference.percent)})` : <strong className={styles.differs}>differs: {signed(difference.percent)}</strong>}
                    </td>
                  )}
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
      {unit !== null && charted.length > 1 && (
        <Suspense fallback={<div className={styles.chartPlaceholder} />}>
          <RowsChart rows={charted} unit={unit} describedBy={captionId} />
        </Suspense>
      )}
    </div>
  );
}

const signed = (percent: number): string => (Number.isFinite(percent) ? `${percent >= 0 ? '+' : '−'}${Math.abs(Math.round(percent))} %` : 'the seed claims 0');
