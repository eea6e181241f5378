/**
 * The timeline's canvas: draws the lanes in view, the time axis (d3-scale) and the cursor; zooms
 * and pans with d3-zoom (wheel, drag, pinch, the buttons and the keyboard); shows the span under
 * the pointer or the keyboard cursor and announces the cursor's span. Loaded in the browser only.
 */
import {scaleLinear, type ScaleLinear} from 'd3-scale';
import {select, type Selection} from 'd3-selection';
import {zoom, zoomIdentity, zoomTransform, type ZoomBehavior} from 'd3-zoom';
import type {Timeline} from '../../../sim/timeline';
import {formatSpanTime, formatUs, tickFormatter} from './format';
import {AXIS_HEIGHT, LANE_HEIGHT, canvasHeight} from './geometry';
import {countBetween, layoutVisible, spanAt, visibleRange, type LaneIndex, type TimelineIndex} from './layout';
import {PATTERN_TILE, inkOn, patternLineWidth, patternSegments, type StateStyle} from './palette';

export interface ViewParts {
  canvas: HTMLCanvasElement;
  /** Scrolls the lanes when there are more than fit. */
  scroller: HTMLElement;
  /** The positioned box the tooltip is placed in. */
  frame: HTMLElement;
  tooltip: HTMLElement;
  /** aria-live region: what the keyboard cursor is on, and what a zoom shows. */
  live: HTMLElement;
  /** "0 µs – 102.136 ms of 102.136 ms" */
  readout: HTMLElement;
}

interface StatePaint {
  fill: string;
  ink: string;
  pattern: CanvasPattern | null;
  style: StateStyle;
}

interface Theme {
  text: string;
  muted: string;
  grid: string;
  focus: string;
  font: string;
  states: StatePaint[];
}

interface SpanRef {
  lane: number;
  position: number;
}

/** The narrowest stretch of time a view may show: a few microseconds across the whole plot. */
const MIN_VISIBLE_US = 20;
/** How near (px) the pointer must be to a span or a mark for the tooltip to show it. */
const HIT_SLOP_PX = 3;
const SPAN_PADDING = 4;
const LABEL_MIN_WIDTH = 36;

export class TimelineView {
  private width = 0;
  private height: number;
  private dpr = 1;
  private readonly context: CanvasRenderingContext2D;
  private readonly base: ScaleLinear<number, number> = scaleLinear();
  private readonly zoomBehavior: ZoomBehavior<HTMLCanvasElement, unknown>;
  private readonly selection: Selection<HTMLCanvasElement, unknown, null, undefined>;
  private theme: Theme;
  private frameRequest = 0;
  private cursor: SpanRef | null = null;
  private hover: (SpanRef & {x: number; y: number}) | null = null;
  private draws = 0;
  private readonly laneOfId: Map<string, number>;
  private readonly labelWidths = new Map<string, number>();
  private readonly resizeObserver: ResizeObserver;
  private readonly themeObserver: MutationObserver;

