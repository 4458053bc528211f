#!/usr/bin/env python3
"""Turn the VM benchmark's "BENCH <config> <rep> <value>" lines into a table,
a CSV, a JSON file and a PNG plot (gnuplot). Ratios are against the
module-not-loaded configuration of the same kind (exec, connect, bind)
from the same run. Several runs (--run, e.g. two under instruction
counting and one in wall-clock time) are printed side by side; the first
is the main table. "BENCHEV" lines (event throughput) get a table of
their own."""
import argparse
import json
import platform
import shutil
import statistics
import subprocess
import sys
from pathlib import Path

ORDER = [
    "unloaded", "loaded-unbound", "other-cgroup-bound",
    "bound-10-enforce", "bound-1000-enforce", "bound-10000-enforce",
    "bound-1000-audit", "bound-1000-enforce-listener",
    "audit-every-exec-listener", "audit-every-exec-nolistener",
    "apparmor-10", "apparmor-1000", "apparmor-10000",
    "connect-unloaded", "connect-loaded-unbound", "connect-other-cgroup-bound",
    "connect-bound-10-cidr", "connect-bound-10000-cidr",
    "connect-bound-10-cidr-audit", "connect-bound-10-cidr-audit-listener",
    "connect-apparmor-10", "connect-apparmor-10000",
    "bind-unloaded", "bind-loaded-unbound", "bind-other-cgroup-bound",
    "bind-bound-10-ports", "bind-bound-10000-ports",
    "bind-bound-10-ports-audit",
]
# connect-* rows are loopback TCP connects (socket+connect+close), bind-*
# rows TCP binds (socket+bind+close); every other row is an exec.
KINDS = ("connect", "bind")
# The plot: rule count of each configuration, per kind.
SCALING = {"bound-10-enforce": ("exec", 10),
           "bound-1000-enforce": ("exec", 1000),
           "bound-10000-enforce": ("exec", 10000),
           "connect-bound-10-cidr": ("connect", 10),
           "connect-bound-10000-cidr": ("connect", 10000),
           "bind-bound-10-ports": ("bind", 10),
           "bind-bound-10000-ports": ("bind", 10000),
           "apparmor-10": ("exec-apparmor", 10),
           "apparmor-1000": ("exec-apparmor", 1000),
           "apparmor-10000": ("exec-apparmor", 10000)}


def kind(config):
    k = config.split("-", 1)[0]
    return k if k in KINDS else "exec"


def parse(tap, scale=None, aa=None):
    samples, mem, events = {}, {}, {}
    for line in Path(tap).read_text(errors="replace").splitlines():
        f = line.split()
        if len(f) == 4 and f[0] == "BENCHAA" and aa is not None:
            aa.setdefault(f[1], {})[f[2]] = float(f[3])
        elif len(f) == 4 and f[0] == "BENCHSCALE" and scale is not None:
            scale.setdefault(int(f[1]), {})[f[2]] = float(f[3])
        elif len(f) == 4 and f[0] == "BENCH":
            samples.setdefault(f[1], []).append(float(f[3]))
        elif len(f) == 3 and f[0] == "BENCHMEM" and f[2].isdigit():
            mem[f[1]] = int(f[2])
        elif len(f) in (8, 9) and f[0] == "BENCHEV":
            v = [int(x) for x in f[3:]]
            events.setdefault(f[1], []).append(v + [0] * (6 - len(v)))
    return samples, mem, events


def event_rows(events):
    """Per configuration: generation rate (events/s the flooding task made,
    median of the repetitions), delivery rate (events/s from the flood's
    start until the monitor had written the last one), and what the
    listener got: received, reported gaps, kernel-counted drops, and
    whether every generated event is accounted for (received + dropped ==
    generated)."""
    rows = []
    for name, reps in sorted(events.items()):
        rates = [r[0] / (r[1] / 1e9) for r in reps if r[1] > 0]
        deliv = [r[2] / (r[5] / 1e9) for r in reps if r[5] > 0]
        rows.append({
            "delivered_per_s_median":
                round(statistics.median(deliv)) if deliv else None,
            "delivered_per_s_min": round(min(deliv)) if deliv else None,
            "delivered_per_s_max": round(max(deliv)) if deliv else None,
            "config": name, "n": len(reps),
            "events_per_rep": reps[0][0],
            "generated_per_s_median": round(statistics.median(rates)),
            "generated_per_s_min": round(min(rates)),
            "generated_per_s_max": round(max(rates)),
            "received": sum(r[2] for r in reps),
            "gaps": sum(r[3] for r in reps),
            "dropped_counted": sum(r[4] for r in reps),
            "generated": sum(r[0] for r in reps),
            "accounted": all(r[2] + r[4] == r[0] for r in reps)
            if "monitor" in name else None,
        })
    return rows


