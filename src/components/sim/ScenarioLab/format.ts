/** Numbers as a table shows them: three significant figures, no exponent for everyday sizes. */
export function formatValue(value: number): string {
  if (!Number.isFinite(value)) return String(value);
  if (value === 0) return '0';
  const magnitude = Math.abs(value);
  if (magnitude >= 1000) return Math.round(value).toLocaleString('en-US');
  return Number(value.toPrecision(3)).toString();
}

/**
 * How far the simulated value is from the seed's figure, as a signed percentage, or null when
 * the seed claims nothing. Within ±25 % counts as agreeing (the calibration's own tolerance).
 */
export function seedDifference(value: number, seed: number | null): {percent: number; agrees: boolean} | null {
  if (seed === null) return null;
  if (seed === 0) return {percent: value === 0 ? 0 : Number.POSITIVE_INFINITY, agrees: value === 0};
  const percent = (value / seed - 1) * 100;
  return {percent, agrees: Math.abs(percent) <= 25};
}

/** The unit most rows share: the one a single chart can put on one axis. */
export function mainUnit(rows: ReadonlyArray<{unit: string}>): string | null {
  const counts = new Map<string, number>();
  for (const row of rows) counts.set(row.unit, (counts.get(row.unit) ?? 0) + 1);
  let best: string | null = null;
  for (const [unit, count] of counts) if (best === null || count > counts.get(best)!) best = unit;
  return best;
}
