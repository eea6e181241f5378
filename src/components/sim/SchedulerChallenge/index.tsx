import {useCallback, useEffect, useRef, useState, type KeyboardEvent, type ReactNode} from 'react';
import clsx from 'clsx';
import CodeBlock from '@theme/CodeBlock';
import useDocusaurusContext from '@docusaurus/useDocusaurusContext';
import type {ChallengeState, ChallengeThread, LevelInfo, LockState, PyValue} from '@site/src/sim/challenge';
import {callSim} from '../client';
import type {SimApi, SimMethod} from '../worker-api';
import {useNearViewport} from '../../useNearViewport';
import {browserStorage} from '../../Exercise/storage';
import {loadProgress, recordEnding, saveProgress, type Progress} from './progress';
import styles from './styles.module.css';

export interface SchedulerChallengeProps {
  /** The level shown first. */
  level?: string;
}

type WidgetState = 'idle' | 'running' | 'done' | 'error';

/** Python's repr() of a value, as the simulator's log writes it. */
function pyRepr(value: PyValue): string {
  if (typeof value === 'number') return String(value);
  if (typeof value === 'string') return `'${value}'`;
  return `[${value.map(pyRepr).join(', ')}]`;
}

/** The simulator's texts mark code with backticks, as Markdown does. */
function Prose({text}: {text: string}): ReactNode {
  return text.split('`').map((part, index) => (index % 2 === 1 ? <code key={index}>{part}</code> : part));
}

/**
 * "Be the scheduler": the learner picks which thread runs each step of a small threaded program
 * until it breaks. Every state comes from the simulator (src/sim/challenge.ts) in its Worker; the
 * page keeps the states it was given, which is all that undo needs.
 */
