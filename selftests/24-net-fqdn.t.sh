#!/bin/sh
# FQDN egress rules: kcsadm resolves the name through DNS (dnsmasq in the
# guest, documentation addresses), blocks what it resolves to, and
# `kcsadm netwatch` follows the answers: when the address changes, the new
# one is blocked and the old one freed once the TTL has run out; the TTL
# the server gives is the one netwatch waits; a name that goes away blocks
# nothing; `profile show --resolve` shows the addresses in force beside
# those the name resolves to now. Ingress FQDN rules become timed nftables
# set elements: the element carries the TTL (plus netwatch's grace) as its
# timeout, netwatch replaces it when the answer changes, and once netwatch
# is gone the element expires by itself.
set -eu
. "${0%/*}/lib.sh"
. "${0%/*}/container.sh"
. "${0%/*}/kcs.sh"
. "${0%/*}/net.sh"

P=$KCS_DIR
DNSMASQ=$KCS_DIR/tools/dnsmasq
[ -x "$NET_IP" ] || skip_all "no iproute2 ip in the payload (tools/ip)"
[ -x "$DNSMASQ" ] || skip_all "no dnsmasq in the payload (tools/dnsmasq)"
net_begin n5 "$P/try_net"
net_serve :: 80
cg=$(ctr_cgroup n5)

# The guest resolves through dnsmasq on 127.0.0.1.
local_resolver
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

# profile show --resolve: the addresses in force beside what the name
# resolves to now, and nothing applied by asking.
out=$(kcsadm profile show fq --resolve)
check_match "show --resolve: in force and now, the same" "$out" \
	"*fqdn egress db.kcs.test: 198.51.100.1 2001:db8:1::1
  resolves now: 198.51.100.1 2001:db8:1::1 (same)*"
check "show without --resolve: no lookup" \
	sh -c '! kcsadm profile show fq | grep -q "resolves now"'
dns_start 2 db.kcs.test,198.51.100.7,2001:db8:1::1
out=$(kcsadm profile show fq --resolve)
check_match "show --resolve once the name moved: what differs" "$out" \
	"*fqdn egress db.kcs.test: 198.51.100.1 2001:db8:1::1
  resolves now: 198.51.100.7 2001:db8:1::1 (differs: +198.51.100.7 -198.51.100.1)*"
# (? for the brackets, which a pattern would take for a class)
j=$(kcsadm --json profile show fq --resolve | tr -d ' \n')
check_match "JSON: addresses in force" "$j" '*"addresses":?"198.51.100.1","2001:db8:1::1"?,*'
check_match "JSON: addresses_now" "$j" '*"addresses_now":?"198.51.100.7","2001:db8:1::1"?,*'
check_match "JSON: differs" "$j" '*"differs":true,*'
check_match "JSON: added" "$j" '*"added":?"198.51.100.7"?,*'
check_match "JSON: removed" "$j" '*"removed":?"198.51.100.1"?*'
try n5 connect tcp 198.51.100.1 80
check_eq "asking applied nothing: the old address still EPERM" "$TRY_OUT" EPERM
dns_stop
st=0; out=$(kcsadm profile show fq --resolve) || st=$?
check_eq "no resolver: show --resolve still exits 0" "$st" 0
check_match "and says the name cannot be resolved now" "$out" \
	'*resolves now: unknown: cannot resolve "db.kcs.test" (no answer from the resolver)*'
dns_start 2 db.kcs.test,198.51.100.1,2001:db8:1::1

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

# A newer version of the file applied by hand while netwatch runs: netwatch
# follows the file, and its next apply must not revert to what it read at
# start (it used to: the CIDR rule vanished at the next resolution).
cat >"$KCS_TMP/fq.json" <<'J'
{"name":"fq","network":{"egress":{"mode":"block",
 "rules":[{"fqdn":"db.kcs.test","ports":"80","protocol":"tcp"},
  {"cidr":"198.51.100.9/32","ports":"80","protocol":"tcp"}]}}}
J
check "a newer version applies by hand" kcsadm profile apply -f "$KCS_TMP/fq.json"
check "netwatch notices the file changed" wait_log "the profile file changed" 50
# Applied again after the change (netwatch resolves and applies at once).
applied_since() {
	awk '/the profile file changed/ { c = 1 } c && /next resolution/ { f = 1 }
	     END { exit !f }' "$KCS_TMP/nw.log"
}
_i=0
while ! applied_since && [ $_i -lt 100 ]; do
	sleep 0.1; _i=$((_i + 1))
done
check "netwatch applied the file again" applied_since
try n5 connect tcp 198.51.100.9 80
check_eq "the newer rule is still in force: EPERM" "$TRY_OUT" EPERM

kill "$NW" 2>/dev/null || :
st=0
wait "$NW" || st=$?
check_eq "netwatch exits 0 on SIGTERM" "$st" 0
check "unbind" kcsadm unbind "$cg"

# The log chain's rate limit needs nft_limit (in the VM: KCS_VM_MODULES).
check "nft_limit available (a module, or built in where no module tree is)" \
	sh -c '[ ! -d /lib/modules ] || modprobe nft_limit'
# ---- Ingress: in.kcs.test's addresses as timed elements in the container's
# namespace (nft sets fqdn_block_*), refreshed by netwatch.
NFT=$KCS_DIR/tools/nft
ruleset() { nsenter --net="$CTR_NETNS" "$NFT" list ruleset; }
net_ctr_serve tcp 8080
net_ctr_serve udp 5353
dns_start 5 in.kcs.test,198.51.100.1,2001:db8:1::1
cat >"$KCS_TMP/fqi.json" <<'J'
{"name":"fqi","network":{"ingress":{"mode":"block",
 "rules":[{"fqdn":"in.kcs.test","ports":"8080","protocol":"tcp"},
          {"fqdn":"in.kcs.test","ports":"5353","protocol":"udp"}]}}}
