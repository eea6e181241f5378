import {lazy, Suspense, useEffect, useId, useMemo, useState, type ReactNode} from 'react';
import {knobProblem, type KnobName, type ScenarioParams, type ScenarioRow} from '@site/src/sim/scenarios/types';
import {useSim, type SimState} from '../useSim';
import {formatValue, mainUnit, seedDifference} from './format';
import Knob from '../Knob';
import RowsChart from './RowsChart';
import type {LabStart} from './remark-scenario-lab';
import styles from './styles.module.css';

const TimelineSet = lazy(() => import('../Timeline').then((module) => ({default: module.TimelineSet})));

interface LabProps {
  id: string;
  preset: ScenarioParams;
  /** The knobs and rows at the preset, computed by the build: shown until the Worker has run. */
  initial: LabStart | null;
  /** False until the lab comes near the viewport: the Worker is not asked before. */
  enabled: boolean;
  onState: (state: SimState) => void;
}

/** Waits this long after the last keystroke before rerunning, so typing "12" runs once. */
const SETTLE_MS = 250;

export default function Lab({id, preset, initial, enabled, onState}: LabProps): ReactNode {
  const info = useSim(enabled, 'scenarioInfo', id);
  const scenario = info.value ?? initial?.info ?? null;
  const knobs = scenario?.knobs ?? [];
  // Keyed by content: MDX passes a new preset object on every render, and the Worker's info is a
  // new object equal to the build's; a new `start` would throw away the learner's knob edits.
  const presetKey = JSON.stringify(preset);
  const scenarioKey = JSON.stringify(scenario);
  const start = useMemo(
    () => ({...(JSON.parse(scenarioKey) as typeof scenario)?.defaults, ...(JSON.parse(presetKey) as ScenarioParams)}),
    [scenarioKey, presetKey],
  );
  const draftsOf = (params: ScenarioParams) => Object.fromEntries(knobs.map((name) => [name, String(params[name])]));
  const [drafts, setDrafts] = useState<Partial<Record<KnobName, string>>>(() => (initial ? draftsOf(start) : {}));
  const [params, setParams] = useState<ScenarioParams | null>(initial ? start : null);

  // Once the scenario's knobs are known, start from the preset (the build's first run already
  // did: then nothing changes, and the lab is not drawn again as the page starts).
  useEffect(() => {
    if (scenarioKey === 'null') return;
    const startDrafts = draftsOf(start);
    setDrafts((previous) => (JSON.stringify(previous) === JSON.stringify(startDrafts) ? previous : startDrafts));
    setParams(start);
  }, [scenarioKey, start]); // `knobs` and `draftsOf` follow `scenarioKey`

  const problems = Object.fromEntries(
    knobs.map((name) => {
      const text = drafts[name] ?? '';
      const maximum = scenario?.maxima[name];
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
  const result = useSim(enabled && params !== null, 'runScenario', id, params ?? {}, watching);
  // How long the last run took, from the Worker call to the drawn result (effects run after the
  // commit): the bench's figure for a knob change.
  const [runMs, setRunMs] = useState<number | null>(null);
  useEffect(() => {
    if (result.value !== null) setRunMs(Math.round(performance.now() - result.startedAt));
  }, [result.value, result.startedAt]);

  const state: SimState = !enabled ? 'idle' : info.state === 'error' ? 'error' : params === null ? 'running' : result.state;
  // The Worker's rows once it has answered; the build's until then (the same, for the preset).
  const rows = result.value?.rows ?? initial?.rows ?? null;
  useEffect(() => onState(state), [state, onState]);

  const error = info.error ?? result.error;
  return (
    <div className={styles.body} data-run-ms={runMs ?? undefined}>
      {scenario && <p className={styles.description}>{scenario.description}</p>}
      <form className={styles.knobs} onSubmit={(event) => event.preventDefault()} aria-label="Knobs">
        {knobs.map((name) => (
          <Knob key={name} name={name} draft={drafts[name] ?? null} problem={problems[name]} max={scenario?.maxima[name]} onChange={(text) => setDrafts((previous) => ({...previous, [name]: text}))} />
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
      {rows && <Results rows={rows} stale={result.state === 'running' && result.value !== null} drawChart={enabled} />}
      {rows && (
        <div className={styles.watch}>
          <button type="button" className="button button--sm button--outline button--primary" aria-expanded={watching} onClick={() => setWatching((shown) => !shown)}>
            {watching ? 'Hide the timeline' : 'Watch the runs on a timeline'}
          </button>
          {watching &&
            result.value !== null &&
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

function Results({rows, stale, drawChart}: {rows: ScenarioRow[]; stale: boolean; drawChart: boolean}): ReactNode {
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
      {unit !== null && charted.length > 1 && <RowsChart rows={charted} unit={unit} describedBy={captionId} draw={drawChart} />}
    </div>
  );
}

const signed = (percent: number): string => (Number.isFinite(percent) ? `${percent >= 0 ? '+' : '−'}${Math.abs(Math.round(percent))} %` : 'the seed claims 0');
