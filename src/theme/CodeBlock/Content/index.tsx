import {lazy, Suspense, useEffect, useMemo, useRef, useState, type ReactNode} from 'react';
import useIsBrowser from '@docusaurus/useIsBrowser';
import {CodeBlockContextProvider, useCodeBlockContext} from '@docusaurus/theme-common/internal';
import type {Props} from '@theme/CodeBlock/Content';

/**
 * The theme's lines, with Prism: in the browser, loaded only when a block has to be drawn there.
 * The server draws them at once, outside any Suspense boundary (React would move a large one to
 * the end of the page); webpack runs a required module only when it is required, so the browser
 * never runs this `require`.
 */
const onServer = typeof window === 'undefined';
const Lines = onServer ? (require('./HighlightedLines') as typeof import('./HighlightedLines')).default : lazy(() => import('./HighlightedLines'));

/**
 * The theme's highlighted lines, which are most of a chapter's page: on the asyncio chapter,
 * 4,800 of its 6,800 elements, one per token. The server's lines are kept as they are when the
 * page comes alive instead of being built again by React (Prism run over every block, an element
 * per token to match up), the longest part of loading a chapter on a phone. The tokens' colours
 * come from CSS for both modes (src/css/custom.css), so the server's lines are right in either.
 *
 * A code block that appears later (another page opened in the app, the exercise's solution) is
 * drawn by the theme as usual, and drawn again only when its code changes: once mounted, a block
 * measures itself (does it scroll sideways? then it offers word wrap), and that change of state
 * used to draw every line again. The lines read only the code and the element to measure from
 * the block's context (word wrap itself is applied to that element directly), so they are given a
 * context that holds just those and changes only with them.
 */
export default function CodeBlockContent(props: Props): ReactNode {
  const {metadata, wordWrap} = useCodeBlockContext();
  const isBrowser = useIsBrowser();
  // In the browser but not yet live: this render is the hydration of the server's lines.
  const [keepServerLines, setKeepServerLines] = useState(() => !onServer && !isBrowser);
  const kept = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (!keepServerLines) return;
    const pre = kept.current?.querySelector('pre') ?? null;
    // No server lines after all (React rendered this part afresh): draw them.
    if (pre === null) setKeepServerLines(false);
    // Word wrap measures and wraps the element the theme's lines would have given it.
    else wordWrap.codeBlockRef.current = pre;
  }, [keepServerLines, wordWrap.codeBlockRef]);

  const lineClassNames = JSON.stringify(metadata.lineClassNames);
  // Keyed on what the lines are drawn from, not on the metadata object, which is new each render.
  const code = useMemo(() => metadata, [metadata.code, metadata.language, metadata.className, metadata.lineNumbersStart, lineClassNames]);
  // The lines read only the ref (stable); the rest of this object may go stale, unread.
  const measured = useMemo(() => wordWrap, [wordWrap.codeBlockRef]);

  if (keepServerLines) return <div ref={kept} suppressHydrationWarning dangerouslySetInnerHTML={{__html: ''}} />;
  return (
    <div>
      <CodeBlockContextProvider metadata={code} wordWrap={measured}>
        {onServer ? (
          <Lines className={props.className} />
        ) : (
          // Until Prism has loaded, the same text without colours, in the same place; word wrap
          // measures this element meanwhile.
          <Suspense
            fallback={
              <pre ref={measured.codeBlockRef} className={props.className}>
                <code>{metadata.code}</code>
              </pre>
            }>
            <Lines className={props.className} />
          </Suspense>
        )}
      </CodeBlockContextProvider>
    </div>
  );
}
