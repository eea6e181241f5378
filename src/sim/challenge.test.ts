import {describe, expect, it} from 'vitest';
import {choices, levels, pyRepr, setExpanded, startLevel, step, type ChallengeState} from './challenge';
import {PythonError} from './errors';
import {explore, type Program} from './explore';
import {Condition} from './sync';
import {cpu, withLock, type ThreadProgram} from './threads';

/** Play `moves` (thread names) from the start of `level`, expanded or not. */
function play(level: string, moves: string[], expanded = false): ChallengeState {
  let state = setExpanded(startLevel(level), expanded);
  for (const thread of moves) state = step(state, thread);
  return state;
}

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null) {
    for (const child of Object.values(value)) deepFreeze(child);
    Object.freeze(value);
  }
  return value;
}

/** A state without its history: two games in this position can go on the same ways. */
const position = (state: ChallengeState): string => JSON.stringify({...state, log: [], moves: 0});

/**
 * Every state reachable from the start of `level`, where a move is running any runnable thread or
 * switching the expansion on or off: the whole game, searched exhaustively.
 */
function reachable(level: string): ChallengeState[] {
  const seen = new Map<string, ChallengeState>();
  const queue = [startLevel(level)];
  while (queue.length > 0) {
    const state = queue.pop()!;
    const key = position(state);
    if (seen.has(key)) continue;
    seen.set(key, state);
    queue.push(setExpanded(state, !state.expanded));
    for (const thread of choices(state)) queue.push(step(state, thread));
  }
  return [...seen.values()];
}

const endings = (level: string) => reachable(level).filter((state) => state.outcome !== 'playing');

describe('the levels', () => {
  it('are at least the four broken programs and one fixed one, each starting with every thread runnable', () => {
    const all = levels();
    expect(all.map((level) => level.id)).toEqual(['lost-update', 'overdraft', 'lock-order', 'stolen-wakeup', 'locked-counter']);
    expect(all.filter((level) => level.goal === 'hold').map((level) => level.id)).toEqual(['locked-counter']);
    for (const level of all) {
      const state = startLevel(level.id);
      expect(state.outcome).toBe('playing');
      expect(state.runnable).toEqual(level.threads.map((thread) => thread.name));
      expect(state.log).toEqual([]);
      for (const [index, thread] of state.threads.entries()) {
        // The highlighted line is a line of the thread's own source, and says what runs next.
        expect(level.threads[index].source[thread.line!]).toBeDefined();
        expect(thread.next).toBeTruthy();
      }
      expect(level.lesson.length).toBeGreaterThan(0);
      expect(level.fix).toContain('\n');
    }
  });

  it('are each winnable by some schedule, and the fixed one by none (every reachable state searched)', () => {
    for (const level of levels()) {
      const ends = endings(level.id);
      const won = ends.filter((state) => state.outcome === 'won');
      if (level.goal === 'break') {
        expect(won.length, level.id).toBeGreaterThan(0);
        expect(ends.some((state) => state.outcome === 'stuck'), `${level.id} can also end unbroken`).toBe(true);
        expect(won.every((state) => state.solved)).toBe(true);
      } else {
        expect(won, level.id).toEqual([]);
        expect(ends.length).toBeGreaterThan(0);
        expect(ends.every((state) => state.outcome === 'stuck' && state.solved)).toBe(true);
      }
    }
  });

  it('break the way their lesson explains', () => {
    const kinds = (level: string) => new Set(endings(level).flatMap((state) => (state.failure ? [state.failure.kind] : [])));
    expect(kinds('lost-update')).toEqual(new Set(['assertion']));
    expect(kinds('overdraft')).toEqual(new Set(['assertion']));
    expect(kinds('lock-order')).toEqual(new Set(['deadlock']));
    expect(kinds('stolen-wakeup')).toEqual(new Set(['exception']));
    const counters = new Set(endings('lost-update').map((state) => state.shared.counter));
    expect(counters).toEqual(new Set([1, 2]));
    const balances = new Set(endings('overdraft').map((state) => state.shared.balance));
    // 20 or 50: one was refused; -30: both passed the check; 0 and 100 cannot happen.
    expect(balances).toEqual(new Set([20, 50, -30]));
  });

  it('need the expansion for the lost update only: run whole, counter += 1 cannot be split', () => {
    const wholeEndings = (level: string) => {
      const seen = new Set<string>();
      const ends: ChallengeState[] = [];
      const queue = [startLevel(level)];
      while (queue.length > 0) {
        const state = queue.pop()!;
        if (seen.has(position(state))) continue;
        seen.add(position(state));
        if (state.outcome !== 'playing') ends.push(state);
        for (const thread of choices(state)) queue.push(step(state, thread));
      }
      return ends;
    };
    expect(wholeEndings('lost-update').map((state) => state.outcome)).toEqual(['stuck']);
    for (const level of ['overdraft', 'lock-order', 'stolen-wakeup']) {
      expect(wholeEndings(level).some((state) => state.outcome === 'won'), level).toBe(true);
    }
  });
});

