/**
 * The page's side of the simulation Worker: one Worker for the whole page, started on first use,
 * each call a promise. A call that runs past the time limit ends the Worker (the next call starts
 * a fresh one), so no simulation can hang a widget.
 */
import type {SimApi, SimMethod, SimRequest, SimResponse} from './worker-api';

const CALL_LIMIT_MS = 20_000;

interface Pending {
  resolve: (value: unknown) => void;
  reject: (error: Error) => void;
  timer: ReturnType<typeof setTimeout>;
}

let worker: Worker | null = null;
let nextId = 1;
const pending = new Map<number, Pending>();

function failAll(message: string): void {
  for (const [id, call] of pending) {
    clearTimeout(call.timer);
    call.reject(new Error(message));
    pending.delete(id);
  }
}

function startWorker(baseUrl: string): Worker {
  const started = new Worker(`${baseUrl}sim/worker.js`);
  started.onmessage = (event: MessageEvent<SimResponse>) => {
    const response = event.data;
    const call = pending.get(response.id);
    if (call === undefined) return;
    pending.delete(response.id);
    clearTimeout(call.timer);
    if (response.ok) call.resolve(response.value);
    else call.reject(new Error(response.error));
  };
  started.onerror = (event) => {
    event.preventDefault();
    stopWorker();
    failAll(`the simulator stopped: ${event.message || 'it could not be loaded'}`);
  };
  return started;
}

function stopWorker(): void {
  worker?.terminate();
  worker = null;
}

/** Calls `method` of the simulator in the Worker. `baseUrl` is the site's (Docusaurus `baseUrl`). */
export function callSim<M extends SimMethod>(baseUrl: string, method: M, ...args: Parameters<SimApi[M]>): Promise<ReturnType<SimApi[M]>> {
  worker ??= startWorker(baseUrl);
  const id = nextId++;
  const request: SimRequest = {id, method, args};
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      stopWorker();
      failAll(`the simulation took longer than ${CALL_LIMIT_MS / 1000} s and was stopped; try smaller knobs`);
    }, CALL_LIMIT_MS);
    pending.set(id, {resolve: resolve as (value: unknown) => void, reject, timer});
    worker!.postMessage(request);
  });
}
