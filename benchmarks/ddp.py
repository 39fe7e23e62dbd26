"""Data-parallel training: samples/s of the benchmark MLP on 1 and 2 ranks (DDP over MPI).

    python benchmarks/ddp.py                      # 784-512-512-10, batch 1024 per rank
    python benchmarks/ddp.py --global-batch       # batch 1024 in all, split among the ranks
    python benchmarks/ddp.py --ranks 1 2 4 --steps 50 --json ddp.json
    python benchmarks/ddp.py --tiny               # smoke test: a tiny MLP, 2 steps

Each rank count is one ``mpiexec -n R`` job (1 rank too, so every run pays the same
machinery); every rank gets one BLAS thread (``OMP_NUM_THREADS=OPENBLAS_NUM_THREADS=1``).
A step is the harness's: ``zero_grad``, forward + loss, ``backward`` (which all-reduces the
gradients in buckets as they become ready), SGD-momentum step. Reported per step (medians of
rank 0): the step, its phases, the part of backward spent waiting for the all-reduces to
finish (``all-reduce wait``), and a blocking ``all_reduce`` of all the gradients alone. Prints
a Markdown table; never asserts a timing. Needs mpi4py and mpiexec (pip install mpi4py mpich).
"""

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))  # run as a script from anywhere

from benchmarks import report, specs  # noqa: E402

MODEL = "mlp_sgd_b1024"
TINY = {**specs.MODELS[MODEL], "sizes": [32, 16, 16, 10]}


