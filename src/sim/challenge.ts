/**
 * "Be the scheduler": small threaded Python programs that the learner runs one atomic step at a
 * time, choosing which thread goes next, until an assertion fails, a thread raises or the threads
 * deadlock. Levels: a lost update, a check-then-act overdraft, two locks taken in opposite orders,
 * a Condition waited on with `if` instead of `while`, and a locked counter that cannot be broken.
 *
 * Why a small interpreter of its own rather than the Machine (machine.ts): a Machine runs a whole
 * program inside one run() call, and its threads are JavaScript generators closing over
 * JavaScript variables, so a state half-way through can be neither copied, saved nor undone, only
 * replayed from the start; and its choice points (the explorer's chooser) come at its own step
 * boundaries, after GIL and time-slice decisions this game leaves out. Here a state is plain JSON:
 * per thread a program counter into a list of steps, plus the shared variables, the locks and the
 * condition's waiters, so the page can keep a history for undo and send states to and from the
 * simulation Worker.
 *
 * The semantics are those of locks.ts and sync.ts (CPython's Modules/_threadmodule.c and
 * Lib/threading.py), without time:
 * - Lock / RLock: acquire() takes a free lock or parks the thread in a FIFO queue; release()
 *   wakes the first parked thread, which races for the lock again when it next runs (CPython's
 *   1 ms fairness hand-off needs a clock, and there is none here). Errors: RuntimeError('release
 *   unlocked lock'), RuntimeError('cannot release un-acquired lock').
 * - Condition (an RLock inside, as threading.Condition() makes): wait() needs the lock
 *   (RuntimeError('cannot wait on un-acquired lock')), enlists, releases the lock completely and
 *   parks; notify() (RuntimeError('cannot notify on un-acquired lock') without the lock) moves the
 *   first waiter to the lock's queue, since wait() must re-acquire the lock before it returns.
 * - `x += 1` on a global is LOAD_GLOBAL, BINARY_OP (with LOAD_CONST / LOAD_FAST for the operand)
 *   and STORE_GLOBAL, as `dis` shows for CPython 3.11-3.14; the learner may run it whole or
 *   "expanded", one instruction per step.
 * - A deadlock is reported with its cycle in the wait-for graph, as locks.ts's waitForCycle does.
 *
 * API: levels(), startLevel(id), step(state, threadName), setExpanded(state, on), choices(state).
 * Every function returns a new state and never changes the one it was given.
 */
import {PythonError, RuntimeError} from './errors';
import type {WaitForEdge} from './locks';

/** A Python value in the shared state or a thread's locals: an int, a str or a list of str. */
export type PyValue = number | string | string[];

type Operand = {global: string} | {local: string} | {const: number};

type Test = {kind: 'at-least'; left: Operand; right: Operand} | {kind: 'empty'; list: string};

/** One step of a thread's program; `line` indexes the thread's source lines. */
type Instruction =
  | {kind: 'augassign'; line: number; target: string; operator: '+=' | '-='; operand: Operand}
  | {kind: 'if'; line: number; test: Test; orElse: number}
  | {kind: 'acquire'; line: number; lock: string}
  | {kind: 'release'; line: number; lock: string}
  | {kind: 'wait'; line: number; condition: string}
  | {kind: 'notify'; line: number; condition: string}
  | {kind: 'append'; line: number; list: string; item: string}
  | {kind: 'pop'; line: number; list: string; into: string};

interface ThreadDefinition {
  name: string;
  /** How the main program starts it, e.g. `withdraw(80)`. */
  call: string;
  source: string[];
  program: Instruction[];
  locals?: {[name: string]: PyValue};
}

/** What the page shows of a level: everything but the programs and the check. Texts mark code with backticks, as Markdown does. */
export interface LevelInfo {
  id: string;
  title: string;
  /** `break`: make it fail. `hold`: a fixed version; play it to the end and see it hold. */
  goal: 'break' | 'hold';
  /** The task, in a sentence or two. */
  task: string;
  /** A nudge shown when a game ends without breaking a `break` level. */
  hint: string;
  /** Module-level code run before the threads start. */
  setup: string[];
  threads: Array<{name: string; call: string; source: string[]}>;
  /** What the main thread does: start, join, assert. */
  finale: string[];
  /** Paragraphs shown once the level is solved: what went wrong (or right) in real code. */
  lesson: string[];
  /** The repaired code, for a `break` level; for a `hold` level, the code it repairs. */
  fix: string;
}

interface LevelDefinition extends LevelInfo {
  threads: ThreadDefinition[];
  shared: {[name: string]: PyValue};
  locks: {[name: string]: 'Lock' | 'RLock'};
  conditions: {[name: string]: {lock: string}};
  /** The main thread's final assertion: the failure message, or null when it holds. */
  check: (shared: {readonly [name: string]: PyValue}) => string | null;
  /** Said when every thread finished and the check held. */
  held: (shared: {readonly [name: string]: PyValue}) => string;
}

