import {useEffect, useId, useRef, useState, type ReactNode} from 'react';
import type {WaitCostCurves, WaitSeries} from '../../../sim/multiplexing';
import {knobProblem} from '../../../sim/scenarios/types';
import {useSim, type SimState} from '../useSim';
import Knob from '../Knob';
import styles from './styles.module.css';

/** Waits this long after the last keystroke before rerunning, so typing "100" runs once. */
const SETTLE_MS = 250;
const COLOUR: Record<string, string> = {select: 'var(--mx-select)', poll: 'var(--mx-poll)', epoll: 'var(--mx-epoll)'};
const SYMBOL: Record<string, string> = {select: 'square', poll: 'triangle', epoll: 'circle'};
const SYMBOL_TEXT: Record<string, string> = {select: '■', poll: '▲', epoll: '●'};

const microseconds = (us: number): string => (us >= 100 ? us.toFixed(0) : us >= 10 ? us.toFixed(1) : us.toFixed(2));
const count = (n: number): string => n.toLocaleString('en-US');

const seriesOf = (curves: WaitCostCurves, kind: string): WaitSeries => curves.series.find((series) => series.kind === kind)!;
const costAt = (series: WaitSeries, watched: number) => series.points.find((point) => point.watched === watched) ?? null;

/** The chart in sentences: the text alternative beside the table. */
function summary(curves: WaitCostCurves): string[] {
  const [select, poll, epoll] = ['select', 'poll', 'epoll'].map((kind) => seriesOf(curves, kind));
  const at = (series: WaitSeries, watched: number) => costAt(series, watched)!;
  const lastPoll = poll.points.at(-1)!;
  const lastEpoll = epoll.points.at(-1)!;
  return [
    `With ${count(curves.ready)} ${curves.ready === 1 ? 'fd' : 'fds'} ready per call, one call over 1,000 watched fds costs ${microseconds(at(select, 1000).costUs)} µs with select, ${microseconds(at(poll, 1000).costUs)} µs with poll and ${microseconds(at(epoll, 1000).costUs)} µs with epoll; select copies ${count(at(select, 1000).copiedBytes)} bytes of fd sets in and out, poll ${count(at(poll, 1000).copiedBytes)} bytes of pollfd structs, epoll ${count(at(epoll, 1000).copiedBytes)} bytes, only for the ready fds.`,
    `From 100 to 1,000 watched fds, select’s cost grows ${(at(select, 1000).costUs / at(select, 100).costUs).toFixed(1)}× and poll’s ${(at(poll, 1000).costUs / at(poll, 100).costUs).toFixed(1)}×: both scan every watched fd on every call. At ${count(lastPoll.watched)} fds poll takes ${microseconds(lastPoll.costUs)} µs, while epoll still takes ${microseconds(lastEpoll.costUs)} µs: its cost follows the ready fds, not the watched ones.`,
  ];
}

