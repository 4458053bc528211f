#!/bin/sh
# Tests of the kcsadm binary ($KCSADM, default ./kcsadm) that need no kcs
# module: --help, usage errors, exit codes, profile check, JSON output.
# On this kind of host the module is not loaded; the commands that need it
# must then exit 5 with the suggestion to load it. Run from userspace/.
set -u
K=${KCSADM:-./kcsadm}
EX=../examples
. "$(dirname "$0")/tap.sh"
tap_tmp cli
# A failed check shows what kcsadm said.
tap_on_fail() {
	[ ! -s "$tmp/err" ] || sed 's/^/# stderr: /' "$tmp/err" | head -n 5
}

# expect CODE DESCRIPTION ARGS...: run kcsadm, check its exit status.
expect() {
	want=$1 desc=$2
	shift 2
	$K "$@" >"$tmp/out" 2>"$tmp/err"
	got=$?
	[ "$got" -eq "$want" ]
	ok $? "$desc (exit $got, want $want)"
}

json_ok() {	# json_ok DESCRIPTION: stdout of the last run is valid JSON
	python3 -m json.tool "$tmp/out" >/dev/null 2>&1
	ok $? "$1: stdout is valid JSON"
}

json_lines() {	# json_lines DESCRIPTION: stdout is lines of one JSON object each
	python3 -c 'import json,sys; L=open(sys.argv[1]).read().splitlines(); sys.exit(0 if L and all(isinstance(json.loads(l),dict) for l in L) else 1)' "$tmp/out" 2>/dev/null
	ok $? "$1: stdout is JSON lines"
}

err_has() {	# err_has TEXT DESCRIPTION
	grep -qF -- "$1" "$tmp/err"
	ok $? "$2"
}

# --- help: every command, exit 0, usage on stdout
for c in "" load unload status profile "profile check" "profile apply" \
	 "profile list" "profile show" "profile export" "profile delete" \
	 bind unbind bindings \
	 binding "binding add" "binding delete" "binding list" \
	 monitor metrics netwatch learn policy "policy apply" "policy list" "policy show" \
	 "policy delete" "policy explain" image "image register" "image list" \
	 "image delete" oci-hook sync restore hook "hook install" \
	 "hook uninstall"; do
	# shellcheck disable=SC2086
	expect 0 "help: kcsadm $c --help" $c --help
	grep -q '^Usage: kcsadm' "$tmp/out"
	ok $? "help: kcsadm $c --help prints usage"
done
expect 0 "help: -h" profile check -h
expect 0 "global help" --help
grep -q '^  5  kcs module not loaded' "$tmp/out"
ok $? "help lists the exit codes"
expect 0 "--version" --version
expect 0 "--version --json" --version --json
python3 -c 'import json,sys; j=json.load(open(sys.argv[1])); sys.exit(0 if j["program"]=="kcsadm" and j["genl_version"]>0 else 1)' "$tmp/out"
ok $? "--version JSON: program and protocol version"
expect 0 "global help (bindings)" --help
grep -q '^  binding add CGROUP' "$tmp/out" && grep -q '^  binding list ' "$tmp/out" &&
grep -q 'bind = binding add' "$tmp/out"
ok $? "help lists the binding group and its aliases"

