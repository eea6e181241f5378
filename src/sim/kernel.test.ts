import {describe, expect, it} from 'vitest';
import {Environment, Random} from './kernel';

describe('Random (mulberry32)', () => {
  it('gives the same sequence for the same seed and a different one for another seed', () => {
    const draw = (seed: number): number[] => {
      const random = new Random(seed);
      return Array.from({length: 5}, () => random.nextUint32());
    };
    expect(draw(7)).toEqual(draw(7));
    const a = new Random(1);
    const b = new Random(2);
    expect([a.nextUint32(), a.nextUint32()]).not.toEqual([b.nextUint32(), b.nextUint32()]);
  });

  it('draws floats in [0, 1) with a mean near one half, and integers below the bound', () => {
    const random = new Random(42);
    let sum = 0;
    for (let i = 0; i < 10_000; i += 1) {
      const value = random.nextFloat();
      expect(value).toBeGreaterThanOrEqual(0);
      expect(value).toBeLessThan(1);
      sum += value;
      const int = random.intBelow(3);
      expect([0, 1, 2]).toContain(int);
    }
    expect(sum / 10_000).toBeCloseTo(0.5, 1);
  });

  it('rejects a bad seed or bound, naming it', () => {
    expect(() => new Random(1.5)).toThrow(/seed/);
    expect(() => new Random(1).intBelow(0)).toThrow(/bound/);
  });
});

describe('Environment', () => {
  it('runs events in time order and same-time events in scheduling order', () => {
    const env = new Environment({seed: 0});
    const order: string[] = [];
    env.schedule(10, () => order.push('b@10'));
    env.schedule(5, () => order.push('a@5'));
    env.schedule(10, () => order.push('c@10'));
    env.schedule(0, () => env.schedule(10, () => order.push('d@10')));
    env.run();
    expect(order).toEqual(['a@5', 'b@10', 'c@10', 'd@10']);
    expect(env.now).toBe(10);
  });

  it('skips cancelled events and stops on request or at a time limit', () => {
    const env = new Environment({seed: 0});
    const seen: number[] = [];
    env.schedule(1, () => seen.push(1)).cancel();
    env.schedule(2, () => {
      seen.push(2);
      env.stop();
    });
    env.schedule(3, () => seen.push(3));
    env.run();
    expect(seen).toEqual([2]);
    const limited = new Environment({seed: 0});
    limited.schedule(100, () => seen.push(100));
    limited.run(50);
    expect(limited.now).toBe(50);
    expect(seen).toEqual([2]);
  });

  it('rejects a negative or fractional delay, naming the parameter', () => {
    const env = new Environment({seed: 0});
    expect(() => env.schedule(-1, () => undefined)).toThrow(/delay/);
    expect(() => env.schedule(0.5, () => undefined)).toThrow(/delay/);
  });

  it('runs generator processes that wait for timeouts and for each other', () => {
    const env = new Environment({seed: 0});
    const child = env.process(
      (function* () {
        yield env.timeout(30);
        return 'child done';
      })(),
    );
    let seen: unknown = null;
    env.process(
      (function* () {
        yield env.timeout(5);
        seen = yield child;
        env.record('parent', 'p', {at: env.now});
      })(),
    );
    env.run();
    expect(seen).toBe('child done');
    expect(env.trace).toEqual([{time: 30, kind: 'parent', actor: 'p', details: {at: 30}}]);
  });

  it('stops a run that never ends with a clear error', () => {
    const env = new Environment({seed: 0, maxEvents: 100});
    const again = (): void => void env.schedule(1, again);
    again();
    expect(() => env.run()).toThrow(/maxEvents/);
  });

  it('elapse() passes time at once only when it would have been the next event anyway', () => {
    // Two processes, one busy in steps of 3 us and one woken at 7 us: with or without the
    // shortcut, every step happens at the same virtual time.
    const timesWith = (shortcut: boolean): string[] => {
      const env = new Environment({seed: 0});
      const log: string[] = [];
      env.process(
        (function* busy() {
          for (let step = 0; step < 4; step += 1) {
            if (!(shortcut && env.elapse(3))) yield env.timeout(3);
            log.push(`busy@${env.now}`);
          }
        })(),
      );
      env.schedule(7, () => log.push(`timer@${env.now}`));
      env.run();
      return log;
    };
    expect(timesWith(true)).toEqual(timesWith(false));
    expect(timesWith(true)).toEqual(['busy@3', 'busy@6', 'timer@7', 'busy@9', 'busy@12']);

    const env = new Environment({seed: 0});
    env.schedule(5, () => undefined);
    expect(env.elapse(5)).toBe(false); // an event already due at 5 comes first
    expect(env.now).toBe(0);
    expect(env.elapse(4)).toBe(true);
    expect(env.now).toBe(4);
    expect(() => env.elapse(-1)).toThrow(/delay/);
  });

  it('counts elapse() against maxEvents, so a busy loop that never yields still stops', () => {
    const env = new Environment({seed: 0, maxEvents: 50});
    env.schedule(0, () => {
      for (;;) env.elapse(1);
    });
    expect(() => env.run()).toThrow(/maxEvents/);
  });
});
