"""Process start cost per start method, from a main module that imports almost nothing.

spawn and forkserver children re-import the parent's __main__, so the cost grows with what the
main module imports; this script keeps that part small, as the simulator's constants assume.
Prints {method: seconds} (median of 5 start+join of a process with an empty target).
"""
import json
import multiprocessing
import statistics
import time


def do_nothing():
    pass


def start_join(context):
    start = time.perf_counter()
    process = context.Process(target=do_nothing)
    process.start()
    process.join()
    return time.perf_counter() - start


if __name__ == "__main__":
    result = {}
    for method in ("fork", "spawn", "forkserver"):
        context = multiprocessing.get_context(method)
        start_join(context)  # forkserver starts its server on first use
        result[method] = statistics.median(start_join(context) for _ in range(5))
    print(json.dumps(result))
