import {describe, expect, it} from 'vitest';
import {blockingCall, createTask, gather, run, sleep} from './asyncio';
import {PythonError} from './errors';
import {Machine} from './machine';
import {InterpreterPoolExecutor, ThreadPoolExecutor} from './pools';
import {Process, pyfunc} from './processes';
import {Queue, Semaphore, withSemaphore} from './sync';
import {cpu, io, sleep as threadSleep, withLock} from './threads';
import {combineTimelines, cutTimeline, fitTimelines, loopTimeline, machineTimeline, SPANS_PER_SCENARIO, withMarks, type Timeline, type TimelineSpan} from './timeline';

const spansOf = (timeline: Timeline, lane: string): TimelineSpan[] => timeline.spans.filter((span) => span.lane === lane).sort((a, b) => a.startUs - b.startUs);

function expectNoOverlap(spans: TimelineSpan[]): void {
  for (let index = 1; index < spans.length; index += 1) expect(spans[index].startUs).toBeGreaterThanOrEqual(spans[index - 1].endUs);
}

describe('machineTimeline', () => {
  const machine = new Machine({cores: 2, seed: 1});
  const result = machine.run(function* main() {
    const workers = ['a', 'b'].map((name) =>
      machine.thread({
        name,
        *target() {
          yield cpu(20_000);
          yield io(50_000);
          yield cpu(1_000);
        },
      }),
    );
    for (const worker of workers) yield worker.start();
    for (const worker of workers) yield worker.join();
  });
  const timeline = machineTimeline(result, 'two threads');

  it('has a lane per thread, per core used and for the GIL', () => {
    const ids = timeline.lanes.map((lane) => lane.id);
    expect(ids).toEqual(expect.arrayContaining(['thread:MainThread', 'thread:a', 'thread:b', 'gil:MainProcess']));
    expect(ids.filter((id) => id.startsWith('core:')).length).toBeGreaterThanOrEqual(1);
    expect(timeline.endUs).toBe(result.metrics.wallTimeUs);
  });

  it('draws each thread as one state at a time, blocked on io for the I/O wait', () => {
    for (const name of ['a', 'b']) {
      const spans = spansOf(timeline, `thread:${name}`);
      expectNoOverlap(spans);
      const ioWait = spans.filter((span) => span.detail === 'blocked (io)');
      expect(ioWait).toHaveLength(1);
      expect(ioWait[0].endUs - ioWait[0].startUs).toBeGreaterThanOrEqual(50_000);
    }
  });

  it('gives the GIL to one thread at a time, and only to running threads', () => {
    const held = spansOf(timeline, 'gil:MainProcess');
    expectNoOverlap(held);
    const total = held.reduce((sum, span) => sum + span.endUs - span.startUs, 0);
    // Both threads' bytecode ran under the GIL: at least their 42 ms of CPU work.
    expect(total).toBeGreaterThanOrEqual(42_000);
  });

  it('runs one thread per core at a time, never before its start or after the end', () => {
    for (const lane of timeline.lanes.filter((candidate) => candidate.kind === 'core')) expectNoOverlap(spansOf(timeline, lane.id));
    for (const span of timeline.spans) {
      expect(span.startUs).toBeLessThan(span.endUs);
      expect(span.endUs).toBeLessThanOrEqual(timeline.endUs);
    }
  });
});

describe('loopTimeline', () => {
  const outcome = run(() => gather([sleep(10_000), sleep(30_000)])[Symbol.iterator]());
  const timeline = loopTimeline(outcome, 'two sleeps');

  it('alternates the loop between waiting in select and running callbacks', () => {
    const spans = spansOf(timeline, 'loop');
    expectNoOverlap(spans);
    expect(new Set(spans.map((span) => span.state))).toEqual(new Set(['select', 'callbacks']));
    const waited = spans.filter((span) => span.state === 'select').reduce((sum, span) => sum + span.endUs - span.startUs, 0);
    // Most of the 30 ms is spent asleep in select, waiting for the timers.
    expect(waited).toBeGreaterThan(25_000);
  });

  it('has a lane per task, each waiting on its sleep', () => {
    const taskLanes = timeline.lanes.filter((lane) => lane.kind === 'task');
    expect(taskLanes.length).toBeGreaterThanOrEqual(2);
    const waiting = timeline.spans.filter((span) => span.state === 'waiting');
    expect(waiting.some((span) => span.detail.includes('sleep(0.03)'))).toBe(true);
  });
});