export type BlockedOn = {kind: 'lock'; name: string; heldBy: string | null} | {kind: 'condition'; name: string};

export interface ChallengeThread {
  name: string;
  /** Index of the next instruction; the program's length once the thread is done. */
  pc: number;
  /** Inside an instruction: the next bytecode of an expanded `+=` (0-2), or 1 when a wait() must re-acquire its lock. */
  micro: number;
  /** The value stack of a `+=` under way: what LOAD_GLOBAL pushed, then what BINARY_OP computed. */
  stack: number[];
  locals: {[name: string]: PyValue};
  status: 'ready' | 'blocked' | 'done' | 'raised';
  blockedOn: BlockedOn | null;
  /** Recursion levels of the Condition's RLock that wait() released and must restore. */
  savedLevels: number;
  /** The source line of the next step (null once done). */
  line: number | null;
  /** What running this thread does next, in words. */
  next: string | null;
  /** The bytecode of the `+=` it is at, when shown expanded or left half-done; `at` is the next one. */
  bytecode: {instructions: string[]; at: number} | null;
}

export interface LockState {
  kind: 'Lock' | 'RLock';
  owner: string | null;
  /** An RLock's recursion depth (a Lock's is 0 or 1). */
  count: number;
  /** Parked threads, first to be woken first. */
  waiters: string[];
}

export interface LogEntry {
  thread: string;
  text: string;
}

export type Outcome = 'playing' | 'won' | 'stuck';

export interface Failure {
  kind: 'assertion' | 'exception' | 'deadlock';
  /** The wait-for cycle of a deadlock; null for a thread stuck without one. */
  cycle: WaitForEdge[] | null;
}

export interface ChallengeState {
  level: string;
  expanded: boolean;
  threads: ChallengeThread[];
  shared: {[name: string]: PyValue};
  locks: {[name: string]: LockState};
  conditions: {[name: string]: {lock: string; waiters: string[]}};
  log: LogEntry[];
  /** Steps run so far. */
  moves: number;
  /** The threads that can run the next step (choices(state)). */
  runnable: string[];
  /** `won`: an assertion failed, a thread raised or the threads deadlocked. `stuck`: every thread finished and the assertion held. */
  outcome: Outcome;
  reason: string | null;
  failure: Failure | null;
  /** The level's goal is met: broken for a `break` level, played to the end for a `hold` level. */
  solved: boolean;
}

/** An exception raised by a thread's own step (as opposed to a misuse of this API). */
class IndexError extends PythonError {
  constructor(message: string) {
    super('IndexError', message);
  }
}

// --- the levels ----------------------------------------------------------------------------

const counterFinale = [
  'threads = [threading.Thread(target=work, name=n) for n in ("T1", "T2")]',
  'for t in threads: t.start()',
  'for t in threads: t.join()',
  'assert counter == 2',
];

const counterCheck = (shared: {readonly [name: string]: PyValue}): string | null =>
  shared.counter === 2 ? null : `AssertionError: assert counter == 2 failed, counter is ${String(shared.counter)}`;

const add = (line: number, target: string, operator: '+=' | '-=', operand: Operand): Instruction => ({kind: 'augassign', line, target, operator, operand});

