import {memo, type ReactNode} from 'react';
import {Prism} from 'prism-react-renderer';
import prismIncludeLanguages from '@theme/prism-include-languages';
import Content from '@theme-original/CodeBlock/Content';
import type {Props} from '@theme/CodeBlock/Content';

// What the theme's client module did at start-up, done when a block is first drawn in the
// browser (src/plugins/prism-on-demand.ts): the site's extra languages (bash) join Prism's.
prismIncludeLanguages(Prism);

/** The theme's highlighted lines; in a chunk of their own, with Prism. */
export default memo(Content as (props: Props) => ReactNode);