# --- usage errors: exit 2
expect 2 "no command"
expect 2 "unknown command" frobnicate
expect 2 "unknown global option" --frob status
grep -qx "kcsadm: unknown option '--frob'" "$tmp/err" && grep -qx "Try 'kcsadm --help'." "$tmp/err"
ok $? "unknown global option: its name, no empty command name"
expect 2 "unknown global option with --json" --json --frob
python3 -c 'import json,sys; e=json.load(open(sys.argv[1]))["error"]; sys.exit(0 if e=={"exit":2,"message":"unknown option '"'--frob'"'"} else 1)' "$tmp/out"
ok $? "unknown global option: JSON message without an empty command name"
expect 2 "unknown command option" status --frob
expect 2 "stray operand" status extra
expect 2 "profile without subcommand" profile
expect 2 "unknown profile subcommand" profile frob
expect 2 "check without -f" profile check
expect 2 "check -f without value" profile check -f
expect 2 "show without name" profile show
expect 2 "show with invalid name" profile show "a b"
expect 2 "show --resolve without name" profile show --resolve
err_has "kcsadm: profile show: missing NAME" "show --resolve without name: says what is missing"
expect 2 "show --resolve with a value" profile show web --resolve=yes
err_has "kcsadm: profile show: option '--resolve' takes no value" "show --resolve=yes: says the option takes no value"
expect 2 "a common option with a value" status --help=1
err_has "kcsadm: status: option '--help' takes no value" "--help=1: named as given, not as '-h'"
expect 2 "delete with two names" profile delete a b
expect 2 "export without name" profile export
expect 2 "export with invalid name" profile export "../a"
expect 2 "export with two names" profile export a b
expect 2 "export -o without value" profile export a -o
expect 2 "bind without --profile" bind foo --mode audit
expect 2 "bind without --mode" bind foo --profile p
expect 2 "bind with bad mode" bind foo --profile p --mode block
expect 2 "bind without cgroup" bind --profile p --mode audit
expect 2 "bind with path and --id" bind foo --id 5 --profile p --mode audit
expect 2 "unbind with bad --id" unbind --id x
expect 2 "binding without subcommand" binding
expect 2 "unknown binding subcommand" binding frob
err_has "kcsadm: binding: unknown command 'frob'" "unknown binding subcommand named"
expect 2 "binding add without --profile" binding add foo --mode audit
err_has 'kcsadm: binding add: missing --profile NAME' "binding add names itself in usage errors"
expect 2 "binding add with bad mode" binding add foo --profile p --mode block
expect 2 "binding delete without cgroup" binding delete
expect 2 "binding delete with bad --id" binding delete --id x
expect 2 "binding list with an operand" binding list extra
expect 2 "bind (alias) without --profile" bind foo --mode audit
err_has 'kcsadm: bind: missing --profile NAME' "the bind alias names itself"
expect 2 "unbind without cgroup" unbind
expect 2 "monitor with bad --count" monitor --count -1
expect 2 "monitor with bad --timeout" monitor --timeout soon
expect 2 "monitor --rotate-size without --output" monitor --rotate-size 1M
expect 2 "monitor with bad --rotate-size" monitor --output "$tmp/ev" --rotate-size 1X
expect 2 "monitor with --rotate-keep 0" monitor --output "$tmp/ev" --rotate-keep 0
expect 2 "metrics with a stray operand" metrics extra
expect 2 "load with stray operand" load kcs.ko
expect 2 "usage error with --json" --json profile check
json_ok "usage error"
python3 -c 'import json,sys; e=json.load(open(sys.argv[1]))["error"]; sys.exit(0 if e["exit"]==2 and "missing -f" in e["message"] else 1)' "$tmp/out"
ok $? "usage error JSON has exit 2 and the message"

