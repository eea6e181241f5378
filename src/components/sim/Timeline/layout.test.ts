import fc from 'fast-check';
import {describe, expect, it} from 'vitest';
import {syntheticTimeline} from '../../../sim/synthetic-timeline';
import type {Timeline, TimelineSpan} from '../../../sim/timeline';
import {countBetween, indexTimeline, layoutLane, layoutVisible, spanAt, visibleRange, type Rect, type View} from './layout';

const lane = (id: string) => ({id, label: id, kind: 'thread' as const});
const timelineOf = (spans: TimelineSpan[], lanes = [lane('a')]): Timeline => ({
  title: 't',
  endUs: Math.max(0, ...spans.map((span) => span.endUs)),
  lanes,
  spans,
  marks: [],
});
const span = (startUs: number, endUs: number, state = 'running', laneId = 'a'): TimelineSpan => ({lane: laneId, startUs, endUs, state, detail: state});

/** Rectangles are whole columns inside the plot, in order, never sharing a column. */
function expectOneRectPerColumn(rects: Rect[], width: number): void {
  let previousEnd = 0;
  for (const rect of rects) {
    expect(Number.isInteger(rect.x0) && Number.isInteger(rect.x1)).toBe(true);
    expect(rect.x0).toBeGreaterThanOrEqual(previousEnd);
    expect(rect.x1).toBeGreaterThan(rect.x0);
    expect(rect.x1).toBeLessThanOrEqual(Math.ceil(width));
    previousEnd = rect.x1;
  }
}

describe('indexTimeline', () => {
  it('groups spans by lane in the lanes’ order and sorts each lane by start', () => {
    const timeline = timelineOf([span(50, 60, 'ready', 'b'), span(10, 20, 'running', 'b'), span(0, 5, 'blocked', 'a')], [lane('a'), lane('b')]);
    const index = indexTimeline(timeline);
    expect(index.lanes.map((entry) => entry.id)).toEqual(['a', 'b']);
    expect([...index.lanes[1].starts]).toEqual([10, 50]);
    expect([...index.lanes[1].spans]).toEqual([1, 0]);
    expect(index.states).toEqual(['ready', 'running', 'blocked']);
    expect(index.states[index.lanes[1].states[0]]).toBe('running');
    expect(index.spanCount).toBe(3);
  });

  it('gives a span on an unlisted lane a lane of its own rather than dropping it', () => {
    const index = indexTimeline(timelineOf([span(0, 1, 'running', 'ghost')]));
    expect(index.lanes.map((entry) => [entry.id, entry.kind, entry.starts.length])).toEqual([
      ['a', 'thread', 0],
      ['ghost', 'other', 1],
    ]);
  });
});

describe('finding spans', () => {
  const index = indexTimeline(timelineOf([span(0, 10), span(10, 30, 'ready'), span(40, 45), span(45, 46, 'blocked')]));
  const only = index.lanes[0];

  it('finds the spans in view by binary search', () => {
    expect(visibleRange(only, 0, 100)).toEqual([0, 4]);
    expect(visibleRange(only, 10, 40)).toEqual([1, 2]);
    expect(visibleRange(only, 31, 39)).toEqual([2, 2]);
  });

  it('finds the span at an instant, or the nearest one within the tolerance', () => {
    expect(spanAt(only, 5)).toBe(0);
    expect(spanAt(only, 10)).toBe(1);
    expect(spanAt(only, 35)).toBe(-1);
    expect(spanAt(only, 36, 5)).toBe(2);
    expect(spanAt(only, 32, 5)).toBe(1);
    expect(spanAt(only, 1000, 10)).toBe(-1);
    expect(spanAt(only, 1000, Infinity)).toBe(3);
  });

  it('counts the spans touching an interval', () => {
    expect(countBetween(only, 0, 100)).toBe(4);
    expect(countBetween(only, 44, 46)).toBe(2);
    expect(countBetween(only, 30, 40)).toBe(0);
  });
});

