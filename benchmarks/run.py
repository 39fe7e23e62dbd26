"""Training-step benchmarks: minitorch against PyTorch and the NumPy floor.

    python benchmarks/run.py [--quick | --tiny] [--json out.json] [--device cpu|cuda]
                             [--models NAME ...] [--contenders NAME ...] [--rounds N]
                             [--steps N] [--layers] [--baseline PATH] [--threads N]
    python benchmarks/run.py --compare OLD.json NEW.json

Prints Markdown tables; ``--json`` also writes every number. Without ``--threads`` nothing
here changes thread settings except ``torch.set_num_threads(<usable cores>)`` in the torch
worker; NumPy's OpenBLAS keeps its own default (all usable cores) and minitorch its own (see
``minitorch/backend/parallel.py``). ``--threads N`` sets every contender to N. See
benchmarks/README.md.
"""

import argparse
import datetime
import json
import os
import platform
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # run as a script from anywhere

from benchmarks import report, specs  # noqa: E402
from benchmarks.contenders import CONTENDERS  # noqa: E402
from benchmarks.harness import Settings, run_benchmarks  # noqa: E402

MODES = {
    "full": Settings(),
    "quick": Settings(rounds=3, warmup=3, round_warmup=0, round_s=0.25, min_steps=2, max_steps=50),
    # The smoke test: tiny models, one worker per contender for all of them, 2 timed steps.
    "tiny": Settings(rounds=1, warmup=1, round_warmup=0, steps=2, settle_s=0.0, isolate=False),
}