describe('machineTimeline: processes', () => {
  const machine = new Machine({cores: 2, seed: 1});
  const work = pyfunc('work', function* () {
    yield cpu(10_000);
    return null;
  });
  const crash = pyfunc('crash', function* (): Generator<never, null, void> {
    throw new PythonError('ValueError', 'bad input');
  });
  const result = machine.run(function* main() {
    const children = [new Process(machine, {target: work, name: 'child', startMethod: 'fork'}), new Process(machine, {target: crash, name: 'crasher', startMethod: 'fork'})];
    for (const child of children) yield* child.start();
    for (const child of children) yield* child.join();
  });
  const timeline = machineTimeline(result, 'two children');

  it('gives each child process a lane, alive from its start to its exit, heading its own threads', () => {
    const ids = timeline.lanes.map((lane) => lane.id);
    const alive = spansOf(timeline, 'process:child');
    expect(alive).toHaveLength(1);
    const started = result.trace.find((r) => r.kind === 'process' && r.actor === 'child' && r.details.action === 'start')!;
    const exited = result.trace.find((r) => r.kind === 'process' && r.actor === 'child' && r.details.action === 'exit')!;
    expect([alive[0].startUs, alive[0].endUs]).toEqual([started.time, exited.time]);
    expect(ids.indexOf('thread:child/MainThread')).toBe(ids.indexOf('process:child') + 1);
    expect(ids.indexOf('process:child')).toBeGreaterThan(ids.indexOf('thread:MainThread'));
    expect(timeline.lanes.find((lane) => lane.id === 'thread:child/MainThread')?.process).toBe('child');
    expect(timeline.lanes.find((lane) => lane.id === 'gil:child')?.process).toBe('child');
  });

  it("marks the child's exception and its exit code 1, and names what the parent's join waited for", () => {
    expect(timeline.marks.map((mark) => mark.label)).toEqual(expect.arrayContaining(['ValueError: bad input', 'crasher exited with exitcode 1']));
    const parentWaits = spansOf(timeline, 'thread:MainThread').filter((span) => span.state === 'blocked');
    expect(parentWaits.map((span) => span.detail)).toContain('blocked waiting for child.join()');
  });
});

describe('machineTimeline: subinterpreters', () => {
  const machine = new Machine({cores: 2, seed: 1});
  const crunch = pyfunc('crunch', function* () {
    yield cpu(30_000);
  });
  const result = machine.run(function* main() {
    yield* new InterpreterPoolExecutor(machine, {maxWorkers: 2}).within(function* (pool) {
      const results = yield* pool.map(crunch, [[], []]);
      while ((yield* results.next()) !== null);
    });
  });
  const timeline = machineTimeline(result, 'two interpreters');

  it('gives each subinterpreter’s GIL a lane of its own, beside the main GIL, none held by two threads at once', () => {
    const lanes = timeline.lanes.filter((lane) => lane.kind === 'gil').map((lane) => `${lane.id} ${lane.label}`);
    expect(lanes).toEqual(['gil:MainProcess GIL', 'gil:MainProcess:1 GIL of interpreter 1', 'gil:MainProcess:2 GIL of interpreter 2']);
    for (const lane of ['gil:MainProcess', 'gil:MainProcess:1', 'gil:MainProcess:2']) expectNoOverlap(spansOf(timeline, lane));
    expect(spansOf(timeline, 'gil:MainProcess:1')[0].detail).toMatch(/^InterpreterPoolExecutor-0_\d holds the GIL of interpreter 1$/);
    // The two interpreters' GILs are held at the same time: the calls ran in parallel.
    const [first, second] = ['gil:MainProcess:1', 'gil:MainProcess:2'].map((lane) => spansOf(timeline, lane).reduce((longest, span) => (span.endUs - span.startUs > longest.endUs - longest.startUs ? span : longest)));
    expect(Math.min(first.endUs, second.endUs)).toBeGreaterThan(Math.max(first.startUs, second.startUs));
  });
});

