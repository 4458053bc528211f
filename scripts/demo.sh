#!/bin/sh
# make demo: on a fresh Debian 12 machine (root), install what is needed,
# build kcs, boot a VM on the stock Debian kernel and show a profile
# blocking an exec inside a container-like task, with its event.
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"
[ "${KCS_SKIP_DEPS:-}" = 1 ] || scripts/install-deps.sh >/dev/null
kver=$(scripts/kver.sh)
make -s module KVER="$kver"
make -s -C userspace
make -s -C selftests/progs
pl=$(mktemp -d)
trap 'rm -rf "$pl"' EXIT
cp kcs.ko userspace/kcsadm selftests/progs/try_exec selftests/progs/nop \
	examples/web-block.json "$pl/"
exec scripts/selftest.sh --kernel "/boot/vmlinuz-$kver" --payload "$pl" \
	scripts/demo-guest.t.sh
