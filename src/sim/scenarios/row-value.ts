import type {ScenarioRow} from './types';

/** The value of a scenario's row, by key; a missing row fails loudly (tests and tools read rows by key). */
export function valueOf(rows: readonly Pick<ScenarioRow, 'key' | 'value'>[], key: string): number {
  const row = rows.find((r) => r.key === key);
  if (row === undefined) throw new Error(`no row ${key}`);
  return row.value;
}
