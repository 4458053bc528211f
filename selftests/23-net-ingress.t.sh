#!/bin/sh
# Ingress through nftables: `kcsadm bind --netns` writes table inet kcs into
# the container's network namespace; new TCP connections and UDP flows from
# blocked sources are dropped (the client times out), others and excluded
# ones get through, IPv4 and IPv6; `nft list ruleset` there shows the table
# readably; Audit logs instead of dropping; `kcsadm monitor --json` reports
# the denied and audited packets as ingress events (from nflog); allow
# mode; unbind --netns removes the table and the namespace record.
set -eu
. "${0%/*}/lib.sh"
. "${0%/*}/container.sh"
. "${0%/*}/kcs.sh"
. "${0%/*}/net.sh"

P=$KCS_DIR
NFT=$KCS_DIR/tools/nft
[ -x "$NET_IP" ] || skip_all "no iproute2 ip in the payload (tools/ip)"
[ -x "$NFT" ] || skip_all "no nft in the payload (tools/nft)"
net_begin n4 "$P/try_net"
# The log chain's rate limit needs nft_limit (in the VM: KCS_VM_MODULES).
check "nft_limit available (a module, or built in where no module tree is)" \
	sh -c '[ ! -d /lib/modules ] || modprobe nft_limit'
cg=$(ctr_cgroup n4)
cgid=$(ctr_cgid n4)
# Servers inside the container's namespace.
for port in 8080 8081; do
	net_ctr_serve tcp "$port"
done
for port in 5353 5354; do
	net_ctr_serve udp "$port"
done
sleep 0.3

ruleset() { nsenter --net="$CTR_NETNS" "$NFT" list ruleset; }
# ev_line PATTERN...: the last event line containing every PATTERN.
ev_line() {
	cp "$KCS_EVENTS" "$KCS_TMP/evl"
	for _p in "$@"; do
		grep -F -- "$_p" "$KCS_TMP/evl" >"$KCS_TMP/evl.next" || :
		mv "$KCS_TMP/evl.next" "$KCS_TMP/evl"
	done
	tail -n 1 "$KCS_TMP/evl"
}

check_eq "unbound: 198.51.100.1 -> 192.0.2.2:8080 connects" \
	"$(net_in tcp 198.51.100.1 192.0.2.2 8080)" ok
check_eq "unbound: 198.51.100.1 -> 192.0.2.2:5353/udp answers" \
	"$(net_in udp 198.51.100.1 192.0.2.2 5353)" ok
check "profile applies" kcs_apply '{"name":"ing","network":{"ingress":{
	"mode":"block",
	"rules":[{"cidr":"198.51.100.0/24","ports":"8080","protocol":"tcp"},
		 {"cidr":"2001:db8:1::/48"},
		 {"cidr":"198.51.100.0/24","ports":"5353","protocol":"udp"}],
	"exclusions":[{"cidr":"198.51.100.7"}]}}}'
check "bind enforce --netns" kcsadm bind "$cg" --profile ing --mode enforce \
	--netns "$CTR_NETNS"
check_eq "the namespace is recorded for monitor" \
	"$(ls /run/kcs/netns | wc -l)" 1

# The event stream, from before the first denial on.
: >"$KCS_EVENTS"
kcsadm monitor --json --timeout 100 >"$KCS_EVENTS" 2>"$KCS_TMP/monitor.err" &
MON=$!
at_exit "kill $MON 2>/dev/null || :"
sleep 1

check_eq "tcp 192.0.2.1 -> :8080 (no rule): connects" \
	"$(net_in tcp 192.0.2.1 192.0.2.2 8080)" ok
check_eq "tcp 198.51.100.1 -> :8080 (blocked): dropped" \
	"$(net_in tcp 198.51.100.1 192.0.2.2 8080)" TIMEOUT
check_eq "tcp 198.51.100.1 -> :8081 (other port): connects" \
	"$(net_in tcp 198.51.100.1 192.0.2.2 8081)" ok
check_eq "tcp 198.51.100.7 -> :8080 (excluded): connects" \
	"$(net_in tcp 198.51.100.7 192.0.2.2 8080)" ok
check_eq "tcp [2001:db8:1::1] -> :8081 (blocked /48, every port): dropped" \
	"$(net_in tcp 2001:db8:1::1 2001:db8::2 8081)" TIMEOUT
check_eq "tcp [2001:db8::1] -> :8081: connects" \
	"$(net_in tcp 2001:db8::1 2001:db8::2 8081)" ok