export default function SchedulerChallenge({level: firstLevel = 'lost-update'}: SchedulerChallengeProps): ReactNode {
  const {siteConfig} = useDocusaurusContext();
  const ref = useRef<HTMLElement>(null);
  const near = useNearViewport(ref);
  const [levels, setLevels] = useState<LevelInfo[] | null>(null);
  const [levelId, setLevelId] = useState(firstLevel);
  const [history, setHistory] = useState<ChallengeState[]>([]);
  const [widgetState, setWidgetState] = useState<WidgetState>('idle');
  const [problem, setProblem] = useState<string | null>(null);
  const [progress, setProgress] = useState<Progress>({});
  /** Bumped by "Try again" after the levels failed to load. */
  const [attempt, setAttempt] = useState(0);
  const busy = useRef(false);

  // Server rendering has no localStorage: saved progress is read after hydration.
  useEffect(() => setProgress(loadProgress(browserStorage())), []);

  const call = useCallback(
    async <M extends SimMethod>(method: M, ...args: Parameters<SimApi[M]>): Promise<ReturnType<SimApi[M]> | null> => {
      if (busy.current) return null;
      busy.current = true;
      setWidgetState('running');
      try {
        const value = await callSim(siteConfig.baseUrl, method, ...args);
        setWidgetState('done');
        setProblem(null);
        return value;
      } catch (error) {
        setWidgetState('error');
        setProblem(error instanceof Error ? error.message : String(error));
        return null;
      } finally {
        busy.current = false;
      }
    },
    [siteConfig.baseUrl],
  );

  const current = history.at(-1) ?? null;

  /** A fresh game of `id`, keeping the learner's choice of expanding `+=`. */
  const start = useCallback(
    async (id: string, expanded: boolean) => {
      const fresh = await call('challengeStart', id);
      if (fresh === null) return;
      const shown = expanded ? await call('challengeExpand', fresh, true) : fresh;
      if (shown === null) return;
      setLevelId(id);
      setHistory([shown]);
    },
    [call],
  );

  useEffect(() => {
    if (!near || levels !== null) return;
    void (async () => {
      const all = await call('challengeLevels');
      if (all === null) return;
      setLevels(all);
      await start(all.some((level) => level.id === firstLevel) ? firstLevel : all[0].id, false);
    })();
  }, [near, levels, call, start, firstLevel, attempt]);

  // A game that ended updates the saved progress.
  useEffect(() => {
    if (current === null || current.outcome === 'playing') return;
    const next = recordEnding(progress, current.level, current.solved);
    if (next === progress) return;
    setProgress(next);
    saveProgress(browserStorage(), next);
  }, [current, progress]);

  const push = (next: ChallengeState | null) => next && setHistory((states) => [...states, next]);
  const run = async (thread: string) => {
    if (current?.runnable.includes(thread)) push(await call('challengeStep', current, thread));
  };
  const toggleExpanded = async () => current && push(await call('challengeExpand', current, !current.expanded));
  const undo = () => setHistory((states) => (states.length > 1 ? states.slice(0, -1) : states));
  const restart = () => void start(levelId, current?.expanded ?? false);

  const onKeyDown = (event: KeyboardEvent<HTMLElement>) => {
    if (event.ctrlKey || event.metaKey || event.altKey || current === null) return;
    const target = event.target as HTMLElement;
    if (target.matches('input[type="text"], textarea, select, [contenteditable="true"]')) return;
    const index = Number(event.key) - 1;
    if (Number.isInteger(index) && index >= 0 && index < current.threads.length) {
      event.preventDefault();
      void run(current.threads[index].name);
    } else if (event.key === 'u' || event.key === 'U') {
      event.preventDefault();
      undo();
    }
  };

  const level = levels?.find((candidate) => candidate.id === levelId) ?? null;
  const ready = level !== null && current !== null && current.level === level.id;
  const outcome = ready ? current.outcome : 'playing';

  return (
    <section
      ref={ref}
      className={styles.challenge}
      data-challenge={levelId}
      data-outcome={outcome}
      data-state={widgetState}
      data-moves={ready ? current.moves : undefined}
      data-expanded={ready ? current.expanded : undefined}
      aria-label="Scheduler challenge"
      onKeyDown={onKeyDown}
    >
      {/* The level picker and the board arrive one after the other; their space is kept from the start. */}
      <div className={styles.game}>
        {levels !== null && <LevelPicker levels={levels} current={levelId} progress={progress} onPick={(id) => void start(id, current?.expanded ?? false)} />}
        {ready ? (
          <Board
            level={level}
            state={current}
            canUndo={history.length > 1}
            onRun={(thread) => void run(thread)}
            onToggleExpanded={() => void toggleExpanded()}
            onUndo={undo}
            onRestart={restart}
          />
        ) : (
          levels === null && widgetState !== 'error' && <p className={styles.loading}>Loading the scheduler challenge…</p>
        )}
      </div>
      {problem !== null && (
        <div className={clsx('alert alert--danger', styles.problem)} role="alert">
          The simulator could not answer: {problem}.{' '}
          <button type="button" className="button button--sm button--secondary" onClick={() => (levels === null ? setAttempt((count) => count + 1) : restart())}>
            Try again
          </button>
        </div>
      )}
    </section>
  );
}

function LevelPicker({levels, current, progress, onPick}: {levels: LevelInfo[]; current: string; progress: Progress; onPick: (id: string) => void}): ReactNode {
  const won = levels.filter((level) => progress[level.id] === 'won').length;
  return (
    <nav className={styles.picker} aria-label="Levels">
      <p className={styles.pickerSummary}>
        Levels won: <strong data-testid="challenge-won">{won}</strong> of {levels.length}
      </p>
      <ol className={styles.levels}>
        {levels.map((level, index) => {
          const status = progress[level.id] ?? 'new';
          const label = status === 'won' ? (level.goal === 'hold' ? '✓ held' : '✓ won') : status === 'lost' ? '✗ not yet' : 'new';
          return (
            <li key={level.id}>
              <button
                type="button"
                className={clsx(styles.levelButton, level.id === current && styles.levelCurrent)}
                aria-pressed={level.id === current}
                data-level={level.id}
                data-status={status}
                onClick={() => onPick(level.id)}
              >
                <span>
                  {index + 1}. <Prose text={level.title} />
                </span>
                <span className={clsx(styles.badge, styles[`badge-${status}`])}>{label}</span>
              </button>
            </li>
          );
        })}
      </ol>
    </nav>
  );
}

interface BoardProps {
  level: LevelInfo;
  state: ChallengeState;
  canUndo: boolean;
  onRun: (thread: string) => void;
  onToggleExpanded: () => void;
  onUndo: () => void;
  onRestart: () => void;
}

