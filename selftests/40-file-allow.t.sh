#!/bin/sh
# File allow lists and the file default: under "default": "deny" a bound
# task reads only what allow_read names and changes only what allow_write
# names; anything else fails with EACCES and an event (rule kind
# not-allowed); deny lists still win over allow lists. Under "default":
# "audit" the same accesses go ahead and are reported. The ways around an
# allow list are tried: a hard link or a rename of a file it leaves out to
# a name it allows, a directory moved out from under it or into it, a
# symlink from an allowed name, the same file mounted under an allowed
# name (undecidable).
set -eu
. "${0%/*}/lib.sh"
. "${0%/*}/container.sh"
. "${0%/*}/kcs.sh"

P=$KCS_DIR
at_exit kcs_unload
kcs_load >/dev/null 2>&1 || :
if ! kcs_apply '{"name":"fa","files":{"default":"deny"}}' 2>"$KCS_TMP/err" &&
	grep -q CONFIG_SECURITY_PATH "$KCS_TMP/err"; then
	skip_all "the kernel has no path hooks (CONFIG_SECURITY_PATH)"
fi
check "kcs.ko loads" kcs_load
at_exit ev_stop
ctr_create fa "$P/mnt_exec" >/dev/null
at_exit "ctr_destroy fa"
cg=$(ctr_cgroup fa)
r=$(ctr_root fa)
mkdir -p "$r/data/sub" "$r/tmp/d"
echo hello >"$r/data/public"
echo s3cret >"$r/data/secret"
echo inner >"$r/data/sub/f"
echo t >"$r/tmp/d/f"

# An allow list without a default that leaves something out is refused,
# by kcsadm before the kernel sees it.
st=0
kcsadm profile check -f - >/dev/null 2>"$KCS_TMP/err" <<'EOF' || st=$?
{"name":"bad","files":{"allow_read":["/x"]}}
EOF
check_match "allow_read without a default: refused (exit 3), saying why" \
	"$st:$(cat "$KCS_TMP/err")" \
	"3:*files.allow_read: an allow list needs \"default\": \"deny\" or \"audit\"*"

prof='{"name":"fa","files":{"default":"%s",
	"allow_read":[{"mask":"/bin/*"},{"mask":"/lib*"},{"mask":"/usr/*"},
		{"mask":"/data/*"},{"mask":"/tmp/*"},{"mask":"/dev/*"},
		{"mask":"/proc/*"},"/etc/hostname","/"],
	"allow_write":[{"mask":"/tmp/*"},{"mask":"/dev/*"},"/data/sub"],
	"deny_read":["/data/secret"]}}'
# shellcheck disable=SC2059 # the profile is the format
check "a profile with allow lists and default deny applies" \
	kcs_apply "$(printf "$prof" deny)"
check_match "profile show counts 13 file patterns" \
	"$(kcsadm profile show fa)" "*file_rules: 13*"

# shellcheck disable=SC2016 # expanded in the container
ops='
t() { n=$1; shift
	if e=$("$@" 2>&1 >/dev/null); then echo "$n ok"
	else case $e in *"ermission denied"*) echo "$n denied";;
		*) echo "$n failed: $e";; esac; fi; }
t read_hostname cat /etc/hostname
t read_public cat /data/public
t read_sub cat /data/sub/f
t read_passwd cat /etc/passwd
t read_secret cat /data/secret
t list_root ls /
t write_tmp sh -c "echo x >/tmp/f && cat /tmp/f && rm /tmp/f"
t write_public sh -c "echo x >>/data/public"
t create_data touch /data/new
t link_passwd ln /etc/passwd /tmp/pw
t rename_passwd mv /etc/passwd /tmp/pw
t symlink_passwd sh -c "ln -s /etc/passwd /tmp/l && cat /tmp/l"
t move_dir_in_tmp sh -c "mv /tmp/d /tmp/e && mv /tmp/e /tmp/d"
t move_sub_out mv /data/sub /tmp/sub
t move_dir_to_etc mv /tmp/d /etc/d
touch /tmp/x
t mount_alias /bin/mnt_exec --bind /etc/passwd /tmp/x /bin/cat /tmp/x
'
res() { awk -v n="$1" '$1 == n { $1 = ""; sub(/^ /, ""); print; exit }' "$KCS_TMP/enf"; }
f() { printf '%s\n' "$e" | json_get "$1"; }

check "bind enforce" kcsadm bind "$cg" --profile fa --mode enforce
ev_start
run_in fa /bin/sh -c "$ops" >"$KCS_TMP/enf"
diag "$(cat "$KCS_TMP/enf")"
check_eq "read /etc/hostname (allowed by name): ok" "$(res read_hostname)" ok
check_eq "read /data/public (allowed by mask): ok" "$(res read_public)" ok
check_eq "read /data/sub/f (the mask spans /): ok" "$(res read_sub)" ok
check_eq "read /etc/passwd (not in allow_read): EACCES" "$(res read_passwd)" denied
check_eq "read /data/secret (allowed, but deny_read wins): EACCES" \
	"$(res read_secret)" denied
