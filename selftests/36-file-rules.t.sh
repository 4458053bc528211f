#!/bin/sh
# File rules: files a bound task may not read (deny_read), may not change
# (deny_write), and files whose every open is reported (monitor). Enforce
# fails the call with EACCES ("Permission denied") and sends an event;
# Audit lets it happen and reports it. And the ways around a deny list
# are closed: a hard link or a rename of a protected file (a second,
# unprotected name), a rename of the directory above it, a symlink where
# protected names would be, a file created and renamed over one, O_CREAT
# of a new protected name (refused before the file exists), and the same
# file mounted under another name in a mount namespace of the container's
# own (no trusted name: undecidable, denied). Operations on other files go
# on as before.
set -eu
. "${0%/*}/lib.sh"
. "${0%/*}/container.sh"
. "${0%/*}/kcs.sh"
. "${0%/*}/oci.sh"

P=$KCS_DIR
at_exit kcs_unload
# A kernel without the path hooks refuses deny lists (they could not be
# kept through a rename or a link); Debian's kernels have them.
kcs_load >/dev/null 2>&1 || :
if ! kcs_apply '{"name":"fr","files":{"deny_read":["/x"]}}' 2>"$KCS_TMP/err" &&
	grep -q CONFIG_SECURITY_PATH "$KCS_TMP/err"; then
	skip_all "the kernel has no path hooks (CONFIG_SECURITY_PATH)"
fi
check "kcs.ko loads" kcs_load
at_exit ev_stop
ctr_create fr "$P/mnt_exec" "$P/drop_cap" >/dev/null
at_exit "ctr_destroy fr"
cg=$(ctr_cgroup fr)
r=$(ctr_root fr)
mkdir -p "$r/keys/sub" "$r/etc/cron.d" "$r/data"
echo s3cret >"$r/etc/secret"
echo key >"$r/keys/k1"
echo key2 >"$r/keys/sub/k2"
echo '* * * * * root true' >"$r/etc/cron.d/job"
echo hello >"$r/data/public"

# Each line of the script: "NAME ok", "NAME denied" (EACCES) or
# "NAME failed: MESSAGE". One shell for all: one mount namespace, as in a
# real container.
# shellcheck disable=SC2016 # expanded in the container
ops='
t() { n=$1; shift
	if e=$("$@" 2>&1 >/dev/null); then echo "$n ok"
	else case $e in *"ermission denied"*) echo "$n denied";;
		*) echo "$n failed: $e";; esac; fi; }
t read_secret cat /etc/secret
t read_key cat /keys/k1
t read_key_sub cat /keys/sub/k2
t read_passwd cat /etc/passwd
t read_public cat /data/public
t write_passwd sh -c "echo x >>/etc/passwd"
t trunc_passwd truncate -s 0 /etc/passwd
t write_tmp sh -c "echo x >/tmp/ok && cat /tmp/ok"
t write_devnull sh -c "echo x >/dev/null"
t link_secret ln /etc/secret /tmp/alias
t rename_secret mv /etc/secret /tmp/moved
t rename_keys_dir mv /keys /tmp/keys2
t rename_etc_dir mv /etc /etc2
t rename_over_passwd sh -c "echo evil >/tmp/p && mv /tmp/p /etc/passwd"
t unlink_passwd rm /etc/passwd
t create_cron touch /etc/cron.d/evil
t symlink_cron ln -s /tmp /etc/cron.d/sub
t rename_cron_dir mv /etc/cron.d /tmp/cron
t write_cron_job sh -c "echo x >>/etc/cron.d/job"
t other_dir_rename sh -c "mkdir /tmp/d && mv /tmp/d /tmp/e && rmdir /tmp/e"
t other_link sh -c "ln /data/public /tmp/pub && rm /tmp/pub"
touch /tmp/x
t mount_alias /bin/mnt_exec --bind /etc/secret /tmp/x /bin/cat /tmp/x
t symlink_tree sh -c "mkdir -p /opt/app && ln -s /tmp /opt/app/conf"
t read_hostname cat /etc/hostname
'

run_in fr /bin/cat /etc/secret >"$KCS_TMP/out"
check_eq "unbound: /etc/secret reads" "$RUN_ST:$(cat "$KCS_TMP/out")" "0:s3cret"

