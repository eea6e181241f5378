/**
 * What the timeline draws, worked out without a canvas: spans indexed per lane in time order, the
 * spans in view found by binary search, and those spans turned into at most one rectangle per
 * pixel column per lane. A column that several spans share takes the state that covers most of
 * it, so 100,000 spans cost as many rectangles as the canvas has columns, not one each.
 */
import type {Timeline} from '../../../sim/timeline';

export interface LaneIndex {
  id: string;
  label: string;
  kind: string;
  /** Per span of the lane, in time order: start, end, and the largest end so far (for overlapping data). */
  starts: Float64Array;
  ends: Float64Array;
  maxEnds: Float64Array;
  /** Index into `TimelineIndex.states`. */
  states: Uint16Array;
  /** Index into `timeline.spans`. */
  spans: Int32Array;
}

export interface TimelineIndex {
  lanes: LaneIndex[];
  /** Every state the timeline uses, in order of first appearance. */
  states: string[];
  spanCount: number;
}

/**
 * What a timeline's frame shows around the canvas (caption, legend, lane labels, height), without
 * its spans: the build computes it for ScenarioTimeline, so the server renders the widget at its
 * final size before the page's Worker has simulated the run.
 */
export interface TimelineOutline {
  title: string;
  endUs: number;
  spanCount: number;
  lanes: Array<{id: string; label: string; kind: string}>;
  states: string[];
}

export const outlineOf = (timeline: Timeline, index: TimelineIndex = indexTimeline(timeline)): TimelineOutline => ({
  title: timeline.title,
  endUs: timeline.endUs,
  spanCount: index.spanCount,
  lanes: index.lanes.map(({id, label, kind}) => ({id, label, kind})),
  states: index.states,
});

/** Groups the spans by lane and sorts each lane by start (most runs are already in order). */
export function indexTimeline(timeline: Timeline): TimelineIndex {
  const laneOrder = new Map<string, number>();
  const lanes: {id: string; label: string; kind: string; members: number[]}[] = [];
  const addLane = (id: string, label: string, kind: string): number => {
    let position = laneOrder.get(id);
    if (position === undefined) {
      position = lanes.length;
      laneOrder.set(id, position);
      lanes.push({id, label, kind, members: []});
    }
    return position;
  };
  for (const lane of timeline.lanes) addLane(lane.id, lane.label, lane.kind);
  const stateIds = new Map<string, number>();
  const stateOf = new Uint16Array(timeline.spans.length);
  timeline.spans.forEach((span, index) => {
    // A span on a lane the timeline does not list still gets drawn, on a lane of its own.
    lanes[laneOrder.get(span.lane) ?? addLane(span.lane, span.lane, 'other')].members.push(index);
    let state = stateIds.get(span.state);
    if (state === undefined) {
      state = stateIds.size;
      stateIds.set(span.state, state);
    }
    stateOf[index] = state;
  });
  const {spans} = timeline;
  return {
    states: [...stateIds.keys()],
    spanCount: spans.length,
    lanes: lanes.map(({id, label, kind, members}) => {
      const inOrder = members.every((spanIndex, position) => position === 0 || spans[members[position - 1]].startUs <= spans[spanIndex].startUs);
      if (!inOrder) members.sort((a, b) => spans[a].startUs - spans[b].startUs || spans[a].endUs - spans[b].endUs);
      const count = members.length;
      const lane: LaneIndex = {
        id,
        label,
        kind,
        starts: new Float64Array(count),
        ends: new Float64Array(count),
        maxEnds: new Float64Array(count),
        states: new Uint16Array(count),
        spans: Int32Array.from(members),
      };
      let maxEnd = -Infinity;
      members.forEach((spanIndex, position) => {
        const span = spans[spanIndex];
        lane.starts[position] = span.startUs;
        lane.ends[position] = span.endUs;
        maxEnd = Math.max(maxEnd, span.endUs);
        lane.maxEnds[position] = maxEnd;
        lane.states[position] = stateOf[spanIndex];
      });
      return lane;
    }),
  };
}

/** The first position whose value is above `value` (`orEqual`: at or above), in an ascending array. */
function firstAbove(values: Float64Array, value: number, orEqual: boolean): number {
  let low = 0;
  let high = values.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if (values[middle] > value || (orEqual && values[middle] === value)) high = middle;
    else low = middle + 1;
  }
  return low;
}

/** Positions [from, to) of the lane's spans that may show between `startUs` and `endUs`. */
export function visibleRange(lane: LaneIndex, startUs: number, endUs: number): [number, number] {
  return [firstAbove(lane.maxEnds, startUs, false), firstAbove(lane.starts, endUs, true)];
}

/** How many of the lane's spans touch [startUs, endUs): how crowded one pixel is. */
export function countBetween(lane: LaneIndex, startUs: number, endUs: number): number {
  const [from, to] = visibleRange(lane, startUs, endUs);
  let count = 0;
  for (let position = from; position < to; position += 1) if (lane.ends[position] > startUs) count += 1;
  return count;
}

/**
 * The position of the lane's span at `atUs`; if none covers it, the nearest within
 * `toleranceUs` (an edge closer than that counts), else -1.
 */