describe('playing', () => {
  it('loses an update when both threads read before either writes', () => {
    const state = play('lost-update', ['T1', 'T2', 'T1', 'T1', 'T2', 'T2'], true);
    expect(state.outcome).toBe('won');
    expect(state.solved).toBe(true);
    expect(state.shared.counter).toBe(1);
    expect(state.reason).toBe('AssertionError: assert counter == 2 failed, counter is 1');
    expect(state.failure).toEqual({kind: 'assertion', cycle: null});
    expect(state.log.map((entry) => `${entry.thread}: ${entry.text}`).slice(0, 6)).toEqual([
      'T1: LOAD_GLOBAL counter: reads 0 onto its own stack',
      'T2: LOAD_GLOBAL counter: reads 0 onto its own stack',
      'T1: LOAD_CONST 1 · BINARY_OP +=: computes 1 (not stored yet)',
      'T1: STORE_GLOBAL counter: writes 1 (counter was 0)',
      'T1: finished',
      'T2: LOAD_CONST 1 · BINARY_OP +=: computes 1 (not stored yet)',
    ]);
    expect(state.runnable).toEqual([]);
  });

  it('shows the bytecode of an expanded +=, and the position inside it', () => {
    const state = play('lost-update', ['T1'], true);
    const [t1, t2] = state.threads;
    expect(t1.bytecode).toEqual({instructions: ['LOAD_GLOBAL counter', 'LOAD_CONST 1 · BINARY_OP +=', 'STORE_GLOBAL counter'], at: 1});
    expect(t1.stack).toEqual([0]);
    expect(t1.next).toBe('LOAD_CONST 1 · BINARY_OP +=');
    expect(t2.bytecode?.at).toBe(0);
    expect(t1.line).toBe(2);
  });

  it('finishes a half-run += whole when the expansion is switched off', () => {
    let state = play('lost-update', ['T1'], true);
    state = setExpanded(state, false);
    expect(state.threads[0].next).toBe('finish counter += 1 (LOAD_CONST 1 · BINARY_OP +=, STORE_GLOBAL counter)');
    expect(state.threads[0].bytecode?.at).toBe(1);
    expect(state.threads[1].bytecode).toBeNull();
    state = step(step(state, 'T2'), 'T1');
    expect(state.shared.counter).toBe(1);
    expect(state.log.slice(-3).map((entry) => entry.text)).toEqual(['finishes counter += 1: writes 1 (counter was 1)', 'finished', 'AssertionError: assert counter == 2 failed, counter is 1']);
  });

  it('ends "stuck" when every thread finishes and the assertion holds', () => {
    const state = play('lost-update', ['T1', 'T2']);
    expect(state.outcome).toBe('stuck');
    expect(state.solved).toBe(false);
    expect(state.reason).toBe('Every thread finished and nothing went wrong: counter ended at 2, because each thread read, added and wrote back before the other read.');
  });

  it('overdraws when both threads check before either withdraws', () => {
    const state = play('overdraft', ['T1', 'T2', 'T1', 'T2']);
    expect(state.log[0]).toEqual({thread: 'T1', text: 'if balance >= amount: 100 >= 80, so True'});
    expect(state.shared.balance).toBe(-30);
    expect(state.reason).toBe('AssertionError: assert balance >= 0 failed, balance is -30');
    const refused = play('overdraft', ['T1', 'T1', 'T2']);
    expect(refused.log.map((entry) => entry.text)).toContain('if balance >= amount: 20 >= 50, so False');
    expect(refused.outcome).toBe('stuck');
  });

  it('deadlocks when each thread takes its first lock, and names the cycle', () => {
    let state = play('lock-order', ['T1', 'T2']);
    expect(state.locks.alice_lock.owner).toBe('T1');
    expect(state.locks.bob_lock.owner).toBe('T2');
    state = step(state, 'T1');
    expect(state.threads[0]).toMatchObject({status: 'blocked', blockedOn: {kind: 'lock', name: 'bob_lock', heldBy: 'T2'}});
    expect(state.locks.bob_lock.waiters).toEqual(['T1']);
    expect(state.runnable).toEqual(['T2']);
    expect(() => step(state, 'T1')).toThrow('threadName T1 cannot run: it is blocked on lock bob_lock');
    state = step(state, 'T2');
    expect(state.outcome).toBe('won');
    expect(state.reason).toBe('Deadlock: T1 holds alice_lock and waits for bob_lock; T2 holds bob_lock and waits for alice_lock');
    expect(state.failure).toEqual({
      kind: 'deadlock',
      cycle: [
        {thread: 'T1', waitsFor: {kind: 'lock', name: 'bob_lock'}, heldBy: 'T2'},
        {thread: 'T2', waitsFor: {kind: 'lock', name: 'alice_lock'}, heldBy: 'T1'},
      ],
    });
  });

  it('wakes a parked thread on release, which then takes the lock when it runs', () => {
    let state = play('locked-counter', ['T1', 'T2', 'T1']);
    expect(state.threads[1].status).toBe('blocked');
    state = step(state, 'T1');
    expect(state.log.at(-2)?.text).toBe('leaves with lock: releases lock; T2 wakes up and will try again');
    expect(state.threads[1]).toMatchObject({status: 'ready', blockedOn: null});
    state = step(step(step(state, 'T2'), 'T2'), 'T2');
    expect(state.outcome).toBe('stuck');
    expect(state.solved).toBe(true);
    expect(state.shared.counter).toBe(2);
  });

  it('lets a second consumer steal the job a notify() was meant for, and the first one crash', () => {
    let state = play('stolen-wakeup', ['C1', 'C1', 'C1']);
    expect(state.threads[0]).toMatchObject({status: 'blocked', blockedOn: {kind: 'condition', name: 'cond'}});
    expect(state.conditions.cond.waiters).toEqual(['C1']);
    expect(state.locks.cond.owner).toBeNull();
    state = step(step(step(state, 'P'), 'P'), 'P');
    expect(state.log.at(-1)?.text).toBe("cond.notify(): wakes C1, which now waits for cond's lock");
    expect(state.threads[0]).toMatchObject({status: 'blocked', blockedOn: {kind: 'lock', name: 'cond', heldBy: 'P'}});
    state = step(state, 'P');
    expect(state.runnable).toEqual(['C1', 'C2', 'P']);
    state = ['C2', 'C2', 'C2', 'C2'].reduce(step, state);
    expect(state.threads[1].locals.job).toBe('a');
    state = step(state, 'C1');
    expect(state.log.at(-1)?.text).toBe("cond.wait() returns: C1 has cond's lock again");
    state = step(state, 'C1');
    expect(state.outcome).toBe('won');
    expect(state.reason).toBe('C1 raised IndexError: pop from empty list');
    expect(state.threads[0].status).toBe('raised');
  });

  it('never changes the state it is given, and works on states that went through JSON', () => {
    const start = deepFreeze(setExpanded(startLevel('lost-update'), true));
    const before = JSON.stringify(start);
    const after = step(start, 'T1');
    expect(JSON.stringify(start)).toBe(before);
    expect(after).not.toBe(start);
    const roundTripped = JSON.parse(JSON.stringify(after)) as ChallengeState;
    expect(step(roundTripped, 'T2')).toEqual(step(after, 'T2'));
  });
});

