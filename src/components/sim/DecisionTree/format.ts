/**
 * How the decision tree's inline result writes numbers and knobs: a few significant digits, the
 * unit after a space, yes / no for the scenarios' 1/0 flags.
 */
import {knobNames, knobSpecs, type ScenarioParams} from '../../../sim/scenarios/types';

const numberFormats = new Map<string, Intl.NumberFormat>();

function numberFormat(options: Intl.NumberFormatOptions): Intl.NumberFormat {
  const key = JSON.stringify(options);
  let format = numberFormats.get(key);
  if (format === undefined) {
    format = new Intl.NumberFormat('en', options);
    numberFormats.set(key, format);
  }
  return format;
}

/** Three significant digits below 10, fewer decimals above, thousands grouped: 1.51, 12, 78.1, 754,032. */
export function formatNumber(value: number): string {
  if (!Number.isFinite(value)) return String(value);
  const size = Math.abs(value);
  if (size !== 0 && size < 1) return numberFormat({maximumSignificantDigits: 3}).format(value);
  const fractionDigits = size >= 100 ? 0 : size >= 10 ? 1 : 2;
  return numberFormat({maximumFractionDigits: fractionDigits}).format(value);
}

/** A row's value with its unit, as the table shows it. */
export function formatValue(value: number, unit: string): string {
  if (unit === 'bool') return value === 0 ? 'no' : 'yes';
  return unit === '' ? formatNumber(value) : `${formatNumber(value)} ${unit}`;
}

/** The knobs of a run, in the CLI's order: "cores 8 · n 8 · workers 4 · seed 1". */
export function formatParams(params: ScenarioParams): string {
  return knobNames
    .filter((name) => params[name] !== undefined)
    .map((name) => {
      const unit = knobSpecs[name].unit;
      return `${name} ${formatNumber(params[name]!)}${unit === '' ? '' : ` ${unit}`}`;
    })
    .join(' · ');
}
