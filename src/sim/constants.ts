/**
 * Every constant that turns work into time or memory, with where its value comes from.
 * "to calibrate: npm run calibrate" marks an estimate that a measurement of real CPython on
 * this kind of machine should replace. Times are integer microseconds, sizes bytes.
 */

const MiB = 1024 * 1024;
const KiB = 1024;

/** sys.getswitchinterval() default: 0.005 s (Python docs, sys.setswitchinterval). */
export const SWITCH_INTERVAL_US = 5000;

/**
 * How long a GIL holder running bytecode takes to notice a drop request. The eval breaker is
 * checked at function entry and backward jumps (Python/ceval.c, CHECK_EVAL_BREAKER), i.e. every
 * few bytecodes. To calibrate: npm run calibrate.
 */
export const EVAL_BREAKER_CHECK_US = 5;

/**
 * Time slice an OS scheduler gives a thread when others wait for its core. Linux EEVDF
 * (kernel/sched/fair.c, sysctl_sched_base_slice = 0.75 ms, scaled by 1 + ilog2(min(cpus, 8))
 * = 3 ms on 8 CPUs).
 */
export const OS_TIME_SLICE_US = 3000;

/** A core switching to a different thread (registers, TLB, cache warm-up). To calibrate: npm run calibrate. */
export const CONTEXT_SWITCH_US = 5;

/** threading.Thread.start(): pthread_create plus the wait for the new thread's `started` event. To calibrate: npm run calibrate. */
export const THREAD_START_US = 60;

/** Default pthread stack: RLIMIT_STACK, 8 MiB on Linux glibc (pthread_create(3), `ulimit -s` = 8192). Reserved, not resident. */
export const THREAD_STACK_RESERVE_BYTES = 8 * MiB;

/**
 * Pages an idle Python thread's stack actually touches, plus its PyThreadState: the rise in VmRSS
 * per thread for 1,000 threads blocked in Event.wait was 13.4–16.5 KiB here (npm run calibrate,
 * python3 3.11, 2026-11-23).
 */
export const THREAD_STACK_RESIDENT_BYTES = 15 * KiB;

/** Linux timer slack: a sleeping thread wakes up to 50 us late (prctl(2), PR_SET_TIMERSLACK default). */
export const TIMER_SLACK_US = 50;

/** Spread of a blocking I/O call's duration around its nominal latency. To calibrate: npm run calibrate. */
export const IO_JITTER_US = 200;

/**
 * threading.Lock fairness (3.13+ PyMutex, Python/lock.c TIME_TO_BE_FAIR_NS = 1 ms): a waiter that
 * has waited longer than this is handed the lock directly on release instead of racing for it.
 */
export const LOCK_FAIRNESS_US = 1000;

/** Building an HTTP request and parsing its response in Python (requests/urllib). To calibrate: npm run calibrate. */
export const HTTP_REQUEST_CPU_US = 2000;

/** One `print(...)` to a terminal, with the GIL held. To calibrate: npm run calibrate. */
export const PRINT_CPU_US = 10;

/** A few bytecodes such as `counter += 1` or `num2 = num`: below 1 us, rounded up to the clock's grain. */
export const SMALL_STATEMENT_CPU_US = 1;

// --- I/O multiplexing and asyncio (selectors.ts, asyncio/) ---

/**
 * Cost of one select/poll/epoll call from Python, in nanoseconds: a fixed part plus a part per
 * watched fd (select, poll: the fd sets or pollfd array are copied and every fd is polled each
 * call) or per ready fd (epoll_wait copies out only ready events). Measured here with python3 3.11
 * (select.select / select.poll().poll / select.epoll().poll, timeout 0, socketpairs, 10 ready):
 * select 2.4 us at 10 fds and 45 us at 400; poll 1.4 us and 19 us; epoll 1.0 us at 1 ready and
 * 19.6 us at 100 ready. To calibrate: npm run calibrate.
 */
export const SELECT_CALL_BASE_NS = 1300;
export const SELECT_PER_FD_NS = 110;
export const POLL_CALL_BASE_NS = 1000;
export const POLL_PER_FD_NS = 46;
export const EPOLL_CALL_BASE_NS = 860;
export const EPOLL_PER_READY_NS = 190;
/** epoll_ctl(EPOLL_CTL_ADD) from Python: paid once per registration. To calibrate: npm run calibrate. */
export const EPOLL_CTL_NS = 500;

/** FD_SETSIZE in glibc's <sys/select.h>: select() cannot watch an fd value >= 1024 (select(2), BUGS). */
export const FD_SETSIZE = 1024;

/** loop.slow_callback_duration default: 0.1 s (asyncio docs, "Debug mode"). */
export const SLOW_CALLBACK_DURATION_US = 100_000;

