import {describe, expect, it} from 'vitest';
import {syntheticTimeline} from './synthetic-timeline';

describe('syntheticTimeline', () => {
  it('has exactly the spans asked for, spread over the threads and the GIL', () => {
    const timeline = syntheticTimeline(100_003, 5);
    expect(timeline.spans).toHaveLength(100_003);
    expect(timeline.lanes.map((lane) => lane.kind)).toEqual(['thread', 'thread', 'thread', 'thread', 'thread', 'gil']);
    const perLane = timeline.lanes.map((lane) => timeline.spans.filter((span) => span.lane === lane.id).length);
    expect(Math.max(...perLane) - Math.min(...perLane)).toBeLessThanOrEqual(1);
  });

  it('never overlaps spans within a lane and ends where the last span ends', () => {
    const timeline = syntheticTimeline(5_000, 3, 9);
    let latest = 0;
    for (const lane of timeline.lanes) {
      const spans = timeline.spans.filter((span) => span.lane === lane.id);
      for (let index = 0; index < spans.length; index += 1) {
        expect(spans[index].endUs).toBeGreaterThan(spans[index].startUs);
        if (index > 0) expect(spans[index].startUs).toBeGreaterThanOrEqual(spans[index - 1].endUs);
      }
      latest = Math.max(latest, spans.at(-1)!.endUs);
    }
    expect(timeline.endUs).toBe(latest);
  });

  it('gives the same timeline for the same seed and a different one for another', () => {
    expect(syntheticTimeline(300, 2, 4)).toEqual(syntheticTimeline(300, 2, 4));
    expect(syntheticTimeline(300, 2, 5).spans).not.toEqual(syntheticTimeline(300, 2, 4).spans);
  });

  it('names the parameter that is out of range', () => {
    expect(() => syntheticTimeline(-1)).toThrow(/spanCount must be an integer from 0/);
    expect(() => syntheticTimeline(1.5)).toThrow(/spanCount/);
    expect(() => syntheticTimeline(10, 0)).toThrow(/threadCount must be an integer from 1 to 64, got 0/);
  });
});