# --- profile check: every example
for f in "$EX"/*.json; do
	expect 0 "check $f" profile check -f "$f"
	grep -q ': valid$' "$tmp/out"
	ok $? "check $f says valid"
	expect 0 "check --json $f" --json profile check -f "$f"
	json_ok "check --json $f"
done
expect 0 "check from stdin" profile check -f - <"$EX/web-block.json"
grep -q 'rules: 11 patterns' "$tmp/out"
ok $? "check prints pattern counts"
grep -q 'DFA states' "$tmp/out"
ok $? "check prints DFA states"
expect 0 "--json after the command" profile check --json -f "$EX/nginx-allow.json"
python3 -c 'import json,sys; j=json.load(open(sys.argv[1])); sys.exit(0 if j["exec_mode"]=="allow" and j["allow"]["patterns"]==7 and j["allow"]["dfa_states"]>0 else 1)' "$tmp/out"
ok $? "check JSON fields for the allow list"

# --- content hash: SHA-256 of the canonical JSON (sorted keys, no
# whitespace), the same for any spelling; checked against python's.
for f in "$EX"/*.json; do
	expect 0 "check --json $f (hash)" --json profile check -f "$f"
	python3 -c 'import json,sys,hashlib; j=json.load(open(sys.argv[1])); p=json.load(open(sys.argv[2])); c=json.dumps(p,sort_keys=True,separators=(",",":"),ensure_ascii=False); sys.exit(0 if j["sha256"]==hashlib.sha256(c.encode()).hexdigest() else 1)' "$tmp/out" "$f"
	ok $? "sha256 of $f is that of its canonical JSON"
done
python3 -c 'import json,sys; p=json.load(open(sys.argv[1])); print(json.dumps(dict(reversed(list(p.items()))), indent=7))' "$EX/net-allow.json" >"$tmp/r.json"
expect 0 "check a respelled profile" profile check -f "$tmp/r.json"
sed -n 's/^  sha256: //p' "$tmp/out" >"$tmp/h1"
expect 0 "check the original" profile check -f "$EX/net-allow.json"
sed -n 's/^  sha256: //p' "$tmp/out" >"$tmp/h2"
[ -s "$tmp/h1" ] && cmp -s "$tmp/h1" "$tmp/h2"
ok $? "key order and whitespace leave the hash as it is"
tail -n 1 "$tmp/out" | grep -q '^  sha256: [0-9a-f]\{64\}$'
ok $? "the hash is the last line of check's text"

# --- network section
expect 0 "check --json a network profile" --json profile check -f "$EX/net-egress.json"
python3 -c 'import json,sys; n=json.load(open(sys.argv[1]))["network"]; sys.exit(0 if n["egress_mode"]=="block" and n["egress"]["rules"]==4 and n["egress_exclusions"]["rules"]==1 and n["monitor_listen"] and n["listen"]["bytes"]>0 else 1)' "$tmp/out"
ok $? "network JSON: egress, exclusions, listen, monitor"
printf '%s' '{"name":"x","network":{"egress":{"mode":"block","rules":[{"cidr":"192.0.2.0/24"},{"cidr":"198.51.100.0/24","ports":"99999"}]}}}' >"$tmp/n.json"
expect 3 "port out of range" profile check -f "$tmp/n.json"
err_has 'network.egress.rules[1].ports: port "99999" out of range' "bad port located"
printf '%s' '{"name":"x","network":{"egress":{"mode":"block","rules":[{"cidr":"::ffff:198.51.100.0/120"}]}}}' >"$tmp/m.json"
expect 0 "an IPv4-mapped CIDR /96 or longer is taken as IPv4" --json profile check -f "$tmp/m.json"
printf '%s' '{"name":"x","network":{"egress":{"mode":"block","rules":[{"cidr":"192.0.2.0/24"},{"cidr":"::ffff:198.51.100.0/64"}]}}}' >"$tmp/m.json"
expect 3 "an IPv4-mapped CIDR shorter than /96 is refused" profile check -f "$tmp/m.json"
err_has 'network.egress.rules[1].cidr: invalid CIDR: "::ffff:198.51.100.0/64": an IPv4-mapped prefix shorter than /96 is no IPv4 network; write the IPv4 form (198.51.100.0/LEN)' "the refused mapped CIDR's rule is named, the IPv4 form suggested"
printf '%s' '{"name":"x","network":{"ingress":{"mode":"block","rules":[{"cidr":"198.51.100.0/24"}]}}}' >"$tmp/i.json"
expect 0 "ingress compiles (for bind --netns)" profile check -f "$tmp/i.json"
grep -q 'ingress mode: block' "$tmp/out"
ok $? "check reports the ingress mode"
printf '%s' '{"name":"x","network":{"ingress":{"mode":"allow","allow":[{"fqdn":"db.example.com","ports":"5432"},{"cidr":"192.0.2.0/24"}]}}}' >"$tmp/if.json"
expect 0 "ingress fqdn compiles (check does not resolve)" profile check -f "$tmp/if.json"
printf '%s' '{"name":"x","network":{"ingress":{"mode":"block","rules":[{"fqdn":"a_b.example.com"}]}}}' >"$tmp/ib.json"
expect 3 "bad ingress fqdn" profile check -f "$tmp/ib.json"
err_has 'network.ingress.rules[0].fqdn: invalid name "a_b.example.com"' "bad ingress fqdn located"
expect 2 "netwatch --grace out of range" netwatch -f "$tmp/if.json" --grace 4000
expect 2 "netwatch usage error with --json" --json netwatch -f "$tmp/if.json" --grace 4000
json_lines "netwatch usage error"
expect 3 "netwatch of a profile without fqdn rules" --json netwatch -f "$tmp/i.json"
json_lines "netwatch without fqdn rules"
expect 2 "monitor usage error with --json" --json monitor --count x
json_lines "monitor usage error"

# --- invalid input: exit 3, location named
printf '%s' '{"name":"x","exec":{"mode":"block","rules":["/a","/b",{"regx":"/c"}]}}' >"$tmp/k.json"
expect 3 "unknown pattern key" profile check -f "$tmp/k.json"
err_has 'exec.rules[2]: unknown key "regx"' "unknown key located"
printf '%s' '{"name":"x","exec":{"mode":"block","rules":["/a","/b","/c","/d",{"regex":"/opt/(a"}]}}' >"$tmp/r.json"
expect 3 "bad regex" profile check -f "$tmp/r.json"
err_has 'exec.rules[4]: regex error at byte 5: ' "regex error located with position"
printf '%s' '{"name":"x","exec":{"mode":"allow","allow":["/a"],"exclusions":["/b"]}}' >"$tmp/a.json"
expect 3 "exclusions with allow" profile check -f "$tmp/a.json"
err_has 'exec.exclusions: not allowed with mode "allow"' "exclusions with allow explained"
printf '{"name":' >"$tmp/t.json"
expect 3 "truncated JSON" profile check -f "$tmp/t.json"
err_has 'line 1' "JSON syntax error has a line"
expect 3 "invalid input with --json" --json profile check -f "$tmp/k.json"
json_ok "invalid input"
python3 -c 'import json,sys; e=json.load(open(sys.argv[1]))["error"]; sys.exit(0 if e["exit"]==3 and "regx" in e["message"] else 1)' "$tmp/out"
ok $? "invalid input JSON has exit 3 and the message"
expect 6 "missing profile file" profile check -f "$tmp/none.json"

# --- cgroup resolution happens before the kernel is asked
expect 6 "bind to a missing cgroup" bind kcs-no-such-cgroup-$$ --profile p --mode audit
expect 6 "binding add to a missing cgroup" binding add kcs-no-such-cgroup-$$ --profile p --mode audit
expect 3 "bind to a path outside cgroup2" bind /tmp --profile p --mode audit
err_has 'not under the cgroup2 mount' "outside cgroup2 explained"
expect 2 "learn without --duration" learn kcs-no-such-cgroup-$$
err_has 'kcsadm: learn: missing --duration SECONDS' "learn says what is missing"
expect 2 "learn --duration 0" learn --id 5 --duration 0
expect 2 "learn --json without -o FILE (both would go to stdout)" --json learn --id 5 --duration 1
expect 2 "learn with both CGROUP and --id" learn x --id 5 --duration 1
expect 2 "learn --name that is no profile name" learn --id 5 --duration 1 --name 'a b'
expect 6 "learn in a missing cgroup" learn kcs-no-such-cgroup-$$ --duration 1

# --- no module here: exit 5 with the suggestion
if $K status >/dev/null 2>&1; then
	echo "# kcs is loaded on this host: skipping the not-loaded checks"
else
	expect 5 "status without the module" status
	err_has 'kcsadm load' "status suggests kcsadm load"
	expect 5 "status --json without the module" --json status
	json_ok "status error"
	python3 -c 'import json,sys; e=json.load(open(sys.argv[1]))["error"]; sys.exit(0 if e["exit"]==5 and "kcsadm load" in e["message"] else 1)' "$tmp/out"
	ok $? "status JSON error has exit 5 and the suggestion"
	expect 5 "profile list without the module" profile list
	expect 5 "profile show without the module" profile show web
	expect 5 "profile show --resolve without the module" profile show web --resolve
	err_has 'kcsadm load' "show --resolve without the module suggests kcsadm load"
	expect 5 "profile delete without the module" profile delete web
	expect 5 "profile apply without the module" profile apply -f "$EX/web-block.json"
	expect 3 "apply of an invalid profile fails before the kernel" profile apply -f "$tmp/k.json"
	expect 5 "bindings without the module" bindings
	expect 5 "unbind --id without the module" unbind --id 12345
	expect 5 "binding list without the module" binding list
	expect 5 "binding delete --id without the module" binding delete --id 12345
	expect 5 "binding list --json without the module" binding list --json
	json_ok "binding list error"
	expect 5 "monitor without the module" monitor --timeout 1
	expect 5 "metrics without the module" metrics
	expect 5 "metrics --textfile without the module" metrics --textfile "$tmp"
	[ ! -e "$tmp/kcs.prom" ]
	ok $? "metrics wrote no kcs.prom without the module"
	expect 1 "monitor --output in a missing directory" monitor --output "$tmp/no/ev" --timeout 1
	err_has 'no/ev' "monitor names the --output it cannot open"
	expect 5 "monitor --json without the module" --json monitor --timeout 1
	json_lines "monitor error"
	# Whether the name resolves here or not (exit 5: applied without the
	# module; 1: no resolver), every line netwatch prints is JSON.
	RES_OPTIONS="timeout:1 attempts:1" $K --json netwatch --once -f "$tmp/if.json" \
		>"$tmp/out" 2>"$tmp/err"
	st=$?
	[ "$st" -eq 5 ] || [ "$st" -eq 1 ]
	ok $? "netwatch --once without the module fails (exit $st)"
	json_lines "netwatch --once --json"
	# Every command's failure here, with --json: one JSON document on stdout.
	for c in "status" "profile list" "profile show web" "profile delete web" \
		 "profile apply -f $EX/web-block.json" "binding list" \
		 "binding delete --id 5" "bindings" "unbind --id 5" \
		 "bind --id 5 --profile p --mode audit" "restore" \
		 "load --module $tmp/none.ko" "policy show none" \
		 "policy explain $tmp/none" "image delete none" \
		 "oci-hook poststop" "hook install --runtime lxc"; do
		# shellcheck disable=SC2086
		KCS_CONFDIR=$tmp/sweep KCS_RUNDIR=$tmp/sweeprun \
			$K --json $c </dev/null >"$tmp/out" 2>"$tmp/err"
		st=$?
		[ "$st" -ne 0 ]
		ok $? "--json $c fails (exit $st)"
		json_ok "--json $c"
	done
fi
expect 6 "load of a missing module file" load --module "$tmp/none.ko"

# --- runtime policies and registered images: files under KCS_CONFDIR only
KCS_CONFDIR="$tmp/conf"
export KCS_CONFDIR
PEX=$EX/policies/web-runtime.json
expect 0 "policy list with no policies" policy list
expect 0 "policy list --json with no policies" --json policy list
python3 -c 'import json,sys; sys.exit(0 if json.load(open(sys.argv[1]))=={"policies":[]} else 1)' "$tmp/out"
ok $? "empty policy list JSON"
expect 0 "policy apply the example" policy apply -f "$PEX"
grep -q '^policy web-runtime applied (enforce, enabled)$' "$tmp/out"
ok $? "policy apply says applied"
[ -f "$KCS_CONFDIR/policies/web-runtime.json" ]
ok $? "policy stored as policies/NAME.json"
expect 0 "policy apply again from stdin" --json policy apply -f - <"$PEX"
python3 -c 'import json,sys; j=json.load(open(sys.argv[1])); sys.exit(0 if j["replaced"] and j["mode"]=="enforce" and j["profiles"]==["web","net-egress","audit-only"] else 1)' "$tmp/out"
ok $? "policy apply JSON: replaced, mode, profiles"
printf '%s' '{"name":"web-runtime","mode":"audit","start_checks":{"volume_blocked":{}}}' >"$tmp/pbad.json"
expect 3 "invalid policy refused" policy apply -f "$tmp/pbad.json"
err_has 'start_checks: unknown key "volume_blocked"' "invalid policy located"
expect 0 "a refused policy left the stored one" --json policy show web-runtime
python3 -c 'import json,sys; j=json.load(open(sys.argv[1])); sys.exit(0 if j["mode"]=="enforce" and j["document"]["name"]=="web-runtime" else 1)' "$tmp/out"
ok $? "policy show JSON has the summary and the document"
ls "$KCS_CONFDIR/policies" | grep -q tmp
[ $? -ne 0 ]
ok $? "no temporary file left behind"
printf '%s' '{"name":"dev-audit","mode":"audit","enabled":false,"mappings":[{"selector":{"images":["*/*"]},"profiles":["audit-only"]}]}' >"$tmp/p2.json"
expect 0 "apply a second policy" policy apply -f "$tmp/p2.json"
expect 0 "policy list" policy list
sed -n 2p "$tmp/out" | grep -q '^dev-audit .*audit *no'
ok $? "policy list sorted by name, disabled shown"
expect 0 "policy show text" policy show web-runtime
grep -q '^checks: capabilities_block,privileges,volumes_blocked,registries_allowed$' "$tmp/out"
ok $? "policy show lists the enabled checks"
expect 2 "policy show without name" policy show
expect 2 "policy show with bad name" policy show "a/b"
expect 6 "policy show of a missing policy" policy show nope
expect 6 "policy delete of a missing policy" --json policy delete nope
json_ok "policy delete error"
expect 2 "policy apply without -f" policy apply
expect 6 "policy apply of a missing file" policy apply -f "$tmp/none.json"
expect 2 "unknown policy subcommand" policy frob

