import {describe, expect, it} from 'vitest';
import {gather, run, sleep} from './asyncio/api';
import {Machine} from './machine';
import {cpu, io} from './threads';
import {loopTimeline, machineTimeline, type Timeline, type TimelineSpan} from './timeline';

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
