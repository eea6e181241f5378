import {useEffect, useRef, useState, type ReactNode} from 'react';
import clsx from 'clsx';
import {usePrismTheme} from '@docusaurus/theme-common';
import {useNearViewport} from '../../useNearViewport';
import styles from './styles.module.css';

/** Where tasks are suspended: line number → the tasks there, and whether one of them just ran. */
export type LineMarks = Map<number, {tasks: string[]; current: boolean}>;

type PrismRenderer = typeof import('prism-react-renderer');
interface Token {
  className: string;
  content: string;
}

/**
 * The program's Python source with line numbers; the lines tasks are suspended at are marked.
 * It is drawn as plain text first (on the server, and while the page comes alive) and coloured
 * once it comes near the viewport and Prism has loaded, which no page needs at start-up
 * (src/plugins/prism-on-demand.ts); the text does not move when the colours arrive.
 */
export default function SourceView({source, marks}: {source: string; marks: LineMarks}): ReactNode {
  const theme = usePrismTheme();
  const box = useRef<HTMLDivElement>(null);
  const near = useNearViewport(box);
  const [prism, setPrism] = useState<PrismRenderer | null>(null);
  useEffect(() => {
    if (!near) return;
    let mounted = true;
    void import('prism-react-renderer').then((module) => mounted && setPrism(module));
    return () => {
      mounted = false;
    };
  }, [near]);
  const code = source.trimEnd();
  return (
    <div ref={box}>
      {prism === null ? (
        <Lines className="prism-code language-python" tokens={code.split('\n').map((line) => [{className: 'token plain', content: line}])} marks={marks} />
      ) : (
        <prism.Highlight code={code} language="python" theme={theme}>
          {({className, tokens, getTokenProps}) => (
            <Lines className={className} tokens={tokens.map((line) => line.map((token) => ({className: getTokenProps({token}).className, content: token.content})))} marks={marks} />
          )}
        </prism.Highlight>
      )}
    </div>
  );
}

function Lines({className, tokens, marks}: {className: string; tokens: Token[][]; marks: LineMarks}): ReactNode {
  return (
    <pre className={clsx(className, styles.source)} tabIndex={0} aria-label="The program’s Python source; the lines where tasks are suspended are marked" data-testid="stepper-source">
      <code>
        {tokens.map((line, index) => {
          const number = index + 1;
          const mark = marks.get(number);
          return (
            <span key={number} className={clsx('token-line', styles.sourceLine, mark && styles.marked, mark?.current && styles.current)}>
              <span className={styles.lineNumber} aria-hidden="true">
                {number}
              </span>
              {line.map((token, key) => (
                <span key={key} className={token.className}>
                  {token.content}
                </span>
              ))}
              {mark && <span className={styles.lineTag}>{` ← ${mark.tasks.join(', ')}${mark.current ? ' (just ran)' : ''}`}</span>}
            </span>
          );
        })}
      </code>
    </pre>
  );
}
