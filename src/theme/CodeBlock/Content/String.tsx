import {useMemo, type ReactNode} from 'react';
import {useThemeConfig} from '@docusaurus/theme-common';
import {CodeBlockContextProvider, createCodeBlockMetadata} from '@docusaurus/theme-common/internal';
import CodeBlockLayout from '@theme/CodeBlock/Layout';
import type {Props} from '@theme/CodeBlock/Content/String';
import {useCodeWordWrap} from '../useCodeWordWrap';

/** The theme's code block for a string of code, with a word wrap that measures without hurry (../useCodeWordWrap). */
export default function CodeBlockString(props: Props): ReactNode {
  const {prism} = useThemeConfig();
  const {children: code, className, metastring, language, title, showLineNumbers} = props;
  // Parsed once per code, not again each time the word wrap changes.
  const metadata = useMemo(
    () =>
      createCodeBlockMetadata({code, className, metastring, magicComments: prism.magicComments, defaultLanguage: prism.defaultLanguage, language, title, showLineNumbers}),
    [code, className, metastring, prism, language, title, showLineNumbers],
  );
  const wordWrap = useCodeWordWrap();
  return (
    <CodeBlockContextProvider metadata={metadata} wordWrap={wordWrap}>
      <CodeBlockLayout />
    </CodeBlockContextProvider>
  );
}