  constructor(
    private readonly timeline: Timeline,
    private readonly index: TimelineIndex,
    private readonly styles: Map<string, StateStyle>,
    private readonly parts: ViewParts,
  ) {
    const {canvas} = parts;
    this.context = canvas.getContext('2d')!;
    this.height = canvasHeight(index.lanes.length);
    this.laneOfId = new Map(index.lanes.map((lane, position) => [lane.id, position]));
    this.base.domain([0, Math.max(timeline.endUs, 1)]);
    this.theme = this.readTheme();

    this.zoomBehavior = zoom<HTMLCanvasElement, unknown>()
      .scaleExtent([1, Math.max(1, timeline.endUs / MIN_VISIBLE_US)])
      // A plain wheel scrolls the page past the timeline; Ctrl/⌘ + wheel (and a trackpad pinch,
      // which arrives as a wheel with ctrlKey) zooms, as on a map.
      .filter((event: MouseEvent) => (event.type === 'wheel' ? event.ctrlKey || event.metaKey : !event.ctrlKey && !event.button))
      .on('zoom', (event: {sourceEvent: Event | null}) => {
        // A wheel or drag moves the spans from under a hover tooltip.
        if (event.sourceEvent) this.hideHover();
        this.requestDraw();
      });
    this.selection = select(canvas);
    this.selection.call(this.zoomBehavior);

    canvas.addEventListener('pointermove', this.onPointerMove);
    canvas.addEventListener('pointerleave', this.onPointerLeave);
    canvas.addEventListener('click', this.onClick);
    canvas.addEventListener('keydown', this.onKeyDown);
    canvas.addEventListener('blur', this.onBlur);
    parts.scroller.addEventListener('scroll', this.onScroll, {passive: true});

    this.resizeObserver = new ResizeObserver((entries) => this.resize(entries[0].contentRect.width));
    this.resizeObserver.observe(canvas.parentElement!);
    // Docusaurus switches colour mode by the data-theme attribute of <html>.
    this.themeObserver = new MutationObserver(() => {
      this.theme = this.readTheme();
      this.drawNow();
    });
    this.themeObserver.observe(document.documentElement, {attributes: true, attributeFilter: ['data-theme']});
    this.resize(canvas.parentElement!.clientWidth);
  }

  destroy(): void {
    cancelAnimationFrame(this.frameRequest);
    this.resizeObserver.disconnect();
    this.themeObserver.disconnect();
    this.selection.on('.zoom', null);
    const {canvas} = this.parts;
    canvas.removeEventListener('pointermove', this.onPointerMove);
    canvas.removeEventListener('pointerleave', this.onPointerLeave);
    canvas.removeEventListener('click', this.onClick);
    canvas.removeEventListener('keydown', this.onKeyDown);
    canvas.removeEventListener('blur', this.onBlur);
    this.parts.scroller.removeEventListener('scroll', this.onScroll);
    this.parts.tooltip.hidden = true;
  }

  /** Zooms by `factor` (2 = twice as close) about the cursor's span if it is in view, else the middle. */
  zoomBy(factor: number, announce = false): void {
    this.zoomBehavior.scaleBy(this.selection, factor, [this.zoomCentre(), 0]);
    this.drawNow();
    if (announce) this.announce(`${factor > 1 ? 'Zoomed in' : 'Zoomed out'}: showing ${this.parts.readout.textContent}`);
  }

  reset(announce = false): void {
    this.zoomBehavior.transform(this.selection, zoomIdentity);
    this.drawNow();
    if (announce) this.announce(`Whole run: ${this.parts.readout.textContent}`);
  }

  /** Pans by a share of the plot's width: positive moves later in time. */
  panBy(share: number): void {
    const {k} = zoomTransform(this.parts.canvas);
    this.zoomBehavior.translateBy(this.selection, (-share * this.width) / k, 0);
    this.drawNow();
  }

  private resize(width: number): void {
    const dpr = window.devicePixelRatio || 1;
    width = Math.floor(width);
    if (width <= 0 || (width === this.width && dpr === this.dpr)) return;
    // Keep the same stretch of time in view across the resize.
    const shown = this.width > 0 ? this.scale().domain() : null;
    const dprChanged = dpr !== this.dpr;
    this.width = width;
    this.dpr = dpr;
    const {canvas} = this.parts;
    canvas.width = Math.round(width * dpr);
    canvas.height = Math.round(this.height * dpr);
    this.base.range([0, width]);
    const extent: [[number, number], [number, number]] = [
      [0, 0],
      [width, this.height],
    ];
    this.zoomBehavior.extent(extent).translateExtent(extent);
    if (dprChanged) this.theme = this.readTheme();
    if (shown) {
      const k = (this.base.domain()[1] - this.base.domain()[0]) / (shown[1] - shown[0]);
      this.zoomBehavior.transform(this.selection, zoomIdentity.translate(-this.base(shown[0]) * k, 0).scale(k));
    }
    this.drawNow();
  }

