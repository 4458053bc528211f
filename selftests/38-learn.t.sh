#!/bin/sh
# Behavioural learning: kcsadm learn binds a learning profile to a
# container's cgroup under Audit, takes what the workload does (a busybox
# httpd serving a page, its programs and busybox applets, a name it
# resolves through DNS and
# connects to, a UDP datagram out, a listening port, the files it reads
# and the log it writes) and writes a profile
# that allows exactly that, the resolved address as its name (an fqdn
# rule, from the DNS answers the container received: --dns-netns; on a
# kernel without nft_queue, as its address). Applied
# under Audit to the same workload it reports nothing; under Enforce the
# workload still works, and what it never did (another program, another
# address, another port, another file) is denied. SIGINT ends learning early, and the
# learning profile and binding are gone afterwards.
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
queue=1
nft_queue_ok || queue=0
[ "$queue" = 1 ] || diag "no nft_queue/nfnetlink_queue: names are not learned here"
net_begin n8 "$P/try_net" "$P/nop" "$P/try_sys"
at_exit ev_stop
cg=$(ctr_cgroup n8)
mkdir -p "$(ctr_root n8)/var/log" "$(ctr_root n8)/www"
echo '<p>kcs</p>' >"$(ctr_root n8)/www/index.html"
echo 'not served while learning' >"$(ctr_root n8)/www/secret.html"
echo never >"$(ctr_root n8)/etc/never-read"
net_serve 198.51.100.7 80

# web.kcs.test is 198.51.100.7, served by dnsmasq to the container (on
# 192.0.2.1) and to the guest (127.0.0.1: profile apply resolves it).
local_resolver
"$DNSMASQ" -k -C /dev/null --no-resolv --no-hosts --pid-file= \
	--listen-address=127.0.0.1,192.0.2.1 --bind-interfaces -u root -g root \
	--local=/kcs.test/ --local-ttl=60 \
	--host-record=web.kcs.test,198.51.100.7 2>"$KCS_TMP/dnsmasq.err" &
DNS_PID=$!
at_exit "kill $DNS_PID 2>/dev/null || :"
_i=0
while ! grep -q ' 0100007F:0035 ' /proc/net/udp && [ "$_i" -lt 100 ]; do
	sleep 0.1
	_i=$((_i + 1))
done

# The workload.
# shellcheck disable=SC2016 # expanded in the container
work='set -e
/bin/nslookup web.kcs.test 192.0.2.1
/bin/try_net connect tcp 198.51.100.7 80
/bin/try_net sendto udp 192.0.2.1 5353
/bin/try_net listen tcp 0.0.0.0 8080
/bin/try_sys personality 0xffffffff
/bin/wc -l /proc/self/status >/dev/null
date >>/var/log/app.log
/bin/wc -l /var/log/app.log
/bin/httpd -f -p 8088 -h /www &
h=$!
# Whether the loop below waits depends on timing: sleep once whatever
# happens, so that learning always sees it.
sleep 0.2
i=0
until /bin/wget -q -O /dev/null http://127.0.0.1:8088/index.html; do
	i=$((i + 1)); [ "$i" -lt 50 ] || exit 1; sleep 0.1
done
kill "$h"'

dns=
[ "$queue" = 0 ] || dns="--dns-netns $CTR_NETNS"
# shellcheck disable=SC2086 # $dns: no option, or an option and its path
kcsadm learn "$cg" --duration 600 --name web -o "$KCS_TMP/learned.json" \
	$dns 2>"$KCS_TMP/learn.err" &
LP=$!
at_exit "kill $LP 2>/dev/null || :"
_i=0
while ! kcsadm bindings 2>/dev/null | grep -q kcs-learn- && [ "$_i" -lt 300 ]; do
	sleep 0.1
	_i=$((_i + 1))
done
b=$(kcsadm bindings)
check_match "learning: the cgroup is bound to the learning profile, under Audit" \
	"$b" "*audit*kcs-learn-*"
