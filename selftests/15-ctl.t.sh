#!/bin/sh
# The control plane: stable exit codes, errors that name the problem, bad
# input never half-applied, large profiles (chunked blobs), permissions
# (non-root, root in a user namespace, in another network namespace).
set -eu
. "${0%/*}/lib.sh"
. "${0%/*}/container.sh"
. "${0%/*}/kcs.sh"

P=$KCS_DIR
kcs_unload >/dev/null 2>&1 || :
st=0; kcsadm status >/dev/null 2>"$KCS_TMP/err" || st=$?
check_eq "status without the module: exit 5" "$st" 5
check_match "it says how to fix it" "$(cat "$KCS_TMP/err")" "*kcsadm load*"

check "kcs.ko loads" kcs_load
at_exit kcs_unload
check "loading twice succeeds" kcsadm load --module "$P/kcs.ko"
ctr_create ct "$P/try_exec" "$P/nop:/opt/blocked/tool" >/dev/null
at_exit "ctr_destroy ct"
cg=$(ctr_cgroup ct)

check "profile applies" kcs_apply '{"name":"ct","exec":{"mode":"block","rules":["/opt/blocked/*"]}}'
check "bind enforce" kcsadm bind "$cg" --profile ct --mode enforce

st=0
kcs_apply '{"name":"ct","exec":{"mode":"block","rules":["/opt/*",{"regex":"/x(y"}]}}' 2>"$KCS_TMP/err" || st=$?
check_eq "invalid regex: exit 3" "$st" 3
check_match "error names the rule and position" "$(cat "$KCS_TMP/err")" "*exec.rules\[1\]*"
st=0
kcs_apply '{"name":"ct","exec":{"mode":"block","rulez":["/opt/*"]}}' 2>"$KCS_TMP/err" || st=$?
check_eq "unknown key: exit 3" "$st" 3
check_match "error names the key" "$(cat "$KCS_TMP/err")" "*rulez*"
run_in ct /bin/try_exec /opt/blocked/tool
check_eq "previous profile still in force" "$RUN_ST:$CTR_STDERR" "126:exec failed: EPERM"
check_eq "and unchanged (generation 1)" \
	"$(kcsadm --json profile show ct | json_get generation)" 1

st=0; kcsadm profile delete ct 2>"$KCS_TMP/err" || st=$?
check_eq "delete a bound profile: exit 7 (busy)" "$st" 7
st=0; kcsadm bind "$cg" --profile nosuch --mode enforce 2>/dev/null || st=$?
check_eq "bind to an unknown profile: exit 6" "$st" 6
st=0; kcsadm bind /sys/fs/cgroup/does-not-exist --profile ct --mode enforce 2>/dev/null || st=$?
check_eq "bind an unknown cgroup: exit 6" "$st" 6
st=0; kcsadm bind "$cg" --profile ct --mode sometimes 2>/dev/null || st=$?
check_eq "bad mode: exit 2" "$st" 2
st=0; kcsadm unbind /sys/fs/cgroup 2>/dev/null || st=$?
check_eq "unbind an unbound cgroup: exit 6" "$st" 6
out=$(kcsadm --json profile show nosuch 2>/dev/null) && st=0 || st=$?
check_eq "show unknown profile: exit 6" "$st" 6
check_eq "--json error object" "$(printf '%s' "$out" | tr -d ' \n' | json_get exit)" 6

check_eq "profile list shows it" "$(kcsadm --json profile list | tr -d ' \n' | json_get name)" ct
check_match "bindings list shows the cgroup" "$(kcsadm bindings)" "*${cg#/sys/fs/cgroup/}*"

# A large profile: 10,000 patterns, blobs far beyond one netlink attribute.
awk 'BEGIN { printf "{\"name\":\"big\",\"exec\":{\"mode\":\"block\",\"rules\":["
	for (i = 0; i < 10000; i++) printf "%s\"/opt/p%d/bin/tool\"", i ? "," : "", i
	printf ",{\"regex\":\"/srv/[a-z]+/[0-9]{2,4}/run\"}]}}\n" }' >"$KCS_TMP/big.json"
check "10,000-pattern profile applies" kcsadm profile apply -f "$KCS_TMP/big.json"
mkdir -p "$(ctr_root ct)/opt/p9999/bin" "$(ctr_root ct)/opt/p10000/bin"
cp "$P/nop" "$(ctr_root ct)/opt/p9999/bin/tool"
cp "$P/nop" "$(ctr_root ct)/opt/p10000/bin/tool"
check "bind the big profile" kcsadm bind "$cg" --profile big --mode enforce
run_in ct /bin/try_exec /opt/p9999/bin/tool
check_eq "its last literal pattern blocks" "$RUN_ST:$CTR_STDERR" "126:exec failed: EPERM"
run_in ct /bin/try_exec /opt/p10000/bin/tool
check_eq "a near miss runs" "$RUN_ST" 0
check "old profile can be deleted once unbound" kcsadm profile delete ct

