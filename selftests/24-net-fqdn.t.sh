#!/bin/sh
# FQDN egress rules: kcsadm resolves the name through DNS (dnsmasq in the
# guest, documentation addresses), blocks what it resolves to, and
# `kcsadm netwatch` follows the answers: when the address changes, the new
# one is blocked and the old one freed once the TTL has run out; the TTL
# the server gives is the one netwatch waits; a name that goes away blocks
# nothing.
set -eu
. "${0%/*}/lib.sh"
. "${0%/*}/container.sh"
. "${0%/*}/kcs.sh"
. "${0%/*}/net.sh"

P=$KCS_DIR
DNSMASQ=$KCS_DIR/tools/dnsmasq
[ -x "$NET_IP" ] || skip_all "no iproute2 ip in the payload (tools/ip)"
[ -x "$DNSMASQ" ] || skip_all "no dnsmasq in the payload (tools/dnsmasq)"
check "kcs.ko loads" kcs_load
at_exit kcs_unload
ctr_create n5 "$P/try_net" >/dev/null
at_exit "ctr_destroy n5"
at_exit net_teardown
net_setup || bail_out "cannot set up the container network"
net_serve :: 80
cg=$(ctr_cgroup n5)

# The guest resolves through dnsmasq on 127.0.0.1.
[ ! -f /etc/resolv.conf ] || cp /etc/resolv.conf "$KCS_TMP/resolv.conf.orig"
printf 'nameserver 127.0.0.1\noptions timeout:1 attempts:2\n' >/etc/resolv.conf
grep -q '^root:' /etc/passwd 2>/dev/null || echo 'root:x:0:0:root:/root:/bin/sh' >>/etc/passwd
grep -q '^root:' /etc/group 2>/dev/null || echo 'root:x:0:' >>/etc/group
DNS_PID=
dns_stop() { [ -z "$DNS_PID" ] || { kill "$DNS_PID" 2>/dev/null; wait "$DNS_PID" 2>/dev/null || :; }; DNS_PID=; }
dns_start() { # TTL [HOST-RECORD]
	dns_stop
	"$DNSMASQ" -k -C /dev/null --no-resolv --no-hosts --pid-file= \
		--listen-address=127.0.0.1 --bind-interfaces -u root -g root \
		--local=/kcs.test/ \
		--local-ttl="$1" ${2:+--host-record="$2"} 2>"$KCS_TMP/dnsmasq.err" &
	DNS_PID=$!
	# Wait until it listens (127.0.0.1:53 in /proc/net/udp): on a slow
	# (debug, TCG) kernel half a second is not always enough.
	_i=0
	while ! grep -q ' 0100007F:0035 ' /proc/net/udp && [ "$_i" -lt 100 ]; do
		sleep 0.1
		_i=$((_i + 1))
	done
}
at_exit dns_stop
at_exit 'if [ -f "$KCS_TMP/resolv.conf.orig" ]; then cp "$KCS_TMP/resolv.conf.orig" /etc/resolv.conf; else rm -f /etc/resolv.conf; fi'
dns_start 2 db.kcs.test,198.51.100.1,2001:db8:1::1

cat >"$KCS_TMP/fq.json" <<'J'
{"name":"fq","network":{"egress":{"mode":"block",
 "rules":[{"fqdn":"db.kcs.test","ports":"80","protocol":"tcp"}]}}}
J
check "profile apply resolves the name" kcsadm profile apply -f "$KCS_TMP/fq.json"
check "bind enforce" kcsadm bind "$cg" --profile fq --mode enforce

try n5 connect tcp 198.51.100.1 80
check_eq "db.kcs.test's IPv4 address: EPERM" "$TRY_OUT" EPERM
try n5 connect tcp 2001:db8:1::1 80
check_eq "its IPv6 address: EPERM" "$TRY_OUT" EPERM
try n5 connect tcp 198.51.100.7 80
check_eq "another address: connects" "$TRY_OUT" ok

ev_start
at_exit ev_stop
try n5 connect tcp 198.51.100.1 80
e=$(ev_wait '"addr":"198.51.100.1"') || e=
check_eq "the event quotes the FQDN rule" \
	"$(printf '%s\n' "$e" | json_get rule)" "db.kcs.test tcp 80"
ev_stop

kcsadm netwatch -f "$KCS_TMP/fq.json" >"$KCS_TMP/nw.log" 2>&1 &
NW=$!
at_exit "kill $NW 2>/dev/null || :"
wait_log() { # FIXED-STRING [TENTHS]
	_i=0
	while [ "$_i" -lt "${2:-100}" ]; do
		grep -qF -- "$1" "$KCS_TMP/nw.log" && return 0
		sleep 0.1
		_i=$((_i + 1))
	done
	diag "$(cat "$KCS_TMP/nw.log")"
	return 1
}
check "netwatch applies and waits the TTL (2 s)" wait_log "next resolution in 2 s"

# The name moves, with a longer TTL.
dns_start 5 db.kcs.test,198.51.100.7
check "netwatch sees the new address once the TTL ran out" \
	wait_log "db.kcs.test -> 198.51.100.7 (ttl 5)" 80
check "and waits the new TTL (5 s)" wait_log "next resolution in 5 s" 20
try n5 connect tcp 198.51.100.7 80
check_eq "new address: EPERM" "$TRY_OUT" EPERM
try n5 connect tcp 198.51.100.1 80
check_eq "old address: connects again" "$TRY_OUT" ok
try n5 connect tcp 2001:db8:1::1 80
check_eq "the dropped IPv6 address: connects" "$TRY_OUT" ok

# The name disappears (NXDOMAIN): it blocks nothing.
dns_start 5
check "netwatch applies an empty address set" wait_log "db.kcs.test -> (no address)" 100
try n5 connect tcp 198.51.100.7 80
check_eq "after NXDOMAIN: connects" "$TRY_OUT" ok

kill "$NW" 2>/dev/null || :
st=0
wait "$NW" || st=$?
check_eq "netwatch exits 0 on SIGTERM" "$st" 0
check "unbind" kcsadm unbind "$cg"
done_testing
