#!/bin/sh
# Ingress through nftables: `kcsadm bind --netns` writes table inet kcs into
# the container's network namespace; new TCP connections from blocked
# sources are dropped (the client times out), others and excluded ones
# connect, IPv4 and IPv6; `nft list ruleset` there shows the table
# readably; Audit logs (nflog) instead of dropping; unbind --netns removes it.
set -eu
. "${0%/*}/lib.sh"
. "${0%/*}/container.sh"
. "${0%/*}/kcs.sh"
. "${0%/*}/net.sh"

P=$KCS_DIR
NFT=$KCS_DIR/tools/nft
[ -x "$NET_IP" ] || skip_all "no iproute2 ip in the payload (tools/ip)"
[ -x "$NFT" ] || skip_all "no nft in the payload (tools/nft)"
check "kcs.ko loads" kcs_load
at_exit kcs_unload
ctr_create n4 "$P/try_net" >/dev/null
at_exit "ctr_destroy n4"
at_exit net_teardown
net_setup || bail_out "cannot set up the container network"
cg=$(ctr_cgroup n4)
# Servers inside the container's namespace.
for port in 8080 8081; do
	nsenter --net="$CTR_NETNS" "$P/try_net" serve tcp :: "$port" >/dev/null &
	NET_PIDS="$NET_PIDS $!"
done
sleep 0.3

conn() { # SRC DST PORT: connect from the guest with that source address
	"$P/try_net" --src "$1" --timeout 2 connect tcp "$2" "$3" || :
}
ruleset() { nsenter --net="$CTR_NETNS" "$NFT" list ruleset; }

check_eq "unbound: 198.51.100.1 -> 192.0.2.2:8080 connects" \
	"$(conn 198.51.100.1 192.0.2.2 8080)" ok
check "profile applies" kcs_apply '{"name":"ing","network":{"ingress":{
	"mode":"block",
	"rules":[{"cidr":"198.51.100.0/24","ports":"8080","protocol":"tcp"},
		 {"cidr":"2001:db8:1::/48"}],
	"exclusions":[{"cidr":"198.51.100.7"}]}}}'
check "bind enforce --netns" kcsadm bind "$cg" --profile ing --mode enforce \
	--netns "$CTR_NETNS"

check_eq "192.0.2.1 -> :8080 (no rule): connects" "$(conn 192.0.2.1 192.0.2.2 8080)" ok
check_eq "198.51.100.1 -> :8080 (blocked): dropped" "$(conn 198.51.100.1 192.0.2.2 8080)" TIMEOUT
check_eq "198.51.100.1 -> :8081 (other port): connects" "$(conn 198.51.100.1 192.0.2.2 8081)" ok
check_eq "198.51.100.7 -> :8080 (excluded): connects" "$(conn 198.51.100.7 192.0.2.2 8080)" ok
check_eq "[2001:db8:1::1] -> :8081 (blocked /48, every port): dropped" \
	"$(conn 2001:db8:1::1 2001:db8::2 8081)" TIMEOUT
check_eq "[2001:db8::1] -> :8081: connects" "$(conn 2001:db8::1 2001:db8::2 8081)" ok

rs=$(ruleset)
diag "$rs"
check_match "nft shows table inet kcs" "$rs" "*table inet kcs {*"
check_match "with the blocked IPv4 source and port" "$rs" "*198.51.100.0/24 . 8080*"
check_match "with the IPv6 prefix, every port" "$rs" "*2001:db8:1::/48 . 0-65535*"
check_match "the exclusion" "$rs" "*198.51.100.7 . 0-65535*"
check_match "a drop rule that counted the IPv4 drop" "$rs" \
	"*@block_v4_tcp counter packets [1-9]* drop*"
check_match "and the IPv6 one" "$rs" "*@block_v6_tcp counter packets [1-9]* drop*"

check "rebind audit --netns" kcsadm bind "$cg" --profile ing --mode audit \
	--netns "$CTR_NETNS"
check_eq "audit: 198.51.100.1 -> :8080 connects" "$(conn 198.51.100.1 192.0.2.2 8080)" ok
rs=$(ruleset)
check_match "audit: logged to the nflog group" "$rs" \
	"*@block_v4_tcp counter packets 1 bytes * log prefix \"kcs-ingress-audit \" group 1714*"

check "unbind --netns" kcsadm unbind "$cg" --netns "$CTR_NETNS"
check_eq "table removed" "$(ruleset | grep -c 'table inet kcs' || :)" 0
check_eq "after unbind: 198.51.100.1 -> :8080 connects" "$(conn 198.51.100.1 192.0.2.2 8080)" ok

st=0
kcsadm bind "$cg" --profile ing --mode enforce --netns /nonexistent \
	>/dev/null 2>"$KCS_TMP/err" || st=$?
check_eq "bad --netns: refused (exit 6)" "$st" 6
check_fails "and nothing was bound" sh -c "kcsadm bindings | grep -q ' ing '"
done_testing