  /** The time scale of the view: the base scale under the current zoom. */
  private scale(): ScaleLinear<number, number> {
    return zoomTransform(this.parts.canvas).rescaleX(this.base);
  }

  private requestDraw(): void {
    if (this.frameRequest === 0) this.frameRequest = requestAnimationFrame(() => this.drawNow());
  }

  private drawNow(): void {
    cancelAnimationFrame(this.frameRequest);
    this.frameRequest = 0;
    if (this.width === 0) return;
    const started = performance.now();
    this.draw();
    const elapsed = performance.now() - started;
    const {canvas} = this.parts;
    this.draws += 1;
    canvas.dataset.drawMs = elapsed.toFixed(2);
    if (this.draws === 1) canvas.dataset.firstDrawMs = elapsed.toFixed(2);
    canvas.dataset.draws = String(this.draws);
    canvas.dataset.theme = document.documentElement.dataset.theme ?? 'light';
  }

  private readTheme(): Theme {
    const css = getComputedStyle(document.documentElement);
    const variable = (name: string, fallback: string): string => css.getPropertyValue(name).trim() || fallback;
    const dark = document.documentElement.dataset.theme === 'dark';
    const states = this.index.states.map((state): StatePaint => {
      const style = this.styles.get(state)!;
      const fill = dark ? style.dark : style.light;
      const ink = inkOn(fill);
      return {fill, ink, style, pattern: this.makePattern(style, ink)};
    });
    return {
      text: variable('--ifm-font-color-base', dark ? '#e3e3e3' : '#1c1e21'),
      muted: variable('--ifm-color-emphasis-800', dark ? '#dadde1' : '#444950'),
      grid: variable('--ifm-color-emphasis-300', dark ? '#606770' : '#dadde1'),
      focus: variable('--ifm-color-primary', dark ? '#7cc0f5' : '#1f5f99'),
      font: getComputedStyle(this.parts.canvas).fontFamily || 'system-ui, sans-serif',
      states,
    };
  }

  /** A repeating tile of the state's pattern, drawn at the screen's pixel density. */
  private makePattern(style: StateStyle, ink: string): CanvasPattern | null {
    const segments = patternSegments(style.pattern, PATTERN_TILE);
    if (segments.length === 0) return null;
    const dpr = window.devicePixelRatio || 1;
    const tile = document.createElement('canvas');
    tile.width = tile.height = Math.round(PATTERN_TILE * dpr);
    const context = tile.getContext('2d')!;
    context.scale(dpr, dpr);
    context.strokeStyle = ink;
    context.globalAlpha = 0.5;
    context.lineWidth = patternLineWidth(style.pattern);
    context.beginPath();
    for (const [x0, y0, x1, y1] of segments) {
      context.moveTo(x0, y0);
      context.lineTo(x1, y1);
    }
    context.stroke();
    const pattern = this.context.createPattern(tile, 'repeat');
    pattern?.setTransform(new DOMMatrix().scale(1 / dpr));
    return pattern;
  }

  /** Lanes [first, last) at least partly on screen, given the vertical scroll. */
  private visibleLanes(): [number, number] {
    const top = this.parts.scroller.scrollTop;
    const first = Math.max(0, Math.floor(top / LANE_HEIGHT));
    const last = Math.min(this.index.lanes.length, Math.ceil((top + this.height - AXIS_HEIGHT) / LANE_HEIGHT));
    return [first, last];
  }

  private laneTop(lane: number): number {
    return AXIS_HEIGHT + lane * LANE_HEIGHT - this.parts.scroller.scrollTop;
  }