check "a profile with file rules applies" kcs_apply '{"name":"fr","files":{
	"deny_read":["/etc/secret",{"mask":"/keys/*"}],
	"deny_write":["/etc/passwd",{"mask":"/etc/cron.d/*"},
		{"mask":"/opt/app/conf/*"}],
	"monitor":["/etc/hostname"]}}'
check_match "profile show counts 6 file patterns" \
	"$(kcsadm profile show fr)" "*file_rules: 6*"
check "bind enforce" kcsadm bind "$cg" --profile fr --mode enforce
ev_start
denied0=$(kcs_stat file_denied)
run_in fr /bin/sh -c "$ops" >"$KCS_TMP/enf"
diag "$(cat "$KCS_TMP/enf")"
res() { awk -v n="$1" '$1 == n { $1 = ""; sub(/^ /, ""); print; exit }' "$KCS_TMP/enf"; }
check_eq "read /etc/secret: EACCES" "$(res read_secret)" denied
check_eq "read /keys/k1 (mask): EACCES" "$(res read_key)" denied
check_eq "read /keys/sub/k2 (mask spans /): EACCES" "$(res read_key_sub)" denied
check_eq "read /etc/passwd (only write-protected): ok" "$(res read_passwd)" ok
check_eq "read a file no rule names: ok" "$(res read_public)" ok
check_eq "append to /etc/passwd: EACCES" "$(res write_passwd)" denied
check_eq "truncate /etc/passwd: EACCES" "$(res trunc_passwd)" denied
check_eq "write and read /tmp/ok: ok" "$(res write_tmp)" ok
check_eq "write /dev/null (another filesystem): ok" "$(res write_devnull)" ok
check_eq "hard link to /etc/secret: EACCES" "$(res link_secret)" denied
check_eq "rename /etc/secret away: EACCES" "$(res rename_secret)" denied
check_eq "rename the directory /keys: EACCES" "$(res rename_keys_dir)" denied
check_eq "rename /etc (protected names under it): EACCES" \
	"$(res rename_etc_dir)" denied
check_eq "rename a file over /etc/passwd: EACCES" \
	"$(res rename_over_passwd)" denied
check_eq "unlink /etc/passwd: EACCES" "$(res unlink_passwd)" denied
check_eq "create /etc/cron.d/evil: EACCES" "$(res create_cron)" denied
check "and the file was never created" test ! -e "$r/etc/cron.d/evil"
check_eq "symlink at /etc/cron.d/sub: EACCES" "$(res symlink_cron)" denied
check_eq "rename /etc/cron.d: EACCES" "$(res rename_cron_dir)" denied
check_eq "append to /etc/cron.d/job: EACCES" "$(res write_cron_job)" denied
check_eq "mkdir, rename, rmdir elsewhere: ok" "$(res other_dir_rename)" ok
check_eq "hard link and unlink of an unprotected file: ok" \
	"$(res other_link)" ok
check_eq "/etc/secret bind-mounted on /tmp/x in a namespace of its own: EACCES" \
	"$(res mount_alias)" denied
check_eq "symlink where protected names would be (/opt/app/conf): EACCES" \
	"$(res symlink_tree)" denied
check_eq "read /etc/hostname (monitored): ok" "$(res read_hostname)" ok
check_eq "the files are intact" \
	"$(cat "$r/etc/secret" "$r/etc/passwd" | head -n 2)" \
	"s3cret
root:x:0:0:root:/root:/bin/sh"
check "file_denied grew" test "$(kcs_stat file_denied)" -gt "$denied0"

f() { printf '%s\n' "$e" | json_get "$1"; }
e=$(ev_wait '"path":"/etc/secret","operation":"open"') || e=
check_eq "event: open of /etc/secret denied, read, its rule" \
	"$(f hook) $(f verdict) $(f mode) $(f access) $(f rule_kind) $(f rule) $(f profile)" \
	"file deny enforce read block /etc/secret fr"
e=$(ev_wait '"operation":"link-from"') || e=
check_eq "event: the hard link, judged as read and write of /etc/secret" \
	"$(f path) $(f access) $(f verdict)" "/etc/secret read,write deny"
e=$(ev_wait '"path":"/keys","operation":"rename-from"') || e=
check_eq "event: the directory rename names why" "$(f rule)" \
	"(a rule names files under it)"