const LEVELS: readonly LevelDefinition[] = [
  {
    id: 'lost-update',
    title: 'The lost update',
    goal: 'break',
    task: 'Two threads each add 1 to `counter`. Schedule them so that the main thread’s `assert counter == 2` fails.',
    hint: 'Run whole, `counter += 1` cannot be split. Tick “expand `x += 1`” and let both threads read `counter` before either writes it back.',
    setup: ['import threading', '', 'counter = 0'],
    threads: ['T1', 'T2'].map((name): ThreadDefinition => ({
      name,
      call: 'work()',
      source: ['def work():', '    global counter', '    counter += 1'],
      program: [add(2, 'counter', '+=', {const: 1})],
    })),
    finale: counterFinale,
    shared: {counter: 0},
    locks: {},
    conditions: {},
    check: counterCheck,
    held: (shared) => `counter ended at ${String(shared.counter)}, because each thread read, added and wrote back before the other read.`,
    lesson: [
      '`counter += 1` is not one step. CPython compiles it to `LOAD_GLOBAL counter`, `BINARY_OP (+=)` and `STORE_GLOBAL counter` (`dis.dis(work)` shows them). Both threads loaded 0, both computed 1, and the second store wrote 1 over the first: one increment vanished, and nothing raised an error.',
      'How often this bites in real Python depends on the build. The standard (GIL) build of recent versions lets another thread in only at a few kinds of instruction (a call, the start of a function, the jump back at the end of a loop), and none sits inside `counter += 1` on an int, so this exact race is hard to catch there; it appears as soon as something between the read and the write calls a function (a log call, a property, an `__add__` written in Python). The free-threaded build (3.13t, 3.14t) runs two threads’ instructions at the same moment on two cores, and the interleaving you just played happens for real. The language promises nothing either way: protect shared data with a lock.',
    ],
    fix: ['lock = threading.Lock()', '', 'def work():', '    global counter', '    with lock:', '        counter += 1'].join('\n'),
  },
  {
    id: 'overdraft',
    title: 'Check, then act',
    goal: 'break',
    task: 'The account holds 100. T1 withdraws 80, T2 withdraws 50, and `withdraw()` refuses to overdraw. Make the balance go negative.',
    hint: 'Each thread checks the balance, then subtracts. What if both check before either subtracts?',
    setup: ['import threading', '', 'balance = 100'],
    threads: [
      {name: 'T1', amount: 80},
      {name: 'T2', amount: 50},
    ].map(({name, amount}): ThreadDefinition => ({
      name,
      call: `withdraw(${amount})`,
      source: ['def withdraw(amount):', '    global balance', '    if balance >= amount:', '        balance -= amount'],
      locals: {amount},
      program: [{kind: 'if', line: 2, test: {kind: 'at-least', left: {global: 'balance'}, right: {local: 'amount'}}, orElse: 2}, add(3, 'balance', '-=', {local: 'amount'})],
    })),
    finale: [
      'threads = [threading.Thread(target=withdraw, args=(a,), name=n) for n, a in (("T1", 80), ("T2", 50))]',
      'for t in threads: t.start()',
      'for t in threads: t.join()',
      'assert balance >= 0',
    ],
    shared: {balance: 100},
    locks: {},
    conditions: {},
    check: (shared) => (Number(shared.balance) >= 0 ? null : `AssertionError: assert balance >= 0 failed, balance is ${String(shared.balance)}`),
    held: (shared) => `the balance ended at ${String(shared.balance)}, because one withdrawal was refused or ran after the other had finished.`,
    lesson: [
      'Both threads checked `balance >= amount` while the balance was still 100, and both went on to subtract: 100 − 80 − 50 = −30. Each line is correct on its own; the check and the act together are not, because another thread can run between them. This is a check-then-act race, and it needs no `+=` trick at all.',
      'The fix is one lock held across both: the check and the act become a single step as far as other threads are concerned. A lock only protects code that takes it, so every function that touches `balance` must use the same lock.',
    ],
    fix: ['lock = threading.Lock()', '', 'def withdraw(amount):', '    global balance', '    with lock:', '        if balance >= amount:', '            balance -= amount'].join('\n'),
  },
  {
    id: 'lock-order',
    title: 'Two locks, two orders',
    goal: 'break',
    task: 'Each payment locks both accounts before moving money, but the two functions lock them in opposite orders. Make the program hang.',
    hint: 'Let each thread take its first lock before either takes its second.',
    setup: ['import threading', '', 'alice = 100', 'bob = 100', 'alice_lock = threading.Lock()', 'bob_lock = threading.Lock()'],
    threads: [
      {
        name: 'T1',
        call: 'pay_bob()',
        source: ['def pay_bob():', '    global alice, bob', '    with alice_lock:', '        with bob_lock:', '            alice -= 10', '            bob += 10'],
        program: [
          {kind: 'acquire', line: 2, lock: 'alice_lock'},
          {kind: 'acquire', line: 3, lock: 'bob_lock'},
          add(4, 'alice', '-=', {const: 10}),
          add(5, 'bob', '+=', {const: 10}),
          {kind: 'release', line: 3, lock: 'bob_lock'},
          {kind: 'release', line: 2, lock: 'alice_lock'},
        ],
      },
      {
        name: 'T2',
        call: 'pay_alice()',
        source: ['def pay_alice():', '    global alice, bob', '    with bob_lock:', '        with alice_lock:', '            bob -= 5', '            alice += 5'],
        program: [
          {kind: 'acquire', line: 2, lock: 'bob_lock'},
          {kind: 'acquire', line: 3, lock: 'alice_lock'},
          add(4, 'bob', '-=', {const: 5}),
          add(5, 'alice', '+=', {const: 5}),
          {kind: 'release', line: 3, lock: 'alice_lock'},
          {kind: 'release', line: 2, lock: 'bob_lock'},
        ],
      },
    ],
    finale: [
      't1 = threading.Thread(target=pay_bob, name="T1")',
      't2 = threading.Thread(target=pay_alice, name="T2")',
      't1.start(); t2.start()',
      't1.join(); t2.join()',
      'assert alice + bob == 200',
    ],
    shared: {alice: 100, bob: 100},
    locks: {alice_lock: 'Lock', bob_lock: 'Lock'},
    conditions: {},
    check: (shared) => {
      const total = Number(shared.alice) + Number(shared.bob);
      return total === 200 ? null : `AssertionError: assert alice + bob == 200 failed, the total is ${total}`;
    },
    held: (shared) => `alice ended at ${String(shared.alice)} and bob at ${String(shared.bob)}, because one payment finished before the other took its second lock.`,
    lesson: [
      'T1 holds `alice_lock` and waits for `bob_lock`; T2 holds `bob_lock` and waits for `alice_lock`. Each waits for the other to let go, and neither ever will: a cycle in the wait-for graph, so the program hangs in `join()` with no error message and no CPU use.',
      'The cure is one order for every lock in the program: if every function takes `alice_lock` before `bob_lock`, no cycle can form (when the locks are chosen at run time, sort them by a stable key first). `acquire(timeout=…)` only turns the hang into a failure you must handle.',
    ],
    fix: ['def pay_alice():', '    global alice, bob', '    with alice_lock:      # the same order as pay_bob', '        with bob_lock:', '            bob -= 5', '            alice += 5'].join('\n'),
  },
  {
    id: 'stolen-wakeup',
    title: '`if` instead of `while`',
    goal: 'break',
    task: 'Two consumers wait for jobs that a producer adds, one at a time, under a `Condition`. Make a consumer crash.',
    hint: 'Put a consumer to sleep in `cond.wait()`, let the producer add a job and notify it, then let the other consumer reach the lock first.',
    setup: ['import threading', '', 'jobs = []', 'cond = threading.Condition()'],
    threads: [
      ...['C1', 'C2'].map((name): ThreadDefinition => ({
        name,
        call: 'consume()',
        source: ['def consume():', '    with cond:', '        if not jobs:', '            cond.wait()', '        job = jobs.pop(0)'],
        program: [
          {kind: 'acquire', line: 1, lock: 'cond'},
          {kind: 'if', line: 2, test: {kind: 'empty', list: 'jobs'}, orElse: 3},
          {kind: 'wait', line: 3, condition: 'cond'},
          {kind: 'pop', line: 4, list: 'jobs', into: 'job'},
          {kind: 'release', line: 1, lock: 'cond'},
        ],
      })),
      {
        name: 'P',
        call: 'produce()',
        source: ['def produce():', '    with cond:', '        jobs.append("a")', '        cond.notify()', '    with cond:', '        jobs.append("b")', '        cond.notify()'],
        program: [
          {kind: 'acquire', line: 1, lock: 'cond'},
          {kind: 'append', line: 2, list: 'jobs', item: 'a'},
          {kind: 'notify', line: 3, condition: 'cond'},
          {kind: 'release', line: 1, lock: 'cond'},
          {kind: 'acquire', line: 4, lock: 'cond'},
          {kind: 'append', line: 5, list: 'jobs', item: 'b'},
          {kind: 'notify', line: 6, condition: 'cond'},
          {kind: 'release', line: 4, lock: 'cond'},
        ],
      },
    ],
    finale: [
      'threads = [threading.Thread(target=f, name=n) for f, n in ((consume, "C1"), (consume, "C2"), (produce, "P"))]',
      'for t in threads: t.start()',
      'for t in threads: t.join()',
    ],
    shared: {jobs: []},
    locks: {cond: 'RLock'},
    conditions: {cond: {lock: 'cond'}},
    check: () => null,
    held: () => 'each consumer got a job, because whenever a consumer woke up from `wait()` its job was still there.',
    lesson: [
      'The producer’s `notify()` woke the sleeping consumer, but waking up is not running: `wait()` must get the lock back before it returns, and the other consumer took the lock first, found the job and popped it. When the sleeper finally returned from `wait()`, the `if` had already been checked, so it popped from an empty list.',
      'Python’s documentation says it plainly: check the condition in a `while` loop, because `wait()` can return when the condition no longer holds. `while not jobs: cond.wait()` (or `cond.wait_for(lambda: jobs)`) re-checks after every wake-up and goes back to sleep when the job is gone.',
    ],
    fix: ['def consume():', '    with cond:', '        while not jobs:      # re-check after every wake-up', '            cond.wait()', '        job = jobs.pop(0)'].join('\n'),
  },
  {
    id: 'locked-counter',
    title: 'The lock holds',
    goal: 'hold',
    task: 'The lost update again, with a lock around `counter += 1`. Try every order you like, expanded or not: play to the end and see the assertion hold.',
    hint: '',
    setup: ['import threading', '', 'counter = 0', 'lock = threading.Lock()'],
    threads: ['T1', 'T2'].map((name): ThreadDefinition => ({
      name,
      call: 'work()',
      source: ['def work():', '    global counter', '    with lock:', '        counter += 1'],
      program: [{kind: 'acquire', line: 2, lock: 'lock'}, add(3, 'counter', '+=', {const: 1}), {kind: 'release', line: 2, lock: 'lock'}],
    })),
    finale: counterFinale,
    shared: {counter: 0},
    locks: {lock: 'Lock'},
    conditions: {},
    check: counterCheck,
    held: () => 'counter ended at 2, as it must in every order: the lock made each read-add-write whole.',
    lesson: [
      'Whichever thread takes the lock first runs all three bytecodes of `counter += 1` while the other is parked in `acquire()`: the other cannot even load `counter` until the first has stored it. The course’s tests search every interleaving of this level, expanded or not, and none breaks the assertion.',
      'A lock does not make the code atomic for the machine: the interpreter may still switch threads between those bytecodes. It makes them atomic for every other thread that takes the same lock, which is all that matters here.',
    ],
    fix: ['def work():', '    global counter', '    counter += 1      # without the lock: see “The lost update”'].join('\n'),
  },
];

