"""One contender's worker process: builds benchmarks and times training steps on command.

Run by the harness as ``python -m benchmarks.worker CONTENDER DEVICE OPTIONS_JSON``. It speaks
one JSON object per line: commands on stdin, one reply per command on the protocol pipe (the
original stdout; fd 1 is pointed at stderr so that prints from libraries cannot corrupt it).

    (on start)                       -> status, rss_start_mib, rss_import_mib, setup
    {"cmd": "build", kind, name, spec, seed} -> status, info, rss_mib
    {"cmd": "run", steps, warmup}    -> status, times, loss, rss_mib
    {"cmd": "stats"}                 -> status, rss_mib, peak_rss_mib
    {"cmd": "exit"}                  (no reply)

``times`` holds one ``[zero_grad, forward, backward, step]`` row per timed step, in ms.
``status`` is "ok", "n/a" (the contender lacks something: ImportError, AttributeError,
NotImplementedError or ``Unavailable``) or "error" (anything else), with a "reason".
"""

import gc
import importlib
import json
import os
import resource
import sys
import time
import traceback

from benchmarks.contenders import CONTENDERS, Unavailable

MISSING = (ImportError, AttributeError, NotImplementedError)


def rss_mib() -> float:
    """Resident set size now, from /proc (Linux); falls back to the peak elsewhere."""
    try:
        with open("/proc/self/statm") as f:
            return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20
    except OSError:
        return peak_rss_mib()


def peak_rss_mib() -> float:
    """``ru_maxrss`` of this process: KiB on Linux, bytes on macOS."""
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak / 2**20 if sys.platform == "darwin" else peak / 2**10


def failure(error: BaseException) -> dict:
    missing = isinstance(error, (*MISSING, Unavailable))
    reason = f"{type(error).__name__}: {error}".splitlines()[0][:300]
    reply = {"status": "n/a" if missing else "error", "reason": reason}
    if not missing:
        reply["traceback"] = traceback.format_exc()[-3000:]
    return reply


def timed_steps(step, n: int) -> list[list[float]]:
    """Run ``n`` steps; per step the ms spent in zero_grad, forward (+ loss), backward, step.

    ``step.sync()`` closes each phase so that asynchronous GPU work is charged to its phase.
    """
    clock, rows = time.perf_counter, []
    for _ in range(n):
        t0 = clock()
        step.zero_grad()
        step.sync()
        t1 = clock()
        step.forward()
        step.sync()
        t2 = clock()
        step.backward()
        step.sync()
        t3 = clock()
        step.step()
        step.sync()
        t4 = clock()
        rows.append([round((b - a) * 1e3, 5) for a, b in ((t0, t1), (t1, t2), (t2, t3), (t3, t4))])
    return rows


def handle(command: dict, contender, device: str, state: dict) -> dict:
    if command["cmd"] == "build":
        state["step"] = None
        gc.collect()
        step, info = contender.build(
            command["kind"], command["name"], command["spec"], device, command.get("seed", 0)
        )
        state["step"] = step
        return {"status": "ok", "info": info, "rss_mib": rss_mib()}
    if command["cmd"] == "run":
        step = state.get("step")
        if step is None:
            raise RuntimeError("worker: 'run' needs a successful 'build' first")
        gc.collect()  # start every round from the same garbage level, outside the timing
        timed_steps(step, command.get("warmup", 0))
        times = timed_steps(step, command["steps"])
        return {"status": "ok", "times": times, "loss": step.loss_value(), "rss_mib": rss_mib()}
    if command["cmd"] == "stats":
        now = rss_mib()  # the kernel updates ru_maxrss lazily: it can lag the current RSS
        return {"status": "ok", "rss_mib": now, "peak_rss_mib": max(now, peak_rss_mib())}
    raise ValueError(f"worker: unknown command {command['cmd']!r}")


def main(argv: list[str]) -> None:
    name, device, options = argv[0], argv[1], json.loads(argv[2] if len(argv) > 2 else "{}")
    protocol = os.fdopen(os.dup(1), "w", buffering=1)
    os.dup2(2, 1)  # anything else written to stdout, from Python or C, goes to stderr

    def reply(message: dict) -> None:
        protocol.write(json.dumps(message) + "\n")

    hello = {"rss_start_mib": rss_mib()}
    try:
        contender = importlib.import_module(CONTENDERS[name])
        hello["rss_import_mib"] = rss_mib()
        hello["setup"] = contender.setup(device, options)
        hello["status"] = "ok"
    except Exception as error:  # noqa: BLE001 - reported to the parent, which goes on
        contender = None
        hello.update(failure(error))
    hello.setdefault("rss_import_mib", rss_mib())
    reply(hello)
    state: dict = {}
    for line in sys.stdin:
        command = json.loads(line)
        if command["cmd"] == "exit":
            break
        if contender is None:
            reply({"status": hello["status"], "reason": hello["reason"]})
            continue
        try:
            reply(handle(command, contender, device, state))
        except Exception as error:  # noqa: BLE001 - a failing benchmark must not stop the run
            state["step"] = None
            reply(failure(error))


if __name__ == "__main__":
    main(sys.argv[1:])
