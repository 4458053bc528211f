#!/bin/sh
# Several profiles in one binding: every profile decides in its own mode.
# An Enforce denial by any of them denies, and each denial is an event
# naming its profile (so an Audit profile reports what an Enforce one
# denies); exec and network alike. The listing shows them all; a rebind
# is all or nothing (an unknown profile leaves the binding as it was);
# each bound profile is busy; bad input is a usage error. Through the
# OCI hook, the profiles of several policies are bound together from the
# container's first program on.
set -eu
. "${0%/*}/lib.sh"
. "${0%/*}/container.sh"
. "${0%/*}/kcs.sh"
. "${0%/*}/net.sh"
. "${0%/*}/oci.sh"

P=$KCS_DIR
[ -x "$NET_IP" ] || skip_all "no iproute2 ip in the payload (tools/ip)"
net_begin mp "$P/try_net" "$P/try_exec" "$P/nop" "$P/nop:/opt/a/tool" \
	"$P/nop:/opt/b/tool"
at_exit ev_stop
net_serve :: 80
cg=$(ctr_cgroup mp)
cgid=$(ctr_cgid mp)

check "profile pa applies" kcs_apply '{"name":"pa",
	"exec":{"mode":"block","rules":["/opt/a/*"]},
	"network":{"egress":{"mode":"block","rules":[{"cidr":"198.51.100.0/24"}]}}}'
check "profile pb applies" kcs_apply '{"name":"pb",
	"exec":{"mode":"block","rules":["/opt/a/*","/opt/b/*"]},
	"network":{"egress":{"mode":"block",
		"rules":[{"cidr":"192.0.2.1/32","ports":"80"},
			 {"cidr":"198.51.100.0/24"}]}}}'
check "bind pa (enforce) and pb (audit)" \
	kcsadm bind "$cg" --profile pa:enforce --profile pb:audit

ev_start
f() { printf '%s\n' "$e" | json_get "$1"; }
counts() { echo "$(kcs_stat exec_denied) $(kcs_stat exec_audited)"; }
# shellcheck disable=SC2046 # two numbers
set -- $(counts)
run_in mp /bin/try_exec /opt/a/tool
check_eq "exec both block, pa enforces: EPERM" "$RUN_ST:$CTR_STDERR" \
	"126:exec failed: EPERM"
check_eq "counted once, as denied (not audited)" "$(counts)" "$(($1 + 1)) $2"
e=$(ev_wait '"profile":"pa"') || e=
check_eq "pa's event: deny, enforce, its rule" \
	"$(f verdict) $(f mode) $(f path) $(f rule)" "deny enforce /opt/a/tool /opt/a/*"
e=$(ev_wait '"profile":"pb"') || e=
check_eq "pb's event too: allow (audit), the same exec" \
	"$(f verdict) $(f mode) $(f path)" "allow audit /opt/a/tool"

# shellcheck disable=SC2046 # two numbers
set -- $(counts)
run_in mp /bin/try_exec /opt/b/tool
check_eq "exec only pb (audit) blocks: runs" "$RUN_ST" 0
check_eq "counted once, as audited" "$(counts)" "$1 $(($2 + 1))"
e=$(ev_wait '"path":"/opt/b/tool"') || e=
check_eq "its event names pb, audit" "$(f profile) $(f verdict) $(f mode)" \
	"pb allow audit"
check_eq "and pa sent none for it" "$(ev_count '"path":"/opt/b/tool"')" 1
run_in mp /bin/try_exec /bin/nop
check_eq "exec neither blocks: runs" "$RUN_ST" 0

set -- "$(kcs_stat net_denied)" "$(kcs_stat net_audited)"
try mp connect tcp 198.51.100.1 80
check_eq "connect pa blocks (enforce): EPERM" "$TRY_OUT" EPERM
check_eq "both block it: counted once, as denied" \
	"$(kcs_stat net_denied) $(kcs_stat net_audited)" "$(($1 + 1)) $2"
ev_wait '"addr":"198.51.100.1"' >/dev/null || :
sleep 0.3
e=$(grep -F '"addr":"198.51.100.1"' "$KCS_EVENTS" | grep -F '"profile":"pa"') || e=
check_eq "pa's event: deny, enforce" "$(f verdict) $(f mode)" "deny enforce"
e=$(grep -F '"addr":"198.51.100.1"' "$KCS_EVENTS" | grep -F '"profile":"pb"') || e=
check_eq "pb's event: allow, audit" "$(f verdict) $(f mode)" "allow audit"
try mp connect tcp 192.0.2.1 80
check_eq "connect only pb blocks (audit): connects" "$TRY_OUT" ok
e=$(ev_wait '"addr":"192.0.2.1"') || e=
check_eq "its event names pb, audit" "$(f profile) $(f verdict) $(f mode)" \
	"pb allow audit"

out=$(kcsadm bindings)
check_match "binding list: the first profile on the cgroup's line" "$out" \
	"*$cgid *enforce *pa *"