function levelOf(id: unknown, parameter: string): LevelDefinition {
  const level = LEVELS.find((candidate) => candidate.id === id);
  if (level === undefined) throw new RangeError(`${parameter} must be one of ${LEVELS.map((l) => l.id).join(', ')}, got ${JSON.stringify(id)}`);
  return level;
}

/** Every level, in order, as the page shows it. */
export function levels(): LevelInfo[] {
  return LEVELS.map(({id, title, goal, task, hint, setup, threads, finale, lesson, fix}) => ({
    id,
    title,
    goal,
    task,
    hint,
    setup,
    threads: threads.map(({name, call, source}) => ({name, call, source})),
    finale,
    lesson,
    fix,
  }));
}

// --- describing steps ----------------------------------------------------------------------

/** Python's repr() of a value. */
export function pyRepr(value: PyValue): string {
  if (typeof value === 'number') return String(value);
  if (typeof value === 'string') return `'${value}'`;
  return `[${value.map(pyRepr).join(', ')}]`;
}

const operandSource = (operand: Operand): string => ('global' in operand ? operand.global : 'local' in operand ? operand.local : String(operand.const));

/** The bytecode of `target op= operand` in a function that declares target global. */
function bytecodeOf(instruction: Extract<Instruction, {kind: 'augassign'}>): string[] {
  const {operand} = instruction;
  const load = 'const' in operand ? `LOAD_CONST ${operand.const}` : 'local' in operand ? `LOAD_FAST ${operand.local}` : `LOAD_GLOBAL ${operand.global}`;
  return [`LOAD_GLOBAL ${instruction.target}`, `${load} · BINARY_OP ${instruction.operator}`, `STORE_GLOBAL ${instruction.target}`];
}

