import type {ReactNode} from 'react';
import styles from './styles.module.css';

export interface ToolbarProps {
  /** False until the editor and its runner are ready. */
  ready: boolean;
  running: boolean;
  resultText: string | null;
  hintShown: boolean;
  solutionShown: boolean;
  onRun?: () => void;
  onReset?: () => void;
  onToggleHint?: () => void;
  onToggleSolution?: () => void;
  onLoadSolution?: () => void;
}

/** The exercise's buttons and result line. Drawn the same before and after the editor loads. */
export default function Toolbar(props: ToolbarProps): ReactNode {
  const {ready, running} = props;
  return (
    <div className={styles.toolbar}>
      <button type="button" className="button button--primary button--sm" data-testid="exercise-run" disabled={!ready || running} onClick={props.onRun}>
        {running ? 'Running…' : 'Run and check'}
      </button>
      <button type="button" className="button button--secondary button--sm" data-testid="exercise-reset" disabled={!ready} onClick={props.onReset}>
        Reset
      </button>
      <button type="button" className="button button--secondary button--sm" data-testid="exercise-hint" aria-expanded={props.hintShown} onClick={props.onToggleHint}>
        {props.hintShown ? 'Hide hint' : 'Show hint'}
      </button>
      <button type="button" className="button button--secondary button--sm" data-testid="exercise-solution" aria-expanded={props.solutionShown} onClick={props.onToggleSolution}>
        {props.solutionShown ? 'Hide solution' : 'Show solution'}
      </button>
      {props.solutionShown && (
        <button type="button" className="button button--secondary button--sm" data-testid="exercise-load-solution" disabled={!ready} onClick={props.onLoadSolution}>
          Load the solution into the editor
        </button>
      )}
      <span className={styles.result} role="status" data-testid="exercise-result">
        {props.resultText ?? ''}
      </span>
    </div>
  );
}
