/**
 * The thread state diagram, laid out by hand: where each state sits and the path each transition
 * draws, in the SVG's user units (viewBox 0 0 WIDTH HEIGHT). The states and waits are the
 * simulator's (ThreadState, BlockReason in src/sim/threads.ts); blocked is drawn as one box with a
 * row per wait, so a token shows both that a thread is blocked and what it waits for.
 */
import type {ThreadTransition} from '../../../sim/thread-states';
import type {BlockReason, ThreadState} from '../../../sim/threads';

export const WIDTH = 430;
export const HEIGHT = 482;

export type NodeId = Exclude<ThreadState, 'blocked'> | `blocked:${BlockReason}`;

export interface DiagramNode {
  id: NodeId;
  /** What the box says. */
  label: string;
  /** What a screen reader hears for it. */
  spoken: string;
  /** Centre and size of the box. */
  x: number;
  y: number;
  width: number;
  height: number;
  /** Where the tokens of the threads in this state line up (their centre). */
  slot: {x: number; y: number};
  /** A row of the blocked box: its label is left-aligned. */
  row: boolean;
}

export interface DiagramEdge {
  id: string;
  from: NodeId;
  to: NodeId;
  /** The words on the edge, or null when the box it leads to says it (the waits). */
  label: string | null;
  labelAt: {x: number; y: number; anchor: 'start' | 'middle' | 'end'} | null;
  spoken: string;
  /** SVG path data, from the source box's border to the target's (the arrowhead's end). */
  path: string;
  /** Where the count of how often it was taken is drawn. */
  badge: {x: number; y: number};
}

/*
 * new above ready, terminated above running, the blocked box below between them:
 *
 *     new          terminated
 *      |               ^
 *    ready  <==>   running
 *      ^  [blocked rows] |
 *      +--(woken)   (blocks)--+
 */
const TOP_Y = 40;
const MIDDLE_Y = 150;
const MAIN_HEIGHT = 52;
const LEFT_X = 95;
const RIGHT_X = 290;

const mainNode = (id: NodeId, label: string, spoken: string, x: number, y: number, width: number): DiagramNode => ({
  id,
  label,
  spoken,
  x,
  y,
  width,
  height: MAIN_HEIGHT,
  slot: {x, y: y + 11},
  row: false,
});

const WAITS: {wait: BlockReason; label: string; spoken: string; woken: string}[] = [
  {wait: 'gil', label: 'the GIL', spoken: 'blocked, waiting for the GIL', woken: 'the holder drops the GIL'},
  {wait: 'io', label: 'I/O', spoken: 'blocked in a read or other blocking system call', woken: 'the data arrives'},
  {wait: 'sleep', label: 'sleep', spoken: 'blocked in time.sleep', woken: 'the timer fires'},
  {wait: 'lock', label: 'a lock', spoken: 'blocked, waiting for a lock', woken: 'the owner releases it'},
  {wait: 'join', label: 'join', spoken: 'blocked in join, waiting for another thread to end', woken: 'that thread ends'},
];

/** The blocked box's rows: centred between ready and running, one under the other. */
const ROW_X = (LEFT_X + RIGHT_X) / 2;
const ROW_WIDTH = 150;
const ROW_HEIGHT = 36;
const rowY = (index: number): number => 268 + index * 44;
export const BLOCKED_BOX = {x: ROW_X - 85, y: 214, width: 170, height: 258, titleY: 237};

const TOP = (y: number) => y - MAIN_HEIGHT / 2;
const BOTTOM = (y: number) => y + MAIN_HEIGHT / 2;
const READY_RIGHT = LEFT_X + 60;
const RUNNING_LEFT = RIGHT_X - 55;

export const NODES: DiagramNode[] = [
  mainNode('new', 'new', 'new: created, not yet started', LEFT_X, TOP_Y, 84),
  mainNode('ready', 'ready', 'ready: waiting for a core', LEFT_X, MIDDLE_Y, 120),
  mainNode('running', 'running', 'running on a core', RIGHT_X, MIDDLE_Y, 110),
  mainNode('terminated', 'terminated', 'terminated: run() has returned', RIGHT_X, TOP_Y, 110),
  ...WAITS.map(({wait, label, spoken}, index): DiagramNode => ({
    id: `blocked:${wait}`,
    label,
    spoken,
    x: ROW_X,
    y: rowY(index),
    width: ROW_WIDTH,
    height: ROW_HEIGHT,
    slot: {x: ROW_X + 45, y: rowY(index)},
    row: true,
  })),
];

