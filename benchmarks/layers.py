"""Per-layer micro-benchmarks: forward + backward of one layer, minitorch against torch.

    python benchmarks/layers.py [--quick | --tiny] [--json out.json] [--device cpu|cuda]
                                [--only NAME ...] [--rounds N] [--steps N] [--scaling 1 2]

Layers and sizes are in ``specs.LAYERS`` (Linear 512x512 on batch 128, Conv2d 16->32 5x5 on
64x16x14x14, ...). A layer minitorch lacks shows as "n/a". Same worker processes and
interleaved rounds as ``run.py``; one process per contender serves all layers.
``--scaling 1 2`` runs the whole table once per thread count (``--threads`` of each) and adds
the thread-scaling table: per layer and contender, the time on each count and the speedup of
the largest count over the smallest.
"""

import argparse
import json
import sys
import time
from dataclasses import replace
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # run as a script from anywhere

from benchmarks import report, specs  # noqa: E402
from benchmarks.harness import Settings, run_benchmarks  # noqa: E402

CONTENDERS = ["torch", "minitorch"]  # the floor has no layer library


def layer_settings(mode: str, args) -> Settings:
    base = {
        "full": Settings(round_s=0.3, max_steps=100),
        "quick": Settings(
            rounds=3, warmup=2, round_warmup=0, round_s=0.1, min_steps=2, max_steps=30
        ),
        "tiny": Settings(rounds=1, warmup=1, round_warmup=0, steps=2, settle_s=0.0),
    }[mode]
    settings = replace(base, isolate=False)
    if getattr(args, "rounds", None) is not None:
        settings.rounds = args.rounds
    if getattr(args, "steps", None) is not None:
        settings.steps = args.steps
    return settings


def run_layers(args, settings: Settings, options: dict) -> dict:
    table = specs.TINY_LAYERS if args.tiny else specs.LAYERS
    only = getattr(args, "only", None)
    chosen = {k: v for k, v in table.items() if not only or k in only}
    contenders = [c for c in args.contenders if c in CONTENDERS]
    return run_benchmarks(
        "layer",
        chosen,
        contenders,
        args.device,
        options,
        settings,
        log=lambda m: print(m, file=sys.stderr, flush=True),
    )


def main(argv=None) -> dict:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    mode = parser.add_mutually_exclusive_group()
    mode.add_argument("--quick", action="store_true")
    mode.add_argument("--tiny", action="store_true")
    parser.add_argument("--json", metavar="PATH")
    parser.add_argument("--device", choices=["cpu", "cuda"], default="cpu")
    parser.add_argument("--only", nargs="+", metavar="NAME", choices=list(specs.LAYERS))
    parser.add_argument("--contenders", nargs="+", choices=CONTENDERS, default=CONTENDERS)
    parser.add_argument("--rounds", type=int)
    parser.add_argument("--steps", type=int)
    parser.add_argument("--torch-threads", type=int)
    parser.add_argument("--threads", type=int, help="as run.py --threads")
    parser.add_argument(
        "--scaling", type=int, nargs="+", metavar="N",
        help="run once per thread count N and print the thread-scaling table",
    )  # fmt: skip
    args = parser.parse_args(argv)
    if args.scaling and (args.threads is not None or min(args.scaling) < 1):
        parser.error("--scaling takes thread counts >= 1 and replaces --threads")
    mode = "tiny" if args.tiny else "quick" if args.quick else "full"
    settings = layer_settings(mode, args)
    started = time.perf_counter()
    counts = sorted(set(args.scaling)) if args.scaling else [args.threads]
    by_count = {}
    for n in counts:
        by_count[n] = run_layers(args, settings, {"torch_threads": n or args.torch_threads,
                                                  "threads": n})  # fmt: skip
        if not args.scaling:
            print(report.layers_report(by_count[n], args.contenders))
    if args.scaling:
        print(report.scaling_report(by_count, args.contenders))
    print(f"\n(wall time {time.perf_counter() - started:.1f} s)")
    results = by_count[counts[-1]]
    if args.json:
        meta = {"mode": mode, "device": args.device, "settings": vars(settings)}
        data = {"meta": meta, "layers": results}
        if args.scaling:
            data["scaling"] = {str(n): r for n, r in by_count.items()}
        Path(args.json).write_text(json.dumps(data, indent=1))
    return results


if __name__ == "__main__":
    main()