describe('bad input and Python errors', () => {
  it('names the parameter that is wrong', () => {
    expect(() => startLevel('nope')).toThrow('id must be one of lost-update, overdraft, lock-order, stolen-wakeup, locked-counter, got "nope"');
    const state = startLevel('lost-update');
    expect(() => step(state, 'T9')).toThrow('threadName must be one of T1, T2, got "T9"');
    expect(() => step({...state, level: 'gone'}, 'T1')).toThrow('state.level must be one of');
    expect(() => setExpanded(state, 'yes' as unknown as boolean)).toThrow('expanded must be true or false, got "yes"');
    const over = play('lost-update', ['T1', 'T2']);
    expect(() => step(over, 'T1')).toThrow('the game is over (stuck): undo a step or start the level again');
    expect(choices(over)).toEqual([]);
  });

  it("raises threading's RuntimeError for a lock released when nobody holds it", () => {
    const inside = play('locked-counter', ['T1', 'T1']);
    const tampered: ChallengeState = {...inside, locks: {lock: {...inside.locks.lock, owner: null, count: 0}}};
    const state = step(tampered, 'T1');
    expect(state.outcome).toBe('won');
    expect(state.reason).toBe('T1 raised RuntimeError: release unlocked lock');
  });

  it("raises RuntimeError when wait() or notify() is called without the Condition's lock", () => {
    const atWait = play('stolen-wakeup', ['C1', 'C1']);
    const noLock: ChallengeState = {...atWait, locks: {cond: {...atWait.locks.cond, owner: null, count: 0}}};
    expect(step(noLock, 'C1').reason).toBe('C1 raised RuntimeError: cannot wait on un-acquired lock');
    const atNotify = play('stolen-wakeup', ['P', 'P']);
    const stolen: ChallengeState = {...atNotify, locks: {cond: {...atNotify.locks.cond, owner: 'C2'}}};
    expect(step(stolen, 'P').reason).toBe('P raised RuntimeError: cannot notify on un-acquired lock');
  });

  it('writes values as Python does', () => {
    expect(pyRepr(3)).toBe('3');
    expect(pyRepr(['a', 'b'])).toBe("['a', 'b']");
    expect(pyRepr([])).toBe('[]');
  });
});

