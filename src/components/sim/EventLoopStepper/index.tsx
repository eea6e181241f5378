import {startTransition, useEffect, useRef, useState, type KeyboardEvent, type ReactNode} from 'react';
import {duration, stepperPrograms} from '@site/src/sim/asyncio/stepper-programs';
import type {LoopStep} from '@site/src/sim/asyncio/stepper';
import {useSim, type SimState} from '../useSim';
import {useNearViewport} from '../../useNearViewport';
import SourceView, {type LineMarks} from './SourceView';
import PanelsPlaceholder from './PanelsPlaceholder';
import styles from './styles.module.css';

type PanelsModule = typeof import('./Panels');

/** The step buttons' icons, drawn rather than taken from a font that may lack ⏮ and ⏭. */
const icons = {
  first: 'M3 2h2v12H3zM14 2v12L6 8z',
  back: 'M12 2v12L4 8z',
  step: 'M4 2v12l8-6z',
  last: 'M11 2h2v12h-2zM2 2v12l8-6z',
};

function Icon({path}: {path: string}): ReactNode {
  return (
    <svg className={styles.icon} viewBox="0 0 16 16" aria-hidden="true" focusable="false">
      <path d={path} fill="currentColor" />
    </svg>
  );
}

/** The REPRODUCTION.md scenario this stepper shows (the other programs are the stepper's own). */
const SCENARIO_ID = 'event-loop-anatomy';

export interface EventLoopStepperProps {
  /** The program shown first (an id of stepper-programs.ts). */
  program?: string;
  /** Names this stepper's saved position: `course:event-loop-stepper:<id>` in localStorage. */
  id?: string;
}

interface SavedPosition {
  program: string;
  step: number;
}

const storageKey = (id: string) => `course:event-loop-stepper:${id}`;

function readPosition(id: string): SavedPosition | null {
  try {
    const saved = JSON.parse(window.localStorage.getItem(storageKey(id)) ?? 'null') as Partial<SavedPosition> | null;
    if (saved === null || typeof saved.program !== 'string' || !Number.isInteger(saved.step) || saved.step! < 0) return null;
    return stepperPrograms.some((program) => program.id === saved.program) ? {program: saved.program, step: saved.step!} : null;
  } catch {
    return null;
  }
}

function writePosition(id: string, position: SavedPosition): void {
  try {
    window.localStorage.setItem(storageKey(id), JSON.stringify(position));
  } catch {
    // Storage full or disabled: the position is simply not kept.
  }
}

/** The first step of the iteration after `current`'s, or the last step. */
function nextIterationStart(steps: LoopStep[], current: number): number {
  const found = steps.findIndex((step, index) => index > current && step.phase === 'select');
  return found === -1 ? steps.length - 1 : found;
}

/** The first step of `current`'s iteration, or of the one before when already there. */
function previousIterationStart(steps: LoopStep[], current: number): number {
  for (let index = current - 1; index >= 0; index -= 1) if (steps[index].phase === 'select') return index;
  return 0;
}

/** Where the tasks are suspended, for the source view; the task the current handle ran is marked as current. */
function lineMarks(step: LoopStep | null): LineMarks {
  const marks: LineMarks = new Map();
  for (const task of step?.tasks ?? []) {
    if (task.line === null) continue;
    const mark = marks.get(task.line) ?? {tasks: [], current: false};
    mark.tasks.push(task.name);
    if (step?.handle?.task === task.name) mark.current = true;
    marks.set(task.line, mark);
  }
  return marks;
}

/**
 * A debugger for asyncio's BaseEventLoop._run_once: steps forwards and backwards through every
 * phase of every loop iteration of a small program, showing the ready queue, the timer heap, the
 * selector and each task. The snapshots come from the simulator, run in its Worker.
 */
