import {execFile} from 'node:child_process';
import {mkdtempSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {promisify} from 'node:util';
import {describe, expect, it} from 'vitest';
import {anatomyDownload, eventLoopAnatomy} from '../scenarios/event-loop-anatomy';
import {run} from './api';
import {type LoopPhase, type LoopView} from './core';
import {httpGet} from './http';
import {loopSteps, sourceLine, stepperProgramIds, type LoopStep} from './stepper';
import {duration, stepperPrograms} from './stepper-programs';

const S = 1_000_000;
const runs = Object.fromEntries(stepperProgramIds.map((id) => [id, loopSteps(id)]));

/** The steps of one _run_once iteration. */
const iterationSteps = (steps: LoopStep[], iteration: number) => steps.filter((step) => step.iteration === iteration);
const selectSteps = (steps: LoopStep[]) => steps.filter((step) => step.phase === 'select');

describe('the event-loop stepper', () => {
  it('offers the event-loop-anatomy scenario and at least two teaching programs', () => {
    expect(stepperProgramIds).toContain('event-loop-anatomy');
    expect(stepperProgramIds.length).toBeGreaterThanOrEqual(3);
    expect(new Set(stepperProgramIds).size).toBe(stepperProgramIds.length);
  });

  describe.each(stepperProgramIds)('%s', (id) => {
    const {steps, program} = runs[id];

    it('gives each _run_once iteration its phases in order: select, selected, timers, then one step per handle', () => {
      const iterations = Math.max(...steps.map((step) => step.iteration)) + 1;
      expect(iterations).toBeGreaterThan(2);
      for (let iteration = 0; iteration < iterations; iteration += 1) {
        const phases = iterationSteps(steps, iteration).map((step) => step.phase);
        expect(phases.slice(0, 3)).toEqual(['select', 'selected', 'timers']);
        expect(phases.slice(3).every((phase) => phase === 'handle')).toBe(true);
      }
      expect(steps.map((step) => step.index)).toEqual(steps.map((_, index) => index));
      // The last iteration runs run_until_complete's callback, which stops the loop.
      expect(steps.at(-1)!.detail).toMatch(/loop\.stop\(\) was called/);
    });

    it('computes the select timeout as _run_once does: 0 with handles ready, else until the earliest timer, else None', () => {
      for (const step of selectSteps(steps)) {
        const expected = step.ready.length > 0 ? 0 : step.timers.length > 0 ? Math.max(0, step.timers[0].when - step.timeUs) : null;
        expect(step.selector.timeoutUs, step.title).toBe(expected);
        expect(step.selector.reason).toContain(`timeout=${expected === null ? 'None' : expected / S}`);
        if (step.ready.length > 0) expect(step.selector.reason).toContain(`The ready queue holds ${step.ready.length} handle`);
        expect(step.selector.sleptUs).toBeNull();
      }
    });

    it('keeps the ready queue a FIFO: fd callbacks, then due timers, appended at the back; each handle popped from the front', () => {
      for (let index = 1; index < steps.length; index += 1) {
        const [before, step] = [steps[index - 1], steps[index]];
        if (step.phase === 'timers') {
          const moved = before.timers.filter((timer) => timer.when <= step.timeUs);
          expect(step.ready).toEqual([...before.ready, ...moved.map((timer) => timer.label)]);
          expect(step.timers).toEqual(before.timers.slice(moved.length));
        }
        if (step.phase === 'handle') {
          expect(step.handle!.label).toBe(before.ready[0]);
          expect(step.ready).toEqual([...before.ready.slice(1), ...step.handle!.appended]);
        }
        if (step.phase === 'selected') expect(step.ready.slice(0, before.ready.length)).toEqual(before.ready);
      }
    });

    it('runs only the handles that were ready when the run phase began', () => {
      for (const step of steps.filter((candidate) => candidate.phase === 'timers')) {
        const handles = iterationSteps(steps, step.iteration).filter((candidate) => candidate.phase === 'handle');
        expect(handles.map((handle) => handle.handle!.label)).toEqual(step.ready);
      }
    });

    it('never goes back in time, and sleeps only in select', () => {
      for (let index = 1; index < steps.length; index += 1) expect(steps[index].timeUs).toBeGreaterThanOrEqual(steps[index - 1].timeUs);
      for (const step of steps.filter((candidate) => candidate.phase === 'selected')) {
        expect(step.selector.sleptUs).not.toBeNull();
        if (step.selector.timeoutUs !== null) expect(step.selector.sleptUs!).toBeLessThanOrEqual(step.selector.timeoutUs);
      }
    });

    it('says what every task runs and points each suspended task at an await (or a blocking call) of the source', () => {
      const lines = program.source.split('\n');
      for (const step of steps) {
        for (const task of step.tasks) {
          expect(task.coroutine).toBe(program.coroutines[task.name]);
          if (task.line !== null) expect(lines[task.line - 1]).toMatch(/await |time\.sleep/);
          if (task.state === 'waiting') expect(task.waitingOn).not.toBeNull();
          else expect(task.waitingOn).toBeNull();
        }
      }
      expect(steps.at(-1)!.tasks.every((task) => task.state === 'done')).toBe(true);
    });

    it('is deterministic', () => {
      expect(JSON.stringify(loopSteps(id))).toBe(JSON.stringify(runs[id]));
    });
  });

  it('steps through the same download as the event-loop-anatomy scenario: same selector sleeps and fds', () => {
    const {steps} = runs['event-loop-anatomy'];
    const seed = eventLoopAnatomy.defaults.seed;
    const scenarioRun = run(() => httpGet(anatomyDownload(eventLoopAnatomy.defaults.delay! * S)), {seed});
    const sleeps = (list: number[]) => list.filter((us) => us > 0);
    const stepped = steps.filter((step) => step.phase === 'selected');
    expect(sleeps(stepped.map((step) => step.selector.sleptUs!))).toEqual(sleeps(scenarioRun.iterations.map((it) => it.waitedUs)));
    expect(stepped.flatMap((step) => step.selector.readyFds!).filter((fd) => fd !== 4)).toEqual(scenarioRun.iterations.flatMap((it) => it.fdEvents).filter((fd) => fd !== 4));
    // The socket (fd 6, after epoll's fd 3 and the self-pipe's 4 and 5) gets a reader while the task waits.
    const waiting = steps.find((step) => step.tasks[0].state === 'waiting')!;
    expect(waiting.readers).toEqual([
      {fd: 4, label: '_read_from_self'},
      {fd: 6, label: '_sock_recv fd=6'},
    ]);
    const firstSelect = selectSteps(steps).find((step) => step.ready.length === 0)!;
    expect(firstSelect.selector.timeoutUs).toBeNull();
    expect(firstSelect.selector.reason).toMatch(/timeout=None/);
  });

  it('gather of three sleeps: one timer each, earliest first, and select sleeps until each in turn', () => {
    const {steps, output} = runs['gather-sleeps'];
    const heap = selectSteps(steps).find((step) => step.timers.length === 3)!;
    expect(heap.timers.map((timer) => timer.label)).toEqual(['sleep(0.5)', 'sleep(1)', 'sleep(2)'].map((name) => `futures._set_result_unless_cancelled ${name}`));
    expect(heap.timers.map((timer) => timer.when)).toEqual([...heap.timers.map((timer) => timer.when)].sort((a, b) => a - b));
    const slept = steps.filter((step) => step.phase === 'selected' && step.selector.sleptUs! > 0).map((step) => step.selector.sleptUs!);
    expect(slept).toHaveLength(3);
    expect(slept.map((us) => Math.round(us / 1000))).toEqual([500, 500, 1000]);
    expect(output.at(-1)!.timeUs).toBeGreaterThanOrEqual(2 * S);
    expect(output.at(-1)!.timeUs).toBeLessThan(2 * S + 1000);
  });

  it('a blocking time.sleep: one handle holds the loop for 0.5 s, the ticker’s timer is overdue, debug mode warns', () => {
    const {steps, output} = runs['blocking-sleep'];
    const blocking = steps.find((step) => step.handle !== null && step.handle.durationUs >= S / 2)!;
    expect(blocking.handle!.task).toBe('Task-1');
    expect(blocking.handle!.warning).toMatch(/^Executing <Task pending name='Task-1'> took 0\.50\d seconds$/);
    const next = steps[blocking.index + 1];
    expect(next.phase).toBe('select');
    expect(next.selector.timeoutUs).toBe(0);
    expect(next.ready).toEqual([]);
    expect(next.timers[0].when).toBeLessThan(next.timeUs - 300_000);
    expect(next.selector.reason).toMatch(/was due at .* ago: timeout=0/);
    expect(output.find((line) => line.text === 'tick 1')!.timeUs).toBeGreaterThanOrEqual(S / 2);
  });

  it('create_task only schedules: the new tasks run after main yields, in creation order, main behind them', () => {
    const {steps} = runs['create-task-order'];
    const second = iterationSteps(steps, 1)[0];
    expect(second.ready).toEqual(['Task.__step Task-2', 'Task.__step Task-3', 'Task.__step Task-1']);
  });

  it.concurrent.each(stepperPrograms.filter((program) => program.id !== 'event-loop-anatomy').map((program) => [program.id, program] as const))(
    '%s prints what CPython prints for its source',
    async (id, program) => {
      const dir = mkdtempSync(join(tmpdir(), 'stepper-'));
      writeFileSync(join(dir, `${id}.py`), program.source);
      const {stdout} = await promisify(execFile)('python3', [join(dir, `${id}.py`)], {timeout: 30_000});
      expect(runs[id].output.map((line) => line.text)).toEqual(stdout.trimEnd().split('\n'));
    },
    40_000,
  );

  it('rejects an unknown program, naming the parameter and the choices', () => {
    expect(() => loopSteps('no-such-program')).toThrow(/program must be one of event-loop-anatomy, .*; got "no-such-program"/);
  });

  it('finds source lines by their text', () => {
    expect(sourceLine('a\n  await b\nawait bc\n', 'await b')).toBe(2);
    expect(() => sourceLine('await x\nawait x\n', 'await')).toThrow(/2 lines containing "await"/);
  });

  it('formats durations in µs, ms or s', () => {
    expect([duration(5), duration(216_384), duration(2_000_012)]).toEqual(['5 µs', '216.384 ms', '2.000012 s']);
  });
});

describe('the loop observer', () => {
  it('sees every phase without changing the run', () => {
    const seen: Array<[LoopPhase, LoopView]> = [];
    const main = () => httpGet(anatomyDownload(0.2 * S));
    const observed = run(main, {seed: 1, observer: (phase, view) => seen.push([phase, view])});
    const plain = run(main, {seed: 1});
    expect(JSON.stringify(observed.iterations)).toBe(JSON.stringify(plain.iterations));
    expect(JSON.stringify(observed.trace)).toBe(JSON.stringify(plain.trace));
    const handles = seen.filter(([phase]) => phase.phase === 'handle').length;
    expect(handles).toBe(plain.callbacks);
    expect(seen.filter(([phase]) => phase.phase === 'select')).toHaveLength(plain.iterations.length);
  });
});
