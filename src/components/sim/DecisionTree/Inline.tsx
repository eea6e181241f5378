import type {ReactNode} from 'react';

/** The trees' text with its `backticked` parts as code. */
export default function Inline({text}: {text: string}): ReactNode {
  return text.split('`').map((part, index) => (index % 2 === 1 ? <code key={index}>{part}</code> : part));
}
