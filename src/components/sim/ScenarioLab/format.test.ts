import {describe, expect, it} from 'vitest';
import {formatValue, mainUnit, seedDifference} from './format';

describe('lab formatting', () => {
  it('shows three significant figures, and thousands with separators', () => {
    expect(formatValue(1.00627)).toBe('1.01');
    expect(formatValue(0.000123456)).toBe('0.000123');
    expect(formatValue(5010.6)).toBe('5,011');
    expect(formatValue(0)).toBe('0');
  });

  it('says how far a simulated value is from the seed figure, agreeing within 25 %', () => {
    expect(seedDifference(1.006, 1.05)).toMatchObject({agrees: true});
    expect(seedDifference(2, 12)!.percent).toBeCloseTo(-83.3, 1);
    expect(seedDifference(2, 12)!.agrees).toBe(false);
    expect(seedDifference(3, null)).toBeNull();
  });

  it('picks the unit most rows share', () => {
    expect(mainUnit([{unit: 's'}, {unit: 'hand-offs'}, {unit: 's'}])).toBe('s');
    expect(mainUnit([])).toBeNull();
  });
});