check_eq "udp 198.51.100.1 -> :5353 (blocked): dropped" \
	"$(net_in udp 198.51.100.1 192.0.2.2 5353)" TIMEOUT
check_eq "udp 198.51.100.1 -> :5354 (other port): answers" \
	"$(net_in udp 198.51.100.1 192.0.2.2 5354)" ok
check_eq "udp 198.51.100.7 -> :5353 (excluded): answers" \
	"$(net_in udp 198.51.100.7 192.0.2.2 5353)" ok
check_eq "udp 192.0.2.1 -> :5353 (no rule): answers" \
	"$(net_in udp 192.0.2.1 192.0.2.2 5353)" ok
check_eq "udp [2001:db8:1::1] -> :5354 (blocked /48): dropped" \
	"$(net_in udp 2001:db8:1::1 2001:db8::2 5354)" TIMEOUT
check_eq "udp [2001:db8::1] -> :5354: answers" \
	"$(net_in udp 2001:db8::1 2001:db8::2 5354)" ok

rs=$(ruleset)
diag "$rs"
check_match "nft shows table inet kcs" "$rs" "*table inet kcs {*"
check_match "with the blocked IPv4 source and port" "$rs" "*198.51.100.0/24 . 8080*"
check_match "with the IPv6 prefix, every port" "$rs" "*2001:db8:1::/48 . 0-65535*"
check_match "the exclusion" "$rs" "*198.51.100.7 . 0-65535*"
check_match "the UDP set" "$rs" "*set block_v4_udp {*198.51.100.0/24 . 5353*"
check_match "a rule that counted the IPv4 TCP drops" "$rs" \
	"*@block_v4_tcp counter packets [1-9]* jump deny*"
check_match "the IPv6 ones" "$rs" "*@block_v6_tcp counter packets [1-9]* jump deny*"
check_match "the UDP ones" "$rs" "*@block_v4_udp counter packets [1-9]* jump deny*"
check_match "denials are logged, rate-limited, then dropped" "$rs" \
	"*chain deny {*limit rate 100/second*log prefix \"kcs-ingress enforce block $cgid * ing\" group 1714*drop*"

# The events monitor saw (IPv4/IPv6, TCP/UDP).
e=$(ev_line '"hook":"ingress"' '"protocol":"tcp"' '"addr":"198.51.100.1"')
diag "$e"
check_eq "event: tcp drop from 198.51.100.1" "$(echo "$e" | json_get verdict)" deny
check_eq "  mode" "$(echo "$e" | json_get mode)" enforce
check_eq "  direction" "$(echo "$e" | json_get direction)" ingress
check_eq "  local address" "$(echo "$e" | json_get local_addr)" 192.0.2.2
check_eq "  local port" "$(echo "$e" | json_get local_port)" 8080
check_match "  source port" "$(echo "$e" | json_get port)" "[1-9]*"
check_eq "  the rule" "$(echo "$e" | json_get rule)" "198.51.100.0/24 tcp 8080"
check_eq "  rule kind" "$(echo "$e" | json_get rule_kind)" block
check_eq "  profile" "$(echo "$e" | json_get profile)" ing
check_eq "  bound cgroup" "$(echo "$e" | json_get bound_cgroup_id)" "$cgid"
check_eq "  no task: pid null" "$(echo "$e" | json_get pid)" null
check_eq "  no seq" "$(echo "$e" | json_get seq)" null
e=$(ev_line '"hook":"ingress"' '"protocol":"udp"' '"addr":"198.51.100.1"')
check_eq "event: udp drop from 198.51.100.1 to :5353" \
	"$(echo "$e" | json_get local_port) $(echo "$e" | json_get rule)" \
	"5353 198.51.100.0/24 udp 5353"
e=$(ev_line '"hook":"ingress"' '"protocol":"tcp"' '"addr":"2001:db8:1::1"')
check_eq "event: tcp drop from 2001:db8:1::1 (ipv6)" \
	"$(echo "$e" | json_get family) $(echo "$e" | json_get local_addr) $(echo "$e" | json_get rule)" \
	"ipv6 2001:db8::2 2001:db8:1::/48 tcp,udp *"
e=$(ev_line '"hook":"ingress"' '"protocol":"udp"' '"addr":"2001:db8:1::1"')
check_eq "event: udp drop from 2001:db8:1::1" \
	"$(echo "$e" | json_get local_port) $(echo "$e" | json_get verdict)" "5354 deny"