/** base_events.MAXIMUM_SELECT_TIMEOUT = 24 * 3600 s (Lib/asyncio/base_events.py). */
export const MAXIMUM_SELECT_TIMEOUT_US = 24 * 3600 * 1_000_000;

/**
 * Running one ready handle in _run_once (popleft, Handle._run, Context.run) plus one step of a
 * small coroutine (Task.__step). To calibrate: npm run calibrate.
 */
export const ASYNCIO_HANDLE_US = 5;

/**
 * Memory of one idle asyncio Task with its coroutine frame, waiting in asyncio.sleep (Task,
 * coroutine, sleep's Future and TimerHandle): 1,424 bytes measured here with tracemalloc over
 * 10,000 tasks (python3 3.11). A real handler's deeper frames weigh more. To calibrate: npm run calibrate.
 */
export const ASYNCIO_TASK_BYTES = 1424;

/**
 * An idle CPython process: VmSize 16,564 KiB (reserved) and RssAnon 6,864 KiB (private resident),
 * from /proc/self/status of `python3 -c ...` here (3.11). Shared library pages are counted once.
 * To calibrate: npm run calibrate.
 */
export const IDLE_PYTHON_PROCESS_RESERVED_BYTES = 16_564 * KiB;
export const IDLE_PYTHON_PROCESS_PRIVATE_BYTES = 6_864 * KiB;

// --- processes, pickling and pools (processes.ts, pools.ts) ---

/**
 * os.fork() in the parent: copying page tables and the fork handlers, with the GIL held.
 * Measured here (python3 3.11, 2 cores): Process(target=f).start()+join() with fork ≈ 3 ms in
 * all, most of it the child's exit. To calibrate: npm run calibrate.
 */
export const FORK_PARENT_US = 1000;

/** A forked child's own start-up before the target runs (after-fork hooks, _bootstrap). To calibrate: npm run calibrate. */
export const FORK_CHILD_BOOT_US = 1000;

/**
 * spawn: a fresh interpreter (Py_Initialize, site) that unpickles the Process and re-imports the
 * main module. Measured here: start()+join() of an empty target with spawn ≈ 75 ms. To calibrate: npm run calibrate.
 */
export const SPAWN_CHILD_BOOT_US = 70_000;

/** spawn in the parent: posix_spawn of the interpreter and pickling the Process to its pipe. To calibrate: npm run calibrate. */
export const SPAWN_PARENT_US = 2000;

/**
 * forkserver: a fork from the clean server process, which then re-imports the main module.
 * Measured here: start()+join() with a running server ≈ 15 ms. To calibrate: npm run calibrate.
 */
export const FORKSERVER_CHILD_BOOT_US = 12_000;

/** forkserver in the parent: connect to the server's socket and send the pickled Process. To calibrate: npm run calibrate. */
export const FORKSERVER_PARENT_US = 1000;

/** Starting the fork server itself (a spawned interpreter), paid once per program. Same cost as a spawn. */
export const FORKSERVER_SERVER_START_US = 70_000;

/**
 * A forked child shares its parent's pages copy-on-write; what becomes private at first is the
 * page tables, its stack and the pages refcount updates touch. To calibrate: npm run calibrate.
 */
export const FORK_CHILD_PRIVATE_BYTES = 2 * MiB;

/**
 * pickle.dumps + loads per byte of a typical object graph. Measured here: a list of 10^6 ints
 * (4.87 MB pickled) round-trips in 58 ms ≈ 12 ns/byte; a 10 MB bytes object in 8.7 ms ≈ 1 ns/byte.
 * Time in nanoseconds per byte. To calibrate: npm run calibrate.
 */
export const PICKLE_NS_PER_BYTE = 12;

/** Fixed cost of one pickle.dumps/loads call (framing, memo, the function's reference). To calibrate: npm run calibrate. */
export const PICKLE_CALL_US = 5;

/**
 * Moving bytes through a pipe between processes (os.write/os.read in 64 KiB pipe-buffer chunks,
 * a kernel copy each way). Nanoseconds per byte. Measured here (python3 3.11, fork, a child
 * sending bytes over Pipe(duplex=False)): 7.7 us per 100 B message, 12.4 us per 10 KiB, 3.1 ms
 * per 1 MiB. To calibrate: npm run calibrate.
 */
export const PIPE_NS_PER_BYTE = 1.5;

/** One message through a pipe: two system calls and waking the reader (see PIPE_NS_PER_BYTE). To calibrate: npm run calibrate. */
export const PIPE_MESSAGE_US = 4;

/**
 * How many bytes a pipe holds before write() blocks: 65,536 since Linux 2.6.11 (pipe(7), "Pipe
 * capacity"); measured here by filling an os.pipe() without reading. multiprocessing.Pipe(duplex=False)
 * and multiprocessing.Queue use one.
 */
