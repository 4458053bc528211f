#!/bin/sh
# Network egress, allow mode: only the listed destinations are reachable;
# everything else, loopback included (no special case), fails with EPERM;
# the event says no allowed entry matched.
set -eu
. "${0%/*}/lib.sh"
. "${0%/*}/container.sh"
. "${0%/*}/kcs.sh"
. "${0%/*}/net.sh"

P=$KCS_DIR
[ -x "$NET_IP" ] || skip_all "no iproute2 ip in the payload (tools/ip)"
net_begin n2 "$P/try_net"
at_exit ev_stop
net_serve :: 80
net_serve :: 8080
cg=$(ctr_cgroup n2)

check "profile applies" kcs_apply '{"name":"net2","network":{"egress":{
	"mode":"allow",
	"allow":[{"cidr":"192.0.2.1/32","ports":"80","protocol":"tcp"},
		 {"cidr":"2001:db8::/32","protocol":"udp"}]}}}'
check "bind enforce" kcsadm bind "$cg" --profile net2 --mode enforce
j=$(kcsadm --json profile show net2)
check_eq "profile show: egress mode and rule count from the kernel" \
	"$(printf '%s\n' "$j" | json_get egress_mode):$(printf '%s\n' "$j" | json_get egress_rules)" allow:2

try n2 connect tcp 192.0.2.1 80
check_eq "allowed tcp 192.0.2.1:80: connects" "$TRY_OUT" ok
try n2 connect tcp 192.0.2.1 8080
check_eq "tcp 192.0.2.1:8080 (port not allowed): EPERM" "$TRY_OUT" EPERM
try n2 sendto udp 192.0.2.1 80
check_eq "udp 192.0.2.1:80 (protocol not allowed): EPERM" "$TRY_OUT" EPERM
try n2 connect tcp 198.51.100.1 80
check_eq "tcp 198.51.100.1:80 (address not allowed): EPERM" "$TRY_OUT" EPERM
try n2 sendto udp 2001:db8::1 53
check_eq "udp [2001:db8::1]:53 (allowed, ports blank): sent" "$TRY_OUT" ok
try n2 sendto udp 2001:db8:1::1 5353
check_eq "udp [2001:db8:1::1]:5353 (inside 2001:db8::/32): sent" "$TRY_OUT" ok
try n2 connect tcp 2001:db8::1 80
check_eq "tcp [2001:db8::1]:80 (udp only): EPERM" "$TRY_OUT" EPERM
try n2 connect tcp 127.0.0.1 80
check_eq "loopback is not special: EPERM" "$TRY_OUT" EPERM
try n2 connect tcp ::1 80
check_eq "IPv6 loopback: EPERM" "$TRY_OUT" EPERM

ev_start
try n2 connect tcp 198.51.100.1 8080
e=$(ev_wait '"hook":"connect"') || e=
f() { printf '%s\n' "$e" | json_get "$1"; }
check_eq "event verdict" "$(f verdict)" deny
check_eq "event rule kind: nothing allowed it" "$(f rule_kind)" not-allowed
check_eq "event names no rule" "$(printf '%s\n' "$e" | grep -c '"rule":null')" 1
check_eq "event addr:port" "$(f addr):$(f port)" 198.51.100.1:8080
ev_stop

# Replacing the profile takes effect at once for the bound container.
check "profile replaced: 8080 allowed too" kcs_apply '{"name":"net2","network":{
	"egress":{"mode":"allow","allow":[{"cidr":"192.0.2.1","ports":["80",8080],
	"protocol":"tcp"}]}}}'
try n2 connect tcp 192.0.2.1 8080
check_eq "after replace: 192.0.2.1:8080 connects" "$TRY_OUT" ok
check "unbind" kcsadm unbind "$cg"
done_testing
