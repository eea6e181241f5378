import {useEffect, useRef, type ReactNode} from 'react';
import clsx from 'clsx';
import {duration} from '@site/src/sim/asyncio/stepper-programs';
import type {LoopStep, PrintedLine, StepTask} from '@site/src/sim/asyncio/stepper';
import Panel, {panelTitles} from './Panel';
import styles from './styles.module.css';

interface PanelsProps {
  steps: LoopStep[];
  index: number;
  /** What the program has printed by this step. */
  output: PrintedLine[];
}

function taskState(task: StepTask): string {
  return task.state === 'waiting' ? `waiting on ${task.waitingOn}` : task.state;
}

/** The loop's state at one step, as the simulator reported it. */
export default function Panels({steps, index, output}: PanelsProps): ReactNode {
  const step = steps[index];
  const {selector} = step;
  const logRef = useRef<HTMLDivElement>(null);
  // The log's newest entry stays in view.
  useEffect(() => {
    const log = logRef.current;
    if (log) log.scrollTop = log.scrollHeight;
  }, [index]);

  return (
    <>
      <Panel area="ready" title={panelTitles.ready}>
        {step.handle !== null && (
          <p className={styles.popped}>
            Ran (popped from the front): <code>{step.handle.label}</code>
          </p>
        )}
        {step.ready.length === 0 ? (
          <p className={styles.empty}>empty</p>
        ) : (
          <ol className={styles.list}>
            {step.ready.map((label, position) => (
              <li key={position}>
                <code>{label}</code>
              </li>
            ))}
          </ol>
        )}
      </Panel>

      <Panel area="timers" title={panelTitles.timers}>
        {step.timers.length === 0 ? (
          <p className={styles.empty}>empty</p>
        ) : (
          <ol className={styles.list}>
            {step.timers.map((timer, position) => (
              <li key={position}>
                due at {duration(timer.when)}: <code>{timer.label}</code>
              </li>
            ))}
          </ol>
        )}
      </Panel>

      <Panel area="selector" title={panelTitles.selector}>
        <dl className={styles.facts}>
          <dt>registered for reading</dt>
          <dd>
            {step.readers.map((reader) => (
              <span key={reader.fd} className={styles.reader}>
                fd {reader.fd} → <code>{reader.label}</code>
              </span>
            ))}
          </dd>
          <dt>timeout</dt>
          <dd>{selector.timeoutUs === null ? 'None (wait for an fd)' : `${selector.timeoutUs / 1_000_000} s`}</dd>
          <dt>slept</dt>
          <dd>{selector.sleptUs === null ? 'not yet called' : duration(selector.sleptUs)}</dd>
          <dt>ready fds</dt>
          <dd>{selector.readyFds === null ? 'not yet called' : selector.readyFds.length === 0 ? 'none' : selector.readyFds.map((fd) => `fd ${fd}`).join(', ')}</dd>
        </dl>
      </Panel>

      <Panel area="tasks" title={panelTitles.tasks}>
        <table className={styles.tasks}>
          <thead>
            <tr>
              <th scope="col">task</th>
              <th scope="col">coroutine</th>
              <th scope="col">state</th>
              <th scope="col">line</th>
            </tr>
          </thead>
          <tbody>
            {step.tasks.map((task) => {
              const ran = step.handle?.task === task.name;
              return (
                <tr key={task.name} className={clsx(ran && styles.ran)}>
                  <th scope="row">
                    {task.name}
                    {ran && <span className={styles.ranTag}> (just ran)</span>}
                  </th>
                  <td>
                    <code>{task.coroutine}</code>
                  </td>
                  <td>{taskState(task)}</td>
                  <td>{task.line ?? '–'}</td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </Panel>

      <Panel area="log" title={panelTitles.log} bodyRef={logRef}>
        <ol className={styles.log}>
          {steps.slice(0, index + 1).map((entry) => (
            <li key={entry.index} aria-current={entry.index === index ? 'step' : undefined} className={clsx(entry.index === index && styles.logCurrent)}>
              <span className={styles.logTime}>{duration(entry.timeUs)}</span> {entry.title}
            </li>
          ))}
        </ol>
      </Panel>

      <Panel area="output" title={panelTitles.output}>
        {output.length === 0 ? (
          <p className={styles.empty}>nothing printed yet</p>
        ) : (
          <pre className={styles.output}>{output.map((line) => line.text).join('\n')}</pre>
        )}
      </Panel>
    </>
  );
}
