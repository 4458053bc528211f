#!/bin/sh
# Listener rules: bind()/listen() on blocked ports fail with EPERM (TCP and
# UDP, IPv4 and IPv6); other ports work, ephemeral ports are not services;
# "monitor" reports every listening socket with its address and port.
set -eu
. "${0%/*}/lib.sh"
. "${0%/*}/container.sh"
. "${0%/*}/kcs.sh"
. "${0%/*}/net.sh"

P=$KCS_DIR
[ -x "$NET_IP" ] || skip_all "no iproute2 ip in the payload (tools/ip)"
net_begin n3 "$P/try_net"
at_exit ev_stop
cg=$(ctr_cgroup n3)

check "profile applies" kcs_apply '{"name":"net3","network":{"listen":{
	"mode":"block","ports":["8080","9000-9100"],"monitor":true}}}'
check "bind enforce" kcsadm bind "$cg" --profile net3 --mode enforce

ev_start
try n3 listen tcp 0.0.0.0 8080
check_eq "TCP listen on 8080: EPERM (at bind)" "$TRY_OUT" EPERM
try n3 bind udp 0.0.0.0 9050
check_eq "UDP bind on 9050: EPERM" "$TRY_OUT" EPERM
try n3 listen tcp :: 9100
check_eq "IPv6 TCP listen on 9100: EPERM" "$TRY_OUT" EPERM
try n3 bind udp 0.0.0.0 9050 --unspec
check_eq "AF_UNSPEC bind on IPv4 (taken as AF_INET): EPERM" "$TRY_OUT" EPERM
try n3 connect tcp 192.0.2.1 8080
check_eq "connecting out to 8080 is not listening: not EPERM" "$TRY_OUT" ECONNREFUSED
e=$(ev_wait '"port":8080,') || e=
f() { printf '%s\n' "$e" | json_get "$1"; }
check_eq "listen on 8080: the event is bind's" "$(f hook)" bind
check_eq "bind event verdict" "$(f verdict)" deny
check_eq "bind event rule kind" "$(f rule_kind)" block
check_eq "bind event local port" "$(f port)" 8080
check_eq "bind event rule" "$(f rule)" "* tcp,udp 8080,9000-9100"

try n3 listen tcp 192.0.2.2 8081
check_eq "TCP listen on 8081: ok" "$TRY_OUT" ok
e=$(ev_wait '"port":8081') || e=
check_eq "monitor: listen reported" "$(f hook)" listen
check_eq "monitor: verdict allow" "$(f verdict)" allow
check_eq "monitor: rule kind" "$(f rule_kind)" monitor
check_eq "monitor: local address" "$(f addr)" 192.0.2.2
check_eq "monitor: protocol" "$(f protocol)" tcp
try n3 bind udp 2001:db8::2 5353
check_eq "UDP bind on 5353: ok" "$TRY_OUT" ok
e=$(ev_wait '"port":5353') || e=
check_eq "monitor: UDP bind reported" "$(f hook):$(f protocol):$(f addr)" bind:udp:2001:db8::2
try n3 listen tcp 0.0.0.0 0
check_eq "TCP listen on an ephemeral port: ok" "$TRY_OUT" ok
check "listens counted" test "$(kcs_stat net_listen_reported)" -ge 3
ev_stop

# Audit: the blocked listen goes ahead.
check "rebind audit" kcsadm bind "$cg" --profile net3 --mode audit
try n3 listen tcp 0.0.0.0 8080
check_eq "audit: listen on 8080 works" "$TRY_OUT" ok
check "unbind" kcsadm unbind "$cg"
done_testing