function Board({level, state, canUndo, onRun, onToggleExpanded, onUndo, onRestart}: BoardProps): ReactNode {
  const logRef = useRef<HTMLOListElement>(null);
  useEffect(() => {
    const log = logRef.current;
    if (log) log.scrollTop = log.scrollHeight;
  }, [state.log.length]);
  const last = state.log.at(-1);
  const announcement = (state.outcome === 'playing' ? (last ? `${last.thread}: ${last.text}` : '') : (state.reason ?? '')).replaceAll('`', '');
  const keys = state.threads.length > 1 ? `1–${state.threads.length}` : '1';

  return (
    <div className={styles.board}>
      <h3 className={styles.title}>
        <Prose text={level.title} />
      </h3>
      <p>
        <Prose text={level.task} />
      </p>
      <details className={styles.setup}>
        <summary>Module setup</summary>
        <pre className={styles.code}>
          <code>{level.setup.join('\n')}</code>
        </pre>
      </details>

      <div className={styles.threads}>
        {state.threads.map((thread, index) => (
          <ThreadColumn
            key={thread.name}
            thread={thread}
            info={level.threads[index]}
            shortcut={index + 1}
            runnable={state.runnable.includes(thread.name)}
            onRun={() => onRun(thread.name)}
          />
        ))}
      </div>

      <div className={styles.controls}>
        <label className={styles.toggle}>
          <input type="checkbox" checked={state.expanded} onChange={onToggleExpanded} data-testid="challenge-expand" />
          expand <code>x += 1</code> into its bytecode
        </label>
        <button type="button" className="button button--sm button--secondary" aria-disabled={!canUndo} aria-keyshortcuts="U" onClick={canUndo ? onUndo : undefined}>
          Undo
        </button>
        <button type="button" className="button button--sm button--secondary" onClick={onRestart}>
          Restart
        </button>
        <span className={styles.keys}>
          Keys: <kbd>{keys}</kbd> run a thread, <kbd>U</kbd> undoes.
        </span>
      </div>

      <div className={styles.panels}>
        <SharedPanel state={state} />
        <div className={styles.main}>
          <h4 className={styles.panelTitle}>Main thread, once every thread has finished</h4>
          <pre className={styles.code}>
            <code>{level.finale.join('\n')}</code>
          </pre>
        </div>
      </div>

      <Ending level={level} state={state} />

      <h4 className={styles.panelTitle}>Log</h4>
      <ol ref={logRef} className={styles.log} tabIndex={0} aria-label="Log of the steps run" data-testid="challenge-log">
        {state.log.length === 0 ? (
          <li className={styles.logEmpty}>Nothing has run yet: pick a thread.</li>
        ) : (
          state.log.map((entry, index) => (
            <li key={index}>
              <strong>{entry.thread}</strong> <Prose text={entry.text} />
            </li>
          ))
        )}
      </ol>
      <p className="visually-hidden" aria-live="polite">
        {announcement}
      </p>
    </div>
  );
}

function describeStatus(thread: ChallengeThread): string {
  switch (thread.status) {
    case 'ready':
      return 'ready';
    case 'done':
      return 'finished';
    case 'raised':
      return 'raised an exception';
    case 'blocked':
      if (thread.blockedOn?.kind === 'lock') return `blocked: waits for ${thread.blockedOn.name}${thread.blockedOn.heldBy ? ` (held by ${thread.blockedOn.heldBy})` : ''}`;
      return `blocked: sleeps in ${thread.blockedOn?.name}.wait()`;
  }
}