def scale_rows(scale, samples):
    """Per binding count: bind, list and unbind times, kernel memory, and
    the exec cost of a bound and of an unbound task against the same with
    the fewest bindings of the run (medians of the samples)."""
    rows = []
    counts = sorted(scale)
    if not counts:
        return rows

    def med(name):
        v = samples.get(name)
        return statistics.median(v) if v else None
    b0, u0 = med("scale-%d-bound" % counts[0]), med("scale-%d-unbound" % counts[0])
    for n in counts:
        d = scale[n]
        b, u = med("scale-%d-bound" % n), med("scale-%d-unbound" % n)
        rows.append({
            "bindings": n, "bind_all_s": d.get("bind_all_s"),
            "bind_each_ms": round(1000 * d["bind_all_s"] / n, 2)
            if "bind_all_s" in d else None,
            "kernel_kb": d.get("kernel_kb"),
            "kernel_bytes_per_binding": round(1024 * d["kernel_kb"] / n)
            if "kernel_kb" in d else None,
            "list_s": d.get("list_s"), "listed": d.get("listed"),
            "unbind_all_s": d.get("unbind_all_s"),
            "exec_bound_ns": round(b) if b else None,
            "exec_bound_ratio": round(b / b0, 4) if b and b0 else None,
            "exec_unbound_ns": round(u) if u else None,
            "exec_unbound_ratio": round(u / u0, 4) if u and u0 else None,
        })
    return rows


def ratio_rows(samples):
    """Per configuration: samples, median, min, max (ns) and the ratio of
    the median to the module-not-loaded median of its kind, same run."""
    rows = []
    for name in ORDER + sorted(set(samples) - set(ORDER)):
        if name not in samples:
            continue
        v = samples[name]
        med = statistics.median(v)
        k = kind(name)
        base_name = "unloaded" if k == "exec" else k + "-unloaded"
        if base_name not in samples:
            continue
        base = statistics.median(samples[base_name])
        rows.append({"config": name, "n": len(v), "median_ns": round(med),
                     "min_ns": round(min(v)), "max_ns": round(max(v)),
                     "ratio": round(med / base, 4),
                     "spread_pct": round(100 * (max(v) - min(v)) / med, 2)})
    return rows


