import {useId, type ReactNode} from 'react';
import {knobSpecs, type KnobName} from '@site/src/sim/scenarios/types';
import styles from './knob.module.css';

export interface KnobProps {
  name: KnobName;
  /** The text as typed; null while the widget does not know the starting value yet. */
  draft: string | null;
  /** What the value must be, when it is not that (from knobProblem), else null. */
  problem: string | null;
  onChange: (text: string) => void;
  /** The label, when the knob means something narrower here than its general name. */
  label?: ReactNode;
  /** A few words on what the knob does in this widget. */
  help?: ReactNode;
  /** A lower maximum than the knob's own, where the scenario caps it. */
  max?: number;
}

/** One knob of a simulator widget: a number input checked as the CLI checks it, its problem named. */
export default function Knob({name, draft, problem, onChange, label, help, max}: KnobProps): ReactNode {
  const spec = knobSpecs[name];
  const problemId = `${useId()}-problem`;
  return (
    <label className={styles.knob}>
      <span>
        {label ?? spec.label}
        {spec.unit && ` (${spec.unit})`}
        {help && <span className={styles.help}> {help}</span>}
      </span>
      <input
        type="number"
        name={name}
        inputMode="decimal"
        min={spec.min}
        max={max ?? spec.max}
        step={spec.step === 1 ? 1 : 'any'}
        value={draft ?? ''}
        disabled={draft === null}
        aria-invalid={problem !== null}
        aria-describedby={problem !== null ? problemId : undefined}
        onChange={(event) => onChange(event.target.value)}
      />
      {problem !== null && (
        <span id={problemId} className={styles.problem} data-testid="knob-problem">
          {name} must be {problem}
        </span>
      )}
    </label>
  );
}
