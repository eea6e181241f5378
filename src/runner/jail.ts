/**
 * The jail: a sandboxed frame (`sandbox="allow-scripts"`, an opaque origin) that holds the Worker
 * running a learner's code. Being cross-origin, Chromium gives it a process of its own, so a
 * memory bomb that kills the Worker's process kills only the jail: the course page lives on, and
 * the runner notices that its pings go unanswered and builds a new jail. Its only job is to start
 * the Worker, pass messages both ways, end the Worker when told, and answer pings.
 */
import type {JailCommand, JailEvent} from './protocol';

let worker: Worker | null = null;
const toRunner = (event: JailEvent) => window.parent.postMessage(event, '*');

window.addEventListener('message', (event: MessageEvent<JailCommand>) => {
  if (event.source !== window.parent) return;
  const command = event.data;
  if (command.type === 'ping') return toRunner({type: 'pong'});
  worker?.terminate();
  worker = null;
  if (command.type !== 'run') return;
  worker = new Worker(URL.createObjectURL(new Blob([command.workerSource], {type: 'text/javascript'})));
  worker.addEventListener('message', (message) => toRunner({type: 'worker-event', event: message.data}));
  worker.addEventListener('error', (error) => {
    error.preventDefault();
    toRunner({type: 'worker-error', message: error.message, line: error.lineno, column: error.colno});
  });
  worker.postMessage(command.request);
});

toRunner({type: 'jail-ready'});
