import {describe, expect, it} from 'vitest';
import {loadAnswers, saveAnswers, storageKey} from './storage';

class MemoryStorage {
  readonly items = new Map<string, string>();
  getItem(key: string) {
    return this.items.get(key) ?? null;
  }
  setItem(key: string, value: string) {
    this.items.set(key, value);
  }
  removeItem(key: string) {
    this.items.delete(key);
  }
}

const memory = () => new MemoryStorage() as unknown as Storage & MemoryStorage;

describe('decision tree answers in storage', () => {
  it('round-trips the answers under course:decision:<tree id>', () => {
    const storage = memory();
    saveAnswers(storage, 'cpu-or-io', ['io', 'sync']);
    expect([...storage.items.keys()]).toEqual(['course:decision:cpu-or-io']);
    expect(loadAnswers(storage, 'cpu-or-io')).toEqual(['io', 'sync']);
    expect(loadAnswers(storage, 'by-workload')).toEqual([]);
  });

  it('forgets the tree when the answers are cleared', () => {
    const storage = memory();
    saveAnswers(storage, 't', ['a']);
    saveAnswers(storage, 't', []);
    expect(storage.items.has(storageKey('t'))).toBe(false);
  });

  it('reads garbage, wrong shapes and missing storage as no answers', () => {
    const storage = memory();
    for (const raw of ['{not json', 'null', '[1,2]', '{"answers":[1]}', '{"answers":"a"}']) {
      storage.setItem(storageKey('t'), raw);
      expect(loadAnswers(storage, 't'), raw).toEqual([]);
    }
    expect(loadAnswers(undefined, 't')).toEqual([]);
  });

  it('survives a storage that throws', () => {
    const throwing = {
      getItem() {
        throw new Error('denied');
      },
      setItem() {
        throw new Error('full');
      },
      removeItem() {
        throw new Error('denied');
      },
    } as unknown as Storage;
    expect(loadAnswers(throwing, 't')).toEqual([]);
    expect(() => saveAnswers(throwing, 't', ['a'])).not.toThrow();
  });
});
