/**
 * `@course/workers`: start a real Web Worker from a function, for exercises on parallel
 * CPU-bound work in the browser (the browser's analogue of a process pool).
 *
 *   const worker = workerFromFunction((n: number) => fib(n));
 *   worker.postMessage(30);  // the Worker answers with the function's result
 *
 * The function is copied into the Worker as source text, like a pickled function crossing into
 * another process: it cannot use variables from the code around it, only its argument.
 */
export function workerFromFunction<A, R>(body: (arg: A) => R): Worker {
  const source = `const body = (${body.toString()});
self.onmessage = async (event) => {
  try {
    self.postMessage({ok: true, value: await body(event.data)});
  } catch (error) {
    self.postMessage({ok: false, error: String(error && error.stack || error)});
  }
};`;
  const url = URL.createObjectURL(new Blob([source], {type: 'text/javascript'}));
  const worker = new Worker(url);
  return worker;
}

/** When each runInWorker call sent its work and got its answer (performance.now() of the caller). */
export const workerLog: Array<{sentAt: number; answeredAt: number | null}> = [];

/** Runs `body(arg)` in a new Worker and resolves with its result; the Worker is ended after. */
export function runInWorker<A, R>(body: (arg: A) => R, arg: A): Promise<Awaited<R>> {
  const worker = workerFromFunction(body);
  const entry: {sentAt: number; answeredAt: number | null} = {sentAt: performance.now(), answeredAt: null};
  workerLog.push(entry);
  return new Promise((resolve, reject) => {
    worker.onmessage = (event: MessageEvent<{ok: boolean; value?: Awaited<R>; error?: string}>) => {
      entry.answeredAt = performance.now();
      worker.terminate();
      if (event.data.ok) resolve(event.data.value as Awaited<R>);
      else reject(new Error(event.data.error));
    };
    worker.onerror = (event) => {
      worker.terminate();
      reject(new Error(event.message));
    };
    worker.postMessage(arg);
  });
}

/** The number of logical cores the browser reports: how many Workers can truly run at once. */
export const hardwareConcurrency = (): number => navigator.hardwareConcurrency || 1;