case $b in
*kcs-learn-*) ;;
*) bail_out "kcsadm learn did not bind: $(cat "$KCS_TMP/learn.err")" ;;
esac
st=0
kcsadm learn "$cg" --duration 1 -o "$KCS_TMP/other.json" 2>"$KCS_TMP/err" || st=$?
check_eq "learn refuses a cgroup bound already: exit 7" "$st" 7
check_match "  and says so" "$(cat "$KCS_TMP/err")" "*is bound (profile kcs-learn-*"
mkdir "$cg/sub"
st=0
kcsadm learn "$cg/sub" --duration 1 -o "$KCS_TMP/other.json" 2>"$KCS_TMP/err" || st=$?
rmdir "$cg/sub"
check_eq "learn refuses a cgroup under a bound one (it would lift that profile): exit 7" \
	"$st" 7
check_match "  and says so" "$(cat "$KCS_TMP/err")" "*above it is bound (profile kcs-learn-*"
run_in n8 /bin/sh -c "$work" >/dev/null
check_eq "the workload runs while learning" "$RUN_ST" 0
kill -INT "$LP"
st=0
wait "$LP" || st=$?
check_eq "SIGINT ends learning: exit 0" "$st" 0
diag "$(cat "$KCS_TMP/learn.err")"
check_match "  the summary counts what was learned" "$(cat "$KCS_TMP/learn.err")" \
	"learned web in * s from * events: * programs, 4 destinations, 2 listening ports, * files read, * changed*watched system calls made (allowed): \[\"personality\"\]; the other 44 denied*"
check "  the learning binding is gone" \
	sh -c '! kcsadm bindings | grep -q kcs-learn-'
check "  and so is the learning profile" \
	sh -c '! kcsadm profile list | grep -q kcs-learn-'
[ "$queue" = 0 ] || check "  and the DNS queue table" \
	sh -c "! nsenter --net=$CTR_NETNS $NFT list tables | grep -q kcs_dns"
tr -d ' \n' <"$KCS_TMP/learned.json" >"$KCS_TMP/learned.min"
diag "$(cat "$KCS_TMP/learned.json")"
has() { grep -qF -- "$1" "$KCS_TMP/learned.min"; }
check "learned: an exec allow list" has '"exec":{"mode":"allow","allow":['
check "  with the applets run" sh -c "grep -qF '\"/bin/busybox/sh\",\"/bin/busybox/sleep\",\"/bin/busybox/wc\",\"/bin/busybox/wget\"' '$KCS_TMP/learned.min' &&
	grep -qF '\"/bin/busybox/httpd\"' '$KCS_TMP/learned.min'"
check "  and the program" has '"/bin/try_net"'
check "learned: the resolver and a UDP port, by address" \
	has '{"cidr":"192.0.2.1","ports":["53","5353"],"protocol":"udp"}'
if [ "$queue" = 1 ]; then
	check "learned: the name resolved and connected to, as an fqdn rule" \
		has '{"fqdn":"web.kcs.test","ports":["80"],"protocol":"tcp"}'
else
	check "learned: the address connected to (no DNS queue here)" \
		has '{"cidr":"198.51.100.7","ports":["80"],"protocol":"tcp"}'
fi
check "learned: personality, a watched call made, is not denied" \
	sh -c "! grep -qF '\"syscall\":\"personality\"' '$KCS_TMP/learned.min'"
check "learned: unshare, watched and never made, is denied" \
	has '{"syscall":"unshare","action":"deny"}'
check "learned: every port but 8080 and httpd's 8088 blocked for listening" \
	has '"listen":{"mode":"block","ports":["1-8079","8081-8087","8089-65535"]}'
check "learned: the page httpd served" has '"/www/index.html"'
check "learned: files, default deny, with the files read" \
	has '"files":{"default":"deny","allow_read":['
check_match "  the log among the files changed" \
	"$(grep -o '"allow_write":\[[^]]*\]' "$KCS_TMP/learned.min")" \
	'*"/var/log/app.log"*'
