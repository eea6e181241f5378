/**
 * The two decision trees of the seeds (REPRODUCTION.md, "Decision trees"), as questions a learner
 * answers. Seed 000's tree picks a model by the shape of the work; seed 004's asks "CPU or I/O?"
 * first. Every leaf recommends a model, gives the reasons, checks the seed's advice against
 * CPython 3.12–3.14, says what free-threading, subinterpreters and the 3.14 start-method default
 * change there, and names the scenario preset that shows why.
 *
 * Plain data plus a validator: no React, and no import of the scenarios themselves (the page loads
 * this file; the simulator stays in its Worker). Text between backticks is code.
 */
import {knobNames, knobProblem, resolveParams, type KnobName, type Scenario, type ScenarioParams} from '../sim/scenarios/types';

export interface Answer {
  /** Unique within its question; saved answers are lists of these. */
  readonly id: string;
  readonly label: string;
  /** The node this answer leads to. */
  readonly next: string;
}

export interface Question {
  readonly kind: 'question';
  readonly id: string;
  readonly prompt: string;
  /** A few words for the breadcrumb of answers. */
  readonly short: string;
  readonly help?: string;
  readonly answers: readonly Answer[];
}

/** How the seed's advice at this leaf stands today. */
export type Verdict = 'holds' | 'partly' | 'outdated' | 'wrong';

export const verdictLabels: Record<Verdict, string> = {
  holds: 'still holds',
  partly: 'partly right',
  outdated: 'out of date',
  wrong: 'wrong',
};

export interface SeedCheck {
  /** What the seed says, in our words. */
  readonly claim: string;
  readonly verdict: Verdict;
  /** What is true for CPython 3.12–3.14, and why. */
  readonly today: string;
}

/** What recent CPython changes at this leaf: each of the three is said, even when it is "nothing". */
export interface RecentChanges {
  /** The free-threaded builds, 3.13t (experimental) and 3.14t (supported). */
  readonly freeThreading: string;
  /** `concurrent.interpreters` and `InterpreterPoolExecutor`, new in 3.14. */
  readonly subinterpreters: string;
  /** `forkserver` instead of `fork` as the default start method on Linux from 3.14. */
  readonly startMethod: string;
}

export const recentChangeLabels: Record<keyof RecentChanges, string> = {
  freeThreading: 'Free-threaded builds (3.13t, 3.14t)',
  subinterpreters: 'Subinterpreters (3.14)',
  startMethod: 'Start method (Linux default from 3.14)',
};

export interface ScenarioPreset {
  /** A scenario id of REPRODUCTION.md. */
  readonly scenario: string;
  readonly preset: ScenarioParams;
  /** Row keys to show first; the learner can show the rest. All rows when absent. */
  readonly rows?: readonly string[];
  /** What to look at in the result. */
  readonly look: string;
}

export interface Leaf {
  readonly kind: 'leaf';
  readonly id: string;
  readonly title: string;
  readonly recommendation: string;
  readonly reasons: readonly string[];
  readonly seed: SeedCheck;
  readonly changed: RecentChanges;
  readonly show: ScenarioPreset;
}

export type TreeNode = Question | Leaf;

export interface DecisionTree {
  /** Stable: answers are saved under `course:decision:<id>`, and the widget root carries it. */
  readonly id: string;
  readonly title: string;
  /** Where the tree comes from. */
  readonly source: string;
  readonly root: string;
  readonly nodes: readonly TreeNode[];
}

const MAIN_GUARD = '`if __name__ == "__main__":`';