mkdir -p "$tmp/bundle"
cp tests/data/bundle/config.json "$tmp/bundle/"
expect 0 "policy explain a bundle" policy explain "$tmp/bundle"
grep -q '^start: deny' "$tmp/out"
ok $? "explain: the container would not start"
grep -q 'deny: capabilities_block: capability CAP_SYS_ADMIN (bounding, effective, permitted) is blocked by policy web-runtime' "$tmp/out"
ok $? "explain: capability reason"
grep -q 'deny: volumes_blocked: host path /var/run/docker.sock is mounted read-write' "$tmp/out"
ok $? "explain: volume reason"
grep -q '^  dev-audit .*skipped: disabled' "$tmp/out"
ok $? "explain: disabled policy skipped"
expect 0 "policy explain --json" --json policy explain "$tmp/bundle"
python3 -c 'import json,sys; j=json.load(open(sys.argv[1])); sys.exit(0 if j["start"]=="deny" and j["mode"]=="enforce" and [p["name"] for p in j["profiles"]]==["net-egress","web"] and j["container"]["image"]=="docker.io/library/nginx:1.25" and j["checks"]["registries_allowed"]=="pass" else 1)' "$tmp/out"
ok $? "explain JSON: verdict, mode, profiles, image, checks"
printf '%s' "{\"ociVersion\":\"1.0.2\",\"id\":\"c1\",\"pid\":1,\"bundle\":\"$tmp/bundle\",\"annotations\":{}}" >"$tmp/state.json"
expect 0 "policy explain --state" --json policy explain --state - <"$tmp/state.json"
python3 -c 'import json,sys; j=json.load(open(sys.argv[1])); sys.exit(0 if j["container"]["id"]=="c1" else 1)' "$tmp/out"
ok $? "explain --state: id and bundle from the state"
expect 0 "policy explain --image" --json policy explain "$tmp/bundle" --image quay.io/x/y:1
python3 -c 'import json,sys; j=json.load(open(sys.argv[1])); sys.exit(0 if j["checks"]["registries_allowed"]=="deny" and j["container"]["image_source"]=="--image" else 1)' "$tmp/out"
ok $? "explain --image: the registry check fails"
expect 3 "policy explain with a bad --image" policy explain "$tmp/bundle" --image 'Bad:x'
expect 2 "policy explain without bundle" policy explain
expect 6 "policy explain of a missing bundle" policy explain "$tmp/none"
printf '{' >"$tmp/bundle/config.json"
expect 3 "policy explain of a broken config.json" policy explain "$tmp/bundle"
err_has 'config.json: line' "broken config.json located"
expect 0 "policy delete" policy delete dev-audit
[ ! -e "$KCS_CONFDIR/policies/dev-audit.json" ]
ok $? "policy delete removed the file"
printf '%s' '{"name":"other","mode":"audit","start_checks":{"unregistered_images":{}}}' >"$KCS_CONFDIR/policies/wrong.json"
expect 3 "a stored policy under another name fails the list" policy list
err_has 'holds policy "other", not "wrong"' "misnamed policy file explained"
rm -f "$KCS_CONFDIR/policies/wrong.json"

