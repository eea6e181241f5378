import type {Token} from 'prism-react-renderer';

/** A run of code: bare text (the block's plain colour) or text that CSS colours by its token classes. */
export type CodeRun = string | {className: string; text: string};

/**
 * Prism's lines as few runs as they can be: plain text stays text, and neighbouring tokens of the
 * same kinds become one span. The theme draws a span per token, a `<div>` and a `<br>` per line;
 * on the asyncio chapter that was 4,800 of the page's 6,700 elements, and every one of them costs
 * style, layout and text shaping while a phone loads the page. The lines are joined by newlines,
 * which `<pre>` keeps; an empty line needs nothing more.
 */
export function compactLines(lines: Token[][]): CodeRun[] {
  const runs: CodeRun[] = [];
  const add = (className: string | null, text: string) => {
    if (text === '') return;
    const last = runs.at(-1);
    if (className === null) {
      if (typeof last === 'string') runs[runs.length - 1] = last + text;
      else runs.push(text);
    } else if (typeof last === 'object' && last.className === className) last.text += text;
    else runs.push({className, text});
  };
  lines.forEach((line, index) => {
    if (index > 0) add(null, '\n');
    for (const token of line) {
      const kinds = token.types.filter((type) => type !== 'plain');
      // A token's text never holds the line's end; a lone '\n' marks an empty line.
      add(kinds.length === 0 ? null : `token ${kinds.join(' ')}`, token.content.replace(/\n/g, ''));
    }
  });
  return runs;
}