ok_ev=$(grep '"hook":"ingress"' "$KCS_EVENTS" | grep -e '"addr":"198.51.100.7"' \
	-e '"addr":"198.51.100.1",[^}]*"local_port":808[1],' \
	-e '"addr":"198.51.100.1",[^}]*"local_port":535[4],' \
	-e '"addr":"192.0.2.1"' -e '"addr":"2001:db8::1"' || :)
check_eq "no event for what got through (excluded, other ports)" "$ok_ev" ""

st=0
kcsadm monitor --timeout 1 >/dev/null 2>"$KCS_TMP/mon2.err" || st=$?
check_eq "a second monitor still runs (exit 0)" "$st" 0
check_match "but says the nflog group is taken" "$(cat "$KCS_TMP/mon2.err")" \
	"*ingress events of cgroup $cgid*another listener*"

check "rebind audit --netns" kcsadm bind "$cg" --profile ing --mode audit \
	--netns "$CTR_NETNS"
check_eq "audit: tcp 198.51.100.1 -> :8080 connects" \
	"$(net_in tcp 198.51.100.1 192.0.2.2 8080)" ok
check_eq "audit: udp [2001:db8:1::1] -> :5353 answers" \
	"$(net_in udp 2001:db8:1::1 2001:db8::2 5353)" ok
rs=$(ruleset)
check_match "audit: the audit chain logs and does not drop" "$rs" \
	"*@block_v4_tcp counter packets 1 bytes * jump audit*chain audit {*log prefix \"kcs-ingress audit block $cgid *\" group 1714*}*"
check_eq "  no drop in it" "$(printf '%s\n' "$rs" | grep -c drop || :)" 0
sleep 0.5
e=$(ev_line '"mode":"audit"' '"protocol":"tcp"' '"addr":"198.51.100.1"')
check_eq "event: audited tcp (verdict allow, mode audit)" \
	"$(echo "$e" | json_get verdict) $(echo "$e" | json_get rule)" \
	"allow 198.51.100.0/24 tcp 8080"
e=$(ev_line '"mode":"audit"' '"protocol":"udp"' '"addr":"2001:db8:1::1"')
check_eq "event: audited udp over IPv6" \
	"$(echo "$e" | json_get verdict) $(echo "$e" | json_get local_port) $(echo "$e" | json_get rule)" \
	"allow 5353 2001:db8:1::/48 tcp,udp *"

# Allow mode: everything not allowed is dropped and reported, no rule.
check "allow-mode profile applies" kcs_apply '{"name":"ing2","network":{"ingress":{
	"mode":"allow","allow":[{"cidr":"192.0.2.0/24"}]}}}'
check "bind enforce --netns (allow mode)" kcsadm bind "$cg" --profile ing2 \
	--mode enforce --netns "$CTR_NETNS"
check_eq "allow: 192.0.2.1 -> :5353/udp answers" \
	"$(net_in udp 192.0.2.1 192.0.2.2 5353)" ok
check_eq "allow: 198.51.100.7 -> :8081 dropped" \
	"$(net_in tcp 198.51.100.7 192.0.2.2 8081)" TIMEOUT
sleep 0.5
e=$(ev_line '"profile":"ing2"' '"addr":"198.51.100.7"')
check_eq "event: not-allowed, no rule" \
	"$(echo "$e" | json_get rule_kind) $(echo "$e" | json_get rule) $(echo "$e" | json_get local_port)" \
	"not-allowed null 8081"

kill "$MON" 2>/dev/null || :
wait "$MON" 2>/dev/null || :
check_eq "monitor printed no errors" "$(cat "$KCS_TMP/monitor.err")" ""

check "unbind --netns" kcsadm unbind "$cg" --netns "$CTR_NETNS"
check_eq "table removed" "$(ruleset | grep -c 'table inet kcs' || :)" 0
check_eq "namespace record removed" "$(ls /run/kcs/netns | wc -l)" 0
check_eq "after unbind: 198.51.100.1 -> :8080 connects" \
	"$(net_in tcp 198.51.100.1 192.0.2.2 8080)" ok

st=0
kcsadm bind "$cg" --profile ing --mode enforce --netns /nonexistent \
	>/dev/null 2>"$KCS_TMP/err" || st=$?
check_eq "bad --netns: refused (exit 6)" "$st" 6
check_fails "and nothing was bound" sh -c "kcsadm bindings | grep -q ' ing '"
done_testing
