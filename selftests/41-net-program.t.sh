#!/bin/sh
# Network rules for a program: egress rules, exclusions and allow entries,
# and listen exclusions, that apply only when the acting task runs the
# program named ("only nginx may listen on 443", "only the app may reach
# the database"). /bin/try_net is the program; /bin/other_net is a copy of
# the same file under another name, which must not get what the program
# gets (a copy is not the program); a symlink to the program runs the
# program itself, and is it.
set -eu
. "${0%/*}/lib.sh"
. "${0%/*}/container.sh"
. "${0%/*}/kcs.sh"
. "${0%/*}/net.sh"

P=$KCS_DIR
[ -x "$NET_IP" ] || skip_all "no iproute2 ip in the payload (tools/ip)"
net_begin n9 "$P/try_net" "$P/try_net:/bin/other_net"
at_exit ev_stop
cg=$(ctr_cgroup n9)
ln -s try_net "$(ctr_root n9)/bin/link_net"
net_serve 198.51.100.7 80
net_serve 198.51.100.7 81

# try_as PROGRAM OP PROTO ADDR PORT: TRY_OUT, as try does for /bin/try_net.
try_as() {
	_prog=$1
	shift
	run_in n9 "$_prog" "$1" "$2" "$3" "$4" >"$KCS_TMP/try.out"
	TRY_OUT=$(cat "$KCS_TMP/try.out")
}
f() { printf '%s\n' "$e" | json_get "$1"; }

# ---- A block rule for one program narrows the rule to it.
cat >"$KCS_TMP/np1.json" <<'EOF'
{"name":"np","network":{"egress":{"mode":"block","rules":[
	{"cidr":"198.51.100.7","ports":"80","program":"/bin/other_net"}]}}}
EOF
check_match "profile check: one network rule group" \
	"$(kcsadm profile check -f "$KCS_TMP/np1.json")" \
	"*network rule groups (rules for a program, listen exclusions): 1,*"
check "egress: a block rule for /bin/other_net applies" \
	kcsadm profile apply -f "$KCS_TMP/np1.json"
check "bind enforce" kcsadm bind "$cg" --profile np --mode enforce
ev_start
try_as /bin/other_net connect tcp 198.51.100.7 80
check_eq "block for other_net: other_net to 198.51.100.7: EPERM" "$TRY_OUT" EPERM
try_as /bin/try_net connect tcp 198.51.100.7 80
check_eq "  try_net to 198.51.100.7: ok" "$TRY_OUT" ok
try_as /bin/other_net connect tcp 198.51.100.7 81
check_eq "  other_net to another port: ok" "$TRY_OUT" ok
e=$(ev_wait '"addr":"198.51.100.7"') || e=
check_eq "  the event quotes the rule with its program" \
	"$(f verdict) $(f rule_kind) $(f rule)" \
	"deny block 198.51.100.7 tcp,udp 80 (program /bin/other_net)"

# ---- An exclusion for one program: only it gets through (the boundary).
check "egress: block the /24, except 198.51.100.7 for /bin/try_net" \
	kcs_apply '{"name":"np","network":{"egress":{"mode":"block",
	"rules":[{"cidr":"198.51.100.0/24"}],
	"exclusions":[{"cidr":"198.51.100.7","program":"/bin/try_net"}]}}}'
try_as /bin/try_net connect tcp 198.51.100.7 80
check_eq "exclusion for try_net: try_net to 198.51.100.7: ok" "$TRY_OUT" ok
try_as /bin/other_net connect tcp 198.51.100.7 80
check_eq "  a copy of it under another name: EPERM" "$TRY_OUT" EPERM
try_as /bin/link_net connect tcp 198.51.100.7 80
check_eq "  a symlink to it runs it: ok" "$TRY_OUT" ok
try_as /bin/try_net connect tcp 198.51.100.8 80
check_eq "  try_net to 198.51.100.8 (not excluded): EPERM" "$TRY_OUT" EPERM
run_in n9 /bin/sh -c '/bin/try_net connect tcp 198.51.100.7 80' >"$KCS_TMP/try.out"
check_eq "  try_net run from a shell is still try_net: ok" \
	"$(cat "$KCS_TMP/try.out")" ok

