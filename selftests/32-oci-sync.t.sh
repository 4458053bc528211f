#!/bin/sh
# Containers kcs did not see start (started before kcs was loaded, or
# without its hook): kcsadm sync finds them in crun's and runc's state
# directories and binds what the policies give them, with their init's
# root; running it again changes nothing; a container gone is forgotten.
# After a reload (what a reboot does to the module), kcsadm restore
# applies the profiles kept in $KCS_CONFDIR and binds the running
# containers again. A profile's ingress rules go to the container's own
# network namespace as with the hook; a container in the host's cannot
# have them (Enforce: sync fails it, saying why).
set -eu
. "${0%/*}/lib.sh"
. "${0%/*}/kcs.sh"
. "${0%/*}/oci.sh"

P=$KCS_DIR
[ -x "$P/tools/crun" ] && [ -x "$P/tools/runc" ] || {
	skip_all "crun and runc are not in the payload (apt-get install crun runc)"
}
mkdir -p "$OCI_CONF/profiles" "$OCI_DIR"
check "kcs.ko loads" kcs_load
at_exit kcs_unload
cat >"$OCI_CONF/profiles/web.json" <<'JSON'
{"name":"web","exec":{"mode":"block","rules":["/opt/blocked/*"]}}
JSON
printf '%s\n' '{"name":"web-images","mode":"enforce",
 "mappings":[{"selector":{"images":["docker.io/library/web:*"]},"profiles":["web"]}]}' \
	>"$KCS_TMP/p1.json"
check "policy mapping web images to the web profile" kcsadm policy apply -f "$KCS_TMP/p1.json"
oci_runtimes
[ -z "$OCI_NO_RUNC" ] || skip "runc cases" "$OCI_NO_RUNC"
roots="--root /run/crun --root /run/runc"

for rt in $OCI_RUNTIMES; do
	oci_bundle s1 --no-hooks --image web:1 -- /bin/sh -c 'sleep 300'
	oci_start "$rt" s1
	at_exit "oci_kill $rt s1"
	check_eq "$rt: a container started without kcs's hook" "$OCI_ST:$OCI_ERR" "0:"
	oci_bundle s2 --no-hooks --image other:1 -- /bin/sh -c 'sleep 300'
	oci_start "$rt" s2
	at_exit "oci_kill $rt s2"
	oci_exec "$rt" s1 /opt/blocked/tool
	check_eq "$rt: before sync, the blocked program runs" "$OCI_ST" 0

	# shellcheck disable=SC2086 # $roots is a list of options
	out=$(kcsadm sync $roots 2>&1) && st=0 || st=$?
	diag "$out"
	check_match "$rt: sync binds the mapped container" "$st:$out" \
		"0:*$rt-s1-$$ $rt bound web (enforce)*"
	check_match "$rt: and leaves the other alone" "$out" "*$rt-s2-$$ $rt not covered*"
	oci_exec "$rt" s1 /opt/blocked/tool
	check_match "$rt: after sync, the blocked program fails with EPERM" \
		"$OCI_ST:$OCI_ERR" "[1-9]*:*peration not permitted*"
	oci_exec "$rt" s1 /bin/try_exec /bin/nop
	check_eq "$rt: names are trusted from the container's root (its init's)" "$OCI_ST" 0
	oci_exec "$rt" s2 /opt/blocked/tool
	check_eq "$rt: the uncovered container is untouched" "$OCI_ST" 0
	# shellcheck disable=SC2086
	out=$(kcsadm sync $roots 2>&1) && st=0 || st=$?
	check_match "$rt: sync again: already bound, nothing changes" "$st:$out" \
		"0:*$rt-s1-$$ $rt already bound web (enforce)*"

	# A reboot, as far as the module is concerned: reloaded, empty.
	check "$rt: unload kcs" kcs_unload
	check "$rt: load kcs" kcs_load
	check_eq "$rt: the reloaded module has no profile" "$(kcsadm profile list | grep -c '^web\b' || :)" 0
	out=$(kcsadm restore $roots 2>&1) && st=0 || st=$?
	diag "$out"
	check_match "$rt: restore applies the kept profiles and binds again" "$st:$out" \
		"0:*$rt-s1-$$ $rt bound web (enforce)*"
	oci_exec "$rt" s1 /opt/blocked/tool
	check_match "$rt: enforced again" "$OCI_ST:$OCI_ERR" "[1-9]*:*peration not permitted*"

	oci_kill "$rt" s1
	oci_kill "$rt" s2
	# shellcheck disable=SC2086
	out=$(kcsadm sync $roots 2>&1) && st=0 || st=$?
	check_match "$rt: a container gone is forgotten" "$out" "*$rt-s1-$$*forgotten*"
	check_eq "$rt: nothing remembered" "$(ls "$OCI_RUN/containers" | wc -l)" 0
done

# Ingress rules, as the hook installs them (crun; the hook's test covers
# both runtimes).
NFT=$KCS_DIR/tools/nft
if [ ! -x "$NFT" ]; then
	skip "ingress rules through sync" "no nft in the payload (tools/nft)"
else
	check "nft_limit available (a module, or built in where no module tree is)" \
		sh -c '[ ! -d /lib/modules ] || modprobe nft_limit'
	cat >"$OCI_CONF/profiles/ing.json" <<'JSON'
{"name":"ing","network":{"ingress":{"mode":"block",
 "rules":[{"cidr":"198.51.100.0/24","ports":"8080","protocol":"tcp"}]}}}
JSON
	printf '%s\n' '{"name":"ing-images","mode":"enforce",
 "mappings":[{"selector":{"images":["docker.io/library/ing:*"]},"profiles":["ing"]}]}' \
		>"$KCS_TMP/ing.json"
	check "policy mapping ing images to a profile with ingress rules" \
		kcsadm policy apply -f "$KCS_TMP/ing.json"
	oci_bundle n1 --no-hooks --image ing:1 --netns new -- /bin/sh -c 'sleep 300'
	oci_start crun n1
	at_exit "oci_kill crun n1"
	oci_bundle n2 --no-hooks --image ing:2 -- /bin/sh -c 'sleep 300'
	oci_start crun n2
	at_exit "oci_kill crun n2"
	out=$(kcsadm sync --root /run/crun 2>&1) && st=0 || st=$?
	diag "$out"
	check_match "sync binds the container with its own namespace" "$out" \
		"*crun-n1-$$ crun bound ing (enforce)*"
	pid=$(oci_pid crun n1)
	check_match "and installs the table there" \
		"$(nsenter --net="/proc/$pid/ns/net" "$NFT" list table inet kcs 2>&1 || :)" \
		"*table inet kcs {*198.51.100.0/24 . 8080*"
	check_eq "recorded for monitor" "$(ls /run/kcs/netns 2>/dev/null | wc -l)" 1
	check_match "the host-network one fails, saying why (exit 3)" "$st:$out" \
		"3:*crun-n2-$$ crun failed: *profile ing has ingress rules, which need the container's own network namespace; this container uses the host's*"
	check_eq "no table in the guest's namespace" \
		"$("$NFT" list tables 2>/dev/null | grep -cx 'table inet kcs' || :)" 0
	oci_kill crun n1
	oci_kill crun n2
	out=$(kcsadm sync --root /run/crun 2>&1) || :
	check_match "gone: forgotten" "$out" "*crun-n1-$$*forgotten*"
	check_eq "and so is its namespace record (no poststop hook here)" \
		"$(ls /run/kcs/netns 2>/dev/null | wc -l)" 0
fi
done_testing
