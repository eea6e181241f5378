import {isSavedWork, loadWork, storageKey, type SavedWork} from '../Exercise/storage';

/**
 * A learner's progress: every exercise's state, read from what the exercises save in
 * localStorage, and the whole of that saved state as a JSON file to hand in or to carry to
 * another machine. Importing checks the whole file before changing anything, and never replaces
 * newer work on an exercise with older work, so a bad or stale file loses nothing.
 */

/** The course's exercises, chapter by chapter, as the build found them (plugins/course-index.ts). */
export interface CourseIndex {
  readonly chapters: ReadonlyArray<{
    readonly slug: string;
    readonly title: string;
    readonly exercises: ReadonlyArray<{readonly id: string; readonly title: string; readonly version: string}>;
  }>;
}

export type ExerciseStatus = 'not started' | 'started' | 'passed' | 'failed' | 'error' | 'timeout' | 'earlier version';

/** Everything the course saves in localStorage starts with this. */
const PREFIX = 'course:';
export const FORMAT = 'python-concurrency-course/progress';
export const FORMAT_VERSION = 1;
const MAX_FILE_BYTES = 5 * 1024 * 1024;

export interface ProgressFile {
  readonly format: typeof FORMAT;
  readonly version: typeof FORMAT_VERSION;
  readonly exportedAt: string;
  /** localStorage keys and their stored strings, exactly as saved. */
  readonly entries: Readonly<Record<string, string>>;
}

export function exerciseStatus(storage: Storage | undefined, exercise: {id: string; version: string}): ExerciseStatus {
  const work = loadWork(storage, exercise.id, exercise.version);
  if (work !== null) return work.result?.outcome ?? 'started';
  // Work saved for an earlier version of the exercise is kept, but it is not this exercise's state.
  return courseKeys(storage).some((key) => key.startsWith(storageKey(exercise.id, ''))) ? 'earlier version' : 'not started';
}

export function courseKeys(storage: Storage | undefined): string[] {
  const keys: string[] = [];
  try {
    for (let index = 0; index < (storage?.length ?? 0); index += 1) {
      const key = storage!.key(index);
      if (key?.startsWith(PREFIX)) keys.push(key);
    }
  } catch {
    // Disabled storage holds nothing.
  }
  return keys.sort();
}

export function exportProgress(storage: Storage | undefined, now: Date): ProgressFile {
  const entries: Record<string, string> = {};
  for (const key of courseKeys(storage)) {
    const value = storage!.getItem(key);
    if (value !== null) entries[key] = value;
  }
  return {format: FORMAT, version: FORMAT_VERSION, exportedAt: now.toISOString(), entries};
}

export type Parsed = {ok: true; file: ProgressFile} | {ok: false; error: string};

/** Checks a whole progress file; the error names what is wrong, in words a learner can act on. */
export function parseProgressFile(text: string, fileName = 'the file'): Parsed {
  const fail = (error: string): Parsed => ({ok: false, error: `${fileName} was not imported: ${error} Nothing was changed.`});
  if (text.length > MAX_FILE_BYTES) return fail(`it is ${(text.length / 1024 / 1024).toFixed(1)} MB, more than a progress file can be (5 MB).`);
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return fail('it is not JSON. Choose the .json file that "Download progress" saved.');
  }
  if (typeof value !== 'object' || value === null || (value as {format?: unknown}).format !== FORMAT) {
    return fail(`it is not a progress file of this course (it has no "format": "${FORMAT}").`);
  }
  const {version, entries, exportedAt} = value as Record<string, unknown>;
  if (version !== FORMAT_VERSION) return fail(`it is version ${JSON.stringify(version)} of the format; this course reads version ${FORMAT_VERSION}.`);
  if (typeof exportedAt !== 'string' || Number.isNaN(Date.parse(exportedAt))) return fail('its "exportedAt" is not a date.');
  if (typeof entries !== 'object' || entries === null || Array.isArray(entries)) return fail('its "entries" is not an object.');
  for (const [key, stored] of Object.entries(entries)) {
    if (!key.startsWith(PREFIX)) return fail(`the entry "${key}" is not the course's (its name must start with "${PREFIX}").`);
    if (typeof stored !== 'string') return fail(`the entry "${key}" is not a string.`);
    let parsed: unknown;
    try {
      parsed = JSON.parse(stored);
    } catch {
      return fail(`the entry "${key}" is damaged (not JSON).`);
    }
    if (key.startsWith('course:exercise:') && !isSavedWork(parsed)) return fail(`the entry "${key}" is not saved exercise work.`);
  }
  return {ok: true, file: {format: FORMAT, version: FORMAT_VERSION, exportedAt, entries: entries as Record<string, string>}};
}

export interface ImportSummary {
  added: number;
  replaced: number;
  /** Exercises where this browser's work was newer than the file's, so it was kept. */
  keptNewer: number;
  unchanged: number;
}

export type Applied = {ok: true; summary: ImportSummary} | {ok: false; error: string};

const savedAt = (stored: string | null): number => {
  try {
    return Date.parse((JSON.parse(stored ?? 'null') as SavedWork | null)?.savedAt ?? '') || 0;
  } catch {
    return 0;
  }
};

/** Writes a checked file into storage; if the browser refuses part of it, undoes the rest. */
export function applyProgress(storage: Storage | undefined, file: ProgressFile): Applied {
  if (storage === undefined) return {ok: false, error: 'This browser does not let the course save anything (storage is disabled). Nothing was changed.'};
  const summary: ImportSummary = {added: 0, replaced: 0, keptNewer: 0, unchanged: 0};
  const writes: Array<[string, string]> = [];
  for (const [key, stored] of Object.entries(file.entries)) {
    const current = storage.getItem(key);
    if (current === stored) summary.unchanged += 1;
    else if (current === null) {
      summary.added += 1;
      writes.push([key, stored]);
    } else if (key.startsWith('course:exercise:') && savedAt(current) > savedAt(stored)) summary.keptNewer += 1;
    else {
      summary.replaced += 1;
      writes.push([key, stored]);
    }
  }
  const previous = new Map(writes.map(([key]) => [key, storage.getItem(key)]));
  try {
    for (const [key, stored] of writes) storage.setItem(key, stored);
  } catch {
    for (const [key, value] of previous) {
      try {
        if (value === null) storage.removeItem(key);
        else storage.setItem(key, value);
      } catch {
        // Restoring a value that was there cannot need more room than it had.
      }
    }
    return {ok: false, error: 'The browser refused to store it (its storage for this site is full). Nothing was changed.'};
  }
  return {ok: true, summary};
}