expect 0 "image list, none registered" image list
[ ! -s "$tmp/out" ]
ok $? "image list prints nothing"
expect 0 "image register" image register ubuntu:focal
grep -q '^image docker.io/library/ubuntu:focal registered$' "$tmp/out"
ok $? "image register normalises"
expect 0 "image register again" --json image register docker.io/library/ubuntu:focal
python3 -c 'import json,sys; j=json.load(open(sys.argv[1])); sys.exit(0 if j=={"image":"docker.io/library/ubuntu:focal","added":False} else 1)' "$tmp/out"
ok $? "image register again: not added"
expect 0 "image register --digest" image register --digest sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef
expect 0 "image list --json" --json image list
python3 -c 'import json,sys; j=json.load(open(sys.argv[1])); sys.exit(0 if j["images"]==["docker.io/library/ubuntu:focal","sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"] else 1)' "$tmp/out"
ok $? "image list JSON sorted"
expect 3 "image register of an invalid reference" image register 'Ubuntu'
err_has 'must be lower case' "invalid reference explained"
expect 3 "image register of a bad digest" image register --digest sha256:abc
expect 2 "image register without REF" image register
expect 2 "image register with REF and --digest" image register a --digest sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef
expect 0 "image delete" image delete ubuntu:focal
expect 6 "image delete again" image delete ubuntu:focal
expect 0 "image delete --digest" --json image delete --digest sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef
json_ok "image delete"
printf 'not a reference!\n' >>"$KCS_CONFDIR/images"
expect 3 "a broken images file is refused" image list
err_has 'images:3:' "broken images line located"
unset KCS_CONFDIR

