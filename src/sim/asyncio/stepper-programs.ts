/**
 * The programs the event-loop stepper can run (stepper.ts runs them): id, title, what to watch
 * for, the Python they model, and what each task runs; and the time format that both the
 * stepper's sentences and the page use. No imports, so a page can show the source and the picker
 * before the simulation Worker has answered.
 */

export interface StepperProgramInfo {
  id: string;
  title: string;
  /** What to watch for while stepping, one or two sentences. */
  summary: string;
  /** The Python program the simulation follows. */
  source: string;
  /** What each task runs, by its CPython name (asyncio.run's main task is Task-1). */
  coroutines: Record<string, string>;
}

export const stepperPrograms: readonly StepperProgramInfo[] = [
  {
    id: 'event-loop-anatomy',
    title: 'One async download (sock_recv, add_reader, epoll)',
    summary:
      'The task calls sock_recv on a non-blocking socket: recv() raises BlockingIOError, so the loop registers a reader for the fd and the task waits. With nothing ready and no timer, select() sleeps until epoll reports the fd readable; the reader callback sets the future and the task wakes up.',
    source: `import asyncio
import socket


async def download(host: str, port: int = 80) -> int:
    loop = asyncio.get_running_loop()
    sock = socket.socket()
    sock.setblocking(False)
    # The model folds the TCP handshake into the reply's latency (0.2 s).
    await loop.sock_connect(sock, (host, port))
    await loop.sock_sendall(sock, b"GET /file HTTP/1.0\\r\\n\\r\\n")  # fits the send buffer
    total = 0
    while chunk := await loop.sock_recv(sock, 65536):  # EAGAIN: add_reader, then wait
        total += len(chunk)
    sock.close()
    return total


asyncio.run(download("example.com"))
`,
    coroutines: {'Task-1': "download('example.com')"},
  },
  {
    id: 'create-task-order',
    title: 'create_task and sleep(0): who runs when',
    summary:
      'create_task only appends the new task’s first step to the ready queue; nothing runs until the current step gives the loop back. await asyncio.sleep(0) is a bare yield: the task goes to the back of the ready queue, behind the tasks it created.',
    source: `import asyncio


async def worker(name):
    print(name, "starts")
    await asyncio.sleep(0)  # a bare yield: back of the ready queue
    print(name, "resumes")


async def main():
    a = asyncio.create_task(worker("A"))
    b = asyncio.create_task(worker("B"))
    print("main created A and B; neither has run")
    await asyncio.sleep(0)  # let A and B take their first steps
    print("main resumes after one sleep(0)")
    await a
    await b
    print("main done")


asyncio.run(main())
`,
    coroutines: {'Task-1': 'main()', 'Task-2': "worker('A')", 'Task-3': "worker('B')"},
  },
  {
    id: 'gather-sleeps',
    title: 'gather of three sleeps: 1 s, 2 s and 0.5 s',
    summary:
      'Each sleep puts a timer in the heap. With the ready queue empty, select() sleeps exactly until the earliest timer, so the three waits overlap and the whole gather takes 2 s, not 3.5 s.',
    source: `import asyncio


async def fetch(name, delay):
    await asyncio.sleep(delay)
    print(name, "ready after", delay, "s")
    return name


async def main():
    results = await asyncio.gather(fetch("a", 1), fetch("b", 2), fetch("c", 0.5))
    print(results)


asyncio.run(main())
`,
    coroutines: {'Task-1': 'main()', 'Task-2': "fetch('a', 1)", 'Task-3': "fetch('b', 2)", 'Task-4': "fetch('c', 0.5)"},
  },
  {
    id: 'blocking-sleep',
    title: 'time.sleep inside a coroutine freezes the loop',
    summary:
      'time.sleep(0.5) does not yield to the loop: one handle runs for half a second while the ticker’s 0.1 s timer is long overdue. Debug mode logs the slow callback; asyncio.sleep would have let the ticker run.',
    source: `import asyncio
import time


async def ticker():
    for i in range(3):
        print("tick", i)
        await asyncio.sleep(0.1)


async def main():
    task = asyncio.create_task(ticker())
    await asyncio.sleep(0)  # let the ticker start
    time.sleep(0.5)  # blocks the whole loop: no tick for half a second
    print("main: woke up")
    await task


asyncio.run(main(), debug=True)
`,
    coroutines: {'Task-1': 'main()', 'Task-2': 'ticker()'},
  },
];

/** A virtual time or duration: µs below a millisecond, ms below a second, else seconds. */
export function duration(us: number): string {
  if (Math.abs(us) < 1000) return `${us} µs`;
  if (Math.abs(us) < 1_000_000) return `${Number((us / 1000).toFixed(3))} ms`;
  return `${Number((us / 1_000_000).toFixed(6))} s`;
}