describe('machineTimeline: locks, semaphores, queues and what a thread waits for', () => {
  const machine = new Machine({cores: 4, seed: 1});
  const lock = machine.lock('toilet');
  const kitchen = new Semaphore(machine, 2, 'kitchen');
  const q = new Queue<number>(machine, 0, 'q');
  const result = machine.run(function* main() {
    const visitors = Array.from({length: 6}, (_, index) =>
      machine.thread({
        name: `worker-${index + 1}`,
        *target() {
          // Each holds the toilet 2 ms: later arrivals wait over 1 ms and are handed the lock directly.
          yield* withLock(lock, function* () {
            yield threadSleep(2000);
          });
          yield* withSemaphore(kitchen, function* () {
            yield threadSleep(5000);
          });
          yield* q.put(index);
          // Still alive after the last put, so the queue's last state has width.
          yield threadSleep(1000);
        },
      }),
    );
    for (const visitor of visitors) yield visitor.start();
    for (const visitor of visitors) yield visitor.join();
  });
  const timeline = machineTimeline(result, 'toilet and kitchen');

  it('draws who holds the lock, one holder at a time, and marks only the first direct hand-offs', () => {
    const held = spansOf(timeline, 'lock:toilet');
    expectNoOverlap(held);
    expect(held).toHaveLength(6);
    expect(new Set(held.map((span) => span.detail.split(' holds')[0])).size).toBe(6);
    const handOffs = result.trace.filter((r) => r.kind === 'lock' && r.actor === 'toilet' && typeof r.details.handedTo === 'string').length;
    expect(handOffs).toBeGreaterThan(3);
    expect(timeline.marks.filter((mark) => mark.lane === 'lock:toilet')).toHaveLength(3);
    // A wake-up waiter is traced as a lock too, but it is no lock of the program's.
    expect(timeline.lanes.filter((lane) => lane.kind === 'lock').map((lane) => lane.id)).toEqual(['lock:toilet']);
  });

  it('names the lock, the semaphore and the joined thread a blocked thread waited for', () => {
    const details = new Set(timeline.spans.filter((span) => span.state === 'blocked').map((span) => span.detail));
    expect(details).toContain('blocked on lock toilet');
    expect(details).toContain('blocked waiting for semaphore kitchen');
    expect([...details].some((detail) => detail.startsWith('blocked in join() on worker-'))).toBe(true);
  });

  it('counts the keys taken from the semaphore, full when none is left, and the items in the queue', () => {
    const kitchenSpans = spansOf(timeline, 'semaphore:kitchen');
    expectNoOverlap(kitchenSpans);
    expect(kitchenSpans.some((span) => span.state === 'full' && span.detail === '2 taken, 0 free')).toBe(true);
    expect(kitchenSpans.every((span) => /^[12] taken, [01] free$/.test(span.detail))).toBe(true);
    const queued = spansOf(timeline, 'queue:q');
    expect(queued.at(-1)?.detail).toBe('6 item(s) in q');
    expect(queued.at(-1)?.endUs).toBe(timeline.endUs);
  });
});

describe('machineTimeline: deadlock and futures', () => {
  it('marks each thread of a deadlock with what it waits for and who holds it', () => {
    const machine = new Machine({cores: 2, seed: 1});
    const [a, b] = [machine.lock('A'), machine.lock('B')];
    const result = machine.run(function* main() {
      const crossed = [
        [a, b],
        [b, a],
      ].map(([first, second], index) =>
        machine.thread({
          name: `t${index + 1}`,
          *target() {
            yield first.acquire();
            yield threadSleep(1000);
            yield second.acquire();
          },
        }),
      );
      for (const thread of crossed) yield thread.start();
      for (const thread of crossed) yield thread.join();
    });
    const timeline = machineTimeline(result, 'deadlock');
    expect(timeline.marks.map((mark) => mark.label)).toEqual(
      expect.arrayContaining(['deadlock: t1 waits for lock B, held by t2', 'deadlock: t2 waits for lock A, held by t1']),
    );
    expect(spansOf(timeline, 'thread:t1').at(-1)).toMatchObject({state: 'blocked', detail: 'blocked on lock B, held by t2', endUs: timeline.endUs});
    // Neither lock is ever released: each stays held to the end.
    expect(spansOf(timeline, 'lock:A').at(-1)).toMatchObject({detail: 't1 holds A', endUs: timeline.endUs});
  });

  it("names the future a thread waited on in result(), and a pool's queue", () => {
    const machine = new Machine({cores: 2, seed: 1});
    const slow = pyfunc('slow', function* () {
      yield threadSleep(10_000);
      return 1;
    });
    const result = machine.run(function* main() {
      yield* new ThreadPoolExecutor(machine, {maxWorkers: 1}).within(function* (pool) {
        yield* (yield* pool.submit(slow)).result();
        // The worker waits on the pool's queue for the next call meanwhile.
        yield threadSleep(10_000);
        yield* (yield* pool.submit(slow)).result();
      });
    });
    const details = machineTimeline(result, 'a future').spans.map((span) => span.detail);
    expect(details).toContain('blocked waiting for future slow#1');
    expect(details).toContain('blocked waiting for ThreadPoolExecutor-0.queue.get()');
  });
});

