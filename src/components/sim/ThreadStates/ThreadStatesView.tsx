import {useEffect, useId, useLayoutEffect, useMemo, useRef, useState, type ReactNode} from 'react';
import {knobProblem, type KnobName, type ScenarioParams} from '../../../sim/scenarios/types';
import type {ThreadTransition} from '../../../sim/thread-states';
import {useSim, type SimState} from '../useSim';
import {BLOCKED_BOX, EDGES, edgeOf, HEIGHT, LANE_LABELS, NODES, nodeById, nodeOf, WIDTH, type NodeId} from './diagram';
import Knob from '../Knob';
import styles from './styles.module.css';

const KNOBS: KnobName[] = ['delay', 'cores'];
const KNOB_HELP: Partial<Record<KnobName, string>> = {delay: 'how long the blocking read waits', cores: 'CPU cores of the machine'};
/** Transitions per second while playing. */
const SPEEDS = [0.5, 1, 2, 4];
/** Waits this long after the last keystroke before rerunning, so typing "0.25" runs once. */
const SETTLE_MS = 250;
const TOKEN_SPACING = 20;

const milliseconds = (us: number): string => (us / 1000).toFixed(3);

/** Why, in words: what a blocked thread waits for, who woke it, which core it got. */
function why(transition: ThreadTransition): string {
  if (transition.to === 'blocked') return `waits for ${nodeById(nodeOf('blocked', transition.wait)).label}`;
  if (transition.to === 'running' && transition.core !== null) return `on core ${transition.core}`;
  return transition.reason ?? '';
}

function announcement(transitions: ThreadTransition[], shown: number): string {
  if (transitions.length === 0) return '';
  if (shown === 0) return `Before the first of ${transitions.length} state changes: every thread is new.`;
  const transition = transitions[shown - 1];
  const because = why(transition);
  return `Step ${shown} of ${transitions.length}, at ${milliseconds(transition.atUs)} ms: ${transition.thread} ${transition.from} → ${transition.to}${because ? ` (${because})` : ''}.`;
}

/** Where each thread is after the first `shown` transitions, and how often each edge was taken. */
function snapshot(threads: string[], transitions: ThreadTransition[], shown: number) {
  const at = new Map<string, NodeId>(threads.map((thread) => [thread, 'new']));
  const counts = new Map<string, number>();
  for (const transition of transitions.slice(0, shown)) {
    at.set(transition.thread, nodeOf(transition.to, transition.to === 'blocked' ? transition.wait : null));
    const edge = edgeOf(transition);
    if (edge !== null) counts.set(edge.id, (counts.get(edge.id) ?? 0) + 1);
  }
  return {at, counts};
}

function tokenPosition(node: NodeId, index: number, count: number): {x: number; y: number} {
  const {slot} = nodeById(node);
  return {x: slot.x + (index - (count - 1) / 2) * TOKEN_SPACING, y: slot.y};
}

/** A box in words: `blocked on I/O`. */
function where(node: NodeId): string {
  return node.startsWith('blocked:') ? `blocked on ${nodeById(node).label}` : node;
}

const translate = ({x, y}: {x: number; y: number}): string => `translate(${x}px, ${y}px)`;

