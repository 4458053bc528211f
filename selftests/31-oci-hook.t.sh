#!/bin/sh
# Runtime policies through real container runtimes: crun and runc run OCI
# bundles with kcsadm as their createRuntime/poststop hook. A container the
# policies map gets its profile before its first program (a blocked
# entrypoint fails), others are untouched, start checks refuse (Enforce)
# or report (Audit), kcs failing closed when it cannot enforce, and
# poststop removes the binding. A profile the hook loads is recorded for
# `profile show`; a record it cannot write does not stop the container.
# A profile's ingress rules become the nftables table in the container's
# own network namespace, recorded for monitor (its drops are events), and
# poststop forgets the record; a container in the host's namespace with
# such a profile is refused under Enforce and started under Audit.
set -eu
. "${0%/*}/lib.sh"
. "${0%/*}/kcs.sh"
. "${0%/*}/oci.sh"
. "${0%/*}/net.sh"

P=$KCS_DIR
[ -x "$P/tools/crun" ] && [ -x "$P/tools/runc" ] || {
	skip_all "crun and runc are not in the payload (apt-get install crun runc)"
}
mkdir -p "$OCI_CONF/profiles" "$OCI_DIR"
check "kcs.ko loads" kcs_load
at_exit kcs_unload

# syslog: where the hook's findings go.
SYSLOG=$KCS_TMP/syslog
syslogd -n -O "$SYSLOG" &
SYSLOGD=$!
at_exit "kill $SYSLOGD"

# The profile is only on disk: the hook loads it when a container needs it.
cat >"$OCI_CONF/profiles/web.json" <<'JSON'
{"name":"web","exec":{"mode":"block","rules":["/opt/blocked/*"]}}
JSON
printf '%s\n' '{"name":"web-images","mode":"enforce",
 "exclusions":[{"annotations":{"kcs.test/exclude":"yes"}}],
 "mappings":[{"selector":{"images":["docker.io/library/web:*"]},"profiles":["web"]}]}' \
	>"$KCS_TMP/p1.json"
check "policy mapping web images to the web profile" kcsadm policy apply -f "$KCS_TMP/p1.json"

checks_policy() { # NAME MODE
	printf '{"name":"%s","mode":"%s",
 "scope":[{"annotations":{"kcs.test/checks":"%s"}}],
 "start_checks":{"capabilities_block":{"capabilities":["CAP_SYS_ADMIN"]},
  "volumes_blocked":{"paths":["/etc"]}}}\n' "$1" "$2" "$2" >"$KCS_TMP/$1.json"
	kcsadm policy apply -f "$KCS_TMP/$1.json"
}
echo data >/etc/kcs-vol
at_exit "rm -f /etc/kcs-vol"
check "policy with start checks, Enforce" checks_policy checks-enforce enforce
check "and the same checks under Audit" checks_policy checks-audit audit
oci_runtimes
[ -z "$OCI_NO_RUNC" ] || skip "runc cases" "$OCI_NO_RUNC"

