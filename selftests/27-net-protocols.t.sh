#!/bin/sh
# Every socket that carries an IPv4/IPv6 destination is judged, whatever its
# family or protocol: SCTP (connect, sctp_connectx, sendmsg of a one-to-many
# socket), DCCP, MPTCP, AF_SMC, UDP-Lite, ICMP ping and raw sockets. "tcp"
# rules cover the connection-oriented protocols, "udp" the datagram ones,
# and a socket without ports is covered by a rule naming no ports (allow
# mode: and no protocol). Unspecified destinations (0.0.0.0, ::) are judged
# as the loopback they reach; dual-stack listeners as IPv4 too.
set -eu
. "${0%/*}/lib.sh"
. "${0%/*}/container.sh"
. "${0%/*}/kcs.sh"
. "${0%/*}/net.sh"

P=$KCS_DIR
[ -x "$NET_IP" ] || skip_all "no iproute2 ip in the payload (tools/ip)"
# Loaded up front: how a node autoloads them is not what is tested here.
for m in sctp dccp_ipv4 dccp_ipv6 smc; do modprobe "$m" 2>/dev/null || :; done
net_begin np "$P/try_net"
# ICMP "ping" sockets for every group in the container's namespace, as
# distributions set it (the kernel's default lets nobody make one).
net_ctr sh -c 'echo 0 2147483647 >/proc/sys/net/ipv4/ping_group_range'
at_exit ev_stop
cg=$(ctr_cgroup np)

# ptry WANT DESC OP PROTO ADDR PORT [OPTIONS]: try, and check what the
# program saw; a protocol this kernel lacks is a visible skip.
ptry() {
	_w=$1 _d=$2
	shift 2
	try np "$@"
	if [ "$TRY_OUT" = NOPROTO ]; then
		skip "$_d" "no $2 in this kernel"
	else
		check_eq "$_d" "$TRY_OUT" "$_w"
	fi
}

# Before any profile: these protocols reach the blocked address.
ptry ok "unbound: SCTP connect to 198.51.100.1 goes ahead" connect sctp 198.51.100.1 80

check "block profile applies" kcs_apply '{"name":"np","network":{
	"egress":{"mode":"block","rules":[
		{"cidr":"198.51.100.0/24"},
		{"cidr":"2001:db8::1"},
		{"cidr":"192.0.2.1/32","ports":"81","protocol":"tcp"},
		{"cidr":"127.0.0.1/32","ports":"9999"},
		{"cidr":"::1","ports":"9999"}]},
	"listen":{"mode":"block","ports":"2222"}}}'
check "bind enforce" kcsadm bind "$cg" --profile np --mode enforce

for p in sctp sctpseq dccp mptcp smc; do
	ptry EPERM "$p connect 198.51.100.1:80: EPERM" connect "$p" 198.51.100.1 80
done
ptry EPERM "sctp_connectx() to 198.51.100.1: EPERM" connectx sctpseq 198.51.100.1 80
ptry EPERM "SCTP one-to-many sendmsg to 198.51.100.1 (opens an association): EPERM" sendto sctpseq 198.51.100.1 80
ptry EPERM "UDP-Lite sendto 198.51.100.1: EPERM" sendto udplite 198.51.100.1 53
ptry EPERM "ICMP ping to 198.51.100.1: EPERM" sendto ping 198.51.100.1 0
ptry EPERM "raw IP to 198.51.100.1: EPERM" sendto raw 198.51.100.1 0
ptry EPERM "sctp connect [2001:db8::1]:80: EPERM" connect sctp 2001:db8::1 80
ptry EPERM "smc connect [2001:db8::1]:80: EPERM" connect smc 2001:db8::1 80
ptry EPERM "ICMPv6 ping to 2001:db8::1: EPERM" sendto ping 2001:db8::1 0
ptry EPERM "a tcp rule covers SCTP too (192.0.2.1:81): EPERM" connect sctp 192.0.2.1 81
ptry EPERM "... and DCCP" connect dccp 192.0.2.1 81
ptry ok "sctp 192.0.2.1:80 (no rule) goes ahead" connect sctp 192.0.2.1 80
ptry ok "ICMP ping to 192.0.2.1 (only a port rule covers it) goes ahead" sendto ping 192.0.2.1 0

