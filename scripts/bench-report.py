#!/usr/bin/env python3
"""Turn the VM benchmark's "BENCH <config> <rep> <value>" lines into a table,
a CSV, a JSON file and a PNG plot (gnuplot). Ratios are against the
'unloaded' configuration's median from the same run."""
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
    "connect-unloaded", "connect-loaded-unbound", "connect-bound-10-cidr",
    "connect-bound-10000-cidr",
]
# connect-* rows are loopback TCP connects (socket+connect+close), their
# ratio is against connect-unloaded; every other row is an exec.
# Pattern counts of the configurations the plot draws.
SCALING = {"bound-10-enforce": 10, "bound-1000-enforce": 1000,
           "bound-10000-enforce": 10000}


def parse(tap):
    samples, mem = {}, {}
    for line in Path(tap).read_text(errors="replace").splitlines():
        f = line.split()
        if len(f) == 4 and f[0] == "BENCH":
            samples.setdefault(f[1], []).append(float(f[3]))
        elif len(f) == 3 and f[0] == "BENCHMEM" and f[2].isdigit():
            mem[f[1]] = int(f[2])
    return samples, mem


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--kernel", default="")
    ap.add_argument("tap")
    ap.add_argument("outdir")
    a = ap.parse_args()
    samples, mem = parse(a.tap)
    if "unloaded" not in samples:
        sys.exit("bench-report: no baseline samples in %s" % a.tap)
    base = statistics.median(samples["unloaded"])
    rows = []
    for name in ORDER + sorted(set(samples) - set(ORDER)):
        if name not in samples:
            continue
        v = samples[name]
        med = statistics.median(v)
        base = statistics.median(samples["unloaded"])
        if name.startswith("connect-") and "connect-unloaded" in samples:
            base = statistics.median(samples["connect-unloaded"])
        rows.append({"config": name, "n": len(v), "median_ns": round(med),
                     "min_ns": round(min(v)), "max_ns": round(max(v)),
                     "ratio": round(med / base, 4)})
    out = Path(a.outdir)
    out.mkdir(parents=True, exist_ok=True)
    meta = {"kernel": a.kernel, "host": platform.node(),
            "cpu": cpu_model(), "vm": "QEMU TCG -cpu max -smp 2",
            "unit": "ns per fork+exec+wait of a static no-op"}
    (out / "exec.json").write_text(json.dumps(
        {"meta": meta, "rows": rows, "profile_kernel_memory_bytes": mem},
        indent=2) + "\n")
    with open(out / "exec.csv", "w") as f:
        f.write("config,samples,median_ns,min_ns,max_ns,ratio\n")
        for r in rows:
            f.write("%(config)s,%(n)d,%(median_ns)d,%(min_ns)d,%(max_ns)d,"
                    "%(ratio).4f\n" % r)
    print("%-30s %7s %10s %10s %10s %8s" % ("config", "samples", "median ns",
                                           "min ns", "max ns", "ratio"))
    for r in rows:
        print("%(config)-30s %(n)7d %(median_ns)10d %(min_ns)10d "
              "%(max_ns)10d %(ratio)8.4f" % r)
    if mem:
        print("\nkernel memory per profile (kcsadm profile show):")
        for name, b in sorted(mem.items(), key=lambda kv: kv[1]):
            print("  %-8s %10d bytes" % (name, b))
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
    pts = [(SCALING[r["config"]], r["ratio"], r["min_ns"], r["max_ns"])
           for r in rows if r["config"] in SCALING]
    if not pts or not shutil.which("gnuplot"):
        print("bench-report: no plot (gnuplot missing or no scaling data)")
        return
    base = next(r for r in rows if r["config"] == "unloaded")["median_ns"]
    dat = out / "exec-scaling.dat"
    dat.write_text("".join("%d %.4f %.4f %.4f\n" % (n, r, lo / base, hi / base)
                           for n, r, lo, hi in sorted(pts)))
    script = """
set terminal pngcairo size 800,500 noenhanced
set output '%s'
set title 'kcs exec overhead vs. pattern count (bound task, Enforce, allowed exec)'
set logscale x
set xlabel 'patterns in the profile'
set ylabel 'exec time / module not loaded'
set grid
set xrange [5:20000]
plot '%s' using 1:2:3:4 with yerrorlines title 'median (min..max)', \\
     1.02 with lines dashtype 2 title 'target 1.02'
""" % (out / "exec-scaling.png", dat)
    try:
        subprocess.run(["gnuplot"], input=script, text=True, check=True)
    except (OSError, subprocess.CalledProcessError) as e:
        print("bench-report: gnuplot failed: %s" % e)


if __name__ == "__main__":
    main()