# Permissions.
st=0; "$P/as_user" 65534 65534 kcsadm status >/dev/null 2>&1 || st=$?
check_eq "non-root: exit 4" "$st" 4
st=0; unshare -U -r kcsadm status >/dev/null 2>&1 || st=$?
check_eq "root in a user namespace: exit 4" "$st" 4
st=0; unshare -U -r kcsadm unbind "$cg" >/dev/null 2>&1 || st=$?
check_eq "root in a user namespace cannot unbind: exit 4" "$st" 4
st=0; unshare -n kcsadm status >/dev/null 2>&1 || st=$?
check_eq "root in another network namespace: family invisible (exit 5)" "$st" 5
# Changes and the event stream are refused the same ways.
st=0; "$P/as_user" 65534 65534 kcsadm unbind "$cg" >/dev/null 2>&1 || st=$?
check_eq "non-root cannot unbind: exit 4" "$st" 4
st=0; unshare -n kcsadm unbind "$cg" >/dev/null 2>&1 || st=$?
check_eq "root in another network namespace cannot unbind: exit 5" "$st" 5
st=0; unshare -U -r kcsadm monitor --count 1 --timeout 1 >/dev/null 2>&1 || st=$?
check_eq "root in a user namespace cannot subscribe to events: exit 4" "$st" 4
st=0; unshare -n kcsadm monitor --count 1 --timeout 1 >/dev/null 2>&1 || st=$?
check_eq "root in another network namespace cannot subscribe: exit 5" "$st" 5
check_match "the binding survived all that" "$(kcsadm bindings)" "*big*"
st=0; unshare -U -r rmmod kcs >/dev/null 2>&1 || st=$?
check "root in a user namespace cannot unload the module" test "$st" -ne 0
check "module still loaded" grep -q '^kcs ' /proc/modules
# From inside the bound container: its own user, pid and mount namespaces.
CTR_UNSHARE="-U -r -p -f"
run_in ct /bin/rmmod kcs
CTR_UNSHARE=
check_match "root in a container cannot unload the module: EPERM" \
	"$RUN_ST:$CTR_STDERR" "1:*kcs*not permitted*"
check "module still loaded" grep -q '^kcs ' /proc/modules

# Policy is security policy: CAP_NET_ADMIN alone is not enough (host-network
# containers and CNI agents have it), and no task inside a bound cgroup may
# read or change it, whatever it holds.
st=0; "$P/drop_cap" 33 kcsadm status >/dev/null 2>"$KCS_TMP/err" || st=$?
check_eq "root without CAP_MAC_ADMIN: exit 4" "$st" 4
check_match "it names the capability" "$(cat "$KCS_TMP/err")" "*CAP_MAC_ADMIN*"
st=0; "$P/drop_cap" 33 kcsadm unbind "$cg" >/dev/null 2>&1 || st=$?
check_eq "root without CAP_MAC_ADMIN cannot unbind: exit 4" "$st" 4
st=0; "$P/drop_cap" 33 kcsadm monitor --count 1 --timeout 1 >/dev/null 2>"$KCS_TMP/err" || st=$?
check_eq "root without CAP_MAC_ADMIN cannot read events: exit 4" "$st" 4
check_match "it names the capability" "$(cat "$KCS_TMP/err")" "*CAP_MAC_ADMIN*"
cp "$(command -v kcsadm)" "$(ctr_root ct)/bin/kcsadm"
# The container shares the host's network namespace and holds every
# capability (CAP_SYS_ADMIN too, which was all a multicast group asked).
run_in ct /bin/kcsadm monitor --count 1 --timeout 1
check_match "root with every capability inside a bound cgroup cannot read events: exit 4" \
	"$RUN_ST:$CTR_STDERR" "4:*inside a bound cgroup*"
check_eq "... and is not subscribed" "$(kcs_stat event_subscribers)" 0
run_in ct /bin/kcsadm status
check_match "root with every capability inside a bound cgroup: exit 4" \
	"$RUN_ST:$CTR_STDERR" "4:*inside a bound cgroup*"
run_in ct /bin/kcsadm unbind --id "$(ctr_cgid ct)"
check_eq "... cannot unbind its own cgroup: exit 4" "$RUN_ST" 4
echo '{"name":"evil","exec":{"mode":"block","rules":["/x"]}}' >"$(ctr_root ct)/tmp/evil.json"
run_in ct /bin/kcsadm profile apply -f /tmp/evil.json
check_eq "... cannot apply a profile: exit 4" "$RUN_ST" 4
check "... and none was applied" sh -c "! kcsadm profile list | grep -q evil"
check_match "the binding survived all that" "$(kcsadm bindings)" "*big*"

