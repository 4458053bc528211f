# shellcheck shell=sh
# selftests/net.sh: a container network for the kcs network selftests
# (source after lib.sh, container.sh and kcs.sh).
#
# net_setup NAME: a network namespace for container NAME, held by a
# sleeping process and used by ctr_exec through CTR_NETNS, joined to the
# guest's namespace by a veth pair:
#
#   guest ("host")  kh: 192.0.2.1/24 2001:db8::1/64, plus 198.51.100.1 and
#                   198.51.100.7 (/32), 2001:db8:1::1 (/128)
#   container       kc: 192.0.2.2/24 2001:db8::2/64, lo up, default
#                   routes via the guest
#
# Only documentation addresses. iproute2's ip comes in the payload as
# tools/ip ($NET_IP): busybox ip cannot name a veth peer.
# net_begin NAME FILE...: load kcs.ko, create container NAME with FILEs and
#   set up its network, each undone at exit (the start of every net test).
# net_serve ADDR PORT: a TCP server (try_net serve) in the guest namespace.
# net_ctr_serve tcp|udp PORT: a server in the container's namespace, on
#   every address (TCP accepts, UDP echoes each datagram back).
# net_in tcp|udp SRC DST PORT: from the guest, with source address SRC, to
#   the container: prints ok, TIMEOUT (dropped) or an errno name.
# net_teardown: kill servers and the holder, delete the veth.
# wait_log FIXED-STRING [TENTHS]: wait (default 10 s) until netwatch's log,
#   $KCS_TMP/nw.log, has FIXED-STRING; on timeout show the log, fail.

NET_IP=${NET_IP:-$KCS_DIR/tools/ip}

# nft_queue_ok: whether this kernel has nftables' queue statement
# (nft_queue, nfnetlink_queue), tried in a scratch namespace.
nft_queue_ok() {
	[ ! -d /lib/modules ] || modprobe -a nft_queue nfnetlink_queue 2>/dev/null || :
	printf 'table inet p { chain c { type filter hook input priority 0; queue num 9 bypass; }; }\n' |
		unshare -n "$KCS_DIR/tools/nft" -f - 2>/dev/null
}
NET_PIDS=

net_ctr() { # CMD...: run CMD in the container's network namespace
	nsenter --net="$CTR_NETNS" "$@"
}

net_setup() {
	[ -x "$NET_IP" ] || { echo "net.sh: no iproute2 ip at $NET_IP" >&2; return 1; }
	unshare -n sleep 100000 &
	NET_HOLDER=$!
	NET_PIDS="$NET_PIDS $NET_HOLDER"
	# Wait until the holder runs in its own namespace.
	_i=0
	while [ "$(readlink "/proc/$NET_HOLDER/ns/net")" = "$(readlink /proc/self/ns/net)" ]; do
		[ "$_i" -lt 50 ] || return 1
		sleep 0.1
		_i=$((_i + 1))
	done
	CTR_NETNS=/proc/$NET_HOLDER/ns/net
	"$NET_IP" link set lo up &&
	"$NET_IP" link add kh type veth peer name kc &&
	"$NET_IP" link set kc netns "$NET_HOLDER" &&
	"$NET_IP" addr add 192.0.2.1/24 dev kh &&
	"$NET_IP" addr add 198.51.100.1/32 dev kh &&
	"$NET_IP" addr add 198.51.100.7/32 dev kh &&
	"$NET_IP" -6 addr add 2001:db8::1/64 dev kh nodad &&
	"$NET_IP" -6 addr add 2001:db8:1::1/128 dev kh nodad &&
	"$NET_IP" link set kh up &&
	net_ctr "$NET_IP" link set lo up &&
	net_ctr "$NET_IP" addr add 192.0.2.2/24 dev kc &&
	net_ctr "$NET_IP" -6 addr add 2001:db8::2/64 dev kc nodad &&
	net_ctr "$NET_IP" link set kc up &&
	net_ctr "$NET_IP" route add default via 192.0.2.1 &&
	net_ctr "$NET_IP" -6 route add default via 2001:db8::1
}

# net_begin NAME FILE...: what every network test starts with, undone at
# exit: kcs.ko loaded (a test), a container NAME holding FILEs, and its
# network namespace joined to the guest's by veth (net_setup).
net_begin() {
	_nb=$1
	shift
	check "kcs.ko loads" kcs_load
	at_exit kcs_unload
	ctr_create "$_nb" "$@" >/dev/null
	at_exit "ctr_destroy $_nb"
	at_exit net_teardown
	net_setup || bail_out "cannot set up the container network"
}

net_serve() { # ADDR PORT
	"$KCS_DIR/try_net" serve tcp "$1" "$2" >/dev/null &
	NET_PIDS="$NET_PIDS $!"
}

net_ctr_serve() { # tcp|udp PORT
	# nsenter itself in the background (not a function: a subshell's pid
	# would be killed, the server not).
	nsenter --net="$CTR_NETNS" "$KCS_DIR/try_net" serve "$1" :: "$2" >/dev/null &
	NET_PIDS="$NET_PIDS $!"
}

net_in() { # tcp|udp SRC DST PORT
	if [ "$1" = tcp ]; then
		"$KCS_DIR/try_net" --src "$2" --timeout 2 connect tcp "$3" "$4" || :
	else
		"$KCS_DIR/try_net" --src "$2" --timeout 2 echo udp "$3" "$4" || :
	fi
}

net_teardown() {
	# shellcheck disable=SC2086
	[ -z "$NET_PIDS" ] || kill $NET_PIDS 2>/dev/null || :
	"$NET_IP" link del kh 2>/dev/null || :
	NET_PIDS=
}

# try CTR OP PROTO ADDR PORT [OPTIONS]: try_net in the container; sets
# TRY_OUT (what the program printed: ok, EPERM, ECONNREFUSED, ...).
try() {
	_c=$1 _op=$2 _p=$3 _a=$4 _port=$5
	shift 5
	run_in "$_c" /bin/try_net "$@" "$_op" "$_p" "$_a" "$_port" >"$KCS_TMP/try.out"
	TRY_OUT=$(cat "$KCS_TMP/try.out")
}

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