export default function ChartView({onState}: {onState: (state: SimState) => void}): ReactNode {
  const [draft, setDraft] = useState<string | null>(null);
  const [ready, setReady] = useState<number | null>(null);
  const run = useSim(true, 'waitCostCurves', ready === null ? {} : {n: ready});
  const curves = run.value;

  // The first run uses the scenario's default; the knob starts from it.
  useEffect(() => {
    if (curves !== null && draft === null) setDraft(String(curves.ready));
  }, [curves, draft]);

  const problem = draft === null ? null : knobProblem('n', draft.trim() === '' ? Number.NaN : Number(draft));
  useEffect(() => {
    if (draft === null || problem !== null) return;
    const timer = setTimeout(() => setReady(Number(draft)), SETTLE_MS);
    return () => clearTimeout(timer);
  }, [draft, problem]);

  useEffect(() => onState(run.state), [run.state, onState]);

  const id = useId().replace(/[^a-zA-Z0-9_-]/g, '');
  const [tableShown, setTableShown] = useState(false);
  const select = curves ? seriesOf(curves, 'select') : null;

  return (
    <div>
      <form className={styles.knobs} onSubmit={(event) => event.preventDefault()} aria-label="Knobs">
        <Knob name="n" label="n: fds ready per call" help="(of those watched; epoll pays for these)" draft={draft} problem={problem} onChange={setDraft} />
      </form>

      {run.error && (
        <p className={styles.error} role="alert">
          {run.error}
        </p>
      )}

      <figure className={styles.figure} aria-busy={run.state === 'running'}>
        {curves ? <Chart curves={curves} describedBy={`${id}-error ${id}-summary`} /> : <div className={styles.chartBox} />}
        <figcaption>
          <ul className={styles.legend} aria-label="Series">
            {['select', 'poll', 'epoll'].map((kind) => (
              <li key={kind} className={styles.legendItem}>
                <span className={styles[`swatch${kind}`]} aria-hidden="true">
                  {SYMBOL_TEXT[kind]}
                </span>{' '}
                {kind}
              </li>
            ))}
            <li className={styles.legendItem}>
              <span className={styles.swatchError} aria-hidden="true">
                ✕
              </span>{' '}
              ValueError
            </li>
          </ul>
        </figcaption>
      </figure>

      <p className={styles.errorNote} id={`${id}-error`} data-testid="select-error">
        {select?.failure && (
          <>
            select stops at {count(select.points.at(-1)!.watched)} watched fds: with fds 0–2 taken by stdin, stdout and stderr, the highest is fd {count(curves!.fdSetSize - 1)}; one more raises{' '}
            <code>
              {select.failure.pythonType}: {select.failure.message}
            </code>
          </>
        )}
      </p>

      <div className={styles.summary} id={`${id}-summary`} data-testid="multiplexing-summary-text">
        {curves && summary(curves).map((sentence) => <p key={sentence.slice(0, 40)}>{sentence}</p>)}
      </div>

      <div className={styles.toggleRow}>
        <button type="button" className="button button--sm button--secondary" aria-expanded={tableShown} aria-controls={`${id}-table`} data-testid="table-toggle" onClick={() => setTableShown(!tableShown)}>
          {tableShown ? 'Hide the table' : 'Show the numbers as a table'}
        </button>
      </div>
      <div id={`${id}-table`} hidden={!tableShown}>
        {curves && tableShown && <CostTable curves={curves} />}
      </div>
    </div>
  );
}

