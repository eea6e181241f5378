import {describe, expect, it} from 'vitest';
import {Prism, normalizeTokens} from 'prism-react-renderer';
import {compactLines} from './compactLines';

const tokenize = (code: string) => normalizeTokens(Prism.tokenize(code, Prism.languages.python));
const text = (runs: ReturnType<typeof compactLines>) => runs.map((run) => (typeof run === 'string' ? run : run.text)).join('');

describe('compactLines', () => {
  const code = 'import asyncio\n\nasync def answer():\n    return 42  # the answer';

  it('keeps every character of the code, lines joined by newlines', () => {
    expect(text(compactLines(tokenize(code)))).toBe(code);
    expect(text(compactLines(tokenize('a\n\n\nb')))).toBe('a\n\n\nb');
  });

  it('leaves plain text bare and colours the rest by their token classes', () => {
    const runs = compactLines(tokenize('x = f(1)'));
    expect(runs).toEqual(['x ', {className: 'token operator', text: '='}, ' f', {className: 'token punctuation', text: '('}, {className: 'token number', text: '1'}, {className: 'token punctuation', text: ')'}]);
  });

  it('merges neighbouring tokens of the same kinds into one run', () => {
    const runs = compactLines(tokenize('f()():'));
    expect(runs).toEqual(['f', {className: 'token punctuation', text: '()():'}]);
  });

  it('draws far fewer elements than a span per token', () => {
    const lines = tokenize(`${code}\n`.repeat(20));
    const tokens = lines.flat().length;
    const spans = compactLines(lines).filter((run) => typeof run !== 'string').length;
    expect(spans).toBeLessThan(tokens / 2);
  });
});
