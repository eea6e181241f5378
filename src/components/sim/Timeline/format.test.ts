import {describe, expect, it} from 'vitest';
import {formatSpanTime, formatUs, tickFormatter} from './format';

describe('tickFormatter', () => {
  it('labels ticks in the unit of the largest, with the decimals the step needs', () => {
    expect([0, 500_000, 1_000_000, 1_500_000].map(tickFormatter(500_000, 1_500_000))).toEqual(['0.0 s', '0.5 s', '1.0 s', '1.5 s']);
    expect([0, 2_000_000].map(tickFormatter(1_000_000, 2_000_000))).toEqual(['0 s', '2 s']);
    expect([12_500, 12_750].map(tickFormatter(250, 12_750))).toEqual(['12.50 ms', '12.75 ms']);
    expect([10_000, 12_000].map(tickFormatter(2_000, 12_000))).toEqual(['10 ms', '12 ms']);
    expect([1_050_000, 1_100_000].map(tickFormatter(50_000, 1_100_000))).toEqual(['1.05 s', '1.10 s']);
    expect([1_000_122, 1_000_123].map(tickFormatter(1, 1_000_123))).toEqual(['1.000122 s', '1.000123 s']);
    expect([0, 200, 800].map(tickFormatter(200, 800))).toEqual(['0 µs', '200 µs', '800 µs']);
    expect([0.5, 1].map(tickFormatter(0.5, 1))).toEqual(['0.5 µs', '1.0 µs']);
  });
});

describe('formatUs', () => {
  it('picks the unit by size and stays exact to the microsecond', () => {
    expect(formatUs(0)).toBe('0 µs');
    expect(formatUs(999)).toBe('999 µs');
    expect(formatUs(1005)).toBe('1.005 ms');
    expect(formatUs(102_136)).toBe('102.136 ms');
    expect(formatUs(2_000_000)).toBe('2 s');
    expect(formatUs(5_010_628)).toBe('5.010628 s');
    expect(formatUs(1_500.4)).toBe('1.5 ms');
  });

  it('writes a span as start – end (duration)', () => {
    expect(formatSpanTime(5, 1005)).toBe('5 µs – 1.005 ms (1 ms)');
  });
});
