"""Plain-text (Markdown) tables of the results; the same text is fine on a terminal."""


RATIO_PEERS = ("torch", "floor", "baseline")  # minitorch's time divided by each of these


def table(header: list[str], rows: list[list[str]]) -> str:
    """A Markdown table with columns padded to their widest cell."""
    widths = [max(len(str(r[i])) for r in [header, *rows]) for i in range(len(header))]

    def line(cells):
        return "| " + " | ".join(str(c).ljust(w) for c, w in zip(cells, widths)) + " |"

    return "\n".join([line(header), line(["-" * w for w in widths]), *map(line, rows)])


def ms(value) -> str:
    if value is None:
        return "n/a"
    return f"{value:.3f}" if value < 1 else f"{value:.2f}" if value < 100 else f"{value:.0f}"


def cell(result: dict | None, key: str = "median_ms") -> str:
    if result is None:
        return "-"
    if result.get("status") != "ok":
        return result["status"]
    return ms(result.get(key))


def ratio(value) -> str:
    return "n/a" if value is None else f"{value:.2f}x"


def mib(value) -> str:
    return "n/a" if value is None else f"{value:.0f}"


def models_report(results: dict, contenders: list[str]) -> str:
    """Headline table (median ms/step and ratios), then phases and memory per contender."""
    ratios = [f"minitorch/{c}" for c in RATIO_PEERS if {c, "minitorch"} <= {*contenders}]
    header = ["model", *[f"{c} ms" for c in contenders], *ratios]
    rows = []
    for name, entry in results.items():
        out = entry["contenders"]
        rows.append(
            [name, *[cell(out.get(c)) for c in contenders]]
            + [ratio(entry["ratios"][r]) for r in ratios]
        )
    parts = ["### Training step: median ms/step (lower is better)", "", table(header, rows)]
    parts += _load_warning(results)

    header = [
        "model",
        "contender",
        "forward",
        "backward",
        "optimizer",
        "total",
        "spread",
        "steps",
        "other load",
        "RSS import MiB",
        "peak RSS MiB",
        "loss",
    ]
    rows = []
    for name, entry in results.items():
        for c in contenders:
            result = entry["contenders"].get(c)
            if result is None or result.get("status") != "ok" or result.get("median_ms") is None:
                continue
            phases = result["phases_ms"]
            rows.append(
                [
                    name,
                    c,
                    ms(phases["forward"]),
                    ms(phases["backward"]),
                    ms(phases["optimizer"]),
                    ms(result["median_ms"]),
                    f"{result['spread_pct']:.0f}%",
                    result["steps_timed"],
                    _load(result),
                    mib(result["rss_import_mib"]),
                    mib(result.get("peak_rss_mib")),
                    f"{result.get('final_loss', float('nan')):.4f}",
                ]
            )
    if rows:
        isolated = all(entry.get("rss_isolated", True) for entry in results.values())
        note = "" if isolated else " (one process per contender for all models: peaks add up)"
        parts += [
            "",
            f"### Where the time goes (median ms per phase) and memory{note}",
            "",
            table(header, rows),
        ]
    parts += _reasons(results)
    return "\n".join(parts)


def layers_report(results: dict, contenders: list[str]) -> str:
    """Per-layer forward / backward medians per contender and the minitorch/torch ratio."""
    header = ["layer", "input"]
    for c in contenders:
        header += [f"{c} fwd", f"{c} bwd", f"{c} total"]
    if "minitorch" in contenders and "torch" in contenders:
        header.append("minitorch/torch")
    rows = []
    for name, entry in results.items():
        out = entry["contenders"]
        shape = next((r["info"]["input"] for r in out.values() if r.get("status") == "ok"), "")
        row = [name, "x".join(map(str, shape)) if shape else "-"]
        for c in contenders:
            result = out.get(c)
            if result is None or result.get("status") != "ok":
                row += [cell(result), "", ""]
            else:
                phases = result["phases_ms"]
                row += [ms(phases["forward"]), ms(phases["backward"]), ms(result["median_ms"])]
        if len(header) > len(row):
            row.append(ratio(entry["ratios"]["minitorch/torch"]))
        rows.append(row)
    parts = [
        "### Layers: forward + backward, median ms (lower is better)",
        "",
        table(header, rows),
    ]
    return "\n".join(parts + _reasons(results))


