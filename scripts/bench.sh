#!/bin/sh
# make bench: build, boot one VM on the stock kernel, run bench/*.t.sh there
# and turn the samples into a table (median, spread, ratio against the
# module-not-loaded baseline of the same run), a CSV and a PNG plot.
#
#   scripts/bench.sh [OUTDIR]     (default: bench/results)
# Environment: KCS_KVER, KCS_BENCH_N (execs per sample), KCS_BENCH_REPS.
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
cp kcs.ko userspace/kcsadm selftests/progs/exec_loop selftests/progs/nop \
	selftests/progs/try_net "$pl/"
tap=$out/exec.tap
KCS_VM_APPEND="${KCS_VM_APPEND:-} KCS_BENCH_N=${KCS_BENCH_N:-400} KCS_BENCH_REPS=${KCS_BENCH_REPS:-5}" \
	scripts/selftest.sh --kernel "/boot/vmlinuz-$kver" --payload "$pl" \
	--timeout 3000 --tap "$tap" bench/exec.t.sh >/dev/null

python3 scripts/bench-report.py --kernel "$kver" "$tap" "$out"

echo
echo "Pattern compiler (host, kcsadm's compile step):"
make -s -C userspace bench-compile | tee "$out/compile.txt"
