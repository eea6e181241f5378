import type {ScenarioParams, ScenarioRow} from '../../../sim/scenarios/types';
import {outlineOf, type TimelineOutline} from '../Timeline/layout';
import {simApi, type ScenarioInfo} from '../worker-api';

/**
 * A remark plugin: gives each `<ScenarioLab>` its scenario's knobs, description and rows at its
 * preset (`initial`, JSON), and each `<ScenarioTimeline>` the outlines of its runs (`outlines`:
 * titles, lanes, states), computed at build time, so that the server renders them as they will
 * look once the page's simulation Worker has run them: nothing moves when the result arrives
 * (layout shift), and a lab's table is there without JavaScript. The simulator is deterministic,
 * so the Worker's first run gives the same rows; the widgets still make that run, and every later one.
 */
export interface LabStart {
  info: ScenarioInfo;
  rows: ScenarioRow[];
}

interface Node {
  type: string;
  name?: string | null;
  children?: Node[];
  attributes?: Array<{type: string; name?: string; value?: unknown}>;
  position?: {start: {line: number}};
}

interface EstreeNode {
  type: string;
  [key: string]: unknown;
}

/** `preset={{n: 10, delay: 0.5}}` as an object: number literals only, as the knobs take. */
function presetOf(value: unknown, where: string, element = '<ScenarioLab preset>'): ScenarioParams {
  if (value === undefined) return {};
  const program = (value as {data?: {estree?: {body: EstreeNode[]}}}).data?.estree;
  const expression = program?.body[0]?.expression as EstreeNode | undefined;
  const problem = () => new Error(`${where}: ${element} must be an object of numbers, such as {{n: 10}}`);
  if (expression?.type !== 'ObjectExpression') throw problem();
  const preset: Record<string, number> = {};
  for (const property of expression.properties as EstreeNode[]) {
    const key = property.key as EstreeNode | undefined;
    const name = key?.type === 'Identifier' ? (key.name as string) : key?.type === 'Literal' ? String(key.value) : undefined;
    let number = property.value as EstreeNode;
    const negative = number.type === 'UnaryExpression' && number.operator === '-';
    if (negative) number = number.argument as EstreeNode;
    if (property.type !== 'Property' || name === undefined || number.type !== 'Literal' || typeof number.value !== 'number') throw problem();
    preset[name] = negative ? -number.value : number.value;
  }
  return preset as ScenarioParams;
}

/** Each scenario and preset runs once per build, though every page is compiled for client and server. */
const computed = new Map<string, LabStart | null>();

/** The lab's start, or null when the scenario refuses the preset: the lab then shows that error itself. */
export function labStart(id: string, preset: ScenarioParams): LabStart | null {
  const key = JSON.stringify([id, preset]);
  if (!computed.has(key)) {
    const info = simApi.scenarioInfo(id);
    let start: LabStart | null = null;
    try {
      start = {info, rows: simApi.runScenario(id, {...info.defaults, ...preset}).rows};
    } catch {
      start = null;
    }
    computed.set(key, start);
  }
  return computed.get(key)!;
}

const outlined = new Map<string, TimelineOutline[]>();

/** The outlines of the runs a ScenarioTimeline draws: the Worker's same call, `runScenario(id, params, true)`. */
export function timelineOutlines(id: string, params: ScenarioParams): TimelineOutline[] {
  const key = JSON.stringify([id, params]);
  if (!outlined.has(key)) outlined.set(key, simApi.runScenario(id, params, true).timelines.map((timeline) => outlineOf(timeline)));
  return outlined.get(key)!;
}

export default function remarkScenarioLab() {
  return (tree: Node, vfile: {path?: string}) => {
    const walk = (node: Node) => {
      if (node.type === 'mdxJsxFlowElement' && node.name === 'ScenarioTimeline') {
        const where = `${vfile.path ?? 'an MDX file'}:${node.position?.start.line}`;
        const attributes = node.attributes ?? [];
        const id = attributes.find((attribute) => attribute.name === 'scenario')?.value;
        if (typeof id !== 'string') throw new Error(`${where}: <ScenarioTimeline> needs a scenario written as a plain string`);
        const params = presetOf(attributes.find((attribute) => attribute.name === 'params')?.value, where, '<ScenarioTimeline params>');
        try {
          attributes.push({type: 'mdxJsxAttribute', name: 'outlines', value: JSON.stringify(timelineOutlines(id, params))});
        } catch (error) {
          throw new Error(`${where}: <ScenarioTimeline scenario="${id}">: ${(error as Error).message}`);
        }
      }
      if (node.type === 'mdxJsxFlowElement' && node.name === 'ScenarioLab') {
        const where = `${vfile.path ?? 'an MDX file'}:${node.position?.start.line}`;
        const attributes = node.attributes ?? [];
        const id = attributes.find((attribute) => attribute.name === 'id')?.value;
        if (typeof id !== 'string') throw new Error(`${where}: <ScenarioLab> needs an id written as a plain string`);
        const preset = presetOf(attributes.find((attribute) => attribute.name === 'preset')?.value, where);
        let start: LabStart | null;
        try {
          start = labStart(id, preset);
        } catch (error) {
          throw new Error(`${where}: <ScenarioLab id="${id}">: ${(error as Error).message}`);
        }
        if (start !== null) attributes.push({type: 'mdxJsxAttribute', name: 'initial', value: JSON.stringify(start)});
      }
      node.children?.forEach(walk);
    };
    walk(tree);
  };
}