def scaling_report(by_count: dict, contenders: list[str]) -> str:
    """Per layer and contender: median ms at each thread count, and the speedup of the largest
    count over the smallest (``by_count``: threads -> a ``run_layers`` result)."""
    counts = sorted(by_count)
    low, high = counts[0], counts[-1]
    header = ["layer"]
    for c in contenders:
        header += [f"{c} {n}T" for n in counts] + [f"{c} {high}T/{low}T speedup"]
    rows = []
    for name in by_count[low]:
        row = [name]
        for c in contenders:
            results = [by_count[n][name]["contenders"].get(c) for n in counts]
            row += [cell(r) for r in results]
            ok = [r for r in (results[0], results[-1]) if r and r.get("status") == "ok"]
            row.append(f"{ok[0]['median_ms'] / ok[1]['median_ms']:.2f}x" if len(ok) == 2 else "-")
        rows.append(row)
    parts = [
        f"### Thread scaling: forward + backward, median ms on {', '.join(map(str, counts))} "
        "threads",
        "",
        table(header, rows),
    ]
    return "\n".join(parts)


def _load(result: dict) -> str:
    loads = [v for v in result.get("background_pct", []) if v is not None]
    return f"{max(loads):.0f}%" if loads else "n/a"


def _load_warning(results: dict) -> list[str]:
    loads = [
        v
        for entry in results.values()
        for r in entry["contenders"].values()
        for v in r.get("background_pct", [])
        if v is not None
    ]
    if not loads or max(loads) < 10:
        return []
    return [
        "",
        f"Warning: other programs used up to {max(loads):.0f}% of the CPU while rounds "
        "ran (column 'other load'); those timings are noisy, rerun on a quiet machine.",
    ]


def _reasons(results: dict) -> list[str]:
    """One line per distinct reason something did not run, with the benchmarks it hit."""
    seen: dict[tuple[str, str, str], list[str]] = {}
    for name, entry in results.items():
        for c, result in entry["contenders"].items():
            if result.get("status") != "ok":
                key = (c, result["status"], result.get("reason", ""))
                seen.setdefault(key, []).append(name)
    if not seen:
        return []
    lines = ["", "Not run:"]
    for (c, status, reason), names in seen.items():
        lines.append(f"- {c} {status} on {', '.join(names)}: {reason}")
    return lines


def compare_report(old: dict, new: dict, old_name: str = "old", new_name: str = "new") -> str:
    """Per benchmark and contender: the median ms of two ``--json`` runs and new/old, and, where
    both runs have torch, the minitorch/torch ratio of each."""
    parts = [f"### {new_name} against {old_name}: median ms (new/old < 1: faster)"]
    for section in ("models", "layers"):
        a, b = old.get(section) or {}, new.get(section) or {}
        names = [n for n in b if n in a]
        contenders = [
            c
            for c in dict.fromkeys(c for n in names for c in b[n]["contenders"])
            if any(c in a[n]["contenders"] for n in names)
        ]
        if not names or not contenders:
            continue
        header = [section[:-1]]
        for c in contenders:
            header += [f"{c} old", f"{c} new", f"{c} new/old"]
        header += ["minitorch/torch old", "minitorch/torch new"]
        rows = []
        for n in names:
            row = [n]
            for c in contenders:
                was, now = _median(a[n], c), _median(b[n], c)
                row += [ms(was), ms(now), ratio(now / was) if was and now else "-"]
            rows += [row + [ratio(_torch_ratio(a[n])), ratio(_torch_ratio(b[n]))]]
        parts += ["", table(header, rows)]
    if len(parts) == 1:
        parts.append("\n(no benchmark and contender in common)")
    return "\n".join(parts)


def _median(entry: dict, contender: str) -> float | None:
    result = entry["contenders"].get(contender) or {}
    return result.get("median_ms") if result.get("status") == "ok" else None


def _torch_ratio(entry: dict) -> float | None:
    return (entry.get("ratios") or {}).get("minitorch/torch")