def parse_args(argv=None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    mode = parser.add_mutually_exclusive_group()
    mode.add_argument("--quick", action="store_true", help="3 short rounds (~1 minute on 2 cores)")
    mode.add_argument("--tiny", action="store_true", help="tiny models, 2 steps: a smoke test")
    parser.add_argument("--json", metavar="PATH", help="write all results as JSON")
    parser.add_argument("--device", choices=["cpu", "cuda"], default="cpu")
    parser.add_argument(
        "--models",
        nargs="+",
        metavar="NAME",
        help="models to run (default: all); prefixes work, e.g. mlp_sgd",
    )
    parser.add_argument(
        "--contenders",
        nargs="+",
        choices=list(CONTENDERS),
        help="default: torch, floor, minitorch (and baseline with --baseline)",
    )
    parser.add_argument(
        "--baseline",
        metavar="PATH",
        help="also run the minitorch of another checkout (e.g. a git worktree of the commit "
        "before a change) as the contender 'baseline', interleaved in the same rounds",
    )
    parser.add_argument("--rounds", type=int, help="interleaved rounds (default 7, quick 3)")
    parser.add_argument(
        "--steps",
        type=int,
        help="timed steps per round (default: sized so "
        "the slowest contender's round takes ~1 s, quick ~0.25 s)",
    )
    parser.add_argument(
        "--layers",
        action="store_true",
        help="also run the per-layer micro-benchmarks (benchmarks/layers.py)",
    )
    parser.add_argument(
        "--torch-threads",
        type=int,
        help="torch.set_num_threads on CPU (default: --threads, else the usable cores)",
    )
    parser.add_argument(
        "--threads",
        type=int,
        metavar="N",
        help="CPU threads of every contender: torch.set_num_threads(N), mt.set_num_threads(N) "
        "(BLAS and minitorch's own pool), the floor's BLAS (default: each library's default)",
    )
    parser.add_argument(
        "--compare",
        nargs=2,
        metavar=("OLD", "NEW"),
        help="run nothing: print per benchmark and contender NEW/OLD of two --json files",
    )
    args = parser.parse_args(argv)
    if args.threads is not None and args.threads < 1:
        parser.error(f"--threads must be >= 1, got {args.threads}")
    return args


def contenders_for(args) -> list[str]:
    """The contenders to run; --baseline adds 'baseline' and passes its path to the workers."""
    chosen = list(args.contenders or [c for c in CONTENDERS if c != "baseline"])
    if args.baseline:
        if not (Path(args.baseline) / "minitorch" / "__init__.py").is_file():
            raise SystemExit(f"--baseline {args.baseline}: no minitorch/__init__.py there")
        os.environ["MINITORCH_BASELINE"] = str(Path(args.baseline).resolve())
        if "baseline" not in chosen:
            chosen.append("baseline")
    elif "baseline" in chosen:
        raise SystemExit("the 'baseline' contender needs --baseline PATH")
    return chosen


def settings_for(args) -> tuple[str, Settings]:
    mode = "tiny" if args.tiny else "quick" if args.quick else "full"
    settings = Settings(**vars(MODES[mode]))
    if args.rounds is not None:
        settings.rounds = args.rounds
    if args.steps is not None:
        settings.steps = args.steps
    return mode, settings


def select(table: dict, names: list[str] | None) -> dict:
    if not names:
        return dict(table)
    chosen = {k: v for k, v in table.items() if any(k.startswith(n) for n in names)}
    if not chosen:
        raise SystemExit(f"no benchmark matches {names}; choose from {', '.join(table)}")
    return chosen


def usable_cores() -> int:
    if hasattr(os, "sched_getaffinity"):
        return len(os.sched_getaffinity(0))
    return os.cpu_count() or 1


def machine() -> dict:
    cpu = platform.processor()
    try:
        with open("/proc/cpuinfo") as f:
            lines = f.read().splitlines()
        cpu = next(
            line.split(":", 1)[1].strip() for line in lines if line.startswith("model name")
        )
        flags = next(line for line in lines if line.startswith("flags")).split()
        simd = [f for f in ("avx2", "avx512f", "amx_tile") if f in flags]
    except (OSError, StopIteration):
        simd = []
    threads = {k: v for k, v in os.environ.items() if k.endswith("_NUM_THREADS")}
    return {
        "cpu": cpu,
        "simd": simd,
        "cores": os.cpu_count(),
        "usable_cores": usable_cores(),
        "platform": platform.platform(),
        "python": platform.python_version(),
        "thread_env": threads,
    }


def main(argv=None) -> dict:
    args = parse_args(argv)
    if args.compare:
        old, new = (json.loads(Path(p).read_text()) for p in args.compare)
        print(report.compare_report(old, new, *args.compare))
        return {"compare": args.compare}
    args.contenders = contenders_for(args)
    mode, settings = settings_for(args)
    options = {"torch_threads": args.torch_threads, "threads": args.threads}
    models = select(specs.TINY_MODELS if args.tiny else specs.MODELS, args.models)
    started = time.perf_counter()
    meta = {
        "date": datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds"),
        "command": " ".join(["python benchmarks/run.py", *(argv or sys.argv[1:])]),
        "mode": mode,
        "device": args.device,
        "settings": vars(settings),
        "machine": machine(),
    }
    print(
        f"# minitorch benchmarks ({mode}, {args.device}, {settings.rounds} rounds)",
        file=sys.stderr,
    )
    results = {"meta": meta}
    results["models"] = run_benchmarks(
        "model", models, args.contenders, args.device, options, settings, log=_stderr
    )
    text = [
        _header(meta, results["models"]),
        report.models_report(results["models"], args.contenders),
    ]
    if args.layers:
        from benchmarks.layers import layer_settings, run_layers

        results["layers"] = run_layers(args, layer_settings(mode, args), options)
        text.append(report.layers_report(results["layers"], _layer_contenders(args)))
    meta["wall_s"] = round(time.perf_counter() - started, 1)
    print("\n\n".join(text))
    print(f"\n(wall time {meta['wall_s']} s)")
    if args.json:
        Path(args.json).write_text(json.dumps(results, indent=1))
    return results


def _layer_contenders(args) -> list[str]:
    return [c for c in args.contenders if c != "floor"]


def _header(meta: dict, results: dict) -> str:
    m = meta["machine"]
    setup = {}
    for entry in results.values():
        for c, result in entry["contenders"].items():
            setup.setdefault(c, result.get("setup"))
    versions = ", ".join(f"{c} {s.get('version')}" for c, s in setup.items() if s)
    torch_threads = (setup.get("torch") or {}).get("threads")
    mt_threads = (setup.get("minitorch") or {}).get("threads")
    return "\n".join(
        [
            f"## minitorch benchmarks, {meta['date']}",
            "",
            f"`{meta['command']}` on {m['cpu']} "
            f"({m['usable_cores']} cores, {'/'.join(m['simd'])}), "
            f"device {meta['device']}; {versions}; torch threads {torch_threads}; "
            f"minitorch threads {mt_threads}; "
            f"BLAS {(setup.get('floor') or {}).get('blas', 'n/a')}.",
        ]
    )


def _stderr(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


if __name__ == "__main__":
    main()