describe('loopTimeline: long steps, failures and many tasks', () => {
  it('draws a long blocking step as its task running, one span per state, and marks a failed task', () => {
    const outcome = run(function* main() {
      const blocker = createTask(
        (function* blocker() {
          yield* sleep(1000);
          yield blockingCall(200_000, 'time.sleep');
        })(),
        'blocker',
      );
      const failing = createTask(
        (function* failing(): Generator<never, void, unknown> {
          throw new PythonError('ValueError', 'boom');
        })(),
        'failing',
      );
      yield* sleep(300_000);
      yield* blocker;
      try {
        yield* failing;
      } catch {
        // Seen by main: the task's failure is what the timeline marks.
      }
    });
    const timeline = loopTimeline(outcome, 'blocking');
    const blocker = spansOf(timeline, 'task:blocker');
    const running = blocker.filter((span) => span.state === 'running');
    expect(running).toHaveLength(1);
    expect(running[0].endUs - running[0].startUs).toBeGreaterThanOrEqual(200_000);
    expect(running[0].detail).toContain('Task.__wakeup blocker');
    expectNoOverlap(blocker);
    for (let index = 1; index < blocker.length; index += 1) {
      const [before, after] = [blocker[index - 1], blocker[index]];
      expect(before.endUs === after.startUs && before.state === after.state && before.detail === after.detail).toBe(false);
    }
    expect(timeline.marks.map((mark) => mark.label)).toEqual(expect.arrayContaining(['failing failed']));
    expect(timeline.marks.find((mark) => mark.label === 'failing failed')?.lane).toBe('task:failing');
  });

  it("marks main's exception at the end", () => {
    const outcome = run(function* main(): Generator<never, void, unknown> {
      throw new PythonError('KeyError', "'missing'");
    });
    expect(loopTimeline(outcome, 'fails').marks.at(-1)).toEqual({lane: 'loop', atUs: outcome.wallTimeUs, label: "main raised KeyError: 'missing'"});
  });

  it('draws no task lanes once more tasks are alive than the loop lists', () => {
    const few = loopTimeline(run(() => gather(Array.from({length: 50}, () => sleep(1000)))[Symbol.iterator]()), 'few');
    const many = loopTimeline(run(() => gather(Array.from({length: 150}, () => sleep(1000)))[Symbol.iterator]()), 'many');
    expect(few.lanes.filter((lane) => lane.kind === 'task')).toHaveLength(51);
    expect(many.lanes.map((lane) => lane.kind)).toEqual(['loop']);
  });
});

