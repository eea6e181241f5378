import {existsSync} from 'node:fs';
import {join} from 'node:path';
import {outline, type Chapter} from './outline';

/** The chapters whose `docs/<dir>/index.mdx` exists, in course order. Build-time only (Node). */
export function writtenChapters(docsDir: string, chapters: readonly Chapter[] = outline): Chapter[] {
  return chapters.filter((chapter) => existsSync(join(docsDir, chapter.dir, 'index.mdx')));
}