# Reading back what is enforced: the rules as applied, their hash, and an
# export that applies to the same hash; a record that no longer matches the
# kernel is never shown as if it did.
printf '%s\n' '{"exec":{"rules":["/opt/x/*"],"mode":"block"},"name":"rb"}' >"$KCS_TMP/rb.json"
sha=$(kcsadm --json profile apply -f "$KCS_TMP/rb.json" | json_get sha256)
check "apply gives a SHA-256" test "${#sha}" -eq 64
j=$(kcsadm --json profile show rb)
check_eq "show: state current" "$(printf '%s' "$j" | json_get state)" current
check_eq "show: the same hash" "$(printf '%s' "$j" | json_get sha256)" "$sha"
check_match "show: the rules as applied" "$(kcsadm profile show rb)" "*/opt/x/\**"
check "export" kcsadm profile export rb -o "$KCS_TMP/rb-export.json"
check_eq "the export applies to the same hash" \
	"$(kcsadm --json profile apply -f "$KCS_TMP/rb-export.json" | json_get sha256)" "$sha"
printf '%s\n' '{"name":"rb","exec":{"mode":"block","rules":["/opt/y/*"]}}' >"$KCS_TMP/rb2.json"
KCS_STATE_DIR=$KCS_TMP/other kcsadm profile apply -f "$KCS_TMP/rb2.json" >/dev/null
check_eq "replaced by another path: stale" \
	"$(kcsadm --json profile show rb | json_get state)" stale
st=0; kcsadm profile export rb >/dev/null 2>"$KCS_TMP/err" || st=$?
check_eq "... and export refuses: exit 1" "$st" 1
check "profile delete" kcsadm profile delete rb

# Event subscriptions: bounded, and each ends with its socket, however
# the monitor ends.
subs_are() {
	i=0
	while [ "$(kcs_stat event_subscribers)" != "$1" ] && [ $i -lt 300 ]; do
		sleep 0.1; i=$((i + 1))
	done
	kcs_stat event_subscribers
}
mons=
for i in $(seq 16); do
	kcsadm monitor --timeout 120 >/dev/null 2>&1 &
	mons="$mons $!"
done
check_eq "16 monitors subscribe" "$(subs_are 16)" 16
st=0; kcsadm monitor --count 1 --timeout 1 >/dev/null 2>"$KCS_TMP/err" || st=$?
check_eq "a 17th is refused: exit 1" "$st" 1
check_match "it says why" "$(cat "$KCS_TMP/err")" "*too many event listeners*"
set -- $mons
kill -KILL "$1" "$2" "$3" "$4"
kill -TERM "$5" "$6" "$7" "$8"
check_eq "monitors killed or stopped leave no subscription" "$(subs_are 8)" 8
kill -KILL $mons 2>/dev/null || :
wait
check_eq "none left once all are gone" "$(subs_are 0)" 0
check "a monitor subscribes again" kcsadm monitor --count 1 --timeout 1

# Bindings: never the root cgroup; a removed cgroup's binding goes.
st=0; kcsadm bind /sys/fs/cgroup --profile big --mode audit 2>"$KCS_TMP/err" || st=$?
check_eq "binding the root cgroup: exit 3" "$st" 3
check_match "it says why" "$(cat "$KCS_TMP/err")" "*root cgroup*"
n0=$(kcs_stat bindings)
mkdir /sys/fs/cgroup/kcs-test/gone
gone=$(stat -c %i /sys/fs/cgroup/kcs-test/gone)
check "bind a cgroup" kcsadm bind /sys/fs/cgroup/kcs-test/gone --profile big --mode audit
check_eq "it counts" "$(kcs_stat bindings)" "$((n0 + 1))"
rmdir /sys/fs/cgroup/kcs-test/gone
check_eq "once the cgroup is removed, its binding goes" "$(kcs_stat bindings)" "$n0"
check "and is not listed" sh -c "! kcsadm --json bindings | grep -q '\"cgroup_id\": *$gone[,}]'"

# A listing spans several netlink messages (a part holds about 55
# bindings with kcsadm's 4 KiB receive buffer): it resumes where it
# stopped, each binding once (and without counting from the first each
# time).
nb=200
for i in $(seq $nb); do
	mkdir "/sys/fs/cgroup/kcs-test/many$i"
	kcsadm bind "/sys/fs/cgroup/kcs-test/many$i" --profile big --mode audit ||
		diag "bind many$i failed"
done
kcsadm --json bindings | grep -o '"cgroup_id": *[0-9]*' | tr -d ' ' \
	>"$KCS_TMP/ids"
check_eq "$nb more bindings: all listed" "$(wc -l <"$KCS_TMP/ids")" "$((n0 + nb))"
check_eq "  each once" "$(sort "$KCS_TMP/ids" | uniq -d)" ""
for i in $(seq $nb); do stat -c %i "/sys/fs/cgroup/kcs-test/many$i"; done >"$KCS_TMP/want"
sed 's/.*://' "$KCS_TMP/ids" >"$KCS_TMP/got"
check_eq "  and they are the cgroups bound" \
	"$(grep -vxF -f "$KCS_TMP/got" "$KCS_TMP/want" | wc -l)" 0
for i in $(seq $nb); do rmdir "/sys/fs/cgroup/kcs-test/many$i"; done
check_eq "their cgroups removed, their bindings go" "$(kcs_stat bindings)" "$n0"
done_testing