check "  /proc/PID generalised (another pid next time)" \
	has '{"regex":"/proc/[0-9]+/status"}'
check "  and a file never read not in it" \
	sh -c "! grep -qF never-read '$KCS_TMP/learned.min'"

# Audit: the same workload gives no event.
check "the learned profile applies" kcsadm profile apply -f "$KCS_TMP/learned.json"
check "bind it under Audit" kcsadm bind "$cg" --profile web --mode audit
ev_start
run_in n8 /bin/sh -c "$work" >/dev/null
check_eq "audit: the workload runs" "$RUN_ST:$CTR_STDERR" "0:"
# A program it never ran, as a marker: the events before it are in.
run_in n8 /bin/nop
check "audit: a program never run is reported" ev_wait '"hook":"exec"' 300
# Its exec reads /bin/nop, which the workload never read: a file event.
check_eq "  and nothing else: the workload gave no event" \
	"$(ev_count '"profile":"web"'):$(ev_count '"path":"/bin/nop"')" "2:2"
ev_stop

# Enforce: the workload works, anything else is denied.
# A new binding: its container root is taken at its first exec, and each
# run_in is a new mount namespace (its own /dev and /proc), as a
# restarted container would be.
check "bind it under Enforce" sh -c "kcsadm unbind $cg && kcsadm bind $cg --profile web --mode enforce"
run_in n8 /bin/sh -c "$work" >/dev/null
check_eq "enforce: the workload still works" "$RUN_ST:$CTR_STDERR" "0:"
run_in n8 /bin/nop
check "enforce: a program it never ran is denied" test "$RUN_ST" -ne 0
check_match "  with EACCES: its file, never read, may not be opened" \
	"$CTR_STDERR" "*/bin/nop: Permission denied*"
try n8 connect tcp 198.51.100.1 80
check_eq "enforce: another address: EPERM" "$TRY_OUT" EPERM
try n8 listen tcp 0.0.0.0 9090
check_eq "enforce: another listening port: EPERM" "$TRY_OUT" EPERM
try n8 connect tcp 198.51.100.7 80
check_eq "enforce: the learned name's address: ok" "$TRY_OUT" ok
run_in n8 /bin/try_sys unshare 0
check_eq "enforce: a watched call it never made (unshare): EPERM" \
	"$RUN_ST:$CTR_STDERR" "126:unshare: EPERM"
# httpd serves again, while enforced: the page it served, not another.
ctr_spawn n8 /bin/httpd -f -p 8088 -h /www
i=0
until nsenter --net="$CTR_NETNS" "$P/try_net" connect tcp 127.0.0.1 8088 >/dev/null 2>&1 ||
	[ "$i" -ge 50 ]; do
	sleep 0.1
	i=$((i + 1))
done
run_in n8 /bin/wget -q -O - http://127.0.0.1:8088/index.html >"$KCS_TMP/page"
check_eq "enforce: httpd serves the page it served while learning" \
	"$RUN_ST:$(cat "$KCS_TMP/page")" "0:<p>kcs</p>"
run_in n8 /bin/wget -q -O - http://127.0.0.1:8088/secret.html >"$KCS_TMP/page"
check "enforce: a page it never served is not served" test "$RUN_ST" -ne 0
check_eq "  and it is not in the answer" "$(cat "$KCS_TMP/page")" ""
kill "$CTR_PID" 2>/dev/null || :
run_in n8 /bin/wc -l /etc/never-read
check_match "enforce: a file it never read: EACCES" \
	"$RUN_ST:$CTR_STDERR" "1:*never-read*ermission denied*"
run_in n8 /bin/sh -c 'date >>/var/log/other.log'
check_match "enforce: a file it never wrote: EACCES" \
	"$RUN_ST:$CTR_STDERR" "*other.log*ermission denied*"
check "unbind" kcsadm unbind "$cg"
done_testing
