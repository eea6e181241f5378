import {useEffect, useRef, type CSSProperties, type ReactNode} from 'react';
import type {ScenarioRow} from '@site/src/sim/scenarios/types';
import styles from './styles.module.css';

interface RowsChartProps {
  rows: ScenarioRow[];
  unit: string;
  /** The table that holds the same numbers: the chart's text alternative. */
  describedBy: string;
  /** False until the lab comes near the viewport: Observable Plot loads and draws only then. */
  draw: boolean;
}

/** The rows of one unit as bars, with the seed's figure as a tick where it claims one (Observable Plot). */
export default function RowsChart({rows, unit, describedBy, draw}: RowsChartProps): ReactNode {
  const box = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (!draw) return;
    let cancelled = false;
    void import('@observablehq/plot').then((Plot) => {
      const element = box.current;
      if (cancelled || element === null) return;
      const seeds = rows.filter((row) => row.seed !== null);
      const width = Math.max(260, element.clientWidth);
      // On a narrow screen each bar's label goes above it instead of in a margin on its left
      // (the same width as the container query in styles.module.css).
      const narrow = width < 560;
      const chart = Plot.plot({
        width,
        height: 40 + rows.length * (narrow ? 44 : 28),
        marginLeft: narrow ? 8 : Math.min(240, width * 0.4),
        marginRight: 16,
        x: {label: unit, grid: true},
        y: narrow ? {axis: null, domain: rows.map((row) => row.label), padding: 0.45} : {label: null, domain: rows.map((row) => row.label), tickFormat: (label: string) => (label.length > 36 ? `${label.slice(0, 35)}…` : label)},
        ariaLabel: `Bar chart of the simulated values in ${unit}`,
        ariaDescription: 'The same numbers are in the table above.',
        marks: [
          Plot.barX(rows, {x: 'value', y: 'label', fill: 'var(--ifm-color-primary)'}),
          Plot.tickX(seeds, {x: 'seed', y: 'label', stroke: 'var(--ifm-color-danger-darkest)', strokeWidth: 3}),
          ...(narrow ? [Plot.text(rows, {x: 0, y: 'label', text: 'label', textAnchor: 'start', dx: 4, dy: -14, fill: 'currentColor'})] : []),
          Plot.ruleX([0]),
        ],
      });
      // One image with one label: Plot names its mark groups with aria-label, which axe forbids on a bare <g>.
      chart.setAttribute('role', 'img');
      chart.querySelectorAll('g[aria-label]').forEach((group) => group.removeAttribute('aria-label'));
      element.replaceChildren(chart);
    });
    return () => {
      cancelled = true;
    };
  }, [rows, unit, draw]);
  // The box has the chart's height before Plot has loaded (styles.module.css: the same sum as above).
  return (
    <figure className={styles.chart}>
      <div ref={box} className={styles.chartBox} style={{'--bars': rows.length} as CSSProperties} aria-describedby={describedBy} />
      <figcaption>
        Bars: simulated, in {unit}.{rows.some((row) => row.seed !== null) ? ' Dark ticks: the seed’s figure.' : ''}
      </figcaption>
    </figure>
  );
}
