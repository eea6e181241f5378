import type {ReactNode} from 'react';
import clsx from 'clsx';
import {Highlight} from 'prism-react-renderer';
import {usePrismTheme} from '@docusaurus/theme-common';
import styles from './styles.module.css';

/** Where tasks are suspended: line number → the tasks there, and whether one of them just ran. */
export type LineMarks = Map<number, {tasks: string[]; current: boolean}>;

/** The program's Python source with line numbers; the lines tasks are suspended at are marked. */
export default function SourceView({source, marks}: {source: string; marks: LineMarks}): ReactNode {
  const theme = usePrismTheme();
  return (
    <Highlight code={source.trimEnd()} language="python" theme={theme}>
      {({className, style, tokens, getLineProps, getTokenProps}) => (
        <pre className={clsx(className, styles.source)} style={style} tabIndex={0} aria-label="The program’s Python source; the lines where tasks are suspended are marked" data-testid="stepper-source">
          <code>
            {tokens.map((line, index) => {
              const number = index + 1;
              const mark = marks.get(number);
              const lineProps = getLineProps({line});
              return (
                <span key={number} {...lineProps} className={clsx(lineProps.className, styles.sourceLine, mark && styles.marked, mark?.current && styles.current)}>
                  <span className={styles.lineNumber} aria-hidden="true">
                    {number}
                  </span>
                  {line.map((token, key) => (
                    <span key={key} {...getTokenProps({token})} />
                  ))}
                  {mark && <span className={styles.lineTag}>{` ← ${mark.tasks.join(', ')}${mark.current ? ' (just ran)' : ''}`}</span>}
                </span>
              );
            })}
          </code>
        </pre>
      )}
    </Highlight>
  );
}