def parse_args(argv=None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--ranks", type=int, nargs="+", default=[1, 2])
    parser.add_argument("--batch", type=int, default=1024, help="per rank (see --global-batch)")
    parser.add_argument(
        "--global-batch",
        action="store_true",
        help="--batch is the total over all ranks (strong scaling)",
    )
    parser.add_argument("--steps", type=int, default=40, help="timed steps per run")
    parser.add_argument("--warmup", type=int, default=5)
    parser.add_argument("--tiny", action="store_true", help="tiny MLP, 2 steps (smoke test)")
    parser.add_argument("--json", metavar="PATH", help="also write the results as JSON")
    parser.add_argument("--worker", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.tiny:
        args.batch, args.steps, args.warmup = 8, 2, 1
    return args


# --- one rank (under mpiexec) -----------------------------------------------------------------
def worker(args: argparse.Namespace) -> None:
    import resource

    import minitorch as mt
    import minitorch.distributed as dist
    from benchmarks.contenders import common

    dist.init_process_group("mpi")
    rank, world = dist.get_rank(), dist.get_world_size()
    spec = {**(TINY if args.tiny else specs.MODELS[MODEL]), "batch": args.batch}
    # seed = rank: each rank its own batch (and initial weights, which DDP replaces by rank 0's)
    step, info = common.train_step(mt, spec, mt.tensor, lambda m: m, lambda: None, seed=rank)
    model = step.model = mt.nn.parallel.DistributedDataParallel(step.model)
    waited = []
    finish = model.reducer.finish

    def timed_finish() -> None:
        start = time.perf_counter()
        finish()
        waited.append(time.perf_counter() - start)

    model.reducer.finish = timed_finish
    phases = {"step": [], "forward": [], "backward": [], "optimizer": [], "wait": []}
    for i in range(args.warmup + args.steps):
        t0 = time.perf_counter()
        step.zero_grad()
        ta = time.perf_counter()
        step.forward()
        t1 = time.perf_counter()
        step.backward()
        t2 = time.perf_counter()
        step.step()
        t3 = time.perf_counter()
        if i >= args.warmup:
            measured = {
                "step": t3 - t0,
                "forward": t1 - ta,
                "backward": t2 - t1,
                "optimizer": ta - t0 + t3 - t2,
                "wait": waited[-1],
            }
            for name, value in measured.items():
                phases[name].append(value)
    flat = mt.zeros(info["parameters"])  # every gradient in one buffer, reduced alone
    alone = []
    for i in range(args.warmup + args.steps):
        start = time.perf_counter()
        dist.all_reduce(flat)
        if i >= args.warmup:
            alone.append(time.perf_counter() - start)
    usage = resource.getrusage(resource.RUSAGE_SELF)
    cpu = mt.tensor([usage.ru_utime + usage.ru_stime], dtype=mt.float64)
    dist.all_reduce(cpu)  # the CPU time of all ranks, to tell our load from the machine's
    if rank == 0:
        result = {name: statistics.median(v) * 1e3 for name, v in phases.items()}
        result["allreduce_alone"] = statistics.median(alone) * 1e3
        result.update(
            ranks=world,
            batch=args.batch,
            parameters=info["parameters"],
            buckets=len(model.reducer.buckets),
            ranks_cpu_s=cpu.item(),
            loss=step.loss_value(),
        )
        print("RESULT " + json.dumps(result), flush=True)


# --- the parent: one mpiexec job per rank count -----------------------------------------------
def run(ranks: int, args: argparse.Namespace) -> dict:
    mpiexec = Path(sys.executable).with_name("mpiexec")
    batch = args.batch // ranks if args.global_batch else args.batch
    cmd = [
        str(mpiexec) if mpiexec.exists() else "mpiexec",
        "-n",
        str(ranks),
        sys.executable,
        __file__,
        "--worker",
        "--batch",
        str(batch),
        "--steps",
        str(args.steps),
        "--warmup",
        str(args.warmup),
    ] + (["--tiny"] if args.tiny else [])
    env = dict(os.environ, OMP_NUM_THREADS="1", OPENBLAS_NUM_THREADS="1")
    busy0, t0 = _busy_ticks(), time.monotonic()
    done = subprocess.run(cmd, capture_output=True, text=True, env=env, cwd=ROOT, timeout=600)
    busy1, t1 = _busy_ticks(), time.monotonic()
    lines = [line for line in done.stdout.splitlines() if line.startswith("RESULT ")]
    if done.returncode != 0 or not lines:
        raise SystemExit(f"{' '.join(cmd)} failed ({done.returncode}):\n{done.stderr[-3000:]}")
    result = json.loads(lines[0][len("RESULT ") :])
    result["samples_per_s"] = ranks * batch / (result["step"] / 1e3)
    if busy0 is not None and busy1 is not None:
        capacity = (t1 - t0) * (os.cpu_count() or 1)
        other = (busy1 - busy0) / os.sysconf("SC_CLK_TCK") - result["ranks_cpu_s"]
        result["other_load_pct"] = round(max(0.0, 100 * other / capacity), 1)
    return result


def _busy_ticks():
    """Busy CPU time of the whole machine so far, in clock ticks (Linux), else None."""
    try:
        with open("/proc/stat") as f:
            fields = [int(v) for v in f.readline().split()[1:8]]
    except (OSError, ValueError):
        return None
    return sum(fields) - fields[3]  # all but idle


def main(argv=None) -> dict:
    args = parse_args(argv)
    if args.worker:
        worker(args)
        return {}
    results = [run(r, args) for r in args.ranks]
    base = results[0]["samples_per_s"] / results[0]["ranks"]  # per rank of the first run
    rows = []
    for r in results:
        scaling = r["samples_per_s"] / base / r["ranks"]
        rows.append(
            [
                r["ranks"],
                r["batch"],
                report.ms(r["step"]),
                f"{r['samples_per_s']:.0f}",
                f"{scaling:.0%}",
                report.ms(r["forward"]),
                report.ms(r["backward"]),
                report.ms(r["wait"]),
                report.ms(r["optimizer"]),
                report.ms(r["allreduce_alone"]),
                r["buckets"],
                f"{r.get('other_load_pct', 'n/a')}%",
            ]
        )
    header = [
        "ranks",
        "batch/rank",
        "ms/step",
        "samples/s",
        "efficiency",
        "forward",
        "backward",
        "all-reduce wait",
        "optimizer",
        "all-reduce alone",
        "buckets",
        "other load",
    ]
    mb = results[0]["parameters"] * 4 / 2**20
    print(
        f"DDP (MPI) on {os.cpu_count()} cores, {results[0]['parameters']} float32 parameters "
        f"({mb:.1f} MiB of gradients per step), one BLAS thread per rank; medians of rank 0, "
        "ms\n"
    )
    print(report.table(header, rows))
    if args.json:
        Path(args.json).write_text(json.dumps({"args": vars(args), "results": results}, indent=1))
    return {"results": results}


if __name__ == "__main__":
    main()
