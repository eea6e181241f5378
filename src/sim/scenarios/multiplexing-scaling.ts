/**
 * Seed 000: select and poll copy and scan every watched fd on every call (O(n)); epoll registers
 * once and each wait costs O(ready). select also refuses fd values >= FD_SETSIZE (1024): Python
 * raises ValueError("filedescriptor out of range in select()").
 */
import {FD_SETSIZE} from '../constants';
import {PythonError} from '../errors';
import {Environment} from '../kernel';
import {EVENT_READ, IoSystem, makeSelector, type SelectorKind, type SelectResult} from '../selectors';
import {type Scenario, type ScenarioRow} from './types';

const SIZES = [10, 100, 1000, 10_000] as const;
const KINDS: SelectorKind[] = ['select', 'poll', 'epoll'];

export interface WaitMeasurement {
  costUs: number;
  copiedBytes: number;
}

/** One wait call over `watched` sockets of which `ready` have data, or the error it raises. */
export function measureWait(kind: SelectorKind, watched: number, ready: number): WaitMeasurement | PythonError {
  const env = new Environment({seed: 1});
  const io = new IoSystem(env);
  const selector = makeSelector(kind, env);
  const sockets = Array.from({length: watched}, () => io.socket());
  for (const socket of sockets) selector.register(socket, EVENT_READ);
  for (const socket of sockets.slice(0, ready)) socket.deliver(1, false);
  let result: SelectResult | null = null;
  try {
    selector.select(0).onTrigger((value) => {
      result = value;
    });
  } catch (raised) {
    if (raised instanceof PythonError) return raised;
    throw raised;
  }
  env.run();
  const measured = result as SelectResult | null;
  if (measured === null) throw new Error('select(0) did not return');
  return {costUs: measured.costNs / 1000, copiedBytes: selector.copiedBytes(measured.events.length)};
}

export const multiplexingScaling: Scenario = {
  id: 'multiplexing-scaling',
  description: 'cost of one select / poll / epoll wait vs the number of watched fds, n of them ready',
  defaults: {n: 10},
  run({n}) {
    const rows: ScenarioRow[] = [];
    for (const kind of KINDS) {
      for (const size of SIZES) {
        const ready = Math.min(n, size);
        const measured = measureWait(kind, size, ready);
        if (measured instanceof PythonError) {
          rows.push({key: `${kind}-n${size}-error`, label: `${kind}: ${size} fds (highest fd ${size + 2} >= ${FD_SETSIZE}) → ${measured.pythonType}: ${measured.message}`, value: FD_SETSIZE, unit: 'fd limit', seed: FD_SETSIZE});
          continue;
        }
        rows.push({key: `${kind}-n${size}`, label: `${kind}: ${size} fds watched, ${ready} ready; ${measured.copiedBytes} bytes copied`, value: measured.costUs, unit: 'us', seed: null});
      }
    }
    return rows;
  },
};
