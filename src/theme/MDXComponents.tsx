import type {ComponentProps, ReactNode} from 'react';
import MDXComponents from '@theme-original/MDXComponents';
import Exercise, {Hint} from '@site/src/components/Exercise';
import Diagram from '@site/src/components/Diagram';
import ScenarioLab from '@site/src/components/sim/ScenarioLab';
import SchedulerChallenge from '@site/src/components/sim/SchedulerChallenge';
import EventLoopStepper from '@site/src/components/sim/EventLoopStepper';
import ScenarioTimeline from '@site/src/components/sim/ScenarioTimeline';
import DecisionTree from '@site/src/components/sim/DecisionTree';
import MultiplexingChart, {MultiplexingSummary} from '@site/src/components/sim/MultiplexingChart';
import ThreadStates from '@site/src/components/sim/ThreadStates';

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

/** Elements every chapter can use without importing them. */
export default {
  ...MDXComponents,
  table: ScrollableTable,
  Exercise,
  Hint,
  Diagram,
  ScenarioLab,
  SchedulerChallenge,
  EventLoopStepper,
  ScenarioTimeline,
  DecisionTree,
  ThreadStates,
  MultiplexingChart,
  MultiplexingSummary,
};