/** Seed 000: CPU-bound, I/O-bound by connections and libraries, mixed work, long-running services. */
const byWorkload: DecisionTree = {
  id: 'by-workload',
  title: 'Pick a model by what the work does',
  source: 'Seed 000’s tree: CPU-bound work, I/O-bound work with few or many connections and sync or async libraries, mixed work, and long-running services.',
  root: 'kind',
  nodes: [
    {
      kind: 'question',
      id: 'kind',
      prompt: 'What does your program spend most of its time on?',
      short: 'The work',
      help: 'Measure before you choose: if `time.process_time()` grows almost as fast as `time.perf_counter()`, the program computes; if it grows much more slowly, it waits.',
      answers: [
        {id: 'cpu', label: 'Computing in Python: image processing, encryption, number crunching', next: 'processes'},
        {id: 'io', label: 'Waiting: on the network, a disk or a database', next: 'io-cpu'},
        {id: 'service', label: 'It is a long-running service made of separate parts (a web app, background jobs)', next: 'separate-processes'},
      ],
    },
    {
      kind: 'question',
      id: 'io-cpu',
      prompt: 'Between the waits, does each task also do heavy computation?',
      short: 'Computation between waits',
      help: 'Parsing large responses, resizing images or scoring results can take longer than the wait itself.',
      answers: [
        {id: 'mixed', label: 'Yes: real CPU work on every result', next: 'async-plus-processes'},
        {id: 'mostly-waiting', label: 'No: almost all of the time is waiting', next: 'libraries'},
      ],
    },
    {
      kind: 'question',
      id: 'libraries',
      prompt: 'Do the libraries you wait through have asyncio versions you can use?',
      short: 'Async libraries',
      help: 'For example aiohttp or httpx instead of requests, asyncpg instead of psycopg2, or a framework built on asyncio such as FastAPI.',
      answers: [
        {id: 'sync-only', label: 'No: only blocking ones (requests, psycopg2, a vendor SDK)', next: 'sync-scale'},
        {id: 'async-available', label: 'Yes: async clients or an asyncio framework', next: 'asyncio'},
      ],
    },
    {
      kind: 'question',
      id: 'sync-scale',
      prompt: 'How many calls must be waiting at the same time?',
      short: 'Calls in flight',
      answers: [
        {id: 'up-to-hundred', label: 'Up to about a hundred', next: 'threads'},
        {id: 'thousands', label: 'Thousands or more', next: 'many-threads'},
      ],
    },
    {
      kind: 'leaf',
      id: 'processes',
      title: 'Processes: a ProcessPoolExecutor',
      recommendation:
        'Run the computation in a pool of worker processes, `concurrent.futures.ProcessPoolExecutor` (or `multiprocessing.Pool`). Each worker is a separate interpreter with its own GIL, so the pool keeps as many cores busy as it has workers.',
      reasons: [
        'On the standard build only one thread of a process executes Python bytecode at a time, so threads doing pure-Python computation take turns instead of sharing the cores.',
        'Processes have separate interpreters and separate GILs; the operating system runs them on different cores at the same moment.',
        'The price: arguments and results are pickled across the process boundary, and each worker costs a process start, so every task has to be big enough to pay for its trip.',
      ],
      seed: {
        claim: 'Multiprocessing is the only way to get past the GIL and compute in parallel.',
        verdict: 'outdated',
        today:
          'It is still the safe default for pure-Python computation on the standard build, but no longer the only way: native code that releases the GIL (numpy, Numba with `nogil=True`, Cython in `with nogil:` blocks) runs in parallel threads, the free-threaded build runs Python threads in parallel, and since 3.14 subinterpreters give each worker its own GIL inside one process.',
      },
      changed: {
        freeThreading:
          'On a free-threaded build (3.13t experimental, 3.14t officially supported since PEP 779) threads execute Python code on several cores at once, so a ThreadPoolExecutor can do this job without pickling. One thread runs slower than on the GIL build: about 40% on 3.13t, about 5–10% on 3.14t. An extension module not marked as safe without the GIL turns the GIL back on when it is imported.',
        subinterpreters:
          'Python 3.14 adds `concurrent.futures.InterpreterPoolExecutor`: worker threads that each run their own interpreter with its own GIL, so they compute in parallel inside one process. Like a process pool it pickles the function, its arguments and its result, it cannot run functions defined in `__main__`, and not every extension module can be imported in a subinterpreter yet.',
        startMethod: `From 3.14 the default start method on Linux is \`forkserver\` instead of \`fork\` (macOS has used \`spawn\` since 3.8, Windows always has). Workers no longer inherit your program's state: whatever you send must pickle, and the main module is imported again to start them, so create the pool under ${MAIN_GUARD}. Pass \`mp_context=multiprocessing.get_context("fork")\` only if you really need fork.`,
      },
      show: {
        scenario: 'cpu-bound',
        preset: {cores: 8, n: 8, workers: 4},
        look: 'Compare the threads row with serial: the same 12 s, because the GIL lets one thread compute at a time. The process pools finish in about 1.5 s on 8 cores; `multiprocessing.Pool(4)`, with half the workers, takes about twice as long.',
      },
    },
    {
      kind: 'leaf',
      id: 'async-plus-processes',
      title: 'asyncio for the waiting, a process pool for the computing',
      recommendation:
        'Run the I/O as asyncio tasks and send each CPU-heavy step to a `ProcessPoolExecutor` with `await loop.run_in_executor(pool, func, *args)`. The event loop goes on serving the other tasks while the pool computes.',
      reasons: [
        'An event loop runs all its coroutines on one thread: while one task computes, no other task’s I/O is served, and the computing steps of all tasks add up one after another.',
        'Threads fix only the waiting half on the standard build: the waits overlap, but the computing still takes turns under one GIL.',
        'A process pool computes on the other cores, and `run_in_executor` turns its result into something a coroutine can await.',
      ],
      seed: {
        claim: 'For mixed I/O and CPU work, combine asyncio with `run_in_executor` and a process pool.',
        verdict: 'holds',
        today:
          'Still right. Note that the seed’s own example hands a blocking call to a `ThreadPoolExecutor`: that keeps the loop responsive for blocking I/O (today simply `await asyncio.to_thread(func)`), but CPU-heavy Python code in that thread still competes with the loop for the one GIL, so computing belongs in a process pool.',
      },
      changed: {
        freeThreading: 'On 3.14t, `asyncio.to_thread` or a ThreadPoolExecutor runs CPU-heavy Python code in parallel with the loop, without pickling; on the GIL build it does not.',
        subinterpreters: 'On 3.14 an `InterpreterPoolExecutor` can take the process pool’s place in `run_in_executor`: parallel workers in one process, with the same pickling rules and no functions from `__main__`.',
        startMethod: `With \`forkserver\` the Linux default from 3.14, a process pool started at import time, outside ${MAIN_GUARD}, fails in its workers: create it inside \`main()\` and hand it only picklable functions and data.`,
      },
      show: {
        scenario: 'gil-impact',
        preset: {cores: 4, n: 4, delay: 0.2},
        look: 'Read the mixed rows: threads and asyncio reach about 2× over serial, because only the waits overlap; processes reach about 3.9× on 4 cores. The CPU-bound and I/O-bound rows show each half on its own.',
      },
    },
    {
      kind: 'leaf',
      id: 'separate-processes',
      title: 'Separate processes for separate jobs',
      recommendation:
        'Run the parts as separate programs: the web application under a server with several worker processes (Gunicorn, or uvicorn with `--workers`), background jobs in a task-queue worker such as Celery, and let them talk through a broker or a database rather than shared memory.',
      reasons: [
        'A crash, a memory leak or a stalled event loop in one process does not take the others down, and a supervisor can restart it.',
        'Every worker process has its own GIL, so a multi-worker server uses several cores even when each worker runs a single event loop.',
        'The parts can be deployed, scaled and restarted independently.',
      ],
      seed: {
        claim: 'Long-running services with decoupled modules call for a multi-process architecture, such as a Celery worker beside the web server, or Gunicorn with async workers, to isolate failures.',
        verdict: 'holds',
        today: 'Still the standard layout. Its main reasons are isolating faults and scaling parts independently rather than the GIL, so the same split is right on a free-threaded build.',
      },
      changed: {
        freeThreading: 'A free-threaded build lets one process use several cores with threads, but it isolates nothing: a crash in an extension module or a runaway allocation still ends the whole process.',
        subinterpreters: 'Subinterpreters (3.14’s `concurrent.interpreters`) keep Python state apart but share one process, so they are no substitute for separate processes when the point is surviving a crash.',
        startMethod:
          'Servers start their workers themselves (Gunicorn with `os.fork`, uvicorn’s `--workers` with an explicit `spawn` context), so 3.14’s new default does not change them; it changes the `multiprocessing` processes and process pools your own code starts inside them.',
      },
      show: {
        scenario: 'prefork-server',
        preset: {cores: 4, n: 1000, workers: 4, delay: 0.1},
        look: 'One worker process serves about 980 requests per second here; four workers share the 1,000 requests almost evenly and serve about 3,800 per second on 4 cores.',
      },
    },
    {
      kind: 'leaf',
      id: 'threads',
      title: 'Threads: a ThreadPoolExecutor sized to the calls',
      recommendation: 'Keep the blocking libraries and run the calls in a `ThreadPoolExecutor`, with `max_workers` set to how many calls you want in flight at once.',
      reasons: [
        'A thread blocked in a socket read or a database call has released the GIL, so the other threads run meanwhile: the waits overlap.',
        'No rewrite: requests, database drivers and vendor SDKs work unchanged in threads.',
        'At a hundred calls a thread costs little: its stack is reserved address space, and only the pages it touches take memory.',
      ],
      seed: {
        claim: 'Below about 100 concurrent connections with synchronous libraries, use threads; its benchmark expects 100 one-second requests through `ThreadPoolExecutor()` to take 1.2–2.0 s.',
        verdict: 'partly',
        today:
          'Threads are the right choice here, but the figure needs a pool that large. `ThreadPoolExecutor()` without `max_workers` has `min(32, cpus + 4)` threads, 8 on a 4-core machine, so the 100 requests go 8 at a time and take about 13 s (the simulator gives 13.0 s). Pass `max_workers=100`.',
      },
      changed: {
        freeThreading: 'Threads that mostly wait gain little from a free-threaded build: they already release the GIL while they wait. It helps when the threads also compute.',
        subinterpreters: 'Nothing to gain for waiting work: an `InterpreterPoolExecutor` adds pickling and isolation to what a thread pool already does.',
        startMethod:
          'Threads are not processes, so the start method does not matter here. It does if the same program also forks: since 3.12 forking a process that has threads raises a `DeprecationWarning`, one reason why 3.14 stopped defaulting to fork on Linux.',
      },
      show: {
        scenario: 'io-fetch',
        preset: {cores: 4, n: 100, delay: 1, workers: 100},
        look: 'A hundred one-second downloads: about 100 s one after another, about 1.1 s with 100 threads, the same as with 100 asyncio tasks.',
      },
    },
    {
      kind: 'leaf',
      id: 'many-threads',
      title: 'Thousands of blocking calls: threads still work, asyncio goes further',
      recommendation:
        'Threads can carry thousands of waiting calls: give the pool as many workers as calls you need in flight, and watch memory and the operating system’s thread limits. If the number keeps growing (long-lived connections such as WebSockets), move the I/O to asyncio and call the few remaining blocking functions with `asyncio.to_thread`.',
      reasons: [
        'A thread’s 8 MiB stack on Linux is reserved address space; only the pages it touches become resident, around 15 KiB for an idle thread.',
        'Ten thousand threads that each wait a second finish in about 1.6 s; ten thousand asyncio tasks finish in about 1.15 s in a tenth of the memory.',
        'What stops thread counts first is the operating system’s limit on threads per user and per system, and each thread’s start and switch cost, not the size of the stacks.',
      ],
      seed: {
        claim: 'Threads top out at a few hundred to a few thousand; 10,000 threads would need 80 GB with Linux’s 8 MB stacks and run out of memory.',
        verdict: 'wrong',
        today:
          'The 80 GB is address space, not memory: Linux reserves each stack and backs only the pages that are touched. Measured here with Python 3.11, 2,000 idle threads added about 16 KiB of resident memory each. Thousands of threads fit; they are only heavier than tasks.',
      },
      changed: {
        freeThreading: 'A free-threaded build does not change what an idle thread costs; blocked threads have released the GIL on either build.',
        subinterpreters: 'Subinterpreters do not help here: each one runs on a thread of its own and adds a whole interpreter’s state on top.',
        startMethod: 'No processes are started, so the start method does not apply.',
      },
      show: {
        scenario: 'ten-thousand-tasks',
        preset: {cores: 4, n: 10_000, delay: 1},
        rows: ['threads-reserved', 'threads-resident', 'threads-wall', 'asyncio-resident', 'asyncio-wall'],
        look: 'Reserved stacks for 10,000 threads: about 78 GiB, the seed’s 80 GB. Resident: about 150 MiB. The same 10,000 waits as asyncio tasks: about 14 MiB.',
      },
    },
    {
      kind: 'leaf',
      id: 'asyncio',
      title: 'asyncio with the async libraries',
      recommendation:
        'Use asyncio from end to end: an async client or driver (aiohttp, httpx, asyncpg), tasks started with `asyncio.TaskGroup` or `asyncio.gather`, and an `asyncio.Semaphore` to cap how many requests are in flight.',
      reasons: [
        'A waiting task is a small object, around a kilobyte or two, not a thread with a stack: tens of thousands fit easily.',
        'Switching between tasks is a call inside the event loop, with no kernel context switch.',
        'One thread runs every task, so no other task runs between two `await`s of yours.',
      ],
      seed: {
        claim: 'Above about 1,000 connections with an async ecosystem, use asyncio; it picks the best backend automatically, libuv or the built-in selector.',
        verdict: 'partly',
        today:
          'The connection count is a rule of thumb, not what decides: with async libraries asyncio fits at any scale. The backend claim is wrong: asyncio never uses libuv (that is the third-party uvloop). Its loop sits on the `selectors` module, epoll on Linux and kqueue on macOS, and on Windows the proactor loop (IOCP) has been the default since 3.8.',
      },
      changed: {
        freeThreading: 'An event loop runs on one thread on either build; free-threading lets the work you hand to other threads (with `asyncio.to_thread`) compute in parallel with the loop, not the loop itself.',
        subinterpreters: 'From 3.14 an `InterpreterPoolExecutor` can be passed to `loop.run_in_executor` for a CPU-heavy step.',
        startMethod: `It matters only if you add a process pool: on Linux from 3.14 its workers start through the fork server, so create it under ${MAIN_GUARD}.`,
      },
      show: {
        scenario: 'models-compare',
        preset: {cores: 4, n: 100},
        rows: ['thread-resident', 'thread-create', 'thread-fit', 'task-resident', 'task-create', 'task-fit'],
        look: 'Per unit: a thread takes about 15 KiB resident and 60 µs to create and finish, a task about 1.4 KiB and 10 µs; 1 GiB holds about 70,000 idle threads or 750,000 idle tasks.',
      },
    },
  ],
};

