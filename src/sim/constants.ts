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

/** Pages a Python thread's stack actually touches (plus its PyThreadState). To calibrate: npm run calibrate. */
export const THREAD_STACK_RESIDENT_BYTES = 64 * KiB;

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
