import {mkdirSync, mkdtempSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {describe, expect, it} from 'vitest';
import {outline} from './outline';
import {writtenChapters} from './written';

describe('the course outline', () => {
  it('numbers its folders in teaching order, each named after its slug', () => {
    outline.forEach((chapter, index) => {
      expect(chapter.dir).toBe(`${String(index + 1).padStart(2, '0')}-${chapter.slug}`);
    });
  });

  it('keeps the order the course promises', () => {
    expect(outline.map((chapter) => chapter.slug)).toEqual([
      'foundations', 'processes', 'threads', 'gil', 'locks', 'pools',
      'multiplexing', 'asyncio', 'choosing', 'pitfalls', 'free-threading',
    ]);
  });
});

describe('writtenChapters', () => {
  it('lists only chapters whose index.mdx exists, in course order', () => {
    const docs = mkdtempSync(join(tmpdir(), 'docs-'));
    for (const dir of ['04-gil', '01-foundations']) {
      mkdirSync(join(docs, dir));
      writeFileSync(join(docs, dir, 'index.mdx'), '# x');
    }
    mkdirSync(join(docs, '02-processes')); // a folder without a page is not a chapter yet
    expect(writtenChapters(docs).map((chapter) => chapter.slug)).toEqual(['foundations', 'gil']);
  });
});
