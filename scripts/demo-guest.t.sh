#!/bin/sh
# The demo, inside the VM: every command is shown before it runs.
set -eu
. "${0%/*}/lib.sh"
. "${0%/*}/container.sh"
. "${0%/*}/kcs.sh"
P=$KCS_DIR
show() { echo "demo# $*"; "$@"; }

show kcsadm load --module "$P/kcs.ko"
# The container's entrypoint, /bin/app, stands for its application: a
# program the profile allows (not a shell: the profile blocks shells).
ctr_create web "$P/try_exec:/bin/app" >/dev/null
at_exit "ctr_destroy web"
echo "demo# container 'web': cgroup $(ctr_cgroup web), root $(ctr_root web)"
show cat "$P/web-block.json"
show kcsadm profile apply -f "$P/web-block.json"
show kcsadm bind "$(ctr_cgroup web)" --profile web --mode enforce
kcsadm monitor --count 1 --timeout 20 >"$KCS_TMP/demo.ev" &
mon=$!
sleep 0.5
echo "demo# (in the container) the entrypoint /bin/app runs /bin/true"
run_in web /bin/app /bin/true
echo "demo# exit status $RUN_ST"
app_st=$RUN_ST
echo "demo# (in the container) the application runs wget -q -O /dev/null http://192.0.2.1/"
run_in web /bin/app /bin/wget wget -q -O /dev/null http://192.0.2.1/
echo "$CTR_STDERR"
echo "demo# exit status $RUN_ST"
wait "$mon" || :
echo "demo# the event kcsadm monitor printed:"
cat "$KCS_TMP/demo.ev"
show kcsadm status
check_eq "the container's own entrypoint is allowed" "$app_st" 0
check_match "wget was denied with EPERM" "$RUN_ST:$CTR_STDERR" "126:*exec failed: EPERM*"
check_match "the event names the applet and the rule" "$(cat "$KCS_TMP/demo.ev")" \
	'*deny*path=/bin/busybox applet=wget*rule=/bin/busybox/wget*'
kcsadm unload
done_testing