  private draw(): void {
    const {context: ctx, width, height, theme, index} = this;
    ctx.setTransform(this.dpr, 0, 0, this.dpr, 0, 0);
    ctx.clearRect(0, 0, width, height);
    const x = this.scale();
    const [startUs, endUs] = x.domain();

    // The axis: ticks from d3-scale, labelled in the unit that suits them.
    // A narrow plot may get a single tick: ask for more until there are two to show the step.
    let tickCount = Math.max(2, Math.floor(width / 100));
    let ticks = x.ticks(tickCount);
    while (ticks.length < 2 && tickCount < 20) ticks = x.ticks(++tickCount);
    const step = ticks.length > 1 ? ticks[1] - ticks[0] : endUs - startUs;
    const label = tickFormatter(step, Math.max(...ticks.map(Math.abs), 1));
    ctx.font = `12px ${theme.font}`;
    ctx.textBaseline = 'middle';
    ctx.lineWidth = 1;
    ctx.strokeStyle = theme.grid;
    ctx.beginPath();
    ctx.moveTo(0, AXIS_HEIGHT - 0.5);
    ctx.lineTo(width, AXIS_HEIGHT - 0.5);
    for (const tick of ticks) {
      const px = Math.round(x(tick)) + 0.5;
      ctx.moveTo(px, AXIS_HEIGHT - 6);
      ctx.lineTo(px, height);
    }
    ctx.stroke();
    ctx.fillStyle = theme.muted;
    const labels = ticks.map(label);
    labels.forEach((text, position) => {
      const half = ctx.measureText(text).width / 2;
      ctx.textAlign = 'center';
      ctx.fillText(text, Math.min(width - half - 2, Math.max(half + 2, x(ticks[position]))), (AXIS_HEIGHT - 6) / 2);
    });
    const {canvas} = this.parts;
    canvas.dataset.ticks = labels.join(' | ');
    canvas.dataset.domain = `${startUs.toFixed(3)},${endUs.toFixed(3)}`;
    this.parts.readout.textContent = `${formatUs(startUs)} – ${formatUs(endUs)} of ${formatUs(this.timeline.endUs)}`;

    ctx.save();
    ctx.beginPath();
    ctx.rect(0, AXIS_HEIGHT, width, height - AXIS_HEIGHT);
    ctx.clip();

    const [firstLane, lastLane] = this.visibleLanes();
    ctx.strokeStyle = theme.grid;
    ctx.beginPath();
    for (let lane = firstLane + 1; lane <= lastLane; lane += 1) {
      const y = Math.round(this.laneTop(lane)) - 0.5;
      ctx.moveTo(0, y);
      ctx.lineTo(width, y);
    }
    ctx.stroke();

    // One path per state, so a frame costs a fill (and a pattern fill) per state, not per span.
    const rects = layoutVisible(index, {startUs, endUs, width}, [firstLane, lastLane]);
    const paths = theme.states.map(() => new Path2D());
    const used = new Set<number>();
    for (let lane = firstLane; lane < lastLane; lane += 1) {
      const top = this.laneTop(lane) + SPAN_PADDING;
      for (const rect of rects[lane]) {
        // A 1 px gap shows where one wide span ends and the next begins.
        const widthPx = rect.x1 - rect.x0 - (!rect.mixed && rect.x1 - rect.x0 >= 4 ? 1 : 0);
        paths[rect.state].rect(rect.x0, top, widthPx, LANE_HEIGHT - 2 * SPAN_PADDING);
        used.add(rect.state);
      }
    }
    for (const state of used) {
      const paint = theme.states[state];
      ctx.fillStyle = paint.fill;
      ctx.fill(paths[state]);
      if (paint.pattern) {
        ctx.fillStyle = paint.pattern;
        ctx.fill(paths[state]);
      }
    }

    // Spans wide enough to hold words say what they are (detail, else the state).
    ctx.textAlign = 'left';
    for (let lane = firstLane; lane < lastLane; lane += 1) {
      const middle = this.laneTop(lane) + LANE_HEIGHT / 2;
      for (const rect of rects[lane]) {
        if (rect.mixed || rect.x1 - rect.x0 < LABEL_MIN_WIDTH) continue;
        const paint = theme.states[rect.state];
        const span = this.timeline.spans[index.lanes[lane].spans[rect.main]];
        const room = rect.x1 - rect.x0 - 10;
        const text = [span.detail, paint.style.label].find((candidate) => this.textWidth(candidate) <= room);
        if (text === undefined) continue;
        ctx.fillStyle = paint.fill;
        ctx.fillRect(rect.x0 + 2, middle - 8, this.textWidth(text) + 6, 16);
        ctx.fillStyle = paint.ink;
        ctx.fillText(text, rect.x0 + 5, middle);
      }
    }

    this.drawMarks(x, firstLane, lastLane);
    if (this.hover) this.outline(this.hover, theme.text, 1);
    if (this.cursor) this.outline(this.cursor, theme.focus, 2);
    ctx.restore();
    if (this.cursor && !this.parts.tooltip.hidden && this.hover === null) this.showTooltipAtCursor();
  }

