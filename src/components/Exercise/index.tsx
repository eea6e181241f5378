import {createContext, lazy, startTransition, Suspense, useContext, useEffect, useMemo, useRef, useState, type ReactNode} from 'react';
import useBrokenLinks from '@docusaurus/useBrokenLinks';
import CodeBlock from '@theme/CodeBlock';
import type {ExerciseOutcomeMessage} from '@site/src/runner/protocol';
import type {ExerciseSpec} from './spec';
import {browserStorage, loadWork, type SavedResult} from './storage';
import Toolbar from './Toolbar';
import {useNearViewport} from '../useNearViewport';
import styles from './styles.module.css';

/** The editor, console and tests: Sandpack, loaded only when the exercise comes near. */
const Workspace = lazy(() => import('./Workspace'));

export type ExerciseState = 'idle' | 'running' | 'passed' | 'failed' | 'error' | 'timeout';

export interface ExerciseProps {
  id: string;
  title: string;
  /** Milliseconds a run may take before it is stopped. */
  timeLimit?: number;
  /** Filled in at build time by remark-exercise.ts from the element's code blocks. */
  spec: string;
  children?: ReactNode;
}

const HintContext = createContext(false);

/** A hint, shown when the learner asks for it. */
export function Hint({children}: {children: ReactNode}): ReactNode {
  return useContext(HintContext) ? (
    <div className={styles.hint} role="note" aria-label="Hint">
      {children}
    </div>
  ) : null;
}

const resultText = (result: SavedResult | null) => (result ? `${result.passed} passed, ${result.failed} failed` : null);

export default function Exercise({id, title, timeLimit = 5000, spec: specJson, children}: ExerciseProps): ReactNode {
  const spec = useMemo(() => JSON.parse(specJson) as ExerciseSpec, [specJson]);
  // The progress page links to each exercise by this anchor; the build checks such links.
  const anchor = `exercise-${id.split('/')[1]}`;
  useBrokenLinks().collectAnchor(anchor);
  const ref = useRef<HTMLElement>(null);
  const near = useNearViewport(ref);
  const [saved] = useState(() => loadWork(browserStorage(), id, spec.version));
  const [state, setState] = useState<ExerciseState>(saved?.result?.outcome ?? 'idle');
  const [result, setResult] = useState<SavedResult | null>(saved?.result ?? null);
  const [problem, setProblem] = useState<string | null>(null);
  const [hintShown, setHintShown] = useState(false);
  const [solutionShown, setSolutionShown] = useState(false);

  // Server rendering has no localStorage: the saved state is applied after hydration, in a
  // transition, so that a chapter's exercises do not redraw in one long task as the page starts.
  const [hydrated, setHydrated] = useState(false);
  useEffect(() => startTransition(() => setHydrated(true)), []);
  const shownState = hydrated ? state : 'idle';

  const onOutcome = (outcome: ExerciseOutcomeMessage | null) => {
    if (!outcome) {
      setState('running');
      setProblem(null);
      return;
    }
    setState(outcome.outcome);
    setResult({outcome: outcome.outcome, passed: outcome.passed, failed: outcome.failed});
    setProblem(outcome.problem ? `${outcome.problem.title}: ${outcome.problem.message}` : null);
  };

  const onReset = () => {
    setState('idle');
    setResult(null);
    setProblem(null);
  };

  const toolbar = {
    running: shownState === 'running',
    resultText: hydrated ? resultText(result) : null,
    hintShown,
    solutionShown,
    onToggleHint: () => setHintShown((shown) => !shown),
    onToggleSolution: () => setSolutionShown((shown) => !shown),
  };
  const activeCode = (hydrated ? saved?.files[spec.active] : undefined) ?? spec.files[spec.active].code;

  return (
    <section ref={ref} id={anchor} className={styles.exercise} data-exercise={id} data-state={shownState} aria-label={`Exercise: ${title}`}>
      <h3 className={styles.title}>Exercise: {title}</h3>
      <HintContext.Provider value={hintShown}>
        <div className={styles.instructions}>{children}</div>
      </HintContext.Provider>
      {near ? (
        <Suspense fallback={<Placeholder code={activeCode} toolbar={toolbar} />}>
          <Workspace id={id} spec={spec} saved={saved} timeLimit={timeLimit} toolbar={toolbar} onOutcome={onOutcome} onReset={onReset} />
        </Suspense>
      ) : (
        <Placeholder code={activeCode} toolbar={toolbar} />
      )}
      {problem && (
        <p className={styles.problem} data-testid="exercise-message" role="alert">
          {problem}
        </p>
      )}
      {solutionShown && (
        <div className={styles.solution} aria-label="Solution">
          {Object.entries(spec.solution).map(([path, code]) => (
            <CodeBlock key={path} language="ts" title={`Solution: ${path}`}>
              {code}
            </CodeBlock>
          ))}
        </div>
      )}
    </section>
  );
}

type ToolbarState = Omit<React.ComponentProps<typeof Toolbar>, 'ready'>;

/** The starter code as plain text, in the space the editor will take: no layout shift. */
function Placeholder({code, toolbar}: {code: string; toolbar: ToolbarState}): ReactNode {
  return (
    <>
      <div className={styles.workspace}>
        <pre className={styles.placeholderCode} tabIndex={0} aria-label="Starter code (the editor is loading)">
          <code>{code}</code>
        </pre>
        <div className={styles.placeholderPanels} aria-hidden="true" />
      </div>
      <Toolbar ready={false} {...toolbar} />
    </>
  );
}