for rt in $OCI_RUNTIMES; do
	oci_bundle w1 --image web:1.0 -- /opt/blocked/tool
	oci_run "$rt" w1
	check_match "$rt: a mapped container's first program, blocked, fails with EPERM" \
		"$OCI_ST:$OCI_ERR" "[1-9]*:*peration not permitted*"
	check_eq "$rt: the hook loaded the profile from $OCI_CONF/profiles" \
		"$(kcsadm profile list | grep -c '^web\b' || :)" 1
	check_eq "$rt: profile show: recorded (by this hook or crun's), current" \
		"$(kcsadm --json profile show web | json_get state)" current
	check_eq "$rt: profile show: the rules of $OCI_CONF/profiles/web.json" \
		"$(kcsadm --json profile show web | json_get sha256)" \
		"$(kcsadm --json profile check -f "$OCI_CONF/profiles/web.json" | json_get sha256)"
	check_eq "$rt: poststop removed the binding" "$(kcsadm bindings | grep -c web || :)" 0
	check_eq "$rt: and forgot the container" "$(ls "$OCI_RUN/containers" | wc -l)" 0

	oci_bundle w2 --image docker.io/library/web:2 -- /bin/try_exec /opt/blocked/tool
	oci_run "$rt" w2
	check_match "$rt: inside it, a later exec of the blocked program fails" \
		"$OCI_ST:$OCI_ERR" "126:*exec failed: EPERM*"
	oci_bundle w3 --image web:2 -- /bin/try_exec /bin/nop
	oci_run "$rt" w3
	check_eq "$rt: what the profile does not block runs" "$OCI_ST:$OCI_ERR" "0:"

	oci_bundle o1 --image other:1 -- /opt/blocked/tool
	oci_run "$rt" o1
	check_eq "$rt: an image no policy maps is untouched" "$OCI_ST:$OCI_ERR" "0:"
	oci_bundle x1 --image web:1.0 --annotation kcs.test/exclude=yes -- /opt/blocked/tool
	oci_run "$rt" x1
	check_eq "$rt: an excluded container is untouched" "$OCI_ST:$OCI_ERR" "0:"

	oci_bundle c1 --annotation kcs.test/checks=enforce --cap CAP_SYS_ADMIN -- /bin/nop
	oci_run "$rt" c1
	check_match "$rt: Enforce, a blocked capability: the container does not start" \
		"$OCI_ST" "[1-9]*"
	check_match "$rt: the log says why" "$(cat "$SYSLOG")" \
		"*$rt-c1-$$: start check capabilities_block: capability CAP_SYS_ADMIN*blocked by policy checks-enforce*(enforce: not started)*"
	oci_bundle c2 --annotation kcs.test/checks=enforce --bind /etc/kcs-vol:/mnt/vol -- /bin/nop
	oci_run "$rt" c2
	check_match "$rt: Enforce, a blocked host path: refused" "$OCI_ST" "[1-9]*"
	check_match "$rt: the log says which" "$(cat "$SYSLOG")" \
		"*$rt-c2-$$: start check volumes_blocked: host path /etc/kcs-vol*blocked by policy checks-enforce*(enforce: not started)*"
	oci_bundle c3 --annotation kcs.test/checks=audit --cap CAP_SYS_ADMIN \
		--bind /etc/kcs-vol:/mnt/vol -- /bin/nop
	oci_run "$rt" c3
	check_eq "$rt: Audit, the same findings: it starts" "$OCI_ST:$OCI_ERR" "0:"
	check_match "$rt: and the log reports what would have failed" "$(cat "$SYSLOG")" \
		"*$rt-c3-$$: start check volumes_blocked: host path /etc/kcs-vol*checks-audit (/etc) (audit: started)*"
	oci_bundle c4 --annotation kcs.test/checks=enforce -- /bin/nop
	oci_run "$rt" c4
	check_eq "$rt: Enforce, nothing blocked: it starts" "$OCI_ST:$OCI_ERR" "0:"
done
# runc shows the hook's stderr, so the user reads the reason right there.
if [ -z "$OCI_NO_RUNC" ]; then
	oci_run runc c1
	check_match "runc shows the refusal's reason" "$OCI_ERR" \
		"*refused by kcs: capability CAP_SYS_ADMIN*blocked by policy checks-enforce*"
fi

# The hook records the profile it loads for profile show, but a record it
# cannot write (its state directory a file) is a warning on its stderr:
# the container starts, with its profile bound.
check "no container uses web: delete it" kcsadm profile delete web
: >"$KCS_TMP/not-a-dir"
oci_bundle r1 --image web:1 --hook-env "KCS_STATE_DIR=$KCS_TMP/not-a-dir" \
	--hook-stderr "$KCS_TMP/r1.err" -- /opt/blocked/tool
oci_run crun r1
check_match "record unwritable: the container starts, its program blocked (EPERM)" \
	"$OCI_ST:$OCI_ERR" "[1-9]*:*peration not permitted*"
check_match "the hook's stderr warns that show cannot give the rules back" \
	"$(cat "$KCS_TMP/r1.err")" \
	"*kcsadm: warning: profile web loaded, but not recorded for profile show/export: *not-a-dir*"
check_eq "profile show: unrecorded" \
	"$(kcsadm --json profile show web | json_get state)" unrecorded