# Unspecified destinations reach this host's loopback.
ptry EPERM "tcp connect 0.0.0.0:9999 is 127.0.0.1:9999: EPERM" connect tcp 0.0.0.0 9999
ptry EPERM "udp sendto 0.0.0.0:9999: EPERM" sendto udp 0.0.0.0 9999
ptry EPERM "tcp connect [::]:9999 is [::1]:9999: EPERM" connect tcp :: 9999
ptry EPERM "IPv6 socket, ::ffff:0.0.0.0 port 9999: EPERM" connect tcp ::ffff:0.0.0.0 9999
ptry ECONNREFUSED "tcp connect 0.0.0.0:9998 (no rule): refused by the host, not kcs" connect tcp 0.0.0.0 9998

# A dual-stack listener (IPV6_V6ONLY off) serves IPv4 too: its port is judged.
ptry EPERM "dual-stack bind [::]:2222: EPERM" bind tcp :: 2222
ptry EPERM "SCTP listener on 2222: EPERM" bind sctp 0.0.0.0 2222

# Audit: the event names the real protocol.
check "bind audit" kcsadm bind "$cg" --profile np --mode audit
ev_start
try np connectx sctpseq 198.51.100.3 80
if [ "$TRY_OUT" = NOPROTO ]; then
	skip "audit: sctp_connectx goes ahead" "no sctp in this kernel"
	skip "its event: hook connect, protocol sctp, the address" "no sctp"
else
	check_eq "audit: sctp_connectx goes ahead" "$TRY_OUT" ok
	ev=$(ev_wait '"addr":"198.51.100.3"' || :)
	check_match "its event: hook connect, protocol sctp, the address" "$ev" \
		'*"hook":"connect"*"verdict":"allow"*"protocol":"sctp"*"addr":"198.51.100.3"*"port":80*'
fi
ev_stop

# Allow mode: a rule naming no protocol and no ports covers every protocol;
# a tcp rule covers SCTP and DCCP; nothing else gets through.
check "allow profile applies" kcs_apply '{"name":"np","network":{
	"egress":{"mode":"allow","allow":[
		{"cidr":"192.0.2.0/24"},
		{"cidr":"198.51.100.1/32","ports":"80","protocol":"tcp"}]}}}'
check "bind enforce" kcsadm bind "$cg" --profile np --mode enforce
ptry ok "allow: ping 192.0.2.1 (protocol-less rule) goes ahead" sendto ping 192.0.2.1 0
ptry ok "allow: raw IP to 192.0.2.1 goes ahead" sendto raw 192.0.2.1 0
ptry EPERM "allow: ping 198.51.100.1 (a tcp port rule only): EPERM" sendto ping 198.51.100.1 0
ptry EPERM "allow: raw IP to 198.51.100.1: EPERM" sendto raw 198.51.100.1 0
ptry ok "allow: sctp 198.51.100.1:80 (tcp rule) goes ahead" connect sctp 198.51.100.1 80
ptry EPERM "allow: sctp 198.51.100.1:81: EPERM" connect sctp 198.51.100.1 81
ptry EPERM "allow: sctp_connectx 203.0.113.1: EPERM" connectx sctpseq 203.0.113.1 80
ptry EPERM "allow: dccp 203.0.113.1: EPERM" connect dccp 203.0.113.1 80
ptry EPERM "allow: smc 203.0.113.1: EPERM" connect smc 203.0.113.1 80
ptry EPERM "allow: udplite 203.0.113.1: EPERM" sendto udplite 203.0.113.1 53
ptry EPERM "allow: tcp 0.0.0.0:80 (loopback, not allowed): EPERM" connect tcp 0.0.0.0 80
done_testing
