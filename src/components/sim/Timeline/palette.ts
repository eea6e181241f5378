/**
 * How each state looks: a colour for light and one for dark mode, each at least 3:1 against the
 * page (WCAG 1.4.11, graphics), and a pattern, so that no two states differ by colour alone.
 * The legend draws the same patterns as the canvas from the same segments.
 */

export type Pattern = 'solid' | 'hatch' | 'backhatch' | 'cross' | 'hlines' | 'vlines' | 'dots' | 'grid';

export interface StateStyle {
  /** What the legend calls it. */
  label: string;
  /** What it means, for the legend's title and the tooltip. */
  meaning: string;
  light: string;
  dark: string;
  pattern: Pattern;
}

/** The states the simulator's timelines use, in the order the legend lists them. */
export const STATE_STYLES: Record<string, StateStyle> = {
  running: {label: 'running', meaning: 'executing', light: '#2e7d32', dark: '#66bb6a', pattern: 'solid'},
  ready: {label: 'ready', meaning: 'could run, waits for its turn: a core, or the event loop', light: '#a15c00', dark: '#ffb74d', pattern: 'hatch'},
  blocked: {label: 'blocked', meaning: 'waits for the GIL, I/O, a sleep, a lock or a join', light: '#c62828', dark: '#ef7b7b', pattern: 'cross'},
  held: {label: 'held (GIL)', meaning: 'a thread holds this interpreter’s GIL', light: '#6a1b9a', dark: '#ce93d8', pattern: 'backhatch'},
  select: {label: 'select', meaning: 'the event loop waits in the selector', light: '#546e7a', dark: '#90a4ae', pattern: 'hlines'},
  callbacks: {label: 'callbacks', meaning: 'the event loop runs ready callbacks', light: '#1565c0', dark: '#64b5f6', pattern: 'vlines'},
  waiting: {label: 'waiting', meaning: 'a task awaits a future, a sleep or I/O', light: '#6d6d6d', dark: '#bdbdbd', pattern: 'dots'},
  new: {label: 'new', meaning: 'created, not started', light: '#00727d', dark: '#4dd0e1', pattern: 'grid'},
};

/** For states the list does not know: still distinct, still patterned. */
const FALLBACK_STYLES: Omit<StateStyle, 'label' | 'meaning'>[] = [
  {light: '#8e3b00', dark: '#ffab91', pattern: 'grid'},
  {light: '#4a148c', dark: '#b39ddb', pattern: 'dots'},
  {light: '#00695c', dark: '#80cbc4', pattern: 'hatch'},
  {light: '#37474f', dark: '#cfd8dc', pattern: 'cross'},
];

/** Styles for a timeline's states, known ones in the legend's order, then the rest as they come. */
export function stylesFor(states: string[]): Map<string, StateStyle> {
  const known = Object.keys(STATE_STYLES);
  const ordered = [...states].sort((a, b) => rank(known, a) - rank(known, b));
  let unknown = 0;
  return new Map(
    ordered.map((state) => {
      const style = STATE_STYLES[state] ?? {label: state, meaning: state, ...FALLBACK_STYLES[unknown++ % FALLBACK_STYLES.length]};
      return [state, style];
    }),
  );
}

const rank = (known: string[], state: string): number => (known.includes(state) ? known.indexOf(state) : known.length);

/** Relative luminance of a #rrggbb colour (WCAG 2). */
export function luminance(hex: string): number {
  const channel = (offset: number): number => {
    const value = parseInt(hex.slice(offset, offset + 2), 16) / 255;
    return value <= 0.03928 ? value / 12.92 : ((value + 0.055) / 1.055) ** 2.4;
  };
  return 0.2126 * channel(1) + 0.7152 * channel(3) + 0.0722 * channel(5);
}

export function contrast(a: string, b: string): number {
  const [light, dark] = [luminance(a), luminance(b)].sort((x, y) => y - x);
  return (light + 0.05) / (dark + 0.05);
}

/** Black or white, whichever reads better on `fill`: for labels and pattern lines inside spans. */
export const inkOn = (fill: string): '#000000' | '#ffffff' => (contrast(fill, '#000000') >= contrast(fill, '#ffffff') ? '#000000' : '#ffffff');

/**
 * The pattern's strokes within one `size`×`size` tile, as [x0, y0, x1, y1] segments that join up
 * across tiles (diagonals spill over the corners so that the stroke has no gaps).
 */
export function patternSegments(pattern: Pattern, size: number): [number, number, number, number][] {
  const half = size / 2;
  const slash: [number, number, number, number][] = [
    [-1, size + 1, size + 1, -1],
    [-1, 1, 1, -1],
    [size - 1, size + 1, size + 1, size - 1],
  ];
  const backslash = slash.map(([x0, y0, x1, y1]): [number, number, number, number] => [size - x0, y0, size - x1, y1]);
  const horizontal: [number, number, number, number][] = [[0, half, size, half]];
  const vertical: [number, number, number, number][] = [[half, 0, half, size]];
  switch (pattern) {
    case 'solid':
      return [];
    case 'hatch':
      return slash;
    case 'backhatch':
      return backslash;
    case 'cross':
      return [...slash, ...backslash];
    case 'hlines':
      return horizontal;
    case 'vlines':
      return vertical;
    case 'grid':
      return [...horizontal, ...vertical];
    case 'dots':
      // A short thick stroke reads as a dot.
      return [[half - 0.75, half, half + 0.75, half]];
  }
}

export const PATTERN_TILE = 8;
/** Dots are drawn thicker than lines. */
export const patternLineWidth = (pattern: Pattern): number => (pattern === 'dots' ? 2.5 : 1.25);
