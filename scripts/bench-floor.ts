/**
 * The least any generator-based simulation of the bench's 10,000-task program can cost in this
 * JavaScript engine: a bare event loop (a ready list, a timer heap, tasks that are generators
 * awaiting a sleep through `yield*`), with none of the model — no virtual-time kernel, costs,
 * trace, labels, cancellation or errors. `npm run bench -- sim` reports its callbacks per second
 * beside the simulator's and real CPython's, so the simulator's speed can be judged against
 * what the engine allows, not only against the goal.
 */
interface Waitable {
  done: boolean;
  waiter: BareTask | null;
}

class BareTask implements Waitable {
  done = false;
  waiter: BareTask | null = null;
  constructor(readonly coroutine: Generator<Waitable, number, void>) {}
}

interface Timer {
  when: number;
  sequence: number;
  waitable: Waitable;
}

const earlier = (a: Timer, b: Timer) => a.when < b.when || (a.when === b.when && a.sequence < b.sequence);

class TimerHeap {
  private readonly items: Timer[] = [];
  get size(): number {
    return this.items.length;
  }
  peek(): Timer {
    return this.items[0];
  }
  push(timer: Timer): void {
    const items = this.items;
    items.push(timer);
    for (let index = items.length - 1; index > 0; ) {
      const parent = (index - 1) >> 1;
      if (!earlier(items[index], items[parent])) break;
      [items[index], items[parent]] = [items[parent], items[index]];
      index = parent;
    }
  }
  pop(): Timer {
    const items = this.items;
    const top = items[0];
    const last = items.pop()!;
    if (items.length > 0) {
      items[0] = last;
      for (let index = 0; ; ) {
        const left = 2 * index + 1;
        let smallest = index;
        if (left < items.length && earlier(items[left], items[smallest])) smallest = left;
        if (left + 1 < items.length && earlier(items[left + 1], items[smallest])) smallest = left + 1;
        if (smallest === index) break;
        [items[index], items[smallest]] = [items[smallest], items[index]];
        index = smallest;
      }
    }
    return top;
  }
}

/** Runs `tasks` generator tasks, task i sleeping delayUs(i); returns how many callbacks ran. */
export function bareLoopCallbacks(tasks: number, delayUs: (index: number) => number): number {
  let now = 0;
  let sequence = 0;
  let ready: BareTask[] = [];
  const timers = new TimerHeap();
  let callbacks = 0;

  function* sleep(us: number): Generator<Waitable, void, void> {
    const waitable: Waitable = {done: false, waiter: null};
    timers.push({when: now + us, sequence: sequence++, waitable});
    yield waitable;
  }
  const step = (task: BareTask) => {
    const result = task.coroutine.next();
    if (result.done) {
      task.done = true;
      if (task.waiter) ready.push(task.waiter);
    } else result.value.waiter = task;
  };

  for (let index = 0; index < tasks; index++) {
    ready.push(
      new BareTask(
        (function* task() {
          yield* sleep(delayUs(index));
          return index;
        })(),
      ),
    );
  }
  while (ready.length > 0 || timers.size > 0) {
    if (ready.length === 0) now = timers.peek().when;
    while (timers.size > 0 && timers.peek().when <= now) {
      const {waitable} = timers.pop();
      waitable.done = true;
      callbacks++; // the timer's own callback, as the simulator counts it
      if (waitable.waiter) ready.push(waitable.waiter);
    }
    const todo = ready;
    ready = [];
    for (const task of todo) {
      callbacks++;
      step(task);
    }
  }
  return callbacks;
}
