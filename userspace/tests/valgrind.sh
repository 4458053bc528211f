#!/bin/sh
# kcsadm's paths that need no kernel, each under the command given as
# arguments (valgrind ... ./kcsadm, from the Makefile), as TAP. valgrind
# exits 1 on any error or leak, which no case below expects, so an error
# shows up as a wrong exit status. Run from userspace/.
set -u
[ $# -gt 0 ] || { echo "usage: valgrind.sh VALGRIND... KCSADM" >&2; exit 2; }
tmp=$(mktemp -d /tmp/kcs-vg.XXXXXX) || exit 1
trap 'rm -rf "$tmp"' EXIT INT TERM
n=0 failed=0

expect() {	# expect CODE ARGS...
	want=$1
	shift
	"$@" >"$tmp/out" 2>"$tmp/err"
	got=$?
	n=$((n + 1))
	if [ "$got" -eq "$want" ]; then
		echo "ok $n - ${*##*/} (exit $got)"
	else
		echo "not ok $n - ${*##*/} (exit $got, want $want)"
		sed 's/^/# /' "$tmp/err" | head -n 30
		failed=$((failed + 1))
	fi
}

for c in "" load unload status profile "profile check" "profile apply" \
	 "profile list" "profile show" "profile delete" bind unbind bindings \
	 monitor netwatch policy "policy apply" "policy explain" image \
	 "image register" oci-hook sync restore hook "hook install" \
	 "hook uninstall"; do
	# shellcheck disable=SC2086
	expect 0 "$@" $c --help
done
for f in ../examples/*.json; do
	expect 0 "$@" profile check -f "$f"
	expect 0 "$@" --json profile check -f "$f"
done
printf '%s' '{"name":"x","exec":{"mode":"block","rules":["/a",{"regx":"/c"}]}}' >"$tmp/k.json"
printf '%s' '{"name":"x","exec":{"mode":"block","rules":["/a",{"regex":"/opt/(a"}]}}' >"$tmp/r.json"
printf '%s' '{"name":"x","exec":{"mode":"block","rules":["/a"],"exclusions":["/a\\q"]}}' >"$tmp/m.json"
printf '{"name":' >"$tmp/t.json"
for f in k r m t; do
	expect 3 "$@" profile check -f "$tmp/$f.json"
	expect 3 "$@" --json profile check -f "$tmp/$f.json"
done
KCS_CONFDIR="$tmp/conf"
export KCS_CONFDIR
expect 0 "$@" policy apply -f ../examples/policies/web-runtime.json
expect 3 "$@" --json policy apply -f "$tmp/k.json"
expect 0 "$@" policy list
expect 0 "$@" --json policy show web-runtime
expect 0 "$@" image register nginx:1.25
expect 0 "$@" --json image list
expect 0 "$@" policy explain tests/data/bundle
expect 0 "$@" --json policy explain tests/data/bundle --image quay.io/a/b
expect 6 "$@" policy delete nope
expect 0 "$@" policy delete web-runtime
expect 0 "$@" image delete nginx:1.25
# sync over the sample states (none runs; two do not parse), forgetting
# a stale entry; hook install and uninstall in a scratch directory.
KCS_RUNDIR="$tmp/run"
export KCS_RUNDIR
mkdir -p "$tmp/run/containers" && echo 999999999 >"$tmp/run/containers/gone"
expect 3 "$@" sync --root tests/data/oci/crun --root tests/data/oci/runc
expect 3 "$@" --json sync --root tests/data/oci/crun --root tests/data/oci/runc
for rt in podman crio containerd docker; do
	expect 0 "$@" --json hook install --runtime "$rt" --dir "$tmp/h" --dry-run
	expect 0 "$@" hook install --runtime "$rt" --dir "$tmp/h" --exe /usr/sbin/kcsadm
	expect 0 "$@" hook uninstall --runtime "$rt" --dir "$tmp/h"
done
expect 0 "$@" hook install --runtime containerd --dir "$tmp/h" --base tests/data/bundle/config.json
cp tests/data/bundle/config.json "$tmp/h/kcs-runc"
expect 1 "$@" hook install --runtime docker --dir "$tmp/h"
unset KCS_CONFDIR KCS_RUNDIR
expect 2 "$@" bind foo --profile p --mode nope
expect 2 "$@" --json profile
expect 2 "$@" profile show web --resolve=yes
expect 6 "$@" bind kcs-no-such-cgroup --profile p --mode audit
if ! "$@" status >/dev/null 2>&1; then
	expect 5 "$@" status
	expect 5 "$@" --json status
	expect 5 "$@" profile list
	expect 5 "$@" --json profile show web --resolve
	expect 5 "$@" restore
fi

echo "1..$n"
[ "$failed" -eq 0 ]
