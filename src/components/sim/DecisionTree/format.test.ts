import {describe, expect, it} from 'vitest';
import {formatNumber, formatParams, formatValue} from './format';

describe('formatNumber', () => {
  it('keeps three significant digits for small numbers and fewer decimals for large ones', () => {
    expect(formatNumber(1.509053)).toBe('1.51');
    expect(formatNumber(12.000005)).toBe('12');
    expect(formatNumber(78.1328125)).toBe('78.1');
    expect(formatNumber(146.4990234375)).toBe('146');
    expect(formatNumber(754032)).toBe('754,032');
    expect(formatNumber(0.0013580322265625)).toBe('0.00136');
    expect(formatNumber(0)).toBe('0');
    expect(formatNumber(-2.5)).toBe('-2.5');
  });
});

describe('formatValue', () => {
  it('puts the unit after the number, and writes flags as yes or no', () => {
    expect(formatValue(1.006229, 's')).toBe('1.01 s');
    expect(formatValue(3784, 'requests/s')).toBe('3,784 requests/s');
    expect(formatValue(1, 'bool')).toBe('yes');
    expect(formatValue(0, 'bool')).toBe('no');
    expect(formatValue(5, '')).toBe('5');
  });
});

describe('formatParams', () => {
  it('lists the knobs in the command line’s order, with their units', () => {
    expect(formatParams({workers: 4, seed: 1, cores: 8, n: 8})).toBe('cores 8 · n 8 · workers 4 · seed 1');
    expect(formatParams({delay: 0.2, n: 3})).toBe('n 3 · delay 0.2 s');
  });
});
