import {describe, expect, it} from 'vitest';
import {runScenario, scenarios} from '../sim/scenarios';
import {decisionTrees, findTree, follow, treeProblems, type DecisionTree, type Leaf, type TreeNode} from './decision-trees';

const leavesOf = (tree: DecisionTree) => tree.nodes.filter((node): node is Leaf => node.kind === 'leaf');

/** Every sequence of answers from the root to a leaf. */
function allPaths(tree: DecisionTree): string[][] {
  const paths: string[][] = [];
  const walk = (answers: string[]) => {
    const {current} = follow(tree, answers);
    if (current.kind === 'leaf') paths.push(answers);
    else for (const answer of current.answers) walk([...answers, answer.id]);
  };
  walk([]);
  return paths;
}

const leaf = (id: string, scenario = 'io-fetch', preset: Leaf['show']['preset'] = {n: 5}): Leaf => ({
  kind: 'leaf',
  id,
  title: `Leaf ${id}`,
  recommendation: 'Do this.',
  reasons: ['Because.'],
  seed: {claim: 'The seed says so.', verdict: 'holds', today: 'Still true.'},
  changed: {freeThreading: 'Nothing.', subinterpreters: 'Nothing.', startMethod: 'Nothing.'},
  show: {scenario, preset, look: 'Look here.'},
});

/** A small sound tree: q → (a → leaf-a, b → q2 → (c → leaf-c, d → leaf-d)). */
function smallTree(change: (nodes: TreeNode[]) => TreeNode[] = (nodes) => nodes): DecisionTree {
  const nodes: TreeNode[] = [
    {kind: 'question', id: 'q', prompt: 'First?', short: 'First', answers: [{id: 'a', label: 'A', next: 'leaf-a'}, {id: 'b', label: 'B', next: 'q2'}]},
    {kind: 'question', id: 'q2', prompt: 'Second?', short: 'Second', answers: [{id: 'c', label: 'C', next: 'leaf-c'}, {id: 'd', label: 'D', next: 'leaf-d'}]},
    leaf('leaf-a'),
    leaf('leaf-c'),
    leaf('leaf-d'),
  ];
  return {id: 'small', title: 'Small', source: 'a test', root: 'q', nodes: change(nodes)};
}

const replaceNode = (id: string, replacement: TreeNode) => (nodes: TreeNode[]) => nodes.map((node) => (node.id === id ? replacement : node));

describe('the course’s decision trees', () => {
  it('are sound: every check of the validator passes', () => {
    for (const tree of decisionTrees) expect(treeProblems(tree, scenarios), tree.id).toEqual([]);
  });

  it('have distinct ids', () => {
    expect(new Set(decisionTrees.map((tree) => tree.id)).size).toBe(decisionTrees.length);
  });

  it('reach every leaf by exactly one path, and every path ends at a leaf', () => {
    for (const tree of decisionTrees) {
      const reached = allPaths(tree).map((answers) => follow(tree, answers).current.id);
      expect(reached.sort(), tree.id).toEqual(leavesOf(tree).map((node) => node.id).sort());
    }
  });

  it('keep seed 000’s branches: CPU → processes, few sync connections → threads, async → asyncio, mixed → asyncio + processes, services → separate processes', () => {
    const tree = findTree('by-workload')!;
    const leafAfter = (...answers: string[]) => follow(tree, answers).current.id;
    expect(leafAfter('cpu')).toBe('processes');
    expect(leafAfter('io', 'mostly-waiting', 'sync-only', 'up-to-hundred')).toBe('threads');
    expect(leafAfter('io', 'mostly-waiting', 'async-available')).toBe('asyncio');
    expect(leafAfter('io', 'mixed')).toBe('async-plus-processes');
    expect(leafAfter('service')).toBe('separate-processes');
  });

  it('keep seed 004’s branches: CPU → processes or GIL-releasing native code, sync I/O → thread pool, async I/O → asyncio', () => {
    const tree = findTree('cpu-or-io')!;
    const leafAfter = (...answers: string[]) => follow(tree, answers).current.id;
    expect(leafAfter('cpu', 'python', 'large')).toBe('process-pool');
    expect(leafAfter('cpu', 'native')).toBe('release-gil');
    expect(leafAfter('io', 'sync')).toBe('thread-pool');
    expect(leafAfter('io', 'async')).toBe('asyncio-gather');
  });

  it('open scenario presets that run, with the rows they name and a figure in every row', () => {
    for (const tree of decisionTrees) {
      for (const {id, show} of leavesOf(tree)) {
        const result = runScenario(show.scenario, show.preset);
        expect(result.rows.length, `${tree.id}/${id}`).toBeGreaterThan(0);
        for (const row of result.rows) expect(Number.isFinite(row.value), `${tree.id}/${id} ${row.key}`).toBe(true);
        const keys = result.rows.map((row) => row.key);
        for (const key of show.rows ?? []) expect(keys, `${tree.id}/${id} shows row ${key}`).toContain(key);
      }
    }
  });

  it('back the figures a leaf quotes with what its scenario computes', () => {
    const value = (scenario: string, preset: Leaf['show']['preset'], key: string) => runScenario(scenario, preset).rows.find((row) => row.key === key)!.value;
    // by-workload/threads: ThreadPoolExecutor() on 4 cores has 8 workers, and 100 one-second calls then take ~13 s.
    expect(value('io-fetch', {cores: 4, n: 100, delay: 1, workers: 8}, 'threads')).toBeCloseTo(13, 0);
    // cpu-or-io/batch-first: fork ~2 ms, forkserver ~13 ms, spawn ~72 ms to start a worker.
    const startup = (method: string) => value('process-startup', {cores: 8, n: 8}, `start-${method}`);
    expect(startup('fork')).toBeLessThan(startup('forkserver'));
    expect(startup('forkserver')).toBeLessThan(startup('spawn'));
  });
});