export function spanAt(lane: LaneIndex, atUs: number, toleranceUs = 0): number {
  const count = lane.starts.length;
  if (count === 0) return -1;
  const after = firstAbove(lane.starts, atUs, false);
  // Overlapping spans are rare (the simulator's lanes never overlap): look back a little for one that covers.
  for (let position = after - 1, steps = 0; position >= 0 && lane.maxEnds[position] > atUs && steps < 64; position -= 1, steps += 1) {
    if (lane.ends[position] > atUs) return position;
  }
  const before = after - 1;
  const gapBefore = before >= 0 ? atUs - lane.ends[before] : Infinity;
  const gapAfter = after < count ? lane.starts[after] - atUs : Infinity;
  const nearest = gapBefore <= gapAfter ? before : after;
  return Math.min(gapBefore, gapAfter) <= toleranceUs ? nearest : -1;
}

export interface Rect {
  /** Pixel columns [x0, x1): integers. */
  x0: number;
  x1: number;
  state: number;
  /** The lane position of the span the rectangle mostly shows (for labels and tooltips). */
  main: number;
  /** Lane positions of the first and last span it stands for. */
  first: number;
  last: number;
  /** Whether some column of it is shared by several spans. */
  mixed: boolean;
}

export interface View {
  startUs: number;
  endUs: number;
  /** Columns across the plot. */
  width: number;
}

/**
 * The lane's spans in view as rectangles on whole pixel columns, at most one per column, in order.
 * A column touched by one span belongs to it; a column shared by several goes to the state that
 * covers most of it. Neighbouring columns merge when they show the same span, or the same state
 * in crowded columns.
 */
export function layoutLane(lane: LaneIndex, stateCount: number, view: View): Rect[] {
  const rects: Rect[] = [];
  const {startUs, endUs, width} = view;
  if (width <= 0 || endUs <= startUs) return rects;
  const pxPerUs = width / (endUs - startUs);
  const lastColumn = Math.ceil(width) - 1;

  // The column being filled: how much of it each state and each state's biggest span cover.
  const cover = new Float64Array(stateCount);
  const bestCover = new Float64Array(stateCount);
  const bestSpan = new Int32Array(stateCount);
  const touched: number[] = [];
  let column = -1;
  let columnFirst = -1;
  let columnLast = -1;

  const emit = (x0: number, x1: number, state: number, main: number, first: number, last: number, mixed: boolean): void => {
    const previous = rects[rects.length - 1];
    if (previous !== undefined && previous.x1 === x0 && previous.state === state && (previous.main === main || (mixed && previous.mixed))) {
      previous.x1 = x1;
      previous.last = Math.max(previous.last, last);
      previous.mixed ||= mixed;
    } else {
      rects.push({x0, x1, state, main, first, last, mixed});
    }
  };
  const add = (position: number, state: number, covered: number): void => {
    // Overlapping spans can end before the open column: they still count, barely.
    const amount = Math.max(covered, 1e-9);
    if (bestCover[state] === 0) touched.push(state);
    cover[state] += amount;
    if (amount > bestCover[state]) {
      bestCover[state] = amount;
      bestSpan[state] = position;
    }
    if (columnFirst < 0) columnFirst = position;
    columnLast = position;
  };
  const flush = (): void => {
    if (column < 0 || touched.length === 0) return;
    let winner = touched[0];
    for (const state of touched) if (cover[state] > cover[winner]) winner = state;
    emit(column, column + 1, winner, bestSpan[winner], columnFirst, columnLast, columnLast > columnFirst);
    for (const state of touched) {
      cover[state] = 0;
      bestCover[state] = 0;
    }
    touched.length = 0;
    columnFirst = -1;
    columnLast = -1;
  };

  const [from, to] = visibleRange(lane, startUs, endUs);
  for (let position = from; position < to; position += 1) {
    const spanEnd = lane.ends[position];
    if (spanEnd <= startUs) continue;
    const state = lane.states[position];
    const sx = Math.max(0, (lane.starts[position] - startUs) * pxPerUs);
    // A span of no width still gets a sliver, so that it is not lost.
    const ex = Math.max(Math.min(width, (spanEnd - startUs) * pxPerUs), Math.min(width, sx + 1e-6));
    let c0 = Math.min(lastColumn, Math.floor(sx));
    const c1 = Math.max(c0, Math.min(lastColumn, Math.ceil(ex) - 1));
    if (column >= 0 && c0 > column) {
      flush();
      column = -1;
    }
    if (column >= 0 && c0 < column) c0 = column; // overlapping spans: carry on from the open column
    if (column < 0) column = c0;
    if (c1 <= column) {
      add(position, state, Math.min(ex, column + 1) - Math.max(sx, column));
      continue;
    }
    add(position, state, column + 1 - Math.max(sx, column));
    flush();
    // The columns strictly inside the span are wholly its own.
    if (c1 > column + 1) emit(column + 1, c1, state, position, position, position, false);
    column = c1;
    add(position, state, ex - c1);
  }
  flush();
  return rects;
}

/** Every lane's rectangles for the view; `lanes` limits the work to the lanes on screen. */
export function layoutVisible(index: TimelineIndex, view: View, lanes: [number, number] = [0, index.lanes.length]): Rect[][] {
  return index.lanes.map((lane, position) => (position >= lanes[0] && position < lanes[1] ? layoutLane(lane, index.states.length, view) : []));
}
