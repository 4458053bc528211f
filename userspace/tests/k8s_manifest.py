#!/usr/bin/env python3
# contrib/kubernetes/kcs-daemonset.yaml without a cluster: its objects and
# their structure, the node paths it mounts, every kcsadm command and
# option its scripts use (against kcsadm __complete, so a renamed option
# fails here), and its ConfigMaps: the examples/ files, valid per
# kcsadm profile check and policy apply. TAP. Run from userspace/.
import json
import os
import re
import shlex
import subprocess
import sys
import tempfile

try:
    import yaml
except ImportError:  # a failure, not a skip: install-deps.sh installs it
    print("not ok 1 - python3-yaml importable (scripts/install-deps.sh)")
    print("1..1")
    sys.exit(1)

K = os.environ.get("KCSADM", "./kcsadm")
# KCS_MANIFEST: another file (e.g. a broken copy, to see this test fail).
MANIFEST = os.environ.get("KCS_MANIFEST",
                          "../contrib/kubernetes/kcs-daemonset.yaml")
n = 0


def ok(cond, desc, why=""):
    global n
    n += 1
    print("%s %d - %s" % ("ok" if cond else "not ok", n, desc))
    if not cond and why:
        for line in str(why).splitlines():
            print("# " + line)
    return cond


def complete(words):
    r = subprocess.run([K, "__complete"] + words, capture_output=True,
                       text=True)
    return r.stdout.split()


def options(path):
    """Long options from __complete, short ones (-f) from --help."""
    r = subprocess.run([K] + path + ["--help"], capture_output=True,
                       text=True)
    return set(complete(path + ["-"])) | set(
        re.findall(r"(?<![\w-])(-\w)\b", r.stdout))


docs = list(yaml.safe_load_all(open(MANIFEST)))
kinds = sorted(d["kind"] for d in docs)
ok(kinds == ["ConfigMap", "ConfigMap", "DaemonSet", "Namespace",
             "ServiceAccount"], "objects: namespace, account, 2 config "
   "maps, daemonset", kinds)
ns = [d for d in docs if d["kind"] == "Namespace"][0]["metadata"]["name"]
ok(all(d["metadata"].get("namespace") == ns for d in docs
       if d["kind"] != "Namespace"), "everything in namespace " + ns)
byname = {(d["kind"], d["metadata"]["name"]): d for d in docs}
ds = [d for d in docs if d["kind"] == "DaemonSet"][0]
spec = ds["spec"]["template"]["spec"]
labels = ds["spec"]["template"]["metadata"]["labels"]
ok(all(labels.get(k) == v for k, v in
       ds["spec"]["selector"]["matchLabels"].items()),
   "the selector matches the pod template")
ok(("ServiceAccount", spec.get("serviceAccountName")) in byname,
   "the pod runs as the manifest's ServiceAccount")
# The family is in the initial netns only; sync reads /proc of containers.
ok(spec.get("hostNetwork") is True and spec.get("hostPID") is True,
   "hostNetwork and hostPID")
ok(spec.get("nodeSelector", {}).get("kubernetes.io/arch") == "amd64",
   "only amd64 nodes (dkms.conf's BUILD_EXCLUSIVE_ARCH)")

vols = {v["name"]: v for v in spec["volumes"]}
bad = [v["name"] for v in vols.values()
       if "configMap" in v and ("ConfigMap", v["configMap"]["name"])
       not in byname]
ok(not bad, "configMap volumes name the manifest's ConfigMaps", bad)


def host_mounts(c):
    """{mountPath: hostPath} of a container; unknown volumes fail."""
    out = {}
    for m in c.get("volumeMounts", []):
        v = vols.get(m["name"])
        if v is None:
            out[m["mountPath"]] = "UNDEFINED VOLUME " + m["name"]
        elif "hostPath" in v:
            out[m["mountPath"]] = v["hostPath"]["path"]
    return out


inits = spec.get("initContainers", [])
ok(len(inits) == 1 and inits[0]["securityContext"].get("privileged") is True,
   "one privileged init container (the driver loader)")
