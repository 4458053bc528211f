#!/bin/sh
# make bench: build, boot the stock kernel in a VM once per run, run
# bench/hooks.t.sh there and turn the samples into a table (median, spread,
# ratio against the module-not-loaded baseline of the same run), a CSV and
# a PNG plot, and the runs side by side.
#
#   scripts/bench.sh [OUTDIR]     (default: bench/results)
# Environment: KCS_KVER, KCS_BENCH_N (execs per sample), KCS_BENCH_REPS,
# KCS_BENCH_CONNECT_N, KCS_BENCH_BIND_N (connects, binds per sample),
# KCS_BENCH_EVENTS (events per throughput run), KCS_BENCH_PARTS (which
# parts, comma-separated: hooks,apparmor,events,scale), KCS_BENCH_SCALE (binding
# counts of the scale part, comma-separated), KCS_BENCH_RUNS (default
# "icount icount wall"): each word one run, "icount" on one vCPU under
# QEMU's instruction counting (guest time is executed instructions: the
# same tree gives the same figures whatever the host does; twice, to show
# it), "wall" on two vCPUs in wall-clock time. The first run's figures are
# the main table, plot and CSV.
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"
out=${1:-bench/results}
mkdir -p "$out"
kver=$(scripts/kver.sh)
make -s module KVER="$kver" >/dev/null
make -s -C userspace >/dev/null
make -s -C selftests/progs >/dev/null

pl=$(mktemp -d)
trap 'rm -rf "$pl"' EXIT
KCS_PAYLOAD_APPARMOR=1 scripts/vm-payload.sh "$pl"
command -v apparmor_parser >/dev/null ||
	echo "bench.sh: apparmor_parser not found (Debian package apparmor): no AppArmor figures" >&2
# The guest's init passes name=value words of the command line on as
# environment variables.
env="KCS_BENCH_N=${KCS_BENCH_N:-400} KCS_BENCH_REPS=${KCS_BENCH_REPS:-5}"
env="$env KCS_BENCH_CONNECT_N=${KCS_BENCH_CONNECT_N:-300}"
env="$env KCS_BENCH_BIND_N=${KCS_BENCH_BIND_N:-300}"
env="$env KCS_BENCH_EVENTS=${KCS_BENCH_EVENTS:-20000}"
env="$env KCS_BENCH_PARTS=${KCS_BENCH_PARTS:-hooks,apparmor,events,scale}"
env="$env KCS_BENCH_SCALE=${KCS_BENCH_SCALE:-1,1000,10000}"
runs=
i=0
for mode in ${KCS_BENCH_RUNS:-icount icount wall}; do
	i=$((i + 1))
	tap=$out/hooks-$i-$mode.tap
	case $mode in
	icount) vm="KCS_VM_ICOUNT=0 KCS_VM_SMP=1" ;;
	wall) vm="KCS_VM_SMP=2" ;;
	*) echo "bench.sh: KCS_BENCH_RUNS: unknown run \"$mode\" (icount, wall)" >&2
	   exit 2 ;;
	esac
	echo "bench run $i: $mode" >&2
	# One script runs the whole benchmark: as long as the VM may
	# (--timeout), not the selftests' 300 s per script.
	# shellcheck disable=SC2086 # $vm: assignments for env
	env $vm KCS_VM_APPEND="${KCS_VM_APPEND:-} $env" KCS_TEST_TIMEOUT=3000 \
		scripts/selftest.sh --kernel "/boot/vmlinuz-$kver" \
		--payload "$pl" --timeout 3000 --tap "$tap" bench/hooks.t.sh \
		>/dev/null
	runs="$runs --run $i-$mode=$tap"
done

# shellcheck disable=SC2086 # $runs: options
python3 scripts/bench-report.py --kernel "$kver" $runs "$out"

echo
echo "Pattern compiler (host, kcsadm's compile step):"
make -s -C userspace bench-compile | tee "$out/compile.txt"

echo
echo "Decision cost (host, natively: the module's matchers built for userspace):"
make -s -C userspace bench-match | tee "$out/match.txt"

echo
echo "Event listener (host, natively: kcsadm monitor's decoding and output):"
make -s -C userspace bench-monitor | tee "$out/monitor.txt"