e=$(ev_wait '"path":"/etc/cron.d/evil"') || e=
check_eq "event: the creation" "$(f operation) $(f access) $(f rule)" \
	"create write /etc/cron.d/*"
e=$(ev_wait '"rule_kind":"undecidable"') || e=
check_eq "event: the mounted alias is undecidable, with no name" \
	"$(f hook) $(f verdict) $(f path)" "file deny "
e=$(ev_wait '"path":"/etc/hostname"') || e=
check_eq "event: the monitored read is reported, allowed" \
	"$(f verdict) $(f rule_kind) $(f operation) $(f access)" \
	"allow monitor open read"

# Audit: everything happens, and is reported.
check "rebind audit" kcsadm bind "$cg" --profile fr --mode audit
audited0=$(kcs_stat file_audited)
run_in fr /bin/cat /etc/secret >"$KCS_TMP/out"
check_eq "audit: /etc/secret reads" "$RUN_ST:$(cat "$KCS_TMP/out")" "0:s3cret"
e=$(ev_wait '"verdict":"allow","mode":"audit"') || e=
check_eq "audit: reported as allowed" "$(f path) $(f rule)" \
	"/etc/secret /etc/secret"
check_eq "file_audited counts it" "$(kcs_stat file_audited)" "$((audited0 + 1))"

# An overlay root, as Docker and Podman give containers: overlayfs opens
# the real file behind each file, as the same task; judged once, by the
# container's name.
ov=$KCS_TMP/ov
mkdir -p "$ov/lower" "$ov/upper" "$ov/work"
cp -a "$r/." "$ov/lower/"
check "an overlay over the container's root" mount -t overlay overlay \
	-o "lowerdir=$ov/lower,upperdir=$ov/upper,workdir=$ov/work" "$r"
at_exit "umount -l $r 2>/dev/null || :"
# A new binding: its root is taken at its first exec, in the overlay.
check "bind again (enforce)" sh -c "kcsadm unbind $cg && kcsadm bind $cg --profile fr --mode enforce"
n0=$(ev_count '"path":"/etc/hostname"')
run_in fr /bin/sh -c 'cat /etc/hostname; cat /etc/secret' >"$KCS_TMP/out"
check_match "overlay: a file no rule denies reads, /etc/secret does not" \
	"$RUN_ST:$(cat "$KCS_TMP/out"):$CTR_STDERR" "1:fr:*/etc/secret*ermission denied*"
ev_wait '"path":"/etc/hostname"' >/dev/null || :
sleep 0.3
check_eq "overlay: the monitored read is reported once" \
	"$(ev_count '"path":"/etc/hostname"')" "$((n0 + 1))"
run_in fr /bin/sh -c 'echo x >/tmp/new && mv /tmp/new /tmp/new2 && cat /tmp/new2'
check_eq "overlay: create and rename (copied up): ok" "$RUN_ST:$CTR_STDERR" "0:"
# Overlayfs's own opens (the lower file behind a copy-up, the layers'
# directories behind a listing) have no name in the container. Made with
# the mounter's credentials, which a container without CAP_SYS_ADMIN
# cannot have, they are the kernel's: not judged.
u0=$(ev_count '"rule_kind":"undecidable"') s0=$(ev_count '"path":"/etc/secret"')
run_in fr /bin/drop_cap 21 /bin/sh -c \
	'echo y >>/etc/group && ls /etc && cat /etc/group' >"$KCS_TMP/out"
check_match "overlay, no CAP_SYS_ADMIN: an image file changes (copy-up), /etc lists" \
	"$RUN_ST:$(tr '\n' ' ' <"$KCS_TMP/out"):$CTR_STDERR" "0:*secret*root:x:0: y :"
run_in fr /bin/drop_cap 21 /bin/sh -c 'echo x >>/etc/passwd'
check_match "overlay, no CAP_SYS_ADMIN: /etc/passwd still may not change" \
	"$RUN_ST:$CTR_STDERR" "1:*/etc/passwd*ermission denied*"
run_in fr /bin/drop_cap 21 /bin/cat /etc/secret
check_match "overlay, no CAP_SYS_ADMIN: /etc/secret still may not be read" \
	"$RUN_ST:$CTR_STDERR" "1:*/etc/secret*ermission denied*"