describe('follow', () => {
  const tree = smallTree();

  it('starts at the root with no answers', () => {
    const position = follow(tree, []);
    expect(position.steps).toEqual([]);
    expect(position.current.id).toBe('q');
  });

  it('walks the answers to a leaf, recording each question and answer', () => {
    const position = follow(tree, ['b', 'd']);
    expect(position.steps.map((step) => `${step.question.id}:${step.answer.id}`)).toEqual(['q:b', 'q2:d']);
    expect(position.current.id).toBe('leaf-d');
  });

  it('stops at the first answer that does not belong to the question, and ignores answers after a leaf', () => {
    expect(follow(tree, ['b', 'zzz', 'c']).current.id).toBe('q2');
    expect(follow(tree, ['a', 'c']).steps).toHaveLength(1);
  });
});

describe('treeProblems', () => {
  it('finds nothing wrong with a sound tree', () => {
    expect(treeProblems(smallTree(), scenarios)).toEqual([]);
  });

  it('reports an answer that leads nowhere', () => {
    const broken = smallTree(replaceNode('q2', {kind: 'question', id: 'q2', prompt: 'Second?', short: 'Second', answers: [{id: 'c', label: 'C', next: 'leaf-c'}, {id: 'd', label: 'D', next: 'gone'}]}));
    expect(treeProblems(broken, scenarios)).toEqual(expect.arrayContaining([expect.stringContaining('leads to "gone", which is not a node'), expect.stringContaining('"leaf-d" cannot be reached')]));
  });

  it('reports a node id used twice, and an answer id used twice in one question', () => {
    const duplicated = smallTree((nodes) => [...nodes, leaf('leaf-a')]);
    expect(treeProblems(duplicated, scenarios)).toContain('node id "leaf-a" is used twice');
    const twice = smallTree(replaceNode('q', {kind: 'question', id: 'q', prompt: 'First?', short: 'First', answers: [{id: 'a', label: 'A', next: 'leaf-a'}, {id: 'a', label: 'B', next: 'q2'}]}));
    expect(treeProblems(twice, scenarios)).toContain('answer "a" of question "q" is used twice in that question');
  });

  it('reports a cycle and a node reached from two answers', () => {
    const cycle = smallTree(replaceNode('q2', {kind: 'question', id: 'q2', prompt: 'Second?', short: 'Second', answers: [{id: 'c', label: 'C', next: 'leaf-c'}, {id: 'back', label: 'Back', next: 'q'}]}));
    expect(treeProblems(cycle, scenarios)).toEqual(expect.arrayContaining([expect.stringContaining('the root "q" is also reached from q2/back'), expect.stringContaining('"leaf-d" cannot be reached')]));
    const shared = smallTree(replaceNode('q2', {kind: 'question', id: 'q2', prompt: 'Second?', short: 'Second', answers: [{id: 'c', label: 'C', next: 'leaf-c'}, {id: 'd', label: 'D', next: 'leaf-a'}]}));
    expect(treeProblems(shared, scenarios)).toEqual(expect.arrayContaining([expect.stringContaining('node "leaf-a" is reached from 2 answers'), expect.stringContaining('"leaf-d" cannot be reached')]));
  });

  it('reports an unreachable node and a missing root', () => {
    expect(treeProblems(smallTree((nodes) => [...nodes, leaf('orphan')]), scenarios)).toContain('node "orphan" cannot be reached from the root');
    expect(treeProblems({...smallTree(), root: 'nope'}, scenarios)).toContain('the root "nope" is not a node');
  });

  it('reports a question with a single answer: every path must end at a leaf through real choices', () => {
    const single = smallTree(replaceNode('q2', {kind: 'question', id: 'q2', prompt: 'Second?', short: 'Second', answers: [{id: 'c', label: 'C', next: 'leaf-c'}]}));
    expect(treeProblems(single, scenarios)).toContain('question "q2" has 1 answer(s); a choice needs at least 2');
  });

  it('reports an unknown scenario, a knob value out of range and a knob the scenario does not take', () => {
    const unknown = smallTree(replaceNode('leaf-a', leaf('leaf-a', 'no-such-scenario')));
    expect(treeProblems(unknown, scenarios)).toContain('leaf "leaf-a" names scenario "no-such-scenario", which does not exist');
    const badValue = smallTree(replaceNode('leaf-a', leaf('leaf-a', 'io-fetch', {n: 0})));
    expect(treeProblems(badValue, scenarios)).toContain('leaf "leaf-a": --n must be an integer from 1 to 10000, got 0');
    const notTaken = smallTree(replaceNode('leaf-a', leaf('leaf-a', 'asyncio-gather', {cores: 4})));
    expect(treeProblems(notTaken, scenarios)).toEqual([expect.stringContaining('leaf "leaf-a": scenario asyncio-gather does not take --cores')]);
  });

  it('reports empty texts and a row listed twice', () => {
    const empty: Leaf = {...leaf('leaf-a'), reasons: [], changed: {...leaf('x').changed, startMethod: ' '}, show: {...leaf('x').show, rows: ['serial', 'serial']}};
    expect(treeProblems(smallTree(replaceNode('leaf-a', empty)), scenarios)).toEqual([
      expect.stringContaining('leaves a text empty'),
      'leaf "leaf-a" needs at least one reason, none empty',
      'leaf "leaf-a" lists a row twice',
    ]);
  });
});
