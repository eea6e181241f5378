import {describe, expect, it} from 'vitest';
import type {Timeline} from '../timeline';
import {runScenario, scenarios} from './index';

/** What a page can ship per scenario (issue 5): beyond this a timeline must come from a smaller run. */
const MOST_SPANS_PER_SCENARIO = 20_000;
/** Pure tables of costs, and ipc-costs (kept by another engineer): no run there is worth watching. */
const WITHOUT_TIMELINES = ['process-startup', 'ipc-costs', 'multiplexing-scaling', 'multiplexing-summary', 'ten-thousand-tasks', 'gil-impact', 'models-compare'];

/** Everything wrong with a timeline's shape, as sentences; empty when it is well-formed. */
function problems(timeline: Timeline): string[] {
  const found: string[] = [];
  const laneIds = timeline.lanes.map((lane) => lane.id);
  if (new Set(laneIds).size !== laneIds.length) found.push('lane ids repeat');
  const known = new Set(laneIds);
  const byLane = new Map<string, Timeline['spans']>();
  for (const span of timeline.spans) {
    if (!known.has(span.lane)) found.push(`span on unknown lane ${span.lane}`);
    if (!(Number.isInteger(span.startUs) && Number.isInteger(span.endUs))) found.push(`span on ${span.lane} has non-integer times`);
    if (!(span.startUs >= 0 && span.startUs < span.endUs && span.endUs <= timeline.endUs)) {
      found.push(`span on ${span.lane} [${span.startUs}, ${span.endUs}] is empty or outside [0, ${timeline.endUs}]`);
    }
    if (span.state === '' || span.detail === '') found.push(`span on ${span.lane} says nothing`);
    byLane.set(span.lane, [...(byLane.get(span.lane) ?? []), span]);
  }
  for (const [lane, spans] of byLane) {
    const sorted = [...spans].sort((a, b) => a.startUs - b.startUs);
    for (let index = 1; index < sorted.length; index += 1) {
      if (sorted[index].startUs < sorted[index - 1].endUs) found.push(`${lane} is in two states at ${sorted[index].startUs} us`);
    }
  }
  for (const mark of timeline.marks) {
    if (!known.has(mark.lane)) found.push(`mark "${mark.label}" on unknown lane ${mark.lane}`);
    if (!(mark.atUs >= 0 && mark.atUs <= timeline.endUs)) found.push(`mark "${mark.label}" at ${mark.atUs} us is outside the run`);
  }
  return found;
}

describe('every scenario at its defaults', () => {
  const results = scenarios.map((scenario) => runScenario(scenario.id));

  it('has timelines unless it is a table of costs', () => {
    const without = results.filter((result) => result.timelines.length === 0).map((result) => result.scenario);
    expect(without.sort()).toEqual([...WITHOUT_TIMELINES].sort());
  });

  it.each(results.filter((result) => result.timelines.length > 0).map((result) => [result.scenario, result] as const))('%s: well-formed timelines, small enough to ship', (_id, result) => {
    const titles = result.timelines.map((timeline) => timeline.title);
    expect(new Set(titles).size).toBe(titles.length);
    for (const timeline of result.timelines) {
      expect(timeline.title.length).toBeGreaterThan(0);
      expect(timeline.lanes.length).toBeGreaterThan(0);
      expect(timeline.spans.length).toBeGreaterThan(0);
      expect(problems(timeline)).toEqual([]);
    }
    expect(result.timelines.reduce((sum, timeline) => sum + timeline.spans.length, 0)).toBeLessThanOrEqual(MOST_SPANS_PER_SCENARIO);
  });

  it.each(results.filter((result) => result.timelines.length > 0).map((result) => [result.scenario, result] as const))('%s: the same seed gives the same timelines', (id, result) => {
    expect(runScenario(id, result.params).timelines).toEqual(result.timelines);
  });
});

describe('a scenario at large knobs', () => {
  it('sends no more spans than a page takes, each cut timeline saying so', () => {
    const {timelines} = runScenario('gil-convoy', {n: 2000});
    expect(timelines.reduce((sum, timeline) => sum + timeline.spans.length, 0)).toBeLessThanOrEqual(MOST_SPANS_PER_SCENARIO);
    const cut = timelines.filter((timeline) => timeline.runEndUs !== undefined);
    expect(cut.length).toBeGreaterThan(0);
    for (const timeline of cut) {
      expect(timeline.title).toContain('to stay small');
      expect(problems(timeline)).toEqual([]);
    }
  });
});

describe('the timeline check', () => {
  const good: Timeline = {
    title: 't',
    endUs: 10,
    lanes: [{id: 'a', label: 'a', kind: 'thread'}],
    spans: [
      {lane: 'a', startUs: 0, endUs: 5, state: 'running', detail: 'running'},
      {lane: 'a', startUs: 5, endUs: 10, state: 'blocked', detail: 'blocked (io)'},
    ],
    marks: [{lane: 'a', atUs: 10, label: 'done'}],
  };

  it('passes a well-formed timeline and names each kind of fault', () => {
    expect(problems(good)).toEqual([]);
    const overlapping = {...good, spans: [...good.spans, {lane: 'a', startUs: 4, endUs: 6, state: 'ready', detail: 'ready'}]};
    expect(problems(overlapping)).toEqual(['a is in two states at 4 us', 'a is in two states at 5 us']);
    const outside = {...good, spans: [{lane: 'a', startUs: 8, endUs: 12, state: 'running', detail: 'running'}]};
    expect(problems(outside)).toEqual(['span on a [8, 12] is empty or outside [0, 10]']);
    const strayMark = {...good, marks: [{lane: 'b', atUs: 11, label: 'x'}]};
    expect(problems(strayMark)).toEqual(['mark "x" on unknown lane b', 'mark "x" at 11 us is outside the run']);
  });
});
