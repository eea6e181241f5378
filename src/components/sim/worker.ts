/// <reference lib="webworker" />
// The simulation Worker (built by scripts/build-runner.mjs into static/sim/worker.js).
import {answer, type SimRequest} from './worker-api';

self.onmessage = (event: MessageEvent<SimRequest>) => {
  self.postMessage(answer(event.data));
};
