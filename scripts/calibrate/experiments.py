"""Real CPython experiments that the simulator's constants are calibrated against.

Standard library only; every server listens on 127.0.0.1; every loop is bounded. Prints one JSON
object: {experiment: {measure: value, ...}, ...}. Run by `npm run calibrate`, which runs each
experiment R times (`--repeat R`), each time in a fresh interpreter, takes the median of the runs,
runs the same scenarios in the simulator and prints measured, simulated and their ratio.

One run times a long operation (a fetch, a batch of CPU-bound tasks) once; a measurement of a few
milliseconds or less is the median of several within the run, so that one preemption by another
process on this shared machine does not become the run's figure.
"""
import asyncio
import gc
import json
import os
import platform
import select
import socket
import statistics
import sys
import threading
import time
import urllib.request
from concurrent import futures
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


def median_of(runs, measure):
    return statistics.median(measure() for _ in range(runs))


def timed(work):
    start = time.perf_counter()
    work()
    return time.perf_counter() - start


# ---- io-fetch: n requests to a local server that waits `delay` before answering -------------

class SlowHandler(BaseHTTPRequestHandler):
    delay = 0.2

    def do_GET(self):
        time.sleep(self.delay)
        body = b"ok"
        self.send_response(200)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


def io_fetch(n=5, delay=0.2):
    SlowHandler.delay = delay
    server = ThreadingHTTPServer(("127.0.0.1", 0), SlowHandler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    host, port = server.server_address
    url = f"http://{host}:{port}/"

    def fetch(_=None):
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.read()

    async def fetch_async():
        reader, writer = await asyncio.open_connection(host, port)
        writer.write(f"GET / HTTP/1.0\r\nHost: {host}\r\n\r\n".encode())
        await writer.drain()
        data = await reader.read()
        writer.close()
        await writer.wait_closed()
        return data

    async def all_async():
        return await asyncio.gather(*(fetch_async() for _ in range(n)))

    def threads():
        with futures.ThreadPoolExecutor(max_workers=n) as pool:
            list(pool.map(fetch, range(n)))

    result = {
        "serial": timed(lambda: [fetch() for _ in range(n)]),
        "threads": timed(threads),
        "asyncio": timed(lambda: asyncio.run(all_async())),
    }
    server.shutdown()
    return {"params": {"n": n, "delay": delay}, "seconds": result}


# ---- cpu-bound: equal pure-Python tasks, serial vs threads vs processes ------------------------

def count_primes(limit):
    count = 0
    for n in range(2, limit):
        d = 2
        while d * d <= n:
            if n % d == 0:
                break
            d += 1
        else:
            count += 1
    return count


def cpu_bound(tasks=4, limit=200_000):
    def threads():
        with futures.ThreadPoolExecutor(max_workers=tasks) as pool:
            list(pool.map(count_primes, [limit] * tasks))

    def processes():
        with futures.ProcessPoolExecutor(max_workers=os.cpu_count()) as pool:
            list(pool.map(count_primes, [limit] * tasks))

    return {
        "params": {"n": tasks, "cores": os.cpu_count()},
        "seconds": {
            "serial": timed(lambda: [count_primes(limit) for _ in range(tasks)]),
            "threads": timed(threads),
            "processes": timed(processes),
        },
    }


# ---- process-startup: start and join a process that does nothing, per start method --------------

def process_startup():
    # In a process of its own with a light __main__: spawn and forkserver children re-import the
    # main module, and this file's imports (asyncio, http.server …) would add ~40 ms to each.
    import subprocess
    here = os.path.dirname(os.path.abspath(__file__))
    output = subprocess.run([sys.executable, os.path.join(here, "startup.py")], capture_output=True, text=True, check=True, timeout=120)
    return {"seconds": json.loads(output.stdout)}


# ---- ten-thousand-tasks: resident memory per thread and per asyncio task ------------------------

def resident_bytes():
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) * 1024
    raise RuntimeError("no VmRSS in /proc/self/status")


def virtual_bytes():
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("VmSize:"):
                return int(line.split()[1]) * 1024
    raise RuntimeError("no VmSize in /proc/self/status")