export default function EventLoopStepper({program: initialProgram = SCENARIO_ID, id = 'lab'}: EventLoopStepperProps): ReactNode {
  const ref = useRef<HTMLElement>(null);
  const near = useNearViewport(ref);
  const [program, setProgram] = useState(() => (stepperPrograms.some((candidate) => candidate.id === initialProgram) ? initialProgram : SCENARIO_ID));
  const [step, setStep] = useState(0);
  const [hydrated, setHydrated] = useState(false);

  // Server rendering has no localStorage: the saved position is applied after hydration, in a
  // transition, as the page's other late states are.
  useEffect(() => {
    const saved = readPosition(id);
    startTransition(() => {
      if (saved !== null) {
        setProgram(saved.program);
        setStep(saved.step);
      }
      setHydrated(true);
    });
  }, [id]);
  useEffect(() => {
    if (hydrated) writePosition(id, {program, step});
  }, [hydrated, id, program, step]);

  // The panels' code and the simulation load when the stepper comes near the viewport.
  const [panels, setPanels] = useState<PanelsModule | null>(null);
  useEffect(() => {
    if (near) void import('./Panels').then(setPanels);
  }, [near]);
  const call = useSim(near && hydrated, 'loopSteps', program);
  const info = stepperPrograms.find((candidate) => candidate.id === program)!;
  // While another program is being simulated, the previous program's steps must not show.
  const steps = call.value?.program.id === program ? call.value.steps : null;
  const output = steps !== null ? call.value!.output : [];
  const last = steps === null ? 0 : steps.length - 1;
  const index = Math.min(step, last);
  const current = steps?.[index] ?? null;
  // Done once the steps of this program are on screen.
  const state: SimState = call.state === 'done' && (steps === null || panels === null) ? 'running' : call.state;

  // From the latest position, not this render's: key presses can come faster than renders.
  const go = (target: (from: number) => number) => {
    if (steps !== null) setStep((previous) => Math.max(0, Math.min(last, target(Math.min(previous, last)))));
  };
  const onKeyDown = (event: KeyboardEvent<HTMLElement>) => {
    if (steps === null || event.altKey || event.ctrlKey || event.metaKey || event.shiftKey) return;
    // The slider and the program picker keep their own keys.
    if ((event.target as HTMLElement).closest('input, select, textarea')) return;
    const targets: Record<string, (from: number) => number> = {
      ArrowRight: (from) => from + 1,
      ArrowLeft: (from) => from - 1,
      Home: () => 0,
      End: () => last,
      PageDown: (from) => nextIterationStart(steps, from),
      PageUp: (from) => previousIterationStart(steps, from),
    };
    if (!(event.key in targets)) return;
    event.preventDefault();
    go(targets[event.key]);
  };

  const ready = steps !== null;
  const position = current !== null ? `Step ${index + 1} of ${steps!.length} · t = ${duration(current.timeUs)}` : state === 'error' ? 'The simulation failed.' : 'Loading the simulation…';

  return (
    <section
      ref={ref}
      className={styles.stepper}
      data-sim={program === SCENARIO_ID ? SCENARIO_ID : undefined}
      data-program={program}
      data-state={state}
      data-step={index}
      data-testid="event-loop-stepper"
      aria-label="Event loop stepper"
      onKeyDown={onKeyDown}>
      <div className={styles.header}>
        <label className={styles.picker}>
          <span>Program</span>
          <select
            value={program}
            data-testid="stepper-program"
            onChange={(event) => {
              setProgram(event.target.value);
              setStep(0);
            }}>
            {stepperPrograms.map((candidate) => (
              <option key={candidate.id} value={candidate.id}>
                {candidate.title}
              </option>
            ))}
          </select>
        </label>
        <p className={styles.summary}>{info.summary}</p>
      </div>

      <div className={styles.controls} role="group" aria-label="Step through the loop (keys: ← → step, Home End first and last, Page Up Page Down by iteration)">
        <button type="button" className="button button--secondary button--sm" aria-label="First step" title="First step (Home)" data-testid="stepper-first" disabled={!ready || index === 0} onClick={() => go(() => 0)}>
          <Icon path={icons.first} />
        </button>
        <button type="button" className="button button--secondary button--sm" aria-label="Previous step" title="Previous step (←)" data-testid="stepper-back" disabled={!ready || index === 0} onClick={() => go((from) => from - 1)}>
          <Icon path={icons.back} />
        </button>
        <button type="button" className="button button--primary button--sm" aria-label="Next step" title="Next step (→)" data-testid="stepper-step" disabled={!ready || index === last} onClick={() => go((from) => from + 1)}>
          <Icon path={icons.step} />
        </button>
        <button type="button" className="button button--secondary button--sm" aria-label="Last step" title="Last step (End)" data-testid="stepper-last" disabled={!ready || index === last} onClick={() => go(() => last)}>
          <Icon path={icons.last} />
        </button>
        <button type="button" className="button button--secondary button--sm" title="Run to the next iteration (Page Down)" data-testid="stepper-next-iteration" disabled={!ready || index === last} onClick={() => steps && go((from) => nextIterationStart(steps, from))}>
          Next iteration
        </button>
        <input
          type="range"
          className={styles.slider}
          min={0}
          max={last}
          value={index}
          disabled={!ready}
          aria-label="Step"
          aria-valuetext={current !== null ? `Step ${index + 1} of ${steps!.length}: ${current.title}` : 'Loading'}
          data-testid="stepper-slider"
          onChange={(event) => {
            const target = Number(event.target.value);
            go(() => target);
          }}
        />
      </div>

      <p className={styles.status} data-testid="stepper-position">
        {position}
      </p>
      {/* The phase, announced as it changes; the same words head the visible description below. */}
      <p className="visually-hidden" aria-live="polite" data-testid="stepper-announcer">
        {current?.title ?? ''}
      </p>
      {state === 'error' && (
        <p className={styles.error} role="alert">
          {call.error}
        </p>
      )}
      <div className={styles.detail} tabIndex={0} role="region" aria-label="What this step did" data-testid="stepper-detail">
        <p className={styles.detailTitle}>{current?.title ?? info.title}</p>
        <p className={styles.detailText}>{current?.detail ?? 'The steps appear when the simulation has run.'}</p>
      </div>

      <div className={styles.body} data-testid="stepper-body">
        <SourceView source={info.source} marks={lineMarks(current)} />
        {panels !== null && current !== null ? <panels.default steps={steps!} index={index} output={output.slice(0, current.printed)} /> : <PanelsPlaceholder />}
      </div>
    </section>
  );
}
