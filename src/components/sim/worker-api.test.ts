import {describe, expect, it} from 'vitest';
import {answer} from './worker-api';

describe('the simulation Worker answers', () => {
  it('runs a scenario with its knobs and returns rows and timelines', () => {
    const response = answer({id: 7, method: 'runScenario', args: ['io-fetch', {n: 3, delay: 0.5}, true]});
    expect(response.ok).toBe(true);
    if (!response.ok) return;
    const result = response.value as {rows: {key: string; value: number}[]; timelines: {title: string}[]; params: {n: number}};
    expect(response.id).toBe(7);
    expect(result.params.n).toBe(3);
    expect(result.rows.map((row) => row.key)).toEqual(['serial', 'threads', 'asyncio']);
    expect(result.rows[0].value).toBeGreaterThan(1.5);
    expect(result.timelines.map((timeline) => timeline.title)).toEqual(['serial', '3 thread(s)', 'asyncio']);
  });

  it('leaves the timelines behind unless asked for them', () => {
    const response = answer({id: 8, method: 'runScenario', args: ['io-fetch', {}]});
    expect(response).toMatchObject({ok: true, value: {timelines: []}});
  });

  it('describes a scenario: its knobs and their defaults', () => {
    const response = answer({id: 1, method: 'scenarioInfo', args: ['gil-cpu-threads']});
    expect(response).toMatchObject({ok: true, value: {id: 'gil-cpu-threads', knobs: ['cores', 'seed'], defaults: {cores: 4, seed: 1}}});
  });

  it('turns bad input into a message naming what was wrong', () => {
    expect(answer({id: 2, method: 'runScenario', args: ['no-such-thing', {}]})).toMatchObject({ok: false, error: expect.stringMatching(/unknown scenario "no-such-thing"/)});
    expect(answer({id: 3, method: 'runScenario', args: ['io-fetch', {cores: 0}]})).toMatchObject({ok: false, error: expect.stringMatching(/--cores must be/)});
    expect(answer({id: 4, method: 'nope' as 'runScenario', args: []})).toMatchObject({ok: false, error: expect.stringMatching(/no method "nope"/)});
  });
});
