import {useEffect, useRef, useState, type ReactNode} from 'react';
import Link from '@docusaurus/Link';
import Heading from '@theme/Heading';
import Layout from '@theme/Layout';
import {browserStorage} from '../Exercise/storage';
import {applyProgress, courseKeys, exerciseStatus, exportProgress, parseProgressFile, type CourseIndex, type ExerciseStatus} from './progress';
import styles from './styles.module.css';

const statusText: Record<ExerciseStatus, string> = {
  'not started': 'not started',
  started: 'started, not run yet',
  passed: 'passed',
  failed: 'tests failing',
  error: 'error on the last run',
  timeout: 'timed out on the last run',
  'earlier version': 'work kept for an earlier version of this exercise',
};

interface Message {
  kind: 'success' | 'error';
  text: string;
}

/** Every chapter's exercises with the learner's state, and their progress as a JSON file. */
export default function ProgressPage({index}: {index: CourseIndex}): ReactNode {
  // Server rendering has no localStorage: states are read after hydration, and again after an import.
  const [revision, setRevision] = useState<number | null>(null);
  const [message, setMessage] = useState<Message | null>(null);
  const fileInput = useRef<HTMLInputElement>(null);
  useEffect(() => setRevision(0), []);
  const storage = revision === null ? undefined : browserStorage();

  const statuses = index.chapters.map((chapter) => chapter.exercises.map((exercise) => (revision === null ? null : exerciseStatus(storage, exercise))));
  const total = index.chapters.reduce((sum, chapter) => sum + chapter.exercises.length, 0);
  const passed = statuses.flat().filter((status) => status === 'passed').length;

  const download = () => {
    const file = exportProgress(browserStorage(), new Date());
    const url = URL.createObjectURL(new Blob([JSON.stringify(file, null, 1)], {type: 'application/json'}));
    const link = document.createElement('a');
    link.href = url;
    link.download = `python-concurrency-progress-${file.exportedAt.slice(0, 10)}.json`;
    link.click();
    setTimeout(() => URL.revokeObjectURL(url), 0);
    setMessage({kind: 'success', text: `Saved ${Object.keys(file.entries).length} entries to ${link.download}.`});
  };

  const importFile = async (file: File) => {
    const parsed = parseProgressFile(await file.text(), file.name);
    if (!parsed.ok) {
      setMessage({kind: 'error', text: parsed.error});
      return;
    }
    const applied = applyProgress(browserStorage(), parsed.file);
    if (!applied.ok) {
      setMessage({kind: 'error', text: applied.error});
      return;
    }
    const {added, replaced, keptNewer, unchanged} = applied.summary;
    const kept = keptNewer ? ` Kept this browser's newer work on ${keptNewer} exercise${keptNewer === 1 ? '' : 's'}.` : '';
    setMessage({kind: 'success', text: `Imported ${file.name}: ${added} new, ${replaced} updated, ${unchanged} already here.${kept}`});
    setRevision((value) => (value ?? 0) + 1);
  };

  return (
    <Layout title="Your progress" description="Every exercise of the course with your state, and your progress as a file.">
      <main className="container margin-vert--lg" data-progress-state={revision === null ? 'loading' : 'ready'}>
        <Heading as="h1">Your progress</Heading>
        <p>
          Your code and results are saved in this browser only. Download them as a file to hand in or to
          move to another computer, and import that file there.
        </p>
        <p className={styles.summary} aria-live="polite">
          {revision === null ? 'Reading your saved work…' : `${passed} of ${total} exercises passed.`}
        </p>
        <div className={styles.actions}>
          <button type="button" className="button button--primary" onClick={download} disabled={revision === null}>
            Download progress (JSON)
          </button>
          <label className={`button button--secondary ${styles.importLabel}`}>
            Import progress…
            <input
              ref={fileInput}
              type="file"
              accept="application/json,.json"
              className="visually-hidden"
              disabled={revision === null}
              onChange={(event) => {
                const file = event.currentTarget.files?.[0];
                event.currentTarget.value = '';
                if (file) void importFile(file);
              }}
            />
          </label>
        </div>
        {message && (
          <p className={message.kind === 'error' ? styles.error : styles.success} role={message.kind === 'error' ? 'alert' : 'status'} data-testid="progress-message">
            {message.text}
          </p>
        )}
        {index.chapters.map((chapter, chapterIndex) => (
          <section key={chapter.slug} aria-labelledby={`progress-${chapter.slug}`}>
            <Heading as="h2" id={`progress-${chapter.slug}`}>
              <Link to={`/${chapter.slug}/`}>{chapter.title}</Link>
            </Heading>
            {chapter.exercises.length === 0 ? (
              <p>No exercises in this chapter.</p>
            ) : (
              <ul className={styles.list}>
                {chapter.exercises.map((exercise, exerciseIndex) => {
                  const status = statuses[chapterIndex][exerciseIndex];
                  return (
                    <li key={exercise.id} data-progress-exercise={exercise.id} data-status={status ?? 'loading'}>
                      <Link to={`/${chapter.slug}/#exercise-${exercise.id.split('/')[1]}`}>{exercise.title}</Link>
                      <span className={`${styles.status} ${status === 'passed' ? styles.passed : ''}`}>{status ? statusText[status] : '…'}</span>
                    </li>
                  );
                })}
              </ul>
            )}
          </section>
        ))}
        {revision !== null && courseKeys(storage).length === 0 && <p>Nothing saved yet: your work appears here as you do the exercises.</p>}
      </main>
    </Layout>
  );
}
