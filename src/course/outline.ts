/**
 * The course's table of contents: one entry per chapter, in teaching order.
 *
 * Everything that lists chapters (the sidebar, the landing page, the tests) reads this list,
 * so the order of the course is written down exactly once. A chapter appears on the site only
 * once its folder holds an `index.mdx`; until then the landing page names it as coming.
 */
export interface Chapter {
  /** Folder under `docs/`, e.g. `03-threads`. Stable: learners' progress is keyed on it. */
  readonly dir: string;
  /** URL slug of the chapter page, e.g. `threads`. */
  readonly slug: string;
  readonly title: string;
  /** One line on what the chapter answers, for the landing page. */
  readonly summary: string;
  readonly part: 'Foundations' | 'Parallel work' | 'Waiting on I/O' | 'In practice';
}

export const outline: readonly Chapter[] = [
  {
    dir: '01-foundations',
    slug: 'foundations',
    title: 'Foundations',
    summary: 'Concurrency vs parallelism, synchronous vs asynchronous, CPU-bound vs I/O-bound.',
    part: 'Foundations',
  },
  {
    dir: '02-processes',
    slug: 'processes',
    title: 'Processes',
    summary: 'What a process owns, fork / spawn / forkserver, and what crossing a process boundary costs.',
    part: 'Parallel work',
  },
  {
    dir: '03-threads',
    slug: 'threads',
    title: 'Threads',
    summary: 'The thread lifecycle, join and daemon threads, and what 10,000 threads really cost.',
    part: 'Parallel work',
  },
  {
    dir: '04-gil',
    slug: 'gil',
    title: 'The GIL',
    summary: 'Why CPython has a global lock, when it is released, and the convoy effect.',
    part: 'Parallel work',
  },
  {
    dir: '05-locks',
    slug: 'locks',
    title: 'Locks and synchronisation',
    summary: 'Races, Lock, RLock, Semaphore, Event, Condition, Barrier, queues and deadlock.',
    part: 'Parallel work',
  },
  {
    dir: '06-pools',
    slug: 'pools',
    title: 'Pools',
    summary: 'ThreadPoolExecutor, ProcessPoolExecutor, multiprocessing.Pool and Futures.',
    part: 'Parallel work',
  },
  {
    dir: '07-multiplexing',
    slug: 'multiplexing',
    title: 'I/O multiplexing',
    summary: 'Non-blocking sockets, select, poll and epoll, and the C10K problem.',
    part: 'Waiting on I/O',
  },
  {
    dir: '08-asyncio',
    slug: 'asyncio',
    title: 'asyncio',
    summary: 'Coroutines, the event loop, Tasks, gather, TaskGroup, cancellation and timeouts.',
    part: 'Waiting on I/O',
  },
  {
    dir: '09-choosing',
    slug: 'choosing',
    title: 'Choosing a model',
    summary: 'Decision trees, mixed workloads and pre-fork servers.',
    part: 'In practice',
  },
  {
    dir: '10-pitfalls',
    slug: 'pitfalls',
    title: 'Pitfalls',
    summary: 'The classic bugs of concurrent Python, each shown failing and then fixed.',
    part: 'In practice',
  },
  {
    dir: '11-free-threading',
    slug: 'free-threading',
    title: 'Free-threading and subinterpreters',
    summary: 'Python without the GIL (3.13t / 3.14t) and InterpreterPoolExecutor (3.14).',
    part: 'In practice',
  },
];