describe('combineTimelines and withMarks', () => {
  const part = (wait: number): Timeline => loopTimeline(run(() => sleep(wait)), 'part');
  const combined = combineTimelines('two loops', [
    {name: 'worker-1', timeline: part(10_000)},
    {name: 'worker-2', timeline: part(30_000)},
  ]);

  it("keeps each part's lanes apart under its name and ends with the last part", () => {
    expect(combined.lanes.filter((lane) => lane.kind === 'loop').map((lane) => [lane.id, lane.label])).toEqual([
      ['worker-1/loop', 'worker-1: event loop'],
      ['worker-2/loop', 'worker-2: event loop'],
    ]);
    expect(combined.endUs).toBeGreaterThanOrEqual(30_000);
    expect(combined.endUs).toBe(Math.max(...combined.spans.map((span) => span.endUs)));
    const ids = new Set(combined.lanes.map((lane) => lane.id));
    expect(combined.spans.every((span) => ids.has(span.lane))).toBe(true);
  });

  it('adds marks in time order without touching the spans', () => {
    const marked = withMarks(combined, [
      {lane: 'worker-2/loop', atUs: 20_000, label: 'later'},
      {lane: 'worker-1/loop', atUs: 5000, label: 'earlier'},
    ]);
    expect(marked.marks.map((mark) => mark.label)).toEqual(['earlier', 'later']);
    expect(marked.spans).toBe(combined.spans);
  });
});

describe('keeping timelines small', () => {
  /** A timeline of `count` back-to-back 10 us spans on one lane, with a mark at each span's start. */
  const steady = (title: string, count: number): Timeline => ({
    title,
    endUs: count * 10,
    lanes: [{id: 'a', label: 'a', kind: 'thread'}, {id: 'b', label: 'b', kind: 'thread'}],
    spans: Array.from({length: count}, (_, index) => ({lane: 'a', startUs: index * 10, endUs: index * 10 + 10, state: index % 2 === 0 ? 'running' : 'ready', detail: 'x'})),
    marks: [{lane: 'a', atUs: 0, label: 'start'}, {lane: 'b', atUs: count * 10, label: 'end'}],
  });

  it('cuts a timeline where its spans run out, clipping, dropping later marks and empty lanes, and says so', () => {
    const cut = cutTimeline(steady('run', 100), 30);
    expect(cut.spans).toHaveLength(30);
    expect(cut.endUs).toBe(300);
    expect(cut.runEndUs).toBe(1000);
    expect(cut.title).toBe('run (its first 0.3 ms of 1 ms, to stay small)');
    expect(cut.marks.map((mark) => mark.label)).toEqual(['start']);
    expect(cut.lanes.map((lane) => lane.id)).toEqual(['a']);
    // Cut again, the title is rewritten, not stacked.
    expect(cutTimeline(cut, 10).title).toBe('run (its first 0.1 ms of 1 ms, to stay small)');
    expect(cutTimeline(cut, 30)).toBe(cut);
  });

  it('keeps the timelines that fit whole and cuts the larger ones to an equal share of the rest', () => {
    const fitted = fitTimelines([steady('small', 10), steady('big', 500), steady('bigger', 900)], 410);
    expect(fitted.map((timeline) => timeline.spans.length)).toEqual([10, 200, 200]);
    expect(fitted[0].title).toBe('small');
    const roomy = [steady('one', 10), steady('two', 20)];
    expect(fitTimelines(roomy, 30)).toEqual(roomy);
  });

  it('stops reading a run whose timeline would outgrow the budget, and says where', () => {
    const machine = new Machine({cores: 2, seed: 1});
    const result = machine.run(function* main() {
      // Two CPU-bound threads hand the GIL over every 5 ms for a minute: far more spans than a page takes.
      const spinners = ['a', 'b'].map((name) => machine.thread({name, *target() {
        yield cpu(30_000_000);
      }}));
      for (const spinner of spinners) yield spinner.start();
      for (const spinner of spinners) yield spinner.join();
    });
    const timeline = machineTimeline(result, 'a minute of spinning');
    expect(timeline.spans.length).toBeLessThanOrEqual(SPANS_PER_SCENARIO);
    expect(timeline.spans.length).toBeGreaterThan(SPANS_PER_SCENARIO - 20);
    expect(timeline.runEndUs).toBe(result.metrics.wallTimeUs);
    expect(timeline.endUs).toBeLessThan(result.metrics.wallTimeUs);
    expect(timeline.title).toMatch(/^a minute of spinning \(its first [\d.]+ s of 60(\.\d+)? s, to stay small\)$/);
    expect(Math.max(...timeline.spans.map((span) => span.endUs))).toBe(timeline.endUs);
    expectNoOverlap(spansOf(timeline, 'gil:MainProcess'));
  });
});
