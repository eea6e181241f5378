import {describe, expect, it} from 'vitest';
import {forgetWork, loadWork, saveWork, storageKey} from './storage';

/** A Storage held in a Map, that can be made full. */
function memoryStorage(full = false): Storage {
  const items = new Map<string, string>();
  return {
    get length() {
      return items.size;
    },
    clear: () => items.clear(),
    getItem: (key) => items.get(key) ?? null,
    key: (index) => [...items.keys()][index] ?? null,
    removeItem: (key) => void items.delete(key),
    setItem: (key, value) => {
      if (full) throw new DOMException('The quota has been exceeded.', 'QuotaExceededError');
      items.set(key, value);
    },
  };
}

describe('saved work', () => {
  it('comes back as it was saved, under the id and version', () => {
    const storage = memoryStorage();
    const work = {files: {'/index.ts': 'let x = 1;'}, result: {outcome: 'failed' as const, passed: 1, failed: 2}};
    expect(saveWork(storage, 'locks/fix', 'v1', work)).toBe(true);
    expect(loadWork(storage, 'locks/fix', 'v1')).toMatchObject(work);
    expect(loadWork(storage, 'locks/fix', 'v2')).toBeNull();
    expect(storage.getItem(storageKey('locks/fix', 'v1'))).toContain('"savedAt"');
  });

  it('reads garbage as nothing saved', () => {
    const storage = memoryStorage();
    for (const garbage of ['{not json', '42', 'null', '{"files": {"/index.ts": 7}}', '{"files": {}, "result": {"outcome": "won"}}']) {
      storage.setItem(storageKey('a/b', 'v'), garbage);
      expect(loadWork(storage, 'a/b', 'v')).toBeNull();
    }
  });

  it('says so when the storage is full, without throwing', () => {
    expect(saveWork(memoryStorage(true), 'a/b', 'v', {files: {}, result: null})).toBe(false);
    expect(saveWork(undefined, 'a/b', 'v', {files: {}, result: null})).toBe(false);
  });

  it('can be forgotten', () => {
    const storage = memoryStorage();
    saveWork(storage, 'a/b', 'v', {files: {'/x.ts': ''}, result: null});
    forgetWork(storage, 'a/b', 'v');
    expect(loadWork(storage, 'a/b', 'v')).toBeNull();
  });
});