function ThreadColumn({thread, info, shortcut, runnable, onRun}: {thread: ChallengeThread; info: LevelInfo['threads'][number]; shortcut: number; runnable: boolean; onRun: () => void}): ReactNode {
  const locals = Object.entries(thread.locals);
  return (
    <div className={styles.thread} data-thread={thread.name} data-status={thread.status}>
      <h4 className={styles.threadTitle}>
        {thread.name} <code>{info.call}</code>
      </h4>
      <p className={clsx(styles.status, styles[`status-${thread.status}`])}>{describeStatus(thread)}</p>
      <pre className={styles.code}>
        <code>
          {info.source.map((line, index) => {
            const isCurrent = index === thread.line;
            return (
              <span key={index} className={clsx(styles.line, isCurrent && styles.currentLine)} aria-current={isCurrent ? 'step' : undefined} data-current={isCurrent || undefined}>
                <span className={styles.marker} aria-hidden="true">
                  {isCurrent ? '▶' : ' '}
                </span>
                {line || ' '}
                {isCurrent && thread.bytecode && (
                  <span className={styles.bytecode}>
                    {thread.bytecode.instructions.map((instruction, at) => (
                      <span key={at} className={clsx(styles.bytecodeLine, at === thread.bytecode!.at && styles.bytecodeCurrent, at < thread.bytecode!.at && styles.bytecodeDone)}>
                        {at === thread.bytecode!.at ? '→ ' : at < thread.bytecode!.at ? '✓ ' : '  '}
                        {instruction}
                      </span>
                    ))}
                  </span>
                )}
              </span>
            );
          })}
        </code>
      </pre>
      <p className={styles.locals}>
        {locals.length > 0 && (
          <>
            locals: {locals.map(([name, value]) => `${name} = ${pyRepr(value)}`).join(', ')}
            <br />
          </>
        )}
        {thread.stack.length > 0 && (
          <>
            its stack: [{thread.stack.join(', ')}]
            <br />
          </>
        )}
        {thread.next !== null && <>next: {thread.next}</>}
      </p>
      <button
        type="button"
        className={clsx('button button--primary button--sm', styles.run)}
        aria-disabled={!runnable}
        aria-keyshortcuts={String(shortcut)}
        data-testid={`challenge-run-${thread.name}`}
        onClick={runnable ? onRun : undefined}
      >
        Run {thread.name}
        <kbd className={styles.shortcut} aria-hidden="true">
          {shortcut}
        </kbd>
      </button>
    </div>
  );
}

function lockText(name: string, lock: LockState): string {
  const held = lock.owner === null ? 'free' : `held by ${lock.owner}${lock.kind === 'RLock' && lock.count > 1 ? ` (${lock.count} levels)` : ''}`;
  return `${name} (${lock.kind}): ${held}${lock.waiters.length > 0 ? `; waiting: ${lock.waiters.join(', ')}` : ''}`;
}

function SharedPanel({state}: {state: ChallengeState}): ReactNode {
  const locks = Object.entries(state.locks);
  const conditions = Object.entries(state.conditions);
  return (
    <div className={styles.shared} data-testid="challenge-shared">
      <h4 className={styles.panelTitle}>Shared state</h4>
      <ul className={styles.facts}>
        {Object.entries(state.shared).map(([name, value]) => (
          <li key={name} data-variable={name}>
            <code>
              {name} = {pyRepr(value)}
            </code>
          </li>
        ))}
        {locks.map(([name, lock]) => (
          <li key={name} data-lock={name}>
            {lockText(name, lock)}
          </li>
        ))}
        {conditions.map(([name, condition]) => (
          <li key={name} data-condition={name}>
            {name} (Condition): {condition.waiters.length > 0 ? `sleeping in wait(): ${condition.waiters.join(', ')}` : 'nobody waits'}
          </li>
        ))}
      </ul>
    </div>
  );
}

function Ending({level, state}: {level: LevelInfo; state: ChallengeState}): ReactNode {
  if (state.outcome === 'playing') return null;
  if (!state.solved) {
    return (
      <div className={clsx('alert alert--warning', styles.ending)} data-testid="challenge-ending">
        <p className={styles.endingTitle}>No more moves, and nothing broke.</p>
        <p>
          <Prose text={state.reason ?? ''} />
        </p>
        <p>
          Hint: <Prose text={level.hint} /> Undo a few steps or restart and try another order.
        </p>
      </div>
    );
  }
  const broken = level.goal === 'break';
  return (
    <div className={clsx('alert alert--success', styles.ending)} data-testid="challenge-ending">
      <p className={styles.endingTitle}>{broken ? 'You broke it!' : 'It held.'}</p>
      <p>
        <strong>
          <Prose text={state.reason ?? ''} />
        </strong>
      </p>
      {level.lesson.map((paragraph, index) => (
        <p key={index}>
          <Prose text={paragraph} />
        </p>
      ))}
      <p className={styles.fixTitle}>{broken ? 'The fix:' : 'The broken version it repairs:'}</p>
      <CodeBlock language="python">{level.fix}</CodeBlock>
    </div>
  );
}
