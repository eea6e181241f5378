import {describe, expect, it} from 'vitest';
import {IO_JITTER_US} from './constants';
import type {TraceRecord} from './kernel';
import {Machine} from './machine';
import {threadLifecycleTransitions, threadTransitions, type ThreadTransition} from './thread-states';
import {cpu, io, sleep, withLock} from './threads';

const path = (transitions: ThreadTransition[], thread: string): string[] =>
  transitions.filter((t) => t.thread === thread).map((t) => (t.to === 'blocked' ? `blocked:${t.wait}` : t.to));

/** Two workers share a lock; one sleeps inside it, the other reads first; main joins both. */
function contendedRun() {
  const machine = new Machine({cores: 2, seed: 3});
  const lock = machine.lock('L');
  return machine.run(function* main() {
    const sleeper = machine.thread({
      name: 'sleeper',
      *target() {
        yield* withLock(lock, function* () {
          yield sleep(2000);
        });
      },
    });
    const reader = machine.thread({
      name: 'reader',
      *target() {
        yield cpu(100);
        yield* withLock(lock, function* () {
          yield io(500);
        });
      },
    });
    yield sleeper.start();
    yield reader.start();
    yield sleeper.join();
    yield reader.join();
  });
}

describe('threadTransitions', () => {
  it('lists every state record of the trace, in order, each starting where the thread last was', () => {
    const result = contendedRun();
    const transitions = threadTransitions(result.trace);
    expect(transitions).toHaveLength(result.trace.filter((record) => record.kind === 'state').length);
    const at = new Map<string, string>();
    let previousUs = 0;
    for (const transition of transitions) {
      expect(transition.from).toBe(at.get(transition.thread) ?? 'new');
      expect(transition.atUs).toBeGreaterThanOrEqual(previousUs);
      at.set(transition.thread, transition.to);
      previousUs = transition.atUs;
    }
    for (const thread of ['MainThread', 'sleeper', 'reader']) expect(at.get(thread)).toBe('terminated');
  });

  it('names what a blocked thread waits for, on the way in and on the way out', () => {
    const transitions = threadTransitions(contendedRun().trace);
    expect(path(transitions, 'sleeper')).toContain('blocked:sleep');
    expect(path(transitions, 'reader')).toContain('blocked:lock');
    expect(path(transitions, 'reader')).toContain('blocked:io');
    expect(path(transitions, 'MainThread')).toContain('blocked:join');
    for (const [index, transition] of transitions.entries()) {
      if (transition.from !== 'blocked') continue;
      // The wait a thread leaves is the one it entered with.
      const entered = transitions.slice(0, index).filter((t) => t.thread === transition.thread && t.to === 'blocked').at(-1);
      expect(transition.wait).toBe(entered?.wait);
      expect(transition.reason).not.toBeNull();
    }
    for (const transition of transitions) {
      if (transition.from !== 'blocked' && transition.to !== 'blocked') expect(transition.wait).toBeNull();
      if (transition.to === 'running') expect(transition.core).toBeGreaterThanOrEqual(0);
      else expect(transition.core).toBeNull();
    }
  });

  it('rejects a trace whose state record is not a thread state change', () => {
    const bad: TraceRecord[] = [{time: 1, kind: 'state', actor: 'T', details: {from: 'new', to: 'asleep'}}];
    expect(() => threadTransitions(bad)).toThrow(/T at 1 us has no thread state: "asleep"/);
    const unblocked: TraceRecord[] = [{time: 2, kind: 'state', actor: 'T', details: {from: 'blocked', to: 'ready', reason: 'io done'}}];
    expect(() => threadTransitions(unblocked)).toThrow(/T left blocked at 2 us without having blocked/);
  });
});

describe('threadLifecycleTransitions (the thread-lifecycle scenario)', () => {
  it('shows seed 000’s download thread: ready → running → blocked (io) → ready → running → terminated', () => {
    const {threads, transitions, params} = threadLifecycleTransitions({});
    expect(params).toEqual({cores: 2, delay: 0.1, seed: 1});
    expect(threads).toEqual(['MainThread', 'downloader']);
    expect(path(transitions, 'downloader')).toEqual(['ready', 'running', 'blocked:io', 'ready', 'running', 'terminated']);
    expect(path(transitions, 'MainThread')).toContain('blocked:join');
  });

  it('moves the read’s wake-up by the change in delay', () => {
    const ioDone = (delay: number) => threadLifecycleTransitions({delay}).transitions.find((t) => t.thread === 'downloader' && t.reason === 'io done')!.atUs;
    expect(ioDone(0.3) - ioDone(0.1)).toBeGreaterThanOrEqual(200_000 - IO_JITTER_US);
    expect(ioDone(0.3) - ioDone(0.1)).toBeLessThanOrEqual(200_000 + IO_JITTER_US);
  });

  it('on one core, the downloader waits in ready while the main thread runs', () => {
    const one = threadLifecycleTransitions({cores: 1}).transitions;
    const started = one.findIndex((t) => t.thread === 'downloader' && t.to === 'ready');
    const runs = one.findIndex((t) => t.thread === 'downloader' && t.to === 'running');
    expect(one.slice(started, runs).some((t) => t.thread === 'MainThread' && t.from === 'running')).toBe(true);
  });

  it('names a bad knob', () => {
    expect(() => threadLifecycleTransitions({delay: 0})).toThrow('--delay must be a number of seconds above 0 and at most 3600, got 0');
    expect(() => threadLifecycleTransitions({cores: 1.5})).toThrow(/--cores must be an integer/);
  });
});