# The capabilities block holds at run time too, in the binding's mode: an
# Audit policy lets a container holding CAP_SYS_ADMIN start (and says so),
# the Enforce policy that gives it its profile makes the block bite once
# its first program runs. web:* containers get the same profile without
# the block: the control.
printf '%s\n' '{"name":"caps-audit","mode":"audit",
 "scope":[{"images":["docker.io/library/web-caps:*"]}],
 "start_checks":{"capabilities_block":{"capabilities":["CAP_SYS_ADMIN"]}}}' \
	>"$KCS_TMP/caps.json"
printf '%s\n' '{"name":"caps-map","mode":"enforce",
 "mappings":[{"selector":{"images":["docker.io/library/web-caps:*"]},"profiles":["web"]}]}' \
	>"$KCS_TMP/capsmap.json"
check "policy blocking CAP_SYS_ADMIN (audit)" kcsadm policy apply -f "$KCS_TMP/caps.json"
check "and one giving those containers a profile (enforce)" \
	kcsadm policy apply -f "$KCS_TMP/capsmap.json"
mount_cmd="mount -t tmpfs none /mnt && echo mounted"
ev_start
for rt in $OCI_RUNTIMES; do
	oci_bundle u1 --image web:1 --cap CAP_SYS_ADMIN -- /bin/sh -c "$mount_cmd"
	oci_run "$rt" u1
	check_eq "$rt: control: holding CAP_SYS_ADMIN it mounts" "$OCI_ST:$OCI_ERR" "0:mounted"
	oci_bundle u2 --image web-caps:1 --cap CAP_SYS_ADMIN -- /bin/sh -c "$mount_cmd"
	oci_run "$rt" u2
	check_match "$rt: with CAP_SYS_ADMIN blocked it starts, and the mount fails" \
		"$OCI_ST:$OCI_ERR" "[1-9]*:*mount*ermission denied*"
done
ev_wait '"capability"' 30 >/dev/null || :
ev_stop
check_match "the denial is an event naming the capability" "$(cat "$KCS_EVENTS")" \
	'*"hook":"capable","verdict":"deny"*"capability":"CAP_SYS_ADMIN"*'

# Ingress rules through the hook. The container joins a network namespace
# held by a sleeping process and joined to the guest's by a veth (net.sh:
# the container is 192.0.2.2, the guest 192.0.2.1 and 198.51.100.1), so
# that the guest can connect to a server in it; the table is then that
# namespace's. The hook writes it into /proc/PID/ns/net of the container's
# init, records it in /run/kcs/netns for monitor, and poststop forgets the
# record (the namespace outlives the container here, and so does the table).
NFT=$KCS_DIR/tools/nft
if [ ! -x "$NFT" ] || [ ! -x "$NET_IP" ]; then
	skip "ingress rules through the hook" "no nft or iproute2 ip in the payload"
else
	check "nft_limit available (a module, or built in where no module tree is)" \
		sh -c '[ ! -d /lib/modules ] || modprobe nft_limit'
	cat >"$OCI_CONF/profiles/ing.json" <<'JSON'
{"name":"ing","exec":{"mode":"block","rules":["/opt/blocked/*"]},
 "network":{"ingress":{"mode":"block",
  "rules":[{"cidr":"198.51.100.0/24","ports":"8080","protocol":"tcp"}]}}}
