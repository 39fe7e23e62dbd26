"""The parent side: worker processes, interleaved rounds, and the summary of what they timed.

Standard library only, so the parent stays small and its memory says nothing about anyone's.

Design: every contender runs in its own process (``benchmarks/worker.py``). By default each
(model, contender) pair gets a fresh process, so ``ru_maxrss`` of that process is the peak
memory of that contender on that model alone, and "RSS after import" is measured before any
model exists. All contenders' processes for one model are alive together, but only one works
at a time: round r runs ``steps`` timed steps on each contender in turn, the order rotated
every round, so slow drifts of the machine (thermal, other load) hit every contender alike.

Before each round the harness waits until the other workers are idle: OpenBLAS threads spin
for ~0.1 s after their last call (measured: a NumPy process burns ~0.1 CPU-second after a
burst of matmuls), and on 2 cores a spinning neighbour slows the next contender's 2-thread
parallel regions several-fold (torch steps of 300 ms instead of 12 ms).
"""

import json
import os
import statistics
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

from benchmarks.report import RATIO_PEERS

ROOT = Path(__file__).resolve().parents[1]
PHASES = ("zero_grad", "forward", "backward", "step")


@dataclass
class Settings:
    rounds: int = 7
    warmup: int = 5  # untimed steps before the first round; they also size the rounds
    round_warmup: int = 1  # untimed steps at the start of every round (re-warms caches)
    round_s: float = 1.0  # target seconds per round for the slowest contender
    min_steps: int = 3
    max_steps: int = 200
    steps: int | None = None  # fixed timed steps per round instead of round_s
    settle_s: float = 0.5  # most to wait, before a round, for the other workers to go idle
    isolate: bool = True  # a fresh process per (benchmark, contender)
    seed: int = 0


class Worker:
    """A contender's worker process and its line-based JSON protocol."""

    def __init__(self, contender: str, device: str, options: dict):
        self.contender = contender
        command = [
            sys.executable,
            "-m",
            "benchmarks.worker",
            contender,
            device,
            json.dumps(options),
        ]
        self.proc = subprocess.Popen(
            command, cwd=ROOT, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, bufsize=1
        )
        self._hello = None

    def hello(self) -> dict:
        if self._hello is None:
            self._hello = self._read()
        return self._hello

    def request(self, **command) -> dict:
        self.hello()
        try:
            self.proc.stdin.write(json.dumps(command) + "\n")
            self.proc.stdin.flush()
        except BrokenPipeError:
            pass  # _read reports the exit
        return self._read()

    def cpu_ticks(self) -> int | None:
        """CPU time used so far by all threads of the worker, in clock ticks (Linux)."""
        try:
            with open(f"/proc/{self.proc.pid}/stat") as f:
                fields = f.read().rsplit(")", 1)[1].split()
            return int(fields[11]) + int(fields[12])  # utime + stime
        except (OSError, IndexError, ValueError):
            return None

    def _read(self) -> dict:
        line = self.proc.stdout.readline()
        if not line:
            code = self.proc.wait()
            return {"status": "error", "reason": f"{self.contender} worker exited with {code}"}
        return json.loads(line)

    def close(self) -> None:
        if self.proc.poll() is None:
            try:
                self.proc.stdin.write('{"cmd": "exit"}\n')
                self.proc.stdin.flush()
                self.proc.wait(timeout=30)
            except (BrokenPipeError, subprocess.TimeoutExpired):
                self.proc.kill()
                self.proc.wait()
        self.proc.stdout.close()
        self.proc.stdin.close()


def run_benchmarks(
    kind: str,
    specs: dict,
    contenders: list[str],
    device: str,
    options: dict,
    settings: Settings,
    log=print,
) -> dict:
    """Time every benchmark in ``specs`` on every contender; returns results keyed by name."""
    shared: dict[str, Worker] = {}
    results = {}
    try:
        for name, spec in specs.items():
            if settings.isolate:
                workers = {c: Worker(c, device, options) for c in contenders}
            else:
                workers = {c: shared.get(c) or Worker(c, device, options) for c in contenders}
                shared.update(workers)
            try:
                results[name] = _one_benchmark(kind, name, spec, workers, settings, log)
            finally:
                if settings.isolate:
                    for worker in workers.values():
                        worker.close()
    finally:
        for worker in shared.values():
            worker.close()
    if not settings.isolate:
        for entry in results.values():
            entry["rss_isolated"] = False
    return results


