import {describe as vitestDescribe, expect, it as vitestIt} from 'vitest';
import {Harness} from './harness';

vitestDescribe('Harness', () => {
  vitestIt('runs nested tests in order with hooks, and reports Sandpack test events', async () => {
    const events: Array<Record<string, unknown>> = [];
    const order: string[] = [];
    const harness = new Harness((event) => events.push(event), (error) => ({name: 'Error', message: String((error as Error).message)}));
    const {describe, it, test, beforeEach, afterEach} = harness.globals();
    harness.collect('/index.test.ts', () => {
      beforeEach(() => void order.push('outer before'));
      it('first', () => void order.push('first'));
      describe('group', () => {
        beforeEach(() => void order.push('inner before'));
        afterEach(() => void order.push('inner after'));
        test('async fails', async () => {
          order.push('async');
          await Promise.resolve();
          throw new Error('nope');
        });
      });
    });
    await harness.run();

    expect(order).toEqual(['outer before', 'first', 'outer before', 'inner before', 'async', 'inner after']);
    expect([harness.passed, harness.failed]).toEqual([1, 1]);
    expect(events.map((event) => event.event)).toEqual([
      'add_test', 'describe_start', 'add_test', 'describe_end', 'test_start', 'test_end', 'test_start', 'test_end',
    ]);
    const last = events.at(-1)!.test as {name: string; blocks: string[]; status: string; errors: unknown[]; path: string};
    expect(last).toMatchObject({name: 'async fails', blocks: ['group'], status: 'fail', path: '/index.test.ts', errors: [{message: 'nope'}]});
  });
});