check_eq "binding list: the second on a + line" \
	"$(printf '%s\n' "$out" | grep -c '^+ *audit *pb' || :)" 1
j=$(kcsadm --json bindings | tr -d ' \n')
check_match "binding list --json: profiles, each with its mode" "$j" \
	'*"profiles":\[{"name":"pa","mode":"enforce"},{"name":"pb","mode":"audit"}\]*'

check "rebind both under --mode enforce" \
	kcsadm bind "$cg" --profile pa --profile pb --mode enforce
run_in mp /bin/try_exec /opt/b/tool
check_eq "now pb enforces: EPERM" "$RUN_ST" 126

st=0
err=$(kcsadm bind "$cg" --profile pa --profile nosuch --mode audit 2>&1) || st=$?
check_eq "a rebind naming an unknown profile fails (exit 6)" "$st" 6
check_match "saying which" "$err" "*no profile with this name*"
run_in mp /bin/try_exec /opt/b/tool
check_eq "and leaves the binding as it was (pb enforces)" "$RUN_ST" 126

st=0
kcsadm bind "$cg" --profile pa --profile pa --mode audit 2>/dev/null || st=$?
check_eq "a profile named twice: usage error (exit 2)" "$st" 2
st=0
kcsadm bind "$cg" --profile a1 --profile a2 --profile a3 --profile a4 \
	--profile a5 --mode audit 2>/dev/null || st=$?
check_eq "five profiles: usage error (exit 2)" "$st" 2
st=0
kcsadm bind "$cg" --profile pa --profile pb 2>/dev/null || st=$?
check_eq "no mode for pb: usage error (exit 2)" "$st" 2

st=0
kcsadm profile delete pb 2>/dev/null || st=$?
check_eq "pb, bound second, is busy (exit 7)" "$st" 7
check "rebind pa alone" kcsadm bind "$cg" --profile pa --mode enforce
check "then pb can go" kcsadm profile delete pb
run_in mp /bin/try_exec /opt/b/tool
check_eq "and /opt/b/tool runs again" "$RUN_ST" 0
check "unbind" kcsadm unbind "$cg"

# ---- through the OCI hook: two policies, three profiles
[ -x "$P/tools/crun" ] || {
	skip "OCI hook with several profiles" "crun is not in the payload"
	done_testing
}
mkdir -p "$OCI_CONF/profiles" "$OCI_DIR"
SYSLOG=$KCS_TMP/syslog
syslogd -n -O "$SYSLOG" &
SYSLOGD=$!
at_exit "kill $SYSLOGD"
printf '%s\n' '{"name":"hx","exec":{"mode":"block","rules":["/opt/blocked/*"]}}' \
	>"$OCI_CONF/profiles/hx.json"
printf '%s\n' '{"name":"hy","exec":{"mode":"block","rules":["/bin/nop"]}}' \
	>"$OCI_CONF/profiles/hy.json"
printf '%s\n' '{"name":"mp-enforce","mode":"enforce",
 "mappings":[{"selector":{"images":["docker.io/library/two:*"]},"profiles":["hx"]}]}' \
	>"$KCS_TMP/pe.json"
printf '%s\n' '{"name":"mp-audit","mode":"audit",
 "mappings":[{"selector":{"images":["two:*"]},"profiles":["hy"]}]}' \
	>"$KCS_TMP/pa.json"
check "policy: two:* gets hx (enforce)" kcsadm policy apply -f "$KCS_TMP/pe.json"
check "policy: two:* gets hy (audit)" kcsadm policy apply -f "$KCS_TMP/pa.json"

oci_bundle t1 --image two:1 -- /bin/try_exec /opt/blocked/tool
oci_run crun t1
check_match "crun: hx denies the first program's exec" "$OCI_ST:$OCI_ERR" \
	"126:*exec failed: EPERM*"
oci_bundle t2 --image two:1 -- /bin/try_exec /bin/nop
oci_run crun t2
check_eq "crun: what only hy (audit) blocks runs" "$OCI_ST:$OCI_ERR" "0:"
e=$(ev_wait '"path":"/bin/nop"') || e=
check_eq "crun: and hy reports it" "$(f profile) $(f verdict) $(f mode)" \
	"hy allow audit"
check_match "syslog: both profiles bound, Enforce first" "$(cat "$SYSLOG")" \
	"*bound profiles hx (enforce), hy (audit) to cgroup*"

oci_bundle t3 --image two:1 -- /bin/sleep 30
oci_start crun t3
j=$(kcsadm --json bindings | tr -d ' \n')
check_match "crun: a running container's binding holds both" "$j" \
	'*"profiles":\[{"name":"hx","mode":"enforce"},{"name":"hy","mode":"audit"}\]*'
oci_kill crun t3
check_eq "crun: poststop removes it" "$(kcsadm bindings | grep -c hx || :)" 0

done_testing