check_eq "list / (the directory is allowed): ok" "$(res list_root)" ok
check_eq "write, read, remove /tmp/f: ok" "$(res write_tmp)" ok
check_eq "append to /data/public (readable, not writable): EACCES" \
	"$(res write_public)" denied
check_eq "create /data/new: EACCES" "$(res create_data)" denied
check "and it was never created" test ! -e "$r/data/new"
check_eq "hard link /etc/passwd to /tmp/pw (an allowed name): EACCES" \
	"$(res link_passwd)" denied
check_eq "rename /etc/passwd to /tmp/pw: EACCES" "$(res rename_passwd)" denied
check_eq "a symlink /tmp/l to /etc/passwd reads as /etc/passwd: EACCES" \
	"$(res symlink_passwd)" denied
check_eq "move a directory within /tmp (all under it allowed): ok" \
	"$(res move_dir_in_tmp)" ok
check_eq "move /data/sub out (its name is writable, the names under it are not): EACCES" \
	"$(res move_sub_out)" denied
check_eq "move a directory to /etc/d (names under it not allowed): EACCES" \
	"$(res move_dir_to_etc)" denied
check_eq "/etc/passwd bind-mounted on /tmp/x: undecidable, EACCES" \
	"$(res mount_alias)" denied
check_eq "the files stayed where they were" \
	"$(cat "$r/etc/passwd" "$r/data/public" "$r/tmp/d/f")" \
	"root:x:0:0:root:/root:/bin/sh
hello
t"

e=$(ev_wait '"path":"/etc/passwd","operation":"open"') || e=
check_eq "event: the read of /etc/passwd, not allowed" \
	"$(f hook) $(f verdict) $(f access) $(f rule_kind) $(f rule) $(f profile)" \
	"file deny read not-allowed (not in allow_read) fa"
e=$(ev_wait '"path":"/data/secret"') || e=
check_eq "event: /data/secret, by its deny rule" \
	"$(f verdict) $(f rule_kind) $(f rule)" "deny block /data/secret"
e=$(ev_wait '"path":"/data/public","operation":"open","access":"write"') || e=
check_eq "event: the append, not in allow_write" \
	"$(f verdict) $(f rule_kind) $(f rule)" \
	"deny not-allowed (not in allow_write)"
e=$(ev_wait '"path":"/data/sub","operation":"rename-from"') || e=
check_eq "event: the move of /data/sub, not all under it writable" \
	"$(f verdict) $(f access) $(f rule)" "deny read,write (not in allow_write)"
e=$(ev_wait '"path":"/etc/d","operation":"rename-to"') || e=
check_eq "event: the move to /etc/d, judged at its target" \
	"$(f verdict) $(f rule_kind) $(f rule)" "deny not-allowed (not in allow_write)"

# A program the allow list does not name cannot run (exec reads its file).
cp "$r/bin/busybox" "$r/data2"
run_in fa /data2 true
check_match "exec of /data2 (not in allow_read): EACCES" \
	"$RUN_ST:$CTR_STDERR" "126:*ermission denied*"

# Audit mode: the same default denies nothing and reports.
check "rebind audit" kcsadm bind "$cg" --profile fa --mode audit
ev_stop
ev_start
run_in fa /bin/cat /etc/passwd >"$KCS_TMP/out"
check_eq "audit mode: /etc/passwd reads" "$RUN_ST:$(head -c 4 "$KCS_TMP/out")" "0:root"
e=$(ev_wait '"path":"/etc/passwd","operation":"open"') || e=
check_eq "audit mode: reported as would-be denied" \
	"$(f verdict) $(f mode) $(f rule_kind)" "allow audit not-allowed"

# Default audit, under Enforce: nothing denied but the deny list, every
# access the allow lists leave out reported.
# shellcheck disable=SC2059
check "default audit applies (bound, replaced in place)" \
	kcs_apply "$(printf "$prof" audit)"
check "rebind enforce" kcsadm bind "$cg" --profile fa --mode enforce
ev_stop
ev_start
rep0=$(kcs_stat file_reported)
run_in fa /bin/sh -c 'cat /etc/passwd >/dev/null && cat /data/secret' >/dev/null
check_match "default audit: /etc/passwd reads, /data/secret (deny_read) does not" \
	"$RUN_ST:$CTR_STDERR" "1:*/data/secret*ermission denied*"
e=$(ev_wait '"path":"/etc/passwd","operation":"open"') || e=
check_eq "default audit: the read is reported" \
	"$(f verdict) $(f mode) $(f rule_kind) $(f rule)" \
	"allow enforce monitor (not in allow_read)"
check "file_reported grew" test "$(kcs_stat file_reported)" -gt "$rep0"

check "unbind" kcsadm unbind "$cg"
run_in fa /bin/cat /etc/passwd >/dev/null
check_eq "unbound: /etc/passwd reads" "$RUN_ST" 0
done_testing
