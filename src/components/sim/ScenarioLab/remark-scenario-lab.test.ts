import {compile} from '@mdx-js/mdx';
import {describe, expect, it} from 'vitest';
import {runScenario, scenarios} from '../../../sim';
import {indexTimeline} from '../Timeline/layout';
import remarkScenarioLab, {type LabStart} from './remark-scenario-lab';

/** Compiles MDX with the plugin and returns each ScenarioLab's (or other element's) attributes by name. */
async function labsOf(mdx: string, element = 'ScenarioLab'): Promise<Array<Record<string, unknown>>> {
  const found: Array<Record<string, unknown>> = [];
  const capture = () => (tree: {children?: unknown[]}) => {
    const walk = (node: {type?: string; name?: string; attributes?: Array<{name: string; value: unknown}>; children?: unknown[]}) => {
      if (node.type === 'mdxJsxFlowElement' && node.name === element) found.push(Object.fromEntries(node.attributes!.map((a) => [a.name, a.value])));
      (node.children as (typeof node)[] | undefined)?.forEach(walk);
    };
    walk(tree);
  };
  await compile({value: mdx, path: 'docs/lab/example.mdx'}, {remarkPlugins: [remarkScenarioLab, capture]});
  return found;
}

describe('remark-scenario-lab', () => {
  it('gives a lab its scenario’s knobs and description and the rows at its preset, as the Worker would compute them', async () => {
    const [lab] = await labsOf('# Labs\n\n<ScenarioLab id="io-fetch" preset={{n: 10, delay: 0.5}}>A note.</ScenarioLab>\n');
    const start = JSON.parse(String(lab.initial)) as LabStart;
    const scenario = scenarios.find((candidate) => candidate.id === 'io-fetch')!;
    expect(start.info.description).toBe(scenario.description);
    expect(start.info.knobs).toContain('n');
    expect(start.rows).toEqual(runScenario('io-fetch', {...scenario.defaults, n: 10, delay: 0.5}).rows);
    expect(start.rows.find((row) => row.key === 'serial')!.value).toBeGreaterThan(4.5);
  });

  it('uses the scenario’s defaults when there is no preset, and reads negative numbers', async () => {
    const [plain] = await labsOf('<ScenarioLab id="cpu-bound" />\n');
    expect((JSON.parse(String(plain.initial)) as LabStart).rows).toEqual(runScenario('cpu-bound', {}).rows);
    // A negative knob is refused by the scenario: the lab gets no build-time rows and shows the error itself.
    const [refused] = await labsOf('<ScenarioLab id="cpu-bound" preset={{cores: -1}} />\n');
    expect(refused.initial).toBeUndefined();
  });

  it('gives a timeline the outline of each run the Worker will draw: title, lanes, states and span count', async () => {
    const [widget] = await labsOf('<ScenarioTimeline scenario="io-fetch" params={{n: 3}} />\n', 'ScenarioTimeline');
    const outlines = JSON.parse(String(widget.outlines)) as Array<{title: string; lanes: Array<{label: string}>; states: string[]; spanCount: number}>;
    const runs = runScenario('io-fetch', {n: 3}).timelines;
    expect(outlines.map((outline) => outline.title)).toEqual(runs.map((run) => run.title));
    expect(outlines[0].lanes.map((lane) => lane.label)).toEqual(indexTimeline(runs[0]).lanes.map((lane) => lane.label));
    expect(outlines[0].spanCount).toBe(runs[0].spans.length);
    expect(outlines[0].states).toEqual([...new Set(runs[0].spans.map((span) => span.state))]);
    await expect(labsOf('<ScenarioTimeline scenario="nope" />\n', 'ScenarioTimeline')).rejects.toThrow(/<ScenarioTimeline scenario="nope">: unknown scenario/);
  });

  it('fails the build, naming file and line, for an unknown scenario or a preset that is not numbers', async () => {
    await expect(labsOf('Text.\n\n<ScenarioLab id="no-such-scenario" />\n')).rejects.toThrow(/docs\/lab\/example\.mdx:3: <ScenarioLab id="no-such-scenario">: unknown scenario/);
    await expect(labsOf('<ScenarioLab id="io-fetch" preset={{n: "ten"}} />\n')).rejects.toThrow(/example\.mdx:1: <ScenarioLab preset> must be an object of numbers/);
    await expect(labsOf('<ScenarioLab id={"io-fetch"} />\n')).rejects.toThrow(/needs an id written as a plain string/);
  });
});