/** Seed 004: CPU-bound → processes or GIL-releasing native code; I/O → by the libraries at hand. */
const cpuOrIo: DecisionTree = {
  id: 'cpu-or-io',
  title: 'CPU or I/O first',
  source: 'Seed 004’s tree: CPU-bound work goes to processes or to native code that releases the GIL; I/O-bound work goes by the libraries you have.',
  root: 'bound',
  nodes: [
    {
      kind: 'question',
      id: 'bound',
      prompt: 'Is the work CPU-bound: would it keep a core busy even if every read and request answered at once?',
      short: 'CPU-bound?',
      answers: [
        {id: 'cpu', label: 'Yes: it computes', next: 'where'},
        {id: 'io', label: 'No: it mostly waits on I/O', next: 'io-libraries'},
      ],
    },
    {
      kind: 'question',
      id: 'where',
      prompt: 'Where does the computing happen?',
      short: 'Where it computes',
      answers: [
        {id: 'python', label: 'In Python code: loops, parsing, pure-Python algorithms', next: 'task-size'},
        {id: 'native', label: 'In numpy, or in a function I can compile with Numba or Cython', next: 'release-gil'},
      ],
    },
    {
      kind: 'question',
      id: 'task-size',
      prompt: 'How long does one call take, one piece of work you could hand to a worker?',
      short: 'One call takes',
      answers: [
        {id: 'large', label: 'Tens of milliseconds or more', next: 'process-pool'},
        {id: 'small', label: 'A few milliseconds or less', next: 'batch-first'},
      ],
    },
    {
      kind: 'question',
      id: 'io-libraries',
      prompt: 'Which client libraries does the code use?',
      short: 'Client libraries',
      answers: [
        {id: 'sync', label: 'Blocking ones: requests, psycopg2, boto3', next: 'thread-pool'},
        {id: 'async', label: 'Async ones: aiohttp, asyncpg, httpx’s AsyncClient', next: 'asyncio-gather'},
      ],
    },
    {
      kind: 'leaf',
      id: 'process-pool',
      title: 'A ProcessPoolExecutor over the cores',
      recommendation: `Use \`concurrent.futures.ProcessPoolExecutor()\`: by default it starts one worker per CPU, and \`map\` spreads the calls over them. Keep the function at module level so that it pickles, and create the pool under ${MAIN_GUARD}.`,
      reasons: [
        'Each worker process has its own interpreter and its own GIL, so 8 workers compute on 8 cores at once.',
        'Threads on the standard build take turns on the one GIL: 8 threads take as long as a plain loop.',
        'Calls of tens of milliseconds or more dwarf the pickling of each call and the one-off start of the workers.',
      ],
      seed: {
        claim: `On Windows the ${MAIN_GUARD} guard is required, otherwise the child processes fork recursively without end.`,
        verdict: 'wrong',
        today:
          'The guard is needed wherever workers start with spawn or forkserver: on Windows, on macOS since 3.8 and on Linux since 3.14. And nothing recurses: a child that imports the main module again and reaches the pool raises a `RuntimeError` about the bootstrapping phase. Measured here with 3.11: `ProcessPoolExecutor` then fails with `BrokenProcessPool`, while `multiprocessing.Pool` keeps replacing its dying workers and hangs.',
      },
      changed: {
        freeThreading: 'On 3.14t a ThreadPoolExecutor runs this pure-Python work in parallel too, about 5–10% slower per thread than the GIL build, with no pickling and no process start.',
        subinterpreters: '3.14’s `InterpreterPoolExecutor` has the same interface: parallel workers inside one process, with the same pickling rules and no functions defined in `__main__`.',
        startMethod: 'The forkserver row is what `ProcessPoolExecutor()` uses on Linux from 3.14 (it was fork before). Workers start from a clean server process and inherit nothing of your program’s state: pass everything they need as arguments.',
      },
      show: {
        scenario: 'cpu-bound',
        preset: {cores: 8, n: 8, workers: 4},
        look: 'Serial and threads: about 12 s each, as the seed says. Processes: about 1.5 s with fork and a little more with spawn or forkserver, against the seed’s 1.6 s. `Pool(4)` uses half the cores and takes about 3 s.',
      },
    },
    {
      kind: 'leaf',
      id: 'batch-first',
      title: 'Batch the small calls first',
      recommendation:
        'Do not send each tiny call to a worker on its own. Group the calls into chunks (`executor.map(func, items, chunksize=...)`, or one call per slice of the data) so that each message carries milliseconds of work, or stay serial and make the loop itself cheaper, for example with numpy.',
      reasons: [
        'Every call sent to a process pool is pickled, written to a pipe, unpickled, and its result sent back the same way: a fixed cost per call, whatever the call does.',
        'Starting a worker costs milliseconds: about 2 ms with fork, 13 ms with forkserver and 72 ms with spawn in this model.',
        'Below the break-even size a process pool is slower than a plain loop.',
      ],
      seed: {
        claim: 'Starting a process has a fixed cost of about 50–200 ms, so tasks that are too small get slower.',
        verdict: 'partly',
        today:
          'The direction is right; the figure depends on the start method. A fork takes a couple of milliseconds, a spawn tens of milliseconds (a new interpreter that imports your main module), forkserver lies in between once its server is up. A pool pays the start once per worker; what small tasks keep paying is the pickling and messaging of every call.',
      },
      changed: {
        freeThreading: 'On 3.14t small calls can go to a ThreadPoolExecutor instead: no pickling, no process start, and still in parallel.',
        subinterpreters: 'An `InterpreterPoolExecutor` still pickles every call and its result, so batching matters there too.',
        startMethod: 'With forkserver, Linux’s default from 3.14, each worker starts in about 13 ms here instead of fork’s 2 ms, plus about 70 ms once to start the server itself: a short script that builds a pool for a handful of calls gets slower.',
      },
      show: {
        scenario: 'process-startup',
        preset: {cores: 8, n: 8},
        look: 'The start cost of each start method, then the break-even rows: the smallest task for which a process pool beats a loop over 8 tasks, about 2 ms with fork and 20 ms with spawn or forkserver.',
      },
    },
    {
      kind: 'leaf',
      id: 'release-gil',
      title: 'Native code that releases the GIL, then threads',
      recommendation:
        'Move the hot loop into compiled code that runs without the GIL (numpy’s array operations, a Numba function compiled with `nogil=True`, a Cython block under `with nogil:`) and, if one core is still not enough, call it from a `ThreadPoolExecutor`.',
      reasons: [
        'Vectorised native code is usually many times faster than the Python loop it replaces, before any parallelism.',
        'While native code runs with the GIL released, other threads run too, so threads calling it use several cores without pickling arrays or copying them between processes.',
        'numpy releases the GIL for many array operations but not all (operations on arrays of Python objects need it); Numba and Cython release it only where you ask them to.',
      ],
      seed: {
        claim: 'Or use numpy, Numba or Cython, which release the GIL.',
        verdict: 'partly',
        today: 'They can, but only where the GIL is actually released: numpy in many (not all) operations, Numba with `nogil=True`, Cython inside `with nogil:` blocks that touch no Python objects. Python code around those calls still takes turns.',
      },
      changed: {
        freeThreading: 'On 3.14t threads run in parallel even in Python code, but only if every extension module you import supports the free-threaded build; one that does not turns the GIL back on at import and prints a warning.',
        subinterpreters: 'Not every extension module can be imported in a subinterpreter yet (each has to declare that it supports several interpreters), so check your libraries before reaching for an `InterpreterPoolExecutor`.',
        startMethod: 'Threads start no processes, so the start method does not matter, unless you combine this with a process pool.',
      },
      show: {
        scenario: 'gil-cpu-threads',
        preset: {cores: 4},
        rows: ['serial', 'gil-1', 'gil-4', 'gil-4-handoffs', 'free-1', 'free-4'],
        look: 'The GIL rows: 4 threads take as long as 1, with hundreds of GIL hand-offs. The free-threaded rows show what threads do when nothing makes them take turns, which is how they behave while inside native code that has released the GIL.',
      },
    },
    {
      kind: 'leaf',
      id: 'thread-pool',
      title: 'A ThreadPoolExecutor around the blocking calls',
      recommendation: 'Wrap the existing blocking code in `ThreadPoolExecutor(max_workers=N)` and `map` or `submit` the calls, N being how many should wait at once. The code itself stays as it is.',
      reasons: [
        'The blocking call releases the GIL while its socket waits, so the threads’ waits overlap.',
        'No new libraries: requests, psycopg2 and boto3 are used as they are.',
        'Read every result, with `future.result()` or through `map`: an exception raised in a worker stays in its future until someone asks for it.',
      ],
      seed: {
        claim: 'Threads take about 1.10 s and asyncio about 1.05 s for the same five one-second downloads, so asyncio is a little faster.',
        verdict: 'partly',
        today:
          'Both overlap the same five waits; what is left is a few milliseconds of CPU per request. The seed’s 0.05 s gap is one measurement against a real web service, not a property of threads: in the model both take the delay plus about 6 ms.',
      },
      changed: {
        freeThreading: 'Little changes for threads that wait: they release the GIL while waiting on either build.',
        subinterpreters: 'No gain for waiting work: an interpreter pool adds pickling to a thread pool.',
        startMethod: 'Does not apply: a thread pool starts no processes. (Its default size did change in 3.13, to `min(32, os.process_cpu_count() + 4)`; set `max_workers` yourself.)',
      },
      show: {
        scenario: 'io-fetch',
        preset: {cores: 4, n: 5, delay: 1, workers: 5},
        look: 'Five one-second downloads: about 5.0 s one after another, about 1.0 s with 5 threads or 5 asyncio tasks. The seed measured 5.20 s, 1.10 s and 1.05 s.',
      },
    },
    {
      kind: 'leaf',
      id: 'asyncio-gather',
      title: 'asyncio: one loop, gather the calls',
      recommendation:
        'Write the I/O path with `async`/`await` and the async client, run independent calls together with `asyncio.gather` or a `TaskGroup`, and cap concurrency with `asyncio.Semaphore`. Behind a server, several worker processes each run one loop (`uvicorn --workers 4`).',
      reasons: [
        'One thread serves many waiting calls: a waiting task costs about a kilobyte, not a thread.',
        'A request that needs three downstream calls takes as long as the slowest of them when they are gathered, instead of their sum.',
        'Everything on the path must be async: one `time.sleep` or `requests.get` inside a coroutine stops every task on the loop.',
      ],
      seed: {
        claim: 'With async libraries, asyncio gives the highest throughput on one machine, and one thread can handle tens of thousands of connections.',
        verdict: 'partly',
        today: 'For work that mostly waits, yes. But one loop uses one core, so the CPU work per request caps it; the seed’s own FastAPI example runs `uvicorn --workers 4` for that reason: processes for the cores, a loop in each for the waiting.',
      },
      changed: {
        freeThreading: 'A loop runs on one thread on either build; free-threading speeds up the work you hand to threads with `asyncio.to_thread`, not the loop.',
        subinterpreters: 'From 3.14 an `InterpreterPoolExecutor` works with `loop.run_in_executor` for CPU-heavy steps.',
        startMethod: `It matters only for processes your code starts itself (a process pool for CPU steps): with forkserver the Linux default from 3.14, create them under ${MAIN_GUARD}.`,
      },
      show: {
        scenario: 'aggregate-endpoint',
        preset: {n: 3, delay: 1},
        look: 'Three one-second downstream calls: about 3 s awaited one after another, about 1 s under `gather`.',
      },
    },
  ],
};

