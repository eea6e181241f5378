import {describe, expect, it} from 'vitest';
import {STATE_STYLES, contrast, inkOn, luminance, patternSegments, stylesFor} from './palette';

// The page behind the canvas: Infima's light background and Docusaurus' dark one.
const LIGHT_PAGE = '#ffffff';
const DARK_PAGE = '#1b1b1d';

describe('state colours', () => {
  it('computes WCAG contrast', () => {
    expect(luminance('#ffffff')).toBeCloseTo(1);
    expect(contrast('#000000', '#ffffff')).toBeCloseTo(21);
    expect(contrast('#767676', '#ffffff')).toBeCloseTo(4.54, 2);
  });

  for (const [state, style] of Object.entries(STATE_STYLES)) {
    it(`${state} stands out from the page in both modes, and its label is readable on it`, () => {
      expect(contrast(style.light, LIGHT_PAGE)).toBeGreaterThanOrEqual(3);
      expect(contrast(style.dark, DARK_PAGE)).toBeGreaterThanOrEqual(3);
      expect(contrast(inkOn(style.light), style.light)).toBeGreaterThanOrEqual(4.5);
      expect(contrast(inkOn(style.dark), style.dark)).toBeGreaterThanOrEqual(4.5);
    });
  }

  it('gives states it does not know colours that pass the same checks', () => {
    for (const style of stylesFor(['one', 'two', 'three', 'four']).values()) {
      expect(contrast(style.light, LIGHT_PAGE)).toBeGreaterThanOrEqual(3);
      expect(contrast(style.dark, DARK_PAGE)).toBeGreaterThanOrEqual(3);
      expect(contrast(inkOn(style.dark), style.dark)).toBeGreaterThanOrEqual(4.5);
      expect(contrast(inkOn(style.light), style.light)).toBeGreaterThanOrEqual(4.5);
    }
  });

  it('gives every known state its own pattern, so colour is never the only difference', () => {
    const patterns = Object.values(STATE_STYLES).map((style) => style.pattern);
    expect(new Set(patterns).size).toBe(patterns.length);
    expect(patterns.filter((pattern) => patternSegments(pattern, 8).length === 0)).toEqual(['solid']);
  });

  it('orders a timeline’s states as the legend lists them, unknown ones last with styles of their own', () => {
    const styles = stylesFor(['blocked', 'mystery', 'running', 'other']);
    expect([...styles.keys()]).toEqual(['running', 'blocked', 'mystery', 'other']);
    expect(styles.get('mystery')!.label).toBe('mystery');
    expect(styles.get('mystery')!.pattern).not.toBe(styles.get('other')!.pattern);
  });
});