  private textWidth(text: string): number {
    let width = this.labelWidths.get(text);
    if (width === undefined) {
      width = this.context.measureText(text).width;
      this.labelWidths.set(text, width);
    }
    return width;
  }

  /** Marks (an exception, a deadlock …): a line with a flag on their lane, or across all lanes. */
  private drawMarks(x: ScaleLinear<number, number>, firstLane: number, lastLane: number): void {
    const {context: ctx, theme} = this;
    ctx.fillStyle = theme.text;
    for (const mark of this.timeline.marks) {
      const px = Math.round(x(mark.atUs));
      if (px < -4 || px > this.width + 4) continue;
      const lane = this.laneOfId.get(mark.lane);
      const from = lane ?? firstLane;
      const to = lane === undefined ? lastLane : lane + 1;
      if (to <= firstLane || from >= lastLane) continue;
      const top = this.laneTop(from);
      ctx.fillRect(px - 1, top, 2, (to - from) * LANE_HEIGHT);
      ctx.beginPath();
      ctx.moveTo(px - 5, top);
      ctx.lineTo(px + 5, top);
      ctx.lineTo(px, top + 7);
      ctx.closePath();
      ctx.fill();
    }
  }

  private outline({lane, position}: SpanRef, colour: string, lineWidth: number): void {
    const entry = this.index.lanes[lane];
    const x = this.scale();
    let left = Math.max(-4, x(entry.starts[position]));
    let right = Math.min(this.width + 4, x(entry.ends[position]));
    if (right - left < 4) {
      const middle = (left + right) / 2;
      left = middle - 2;
      right = middle + 2;
    }
    const top = this.laneTop(lane) + SPAN_PADDING - lineWidth;
    this.context.lineWidth = lineWidth;
    this.context.strokeStyle = colour;
    this.context.strokeRect(left, top, right - left, LANE_HEIGHT - 2 * SPAN_PADDING + 2 * lineWidth);
  }

  /** The span (or nothing) under a point of the canvas. */
  private spanAtPoint(px: number, py: number): SpanRef | null {
    if (py < AXIS_HEIGHT) return null;
    const lane = Math.floor((py - AXIS_HEIGHT + this.parts.scroller.scrollTop) / LANE_HEIGHT);
    if (lane < 0 || lane >= this.index.lanes.length) return null;
    const x = this.scale();
    const slopUs = x.invert(HIT_SLOP_PX) - x.invert(0);
    const position = spanAt(this.index.lanes[lane], x.invert(px), slopUs);
    return position < 0 ? null : {lane, position};
  }

