import {Children, isValidElement, type ReactNode} from 'react';
import type {Props} from '@theme/CodeBlock';
import ElementContent from '@theme/CodeBlock/Content/Element';
import StringContent from '@theme/CodeBlock/Content/String';

/** The code as one string when it is only text (so it can be copied), or null when it holds elements. */
function plainText(children: ReactNode): string | null {
  const parts = Children.toArray(children);
  if (parts.some((part) => isValidElement(part))) return null;
  return parts.join('');
}

/**
 * The theme's code block, drawn once. The theme's own draws every code block a second time as
 * soon as the page is live, because its Prism colours were inline styles that the server could
 * only write for light mode; on a chapter with a hundred highlighted blocks that second pass was
 * the longest task of the page load on a phone. Here tokens carry only their classes and
 * src/css/custom.css colours them for both modes (the Prism theme in docusaurus.config.ts is
 * empty), so the server's markup is already right and hydration keeps it.
 */
export default function CodeBlock({children, ...props}: Props): ReactNode {
  const text = plainText(children);
  return text === null ? <ElementContent {...props}>{children}</ElementContent> : <StringContent {...props}>{text}</StringContent>;
}
