#!/bin/sh
# Run the kcs selftests in a QEMU guest and print their TAP.
#
# usage: scripts/selftest.sh [--payload DIR] [--kernel VMLINUZ] [--timeout SECS]
#                            [--tap FILE] [--log FILE] [-v] [TEST]...
#
#   --payload DIR  copied to /kcs in the guest: kcs.ko, kcsadm (on PATH in the
#                  guest, at /kcs or /kcs/bin), extra *.t.sh tests (top level
#                  or in DIR/selftests), helper programs, ... Shared libraries
#                  of dynamic executables are added automatically.
#   --kernel F     kernel image (default $KCS_KERNEL, else the newest
#                  /boot/vmlinuz-*-cloud-amd64); its modules come from
#                  /lib/modules/<release> (KCS_MODULES_DIR to override)
#   --timeout S    whole-VM timeout (default $KCS_VM_TIMEOUT or 600)
#   --tap FILE     also write the guest's TAP to FILE, without the kernel
#                  messages that the console interleaves
#   --log FILE     keep the full console log in FILE (default: a temporary
#                  file, kept only when something failed)
#   -v             show the kernel's boot messages too
#   TEST           test names (00-boot, 00-boot.t.sh) or paths of *.t.sh files
#                  (copied in); default: every selftests/*.t.sh and payload test
#
# The repository's selftests/ go to /kcs/selftests; the guest runs
# /kcs/selftests/run-in-vm.sh. Exit status: 0 when every test passed and the
# kernel log is clean; otherwise nonzero (see scripts/vm-run.sh for 124-127).
# Environment: KCS_VM_STRICT=1 (panic on the first Oops/WARN), KCS_VM_APPEND,
# KCS_VM_MEM, KCS_VM_SMP, KCS_VM_MODULES, KCS_TEST_TIMEOUT (per script),
# KCS_TEST_BUDGET (uptime after which no script starts: run-in-vm.sh).
set -eu

prog=${0##*/}
die() { printf '%s: error: %s\n' "$prog" "$*" >&2; exit 2; }
usage() { sed -n '2,/^set -eu/{/^#/s/^# \{0,1\}//p}' "$0" >&2; exit "${1:-2}"; }

scripts=$(cd "$(dirname "$0")" && pwd)
top=$(dirname "$scripts")
payload='' tap='' log='' verbose=0 timeout=${KCS_VM_TIMEOUT:-600}
while [ $# -gt 0 ]; do
	case $1 in
	--payload) [ $# -ge 2 ] || usage; payload=$2; shift 2 ;;
	--kernel) [ $# -ge 2 ] || usage; KCS_KERNEL=$2; export KCS_KERNEL; shift 2 ;;
	--timeout) [ $# -ge 2 ] || usage; timeout=$2; shift 2 ;;
	--tap) [ $# -ge 2 ] || usage; tap=$2; shift 2 ;;
	--log) [ $# -ge 2 ] || usage; log=$2; shift 2 ;;
	-v) verbose=1; shift ;;
	-h|--help) usage 0 ;;
	--) shift; break ;;
	-*) die "unknown option $1 (see --help)" ;;
	*) break ;;
	esac
done
[ -z "$payload" ] || [ -d "$payload" ] || die "--payload $payload: not a directory"

# One kernel for both scripts.
KCS_KERNEL=$("$scripts/vm-run.sh" --print-kernel) || exit 2
export KCS_KERNEL

tmp=$(mktemp -d "${TMPDIR:-/tmp}/kcs-selftest.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
trap 'exit 130' INT TERM
stage=$tmp/payload
mkdir -p "$stage/selftests"
for f in "$top"/selftests/*.sh; do
	cp -p "$f" "$stage/selftests/"
done
if [ -n "$payload" ]; then
	cp -Rp "$payload"/. "$stage/"
	for f in "$payload"/*.t.sh; do
		[ ! -f "$f" ] || cp -p "$f" "$stage/selftests/"
	done
fi

# Test arguments: names pass through; paths to *.t.sh files are copied in.
n=0
for t in "$@"; do
	case $t in
	*/*)
		[ -f "$t" ] || die "no such test file: $t"
		cp -p "$t" "$stage/selftests/"
		t=${t##*/}
		;;
	esac
	case $t in *.t.sh) ;; *) t=$t.t.sh ;; esac
	[ -f "$stage/selftests/$t" ] || die "no such test: $t (in selftests/ or the payload)"
	n=$((n + 1))
	set -- "$@" "$t"
done
shift $((${#} - n))

"$scripts/vm-initramfs.sh" -o "$tmp/initramfs.cpio.gz" -p "$stage"

keep_log=1
if [ -z "$log" ]; then
	log=$(mktemp "${TMPDIR:-/tmp}/kcs-selftest-console.XXXXXX.log")
	keep_log=0	# removed if everything passed
fi
q=-q
[ "$verbose" = 0 ] || q=
st=0
# The guest's init turns name=value words of the command line into its
# environment: that is how the per-script timeout and budget get in.
for v in KCS_TEST_TIMEOUT KCS_TEST_BUDGET; do
	eval "val=\${$v:-}"
	[ -z "$val" ] || KCS_VM_APPEND="${KCS_VM_APPEND:-} $v=$val"
done
export KCS_VM_APPEND
# shellcheck disable=SC2086 # $q is one option or none
"$scripts/vm-run.sh" $q -t "$timeout" -l "$log" ${tap:+-o "$tap"} \
	"$tmp/initramfs.cpio.gz" -- /kcs/selftests/run-in-vm.sh "$@" || st=$?
if [ "$st" = 0 ]; then
	if [ "$keep_log" = 1 ]; then
		echo "$prog: PASS; console log: $log"
	else
		rm -f "$log"
		echo "$prog: PASS (console log removed; --log FILE keeps it)"
	fi
else
	echo "$prog: FAIL (status $st); console log: $log" >&2
fi
exit "$st"
