import {useEffect, useId, useMemo, useRef, useState, type ReactNode, type RefObject} from 'react';
import {decisionTrees, findTree, follow, recentChangeLabels, verdictLabels, type DecisionTree, type Leaf, type Question, type RecentChanges} from '@site/src/course/decision-trees';
import {browserStorage} from '@site/src/components/Exercise/storage';
import Inline from './Inline';
import ScenarioResult from './ScenarioResult';
import {loadAnswers, saveAnswers} from './storage';
import WholeTree from './WholeTree';
import styles from './styles.module.css';

export default function Tree({id}: {id: string}): ReactNode {
  const tree = findTree(id);
  if (tree === undefined) {
    return (
      <p className={styles.problem} role="alert">
        There is no decision tree “{id}”. The trees are: {decisionTrees.map((known) => known.id).join(', ')}.
      </p>
    );
  }
  return <TreeView tree={tree} />;
}

const changeOrder: (keyof RecentChanges)[] = ['freeThreading', 'subinterpreters', 'startMethod'];

function TreeView({tree}: {tree: DecisionTree}): ReactNode {
  // The server renders the first question; saved answers are applied after hydration, so that the
  // first render in the browser matches the server's HTML.
  const [answers, setAnswers] = useState<readonly string[]>([]);
  const [hydrated, setHydrated] = useState(false);
  useEffect(() => {
    setAnswers(loadAnswers(browserStorage(), tree.id));
    setHydrated(true);
  }, [tree.id]);
  // The answer being changed, marked among the choices so the learner can keep it.
  const [earlier, setEarlier] = useState<string | null>(null);
  const [wholeShown, setWholeShown] = useState(false);
  const position = useMemo(() => follow(tree, answers), [tree, answers]);
  const headingRef = useRef<HTMLHeadingElement>(null);
  const focusNext = useRef(false);
  const ids = useId();

  // After the learner acts, the new question or leaf takes focus, so a screen reader reads it.
  useEffect(() => {
    if (!focusNext.current) return;
    focusNext.current = false;
    headingRef.current?.focus();
  }, [position]);

  const goTo = (next: readonly string[]) => {
    focusNext.current = true;
    setAnswers(next);
    saveAnswers(browserStorage(), tree.id, next);
  };
  const answered = position.steps.map((step) => step.answer.id);

  return (
    <div data-hydrated={hydrated || undefined}>
      <h3 className={styles.title}>{tree.title}</h3>
      <p className={styles.source}>{tree.source}</p>
      {position.steps.length > 0 && (
        <nav aria-label={`Your answers so far: ${tree.title}`}>
          <ol className={styles.crumbs}>
            {position.steps.map((step, index) => (
              <li key={step.question.id} className={styles.crumb}>
                <span className={styles.crumbQuestion}>{step.question.short}:</span> <span className={styles.crumbAnswer}>{step.answer.label}</span>{' '}
                <button
                  type="button"
                  className={`button button--link button--sm ${styles.change}`}
                  aria-label={`Change this answer: ${step.question.short}`}
                  onClick={() => {
                    setEarlier(step.answer.id);
                    goTo(answered.slice(0, index));
                  }}
                >
                  Change this answer
                </button>
              </li>
            ))}
          </ol>
        </nav>
      )}
      {position.current.kind === 'question' ? (
        <QuestionCard
          key={position.current.id}
          question={position.current}
          number={position.steps.length + 1}
          earlier={earlier}
          headingRef={headingRef}
          onAnswer={(answerId) => {
            setEarlier(null);
            goTo([...answered, answerId]);
          }}
        />
      ) : (
        <LeafCard key={position.current.id} leaf={position.current} headingRef={headingRef} />
      )}
      <div className={styles.toolbar}>
        <button
          type="button"
          className="button button--sm button--outline button--secondary"
          disabled={answers.length === 0}
          onClick={() => {
            setEarlier(null);
            goTo([]);
          }}
        >
          Start over
        </button>
        <button type="button" className="button button--sm button--outline button--secondary" aria-expanded={wholeShown} aria-controls={`${ids}-whole`} onClick={() => setWholeShown((shown) => !shown)}>
          {wholeShown ? 'Hide the whole tree' : 'See the whole tree'}
        </button>
      </div>
      {wholeShown && <WholeTree tree={tree} steps={position.steps} id={`${ids}-whole`} />}
    </div>
  );
}

interface QuestionCardProps {
  question: Question;
  number: number;
  earlier: string | null;
  headingRef: RefObject<HTMLHeadingElement | null>;
  onAnswer: (answerId: string) => void;
}

function QuestionCard({question, number, earlier, headingRef, onAnswer}: QuestionCardProps): ReactNode {
  const headingId = useId();
  return (
    <div className={styles.card} role="group" aria-labelledby={headingId}>
      <h4 id={headingId} ref={headingRef} tabIndex={-1} className={styles.prompt}>
        <span className={styles.kicker}>Question {number}</span> <Inline text={question.prompt} />
      </h4>
      {question.help && (
        <p className={styles.help}>
          <Inline text={question.help} />
        </p>
      )}
      <ul className={styles.answers}>
        {question.answers.map((answer) => (
          <li key={answer.id}>
            <button type="button" className={styles.answer} data-answer={answer.id} onClick={() => onAnswer(answer.id)}>
              {answer.label}
              {earlier === answer.id && <span className={styles.earlier}> (your earlier answer)</span>}
            </button>
          </li>
        ))}
      </ul>
    </div>
  );
}

function LeafCard({leaf, headingRef}: {leaf: Leaf; headingRef: RefObject<HTMLHeadingElement | null>}): ReactNode {
  const [shown, setShown] = useState(false);
  const headingId = useId();
  const resultId = useId();
  return (
    <article className={styles.card} aria-labelledby={headingId} data-leaf={leaf.id}>
      <h4 id={headingId} ref={headingRef} tabIndex={-1} className={styles.prompt}>
        <span className={styles.kicker}>Recommendation</span> {leaf.title}
      </h4>
      <p>
        <Inline text={leaf.recommendation} />
      </p>
      <h5 className={styles.subheading}>Why</h5>
      <ul>
        {leaf.reasons.map((reason) => (
          <li key={reason}>
            <Inline text={reason} />
          </li>
        ))}
      </ul>
      <h5 className={styles.subheading}>
        The seed’s advice: <span className={`${styles.verdict} ${styles[leaf.seed.verdict]}`}>{verdictLabels[leaf.seed.verdict]}</span>
      </h5>
      <p>
        <strong>The seed says:</strong> <Inline text={leaf.seed.claim} />
      </p>
      <p>
        <strong>Today:</strong> <Inline text={leaf.seed.today} />
      </p>
      <h5 className={styles.subheading}>What changed in recent CPython</h5>
      <dl className={styles.changes}>
        {changeOrder.map((topic) => (
          <div key={topic}>
            <dt>{recentChangeLabels[topic]}</dt>
            <dd>
              <Inline text={leaf.changed[topic]} />
            </dd>
          </div>
        ))}
      </dl>
      <button type="button" className="button button--primary button--sm" aria-expanded={shown} aria-controls={resultId} onClick={() => setShown((on) => !on)}>
        {shown ? 'Hide the simulation' : 'Show me'}
      </button>{' '}
      <span className={styles.showsWhat}>
        runs <code>{leaf.show.scenario}</code> in the simulator
      </span>
      {shown && <ScenarioResult show={leaf.show} id={resultId} />}
    </article>
  );
}
