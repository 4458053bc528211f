#!/bin/sh
# FQDN rules that follow the container's own DNS (`netwatch --dns-netns`).
# The node resolves web.kcs.test to 198.51.100.1 (dnsmasq on 127.0.0.1),
# the container's resolver (dnsmasq on 192.0.2.1, the other end of its
# veth) to 198.51.100.7, as cluster DNS or a CDN answering per client
# would. Without following, an allowed name's address is denied and a
# blocked name's passes; with it, the container's very first connect to
# what it was told is judged right. Answers from inside the namespace
# (loopback) or from a server other than --dns-server teach nothing;
# learned addresses expire; while netwatch is
# down (killed) answers are dropped, not passed unseen.
set -eu
. "${0%/*}/lib.sh"
. "${0%/*}/container.sh"
. "${0%/*}/kcs.sh"
. "${0%/*}/net.sh"

P=$KCS_DIR
DNSMASQ=$KCS_DIR/tools/dnsmasq
NFT=$KCS_DIR/tools/nft
[ -x "$NET_IP" ] || skip_all "no iproute2 ip in the payload (tools/ip)"
[ -x "$DNSMASQ" ] || skip_all "no dnsmasq in the payload (tools/dnsmasq)"
[ -x "$NFT" ] || skip_all "no nft in the payload (tools/nft)"
nft_queue_ok || skip_all "this kernel has no nft_queue/nfnetlink_queue"

net_begin n6 "$P/dns_connect" "$P/try_net"
net_serve :: 80
cg=$(ctr_cgroup n6)

[ ! -f /etc/resolv.conf ] || cp /etc/resolv.conf "$KCS_TMP/resolv.conf.orig"
printf 'nameserver 127.0.0.1\noptions timeout:1 attempts:2\n' >/etc/resolv.conf
at_exit 'if [ -f "$KCS_TMP/resolv.conf.orig" ]; then cp "$KCS_TMP/resolv.conf.orig" /etc/resolv.conf; else rm -f /etc/resolv.conf; fi'
grep -q '^root:' /etc/passwd 2>/dev/null || echo 'root:x:0:0:root:/root:/bin/sh' >>/etc/passwd
grep -q '^root:' /etc/group 2>/dev/null || echo 'root:x:0:' >>/etc/group

# dns ADDR TTL RECORD...: a dnsmasq answering on ADDR (in the caller's
# namespace) with host records; its pid in DNS_PID.
dns() {
	_a=$1 _t=$2
	shift 2
	_r=
	for _h in "$@"; do _r="$_r --host-record=$_h"; done
	# shellcheck disable=SC2086 # one option per record
	"$DNSMASQ" -k -C /dev/null --no-resolv --no-hosts --pid-file= \
		--listen-address="$_a" --bind-interfaces -u root -g root \
		--local=/kcs.test/ --local-ttl="$_t" $_r 2>>"$KCS_TMP/dnsmasq.err" &
	DNS_PID=$!
}
# listening HEXADDR: wait until something listens on HEXADDR:53/udp here.
listening() {
	_i=0
	while ! grep -q " $1:0035 " /proc/net/udp && [ "$_i" -lt 100 ]; do
		sleep 0.1
		_i=$((_i + 1))
	done
}
dns 127.0.0.1 2 web.kcs.test,198.51.100.1
at_exit "kill $DNS_PID 2>/dev/null || :"
listening 0100007F
dns 192.0.2.1 8 web.kcs.test,198.51.100.7 other.kcs.test,198.51.100.9
at_exit "kill $DNS_PID 2>/dev/null || :"
listening 010200C0
# A DNS server the container may ask but netwatch does not trust (the
# container's own, somewhere it may reach): it lies about web.kcs.test.
dns 198.51.100.7 8 web.kcs.test,198.51.100.9
at_exit "kill $DNS_PID 2>/dev/null || :"
listening 076433C6

# dc SERVER NAME: dns_connect in the container; sets DC.
dc() {
	run_in n6 /bin/dns_connect "$1" "$2" 80 >"$KCS_TMP/dc.out" || :
	DC=$(cat "$KCS_TMP/dc.out")
}
nft_ctr() { nsenter --net="$CTR_NETNS" "$NFT" "$@"; }
NW=
nw_start() { # OPTIONS...
	: >"$KCS_TMP/nw.log"
	kcsadm netwatch --grace 1 --dns-netns "$CTR_NETNS" --dns-server 192.0.2.1 "$@" \
		>"$KCS_TMP/nw.log" 2>&1 &
	NW=$!
}
nw_stop() { # SIGNAL: sets NW_ST
	NW_ST=0
	[ -z "$NW" ] || { kill "-$1" "$NW" 2>/dev/null || :; wait "$NW" || NW_ST=$?; }
	NW=
}
at_exit 'nw_stop TERM'

# ---- Allow mode: only web.kcs.test:80 (and the resolvers).
cat >"$KCS_TMP/allow.json" <<'J'
{"name":"dnsf","network":{"egress":{"mode":"allow","allow":[
 {"fqdn":"web.kcs.test","ports":"80","protocol":"tcp"},
 {"cidr":"192.0.2.1/32","ports":"53","protocol":"udp"},
 {"cidr":"127.0.0.1/32","ports":"53","protocol":"udp"},
 {"cidr":"198.51.100.7/32","ports":"53","protocol":"udp"}]}}}