export const decisionTrees: readonly DecisionTree[] = [byWorkload, cpuOrIo];

export function findTree(id: string): DecisionTree | undefined {
  return decisionTrees.find((tree) => tree.id === id);
}

export function findNode(tree: DecisionTree, id: string): TreeNode | undefined {
  return tree.nodes.find((node) => node.id === id);
}

export interface Step {
  readonly question: Question;
  readonly answer: Answer;
}

export interface Position {
  /** The questions answered so far, in order. */
  readonly steps: readonly Step[];
  /** The question to answer next, or the leaf reached. */
  readonly current: TreeNode;
}

/**
 * Follows the answers from the root. Stops at the first answer that does not belong to the
 * question at hand (saved answers from an older version of the tree), and ignores any after a leaf.
 */
export function follow(tree: DecisionTree, answerIds: readonly string[]): Position {
  const root = findNode(tree, tree.root);
  if (root === undefined) throw new RangeError(`tree ${tree.id} has no root node "${tree.root}"`);
  const steps: Step[] = [];
  let current: TreeNode = root;
  for (const answerId of answerIds) {
    if (current.kind !== 'question') break;
    const answer = current.answers.find((candidate) => candidate.id === answerId);
    const next = answer && findNode(tree, answer.next);
    if (answer === undefined || next === undefined) break;
    steps.push({question: current, answer});
    current = next;
  }
  return {steps, current};
}