function CostTable({curves}: {curves: WaitCostCurves}): ReactNode {
  const captionId = useId();
  const select = seriesOf(curves, 'select');
  const counts = [...new Set([...curves.series.flatMap((series) => series.points.map((point) => point.watched)), ...(select.failure ? [select.failure.watched] : [])])].sort((a, b) => a - b);
  const cell = (series: WaitSeries, watched: number): string => {
    const point = costAt(series, watched);
    if (point) return `${microseconds(point.costUs)} µs`;
    if (series.failure && watched >= series.failure.watched) return series.failure.pythonType;
    return '—';
  };
  return (
    <div className="table-scroll" tabIndex={0} role="region" aria-labelledby={captionId}>
      <table className={styles.table} data-testid="cost-table">
        <caption id={captionId}>
          Cost of one wait call in microseconds, {count(curves.ready)} {curves.ready === 1 ? 'fd' : 'fds'} ready per call (— : not measured at that count)
        </caption>
        <thead>
          <tr>
            <th scope="col">Watched fds</th>
            {curves.series.map((series) => (
              <th key={series.kind} scope="col">
                {series.kind}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {counts.map((watched) => (
            <tr key={watched} data-watched={watched}>
              <th scope="row">{count(watched)}</th>
              {curves.series.map((series) => (
                <td key={series.kind} data-kind={series.kind}>
                  {cell(series, watched)}
                </td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/** The curves on log–log axes, drawn by Observable Plot (loaded here, never in the page's first bundle). */
function Chart({curves, describedBy}: {curves: WaitCostCurves; describedBy: string}): ReactNode {
  const box = useRef<HTMLDivElement>(null);
  const [width, setWidth] = useState(0);

  useEffect(() => {
    const element = box.current;
    if (!element) return;
    const observer = new ResizeObserver(() => setWidth(Math.round(element.clientWidth)));
    observer.observe(element);
    return () => observer.disconnect();
  }, []);

  useEffect(() => {
    const element = box.current;
    if (!element || width === 0) return;
    let cancelled = false;
    void import('@observablehq/plot').then((Plot) => {
      if (cancelled) return;
      const points = curves.series.flatMap((series) => series.points.map((point) => ({...point, kind: series.kind})));
      const ends = curves.series.map((series) => ({...series.points.at(-1)!, kind: series.kind}));
      const select = seriesOf(curves, 'select');
      const failure = select.failure ? [{watched: select.failure.watched, costUs: select.points.at(-1)!.costUs, text: select.failure.pythonType}] : [];
      const narrow = width < 480;
      const chart = Plot.plot({
        width,
        height: element.clientHeight,
        marginLeft: 52,
        marginRight: narrow ? 44 : 52,
        marginBottom: 42,
        style: {fontSize: narrow ? '11px' : '12px'},
        x: {type: 'log', label: 'watched fds →', domain: [1, 10_000], grid: true, tickFormat: (value: number) => (Number.isInteger(Math.log10(value)) ? count(value) : '')},
        y: {type: 'log', label: '↑ µs per wait call', grid: true},
        color: {domain: ['select', 'poll', 'epoll'], range: [COLOUR.select, COLOUR.poll, COLOUR.epoll]},
        symbol: {domain: ['select', 'poll', 'epoll'], range: [SYMBOL.select, SYMBOL.poll, SYMBOL.epoll]},
        ariaLabel: `Line chart, log scales: microseconds per wait call against watched fds for select, poll and epoll, ${curves.ready} ready per call`,
        ariaDescription: 'The sentences below the chart and the table behind “Show the numbers as a table” hold the same numbers.',
        marks: [
          Plot.ruleX([curves.fdSetSize], {stroke: 'var(--mx-error)', strokeDasharray: '4 3'}),
          Plot.text([curves.fdSetSize], {x: (value: number) => value, frameAnchor: 'top', dy: 4, dx: -4, textAnchor: 'end', text: () => `FD_SETSIZE ${curves.fdSetSize}`, fill: 'var(--mx-error)'}),
          Plot.line(points, {x: 'watched', y: 'costUs', z: 'kind', stroke: 'kind', strokeWidth: 2, title: 'kind'}),
          Plot.dot(points, {x: 'watched', y: 'costUs', stroke: 'kind', fill: 'kind', symbol: 'kind', r: 3, title: (p: (typeof points)[number]) => `${p.kind}: ${count(p.watched)} fds watched, ${p.ready} ready → ${microseconds(p.costUs)} µs`}),
          Plot.dot(failure, {x: 'watched', y: 'costUs', symbol: 'times', r: 8, stroke: 'var(--mx-error)', strokeWidth: 3, title: () => `select at ${count(select.failure!.watched)} fds: ${select.failure!.pythonType}: ${select.failure!.message}`}),
          Plot.text(failure, {x: 'watched', y: 'costUs', text: 'text', dx: -10, dy: -12, textAnchor: 'end', fill: 'var(--mx-error)', fontWeight: 700}),
          Plot.text(ends, {x: 'watched', y: 'costUs', text: 'kind', dx: 6, dy: -8, textAnchor: 'start', fill: 'kind', fontWeight: 700, clip: false}),
        ],
      });
      // One image with one label: Plot names its mark groups with aria-label, which axe forbids on a bare <g>.
      chart.setAttribute('role', 'img');
      chart.querySelectorAll('[aria-label]').forEach((group) => group.removeAttribute('aria-label'));
      // The series, named for tests and tools; the line's <title> says which it is.
      chart.querySelectorAll('path').forEach((path) => {
        const title = path.querySelector('title')?.textContent;
        if (title === 'select' || title === 'poll' || title === 'epoll') path.setAttribute('data-series', title);
      });
      if (failure.length > 0) chart.setAttribute('data-select-fails-at', String(select.failure!.watched));
      chart.setAttribute('aria-describedby', describedBy);
      element.replaceChildren(chart);
    });
    return () => {
      cancelled = true;
    };
  }, [curves, width, describedBy]);

  return <div ref={box} className={styles.chartBox} data-testid="multiplexing-chart" />;
}
