import {useEffect, useId, useMemo, useRef, useState, type CSSProperties, type ReactNode} from 'react';
import type {Timeline as TimelineData} from '@site/src/sim/timeline';
import {formatUs} from './format';
import {AXIS_HEIGHT, LANE_HEIGHT, canvasHeight, lanesHeight} from './geometry';
import {indexTimeline, outlineOf, type TimelineOutline} from './layout';
import {PATTERN_TILE, inkOn, patternLineWidth, patternSegments, stylesFor, type StateStyle} from './palette';
import TimelineTable from './TimelineTable';
import type {TimelineView} from './view';
import styles from './styles.module.css';

export interface TimelineProps {
  /** The run to draw; until it is there, the frame is drawn from `outline`, with nothing to zoom. */
  timeline?: TimelineData;
  outline?: TimelineOutline;
}

/**
 * One run's timeline: a lane per thread, core, GIL, event loop, task or executor thread, its spans
 * coloured and patterned by state. Zoom and pan with Ctrl + wheel, a drag, a pinch, the buttons or the
 * keyboard; hover or move the keyboard cursor to read a span; the Table button shows the same spans
 * as a table. The server renders the frame at its final height; the canvas is drawn in the browser.
 */
export default function Timeline({timeline, outline: given}: TimelineProps): ReactNode {
  const indexed = useMemo(() => {
    if (timeline === undefined) return null;
    const started = performance.now();
    const built = indexTimeline(timeline);
    return {index: built, indexMs: performance.now() - started};
  }, [timeline]);
  const index = indexed?.index ?? null;
  const outline = useMemo(() => (timeline !== undefined && index !== null ? outlineOf(timeline, index) : given), [timeline, index, given]);
  if (outline === undefined) throw new Error('Timeline needs a timeline or its outline');
  const stateStyles = useMemo(() => stylesFor(outline.states), [outline]);
  const laneCount = outline.lanes.length;

  const canvas = useRef<HTMLCanvasElement>(null);
  const scroller = useRef<HTMLDivElement>(null);
  const frame = useRef<HTMLDivElement>(null);
  const tooltip = useRef<HTMLDivElement>(null);
  const live = useRef<HTMLDivElement>(null);
  const readout = useRef<HTMLSpanElement>(null);
  const view = useRef<TimelineView | null>(null);
  const [ready, setReady] = useState(false);
  const [tableShown, setTableShown] = useState(false);

  // d3 and the drawing code load in the browser only, with the first timeline that needs them.
  useEffect(() => {
    if (timeline === undefined || index === null) return;
    let cancelled = false;
    void import('./view').then(({TimelineView}) => {
      if (cancelled) return;
      view.current = new TimelineView(timeline, index, stateStyles, {
        canvas: canvas.current!,
        scroller: scroller.current!,
        frame: frame.current!,
        tooltip: tooltip.current!,
        live: live.current!,
        readout: readout.current!,
      });
      setReady(true);
    });
    return () => {
      cancelled = true;
      view.current?.destroy();
      view.current = null;
      setReady(false);
    };
  }, [timeline, index, stateStyles]);

  const id = useId();
  const helpId = `${id}-help`;
  const tableId = `${id}-table`;
  const laneNames = outline.lanes.map((lane) => lane.label);
  const summary =
    `${outline.title}: a timeline of ${laneCount} lane${laneCount === 1 ? '' : 's'} ` +
    `(${laneNames.slice(0, 8).join(', ')}${laneCount > 8 ? ` and ${laneCount - 8} more` : ''}) over ${formatUs(outline.endUs)}, ` +
    `${outline.spanCount.toLocaleString('en-US')} spans. The Table button shows the same spans as a table.`;

  return (
    <figure className={styles.timeline} data-timeline={outline.title} data-spans={outline.spanCount} data-lanes={laneCount} data-index-ms={indexed?.indexMs.toFixed(2)}>
      <figcaption className={styles.caption}>
        <span className={styles.title}>{outline.title}</span>{' '}
        <span className={styles.facts}>
          {laneCount} lanes · {formatUs(outline.endUs)} · {outline.spanCount.toLocaleString('en-US')} spans
        </span>
      </figcaption>
      <div className={styles.toolbar}>
        <button type="button" className="button button--sm button--secondary" disabled={!ready} onClick={() => view.current?.zoomBy(2)}>
          <span aria-hidden="true">+ </span>Zoom in
        </button>
        <button type="button" className="button button--sm button--secondary" disabled={!ready} onClick={() => view.current?.zoomBy(0.5)}>
          <span aria-hidden="true">− </span>Zoom out
        </button>
        <button type="button" className="button button--sm button--secondary" disabled={!ready} onClick={() => view.current?.reset()}>
          Whole run
        </button>
        <button type="button" className="button button--sm button--secondary" disabled={timeline === undefined} aria-expanded={tableShown} aria-controls={tableId} onClick={() => setTableShown((shown) => !shown)}>
          Table
        </button>
      </div>
      <Legend styles={stateStyles} />
      <div ref={frame} className={styles.frame}>
        <div ref={scroller} className={styles.scroller} style={{maxHeight: canvasHeight(laneCount)}}>
          <div className={styles.grid} style={{height: lanesHeight(laneCount)}}>
            <div className={styles.labels}>
              <div className={styles.axisSpacer} style={{height: AXIS_HEIGHT}} aria-hidden="true" />
              {outline.lanes.map((lane) => (
                <div key={lane.id} className={styles.laneLabel} style={{height: LANE_HEIGHT}} title={lane.label} data-kind={lane.kind}>
                  <span>{lane.label}</span>
                </div>
              ))}
            </div>
            <div className={styles.plot}>
              <canvas ref={canvas} className={styles.canvas} style={{height: canvasHeight(laneCount)}} role="img" aria-label={summary} aria-describedby={helpId} tabIndex={0} />
            </div>
          </div>
        </div>
        <div ref={tooltip} className={styles.tooltip} aria-hidden="true" hidden />
      </div>
      <p className={styles.readout}>
        Showing <span ref={readout}>{`0 µs – ${formatUs(outline.endUs)} of ${formatUs(outline.endUs)}`}</span>
      </p>
      <p id={helpId} className={styles.help}>
        Drag to pan; Ctrl + wheel or pinch to zoom. With the timeline focused: ← → previous or next span, ↑ ↓ another lane, + − zoom, Shift+← → pan, Home the whole run.
      </p>
      <div ref={live} className="visually-hidden" aria-live="polite" />
      {tableShown && timeline !== undefined && index !== null && <TimelineTable key={timeline.title} id={tableId} timeline={timeline} index={index} styles={stateStyles} />}
    </figure>
  );
}

