#!/bin/sh
# Network egress, block mode: connect()/sendto() from a container in its own
# network namespace to servers in the guest's, TCP and UDP, IPv4 and IPv6;
# what the program sees (EPERM or not) for blocked, excluded and other
# destinations, ports set vs blank, address forms that must not slip
# through, then Audit with its events checked field by field.
set -eu
. "${0%/*}/lib.sh"
. "${0%/*}/container.sh"
. "${0%/*}/kcs.sh"
. "${0%/*}/net.sh"

P=$KCS_DIR
[ -x "$NET_IP" ] || skip_all "no iproute2 ip in the payload (tools/ip)"
net_begin n1 "$P/try_net"

at_exit ev_stop
net_serve :: 80
net_serve :: 8050
cg=$(ctr_cgroup n1)
cgid=$(ctr_cgid n1)

try n1 connect tcp 192.0.2.1 80
check_eq "unbound: TCP connect to the guest works" "$TRY_OUT" ok

check "profile applies" kcs_apply '{"name":"net1","network":{"egress":{
	"mode":"block",
	"rules":[{"cidr":"198.51.100.0/24"},
		 {"cidr":"192.0.2.1/32","ports":"81","protocol":"tcp"},
		 {"cidr":"2001:db8::1","ports":["8000-8100"]}],
	"exclusions":[{"cidr":"198.51.100.7/32"}]}}}'
check "bind enforce" kcsadm bind "$cg" --profile net1 --mode enforce

denied=$(kcs_stat net_denied)
try n1 connect tcp 192.0.2.1 80
check_eq "tcp 192.0.2.1:80 (no rule): connects" "$TRY_OUT" ok
try n1 connect tcp 192.0.2.1 81
check_eq "tcp 192.0.2.1:81 (rule with port, tcp): EPERM" "$TRY_OUT" EPERM
try n1 connect udp 192.0.2.1 81
check_eq "udp 192.0.2.1:81 (the rule is tcp only): connects" "$TRY_OUT" ok
try n1 connect tcp 198.51.100.1 80
check_eq "tcp 198.51.100.1:80 (cidr, ports blank): EPERM" "$TRY_OUT" EPERM
try n1 connect tcp 198.51.100.1 8050
check_eq "tcp 198.51.100.1:8050 (ports blank = every port): EPERM" "$TRY_OUT" EPERM
try n1 sendto udp 198.51.100.1 53
check_eq "udp sendto 198.51.100.1:53: EPERM" "$TRY_OUT" EPERM
try n1 connect udp 198.51.100.1 53
check_eq "udp connect 198.51.100.1:53: EPERM" "$TRY_OUT" EPERM
try n1 sendto udp 192.0.2.1 53
check_eq "udp sendto 192.0.2.1:53 (no rule): sent" "$TRY_OUT" ok
try n1 connect tcp 198.51.100.7 80
check_eq "tcp 198.51.100.7:80 (excluded): connects" "$TRY_OUT" ok
try n1 connect tcp 2001:db8::1 8050
check_eq "tcp [2001:db8::1]:8050 (IPv6 rule, port range): EPERM" "$TRY_OUT" EPERM
try n1 sendto udp 2001:db8::1 8100
check_eq "udp [2001:db8::1]:8100 (end of range): EPERM" "$TRY_OUT" EPERM
try n1 connect tcp 2001:db8::1 80
check_eq "tcp [2001:db8::1]:80 (outside the range): connects" "$TRY_OUT" ok
try n1 connect tcp 2001:db8:1::1 8050
check_eq "tcp [2001:db8:1::1]:8050 (other address): connects" "$TRY_OUT" ok
try n1 connect tcp ::ffff:198.51.100.1 80 --v6sock
check_eq "IPv4-mapped IPv6 address: EPERM" "$TRY_OUT" EPERM
try n1 sendto udp 198.51.100.1 53 --v6sock
check_eq "AF_INET address on an IPv6 UDP socket: EPERM" "$TRY_OUT" EPERM
try n1 sendto udp 198.51.100.1 53 --unspec
check_eq "AF_UNSPEC address on IPv4 UDP (sent as AF_INET): EPERM" "$TRY_OUT" EPERM
try n1 sendto tcp 198.51.100.1 80
check_eq "TCP Fast Open sendto: EPERM" "$TRY_OUT" EPERM
try n1 connect tcp 127.0.0.1 9
check_eq "loopback, no rule: not blocked (ECONNREFUSED)" "$TRY_OUT" ECONNREFUSED
check_eq "denials counted" "$(kcs_stat net_denied)" "$((denied + 11))"

# Events, Enforce and Audit.
ev_start
try n1 sendto udp 198.51.100.1 53
e=$(ev_wait '"hook":"sendmsg"') || e=
check "an event arrived" test -n "$e"
f() { printf '%s\n' "$e" | json_get "$1"; }
check_eq "event hook" "$(f hook)" sendmsg
check_eq "event verdict" "$(f verdict)" deny
check_eq "event mode" "$(f mode)" enforce
check_eq "event family" "$(f family)" ipv4
check_eq "event protocol" "$(f protocol)" udp
check_eq "event addr" "$(f addr)" 198.51.100.1
check_eq "event port" "$(f port)" 53
check_eq "event comm" "$(f comm)" try_net
check_eq "event cgroup id" "$(f cgroup_id)" "$cgid"
check_eq "event profile" "$(f profile)" net1
check_eq "event rule kind" "$(f rule_kind)" block
check_eq "event rule" "$(f rule)" "198.51.100.0/24 tcp,udp *"

check "rebind audit" kcsadm bind "$cg" --profile net1 --mode audit
audited=$(kcs_stat net_audited)
try n1 connect tcp 192.0.2.1 81
check_eq "audit: the connect goes out (nobody listens on 81)" "$TRY_OUT" ECONNREFUSED
e=$(ev_wait '"mode":"audit"') || e=
check_eq "audit event hook" "$(f hook)" connect
check_eq "audit event verdict" "$(f verdict)" allow
check_eq "audit event addr:port" "$(f addr):$(f port)" 192.0.2.1:81
check_eq "audit event protocol" "$(f protocol)" tcp
check_eq "audit event rule" "$(f rule)" "192.0.2.1/32 tcp 81"
try n1 connect tcp 2001:db8::1 8050
check_eq "audit: IPv6 connect goes through" "$TRY_OUT" ok
e=$(ev_wait '"addr":"2001:db8::1"') || e=
check_eq "audit IPv6 event family" "$(f family)" ipv6
check_eq "audit IPv6 event port" "$(f port)" 8050
check_eq "audit IPv6 event rule" "$(f rule)" "2001:db8::1 tcp,udp 8000-8100"
check_eq "audits counted" "$(kcs_stat net_audited)" "$((audited + 2))"
try n1 connect tcp 192.0.2.1 80
sleep 0.3
check_eq "allowed connect: no event" "$(ev_count '"port":80,')" 0
ev_stop

check "unbind" kcsadm unbind "$cg"
try n1 connect tcp 198.51.100.1 80
check_eq "unbound again: connects" "$TRY_OUT" ok
done_testing