im = host_mounts(inits[0]) if inits else {}
want = {"/lib/modules": "/lib/modules", "/host/usr/src": "/usr/src",
        "/var/lib/dkms": "/var/lib/dkms"}
ok(all(im.get(k) == v for k, v in want.items()),
   "driver loader mounts the node's /lib/modules, /usr/src, /var/lib/dkms",
   im)
ctl = spec["containers"][0]
cm = host_mounts(ctl)
# Same paths inside and out: the hook runs on the host with what the
# controller wrote there.
want = ["/etc/kcs", "/opt/kcs", "/run", "/sys/fs/cgroup",
        "/etc/containers/oci/hooks.d", "/etc/containerd"]
ok(all(cm.get(p) == p for p in want),
   "controller mounts the node's " + " ".join(want), cm)
ok(not any(v.startswith("UNDEFINED") for v in list(im.values()) +
           list(cm.values())), "every volumeMount names a volume")
caps = ctl["securityContext"].get("capabilities", {}).get("add", [])
ok({"MAC_ADMIN", "NET_ADMIN"} <= set(caps),
   "controller has CAP_MAC_ADMIN and CAP_NET_ADMIN (kmod/netlink.c)", caps)
images = {c["image"] for c in inits + spec["containers"]}
ok(images == {"REGISTRY/kcs:VERSION"}, "one image, the documented "
   "placeholder", images)


def kcsadm_calls(script):
    """Argument lists of every kcsadm command line in a shell script."""
    calls = []
    for line in script.splitlines():
        line = line.split("#")[0] if line.lstrip().startswith("#") else line
        for m in re.finditer(r"(?:^|[\s;(])kcsadm((?:\s+[^\s;|&)<>]+)*)",
                             line):
            if "command -v kcsadm" in line:
                continue  # the binary's path, not a command
            try:
                calls.append(shlex.split(m.group(1)))
            except ValueError:
                calls.append(["UNPARSABLE", m.group(1)])
    return calls


calls = []
for c in inits + spec["containers"]:
    calls += kcsadm_calls("\n".join(c.get("args", [])))
used = {" ".join(a[:2]) for a in calls}
for need in ["load", "hook install", "restore", "monitor --json",
             "profile check", "policy apply"]:
    ok(any(u.startswith(need) for u in used), "manifest runs kcsadm " + need,
       sorted(used))
for args in calls:
    path, bad = [], []
    for a in args:
        if a.startswith("-"):
            if a.split("=")[0] not in options(path):
                bad.append(a)
        elif not bad and a in complete(path) and not a.startswith("$"):
            path.append(a)
    ok(path and not bad, "kcsadm %s: command and options exist"
       % " ".join(args), "unknown: %s (command %s)" % (bad, path))

tmp = tempfile.mkdtemp(prefix="kcs-k8s.")
examples = {os.path.basename(p): p for p in
            [os.path.join("../examples", f) for f in os.listdir("../examples")]
            + [os.path.join("../examples/policies", f)
               for f in os.listdir("../examples/policies")]
            if p.endswith(".json")}
for cmname, args in (("kcs-profiles", ["profile", "check", "-f"]),
                     ("kcs-policies", ["policy", "apply", "-f"])):
    data = byname[("ConfigMap", cmname)]["data"]
    for key, text in sorted(data.items()):
        f = os.path.join(tmp, key)
        with open(f, "w") as fh:
            fh.write(text)
        env = dict(os.environ, KCS_CONFDIR=os.path.join(tmp, "conf"))
        r = subprocess.run([K] + args + [f], capture_output=True, text=True,
                           env=env)
        ok(r.returncode == 0, "%s %s: kcsadm %s" % (cmname, key,
                                                     " ".join(args[:2])),
           r.stdout + r.stderr)
        obj = json.loads(text)
        if cmname == "kcs-profiles":
            ok(key == obj.get("name") + ".json",
               "%s %s holds profile %s" % (cmname, key, obj.get("name")))
        same = [p for p in examples.values()
                if json.load(open(p)) == obj]
        ok(bool(same), "%s %s is an examples/ file" % (cmname, key))
subprocess.run(["rm", "-rf", tmp])
print("1..%d" % n)