  private describe({lane, position}: SpanRef): {heading: string; lines: string[]} {
    const entry = this.index.lanes[lane];
    const span = this.timeline.spans[entry.spans[position]];
    const style = this.styles.get(span.state)!;
    const lines = [span.detail === span.state ? style.meaning : `${span.detail} — ${style.meaning}`, formatSpanTime(span.startUs, span.endUs)];
    // A crowded pixel: say so, rather than pretend the one span found is all there is.
    const x = this.scale();
    const middle = x((span.startUs + span.endUs) / 2);
    const crowd = countBetween(entry, x.invert(Math.floor(middle)), x.invert(Math.floor(middle) + 1));
    if (crowd > 1) lines.push(`${crowd.toLocaleString('en-US')} spans share this pixel: zoom in to tell them apart`);
    for (const mark of this.timeline.marks) {
      const near = Math.abs(x(mark.atUs) - middle) <= Math.max(HIT_SLOP_PX, (x(span.endUs) - x(span.startUs)) / 2);
      if (near && (mark.lane === entry.id || !this.laneOfId.has(mark.lane))) lines.push(`⚑ ${mark.label} at ${formatUs(mark.atUs)}`);
    }
    return {heading: `${entry.label}: ${style.label}`, lines};
  }

  private showTooltip(ref: SpanRef, px: number, py: number): void {
    const {tooltip, frame, canvas} = this.parts;
    const {heading, lines} = this.describe(ref);
    const title = document.createElement('strong');
    title.textContent = heading;
    tooltip.replaceChildren(title, ...lines.map((line) => Object.assign(document.createElement('span'), {textContent: line})));
    tooltip.hidden = false;
    const frameBox = frame.getBoundingClientRect();
    const canvasBox = canvas.getBoundingClientRect();
    const left = canvasBox.left - frameBox.left + px + 12;
    const top = canvasBox.top - frameBox.top + py + 14;
    // Never past the frame's right edge: a phone must not scroll sideways for a tooltip.
    tooltip.style.left = `${Math.max(0, Math.min(left, frameBox.width - tooltip.offsetWidth))}px`;
    tooltip.style.top = `${top}px`;
  }

  private showTooltipAtCursor(): void {
    if (!this.cursor) return;
    const entry = this.index.lanes[this.cursor.lane];
    const x = this.scale();
    const left = Math.max(0, x(entry.starts[this.cursor.position]));
    const right = Math.min(this.width, x(entry.ends[this.cursor.position]));
    const top = this.laneTop(this.cursor.lane);
    if (top < AXIS_HEIGHT - LANE_HEIGHT || top > this.height) return;
    this.showTooltip(this.cursor, Math.min(right, Math.max(left, (left + right) / 2)) - 12, top + LANE_HEIGHT - 14);
  }

  private hideHover(): void {
    if (this.hover === null) return;
    this.hover = null;
    this.parts.tooltip.hidden = true;
  }

  private readonly onPointerMove = (event: PointerEvent): void => {
    if (event.pointerType === 'touch' || event.buttons !== 0) return;
    const found = this.spanAtPoint(event.offsetX, event.offsetY);
    if (found === null) {
      if (this.hover) {
        this.hideHover();
        this.requestDraw();
      }
      return;
    }
    const moved = this.hover?.lane !== found.lane || this.hover.position !== found.position;
    this.hover = {...found, x: event.offsetX, y: event.offsetY};
    this.showTooltip(found, event.offsetX, event.offsetY);
    if (moved) this.requestDraw();
  };

  private readonly onPointerLeave = (): void => {
    this.hideHover();
    this.requestDraw();
  };

  /** A click or a tap puts the keyboard cursor on the span there. */
  private readonly onClick = (event: MouseEvent): void => {
    const found = this.spanAtPoint(event.offsetX, event.offsetY);
    if (found === null) return;
    this.hover = null;
    this.setCursor(found);
  };

  private readonly onBlur = (): void => {
    if (this.hover === null) this.parts.tooltip.hidden = true;
  };

  private readonly onScroll = (): void => {
    this.hideHover();
    this.requestDraw();
  };