# --- sync, restore: running containers from fake runtime state roots
KCS_CONFDIR="$tmp/conf2" KCS_RUNDIR="$tmp/run"
export KCS_CONFDIR KCS_RUNDIR
mkdir -p "$tmp/state/crun" "$tmp/state/runc" "$tmp/run/containers" "$tmp/b"
cp -r tests/data/oci/crun/web1 "$tmp/state/crun/"
cp -r tests/data/oci/runc/db2 "$tmp/state/runc/"
cp tests/data/bundle/config.json "$tmp/b/"
echo 999999999 >"$tmp/run/containers/gone1"
printf 'garbage' >"$tmp/run/containers/bad"
expect 0 "sync: states whose init is not alive" sync --root "$tmp/state/crun" --root "$tmp/state/runc"
grep -q '^web1 crun not running$' "$tmp/out" && grep -q '^db2 runc not running$' "$tmp/out"
ok $? "sync: dead containers are not running, nothing bound"
grep -q '^gone1 - forgotten (its cgroup 999999999 is gone)$' "$tmp/out" && grep -q '^bad - forgotten' "$tmp/out"
ok $? "sync: stale entries forgotten"
[ -z "$(ls "$tmp/run/containers")" ]
ok $? "sync: their files are gone"
expect 0 "sync again" --json sync --root "$tmp/state/crun" --root "$tmp/state/runc"
python3 -c 'import json,sys; j=json.load(open(sys.argv[1])); sys.exit(0 if [(c["id"],c["runtime"],c["action"]) for c in j]==[("web1","crun","not running"),("db2","runc","not running")] else 1)' "$tmp/out"
ok $? "sync --json: an array, nothing left to forget"
# This shell as a running crun container (pid and start time match).
st=$(sed 's/.*) //' /proc/$$/stat | cut -d' ' -f20)
mkdir -p "$tmp/state/live/c1"
printf '{"pid":%d,"process-start-time":%s,"cgroup-path":"","rootfs":"rootfs","bundle":"%s","created":"x"}' \
	$$ "$st" "$tmp/b" >"$tmp/state/live/c1/status"
