import type {SidebarsConfig} from '@docusaurus/plugin-content-docs';
import {writtenChapters} from './src/course/written';

const docsDir = new URL('./docs', import.meta.url).pathname;

/** One sidebar, in the course's order, listing only the chapters that are written. */
const sidebars: SidebarsConfig = {
  course: writtenChapters(docsDir).map((chapter) => ({type: 'doc' as const, id: `${chapter.slug}/index`})),
};

export default sidebars;