  private readonly onKeyDown = (event: KeyboardEvent): void => {
    if (event.altKey || event.ctrlKey || event.metaKey) return;
    switch (event.key) {
      case '+':
      case '=':
        this.zoomBy(2, true);
        break;
      case '-':
      case '_':
      case '−':
        this.zoomBy(0.5, true);
        break;
      case 'Home':
        this.reset(true);
        break;
      case 'ArrowLeft':
      case 'ArrowRight': {
        const direction = event.key === 'ArrowLeft' ? -1 : 1;
        if (event.shiftKey) this.panBy(direction / 4);
        else this.moveCursor(0, direction);
        break;
      }
      case 'ArrowUp':
      case 'ArrowDown':
        this.moveCursor(event.key === 'ArrowUp' ? -1 : 1, 0);
        break;
      case 'Escape':
        this.parts.tooltip.hidden = true;
        return;
      default:
        return;
    }
    event.preventDefault();
  };

  /** Where zooming by key or button centres: the cursor's span when it is in view. */
  private zoomCentre(): number {
    if (this.cursor) {
      const entry = this.index.lanes[this.cursor.lane];
      const x = this.scale();
      const middle = x((entry.starts[this.cursor.position] + entry.ends[this.cursor.position]) / 2);
      if (middle >= 0 && middle <= this.width) return middle;
    }
    return this.width / 2;
  }

  private moveCursor(laneStep: number, spanStep: number): void {
    const lanes = this.index.lanes;
    const [startUs, endUs] = this.scale().domain();
    if (this.cursor === null) {
      // The first key press lands on the first span in view, in the first lane that has one.
      const [first] = this.visibleLanes();
      const order = [...lanes.keys()].filter((lane) => lane >= first).concat([...lanes.keys()].filter((lane) => lane < first));
      for (const lane of order) {
        const position = firstInView(lanes[lane], startUs, endUs);
        if (position >= 0) return this.setCursor({lane, position});
      }
      return this.announce('No spans in view.');
    }
    const {lane, position} = this.cursor;
    if (spanStep !== 0) {
      const next = position + spanStep;
      if (next < 0 || next >= lanes[lane].starts.length) return this.announce(`${spanStep < 0 ? 'First' : 'Last'} span of ${lanes[lane].label}.`);
      return this.setCursor({lane, position: next});
    }
    const atUs = (lanes[lane].starts[position] + lanes[lane].ends[position]) / 2;
    for (let next = lane + laneStep; next >= 0 && next < lanes.length; next += laneStep) {
      const found = spanAt(lanes[next], atUs, Infinity);
      if (found >= 0) return this.setCursor({lane: next, position: found});
    }
    this.announce(`${laneStep < 0 ? 'First' : 'Last'} lane.`);
  }

  /** Puts the cursor on a span, brings it into view, shows and announces it. */
  private setCursor(ref: SpanRef): void {
    this.cursor = ref;
    this.hover = null;
    const entry = this.index.lanes[ref.lane];
    const [startUs, endUs] = this.scale().domain();
    const spanStart = entry.starts[ref.position];
    const spanEnd = entry.ends[ref.position];
    if (spanEnd <= startUs || spanStart >= endUs) this.zoomBehavior.translateTo(this.selection, this.base((spanStart + spanEnd) / 2), 0);
    const {scroller} = this.parts;
    const laneY = ref.lane * LANE_HEIGHT;
    const lanesShown = this.height - AXIS_HEIGHT;
    if (laneY < scroller.scrollTop) scroller.scrollTop = laneY;
    else if (laneY + LANE_HEIGHT > scroller.scrollTop + lanesShown) scroller.scrollTop = laneY + LANE_HEIGHT - lanesShown;
    this.drawNow();
    this.showTooltipAtCursor();
    const {heading, lines} = this.describe(ref);
    this.announce(`${heading}. ${lines.join('. ')}. Span ${ref.position + 1} of ${entry.starts.length.toLocaleString('en-US')} in this lane.`);
  }

  private announce(message: string): void {
    this.parts.live.textContent = message;
  }
}

/** The lane's first span that shows in [startUs, endUs), or -1. */
function firstInView(lane: LaneIndex, startUs: number, endUs: number): number {
  const [from, to] = visibleRange(lane, startUs, endUs);
  for (let position = from; position < to; position += 1) if (lane.ends[position] > startUs) return position;
  return -1;
}