J
check "profile apply (the node resolves web.kcs.test)" \
	kcsadm profile apply -f "$KCS_TMP/allow.json"
check "bind enforce" kcsadm bind "$cg" --profile dnsf --mode enforce
dc 192.0.2.1 web.kcs.test
check_eq "not followed: the container's answer for an allowed name is denied" \
	"$DC" "EPERM 198.51.100.7"

nw_start -f "$KCS_TMP/allow.json"
check "netwatch follows the namespace's DNS" \
	wait_log "following the DNS answers of the --dns-netns namespaces"
check "  and has applied" wait_log "next resolution in" 100
check_match "the queue table is in the container's namespace" \
	"$(nft_ctr list table inet kcs_dns 2>&1)" "*iiftype != loopback udp sport 53 ct state established queue to 1715*"
dc 192.0.2.1 web.kcs.test
check_eq "followed: the first connect to the container's answer succeeds" \
	"$DC" "ok 198.51.100.7"
check "netwatch says what it learned before releasing the answer" \
	wait_log "web.kcs.test -> 198.51.100.7 (ttl 8), 1 new, applied before the answer went on" 30
try n6 connect tcp 198.51.100.1 80
check_eq "the node's address for the name still connects" "$TRY_OUT" ok
check_match "profile show has the learned address in force" \
	"$(kcsadm profile show dnsf 2>&1)" "*198.51.100.7*"
dc 192.0.2.1 other.kcs.test
check_eq "a name the profile does not list learns nothing: EPERM" \
	"$DC" "EPERM 198.51.100.9"

dc 198.51.100.7 web.kcs.test
check_eq "an answer from a server not given as --dns-server adds no address: EPERM" \
	"$DC" "EPERM 198.51.100.9"

# An answer forged inside the namespace (loopback) teaches nothing.
net_ctr "$DNSMASQ" -k -C /dev/null --no-resolv --no-hosts --pid-file= \
	--listen-address=127.0.0.1 --bind-interfaces -u root -g root \
	--local=/kcs.test/ --host-record=web.kcs.test,198.51.100.9 \
	2>>"$KCS_TMP/dnsmasq.err" &
FORGE=$!
at_exit "kill $FORGE 2>/dev/null || :"
_i=0
while ! net_ctr grep -q ' 0100007F:0035 ' /proc/net/udp && [ "$_i" -lt 100 ]; do
	sleep 0.1
	_i=$((_i + 1))
done
dc 127.0.0.1 web.kcs.test
check_eq "an answer from inside the namespace adds no address: EPERM" \
	"$DC" "EPERM 198.51.100.9"
kill "$FORGE" 2>/dev/null || :

# Learned addresses leave with their TTL (8 s) + grace (1 s).
check "the learned address expires" wait_log "learned addresses expired: applied" 150
try n6 connect tcp 198.51.100.7 80
check_eq "  and is denied again" "$TRY_OUT" EPERM

# netwatch killed: the table stays, nobody reads the queue, answers drop.
nw_stop KILL
dc 192.0.2.1 web.kcs.test
check_eq "netwatch killed: the container gets no unseen answer" "$DC" NOANSWER
nw_start -f "$KCS_TMP/allow.json"
check "netwatch back" wait_log "following the DNS answers" 100
dc 192.0.2.1 web.kcs.test
check_eq "  and the container resolves and connects again" "$DC" "ok 198.51.100.7"
nw_stop TERM
check_eq "netwatch exits 0 on SIGTERM" "$NW_ST" 0
check_eq "and removes the queue table" \
	"$(nft_ctr list tables 2>&1 | grep -c kcs_dns || :)" 0
check "unbind" kcsadm unbind "$cg"

# ---- Block mode: the container's address of a blocked name.
cat >"$KCS_TMP/block.json" <<'J'
{"name":"dnsb","network":{"egress":{"mode":"block","rules":[
 {"fqdn":"web.kcs.test","ports":"80","protocol":"tcp"}]}}}
J
check "block profile apply" kcsadm profile apply -f "$KCS_TMP/block.json"
check "bind enforce" kcsadm bind "$cg" --profile dnsb --mode enforce
dc 192.0.2.1 web.kcs.test
check_eq "not followed: the blocked name's other address passes" \
	"$DC" "ok 198.51.100.7"
nw_start -f "$KCS_TMP/block.json" --json
check "netwatch --json follows" wait_log '"event":"dns_follow"' 100
check "  and has applied" wait_log '"event":"resolved"' 100
dc 192.0.2.1 web.kcs.test
check_eq "followed: the blocked name's address from the container's answer: EPERM" \
	"$DC" "EPERM 198.51.100.7"
e=$(grep '"event":"dns_answer"' "$KCS_TMP/nw.log" | head -n 1)
diag "$e"
check_eq "the JSON line names the answer" \
	"$(printf '%s\n' "$e" | json_get name):$(printf '%s\n' "$e" | json_get new)" \
	"web.kcs.test:1"
nw_stop TERM
check "unbind" kcsadm unbind "$cg"
done_testing