JSON
	printf '%s\n' '{"name":"ing-enforce","mode":"enforce",
 "mappings":[{"selector":{"images":["docker.io/library/ing:*"]},"profiles":["ing"]}]}' \
		>"$KCS_TMP/ing-e.json"
	printf '%s\n' '{"name":"ing-audit","mode":"audit",
 "mappings":[{"selector":{"images":["docker.io/library/ing-audit:*"]},"profiles":["ing"]}]}' \
		>"$KCS_TMP/ing-a.json"
	check "policy mapping ing images to a profile with ingress rules (enforce)" \
		kcsadm policy apply -f "$KCS_TMP/ing-e.json"
	check "and ing-audit images to it under Audit" kcsadm policy apply -f "$KCS_TMP/ing-a.json"
	net_setup || bail_out "cannot set up the container network"
	at_exit net_teardown
	net_ctr_serve tcp 8080
	sleep 0.3
	rs() { nsenter --net="$1" "$NFT" list table inet kcs 2>&1 || :; }
	nrec() { ls /run/kcs/netns 2>/dev/null | wc -l; }
	check_eq "before: 198.51.100.1 -> 192.0.2.2:8080 connects" \
		"$(net_in tcp 198.51.100.1 192.0.2.2 8080)" ok
	for rt in $OCI_RUNTIMES; do
		oci_bundle i1 --image ing:1 --netns "$CTR_NETNS" -- /bin/sh -c 'sleep 300'
		oci_start "$rt" i1
		at_exit "oci_kill $rt i1"
		check_eq "$rt: a container joining a network namespace, with ingress rules, starts" \
			"$OCI_ST:$OCI_ERR" "0:"
		pid=$(oci_pid "$rt" i1)
		diag "$rt: init $pid, netns $(readlink "/proc/$pid/ns/net" || :)"
		check_eq "$rt: it is the namespace the container joined" \
			"$(readlink "/proc/$pid/ns/net" || :)" "$(readlink "$CTR_NETNS")"
		t=$(rs "/proc/$pid/ns/net")
		diag "$t"
		check_match "$rt: nft there shows table inet kcs with the rule" "$t" \
			"*table inet kcs {*198.51.100.0/24 . 8080*"
		check_match "$rt: denials logged for cgroup and profile, then dropped" "$t" \
			"*log prefix \"kcs-ingress enforce block * ing\" group 1714*drop*"
		check_eq "$rt: no table in the guest's namespace" \
			"$("$NFT" list tables 2>/dev/null | grep -cx 'table inet kcs' || :)" 0
		check_eq "$rt: the namespace is recorded for monitor" "$(nrec)" 1
		check_match "$rt: the hook logged the binding with its namespace" "$(cat "$SYSLOG")" \
			"*$rt-i1-$$: bound profile ing (enforce) to cgroup *, ingress rules in netns /proc/$pid/ns/net*"
		oci_exec "$rt" i1 /opt/blocked/tool
		check_match "$rt: the exec rules of the same profile hold" \
			"$OCI_ST:$OCI_ERR" "[1-9]*:*peration not permitted*"
		ev_start
		sleep 1.5	# monitor reads the registry every second
		check_eq "$rt: 192.0.2.1 -> :8080 (no rule) connects" \
			"$(net_in tcp 192.0.2.1 192.0.2.2 8080)" ok
		check_eq "$rt: 198.51.100.1 -> :8080 (blocked) is dropped" \
			"$(net_in tcp 198.51.100.1 192.0.2.2 8080)" TIMEOUT
		e=$(ev_wait '"hook":"ingress"' 50 || :)
		ev_stop
		diag "$e"
		check_eq "$rt: monitor reports the drop, profile ing" \
			"$(echo "$e" | json_get verdict) $(echo "$e" | json_get profile) $(echo "$e" | json_get rule)" \
			"deny ing 198.51.100.0/24 tcp 8080"
		check_eq "$rt: of the container's cgroup" "$(echo "$e" | json_get bound_cgroup_id)" \
			"$(kcsadm bindings | awk '$3 == "ing" { print $1 }')"
		oci_kill "$rt" i1
		check_eq "$rt: poststop forgot the namespace record" "$(nrec)" 0
		check_eq "$rt: and the binding" "$(kcsadm bindings | grep -c ' ing ' || :)" 0
		# The namespace outlives the container here (its holder), and so
		# does the table, now without a record; the next one replaces it.
		check_match "$rt: the joined namespace keeps its table" "$(rs "$CTR_NETNS")" \
			"*table inet kcs {*"
		nsenter --net="$CTR_NETNS" "$NFT" delete table inet kcs

		# A new namespace of the container's own, made by the runtime.
		oci_bundle i2 --image ing:1 --netns new -- /bin/sh -c 'sleep 300'
		oci_start "$rt" i2
		at_exit "oci_kill $rt i2"
		check_eq "$rt: a container in a new network namespace starts" "$OCI_ST:$OCI_ERR" "0:"
		pid=$(oci_pid "$rt" i2)
		check_match "$rt: its namespace has the table" "$(rs "/proc/$pid/ns/net")" \
			"*table inet kcs {*198.51.100.0/24 . 8080*"
		check_eq "$rt: recorded" "$(nrec)" 1
		oci_kill "$rt" i2
		check_eq "$rt: forgotten after poststop" "$(nrec)" 0

		# The host's namespace: no table there, ever.
		oci_bundle h1 --image ing:1 --hook-stderr "$KCS_TMP/h1.err" -- /bin/nop
		: >"$KCS_TMP/h1.err"
		oci_run "$rt" h1
		check_match "$rt: Enforce, ingress rules, the host's network namespace: refused" \
			"$OCI_ST" "[1-9]*"
		check_match "$rt: the hook says why" "$(cat "$KCS_TMP/h1.err")" \
			"*refused by kcs*profile ing has ingress rules, which need the container's own network namespace; this container uses the host's*"
		check_match "$rt: and logs it" "$(cat "$SYSLOG")" \
			"*$rt-h1-$$: not enforced, not started (enforce): profile ing has ingress rules*uses the host's*"
		check_eq "$rt: no table in the guest's namespace" \
			"$("$NFT" list tables 2>/dev/null | grep -cx 'table inet kcs' || :)" 0
		check_eq "$rt: nothing recorded, nothing bound" \
			"$(nrec):$(kcsadm bindings | grep -c ' ing ' || :)" "0:0"
		oci_bundle h2 --image ing-audit:1 -- /opt/blocked/tool
		oci_run "$rt" h2
		check_eq "$rt: Audit, the same container: it starts (the blocked program only reported)" \
			"$OCI_ST:$OCI_ERR" "0:"
		check_match "$rt: the log says the ingress rules are not applied" "$(cat "$SYSLOG")" \
			"*$rt-h2-$$: profile ing has ingress rules, which need the container's own network namespace; this container uses the host's: bound without them (audit)*"
		check_eq "$rt: still no table in the guest's namespace" \
			"$("$NFT" list tables 2>/dev/null | grep -cx 'table inet kcs' || :)" 0
		check_eq "$rt: nor a record" "$(nrec)" 0
	done
	# runc shows the hook's stderr: the reason where the user looks.
	if [ -z "$OCI_NO_RUNC" ]; then
		oci_bundle h4 --image ing:1 -- /bin/nop
		oci_run runc h4
		check_match "runc shows the refusal's reason" "$OCI_ERR" \
			"*refused by kcs*profile ing has ingress rules*uses the host's*"
	fi
	# --fail-open: started, unenforced (nothing bound), as for any failure
	# to enforce.
	oci_bundle h3 --image ing:1 --hook-args --fail-open -- /opt/blocked/tool
	oci_run crun h3
	check_eq "--fail-open: the host-network container starts, unenforced" \
		"$OCI_ST:$OCI_ERR" "0:"
	check_match "and the log says so" "$(cat "$SYSLOG")" \
		"*crun-h3-$$: not enforced, started anyway (--fail-open): profile ing has ingress rules*"
fi

# kcs cannot enforce: fail closed under Enforce, unless --fail-open.
check "unload kcs" kcs_unload
for rt in $OCI_RUNTIMES; do
	oci_bundle w4 --image web:1 -- /bin/nop
	oci_run "$rt" w4
	check_match "$rt: kcs not loaded, Enforce policy: refused" "$OCI_ST" "[1-9]*"
	oci_bundle w5 --image web:1 --hook-args --fail-open -- /opt/blocked/tool
	oci_run "$rt" w5
	check_eq "$rt: --fail-open: it starts, unenforced" "$OCI_ST:$OCI_ERR" "0:"
done
if [ -z "$OCI_NO_RUNC" ]; then
	oci_run runc w4
	check_match "the reason names the failure and the opt-out" "$OCI_ERR" \
		"*refused by kcs (an Enforce policy applies and kcs cannot enforce it; --fail-open*not loaded*"
fi
done_testing