def _one_benchmark(kind, name, spec, workers, settings, log) -> dict:
    entry = {"spec": spec, "contenders": {}, "rss_isolated": True}
    out = entry["contenders"]
    active = {}
    for c, worker in workers.items():
        hello = worker.hello()
        if hello["status"] != "ok":
            out[c] = _not_run(hello)
            continue
        reply = worker.request(cmd="build", kind=kind, name=name, spec=spec, seed=settings.seed)
        if reply["status"] != "ok":
            out[c] = _not_run(reply)
            continue
        active[c] = worker
        out[c] = {
            "status": "ok",
            "info": reply["info"],
            "setup": hello["setup"],
            "rss_start_mib": hello["rss_start_mib"],
            "rss_import_mib": hello["rss_import_mib"],
            "rss_build_mib": reply["rss_mib"],
            "times": [],
        }

    def run(c, steps, warmup):
        _wait_idle([w for other, w in active.items() if other != c], settings.settle_s)
        before = _busy_ticks(), [w.cpu_ticks() for w in active.values()], time.perf_counter()
        reply = active[c].request(cmd="run", steps=steps, warmup=warmup)
        after = _busy_ticks(), [w.cpu_ticks() for w in active.values()], time.perf_counter()
        reply["background_pct"] = _background_pct(before, after)
        if reply["status"] != "ok":
            out[c] = _not_run(reply)
            del active[c]
            log(f"  {name}: {c} {reply['status']}: {reply['reason']}")
        return reply

    cost = {}
    for c in list(active):
        reply = run(c, settings.warmup, 0)
        if reply["status"] == "ok":
            out[c]["rss_warm_mib"] = reply["rss_mib"]
            later = [sum(row) for row in reply["times"][1:]]  # the first step builds state
            cost[c] = min(later) / 1e3 if later else 0.0
    steps = settings.steps
    if steps is None:
        slowest = max(cost.values(), default=0.0)
        guess = round(settings.round_s / slowest) if slowest > 0 else settings.max_steps
        steps = min(settings.max_steps, max(settings.min_steps, guess))
    entry["steps_per_round"] = steps
    for r in range(settings.rounds):
        order = list(active)
        order = order[r % len(order) :] + order[: r % len(order)] if order else order
        for c in order:
            reply = run(c, steps, settings.round_warmup)
            if reply["status"] == "ok":
                out[c]["times"].append(reply["times"])
                out[c].setdefault("background_pct", []).append(reply["background_pct"])
                out[c]["final_loss"] = reply["loss"]
                out[c]["rss_end_mib"] = reply["rss_mib"]
    for c, worker in active.items():
        stats = worker.request(cmd="stats")
        out[c]["peak_rss_mib"] = stats.get("peak_rss_mib")
        out[c].update(summarize(out[c].pop("times")))
    _add_ratios(entry)
    _log_line(name, entry, log)
    return entry


def _wait_idle(workers: list[Worker], limit_s: float, quiet_s: float = 0.03) -> None:
    """Return once no worker in ``workers`` used CPU for ``quiet_s``, or after ``limit_s``."""
    deadline = time.perf_counter() + limit_s
    before = [w.cpu_ticks() for w in workers]
    if None in before:  # no /proc: a fixed pause
        time.sleep(limit_s)
        return
    while time.perf_counter() < deadline:
        time.sleep(quiet_s)
        now = [w.cpu_ticks() for w in workers]
        if now == before:
            return
        before = now


def _busy_ticks() -> int | None:
    """Busy CPU time of the whole machine so far (all processes), in clock ticks (Linux)."""
    try:
        with open("/proc/stat") as f:
            fields = [int(v) for v in f.readline().split()[1:]]
    except (OSError, ValueError):
        return None
    user, nice, system, _idle, _iowait, irq, softirq, steal = fields[:8]
    return user + nice + system + irq + softirq + steal


def _background_pct(before, after) -> float | None:
    """CPU used by anything but our workers while one round ran, in % of all cores.

    Other programs on the machine make timings noisy; this number says when they did.
    """
    (busy0, workers0, t0), (busy1, workers1, t1) = before, after
    if None in (busy0, busy1, *workers0, *workers1) or len(workers0) != len(workers1):
        return None
    other = (busy1 - busy0) - (sum(workers1) - sum(workers0))
    capacity = os.sysconf("SC_CLK_TCK") * (t1 - t0) * (os.cpu_count() or 1)
    return round(max(0.0, 100 * other / capacity), 1) if capacity > 0 else None


def _not_run(reply: dict) -> dict:
    result = {"status": reply["status"], "reason": reply.get("reason", "")}
    if "traceback" in reply:
        result["traceback"] = reply["traceback"]
    return result


def summarize(rounds: list[list[list[float]]]) -> dict:
    """Medians over every timed step of every round, in ms.

    ``median_ms`` is the median of whole steps; each phase has its own median, so the phases
    need not add up to it exactly. ``spread_pct`` is (slowest - fastest round median) / median.
    """
    rows = [row for steps in rounds for row in steps]
    if not rows:
        return {"median_ms": None}
    totals = [sum(row) for row in rows]
    phase = {p: statistics.median(row[i] for row in rows) for i, p in enumerate(PHASES)}
    round_medians = [statistics.median(sum(row) for row in steps) for steps in rounds]
    median = statistics.median(totals)
    return {
        "median_ms": median,
        "phases_ms": {
            "forward": phase["forward"],
            "backward": phase["backward"],
            "optimizer": phase["zero_grad"] + phase["step"],
            "zero_grad": phase["zero_grad"],
            "step": phase["step"],
        },
        "round_medians_ms": round_medians,
        "spread_pct": 100 * (max(round_medians) - min(round_medians)) / median,
        "min_ms": min(totals),
        "steps_timed": len(totals),
        "step_ms": [round(t, 4) for t in totals],
    }


def _add_ratios(entry: dict) -> None:
    out = entry["contenders"]

    def median(c):
        result = out.get(c, {})
        return result.get("median_ms") if result.get("status") == "ok" else None

    entry["ratios"] = {}
    for other in (c for c in RATIO_PEERS if c in out):
        a, b = median("minitorch"), median(other)
        entry["ratios"][f"minitorch/{other}"] = a / b if a and b else None


def _log_line(name: str, entry: dict, log) -> None:
    parts = []
    for c, result in entry["contenders"].items():
        ms = result.get("median_ms")
        parts.append(f"{c} {ms:.2f} ms" if ms is not None else f"{c} {result['status']}")
    log(f"  {name:<16} " + ", ".join(parts))