function testSource(test: Test): string {
  return test.kind === 'empty' ? `not ${test.list}` : `${operandSource(test.left)} >= ${operandSource(test.right)}`;
}

function nextStepText(level: LevelDefinition, state: ChallengeState, thread: ChallengeThread): string | null {
  const program = programOf(level, thread.name);
  if (thread.pc >= program.length || thread.status === 'done' || thread.status === 'raised') return null;
  const instruction = program[thread.pc];
  switch (instruction.kind) {
    case 'augassign': {
      const source = `${instruction.target} ${instruction.operator} ${operandSource(instruction.operand)}`;
      if (state.expanded) return bytecodeOf(instruction)[thread.micro];
      return thread.micro === 0 ? source : `finish ${source} (${bytecodeOf(instruction).slice(thread.micro).join(', ')})`;
    }
    case 'if':
      return `if ${testSource(instruction.test)}`;
    case 'acquire':
      return `with ${instruction.lock}: acquire ${instruction.lock}`;
    case 'release':
      return `leave with ${instruction.lock}: release ${instruction.lock}`;
    case 'wait':
      return thread.micro === 0 ? `${instruction.condition}.wait(): release the lock and sleep` : `${instruction.condition}.wait(): re-acquire the lock and return`;
    case 'notify':
      return `${instruction.condition}.notify()`;
    case 'append':
      return `${instruction.list}.append(${pyRepr(instruction.item)})`;
    case 'pop':
      return `${instruction.into} = ${instruction.list}.pop(0)`;
  }
}

// --- running a step ------------------------------------------------------------------------

function programOf(level: LevelDefinition, thread: string): Instruction[] {
  return level.threads.find((definition) => definition.name === thread)!.program;
}

function valueOf(operand: Operand, state: ChallengeState, thread: ChallengeThread): number {
  const value = 'global' in operand ? state.shared[operand.global] : 'local' in operand ? thread.locals[operand.local] : operand.const;
  if (typeof value !== 'number') throw new TypeError(`${operandSource(operand)} is not a number`);
  return value;
}

function listOf(state: ChallengeState, name: string): string[] {
  const value = state.shared[name];
  if (!Array.isArray(value)) throw new TypeError(`${name} is not a list`);
  return value;
}

/** A mutable working copy: step() changes the copy, never its argument. */
function copy(state: ChallengeState): ChallengeState {
  return JSON.parse(JSON.stringify(state)) as ChallengeState;
}

function say(state: ChallengeState, thread: string, text: string): void {
  state.log.push({thread, text});
}

