/**
 * A remark plugin: a page that uses one of the course's rarer elements (a timeline, a decision
 * tree, the scheduler challenge, the event-loop stepper, the thread-state and multiplexing
 * widgets) imports it itself, so its code and data travel with the pages that show it. Registered
 * in MDXComponents, they were in the one chunk every page loads, a decision tree's data and all.
 * Authors still write the element without an import; an import the page makes itself is kept.
 */
interface Node {
  type: string;
  name?: string | null;
  value?: string;
  children?: Node[];
  data?: {estree?: {body: Array<{type: string; specifiers?: Array<{local: {name: string}}>}>}};
}

/** Element name → the module it comes from, and its export there (default unless named). */
export const pageElements: Record<string, {source: string; exportName?: string}> = {
  ScenarioTimeline: {source: '@site/src/components/sim/ScenarioTimeline'},
  DecisionTree: {source: '@site/src/components/sim/DecisionTree'},
  SchedulerChallenge: {source: '@site/src/components/sim/SchedulerChallenge'},
  EventLoopStepper: {source: '@site/src/components/sim/EventLoopStepper'},
  ThreadStates: {source: '@site/src/components/sim/ThreadStates'},
  MultiplexingChart: {source: '@site/src/components/sim/MultiplexingChart'},
  MultiplexingSummary: {source: '@site/src/components/sim/MultiplexingChart', exportName: 'MultiplexingSummary'},
};

function importNode(name: string, {source, exportName}: {source: string; exportName?: string}): Node {
  const local = {type: 'Identifier', name};
  const specifier = exportName === undefined ? {type: 'ImportDefaultSpecifier', local} : {type: 'ImportSpecifier', imported: {type: 'Identifier', name: exportName}, local};
  return {
    type: 'mdxjsEsm',
    // The compiler reads the estree; the text is for anyone printing the tree.
    value: exportName === undefined ? `import ${name} from '${source}';` : `import {${exportName} as ${name}} from '${source}';`,
    data: {estree: {type: 'Program', sourceType: 'module', body: [{type: 'ImportDeclaration', attributes: [], specifiers: [specifier], source: {type: 'Literal', value: source}}]}} as unknown as Node['data'],
  };
}

export default function remarkComponentImports() {
  return (tree: Node) => {
    const used = new Set<string>();
    const imported = new Set<string>();
    const walk = (node: Node) => {
      if ((node.type === 'mdxJsxFlowElement' || node.type === 'mdxJsxTextElement') && node.name && node.name in pageElements) used.add(node.name);
      if (node.type === 'mdxjsEsm') {
        for (const statement of node.data?.estree?.body ?? []) for (const specifier of statement.specifiers ?? []) imported.add(specifier.local.name);
      }
      node.children?.forEach(walk);
    };
    walk(tree);
    const imports = [...used].filter((name) => !imported.has(name)).sort().map((name) => importNode(name, pageElements[name]));
    tree.children = [...imports, ...(tree.children ?? [])];
  };
}
