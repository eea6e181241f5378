import {memo, type ReactNode} from 'react';
import clsx from 'clsx';
import {Highlight, Prism} from 'prism-react-renderer';
import {usePrismTheme} from '@docusaurus/theme-common';
import {useCodeBlockContext} from '@docusaurus/theme-common/internal';
import prismIncludeLanguages from '@theme/prism-include-languages';
import ThemeLines from '@theme-original/CodeBlock/Content';
import type {Props} from '@theme/CodeBlock/Content';
import themeStyles from '@docusaurus/theme-classic/lib/theme/CodeBlock/Content/styles.module.css';
import {compactLines} from './compactLines';

// What the theme's client module did at start-up, done when a block is first drawn in the
// browser (src/plugins/prism-on-demand.ts): the site's extra languages (bash) join Prism's.
prismIncludeLanguages(Prism);

/**
 * The highlighted code, in a chunk of its own with Prism: the theme's `<pre>` and `<code>`, holding
 * the fewest elements that colour it (compactLines). Blocks that mark lines (highlighted lines,
 * line numbers) need an element per line, and are drawn by the theme.
 */
function HighlightedLines({className: blockClassName}: Props): ReactNode {
  const {metadata, wordWrap} = useCodeBlockContext();
  const prismTheme = usePrismTheme();
  if (metadata.lineNumbersStart !== undefined || Object.keys(metadata.lineClassNames).length > 0) return <ThemeLines className={blockClassName} />;
  return (
    <Highlight theme={prismTheme} code={metadata.code} language={metadata.language}>
      {({className, style, tokens}) => (
        // Focusable, as the theme's: a block that scrolls sideways can be scrolled from the keyboard.
        <pre ref={wordWrap.codeBlockRef} tabIndex={0} className={clsx(blockClassName, className, themeStyles.codeBlock, 'thin-scrollbar')} style={style}>
          <code className={themeStyles.codeBlockLines}>
            {compactLines(tokens).map((run, index) =>
              typeof run === 'string' ? (
                run
              ) : (
                <span key={index} className={run.className}>
                  {run.text}
                </span>
              ),
            )}
          </code>
        </pre>
      )}
    </Highlight>
  );
}

export default memo(HighlightedLines);