/** Lock.acquire / RLock.acquire: true if the thread now holds it; otherwise it is parked. */
function acquire(state: ChallengeState, thread: ChallengeThread, name: string): boolean {
  const lock = state.locks[name];
  if (lock.owner === null || (lock.kind === 'RLock' && lock.owner === thread.name)) {
    lock.owner = thread.name;
    lock.count += 1;
    return true;
  }
  if (!lock.waiters.includes(thread.name)) lock.waiters.push(thread.name);
  thread.status = 'blocked';
  thread.blockedOn = {kind: 'lock', name, heldBy: lock.owner};
  return false;
}

/** Release one level (`depth` levels of an RLock); returns the parked thread woken, if any. */
function release(state: ChallengeState, thread: ChallengeThread, name: string, depth = 1): string | null {
  const lock = state.locks[name];
  if (lock.kind === 'Lock' && lock.owner === null) throw new RuntimeError('release unlocked lock');
  if (lock.kind === 'RLock' && lock.owner !== thread.name) throw new RuntimeError('cannot release un-acquired lock');
  lock.count -= depth;
  if (lock.count > 0) return null;
  lock.count = 0;
  lock.owner = null;
  const woken = lock.waiters.shift() ?? null;
  if (woken !== null) {
    const parked = state.threads.find((t) => t.name === woken)!;
    parked.status = 'ready';
    parked.blockedOn = null;
  }
  return woken;
}

/** Condition._is_owned: its RLock must be held by this thread. */
function ownsConditionLock(state: ChallengeState, thread: ChallengeThread, condition: string): boolean {
  return state.locks[state.conditions[condition].lock].owner === thread.name;
}

const wakes = (woken: string | null): string => (woken === null ? '' : `; ${woken} wakes up and will try again`);

/** Perform the thread's next step on the working copy. Python errors propagate to the caller. */
function perform(level: LevelDefinition, state: ChallengeState, thread: ChallengeThread): void {
  const instruction = programOf(level, thread.name)[thread.pc];
  const advance = () => {
    thread.pc += 1;
    thread.micro = 0;
  };
  switch (instruction.kind) {
    case 'augassign': {
      const {target, operator, operand} = instruction;
      const compute = (read: number) => (operator === '+=' ? read + valueOf(operand, state, thread) : read - valueOf(operand, state, thread));
      const source = `${target} ${operator} ${operandSource(operand)}`;
      if (!state.expanded) {
        // Whole (or the rest of it, when the learner switched expansion off half-way).
        const read = thread.micro === 0 ? valueOf({global: target}, state, thread) : thread.stack[0];
        const result = thread.micro === 2 ? thread.stack[0] : compute(read);
        const was = state.shared[target];
        state.shared[target] = result;
        thread.stack = [];
        const detail = thread.micro === 0 ? `reads ${read}, writes ${result}` : `writes ${result} (${target} was ${pyRepr(was)})`;
        say(state, thread.name, `${thread.micro === 0 ? '' : 'finishes '}${source}: ${detail}`);
        advance();
        return;
      }
      const [load, binary, store] = bytecodeOf(instruction);
      if (thread.micro === 0) {
        const read = valueOf({global: target}, state, thread);
        thread.stack = [read];
        say(state, thread.name, `${load}: reads ${read} onto its own stack`);
        thread.micro = 1;
      } else if (thread.micro === 1) {
        const result = compute(thread.stack[0]);
        say(state, thread.name, `${binary}: computes ${result} (not stored yet)`);
        thread.stack = [result];
        thread.micro = 2;
      } else {
        const was = state.shared[target];
        state.shared[target] = thread.stack[0];
        say(state, thread.name, `${store}: writes ${thread.stack[0]} (${target} was ${pyRepr(was)})`);
        thread.stack = [];
        advance();
      }
      return;
    }
    case 'if': {
      const {test} = instruction;
      let holds: boolean;
      let shown: string;
      if (test.kind === 'empty') {
        const list = listOf(state, test.list);
        holds = list.length === 0;
        shown = `${test.list} is ${pyRepr(list)}`;
      } else {
        const left = valueOf(test.left, state, thread);
        const right = valueOf(test.right, state, thread);
        holds = left >= right;
        shown = `${left} >= ${right}`;
      }
      say(state, thread.name, `if ${testSource(test)}: ${shown}, so ${holds ? 'True' : 'False'}`);
      if (holds) advance();
      else {
        thread.pc = instruction.orElse;
        thread.micro = 0;
      }
      return;
    }
    case 'acquire':
      if (acquire(state, thread, instruction.lock)) {
        say(state, thread.name, `with ${instruction.lock}: acquires ${instruction.lock}`);
        advance();
      } else {
        say(state, thread.name, `with ${instruction.lock}: ${instruction.lock} is held by ${state.locks[instruction.lock].owner}, so ${thread.name} blocks`);
      }
      return;
    case 'release': {
      const woken = release(state, thread, instruction.lock);
      say(state, thread.name, `leaves with ${instruction.lock}: releases ${instruction.lock}${wakes(woken)}`);
      advance();
      return;
    }
    case 'wait': {
      const {condition} = instruction;
      const lockName = state.conditions[condition].lock;
      if (thread.micro === 0) {
        if (!ownsConditionLock(state, thread, condition)) throw new RuntimeError('cannot wait on un-acquired lock');
        // Enlist before letting go of the lock, so that a notify in between is not lost.
        state.conditions[condition].waiters.push(thread.name);
        thread.savedLevels = state.locks[lockName].count;
        const woken = release(state, thread, lockName, thread.savedLevels);
        thread.status = 'blocked';
        thread.blockedOn = {kind: 'condition', name: condition};
        thread.micro = 1;
        say(state, thread.name, `${condition}.wait(): releases ${condition}'s lock and sleeps until notified${wakes(woken)}`);
        return;
      }
      if (acquire(state, thread, lockName)) {
        state.locks[lockName].count = thread.savedLevels;
        thread.savedLevels = 0;
        say(state, thread.name, `${condition}.wait() returns: ${thread.name} has ${condition}'s lock again`);
        advance();
      } else {
        say(state, thread.name, `${condition}.wait(): ${condition}'s lock is held by ${state.locks[lockName].owner}, so ${thread.name} blocks again`);
      }
      return;
    }
    case 'notify': {
      const {condition} = instruction;
      if (!ownsConditionLock(state, thread, condition)) throw new RuntimeError('cannot notify on un-acquired lock');
      const woken = state.conditions[condition].waiters.shift();
      if (woken === undefined) {
        say(state, thread.name, `${condition}.notify(): nobody is waiting, so it does nothing`);
      } else {
        // The woken thread's wait() must re-acquire the lock, which the notifier holds.
        const sleeper = state.threads.find((t) => t.name === woken)!;
        const lockName = state.conditions[condition].lock;
        state.locks[lockName].waiters.push(woken);
        sleeper.blockedOn = {kind: 'lock', name: lockName, heldBy: thread.name};
        say(state, thread.name, `${condition}.notify(): wakes ${woken}, which now waits for ${condition}'s lock`);
      }
      advance();
      return;
    }
    case 'append': {
      const list = listOf(state, instruction.list);
      list.push(instruction.item);
      say(state, thread.name, `${instruction.list}.append(${pyRepr(instruction.item)}): ${instruction.list} is ${pyRepr(list)}`);
      advance();
      return;
    }
    case 'pop': {
      const list = listOf(state, instruction.list);
      if (list.length === 0) throw new IndexError('pop from empty list');
      const item = list.shift()!;
      thread.locals[instruction.into] = item;
      say(state, thread.name, `${instruction.into} = ${instruction.list}.pop(0): takes ${pyRepr(item)}`);
      advance();
      return;
    }
  }
}

