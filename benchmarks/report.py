"""Print make bench's ratio tables from a pytest-benchmark JSON file.

    python benchmarks/report.py .benchmarks/last.json

One table per group: each variant's time, "% of limit" (limit time / variant
time: 100 % means nothing but the matrix products), and how many times faster
ours is than each variant. Ratios use each variant's minimum over its rounds:
on a shared machine the minimum is the run least disturbed by other processes.
"""
import json
import sys
from collections import defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # the repository root, for `benchmarks`
from benchmarks.common import EXTRA_VARIANTS, VARIANT_TITLES, VARIANTS  # noqa: E402

SPEEDUP_COLUMNS = (("loop", "loop"), ("seed", "seed"), ("tf", "TF"), ("torch", "PyTorch"))


def _unit(seconds):
    for scale, unit in ((1.0, "s"), (1e-3, "ms"), (1e-6, "us")):
        if seconds >= scale:
            return scale, unit
    return 1e-6, "us"


def describe_machine(machine_info):
    lines = []
    for pool in machine_info.get("threadpools", []):
        lines.append(f"  {pool.get('user_api')}: {pool.get('internal_api')} {pool.get('version') or ''} "
                     f"({pool.get('prefix')}), architecture {pool.get('architecture') or '-'}, "
                     f"threads {pool.get('num_threads')}")
    env = machine_info.get("env", {})
    shown = ", ".join(f"{k}={v}" for k, v in env.items() if v is not None) or "none set"
    cpu = machine_info.get("cpu", {}).get("brand_raw", "?")
    return [f"CPU: {cpu}; benchmark threads per framework: {machine_info.get('bench_threads', '?')}",
            "Thread pools in the benchmark process (threadpoolctl):", *lines,
            f"Environment: {shown}"]


def group_tables(benchmarks):
    groups = defaultdict(dict)
    for bench in benchmarks:
        groups[bench["group"]][bench["extra_info"].get("variant", bench["name"])] = bench
    out = []
    for group, by_variant in groups.items():
        ours = by_variant.get("ours")
        limit = by_variant.get("limit")
        ref = ours or next(iter(by_variant.values()))
        scale, unit = _unit(ref["stats"]["min"])
        training_run = any("train_acc" in b["extra_info"] for b in by_variant.values())
        rounds = ref["stats"]["rounds"]
        out.append("")
        out.append(f"== {group} ==  (min over {rounds} round{'s' * (rounds != 1)}; "
                   f"{'whole process, wall clock' if training_run else 'one call'})")
        header = f"  {'variant':<24} {'min':>10} {'median':>10} {'% of limit':>11} {'ours faster by':>15}"
        if training_run:
            header += f" {'train acc':>10} {'test acc':>9}"
        out.append(header)
        for variant in VARIANTS[:1] + EXTRA_VARIANTS + VARIANTS[1:]:
            bench = by_variant.get(variant)
            if bench is None:
                if variant not in EXTRA_VARIANTS:
                    out.append(f"  {VARIANT_TITLES[variant]:<24} {'(not run: skipped)':>10}")
                continue
            stats = bench["stats"]
            pct = f"{100 * limit['stats']['min'] / stats['min']:.1f} %" if limit else "-"
            faster = f"{stats['min'] / ours['stats']['min']:.2f}x" if ours else "-"
            row = (f"  {VARIANT_TITLES[variant]:<24} {stats['min'] / scale:>7.1f} {unit:<2} "
                   f"{stats['median'] / scale:>7.1f} {unit:<2} {pct:>11} {faster:>15}")
            if training_run:
                extra = bench["extra_info"]
                acc = [extra.get("train_acc"), extra.get("test_acc")]
                row += "".join(f" {a:>9.4f}" if isinstance(a, float) and a == a else f" {'-':>9}" for a in acc)
            out.append(row)
        if ours:
            parts = []
            if limit:
                parts.append(f"ours = {100 * limit['stats']['min'] / ours['stats']['min']:.1f} % of limit")
            for variant, title in SPEEDUP_COLUMNS:
                if variant in by_variant:
                    parts.append(f"{by_variant[variant]['stats']['min'] / ours['stats']['min']:.2f}x over {title}")
            out.append("  -> " + "; ".join(parts))
        if "floor" in ref["extra_info"]:
            out.append(f"  (limit here = {ref['extra_info']['floor']})")
    return out


def main(argv=None):
    argv = sys.argv[1:] if argv is None else argv
    if len(argv) != 1:
        sys.exit("usage: python benchmarks/report.py BENCHMARK.json")
    with open(argv[0]) as f:
        data = json.load(f)
    print("\n".join(describe_machine(data.get("machine_info", {})) + group_tables(data["benchmarks"])))


if __name__ == "__main__":
    main()
