/**
 * Seed 000: the event loop, a coroutine, non-blocking I/O and the callback that resumes it, as a
 * step-by-step trace of _run_once iterations for one async download (sock_recv on a non-blocking
 * socket: EAGAIN, add_reader, the selector sleeps, the fd becomes readable, the reader callback
 * sets the future, the task's wakeup resumes the coroutine).
 */
import {httpGet, run, type HttpGetOptions} from '../asyncio';
import {loopTimeline} from '../timeline';
import {microsecondsFromSeconds, milliseconds, seconds, type Scenario, type ScenarioRow} from './types';

const SHOWN_ITERATIONS = 30;

/** The download this scenario runs (the event-loop stepper steps through the same one). */
export const anatomyDownload = (delayUs: number): HttpGetOptions => ({latencyUs: delayUs, responseBytes: 256 * 1024, bandwidthBytesPerSecond: 4_000_000});

export const eventLoopAnatomy: Scenario = {
  id: 'event-loop-anatomy',
  description: 'step-by-step _run_once iterations of an asyncio loop during one async download',
  defaults: {delay: 0.2, seed: 1},
  run({delay, seed}) {
    const outcome = run(() => httpGet(anatomyDownload(microsecondsFromSeconds(delay))), {seed});
    const iterations = outcome.iterations;
    const rows: ScenarioRow[] = [
      {key: 'wall', label: 'download took', value: seconds(outcome.wallTimeUs), unit: 's', seed: null},
      {key: 'iterations', label: 'loop iterations (_run_once calls)', value: iterations.length, unit: 'count', seed: null},
      {key: 'selector-sleeps', label: 'iterations whose selector wait slept', value: iterations.filter((it) => it.waitedUs > 0).length, unit: 'count', seed: null},
      {key: 'callbacks-run', label: 'handles run in total', value: iterations.reduce((sum, it) => sum + it.handlesRun, 0), unit: 'count', seed: null},
      {key: 'fd-events', label: 'readable events reported by epoll', value: iterations.reduce((sum, it) => sum + it.fdEvents.length, 0), unit: 'count', seed: null},
    ];
    for (const it of iterations.slice(0, SHOWN_ITERATIONS)) {
      const timeout = it.timeoutUs === null ? 'None' : `${milliseconds(it.timeoutUs)} ms`;
      const fds = it.fdEvents.length > 0 ? ` fd ${it.fdEvents.join(',')} readable;` : '';
      const tasks = (it.tasks ?? []).map((t) => `${t.name} ${t.state}`).join(', ');
      rows.push({
        key: `iter-${it.index}`,
        label: `t=${milliseconds(it.startUs)} ms select(timeout=${timeout}) slept ${milliseconds(it.waitedUs)} ms;${fds} ran [${it.ran.join('; ')}]; ${tasks}`,
        value: milliseconds(it.waitedUs),
        unit: 'ms',
        seed: null,
      });
    }
    return {rows, timelines: [loopTimeline(outcome, 'one async download')]};
  },
};
