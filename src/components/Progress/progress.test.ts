import {describe, expect, it} from 'vitest';
import {storageKey} from '../Exercise/storage';
import {applyProgress, exerciseStatus, exportProgress, parseProgressFile, type ProgressFile} from './progress';

/** localStorage's interface over a Map, optionally refusing writes past a number of entries. */
class MemoryStorage implements Storage {
  readonly map = new Map<string, string>();
  constructor(private readonly capacity = Number.POSITIVE_INFINITY) {}
  get length() {
    return this.map.size;
  }
  key(index: number) {
    return [...this.map.keys()][index] ?? null;
  }
  getItem(key: string) {
    return this.map.get(key) ?? null;
  }
  setItem(key: string, value: string) {
    if (!this.map.has(key) && this.map.size >= this.capacity) throw new DOMException('full', 'QuotaExceededError');
    this.map.set(key, value);
  }
  removeItem(key: string) {
    this.map.delete(key);
  }
  clear() {
    this.map.clear();
  }
}

const work = (outcome: 'passed' | 'failed' | null, savedAt: string) =>
  JSON.stringify({files: {'/index.ts': `// ${outcome}`}, result: outcome && {outcome, passed: 1, failed: outcome === 'failed' ? 1 : 0}, savedAt});

describe('exercise status', () => {
  it('reads the saved outcome of the current version, and names work kept for an earlier one', () => {
    const storage = new MemoryStorage();
    storage.setItem(storageKey('locks/fix-the-race', 'v2'), work('passed', '2026-01-02T00:00:00Z'));
    storage.setItem(storageKey('gil/counter', 'v2'), work(null, '2026-01-02T00:00:00Z'));
    storage.setItem(storageKey('pools/first', 'v1'), work('failed', '2026-01-02T00:00:00Z'));
    expect(exerciseStatus(storage, {id: 'locks/fix-the-race', version: 'v2'})).toBe('passed');
    expect(exerciseStatus(storage, {id: 'gil/counter', version: 'v2'})).toBe('started');
    expect(exerciseStatus(storage, {id: 'pools/first', version: 'v2'})).toBe('earlier version');
    expect(exerciseStatus(storage, {id: 'pools/second', version: 'v1'})).toBe('not started');
    expect(exerciseStatus(undefined, {id: 'pools/second', version: 'v1'})).toBe('not started');
  });
});

describe('export and import', () => {
  const saved = () => {
    const storage = new MemoryStorage();
    storage.setItem(storageKey('locks/fix-the-race', 'v1'), work('passed', '2026-01-02T00:00:00Z'));
    storage.setItem('course:challenge:progress', JSON.stringify({'lost-update': 'won'}));
    storage.setItem('other-site-key', 'not ours');
    return storage;
  };

  it('round-trips everything the course saved, and nothing else', () => {
    const file = exportProgress(saved(), new Date('2026-03-01T10:00:00Z'));
    expect(Object.keys(file.entries)).toEqual(['course:challenge:progress', storageKey('locks/fix-the-race', 'v1')]);
    const parsed = parseProgressFile(JSON.stringify(file));
    expect(parsed.ok).toBe(true);
    const fresh = new MemoryStorage();
    const applied = applyProgress(fresh, (parsed as {file: ProgressFile}).file);
    expect(applied).toEqual({ok: true, summary: {added: 2, replaced: 0, keptNewer: 0, unchanged: 0}});
    expect(exerciseStatus(fresh, {id: 'locks/fix-the-race', version: 'v1'})).toBe('passed');
  });

  it.each([
    ['not JSON', '{"format": ', /not JSON/],
    ['another JSON file', '{"name": "package"}', /not a progress file/],
    ['a future version', JSON.stringify({format: 'python-concurrency-course/progress', version: 2, exportedAt: '2026-01-01T00:00:00Z', entries: {}}), /version 2/],
    ['a foreign key', JSON.stringify({format: 'python-concurrency-course/progress', version: 1, exportedAt: '2026-01-01T00:00:00Z', entries: {theme: '"dark"'}}), /"theme" is not the course's/],
    ['damaged exercise work', JSON.stringify({format: 'python-concurrency-course/progress', version: 1, exportedAt: '2026-01-01T00:00:00Z', entries: {'course:exercise:a/b@v1': '{"files": 3}'}}), /not saved exercise work/],
  ])('refuses %s with a message that names the problem', (_name, text, message) => {
    const parsed = parseProgressFile(text, 'progress.json');
    expect(parsed.ok).toBe(false);
    expect((parsed as {error: string}).error).toMatch(message);
    expect((parsed as {error: string}).error).toMatch(/^progress\.json was not imported: .* Nothing was changed\.$/);
  });

  it("keeps this browser's newer work on an exercise and takes the file's newer work", () => {
    const storage = new MemoryStorage();
    const older = storageKey('a/older-here', 'v1');
    const newer = storageKey('a/newer-here', 'v1');
    storage.setItem(older, work('failed', '2026-01-01T00:00:00Z'));
    storage.setItem(newer, work('failed', '2026-05-01T00:00:00Z'));
    const file: ProgressFile = {
      format: 'python-concurrency-course/progress',
      version: 1,
      exportedAt: '2026-03-01T00:00:00Z',
      entries: {[older]: work('passed', '2026-03-01T00:00:00Z'), [newer]: work('passed', '2026-03-01T00:00:00Z')},
    };
    expect(applyProgress(storage, file)).toEqual({ok: true, summary: {added: 0, replaced: 1, keptNewer: 1, unchanged: 0}});
    expect(exerciseStatus(storage, {id: 'a/older-here', version: 'v1'})).toBe('passed');
    expect(exerciseStatus(storage, {id: 'a/newer-here', version: 'v1'})).toBe('failed');
  });

  it('undoes a partial import when the storage is full, losing nothing', () => {
    const storage = new MemoryStorage(2);
    storage.setItem(storageKey('a/mine', 'v1'), work('failed', '2026-01-01T00:00:00Z'));
    const before = new Map(storage.map);
    const file: ProgressFile = {
      format: 'python-concurrency-course/progress',
      version: 1,
      exportedAt: '2026-03-01T00:00:00Z',
      entries: {
        [storageKey('a/mine', 'v1')]: work('passed', '2026-03-01T00:00:00Z'),
        [storageKey('b/one', 'v1')]: work('passed', '2026-03-01T00:00:00Z'),
        [storageKey('b/two', 'v1')]: work('passed', '2026-03-01T00:00:00Z'),
      },
    };
    const applied = applyProgress(storage, file);
    expect(applied.ok).toBe(false);
    expect((applied as {error: string}).error).toMatch(/full.*Nothing was changed/);
    expect(storage.map).toEqual(before);
  });
});
