import {readFileSync} from 'node:fs';
import {join} from 'node:path';
import type {LoadContext, Plugin} from '@docusaurus/types';
import type {CourseIndex} from '../components/Progress/progress';
import {exercisesInMdx} from '../course/exercise-index';
import {writtenChapters} from '../course/written';

/**
 * The progress page at /progress/: the build lists every written chapter's exercises (with the
 * content version saved work is keyed on) into a data module that only that page loads.
 */
export default function courseIndexPlugin(context: LoadContext): Plugin<unknown> {
  const docsDir = join(context.siteDir, 'docs');
  return {
    name: 'course-index',
    getPathsToWatch: () => [join(docsDir, '*/index.mdx')],
    async loadContent(): Promise<CourseIndex> {
      return {
        chapters: writtenChapters(docsDir).map((chapter) => {
          const file = join(docsDir, chapter.dir, 'index.mdx');
          const exercises = exercisesInMdx(readFileSync(file, 'utf8'), file);
          return {slug: chapter.slug, title: chapter.title, exercises: exercises.map(({id, title, spec}) => ({id, title, version: spec.version}))};
        }),
      };
    },
    async contentLoaded({content, actions}) {
      const courseIndex = content as CourseIndex;
      const index = await actions.createData('course-index.json', JSON.stringify(courseIndex));
      actions.addRoute({path: `${context.baseUrl}progress/`, component: '@site/src/components/Progress/ProgressPage', modules: {index}, exact: true});
    },
  };
}