export default function ThreadStatesView({onState}: {onState: (state: SimState) => void}): ReactNode {
  const [drafts, setDrafts] = useState<Partial<Record<KnobName, string>>>({});
  const [params, setParams] = useState<ScenarioParams>({});
  const run = useSim(true, 'threadLifecycleTransitions', params);
  const data = run.value;

  // The first run uses the scenario's defaults; the knobs start from them.
  useEffect(() => {
    if (data !== null && Object.keys(drafts).length === 0) setDrafts({delay: String(data.params.delay), cores: String(data.params.cores)});
  }, [data, drafts]);

  const problems = Object.fromEntries(
    KNOBS.map((name) => {
      const text = drafts[name];
      if (text === undefined) return [name, null];
      // An empty field is as wrong as a bad number: the same message says what is expected.
      return [name, knobProblem(name, text.trim() === '' ? Number.NaN : Number(text))];
    }),
  ) as Record<KnobName, string | null>;
  const valid = KNOBS.every((name) => problems[name] === null);

  useEffect(() => {
    if (!valid || drafts.delay === undefined || drafts.cores === undefined) return;
    const next = {delay: Number(drafts.delay), cores: Number(drafts.cores)};
    const timer = setTimeout(() => setParams((previous) => (previous.delay === next.delay && previous.cores === next.cores ? previous : next)), SETTLE_MS);
    return () => clearTimeout(timer);
  }, [drafts, valid]);

  useEffect(() => onState(run.state), [run.state, onState]);

  const transitions = useMemo(() => data?.transitions ?? [], [data]);
  const threads = useMemo(() => data?.threads ?? [], [data]);
  const [step, setStep] = useState(0);
  const shown = Math.min(step, transitions.length);
  const [playing, setPlaying] = useState(false);
  const [speed, setSpeed] = useState(1);

  useEffect(() => {
    if (!playing) return;
    if (shown >= transitions.length) {
      setPlaying(false);
      return;
    }
    const timer = setTimeout(() => setStep(shown + 1), 1000 / speed);
    return () => clearTimeout(timer);
  }, [playing, shown, speed, transitions.length]);

  const {at, counts} = useMemo(() => snapshot(threads, transitions, shown), [threads, transitions, shown]);
  const current = shown > 0 ? transitions[shown - 1] : null;
  const currentEdge = current ? edgeOf(current) : null;

  // A step forward by one moves the token along its edge; any other jump just places it.
  const tokens = useRef(new Map<string, SVGGElement>());
  const paths = useRef(new Map<string, SVGPathElement>());
  const previous = useRef({shown, transitions});
  useLayoutEffect(() => {
    const before = previous.current;
    previous.current = {shown, transitions};
    if (before.transitions !== transitions || shown !== before.shown + 1 || current === null || currentEdge === null) return;
    if (window.matchMedia('(prefers-reduced-motion: reduce)').matches) return;
    const token = tokens.current.get(current.thread);
    const path = paths.current.get(currentEdge.id);
    if (!token || !path) return;
    const index = threads.indexOf(current.thread);
    const length = path.getTotalLength();
    const along = Array.from({length: 13}, (_, k) => path.getPointAtLength((length * k) / 12));
    const frames = [tokenPosition(currentEdge.from, index, threads.length), ...along, tokenPosition(currentEdge.to, index, threads.length)];
    token.animate(
      frames.map((point) => ({transform: translate(point)})),
      {duration: Math.min(600, 800 / speed), easing: 'ease-in-out'},
    );
  }, [shown, transitions, current, currentEdge, threads, speed]);

  // Keep the current row of the table in view inside its own box (never scrolling the page).
  const tableBox = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const box = tableBox.current;
    const row = box?.querySelector<HTMLTableRowElement>('tr[aria-current]');
    if (!box || !row) return;
    if (row.offsetTop < box.scrollTop + 40 || row.offsetTop + row.offsetHeight > box.scrollTop + box.clientHeight) box.scrollTop = row.offsetTop - 40;
  }, [shown]);

  const id = useId().replace(/[^a-zA-Z0-9_-]/g, '');
  const tableCaptionId = `${id}-table`;

  const goTo = (next: number) => {
    setPlaying(false);
    setStep(Math.max(0, Math.min(transitions.length, next)));
  };

  return (
    <div className={styles.body}>
      <form className={styles.knobs} onSubmit={(event) => event.preventDefault()} aria-label="Knobs">
        {KNOBS.map((name) => (
          <Knob key={name} name={name} draft={drafts[name] ?? null} problem={problems[name]} help={KNOB_HELP[name]} onChange={(text) => setDrafts((before) => ({...before, [name]: text}))} />
        ))}
      </form>

      <div className={styles.controls} role="group" aria-label="Playback">
        <button type="button" className="button button--sm button--primary" data-testid="play" disabled={transitions.length === 0} onClick={() => {
          if (!playing && shown >= transitions.length) setStep(0);
          setPlaying(!playing);
        }}>
          {playing ? 'Pause' : 'Play'}
        </button>
        <button type="button" className="button button--sm button--secondary" data-testid="step-back" aria-label="Step back" disabled={shown === 0} onClick={() => goTo(shown - 1)}>
          ◀
        </button>
        <button type="button" className="button button--sm button--secondary" data-testid="step-forward" aria-label="Step forward" disabled={shown >= transitions.length} onClick={() => goTo(shown + 1)}>
          ▶
        </button>
        <label className={styles.speed}>
          Speed{' '}
          <select value={speed} onChange={(event) => setSpeed(Number(event.target.value))}>
            {SPEEDS.map((value) => (
              <option key={value} value={value}>
                {value} {value === 1 ? 'step' : 'steps'}/s
              </option>
            ))}
          </select>
        </label>
        <label className={styles.scrubber}>
          <span>Step</span>
          <input
            type="range"
            data-testid="scrubber"
            min={0}
            max={transitions.length}
            step={1}
            value={shown}
            disabled={transitions.length === 0}
            aria-valuetext={announcement(transitions, shown)}
            onChange={(event) => goTo(Number(event.target.value))}
          />
          <span className={styles.stepCount} aria-hidden="true">
            {shown}/{transitions.length}
          </span>
        </label>
      </div>

      {run.error && (
        <p className={styles.error} role="alert">
          {run.error}
        </p>
      )}

      <figure className={styles.figure} aria-busy={run.state === 'running'}>
        <div className={styles.diagramBox}>
          <svg
            className={styles.diagram}
            viewBox={`0 0 ${WIDTH} ${HEIGHT}`}
            role="group"
            aria-label="Thread state diagram: boxes are states, arrows the changes between them, each with how often it has been taken so far"
            data-testid="thread-states-diagram"
          >
            <defs>
              <marker id={`${id}-arrow`} viewBox="0 0 10 10" refX="9" refY="5" markerUnits="userSpaceOnUse" markerWidth="10" markerHeight="10" orient="auto-start-reverse">
                <path d="M 0 0 L 10 5 L 0 10 z" className={styles.arrowHead} />
              </marker>
              <marker id={`${id}-arrow-current`} viewBox="0 0 10 10" refX="9" refY="5" markerUnits="userSpaceOnUse" markerWidth="10" markerHeight="10" orient="auto-start-reverse">
                <path d="M 0 0 L 10 5 L 0 10 z" className={styles.arrowHeadCurrent} />
              </marker>
            </defs>
            <g aria-hidden="true">
              <rect className={styles.blockedBox} x={BLOCKED_BOX.x} y={BLOCKED_BOX.y} width={BLOCKED_BOX.width} height={BLOCKED_BOX.height} rx="10" />
              <text className={styles.blockedTitle} x={BLOCKED_BOX.x + BLOCKED_BOX.width / 2} y={BLOCKED_BOX.titleY} textAnchor="middle">
                blocked, waiting for
              </text>
              {LANE_LABELS.map((label) => (
                <text key={label.text} className={styles.edgeLabel} x={label.x} y={label.y} textAnchor={label.anchor}>
                  {label.text}
                </text>
              ))}
            </g>
            {NODES.map((node) => {
              const here = threads.filter((thread) => at.get(thread) === node.id);
              return (
                <g key={node.id} role="img" aria-label={`${node.spoken}${here.length > 0 ? `. Here now: ${here.join(', ')}` : ''}`} data-node={node.id} className={here.length > 0 ? styles.occupied : undefined}>
                  <rect className={node.row ? styles.row : styles.node} x={node.x - node.width / 2} y={node.y - node.height / 2} width={node.width} height={node.height} rx={node.row ? 6 : 10} />
                  <text className={node.row ? styles.rowLabel : styles.nodeLabel} x={node.row ? node.x - node.width / 2 + 10 : node.x} y={node.row ? node.y + 5 : node.y - 5} textAnchor={node.row ? 'start' : 'middle'}>
                    {node.label}
                  </text>
                </g>
              );
            })}
            {EDGES.map((edge) => {
              const count = counts.get(edge.id) ?? 0;
              const isCurrent = currentEdge?.id === edge.id;
              return (
                <g key={edge.id} role="img" aria-label={`${edge.spoken}: taken ${count} ${count === 1 ? 'time' : 'times'}${isCurrent ? ', the current step' : ''}`} data-edge={edge.id} data-count={count} className={isCurrent ? styles.current : undefined}>
                  <path
                    ref={(element) => {
                      if (element) paths.current.set(edge.id, element);
                      else paths.current.delete(edge.id);
                    }}
                    className={styles.edge}
                    d={edge.path}
                    markerEnd={`url(#${id}-arrow${isCurrent ? '-current' : ''})`}
                  />
                  {edge.label && edge.labelAt && (
                    <text className={styles.edgeLabel} x={edge.labelAt.x} y={edge.labelAt.y} textAnchor={edge.labelAt.anchor}>
                      {edge.label}
                    </text>
                  )}
                  <circle className={count > 0 ? styles.badge : styles.badgeUnused} cx={edge.badge.x} cy={edge.badge.y} r="9" />
                  <text className={styles.badgeText} x={edge.badge.x} y={edge.badge.y + 4} textAnchor="middle">
                    {count}
                  </text>
                </g>
              );
            })}
            {threads.map((thread, index) => {
              const node = at.get(thread) ?? 'new';
              return (
                <g
                  key={thread}
                  aria-hidden="true"
                  data-token={thread}
                  data-node={node}
                  className={`${styles.token} ${styles[`token${index % 4}`]}`}
                  style={{transform: translate(tokenPosition(node, index, threads.length))}}
                  ref={(element) => {
                    if (element) tokens.current.set(thread, element);
                    else tokens.current.delete(thread);
                  }}
                >
                  <circle r="9" />
                  <text y="4" textAnchor="middle">
                    {thread[0]}
                  </text>
                </g>
              );
            })}
          </svg>
        </div>
      </figure>

      <p className={styles.announcement} role="status" data-testid="thread-states-announcement">
        {announcement(transitions, shown)}
      </p>

      <ul className={styles.legend} aria-label="Threads">
        {threads.map((thread, index) => (
          <li key={thread} className={styles.legendItem}>
            <svg className={`${styles.legendToken} ${styles[`token${index % 4}`]}`} viewBox="-10 -10 20 20" aria-hidden="true">
              <circle r="9" />
              <text y="4" textAnchor="middle">
                {thread[0]}
              </text>
            </svg>{' '}
            {thread}: {where(at.get(thread) ?? 'new')}
          </li>
        ))}
      </ul>

      <div ref={tableBox} className={styles.tableBox} tabIndex={0} role="region" aria-labelledby={tableCaptionId}>
        <table className={styles.table} data-testid="transitions-table">
          <caption id={tableCaptionId}>Every state change of the run</caption>
          <thead>
            <tr>
              <th scope="col">Step</th>
              <th scope="col">At (ms)</th>
              <th scope="col">Thread</th>
              <th scope="col">From</th>
              <th scope="col">To</th>
              <th scope="col">Why</th>
            </tr>
          </thead>
          <tbody>
            {transitions.map((transition, index) => (
              <tr key={index} aria-current={index === shown - 1 ? 'step' : undefined} data-thread={transition.thread} data-reason={transition.reason ?? ''} data-at-us={transition.atUs}>
                <th scope="row">{index + 1}</th>
                <td>{milliseconds(transition.atUs)}</td>
                <td>{transition.thread}</td>
                <td>{transition.from === 'blocked' ? `blocked (${transition.wait})` : transition.from}</td>
                <td>{transition.to === 'blocked' ? `blocked (${transition.wait})` : transition.to}</td>
                <td>{why(transition)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </div>
  );
}