echo 999999998 >"$tmp/run/containers/c1"
expect 0 "sync: a live container without policies" --json sync --root "$tmp/state/live"
python3 -c 'import json,sys; j=json.load(open(sys.argv[1])); sys.exit(0 if [(c["id"],c["action"],c["pid"]) for c in j]==[("c1","not covered",int(sys.argv[2]))] else 1)' "$tmp/out" $$
ok $? "sync: not covered, with its pid"
[ -f "$tmp/run/containers/c1" ]
ok $? "sync: a running container's entry is kept"
printf '{"pid":%d,"process-start-time":%s,"bundle":"%s"}' $$ $((st + 1)) "$tmp/b" >"$tmp/state/live/c1/status"
expect 0 "sync: same pid, another start time" sync --root "$tmp/state/live"
grep -q '^c1 crun not running$' "$tmp/out"
ok $? "sync: a reused pid is not the container"
mkdir -p "$tmp/state/bad/x"
printf '{"pid":"1"}' >"$tmp/state/bad/x/status"
expect 3 "sync: an unreadable state fails (exit 3)" sync --root "$tmp/state/bad"
grep -q '^x crun failed: ".*pid: expected a pid"$' "$tmp/out"
ok $? "sync: the failure on the container's line"
err_has 'sync: 1 container failed' "sync: failures counted on stderr"
expect 0 "sync: a missing root is no container" --json sync --root "$tmp/none"
python3 -c 'import json,sys; sys.exit(0 if json.load(open(sys.argv[1]))==[] else 1)' "$tmp/out"
ok $? "sync: empty array"
expect 2 "sync with an operand" sync extra
expect 2 "sync --root without value" sync --root
if ! $K status >/dev/null 2>&1; then
	printf '%s' "{\"pid\":$$,\"process-start-time\":$st,\"bundle\":\"$tmp/b\"}" >"$tmp/state/live/c1/status"
	printf '%s' '{"name":"all-audit","mode":"audit","mappings":[{"selector":{"images":["*/*"]},"profiles":["audit-only"]}]}' >"$tmp/pa.json"
	expect 0 "a policy that covers it" policy apply -f "$tmp/pa.json"
	expect 5 "sync: a covered container without the module" sync --root "$tmp/state/live"
	grep -q '^c1 crun failed: .*kcsadm load' "$tmp/out"
	ok $? "sync: the failure says to load kcs"
	expect 5 "restore without the module" restore
	err_has 'kcsadm load' "restore without the module suggests kcsadm load"
	expect 5 "restore --json without the module" --json restore
	python3 -c 'import json,sys; sys.exit(0 if json.load(open(sys.argv[1]))["error"]["exit"]==5 else 1)' "$tmp/out"
	ok $? "restore JSON error has exit 5"
fi
expect 2 "restore with an operand" restore now
unset KCS_CONFDIR KCS_RUNDIR

# --- hook install / uninstall, into a scratch directory
H=$tmp/hooks.d
expect 0 "hook install --dry-run" hook install --runtime podman --dir "$H" --exe /usr/sbin/kcsadm --dry-run
[ ! -e "$H" ]
ok $? "dry run writes nothing"
grep -q "^$H/kcs-createRuntime.json would write$" "$tmp/out" && grep -q '"version": "1.0.0"' "$tmp/out"
ok $? "dry run shows path and content"
expect 0 "hook install podman" hook install --runtime podman --dir "$H" --exe /usr/sbin/kcsadm
python3 -c '
import json,sys
c=json.load(open(sys.argv[1]+"/kcs-createRuntime.json")); p=json.load(open(sys.argv[1]+"/kcs-poststop.json"))
ok=c=={"version":"1.0.0","hook":{"path":"/usr/sbin/kcsadm","args":["kcsadm","oci-hook","createRuntime"]},"when":{"always":True},"stages":["createRuntime"]}
ok=ok and p["hook"]["args"]==["kcsadm","oci-hook","poststop"] and p["stages"]==["poststop"]
sys.exit(0 if ok else 1)' "$H"
ok $? "hook install: the two oci-hooks 1.0.0 files"
grep -q '^next: ' "$tmp/out"
ok $? "hook install says what else the runtime needs"
expect 0 "hook install again" --json hook install --runtime crio --dir "$H" --exe /usr/sbin/kcsadm
python3 -c 'import json,sys; j=json.load(open(sys.argv[1])); sys.exit(0 if j["runtime"]=="crio" and [f["action"] for f in j["files"]]==["unchanged","unchanged"] else 1)' "$tmp/out"
ok $? "hook install again: unchanged (JSON)"
expect 0 "hook install --fail-open" hook install --runtime podman --dir "$H" --exe /usr/sbin/kcsadm --fail-open
grep -q '"--fail-open"' "$H/kcs-createRuntime.json"
ok $? "--fail-open reaches the hook's arguments"
printf '{"version":"1.0.0","hook":{"path":"/bin/true"},"when":{"always":true},"stages":["poststop"]}\n' >"$H/kcs-poststop.json"
expect 1 "hook install over another's file" hook install --runtime podman --dir "$H"
err_has 'not written by kcsadm' "another's file is named"
grep -q '"--fail-open"' "$H/kcs-createRuntime.json" && grep -q /bin/true "$H/kcs-poststop.json"
ok $? "nothing changed: all or nothing"
expect 1 "hook uninstall of another's file" hook uninstall --runtime podman --dir "$H"
[ -f "$H/kcs-createRuntime.json" ]
ok $? "uninstall refused changes nothing either"
expect 0 "hook install --force" hook install --runtime podman --dir "$H" --exe /usr/sbin/kcsadm --force
expect 2 "hook uninstall --exe: refused, not ignored" hook uninstall --runtime podman --dir "$H" --exe /x
err_has "unknown option '--exe'" "it names the option"
expect 0 "hook uninstall" hook uninstall --runtime podman --dir "$H"
[ -z "$(ls -A "$H")" ]
ok $? "hook uninstall removed both, no temporary file"
expect 0 "hook uninstall again" hook uninstall --runtime podman --dir "$H"
grep -q 'kcs-poststop.json absent$' "$tmp/out"
ok $? "uninstall of missing files: absent"
expect 0 "hook install containerd" hook install --runtime containerd --dir "$H" --exe /usr/sbin/kcsadm
python3 -c 'import json,sys; j=json.load(open(sys.argv[1])); sys.exit(0 if j["hooks"]["createRuntime"][0]["args"]==["kcsadm","oci-hook","createRuntime"] and j["root"]["path"]=="rootfs" else 1)' "$H/kcs-base-spec.json"
ok $? "containerd: a base runtime spec with the hooks"
expect 0 "hook install containerd --base" hook install --runtime containerd --dir "$H" --exe /usr/sbin/kcsadm --base tests/data/bundle/config.json
python3 -c 'import json,sys; j=json.load(open(sys.argv[1])); b=json.load(open("tests/data/bundle/config.json")); h=j.pop("hooks"); b.pop("hooks",None); sys.exit(0 if j==b and len(h["poststop"])==1 else 1)' "$H/kcs-base-spec.json"
ok $? "containerd --base: the base plus the hooks"
expect 2 "--base for another runtime" hook install --runtime docker --base tests/data/bundle/config.json
expect 0 "hook install docker --dry-run" hook install --runtime docker --exe /usr/local/sbin/kcsadm --dry-run
sed 1d "$tmp/out" | sed '$d' | cmp -s - ../contrib/docker/kcs-runc
ok $? "contrib/docker/kcs-runc is what hook install writes"
expect 2 "hook install without --runtime" hook install
expect 2 "hook install of an unknown runtime" hook install --runtime lxc
expect 2 "hook without subcommand" hook
expect 3 "hook install with a relative --exe" hook install --runtime podman --dir "$H" --exe kcsadm