def memory_per_unit(threads=1000, tasks=10_000):
    # Tasks first: memory freed by an earlier phase stays resident and would hide what comes after.
    async def many_tasks():
        gc.collect()
        before = resident_bytes()
        event = asyncio.Event()
        running = [asyncio.create_task(event.wait()) for _ in range(tasks)]
        await asyncio.sleep(0)
        per_task = (resident_bytes() - before) / tasks
        event.set()
        await asyncio.gather(*running)
        return per_task

    task_rss = asyncio.run(many_tasks())

    gc.collect()
    stop = threading.Event()
    before_rss, before_vm = resident_bytes(), virtual_bytes()
    pool = [threading.Thread(target=stop.wait) for _ in range(threads)]
    for thread in pool:
        thread.start()
    thread_rss = (resident_bytes() - before_rss) / threads
    thread_vm = (virtual_bytes() - before_vm) / threads
    stop.set()
    for thread in pool:
        thread.join()

    return {
        "params": {"threads": threads, "tasks": tasks},
        "bytes": {
            "thread-resident": thread_rss,
            "thread-reserved": thread_vm,
            "task-resident": task_rss,
        },
    }


# ---- multiplexing-scaling: one wait call over n fds with one ready --------------------------------

def multiplexing(sizes=(10, 100, 500), calls=200):
    result = {}
    for n in sizes:
        pairs = [socket.socketpair() for _ in range(n)]
        try:
            readers = [a for a, _ in pairs]
            pairs[-1][1].send(b"x")  # one ready fd, the last one watched
            timings = {}

            def per_call(wait):
                start = time.perf_counter()
                for _ in range(calls):
                    wait()
                return (time.perf_counter() - start) / calls

            if max(r.fileno() for r in readers) < 1024:
                timings["select"] = median_of(5, lambda: per_call(lambda: select.select(readers, [], [], 0)))
            poller = select.poll()
            for r in readers:
                poller.register(r, select.POLLIN)
            timings["poll"] = median_of(5, lambda: per_call(lambda: poller.poll(0)))
            epoll = select.epoll()
            for r in readers:
                epoll.register(r, select.EPOLLIN)
            timings["epoll"] = median_of(5, lambda: per_call(lambda: epoll.poll(0)))
            epoll.close()
            result[str(n)] = {name: seconds * 1e6 for name, seconds in timings.items()}
        finally:
            for a, b in pairs:
                a.close()
                b.close()
    return {"microseconds-per-call": result}


# ---- gil-convoy: how late an I/O thread wakes next to a CPU-bound thread -------------------------

def gil_convoy(intervals=(0.001, 0.005), wakeups=40, nap=0.002):
    def spin(stop):
        x = 0
        while not stop.is_set():
            x += 1

    def lateness():
        late = []
        for _ in range(wakeups):
            start = time.perf_counter()
            time.sleep(nap)
            late.append(time.perf_counter() - start - nap)
        return statistics.median(late)

    result = {"alone": lateness()}
    default = sys.getswitchinterval()
    try:
        for interval in intervals:
            sys.setswitchinterval(interval)
            stop = threading.Event()
            spinner = threading.Thread(target=spin, args=(stop,))
            spinner.start()
            result[f"switch-{interval * 1000:g}ms"] = lateness()
            stop.set()
            spinner.join()
    finally:
        sys.setswitchinterval(default)
    return {"seconds": result}


EXPERIMENTS = {
    "io-fetch": io_fetch,
    "cpu-bound": cpu_bound,
    "process-startup": process_startup,
    "ten-thousand-tasks": memory_per_unit,
    "multiplexing-scaling": multiplexing,
    "gil-convoy": gil_convoy,
}

if __name__ == "__main__":
    chosen = sys.argv[1:] or list(EXPERIMENTS)
    unknown = [name for name in chosen if name not in EXPERIMENTS]
    if unknown:
        sys.exit(f"unknown experiment(s) {unknown}; the experiments are {list(EXPERIMENTS)}")
    report = {"python": platform.python_version(), "cores": os.cpu_count()}
    for name in chosen:
        report[name] = EXPERIMENTS[name]()
    print(json.dumps(report))