describe('layoutLane', () => {
  it('draws a span wider than a pixel as one rectangle on the columns it covers', () => {
    const index = indexTimeline(timelineOf([span(0, 250), span(250, 1000, 'ready')]));
    const rects = layoutLane(index.lanes[0], index.states.length, {startUs: 0, endUs: 1000, width: 100});
    expect(rects.map(({x0, x1, state, main, mixed}) => ({x0, x1, state: index.states[state], main, mixed}))).toEqual([
      {x0: 0, x1: 25, state: 'running', main: 0, mixed: false},
      {x0: 25, x1: 100, state: 'ready', main: 1, mixed: false},
    ]);
  });

  it('gives a shared column to the state covering most of it', () => {
    // Column 0 holds 0.3 px of running and 0.7 px of blocked.
    const index = indexTimeline(timelineOf([span(0, 3), span(3, 10, 'blocked'), span(10, 50)]));
    const rects = layoutLane(index.lanes[0], index.states.length, {startUs: 0, endUs: 50, width: 5});
    expect(rects.map((rect) => [rect.x0, rect.x1, index.states[rect.state], rect.first, rect.last])).toEqual([
      [0, 1, 'blocked', 0, 1],
      [1, 5, 'running', 2, 2],
    ]);
  });

  it('clips to the view and leaves gaps empty', () => {
    const index = indexTimeline(timelineOf([span(0, 100), span(300, 400, 'ready'), span(900, 2000)]));
    const rects = layoutLane(index.lanes[0], index.states.length, {startUs: 50, endUs: 1050, width: 10});
    expect(rects.map((rect) => [rect.x0, rect.x1, rect.main])).toEqual([
      [0, 1, 0],
      [2, 4, 1],
      [8, 10, 2],
    ]);
  });

  it('matches a column-by-column count of coverage, for any spans and view', () => {
    const spanArb = fc.record({start: fc.integer({min: 0, max: 5000}), length: fc.integer({min: 1, max: 400}), state: fc.constantFrom('running', 'ready', 'blocked')});
    fc.assert(
      fc.property(fc.array(spanArb, {maxLength: 80}), fc.integer({min: 0, max: 4000}), fc.integer({min: 1, max: 3000}), fc.integer({min: 1, max: 120}), fc.boolean(), (raw, viewStart, viewLength, width, disjoint) => {
        // Lanes from the simulator never overlap; arbitrary data may, and must still lay out.
        let cursor = 0;
        const spans = raw.map(({start, length, state}) => {
          const startUs = disjoint ? cursor + (start % 50) : start;
          cursor = startUs + length;
          return span(startUs, startUs + length, state);
        });
        const index = indexTimeline(timelineOf(spans));
        const view: View = {startUs: viewStart, endUs: viewStart + viewLength, width};
        const rects = layoutLane(index.lanes[0], index.states.length, view);
        expectOneRectPerColumn(rects, width);
        if (!disjoint) return;
        const pxPerUs = width / viewLength;
        for (let column = 0; column < width; column += 1) {
          const cover = new Map<string, number>();
          for (const one of spans) {
            const sx = (one.startUs - viewStart) * pxPerUs;
            const ex = (one.endUs - viewStart) * pxPerUs;
            const amount = Math.min(ex, column + 1, width) - Math.max(sx, column, 0);
            if (amount > 0) cover.set(one.state, (cover.get(one.state) ?? 0) + amount);
          }
          const rect = rects.find((candidate) => candidate.x0 <= column && column < candidate.x1);
          if (cover.size === 0) {
            expect(rect, `column ${column} is empty`).toBeUndefined();
            continue;
          }
          expect(rect, `column ${column} is drawn`).toBeDefined();
          const most = Math.max(...cover.values());
          expect(cover.get(index.states[rect!.state]) ?? 0).toBeCloseTo(most, 6);
        }
      }),
      {numRuns: 300},
    );
  });

  it('turns 100,000 spans into at most one rectangle per pixel column per lane', () => {
    const timeline = syntheticTimeline(100_000);
    const index = indexTimeline(timeline);
    for (const width of [390, 1000, 1920]) {
      const view = {startUs: 0, endUs: timeline.endUs, width};
      const lanes = layoutVisible(index, view);
      expect(lanes).toHaveLength(timeline.lanes.length);
      lanes.forEach((rects, position) => {
        expect(rects.length).toBeLessThanOrEqual(width);
        expectOneRectPerColumn(rects, width);
        // Each lane is busy from 0 to its last span, with gaps far below a pixel: every column up to there is drawn.
        const laneEnd = index.lanes[position].maxEnds.at(-1)!;
        expect(rects.reduce((sum, rect) => sum + rect.x1 - rect.x0, 0)).toBe(Math.ceil((laneEnd * width) / timeline.endUs));
      });
    }
    // Zoomed in on a slice, each span wider than a pixel gets its own rectangle.
    const slice = {startUs: timeline.endUs / 2, endUs: timeline.endUs / 2 + 2000, width: 1000};
    const rects = layoutVisible(index, slice)[0];
    const [from, to] = visibleRange(index.lanes[0], slice.startUs, slice.endUs);
    expect(rects.length).toBeGreaterThanOrEqual(to - from - 2);
    expect(rects.length).toBeLessThanOrEqual(to - from);
  });

  it('lays out only the lanes asked for', () => {
    const index = indexTimeline(syntheticTimeline(1000, 3));
    const lanes = layoutVisible(index, {startUs: 0, endUs: 1000, width: 100}, [1, 2]);
    expect(lanes.map((rects) => rects.length > 0)).toEqual([false, true, false, false]);
  });
});