def side_by_side(runs):
    """The runs' ratios next to each other, each with its samples' spread
    ((max - min) / median): the same tree measured several ways."""
    labels = [label for label, _ in runs]
    by = [{r["config"]: r for r in rows} for _, rows in runs]
    configs = [r["config"] for r in runs[0][1]]
    print("\nruns side by side: ratio to the module not loaded "
          "(spread of the samples):")
    print("%-30s" % "config" + "".join(" %20s" % l for l in labels))
    for c in configs:
        cells = []
        for b in by:
            r = b.get(c)
            cells.append(" %20s" % ("%.4f (%5.2f%%)" % (r["ratio"],
                                                         r["spread_pct"])
                                    if r else "-"))
        print("%-30s" % c + "".join(cells))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--kernel", default="")
    ap.add_argument("--run", action="append", required=True,
                    metavar="LABEL=TAP",
                    help="a run's TAP output; the first is the main table")
    ap.add_argument("outdir")
    a = ap.parse_args()
    runs, allev, allscale, first, first_aa = [], [], [], None, {}
    for spec in a.run:
        label, _, tap = spec.partition("=")
        scale, aa = {}, {}
        samples, mem, events = parse(tap, scale, aa)
        if not samples and not events:
            sys.exit("bench-report: no samples in %s" % tap)
        runs.append((label, ratio_rows(
            {k: v for k, v in samples.items() if not k.startswith("scale-")})))
        allev.append((label, event_rows(events)))
        allscale.append((label, scale_rows(scale, samples)))
        if first is None:
            first = (label, mem, events)
            first_aa = aa
    label, mem, events = first
    rows = runs[0][1]
    out = Path(a.outdir)
    out.mkdir(parents=True, exist_ok=True)
    meta = {"kernel": a.kernel, "host": platform.node(),
            "cpu": cpu_model(), "main_run": label,
            "vm": "QEMU TCG -cpu max; icount runs: -smp 1 -icount "
                  "shift=0,sleep=off; wall runs: -smp 2",
            "unit": "ns per operation: exec = vfork+execve+wait of a static "
                    "no-op, connect = socket+connect+close (loopback TCP), "
                    "bind = socket+bind+close (TCP)"}
    erows = event_rows(events)
    (out / "hooks.json").write_text(json.dumps(
        {"meta": meta, "rows": rows, "runs": dict(runs), "events": erows,
         "events_runs": dict(allev), "scale_runs": dict(allscale),
         "apparmor_profile_load_s": {k: v.get("load_s")
                                     for k, v in first_aa.items()},
         "profile_kernel_memory_bytes": mem}, indent=2) + "\n")
    with open(out / "hooks.csv", "w") as f:
        f.write("run,config,samples,median_ns,min_ns,max_ns,ratio,spread_pct\n")
        for lab, rs in runs:
            for r in rs:
                f.write(lab + ",%(config)s,%(n)d,%(median_ns)d,%(min_ns)d,"
                        "%(max_ns)d,%(ratio).4f,%(spread_pct).2f\n" % r)
    print("run %s:" % label)
    print("%-30s %7s %10s %10s %10s %8s %7s" % (
        "config", "samples", "median ns", "min ns", "max ns", "ratio",
        "spread"))
    for r in rows:
        print("%(config)-30s %(n)7d %(median_ns)10d %(min_ns)10d "
              "%(max_ns)10d %(ratio)8.4f %(spread_pct)6.2f%%" % r)
    if len(runs) > 1 and rows:
        side_by_side(runs)
    for lab, ers in allev:
        if not ers:
            continue
        print("\nevent throughput, run %s (audited UDP connect, one event "
              "each; delivered: until monitor --json wrote the last):" % lab)
        print("%-22s %8s %12s %18s %12s %18s %8s %5s %7s %4s" % (
            "config", "events", "generated/s", "min..max", "delivered/s",
            "min..max", "received", "gaps", "dropped", "all"))
        for r in ers:
            d = r["delivered_per_s_median"]
            print("%-22s %8d %12d %18s %12s %18s %8d %5d %7d %4s" % (
                r["config"], r["generated"], r["generated_per_s_median"],
                "%d..%d" % (r["generated_per_s_min"],
                            r["generated_per_s_max"]),
                d if d is not None else "-",
                "%d..%d" % (r["delivered_per_s_min"], r["delivered_per_s_max"])
                if d is not None else "-",
                r["received"], r["gaps"], r["dropped_counted"],
                {True: "yes", False: "NO", None: "-"}[r["accounted"]]))
    for lab, srs in allscale:
        if not srs:
            continue
        print("\nscale, run %s (containers bound one by one with kcsadm bind, "
              "100 profiles of 100 patterns; exec ratios against %d "
              "binding(s)):" % (lab, srs[0]["bindings"]))
        print("%9s %10s %9s %10s %10s %8s %8s %10s %10s" % (
            "bindings", "bind all", "each", "kernel", "per bind", "list",
            "unbind", "exec bound", "unbound"))
        for r in srs:
            def f(v, fmt):
                return fmt % v if v is not None else "-"
            print("%9d %10s %9s %10s %10s %8s %8s %10s %10s" % (
                r["bindings"], f(r["bind_all_s"], "%.2f s"),
                f(r["bind_each_ms"], "%.1f ms"), f(r["kernel_kb"], "%d kB"),
                f(r["kernel_bytes_per_binding"], "%d B"),
                f(r["list_s"], "%.2f s"), f(r["unbind_all_s"], "%.2f s"),
                f(r["exec_bound_ratio"], "%.4f"),
                f(r["exec_unbound_ratio"], "%.4f")))
    if mem:
        print("\nkernel memory per profile (kcsadm profile show):")
        for name, b in sorted(mem.items(), key=lambda kv: kv[1]):
            print("  %-8s %10d bytes" % (name, b))
    if first_aa:
        print("\nAppArmor profile compile and load (apparmor_parser -r, in "
              "the guest):")
        for name, d in sorted(first_aa.items(), key=lambda kv: len(kv[0])):
            print("  %-8s %8.2f s" % (name, d.get("load_s", 0)))
    plot(rows, out)


def cpu_model():
    try:
        for line in open("/proc/cpuinfo"):
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor()


def plot(rows, out):
    by = {r["config"]: r for r in rows}
    series = {}
    for config, (k, n) in SCALING.items():
        if config in by:
            r = by[config]
            base = r["median_ns"] / r["ratio"]
            series.setdefault(k, []).append(
                (n, r["ratio"], r["min_ns"] / base, r["max_ns"] / base))
    if not series or not shutil.which("gnuplot"):
        print("bench-report: no plot (gnuplot missing or no scaling data)")
        return
    plots = []
    for k, pts in sorted(series.items()):
        dat = out / ("scaling-%s.dat" % k)
        dat.write_text("".join("%d %.4f %.4f %.4f\n" % p
                               for p in sorted(pts)))
        plots.append("'%s' using 1:2:3:4 with yerrorlines title '%s "
                     "median (min..max)'" % (dat, k))
    script = """
set terminal pngcairo size 900,540 noenhanced
set output '%s'
set title 'kcs overhead vs. rule count (bound task, Enforce, allowed operation)'
set logscale x
set xlabel 'patterns (exec) / CIDR rules (connect) / ports (bind) in the profile'
set ylabel 'time / module not loaded'
set grid
set xrange [5:20000]
plot %s, \\
     1.02 with lines dashtype 2 title 'target 1.02'
""" % (out / "hooks-scaling.png", ", \\\n     ".join(plots))
    try:
        subprocess.run(["gnuplot"], input=script, text=True, check=True)
    except (OSError, subprocess.CalledProcessError) as e:
        print("bench-report: gnuplot failed: %s" % e)


if __name__ == "__main__":
    main()