J
check "ingress fqdn profile applies (resolves)" kcsadm profile apply -f "$KCS_TMP/fqi.json"
check "bind enforce --netns" kcsadm bind "$cg" --profile fqi --mode enforce \
	--netns "$CTR_NETNS"
: >"$KCS_EVENTS"
kcsadm monitor --json --timeout 100 >"$KCS_EVENTS" 2>"$KCS_TMP/monitor.err" &
MON=$!
at_exit "kill $MON 2>/dev/null || :"
kcsadm netwatch -f "$KCS_TMP/fqi.json" --grace 2 >"$KCS_TMP/nw.log" 2>&1 &
NW=$!
at_exit "kill $NW 2>/dev/null || :"
check "netwatch refreshes the namespace's elements" \
	wait_log "profile fqi: ingress netns $CTR_NETNS: 4 FQDN elements"
rs=$(ruleset)
diag "$rs"
check_match "nft: a timed FQDN set" "$rs" \
	"*set fqdn_block_v4_tcp {*flags interval,timeout*}*"
check_match "nft: the address with its timeout (TTL 5 s + grace 2 s) and expiry" \
	"$rs" "*198.51.100.1 . 8080 timeout 7s expires *"
check_match "nft: the IPv6 address, UDP" "$rs" \
	"*set fqdn_block_v6_udp {*2001:db8:1::1 . 5353 timeout 7s expires *"
check_eq "tcp 198.51.100.1 -> :8080 (in.kcs.test): dropped" \
	"$(net_in tcp 198.51.100.1 192.0.2.2 8080)" TIMEOUT
check_eq "udp [2001:db8:1::1] -> :5353 (in.kcs.test): dropped" \
	"$(net_in udp 2001:db8:1::1 2001:db8::2 5353)" TIMEOUT
check_eq "tcp 198.51.100.7 -> :8080 (another address): connects" \
	"$(net_in tcp 198.51.100.7 192.0.2.2 8080)" ok
_i=0
while [ "$_i" -lt 30 ] && ! grep -q '"addr":"198.51.100.1"' "$KCS_EVENTS"; do
	sleep 0.1
	_i=$((_i + 1))
done
e=$(grep '"hook":"ingress"' "$KCS_EVENTS" | grep '"addr":"198.51.100.1"' | tail -n 1)
diag "$e"
check_eq "the event quotes the FQDN rule" "$(echo "$e" | json_get rule)" \
	"in.kcs.test tcp 8080"

# The name moves (same TTL): netwatch replaces the elements.
dns_start 5 in.kcs.test,198.51.100.7
check "netwatch follows the new address" \
	wait_log "network.ingress.rules[0] in.kcs.test -> 198.51.100.7 (ttl 5)" 100
check "and refreshes the elements (2: no IPv6 address now)" \
	wait_log "ingress netns $CTR_NETNS: 2 FQDN elements" 50
rs=$(ruleset)
check_match "nft: the new address" "$rs" "*198.51.100.7 . 8080 timeout 7s expires *"
check_eq "nft: the old one is gone" "$(printf '%s\n' "$rs" | grep -c '198.51.100.1 \.' || :)" 0
check_eq "tcp 198.51.100.7 -> :8080 (the new address): dropped" \
	"$(net_in tcp 198.51.100.7 192.0.2.2 8080)" TIMEOUT
check_eq "tcp 198.51.100.1 -> :8080 (the old one): connects" \
	"$(net_in tcp 198.51.100.1 192.0.2.2 8080)" ok
check_eq "udp [2001:db8:1::1] -> :5353 (no AAAA now): answers" \
	"$(net_in udp 2001:db8:1::1 2001:db8::2 5353)" ok

# Without netwatch, the element times out on its own. A second netwatch
# with a longer grace writes the elements once (timeout: TTL 5 s + grace
# 10 s) and is stopped at once. (Stopping the first one just after one of
# its refreshes left 7 s between that write and the look at the ruleset,
# which a loaded debug guest did not always make.)
kill "$NW" 2>/dev/null || :
wait "$NW" 2>/dev/null || :
: >"$KCS_TMP/nw.log"
kcsadm netwatch -f "$KCS_TMP/fqi.json" --grace 10 >"$KCS_TMP/nw.log" 2>&1 &
NW=$!
check "a netwatch with grace 10 s writes the elements" \
	wait_log "ingress netns $CTR_NETNS: 2 FQDN elements" 150
kill "$NW" 2>/dev/null || :
wait "$NW" 2>/dev/null || :
_t0=$(date +%s)
check_match "netwatch stopped: the element is still there, 15 s to live" \
	"$(ruleset)" "*198.51.100.7 . 8080 timeout 15s expires *"
while [ $(($(date +%s) - _t0)) -lt 30 ] && ruleset | grep -q '198.51.100.7 \.'; do
	sleep 0.2
done
_el=$(($(date +%s) - _t0))
check_eq "netwatch gone: the element expired within TTL + grace (15 s)" \
	"$(ruleset | grep -c '198.51.100.7 \.' || :)" 0
diag "expired about $_el s after netwatch stopped"
check "  not at once: it lived out its timeout (>= 3 s)" test "$_el" -ge 3
check_eq "tcp 198.51.100.7 -> :8080 connects again" \
	"$(net_in tcp 198.51.100.7 192.0.2.2 8080)" ok
kill "$MON" 2>/dev/null || :
wait "$MON" 2>/dev/null || :
check "unbind --netns" kcsadm unbind "$cg" --netns "$CTR_NETNS"
done_testing