/** Who holds which locks, for the deadlock report. */
function locksHeldBy(state: ChallengeState, thread: string): string[] {
  return Object.entries(state.locks)
    .filter(([, lock]) => lock.owner === thread)
    .map(([name]) => name);
}

/** The cycle in the wait-for graph of the blocked threads, as locks.ts's waitForCycle finds it. */
function waitCycle(state: ChallengeState): WaitForEdge[] | null {
  const edgeOf = (name: string): WaitForEdge | null => {
    const thread = state.threads.find((t) => t.name === name)!;
    if (thread.status !== 'blocked' || thread.blockedOn?.kind !== 'lock') return null;
    const owner = state.locks[thread.blockedOn.name].owner;
    return owner === null ? null : {thread: name, waitsFor: {kind: 'lock', name: thread.blockedOn.name}, heldBy: owner};
  };
  for (const start of state.threads) {
    const path: string[] = [];
    let current: string | null = start.name;
    while (current !== null && !path.includes(current)) {
      path.push(current);
      current = edgeOf(current)?.heldBy ?? null;
    }
    if (current !== null) return path.slice(path.indexOf(current)).map((name) => edgeOf(name)!);
  }
  return null;
}

/** Derived fields (runnable threads, labels, lock holders) and, when no thread can run, the ending. */
function settle(level: LevelDefinition, state: ChallengeState): ChallengeState {
  for (const thread of state.threads) {
    const program = programOf(level, thread.name);
    if (thread.status === 'ready' && thread.pc >= program.length) {
      thread.status = 'done';
      say(state, thread.name, 'finished');
    }
    if (thread.blockedOn?.kind === 'lock') thread.blockedOn.heldBy = state.locks[thread.blockedOn.name].owner;
    const instruction = program[thread.pc] as Instruction | undefined;
    const live = thread.status === 'ready' || thread.status === 'blocked';
    thread.line = live && instruction ? instruction.line : null;
    thread.next = live ? nextStepText(level, state, thread) : null;
    const showBytecode = live && instruction?.kind === 'augassign' && (state.expanded || thread.micro > 0);
    thread.bytecode = showBytecode ? {instructions: bytecodeOf(instruction), at: thread.micro} : null;
  }
  state.runnable = state.outcome === 'playing' ? state.threads.filter((t) => t.status === 'ready').map((t) => t.name) : [];
  if (state.outcome !== 'playing' || state.runnable.length > 0) return state;

  const stuck = state.threads.filter((t) => t.status === 'blocked');
  if (stuck.length > 0) {
    const cycle = waitCycle(state);
    const reason = cycle
      ? `Deadlock: ${cycle.map((edge) => `${edge.thread} holds ${locksHeldBy(state, edge.thread).join(' and ')} and waits for ${edge.waitsFor.name}`).join('; ')}`
      : `The program hangs: ${stuck.map((t) => `${t.name} waits on ${t.blockedOn?.name ?? 'nothing'} and no thread is left to wake it`).join('; ')}`;
    say(state, 'main', `${reason}. The main thread waits in join() forever.`);
    return end(level, state, 'won', reason, {kind: 'deadlock', cycle});
  }
  const failed = level.check(state.shared);
  if (failed !== null) {
    say(state, 'main', failed);
    return end(level, state, 'won', failed, {kind: 'assertion', cycle: null});
  }
  const held = `Every thread finished and nothing went wrong: ${level.held(state.shared)}`;
  say(state, 'main', held);
  return end(level, state, 'stuck', held, null);
}

