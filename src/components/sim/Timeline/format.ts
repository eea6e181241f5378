/** Times on the timeline: the simulator counts whole microseconds; people read µs, ms or s. */

const UNITS = [
  {unit: 's', us: 1_000_000},
  {unit: 'ms', us: 1_000},
  {unit: 'µs', us: 1},
] as const;

const unitFor = (us: number) => UNITS.find((candidate) => Math.abs(us) >= candidate.us) ?? UNITS[UNITS.length - 1];

/** The fewest decimals that write `step` exactly (up to 6). */
function decimalsFor(step: number): number {
  for (let decimals = 0; decimals < 6; decimals += 1) {
    const scaled = step * 10 ** decimals;
    if (Math.abs(scaled - Math.round(scaled)) < 1e-6 * Math.max(1, scaled)) return decimals;
  }
  return 6;
}

/**
 * Labels for axis ticks `stepUs` apart, the largest of them `maxUs`: all in the unit that suits
 * the largest, with the decimals the step needs ("1.05 s", "1.10 s"; "12.50 ms", "12.75 ms").
 */
export function tickFormatter(stepUs: number, maxUs: number): (us: number) => string {
  const {unit, us: scale} = unitFor(maxUs);
  const decimals = decimalsFor(stepUs / scale);
  return (us) => `${(us / scale).toFixed(decimals)} ${unit}`;
}

/** An instant or a duration in the unit that suits its size, exact to the microsecond: "1.005 ms", "5.010628 s". */
export function formatUs(us: number): string {
  const {unit, us: scale} = unitFor(us);
  const digits = Math.round(Math.log10(scale));
  // Whole microseconds need at most `digits` decimals; trailing zeros are noise.
  const fixed = (Math.round(us) / scale).toFixed(digits);
  const text = fixed.includes('.') ? fixed.replace(/\.?0+$/, '') : fixed;
  return `${text === '-0' ? '0' : text} ${unit}`;
}

/** "1.005 ms – 2 ms (995 µs)" */
export function formatSpanTime(startUs: number, endUs: number): string {
  return `${formatUs(startUs)} – ${formatUs(endUs)} (${formatUs(endUs - startUs)})`;
}