# kcs-runc with a stand-in runc and kcsadm: admitted, refused, deleted
if command -v bash >/dev/null 2>&1; then
	mkdir -p "$tmp/w"
	cat >"$tmp/w/runc" <<'SH'
#!/bin/sh
echo "runc $*" >>"$W/log"
for a; do last=$a; done
case " $* " in
*" state "*) printf '{"ociVersion":"1.0.2","id":"%s","pid":42,"status":"created","bundle":"/b"}' "$last" ;;
esac
exit 0
SH
	cat >"$tmp/w/kcsadm" <<'SH'
#!/bin/sh
echo "kcsadm $* $(cat)" >>"$W/log"
[ "$2" = createRuntime ] && [ -e "$W/refuse" ] && { echo "kcsadm: container refused by kcs: test" >&2; exit 8; }
exit 0
SH
	chmod +x "$tmp/w/runc" "$tmp/w/kcsadm"
	W=$tmp/w KCS_RUNC=$tmp/w/runc
	export W KCS_RUNC
	expect 0 "kcs-runc: install for a test" hook install --runtime docker --dir "$tmp/w/bin" --exe "$tmp/w/kcsadm"
	"$tmp/w/bin/kcs-runc" --root /r --log /l create --bundle /b c1 >"$tmp/out" 2>"$tmp/err"
	ok $? "kcs-runc create: admitted"
	grep -q '^runc --root /r --log /l create --bundle /b c1$' "$tmp/w/log" &&
	grep -q '^runc --root /r --log /l state c1$' "$tmp/w/log" &&
	grep -q '^kcsadm oci-hook createRuntime {.*"id":"c1"' "$tmp/w/log"
	ok $? "kcs-runc create: runc create, then the state to oci-hook createRuntime"
	: >"$tmp/w/log" && touch "$tmp/w/refuse"
	"$tmp/w/bin/kcs-runc" --root /r create --bundle /b c2 >"$tmp/out" 2>"$tmp/err"
	[ $? -eq 1 ]
	ok $? "kcs-runc create: refused, exit 1"
	err_has 'kcs-runc: kcsadm: container refused by kcs: test' "kcs-runc relays the reason"
	grep -q '^runc --root /r delete --force c2$' "$tmp/w/log"
	ok $? "kcs-runc: a refused container is deleted"
	: >"$tmp/w/log"
	"$tmp/w/bin/kcs-runc" --root /r delete c3 >"$tmp/out" 2>"$tmp/err"
	ok $? "kcs-runc delete"
	sed -n 2p "$tmp/w/log" | grep -q '^runc --root /r delete c3$' &&
	grep -q '^kcsadm oci-hook poststop {.*"id":"c3"' "$tmp/w/log"
	ok $? "kcs-runc delete: runc delete, then oci-hook poststop"
	: >"$tmp/w/log"
	"$tmp/w/bin/kcs-runc" --root /r start c3 && [ "$(cat "$tmp/w/log")" = "runc --root /r start c3" ]
	ok $? "kcs-runc: other commands go to runc unchanged"
	unset W KCS_RUNC
fi

echo "1..$n"
[ "$failed" -eq 0 ]
