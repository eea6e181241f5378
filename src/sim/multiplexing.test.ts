import {describe, expect, it} from 'vitest';
import {EPOLL_CALL_BASE_NS, EPOLL_PER_READY_NS, FD_SETSIZE} from './constants';
import {PythonError} from './errors';
import {mechanismSummaries, waitCostCurves, WATCHED_COUNTS, type WaitSeries} from './multiplexing';
import {measureWait} from './scenarios/multiplexing-scaling';

const byKind = (series: WaitSeries[], kind: string): WaitSeries => series.find((s) => s.kind === kind)!;
const costAt = (s: WaitSeries, watched: number): number => s.points.find((p) => p.watched === watched)!.costUs;

describe('waitCostCurves (multiplexing-scaling as curves)', () => {
  it('poll and epoll cover every count; select stops where select.select raises, one fd short of the failing count', () => {
    const {series, fdSetSize, ready} = waitCostCurves({});
    expect(ready).toBe(10);
    expect(fdSetSize).toBe(FD_SETSIZE);
    for (const kind of ['poll', 'epoll']) {
      expect(byKind(series, kind).points.map((p) => p.watched)).toEqual(WATCHED_COUNTS);
      expect(byKind(series, kind).failure).toBeNull();
    }
    const select = byKind(series, 'select');
    const failure = select.failure!;
    expect(failure).toEqual({watched: failure.watched, pythonType: 'ValueError', message: 'filedescriptor out of range in select()'});
    expect(select.points.at(-1)!.watched).toBe(failure.watched - 1);
    // The boundary is found by running select, not assumed: one fewer works, this many raises.
    expect(measureWait('select', failure.watched - 1, 10)).not.toBeInstanceOf(PythonError);
    expect(measureWait('select', failure.watched, 10)).toBeInstanceOf(PythonError);
    // fds 0, 1, 2 are stdin, stdout, stderr: the failing call is the one whose highest fd is FD_SETSIZE.
    expect(failure.watched + 2).toBe(FD_SETSIZE);
  });

  it('select and poll cost grows with watched fds; epoll’s does not', () => {
    const {series} = waitCostCurves({n: 10});
    const select = byKind(series, 'select');
    const poll = byKind(series, 'poll');
    const epoll = byKind(series, 'epoll');
    expect(costAt(select, 1000) / costAt(select, 100)).toBeGreaterThan(5);
    expect(costAt(poll, 10_000) / costAt(poll, 1000)).toBeGreaterThan(5);
    expect(costAt(epoll, 10_000)).toBe(costAt(epoll, 10));
    for (const s of series) {
      for (const [index, p] of s.points.entries()) if (index > 0) expect(p.costUs).toBeGreaterThanOrEqual(s.points[index - 1].costUs);
    }
  });

  it('epoll’s cost follows the fds ready per call; select’s and poll’s do not', () => {
    const few = waitCostCurves({n: 1}).series;
    const many = waitCostCurves({n: 500}).series;
    expect(costAt(byKind(many, 'epoll'), 1000)).toBeCloseTo((EPOLL_CALL_BASE_NS + 500 * EPOLL_PER_READY_NS) / 1000, 6);
    expect(costAt(byKind(few, 'epoll'), 1000)).toBeCloseTo((EPOLL_CALL_BASE_NS + EPOLL_PER_READY_NS) / 1000, 6);
    expect(costAt(byKind(many, 'poll'), 1000)).toBe(costAt(byKind(few, 'poll'), 1000));
    // No more ready than watched.
    expect(byKind(many, 'epoll').points.find((p) => p.watched === 100)!.ready).toBe(100);
  });

  it('names a bad knob', () => {
    expect(() => waitCostCurves({n: 0})).toThrow('--n must be an integer from 1 to 10000, got 0');
    expect(() => waitCostCurves({cores: 2})).toThrow(/does not take --cores/);
  });
});

describe('mechanismSummaries (multiplexing-summary per mechanism)', () => {
  it('gives platform, limit, the measured exponents beside the seed’s and asyncio’s choice', () => {
    const rows = mechanismSummaries();
    expect(rows.map((r) => r.kind)).toEqual(['select', 'poll', 'epoll']);
    const [select, poll, epoll] = rows;
    expect(select.fdLimit).toContain(String(FD_SETSIZE));
    expect(epoll.platform).toMatch(/Linux/);
    expect(select.kWatched).toBeGreaterThan(0.8);
    expect(poll.kWatched).toBeGreaterThan(0.8);
    expect(epoll.kWatched).toBe(0);
    expect(epoll.kReady).toBeGreaterThan(0.5);
    expect(epoll.seedKReady).toBe(0);
    expect(rows.map((r) => r.asyncioDefaultOnLinux)).toEqual([false, false, true]);
  });
});