/** The states in this timeline, each with the swatch the canvas draws for it. */
function Legend({styles: stateStyles}: {styles: Map<string, StateStyle>}): ReactNode {
  return (
    <ul className={styles.legend} aria-label="States">
      {[...stateStyles.entries()].map(([state, style]) => (
        <li key={state} className={styles.legendItem} title={style.meaning}>
          <Swatch style={style} />
          {style.label}
        </li>
      ))}
    </ul>
  );
}

/** Two tiles of the state's pattern; light and dark colours switch in CSS, so the server can render it. */
function Swatch({style}: {style: StateStyle}): ReactNode {
  const size = 2 * PATTERN_TILE;
  const path = [0, PATTERN_TILE]
    .flatMap((dx) => [0, PATTERN_TILE].flatMap((dy) => patternSegments(style.pattern, PATTERN_TILE).map(([x0, y0, x1, y1]) => `M${x0 + dx} ${y0 + dy}L${x1 + dx} ${y1 + dy}`)))
    .join('');
  const colours = {'--fill-light': style.light, '--fill-dark': style.dark, '--ink-light': inkOn(style.light), '--ink-dark': inkOn(style.dark)} as CSSProperties;
  return (
    <svg className={styles.swatch} style={colours} width={size} height={size} viewBox={`0 0 ${size} ${size}`} aria-hidden="true" focusable="false">
      <rect width={size} height={size} />
      {path && <path d={path} strokeWidth={patternLineWidth(style.pattern)} />}
    </svg>
  );
}

export interface TimelineSetProps {
  timelines?: TimelineData[];
  /** The runs' outlines, drawn as frames until `timelines` is there. */
  outlines?: TimelineOutline[];
}

/** Several runs' timelines (one per model a scenario compares, say): pick one to draw. */
export function TimelineSet({timelines, outlines}: TimelineSetProps): ReactNode {
  const [chosen, setChosen] = useState(0);
  const id = useId();
  const titles = timelines?.map((timeline) => timeline.title) ?? outlines?.map((outline) => outline.title) ?? [];
  if (titles.length === 0) return <p className={styles.empty}>This run has no timeline to draw.</p>;
  const shown = Math.min(chosen, titles.length - 1);
  return (
    <div className={styles.set}>
      {titles.length > 1 && (
        <div className={styles.picker}>
          <label htmlFor={id}>Run</label>
          <select id={id} value={shown} onChange={(event) => setChosen(Number(event.target.value))}>
            {titles.map((title, position) => (
              <option key={position} value={position}>
                {title}
              </option>
            ))}
          </select>
        </div>
      )}
      <Timeline timeline={timelines?.[shown]} outline={outlines?.[shown]} />
    </div>
  );
}
