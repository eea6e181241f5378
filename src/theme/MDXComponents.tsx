import MDXComponents from '@theme-original/MDXComponents';
import Exercise, {Hint} from '@site/src/components/Exercise';

/** Elements every chapter can use without importing them. */
export default {
  ...MDXComponents,
  Exercise,
  Hint,
};
