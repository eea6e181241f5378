import {describe, expect, it} from 'vitest';
import {Machine} from '../../../sim/machine';
import {threadLifecycleTransitions, threadTransitions} from '../../../sim/thread-states';
import {cpu, io, sleep, withLock} from '../../../sim/threads';
import {EDGES, edgeOf, HEIGHT, LANE_LABELS, NODES, nodeById, WIDTH, type DiagramNode} from './diagram';

/** The corners a path of M/H/V commands passes through. */
function corners(path: string): {x: number; y: number}[] {
  const tokens = path.trim().split(/\s+/);
  const points: {x: number; y: number}[] = [];
  for (let index = 0; index < tokens.length; ) {
    const command = tokens[index];
    const last = points.at(-1);
    if (command === 'M') {
      points.push({x: Number(tokens[index + 1]), y: Number(tokens[index + 2])});
      index += 3;
    } else if (command === 'H') {
      points.push({x: Number(tokens[index + 1]), y: last!.y});
      index += 2;
    } else if (command === 'V') {
      points.push({x: last!.x, y: Number(tokens[index + 1])});
      index += 2;
    } else throw new Error(`unexpected path command ${command}`);
  }
  return points;
}

const onBorder = (point: {x: number; y: number}, node: DiagramNode): boolean => {
  const [left, right, top, bottom] = [node.x - node.width / 2, node.x + node.width / 2, node.y - node.height / 2, node.y + node.height / 2];
  const withinX = point.x >= left && point.x <= right;
  const withinY = point.y >= top && point.y <= bottom;
  return (withinY && (point.x === left || point.x === right)) || (withinX && (point.y === top || point.y === bottom));
};

/** A program that visits every wait: a lock held across a sleep, a read, a GIL fight, joins. */
function everyWaitRun() {
  const machine = new Machine({cores: 2, seed: 5});
  const lock = machine.lock('L');
  return machine.run(function* main() {
    const holder = machine.thread({
      name: 'holder',
      *target() {
        yield* withLock(lock, function* () {
          yield sleep(3000);
        });
      },
    });
    const waiter = machine.thread({
      name: 'waiter',
      *target() {
        yield cpu(200);
        yield* withLock(lock, function* () {
          yield io(1000);
        });
        yield cpu(20_000);
      },
    });
    yield holder.start();
    yield waiter.start();
    yield cpu(20_000);
    yield holder.join();
    yield waiter.join();
  });
}

describe('the thread state diagram', () => {
  it('has an edge for every transition the simulator makes, and the scenario uses only drawn edges', () => {
    const transitions = [
      ...threadTransitions(everyWaitRun().trace),
      ...[1, 2, 4].flatMap((cores) => threadLifecycleTransitions({cores}).transitions),
      ...threadLifecycleTransitions({delay: 0.001}).transitions,
    ];
    const taken = new Set<string>();
    for (const transition of transitions) {
      const edge = edgeOf(transition);
      expect(edge, `${transition.from} → ${transition.to} (${transition.wait})`).not.toBeNull();
      taken.add(edge!.id);
    }
    // The mixed program really does visit each wait's row, so the check above covers them.
    for (const wait of ['gil', 'io', 'sleep', 'lock', 'join']) {
      expect(taken).toContain(`running->blocked:${wait}`);
      expect(taken).toContain(`blocked:${wait}->ready`);
    }
  });

  it('draws each edge from its source box’s border to its target’s, inside the picture', () => {
    for (const edge of EDGES) {
      const points = corners(edge.path);
      expect(onBorder(points[0], nodeById(edge.from)), `${edge.id} starts on ${edge.from}`).toBe(true);
      expect(onBorder(points.at(-1)!, nodeById(edge.to)), `${edge.id} ends on ${edge.to}`).toBe(true);
      for (const point of points) {
        expect(point.x).toBeGreaterThanOrEqual(0);
        expect(point.x).toBeLessThanOrEqual(WIDTH);
        expect(point.y).toBeGreaterThanOrEqual(0);
        expect(point.y).toBeLessThanOrEqual(HEIGHT);
      }
    }
  });

  it('keeps the counts apart: no two badges overlap', () => {
    const badgeRadius = 9;
    for (const [index, a] of EDGES.entries()) {
      for (const b of EDGES.slice(index + 1)) expect(Math.hypot(a.badge.x - b.badge.x, a.badge.y - b.badge.y), `${a.id} vs ${b.id}`).toBeGreaterThan(2 * badgeRadius);
    }
  });

  it('has one box per state and per wait, none overlapping', () => {
    expect(NODES.map((node) => node.id)).toEqual(['new', 'ready', 'running', 'terminated', 'blocked:gil', 'blocked:io', 'blocked:sleep', 'blocked:lock', 'blocked:join']);
    for (const [index, a] of NODES.entries()) {
      for (const b of NODES.slice(index + 1)) {
        const apartX = Math.abs(a.x - b.x) >= (a.width + b.width) / 2;
        const apartY = Math.abs(a.y - b.y) >= (a.height + b.height) / 2;
        expect(apartX || apartY, `${a.id} vs ${b.id}`).toBe(true);
      }
    }
  });

  it('keeps every word inside the picture', () => {
    // About 0.62 em per character of the 13px sans-serif the labels use: generous for these words.
    const labels = [...LANE_LABELS, ...EDGES.flatMap((edge) => (edge.label && edge.labelAt ? [{text: edge.label, ...edge.labelAt}] : []))];
    for (const label of labels) {
      const width = label.text.length * 13 * 0.62;
      const left = label.anchor === 'start' ? label.x : label.anchor === 'middle' ? label.x - width / 2 : label.x - width;
      expect(left, label.text).toBeGreaterThanOrEqual(0);
      expect(left + width, label.text).toBeLessThanOrEqual(WIDTH);
      expect(label.y, label.text).toBeLessThanOrEqual(HEIGHT);
    }
  });
});
