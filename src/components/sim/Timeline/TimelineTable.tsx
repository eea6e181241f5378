import {useMemo, useState, type ReactNode} from 'react';
import type {Timeline} from '@site/src/sim/timeline';
import {formatUs} from './format';
import type {TimelineIndex} from './layout';
import type {StateStyle} from './palette';
import styles from './styles.module.css';

/** Rows added per "show more": a table of 100,000 rows would stall the page. */
export const TABLE_PAGE = 500;

interface TimelineTableProps {
  id: string;
  timeline: Timeline;
  index: TimelineIndex;
  styles: Map<string, StateStyle>;
}

/** The timeline's spans as a table, in time order: the same data as the canvas, for screen readers and for reading exact values. */
export default function TimelineTable({id, timeline, index, styles: stateStyles}: TimelineTableProps): ReactNode {
  const [shown, setShown] = useState(TABLE_PAGE);
  const laneLabel = useMemo(() => new Map(index.lanes.map((lane) => [lane.id, lane.label])), [index]);
  const order = useMemo(() => {
    const laneRank = new Map(index.lanes.map((lane, position) => [lane.id, position]));
    const {spans} = timeline;
    return [...spans.keys()].sort((a, b) => spans[a].startUs - spans[b].startUs || laneRank.get(spans[a].lane)! - laneRank.get(spans[b].lane)! || a - b);
  }, [timeline, index]);
  const total = order.length;
  const captionId = `${id}-caption`;
  return (
    <div id={id} className={styles.tableBox}>
      <div className="table-scroll" tabIndex={0} role="region" aria-labelledby={captionId}>
        <table className={styles.table}>
          <caption id={captionId}>
            {timeline.title}: {total.toLocaleString('en-US')} spans in time order
          </caption>
          <thead>
            <tr>
              <th scope="col">Lane</th>
              <th scope="col">State</th>
              <th scope="col">Detail</th>
              <th scope="col">Start</th>
              <th scope="col">End</th>
            </tr>
          </thead>
          <tbody>
            {order.slice(0, shown).map((spanIndex) => {
              const span = timeline.spans[spanIndex];
              return (
                <tr key={spanIndex}>
                  <td>{laneLabel.get(span.lane) ?? span.lane}</td>
                  <td>{stateStyles.get(span.state)?.label ?? span.state}</td>
                  <td>{span.detail}</td>
                  <td data-us={span.startUs}>{formatUs(span.startUs)}</td>
                  <td data-us={span.endUs}>{formatUs(span.endUs)}</td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
      <p className={styles.tableMore}>
        <span role="status">
          Showing {Math.min(shown, total).toLocaleString('en-US')} of {total.toLocaleString('en-US')} spans.
        </span>{' '}
        {shown < total && (
          <button type="button" className="button button--sm button--secondary" onClick={() => setShown((count) => count + TABLE_PAGE)}>
            Show {Math.min(TABLE_PAGE, total - shown).toLocaleString('en-US')} more
          </button>
        )}
      </p>
      {timeline.marks.length > 0 && (
        <>
          <p className={styles.marksHeading}>Marks</p>
          <ul className={styles.marks}>
            {timeline.marks.map((mark, position) => (
              <li key={position}>
                {formatUs(mark.atUs)}, {laneLabel.get(mark.lane) ?? 'all lanes'}: {mark.label}
              </li>
            ))}
          </ul>
        </>
      )}
    </div>
  );
}
