/**
 * Which levels of the scheduler challenge a learner has won (or played to an end without winning),
 * kept in localStorage so that it survives reloads. Storage that is missing, full or holds
 * garbage never breaks the page: reading falls back to no progress, writing reports failure.
 */
export const PROGRESS_KEY = 'course:challenge:progress';

/** `won`: the level's goal was met at least once. `lost`: played to an end, never won yet. */
export type LevelStatus = 'won' | 'lost';

export type Progress = Readonly<Record<string, LevelStatus>>;

export function loadProgress(storage: Storage | undefined): Progress {
  try {
    const raw = storage?.getItem(PROGRESS_KEY);
    if (!raw) return {};
    const value: unknown = JSON.parse(raw);
    if (typeof value !== 'object' || value === null || Array.isArray(value)) return {};
    return Object.fromEntries(Object.entries(value).filter(([, status]) => status === 'won' || status === 'lost')) as Progress;
  } catch {
    return {};
  }
}

/** Returns false when the browser would not store it (storage full, or disabled). */
export function saveProgress(storage: Storage | undefined, progress: Progress): boolean {
  try {
    storage?.setItem(PROGRESS_KEY, JSON.stringify(progress));
    return storage !== undefined;
  } catch {
    return false;
  }
}

/** The progress after a game of `level` ended; a won level stays won. The same object when nothing changes. */
export function recordEnding(progress: Progress, level: string, solved: boolean): Progress {
  const status: LevelStatus = solved || progress[level] === 'won' ? 'won' : 'lost';
  return progress[level] === status ? progress : {...progress, [level]: status};
}
