import type {ComponentProps, ReactNode} from 'react';
import MDXComponents from '@theme-original/MDXComponents';
import Exercise, {Hint} from '@site/src/components/Exercise';
import Diagram from '@site/src/components/Diagram';
import ScenarioLab from '@site/src/components/sim/ScenarioLab';

/**
 * A wide table scrolls inside its own box on a phone. The box can take keyboard focus, so that
 * it can be scrolled without a mouse (axe: scrollable-region-focusable).
 */
function ScrollableTable(props: ComponentProps<'table'>): ReactNode {
  return (
    <div className="table-scroll" tabIndex={0} role="region" aria-label="Table (scrolls sideways on small screens)">
      <table {...props} />
    </div>
  );
}

/**
 * Elements every chapter can use without importing them. These are the ones nearly every chapter
 * uses; the rarer ones (ScenarioTimeline, DecisionTree, SchedulerChallenge, EventLoopStepper,
 * ThreadStates, MultiplexingChart, MultiplexingSummary) need no import either: a page that uses
 * one imports it at build time (remark-component-imports.ts), so that only its pages load it.
 */
export default {
  ...MDXComponents,
  table: ScrollableTable,
  Exercise,
  Hint,
  Diagram,
  ScenarioLab,
};