const ID_PATTERN = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;

/**
 * Everything wrong with a tree, as sentences; empty when it is sound. Checks that ids are unique
 * and well formed, that every answer leads to an existing node, that each node but the root is
 * reached by exactly one answer and from the root (so every path ends at a leaf, with no cycles
 * and nothing unreachable), and that every leaf names a scenario of `scenarios` with knob values
 * that scenario accepts.
 */
export function treeProblems(tree: DecisionTree, scenarios: readonly Scenario[]): string[] {
  const problems: string[] = [];
  if (!ID_PATTERN.test(tree.id)) problems.push(`tree id "${tree.id}" must be lower-case words joined by hyphens`);
  const byId = new Map<string, TreeNode>();
  for (const node of tree.nodes) {
    if (!ID_PATTERN.test(node.id)) problems.push(`node id "${node.id}" must be lower-case words joined by hyphens`);
    if (byId.has(node.id)) problems.push(`node id "${node.id}" is used twice`);
    else byId.set(node.id, node);
  }
  if (!byId.has(tree.root)) problems.push(`the root "${tree.root}" is not a node`);

  const parents = new Map<string, string[]>();
  for (const node of byId.values()) {
    if (node.kind === 'question') problems.push(...questionProblems(node, byId, parents));
    else problems.push(...leafProblems(node, scenarios));
  }
  for (const [id, from] of parents) {
    if (id === tree.root) problems.push(`the root "${id}" is also reached from ${from.join(', ')}`);
    else if (from.length > 1) problems.push(`node "${id}" is reached from ${from.length} answers (${from.join(', ')}); a tree gives each node one`);
  }
  // With every node but the root reached by exactly one answer, the nodes the root reaches form a
  // tree; any node outside it is unreachable (or sits on a cycle of its own).
  const reached = new Set<string>();
  const pending = byId.has(tree.root) ? [tree.root] : [];
  while (pending.length > 0) {
    const id = pending.pop()!;
    if (reached.has(id)) continue;
    reached.add(id);
    const node = byId.get(id);
    if (node?.kind === 'question') pending.push(...node.answers.map((answer) => answer.next).filter((next) => byId.has(next)));
  }
  for (const id of byId.keys()) if (!reached.has(id)) problems.push(`node "${id}" cannot be reached from the root`);
  return problems;
}

