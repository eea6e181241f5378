import type {Outcome} from '@site/src/runner/protocol';

/**
 * A learner's work on one exercise, kept in localStorage under the exercise's id and content
 * version: edits survive reloads, and a changed exercise starts afresh without erasing the work
 * saved for its earlier version. Storage that is missing, full or holds garbage never breaks the
 * page: reading falls back to nothing saved, and writing reports that it failed.
 */
export interface SavedResult {
  readonly outcome: Outcome;
  readonly passed: number;
  readonly failed: number;
}

export interface SavedWork {
  readonly files: Record<string, string>;
  readonly result: SavedResult | null;
  readonly savedAt: string;
}

export const storageKey = (id: string, version: string) => `course:exercise:${id}@${version}`;

const OUTCOMES: readonly Outcome[] = ['passed', 'failed', 'error', 'timeout'];

export function isSavedWork(value: unknown): value is SavedWork {
  if (typeof value !== 'object' || value === null) return false;
  const {files, result} = value as Record<string, unknown>;
  if (typeof files !== 'object' || files === null) return false;
  if (!Object.values(files).every((code) => typeof code === 'string')) return false;
  if (result === null || result === undefined) return true;
  const r = result as Record<string, unknown>;
  return OUTCOMES.includes(r.outcome as Outcome) && Number.isInteger(r.passed) && Number.isInteger(r.failed);
}

export function loadWork(storage: Storage | undefined, id: string, version: string): SavedWork | null {
  try {
    const raw = storage?.getItem(storageKey(id, version));
    if (!raw) return null;
    const value: unknown = JSON.parse(raw);
    return isSavedWork(value) ? {...value, result: value.result ?? null} : null;
  } catch {
    return null;
  }
}

/** Returns false when the browser would not store it (storage full, or disabled). */
export function saveWork(storage: Storage | undefined, id: string, version: string, work: Omit<SavedWork, 'savedAt'>): boolean {
  try {
    storage?.setItem(storageKey(id, version), JSON.stringify({...work, savedAt: new Date().toISOString()}));
    return storage !== undefined;
  } catch {
    return false;
  }
}

export function forgetWork(storage: Storage | undefined, id: string, version: string): void {
  try {
    storage?.removeItem(storageKey(id, version));
  } catch {
    // Nothing to do: a storage that cannot remove cannot have kept anything either.
  }
}

/** The browser's localStorage, or undefined where reading it throws (disabled storage). */
export function browserStorage(): Storage | undefined {
  try {
    return typeof window === 'undefined' ? undefined : window.localStorage;
  } catch {
    return undefined;
  }
}
