import type {ReactNode} from 'react';
import {findNode, type DecisionTree, type Question, type Step} from '@site/src/course/decision-trees';
import Inline from './Inline';
import styles from './styles.module.css';

/**
 * The whole tree as nested lists, the text alternative to answering it: each question, its answers,
 * and where each answer leads. One level of nesting per question, so it stays readable on a phone.
 */
export default function WholeTree({tree, steps, id}: {tree: DecisionTree; steps: readonly Step[]; id: string}): ReactNode {
  const chosen = new Set(steps.map((step) => `${step.question.id}/${step.answer.id}`));
  const root = findNode(tree, tree.root);
  return (
    <div id={id} className={styles.whole}>
      {root?.kind === 'question' && (
        <>
          <p className={styles.wholeQuestion}>
            <Inline text={root.prompt} />
          </p>
          <Answers tree={tree} question={root} chosen={chosen} />
        </>
      )}
    </div>
  );
}

function Answers({tree, question, chosen}: {tree: DecisionTree; question: Question; chosen: ReadonlySet<string>}): ReactNode {
  return (
    <ul>
      {question.answers.map((answer) => {
        const next = findNode(tree, answer.next);
        return (
          <li key={answer.id}>
            <span className={styles.wholeAnswer}>{answer.label}</span>
            {chosen.has(`${question.id}/${answer.id}`) && <span className={styles.yours}> (your answer)</span>}
            <span aria-hidden="true"> → </span>
            <span className="visually-hidden"> leads to: </span>
            {next?.kind === 'leaf' && (
              <>
                <strong>Recommendation: {next.title}</strong> (shows <code>{next.show.scenario}</code>)
              </>
            )}
            {next?.kind === 'question' && (
              <>
                <span className={styles.wholeQuestion}>
                  <Inline text={next.prompt} />
                </span>
                <Answers tree={tree} question={next} chosen={chosen} />
              </>
            )}
          </li>
        );
      })}
    </ul>
  );
}
