import {compile} from '@mdx-js/mdx';
import {describe, expect, it} from 'vitest';
import remarkComponentImports from './remark-component-imports';

const compiled = async (mdx: string) => String(await compile(mdx, {remarkPlugins: [remarkComponentImports]}));

describe('remark-component-imports', () => {
  it('imports each rarer element a page uses, once, and the page then draws that import', async () => {
    const code = await compiled('# A page\n\n<DecisionTree tree="by-workload" />\n\nText with <MultiplexingSummary /> inline.\n\n<DecisionTree tree="cpu-or-io" />\n');
    expect(code.match(/^import DecisionTree from ["']@site\/src\/components\/sim\/DecisionTree["'];$/gm)).toHaveLength(1);
    expect(code).toMatch(/^import \{MultiplexingSummary\} from ["']@site\/src\/components\/sim\/MultiplexingChart["'];$/m);
    // A local binding, not the provider's components object.
    expect(code).toMatch(/_jsx\(DecisionTree, \{/);
    expect(code).not.toMatch(/_components\.DecisionTree|_missingMdxReference\("DecisionTree"/);
  });

  it('leaves elements every chapter uses to MDXComponents, and keeps an import the page makes itself', async () => {
    const code = await compiled("import ThreadStates from '../elsewhere';\n\n<ThreadStates />\n\n<Exercise id=\"a/b\" title=\"t\" />\n");
    expect(code).not.toContain('@site/src/components/sim/ThreadStates');
    expect(code.match(/import ThreadStates/g)).toHaveLength(1);
    expect(code).not.toMatch(/^import Exercise/m);
  });
});
