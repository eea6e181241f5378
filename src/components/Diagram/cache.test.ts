import {describe, expect, it} from 'vitest';
import {accessibleText, diagramHash, svgSize} from './cache';

describe('accessibleText', () => {
  it('reads accTitle and a one-line accDescr', () => {
    const source = 'flowchart LR\n    accTitle: Two steps\n    accDescr: A leads to B.\n    A --> B';
    expect(accessibleText(source)).toEqual({title: 'Two steps', description: 'A leads to B.'});
  });

  it('joins the lines of an accDescr { … } block', () => {
    const source = 'sequenceDiagram\n  accTitle: Ping\n  accDescr {\n    A asks,\n    B answers.\n  }\n  A->>B: ping';
    expect(accessibleText(source).description).toBe('A asks, B answers.');
  });

  it('finds nothing when the lines are missing or empty', () => {
    expect(accessibleText('flowchart LR\n  A --> B')).toEqual({title: undefined, description: undefined});
    expect(accessibleText('flowchart LR\n  accTitle:   \n  A --> B').title).toBeUndefined();
  });
});

describe('svgSize', () => {
  it('takes the viewBox size, rounded up to whole pixels', () => {
    expect(svgSize('<svg xmlns="http://www.w3.org/2000/svg" viewBox="-8 -8 612.5 630.2" width="100%"><g/></svg>')).toEqual({width: 613, height: 631});
  });

  it('reads the root element only', () => {
    expect(svgSize('<svg viewBox="0 0 10 20"><svg viewBox="0 0 99 99"/></svg>')).toEqual({width: 10, height: 20});
  });

  it('refuses an SVG with no usable viewBox', () => {
    expect(() => svgSize('<svg width="10" height="10"></svg>')).toThrow('no usable viewBox');
    expect(() => svgSize('<svg viewBox="0 0 0 10"></svg>')).toThrow('no usable viewBox');
  });
});

describe('diagramHash', () => {
  const source = 'flowchart LR\n  A --> B';

  it('changes with the diagram and with the Mermaid version', () => {
    expect(diagramHash(source, '11.0.0')).not.toBe(diagramHash('flowchart LR\n  A --> C', '11.0.0'));
    expect(diagramHash(source, '11.0.0')).not.toBe(diagramHash(source, '11.0.1'));
  });

  it('ignores trailing spaces and surrounding blank lines, which draw nothing', () => {
    expect(diagramHash(`\n${source.replace('LR', 'LR  ')}\n\n`, '11.0.0')).toBe(diagramHash(source, '11.0.0'));
    expect(diagramHash(source, '11.0.0')).toMatch(/^[0-9a-f]{16}$/);
  });
});