i=0	# the last denial's event: everything before it is in too
while [ "$(ev_count '"path":"/etc/secret"')" -le "$s0" ] && [ "$i" -lt 50 ]; do
	sleep 0.1
	i=$((i + 1))
done
sleep 0.3
check_eq "overlay, no CAP_SYS_ADMIN: nothing was undecidable" \
	"$(ev_count '"rule_kind":"undecidable"')" "$u0"
# A privileged container could make such credentials itself (an io_uring
# personality, a detached mount): its copy-up stays undecidable.
run_in fr /bin/sh -c 'echo z >>/data/public'
check_match "overlay, CAP_SYS_ADMIN: the copy-up is undecidable, denied" \
	"$RUN_ST:$CTR_STDERR" "1:*/data/public*ermission denied*"
check_eq "overlay, CAP_SYS_ADMIN: the image file is unchanged" \
	"$(cat "$r/data/public")" "hello"
run_in fr /bin/ls /keys
check_match "overlay, CAP_SYS_ADMIN: with deny_read, a listing is undecidable too" \
	"$RUN_ST:$CTR_STDERR" "1:*/keys*ermission denied*"
umount -l "$r"

# Unbound again: nothing is judged.
check "unbind" kcsadm unbind "$cg"
run_in fr /bin/sh -c "mv /etc/secret /tmp/moved && cat /tmp/moved"
check_eq "unbound: /etc/secret moves" "$RUN_ST" 0

# ---- a real container (crun, through the OCI hook): the root the runtime
# made, /proc and a tmpfs /dev of its own, one mount namespace.
[ -x "$P/tools/crun" ] || {
	skip "file rules in a crun container" "crun is not in the payload"
	done_testing
}
mkdir -p "$OCI_CONF/profiles" "$OCI_DIR"
printf '%s\n' '{"name":"fo","files":{"deny_read":["/etc/secret"],
	"deny_write":["/etc/passwd"]}}' >"$OCI_CONF/profiles/fo.json"
printf '%s\n' '{"name":"files-enforce","mode":"enforce",
 "mappings":[{"selector":{"images":["files:*"]},"profiles":["fo"]}]}' \
	>"$KCS_TMP/fp.json"
check "policy: files:* gets fo (enforce)" kcsadm policy apply -f "$KCS_TMP/fp.json"
oci_bundle f1 --image files:1 -- /bin/sh /t.sh
# shellcheck disable=SC2016 # expanded in the container
printf '%s\n' 't() { n=$1; shift
	if e=$("$@" 2>&1 >/dev/null); then echo "$n=ok"
	else case $e in *"ermission denied"*) echo "$n=denied";;
		*) echo "$n=failed:$e";; esac; fi; }
t read_secret cat /etc/secret
t read_passwd cat /etc/passwd
t write_passwd sh -c "echo x >>/etc/passwd"
t rename_passwd_to_dev mv /etc/passwd /dev/p
t proc_status cat /proc/self/status
t dev_ops sh -c "echo x >/dev/f && mkdir /dev/d && mv /dev/d /dev/e && ln /dev/f /dev/g && rm /dev/g /dev/f && rmdir /dev/e"
t tmp_ops sh -c "echo x >/tmp/f && mv /tmp/f /tmp/g && rm /tmp/g"' \
	>"$OCI_DIR/f1/rootfs/t.sh"
echo s3cret >"$OCI_DIR/f1/rootfs/etc/secret"
echo 'root:x:0:0:root:/root:/bin/sh' >"$OCI_DIR/f1/rootfs/etc/passwd"
oci_run crun f1
diag "$OCI_ERR"
o() { printf '%s\n' "$OCI_ERR" | sed -n "s/^$1=//p"; }
check_eq "crun: read /etc/secret: EACCES" "$(o read_secret)" denied
check_eq "crun: read /etc/passwd: ok" "$(o read_passwd)" ok
check_eq "crun: append to /etc/passwd: EACCES" "$(o write_passwd)" denied
check_eq "crun: move /etc/passwd onto the /dev tmpfs: EACCES" \
	"$(o rename_passwd_to_dev)" denied
check_eq "crun: /proc reads" "$(o proc_status)" ok
check_eq "crun: create, rename, link, unlink on the /dev tmpfs: ok" \
	"$(o dev_ops)" ok
check_eq "crun: the same on the root filesystem: ok" "$(o tmp_ops)" ok
done_testing