function questionProblems(question: Question, byId: ReadonlyMap<string, TreeNode>, parents: Map<string, string[]>): string[] {
  const problems: string[] = [];
  if (question.prompt.trim() === '' || question.short.trim() === '') problems.push(`question "${question.id}" needs a prompt and a short form`);
  if (question.answers.length < 2) problems.push(`question "${question.id}" has ${question.answers.length} answer(s); a choice needs at least 2`);
  const seen = new Set<string>();
  for (const answer of question.answers) {
    const where = `answer "${answer.id}" of question "${question.id}"`;
    if (!ID_PATTERN.test(answer.id)) problems.push(`${where}: the id must be lower-case words joined by hyphens`);
    if (seen.has(answer.id)) problems.push(`${where} is used twice in that question`);
    seen.add(answer.id);
    if (answer.label.trim() === '') problems.push(`${where} has no label`);
    if (!byId.has(answer.next)) problems.push(`${where} leads to "${answer.next}", which is not a node`);
    else parents.set(answer.next, [...(parents.get(answer.next) ?? []), `${question.id}/${answer.id}`]);
  }
  return problems;
}

function leafProblems(leaf: Leaf, scenarios: readonly Scenario[]): string[] {
  const problems: string[] = [];
  const where = `leaf "${leaf.id}"`;
  const texts = [leaf.title, leaf.recommendation, leaf.seed.claim, leaf.seed.today, leaf.show.look, leaf.changed.freeThreading, leaf.changed.subinterpreters, leaf.changed.startMethod];
  if (texts.some((text) => text.trim() === '')) problems.push(`${where} leaves a text empty (title, recommendation, seed check, what changed, what to look at)`);
  if (leaf.reasons.length === 0 || leaf.reasons.some((reason) => reason.trim() === '')) problems.push(`${where} needs at least one reason, none empty`);
  if (!(leaf.seed.verdict in verdictLabels)) problems.push(`${where} has an unknown verdict "${String(leaf.seed.verdict)}"`);

  const scenario = scenarios.find((candidate) => candidate.id === leaf.show.scenario);
  if (scenario === undefined) {
    problems.push(`${where} names scenario "${leaf.show.scenario}", which does not exist`);
    return problems;
  }
  const badValues = (Object.entries(leaf.show.preset) as [KnobName, number][])
    .filter(([name]) => knobNames.includes(name))
    .map(([name, value]) => [name, value, knobProblem(name, value)] as const)
    .filter(([, , problem]) => problem !== null);
  for (const [name, value, problem] of badValues) problems.push(`${where}: --${name} must be ${problem}, got ${String(value)}`);
  if (badValues.length === 0) {
    // The values are fine; what is left to check is that the scenario takes each knob.
    try {
      resolveParams(scenario, leaf.show.preset);
    } catch (error) {
      problems.push(`${where}: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
  const rows = leaf.show.rows ?? [];
  if (new Set(rows).size !== rows.length) problems.push(`${where} lists a row twice`);
  return problems;
}