function end(level: LevelDefinition, state: ChallengeState, outcome: Outcome, reason: string, failure: Failure | null): ChallengeState {
  state.outcome = outcome;
  state.reason = reason;
  state.failure = failure;
  state.solved = level.goal === 'break' ? outcome === 'won' : outcome === 'stuck';
  state.runnable = [];
  return state;
}

// --- the API -------------------------------------------------------------------------------

/** A fresh game of level `id`, shown whole (not expanded). */
export function startLevel(id: string): ChallengeState {
  const level = levelOf(id, 'id');
  const state: ChallengeState = {
    level: level.id,
    expanded: false,
    threads: level.threads.map((definition) => ({
      name: definition.name,
      pc: 0,
      micro: 0,
      stack: [],
      locals: {...definition.locals},
      status: 'ready',
      blockedOn: null,
      savedLevels: 0,
      line: null,
      next: null,
      bytecode: null,
    })),
    shared: JSON.parse(JSON.stringify(level.shared)) as ChallengeState['shared'],
    locks: Object.fromEntries(Object.entries(level.locks).map(([name, kind]) => [name, {kind, owner: null, count: 0, waiters: []}])),
    conditions: Object.fromEntries(Object.entries(level.conditions).map(([name, {lock}]) => [name, {lock, waiters: []}])),
    log: [],
    moves: 0,
    runnable: [],
    outcome: 'playing',
    reason: null,
    failure: null,
    solved: false,
  };
  return settle(level, state);
}

function checkState(state: ChallengeState): LevelDefinition {
  if (typeof state !== 'object' || state === null || !Array.isArray(state.threads)) throw new TypeError('state must be a state returned by startLevel or step');
  return levelOf(state.level, 'state.level');
}

/** The threads that can run the next step (none once the game is over). */
export function choices(state: ChallengeState): string[] {
  checkState(state);
  return [...state.runnable];
}

/** Run one step of `threadName`: one line, or one bytecode of an expanded `+=`. */
export function step(state: ChallengeState, threadName: string): ChallengeState {
  const level = checkState(state);
  if (state.outcome !== 'playing') throw new RangeError(`the game is over (${state.outcome}): undo a step or start the level again`);
  const thread = state.threads.find((t) => t.name === threadName);
  if (thread === undefined) throw new RangeError(`threadName must be one of ${state.threads.map((t) => t.name).join(', ')}, got ${JSON.stringify(threadName)}`);
  if (!state.runnable.includes(threadName)) {
    const why = thread.status === 'blocked' ? `it is blocked on ${thread.blockedOn?.kind} ${thread.blockedOn?.name}` : `it has ${thread.status === 'done' ? 'finished' : 'raised'}`;
    throw new RangeError(`threadName ${threadName} cannot run: ${why}`);
  }
  const next = copy(state);
  const running = next.threads.find((t) => t.name === threadName)!;
  next.moves += 1;
  try {
    perform(level, next, running);
  } catch (raised) {
    if (!(raised instanceof PythonError)) throw raised;
    running.status = 'raised';
    const reason = `${threadName} raised ${raised.pythonType}: ${raised.message}`;
    say(next, threadName, `raises ${raised.pythonType}: ${raised.message}`);
    return settle(level, end(level, next, 'won', reason, {kind: 'exception', cycle: null}));
  }
  return settle(level, next);
}

/** Show (and run) `+=` as its three bytecodes, or whole. */
export function setExpanded(state: ChallengeState, expanded: boolean): ChallengeState {
  const level = checkState(state);
  if (typeof expanded !== 'boolean') throw new TypeError(`expanded must be true or false, got ${JSON.stringify(expanded)}`);
  const next = copy(state);
  next.expanded = expanded;
  return settle(level, next);
}
