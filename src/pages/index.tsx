import type {ReactNode} from 'react';
import Link from '@docusaurus/Link';
import useDocusaurusContext from '@docusaurus/useDocusaurusContext';
import Layout from '@theme/Layout';
import Heading from '@theme/Heading';
import {outline, type Chapter} from '@site/src/course/outline';
import styles from './index.module.css';

function ChapterItem({chapter, written}: {chapter: Chapter; written: boolean}): ReactNode {
  return (
    <li>
      {written ? (
        <Link to={`/${chapter.slug}/`}>
          {chapter.title}
        </Link>
      ) : (
        <span className={styles.coming}>
          {chapter.title} <em>(being written)</em>
        </span>
      )}
      <br />
      <small>{chapter.summary}</small>
    </li>
  );
}

export default function Home(): ReactNode {
  const {siteConfig} = useDocusaurusContext();
  const written = new Set(siteConfig.customFields?.writtenChapterDirs as string[]);
  const parts = [...new Set(outline.map((chapter) => chapter.part))];
  const first = outline.find((chapter) => written.has(chapter.dir));

  return (
    <Layout title="Home" description={siteConfig.tagline}>
      <header className={styles.hero}>
        <Heading as="h1">{siteConfig.title}</Heading>
        <p>{siteConfig.tagline}</p>
        {first && (
          <Link className="button button--primary button--lg" to={`/${first.slug}/`}>
            Start with chapter 1
          </Link>
        )}
      </header>
      <main className="container margin-bottom--xl">
        <Heading as="h2">What this course is</Heading>
        <p>
          Python gives you three ways to do more than one thing at a time — processes, threads and
          asyncio — and one famous lock, the GIL, that shapes all three. This course explains each
          from the question a working programmer has (&ldquo;why is my program slow?&rdquo;) down to
          the mechanism inside CPython, and lets you check every claim: a simulator of CPython runs
          in the page, every comparison table is regenerated from it, and every chapter ends with
          exercises that are graded right here.
        </p>
        <Heading as="h2">Who it is for</Heading>
        <p>
          Programmers who write Python and want to know which model to pick and why: you know
          functions, classes and a little of the command line; no prior concurrency is assumed.
          Exercises are written in TypeScript and run in your browser, so nothing needs installing.
          The whole course works without an internet connection.
        </p>
        <Heading as="h2">How it is organised</Heading>
        <p>
          Eleven chapters in four parts, each about 30–45 minutes: what you will be able to do, the
          idea explained, Python you can trust (checked on CPython 3.12+), diagrams, the live
          simulator, graded exercises, questions to check yourself, and the common mistakes.
        </p>
        <div className={styles.parts}>
          {parts.map((part) => (
            <section key={part} aria-labelledby={`part-${part}`}>
              <Heading as="h3" id={`part-${part}`}>
                {part}
              </Heading>
              <ol className={styles.chapterList} start={outline.findIndex((c) => c.part === part) + 1}>
                {outline
                  .filter((chapter) => chapter.part === part)
                  .map((chapter) => (
                    <ChapterItem key={chapter.dir} chapter={chapter} written={written.has(chapter.dir)} />
                  ))}
              </ol>
            </section>
          ))}
        </div>
      </main>
    </Layout>
  );
}
