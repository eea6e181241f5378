import {describe, expect, it} from 'vitest';
import {PROGRESS_KEY, loadProgress, recordEnding, saveProgress} from './progress';

function memoryStorage(initial: Record<string, string> = {}): Storage {
  const items = new Map(Object.entries(initial));
  return {
    get length() {
      return items.size;
    },
    clear: () => items.clear(),
    getItem: (key) => items.get(key) ?? null,
    key: (index) => [...items.keys()][index] ?? null,
    removeItem: (key) => void items.delete(key),
    setItem: (key, value) => void items.set(key, value),
  };
}

describe('challenge progress', () => {
  it('keeps a won level won, and marks a level lost only until it is won', () => {
    let progress = recordEnding({}, 'lost-update', false);
    expect(progress).toEqual({'lost-update': 'lost'});
    progress = recordEnding(progress, 'lost-update', true);
    expect(progress).toEqual({'lost-update': 'won'});
    expect(recordEnding(progress, 'lost-update', false)).toBe(progress);
  });

  it('survives a round trip through storage under course:challenge:progress', () => {
    const storage = memoryStorage();
    expect(saveProgress(storage, {'lost-update': 'won', overdraft: 'lost'})).toBe(true);
    expect(JSON.parse(storage.getItem(PROGRESS_KEY)!)).toEqual({'lost-update': 'won', overdraft: 'lost'});
    expect(loadProgress(storage)).toEqual({'lost-update': 'won', overdraft: 'lost'});
  });

  it('reads garbage, missing or broken storage as no progress', () => {
    expect(loadProgress(undefined)).toEqual({});
    expect(loadProgress(memoryStorage({[PROGRESS_KEY]: '{not json'}))).toEqual({});
    expect(loadProgress(memoryStorage({[PROGRESS_KEY]: '["won"]'}))).toEqual({});
    expect(loadProgress(memoryStorage({[PROGRESS_KEY]: '{"a": "won", "b": 3}'}))).toEqual({a: 'won'});
    const full = {...memoryStorage(), setItem: () => { throw new Error('QuotaExceededError'); }} as Storage;
    expect(saveProgress(full, {a: 'won'})).toBe(false);
    expect(saveProgress(undefined, {a: 'won'})).toBe(false);
  });
});
