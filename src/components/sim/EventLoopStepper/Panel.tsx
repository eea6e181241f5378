import {useId, type ReactNode, type Ref} from 'react';
import styles from './styles.module.css';

export type PanelArea = 'ready' | 'timers' | 'selector' | 'tasks' | 'log' | 'output';

interface PanelProps {
  area: PanelArea;
  title: string;
  children?: ReactNode;
  bodyRef?: Ref<HTMLDivElement>;
}

/**
 * One panel of loop state, of a fixed size whatever it holds: stepping never moves the page.
 * Its body scrolls, so it can take keyboard focus.
 */
export default function Panel({area, title, children, bodyRef}: PanelProps): ReactNode {
  const titleId = useId();
  return (
    <div className={styles.panel} data-area={area}>
      <div className={styles.panelTitle} id={titleId}>
        {title}
      </div>
      <div className={styles.panelBody} ref={bodyRef} tabIndex={0} role="region" aria-labelledby={titleId} data-testid={`stepper-${area}`}>
        {children}
      </div>
    </div>
  );
}

export const panelTitles: Record<PanelArea, string> = {
  ready: 'Ready queue (loop._ready)',
  timers: 'Timer heap (loop._scheduled)',
  selector: 'Selector (epoll)',
  tasks: 'Tasks',
  log: 'What happened',
  output: 'Output (print)',
};
