import {describe, expect, it} from 'vitest';
import {RuntimeError} from './errors';
import {Machine} from './machine';
import {cpu, io, nativeCpu, sleep} from './threads';

const statesOf = (result: ReturnType<Machine['run']>, name: string): string[] =>
  result.trace.filter((r) => r.kind === 'state' && r.actor === name).map((r) => String(r.details.to));

describe('Machine', () => {
  it('rejects a core count that is not a positive integer, naming the parameter and value', () => {
    for (const cores of [0, -1, 1.5, Number.NaN]) expect(() => new Machine({cores})).toThrow(`cores must be a positive integer, got ${cores}`);
    expect(() => new Machine({cores: 1, switchIntervalUs: 0})).toThrow(/switchIntervalUs/);
  });

  it('takes a thread through new → ready → running → blocked → ready → running → terminated', () => {
    const machine = new Machine({cores: 2});
    const result = machine.run(function* main() {
      const t = machine.thread({name: 'downloader', *target() {
        yield cpu(100);
        yield io(10_000);
        yield cpu(100);
      }});
      expect(t.state).toBe('new');
      yield t.start();
      yield t.join();
    });
    expect(statesOf(result, 'downloader')).toEqual(['ready', 'running', 'blocked', 'ready', 'running', 'terminated']);
    expect(result.threads.find((t) => t.name === 'downloader')?.cpuTimeUs).toBe(200);
  });

  it('names threads as Python 3.10+ does and keeps daemon', () => {
    const machine = new Machine({cores: 1});
    machine.run(function* main() {
      const first = machine.thread({*target() {}});
      const named = machine.thread({daemon: true, target: function* worker() {}});
      expect(first.name).toBe('Thread-1 (target)');
      expect(named.name).toBe('Thread-2 (worker)');
      expect(named.daemon).toBe(true);
    });
  });

  it('raises RuntimeError when joining a thread before it is started, and when starting twice', () => {
    const machine = new Machine({cores: 1});
    const caught: string[] = [];
    machine.run(function* main() {
      const t = machine.thread({*target() {}});
      try {
        yield t.join();
      } catch (error) {
        expect(error).toBeInstanceOf(RuntimeError);
        caught.push((error as Error).message);
      }
      yield t.start();
      try {
        yield t.start();
      } catch (error) {
        caught.push((error as Error).message);
      }
    });
    expect(caught).toEqual(['cannot join thread before it is started', 'threads can only be started once']);
  });

  it('reports an uncaught Python exception as ending its thread', () => {
    const machine = new Machine({cores: 1});
    const result = machine.run(function* main() {
      yield machine.thread({*target() {}}).join();
    });
    expect(result.exceptions).toEqual([{thread: 'MainThread', type: 'RuntimeError', message: 'cannot join thread before it is started'}]);
  });

  it('exits without waiting for daemon threads', () => {
    const machine = new Machine({cores: 2});
    const result = machine.run(function* main() {
      yield machine.thread({name: 'forever', daemon: true, *target() {
        yield sleep(1_000_000_000);
      }}).start();
      yield cpu(10);
    });
    expect(result.abandonedDaemons).toEqual(['forever']);
    expect(result.metrics.wallTimeUs).toBeLessThan(1000);
    expect(result.deadlock).toBeNull();
  });
});

describe('GIL', () => {
  const splitWork = (mode: 'gil' | 'free-threaded', threads: number, cores: number) => {
    const machine = new Machine({cores, mode});
    return machine.run(function* main() {
      const workers = Array.from({length: threads}, () => machine.thread({*target() {
        yield cpu(200_000 / threads);
      }}));
      for (const w of workers) yield w.start();
      for (const w of workers) yield w.join();
    });
  };

  it('lets two CPU-bound threads share it, switching about once per switch interval', () => {
    const result = splitWork('gil', 2, 2);
    expect(result.metrics.wallTimeUs).toBeGreaterThanOrEqual(200_000);
    // 200 ms of work, a switch every 5 ms: about 40 hand-offs.
    expect(result.metrics.gilHandoffs).toBeGreaterThan(30);
    expect(result.metrics.gilHandoffs).toBeLessThan(50);
    expect(result.metrics.gilDropRequests).toBeGreaterThan(30);
  });

  it('runs CPU-bound threads in parallel when free-threaded', () => {
    const result = splitWork('free-threaded', 2, 2);
    expect(result.metrics.wallTimeUs).toBeLessThan(110_000);
    expect(result.metrics.gilHandoffs).toBe(0);
  });

  it('never gives the GIL straight back to a holder that dropped it on request (FORCE_SWITCHING)', () => {
    const result = splitWork('gil', 2, 2);
    const gil = result.trace.filter((r) => r.kind === 'gil');
    gil.forEach((record, index) => {
      if (record.details.action !== 'drop' || record.details.forced !== true) return;
      const nextTake = gil.slice(index + 1).find((r) => r.details.action === 'take');
      if (nextTake) expect(nextTake.actor).not.toBe(record.actor);
    });
  });

  it('is released by native code, I/O and sleep', () => {
    const machine = new Machine({cores: 2});
    const result = machine.run(function* main() {
      const t = machine.thread({*target() {
        yield nativeCpu(100_000);
      }});
      yield t.start();
      yield cpu(100_000);
      yield t.join();
    });
    expect(result.metrics.wallTimeUs).toBeLessThan(110_000);
  });

  it('makes an I/O thread wait about one switch interval next to a CPU-bound thread', () => {
    const machine = new Machine({cores: 2, switchIntervalUs: 5000});
    let waited = 0;
    machine.run(function* main() {
      yield machine.thread({daemon: true, *target() {
        yield cpu(10_000_000);
      }}).start();
      const reader = machine.thread({*target() {
        const before = machine.now;
        yield io(1000);
        waited = machine.now - before - 1000;
      }});
      yield reader.start();
      yield reader.join();
    });
    expect(waited).toBeGreaterThan(4000);
    expect(waited).toBeLessThan(6500);
  });
});
