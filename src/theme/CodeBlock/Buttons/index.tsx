import {startTransition, useEffect, useState, type ReactNode} from 'react';
import Buttons from '@theme-original/CodeBlock/Buttons';
import type {Props} from '@theme/CodeBlock/Buttons';

/**
 * The theme's copy and word-wrap buttons, which the server leaves out. The theme adds them the
 * moment the page comes alive, as one urgent update: on a chapter with forty code blocks that was
 * one uninterrupted task of some 50 ms, four times that on a phone. Here they arrive in a
 * transition, which React splits into short pieces around whatever the reader is doing.
 */
export default function CodeBlockButtons(props: Props): ReactNode {
  const [shown, setShown] = useState(false);
  useEffect(() => startTransition(() => setShown(true)), []);
  return shown ? <Buttons {...props} /> : null;
}