export const PIPE_CAPACITY_BYTES = 64 * KiB;

/**
 * How many bytes a Unix socket pair holds before send() blocks: the send buffer, net.core.wmem_default
 * = 212,992 bytes here (/proc/sys/net/core/wmem_default); filling a socket.socketpair() without reading
 * took 180–228 KiB depending on the write size. multiprocessing.Pipe() (duplex) and a Manager's
 * connections use one.
 */
export const SOCKETPAIR_CAPACITY_BYTES = 212_992;

/**
 * multiprocessing.Queue.put hands the object to a feeder thread which pickles and writes it;
 * get() takes a lock and reads. The extra hop over Pipe. To calibrate: npm run calibrate.
 */
export const MP_QUEUE_EXTRA_US = 20;

/** Value/Array access: a multiprocessing.Lock (a POSIX semaphore) round trip plus a ctypes read. To calibrate: npm run calibrate. */
export const SHARED_VALUE_ACCESS_US = 1;

/**
 * Manager proxy: the server thread's dispatch of one call (managers.py Server.serve_client), on
 * top of the request and reply through the socket. Measured here: a ListProxy append from a child
 * plus a read from the parent ≈ 122 us per 100 B item (python3 3.11). To calibrate: npm run calibrate.
 */
export const MANAGER_DISPATCH_US = 25;

/**
 * Creating a subinterpreter with its own GIL (concurrent.interpreters.create(), Py_NewInterpreterFromConfig:
 * its own sys, builtins, site and import machinery), as InterpreterPoolExecutor does once per worker.
 * Measured here: _xxsubinterpreters.create() of python3 3.11 (an isolated interpreter) took a median of
 * 23–25 ms in three runs of 20, against 49 ms for a whole `python3 -c pass` (2 cores, load average
 * 6.5). Cross-check: on 3.13 "launching new subinterpreters is slower than launching new processes"
 * (discuss.python.org, "Expected performance characteristics of subinterpreters", 2024: 10,000
 * create + call + close took 11.1 s against 7.3 s for 10,000 processes). To calibrate: npm run calibrate.
 */
export const INTERPRETER_START_US = 24_000;

/** Closing a subinterpreter (Interpreter.close(), Py_EndInterpreter). Measured here: _xxsubinterpreters.destroy() median 3.2–4.0 ms (python3 3.11). To calibrate: npm run calibrate. */
export const INTERPRETER_CLOSE_US = 3_600;

/** Future bookkeeping in a pool: taking the work item off the queue, setting the result, notifying. To calibrate: npm run calibrate. */
export const POOL_TASK_OVERHEAD_US = 20;

/**
 * One factorize(112272535095293) by trial division (seeds 003/004): seed 004 reports ~12.0 s for 8
 * serially, 1.5 s each; measured here 1.10 s (python3 3.11). The seed's per-task time is kept so
 * that scenario rows compare with its figures; the ratios do not depend on it.
 */
export const FACTORIZE_TASK_CPU_US = 1_500_000;

/** Copying bytes into or out of shared memory (multiprocessing.Array, a ctypes buffer): memcpy speed. To calibrate: npm run calibrate. */
export const SHARED_MEMORY_NS_PER_BYTE = 0.1;

/**
 * pickle.dumps + loads per byte of a bytes object (one memcpy each way). Measured here: a 10 MB
 * bytes object round-trips in 8.7 ms (python3 3.11). Nanoseconds per byte. To calibrate: npm run calibrate.
 */
export const PICKLE_RAW_BYTES_NS_PER_BYTE = 0.9;

/** request-timeline: Python work before and after a request's wait (parse, then render); illustrative, to calibrate: npm run calibrate. */
export const REQUEST_PRE_CPU_US = 100_000;
export const REQUEST_POST_CPU_US = 100_000;

/** prefork-server: Python work per request in a worker (routing, validation, JSON), as a small FastAPI handler; to calibrate: npm run calibrate. */
export const PREFORK_REQUEST_CPU_US = 1000;

/**
 * Single-thread slowdown of the free-threaded build on pyperformance, as a fraction of the GIL
 * build's time: 3.13t "about 40% on the pyperformance suite" (3.13 HOWTO "Python experimental
 * support for free threading", Single-Threaded Performance); 3.14t "roughly 5-10%, depending on
 * the platform and C compiler used" (What's New in Python 3.14), which the 3.14 HOWTO puts at
 * "about 1% on macOS aarch64 to 8% on x86-64 Linux": 8% here, the platform this course measures on.
 */
export const FREE_THREADED_SINGLE_THREAD_SLOWDOWN = {'3.13': 0.4, '3.14': 0.08} as const;