/**
 * The same programs on the Machine (machine.ts), searched by its schedule explorer: it must find a
 * failure in exactly the levels the learner can win, and prove the fixed one correct.
 */
describe('the Machine agrees', () => {
  const twoThreads = (machine: Parameters<Program>[0], bodies: Array<[string, () => ThreadProgram]>) =>
    function* main(): ThreadProgram {
      const threads = bodies.map(([name, target]) => machine.thread({name, target}));
      for (const thread of threads) yield thread.start();
      for (const thread of threads) yield thread.join();
    };

  const counter: Program = (machine) => {
    let value = 0;
    function* work(): ThreadProgram {
      const read = value; // LOAD_GLOBAL
      yield cpu(1); // a switch may come between the load and the store
      value = read + 1; // BINARY_OP, STORE_GLOBAL
    }
    return {main: twoThreads(machine, [['T1', work], ['T2', work]]), check: () => (value === 2 ? undefined : `counter is ${value}`)};
  };

  // explore.test.ts proves the locked version of this counter correct in every schedule.
  it('on the lost update', () => {
    expect(explore(counter).counterexample?.message).toBe('counter is 1');
  });

  it('on the overdraft', () => {
    const result = explore((machine) => {
      let balance = 100;
      const withdraw = (amount: number) =>
        function* (): ThreadProgram {
          const enough = balance >= amount;
          yield cpu(1);
          if (enough) balance -= amount;
        };
      return {main: twoThreads(machine, [['T1', withdraw(80)], ['T2', withdraw(50)]]), check: () => (balance >= 0 ? undefined : `balance is ${balance}`)};
    });
    expect(result.counterexample?.message).toBe('balance is -30');
  });

  it('on the two locks taken in opposite orders', () => {
    const result = explore((machine) => {
      const alice = machine.lock('alice_lock');
      const bob = machine.lock('bob_lock');
      const pay = (first: typeof alice, second: typeof alice) => () => withLock(first, () => withLock(second, function* () { yield cpu(1); }));
      return {main: twoThreads(machine, [['T1', pay(alice, bob)], ['T2', pay(bob, alice)]]), check: () => undefined};
    });
    expect(result.counterexample?.message).toMatch(/^deadlock: /);
    expect(result.counterexample?.message).toContain('T1 waits for lock bob_lock (held by T2)');
    expect(result.counterexample?.message).toContain('T2 waits for lock alice_lock (held by T1)');
  });

  it('on the Condition waited on with if, and not with while', () => {
    const consumers = (loop: boolean): Program => (machine) => {
      const jobs: string[] = [];
      const cond = new Condition(machine, undefined, 'cond');
      const consume = () =>
        withLock(cond.lock, function* () {
          if (loop) while (jobs.length === 0) yield* cond.wait();
          else if (jobs.length === 0) yield* cond.wait();
          if (jobs.length === 0) throw new PythonError('IndexError', 'pop from empty list');
          jobs.shift();
        });
      function* produce(): ThreadProgram {
        for (const job of ['a', 'b']) {
          yield* withLock(cond.lock, function* () {
            jobs.push(job);
            cond.notify();
            yield cpu(1);
          });
        }
      }
      return {main: twoThreads(machine, [['C1', consume], ['C2', consume], ['P', produce]]), check: () => undefined};
    };
    expect(explore(consumers(false)).counterexample?.message).toMatch(/^C[12] raised IndexError: pop from empty list$/);
    // Not exhaustive (three threads have too many schedules for a quick test): every schedule with
    // few switches, then random ones. The game's own search above covers every interleaving.
    const fixed = explore(consumers(true), {exhaustiveUpTo: 1_000, seeds: 50});
    expect(fixed.ok).toBe(true);
    expect(fixed.schedules).toBeGreaterThan(300);
  }, 30_000);
});