const ROW_LEFT = ROW_X - ROW_WIDTH / 2;
const ROW_RIGHT = ROW_X + ROW_WIDTH / 2;
const BETWEEN_X = (READY_RIGHT + RUNNING_LEFT) / 2;
const VERTICAL_MIDDLE = (BOTTOM(TOP_Y) + TOP(MIDDLE_Y)) / 2;

export const EDGES: DiagramEdge[] = [
  {id: 'new->ready', from: 'new', to: 'ready', label: 'start()', labelAt: {x: LEFT_X + 14, y: VERTICAL_MIDDLE + 4, anchor: 'start'}, spoken: 'new to ready: start() was called', path: `M ${LEFT_X} ${BOTTOM(TOP_Y)} V ${TOP(MIDDLE_Y)}`, badge: {x: LEFT_X, y: VERTICAL_MIDDLE}},
  {id: 'ready->running', from: 'ready', to: 'running', label: 'scheduled', labelAt: {x: BETWEEN_X, y: MIDDLE_Y - 24, anchor: 'middle'}, spoken: 'ready to running: the OS gave it a core', path: `M ${READY_RIGHT} ${MIDDLE_Y - 10} H ${RUNNING_LEFT}`, badge: {x: BETWEEN_X, y: MIDDLE_Y - 10}},
  {id: 'running->ready', from: 'running', to: 'ready', label: 'preempted', labelAt: {x: BETWEEN_X, y: MIDDLE_Y + 40, anchor: 'middle'}, spoken: 'running to ready: its time slice ran out and another thread was waiting', path: `M ${RUNNING_LEFT} ${MIDDLE_Y + 12} H ${READY_RIGHT}`, badge: {x: BETWEEN_X, y: MIDDLE_Y + 12}},
  {id: 'running->terminated', from: 'running', to: 'terminated', label: 'returns', labelAt: {x: RIGHT_X + 14, y: VERTICAL_MIDDLE + 4, anchor: 'start'}, spoken: 'running to terminated: its run() returned', path: `M ${RIGHT_X} ${TOP(MIDDLE_Y)} V ${BOTTOM(TOP_Y)}`, badge: {x: RIGHT_X, y: VERTICAL_MIDDLE}},
  ...WAITS.flatMap(({wait, label, woken}, index): DiagramEdge[] => {
    // Each wait has its own lane down from running and up to ready; lanes further out serve lower rows, so no two cross.
    const down = RIGHT_X + 20 + index * 8;
    const up = LEFT_X - 20 - index * 8;
    const y = rowY(index);
    return [
      {
        id: `running->blocked:${wait}`,
        from: 'running',
        to: `blocked:${wait}`,
        label: null,
        labelAt: null,
        spoken: `running to blocked on ${label}`,
        path: `M ${down} ${BOTTOM(MIDDLE_Y)} V ${y} H ${ROW_RIGHT}`,
        badge: {x: (down + ROW_RIGHT) / 2, y},
      },
      {
        id: `blocked:${wait}->ready`,
        from: `blocked:${wait}`,
        to: 'ready',
        label: null,
        labelAt: null,
        spoken: `blocked on ${label} to ready: ${woken}`,
        path: `M ${ROW_LEFT} ${y} H ${up} V ${BOTTOM(MIDDLE_Y)}`,
        badge: {x: (up + ROW_LEFT) / 2, y},
      },
    ];
  }),
];

/** Words under the two bundles of lanes. */
export const LANE_LABELS = [
  {text: 'blocks on…', x: RIGHT_X + 36, y: HEIGHT - 6, anchor: 'middle' as const},
  {text: 'woken', x: LEFT_X - 36, y: HEIGHT - 6, anchor: 'middle' as const},
];

/** The box a thread in `state` sits in; `wait` tells the blocked rows apart. */
export function nodeOf(state: ThreadState, wait: BlockReason | null): NodeId {
  if (state !== 'blocked') return state;
  if (wait === null) throw new RangeError('a blocked thread needs what it waits for');
  return `blocked:${wait}`;
}

/** The edge a transition takes, or null when the diagram has none for it (a thread killed with its process). */
export function edgeOf(transition: ThreadTransition): DiagramEdge | null {
  const from = nodeOf(transition.from, transition.from === 'blocked' ? transition.wait : null);
  const to = nodeOf(transition.to, transition.to === 'blocked' ? transition.wait : null);
  return EDGES.find((edge) => edge.from === from && edge.to === to) ?? null;
}

export const nodeById = (id: NodeId): DiagramNode => NODES.find((node) => node.id === id)!;