# ---- Allow entries for one program.
check "egress allow: 198.51.100.7 port 80 for /bin/try_net only" \
	kcs_apply '{"name":"np","network":{"egress":{"mode":"allow","allow":[
	{"cidr":"198.51.100.7","ports":"80","protocol":"tcp","program":"/bin/try_net"},
	{"cidr":"198.51.100.7","ports":"81"}]}}}'
check_match "profile show counts both entries, the one for a program too" \
	"$(kcsadm profile show np)" "*egress_rules: 2*"
try_as /bin/try_net connect tcp 198.51.100.7 80
check_eq "allow for try_net: try_net to 198.51.100.7: ok" "$TRY_OUT" ok
try_as /bin/other_net connect tcp 198.51.100.7 80
check_eq "  other_net to 198.51.100.7: EPERM" "$TRY_OUT" EPERM
try_as /bin/other_net connect tcp 198.51.100.7 81
check_eq "  other_net to port 81 (allowed for all): ok" "$TRY_OUT" ok
try_as /bin/try_net sendto udp 198.51.100.7 80
check_eq "  try_net UDP to 198.51.100.7 (tcp only): EPERM" "$TRY_OUT" EPERM

# ---- Listen exclusions: "only try_net may listen on 8080".
check "listen: every port blocked, 8080 for /bin/try_net, 9090 for all" \
	kcs_apply '{"name":"np","network":{"listen":{"mode":"block",
	"ports":"1-65535","exclusions":[{"ports":"8080","program":"/bin/try_net"},
	{"ports":"9090","protocol":"tcp"}]}}}'
try_as /bin/try_net listen tcp 0.0.0.0 8080
check_eq "listen 8080 as try_net: ok" "$TRY_OUT" ok
try_as /bin/other_net listen tcp 0.0.0.0 8080
check_eq "listen 8080 as other_net: EPERM" "$TRY_OUT" EPERM
try_as /bin/other_net listen tcp :: 9090
check_eq "listen 9090 (excluded for all) as other_net, IPv6: ok" "$TRY_OUT" ok
try_as /bin/other_net bind udp 0.0.0.0 9090
check_eq "  UDP 9090 (the exclusion is tcp): EPERM" "$TRY_OUT" EPERM
try_as /bin/try_net listen tcp 0.0.0.0 7070
check_eq "listen 7070 as try_net: EPERM" "$TRY_OUT" EPERM
e=$(ev_wait '"port":7070,') || e=
check_eq "  the event quotes the listen rule" "$(f verdict) $(f rule)" \
	"deny * tcp,udp 1-65535"

# ---- Audit: nothing denied, the denial a program-scoped rule makes reported.
check "bind audit" kcsadm bind "$cg" --profile np --mode audit
try_as /bin/other_net listen tcp 0.0.0.0 8080
check_eq "audit: other_net listens on 8080" "$TRY_OUT" ok
e=$(ev_wait '"hook":"bind","verdict":"allow","mode":"audit"') || e=
check_eq "  reported" "$(f verdict) $(f hook) $(f port)" "allow bind 8080"

# ---- What the module refuses: a group for a set the profile lacks.
st=0
kcsadm profile check -f - >/dev/null 2>"$KCS_TMP/err" <<'EOF' || st=$?
{"name":"bad","network":{"ingress":{"mode":"block","rules":[{"cidr":"192.0.2.1","program":"/x"}]}}}
EOF
check_match "ingress rules cannot name a program (exit 3)" \
	"$st:$(cat "$KCS_TMP/err")" "3:*ingress rules cannot name a program*"
check "unbind" kcsadm unbind "$cg"
done_testing
