import {readdirSync} from 'node:fs';
import {describe, expect, it} from 'vitest';
import {cacheDir, cacheFilePattern, colourModes, diagramHash, diagramProblems, mermaidDiagrams, svgFile} from '../src/components/Diagram/cache';

/**
 * What the build will check, checked in a second: every ```mermaid block of the docs has a text
 * alternative and both rendered SVGs. A failure names the file and line; `npm run diagrams` renders.
 */
describe('the diagrams of the docs', () => {
  const diagrams = mermaidDiagrams();

  it.each(diagrams.map((diagram) => [`${diagram.file}:${diagram.line}`, diagram] as const))('%s has accTitle, accDescr and both SVGs', (_, diagram) => {
    expect(diagramProblems(diagram.source)).toEqual([]);
  });

  it('leave no unused file in static/diagrams/', () => {
    const used = new Set(diagrams.flatMap((diagram) => colourModes.map((mode) => svgFile(diagramHash(diagram.source), mode))));
    const unused = readdirSync(cacheDir).filter((name) => cacheFilePattern.test(name) && !used.has(name));
    expect(unused, 'delete them with `npm run diagrams`').toEqual([]);
  });
});
