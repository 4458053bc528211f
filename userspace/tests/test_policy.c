// SPDX-License-Identifier: GPL-2.0
/*
 * Runtime policies: parse errors name the JSON location; container facts
 * from config.json and the hook state; how policies combine (audit plus
 * enforce is enforce, profile unions, exclusions win, disabled policies
 * are ignored) and each start check's verdict on crafted config.json.
 * Run from userspace/ (reads ../examples/policies).
 */
#include <stdlib.h>
#include <string.h>

#include "container_spec.h"
#include "policy_eval.h"
#include "policy_store.h"
#include "readfile.h"
#include "tap.h"

#define D64 "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"
#define P(body) "{\"name\":\"p\",\"mode\":\"audit\"," body "}"
#define CHK(body) P("\"start_checks\":{" body "}")
#define MAP "\"mappings\":[{\"selector\":{\"images\":[\"*\"]},\"profiles\":[\"x\"]}]"

static const struct { const char *json, *want; } bad[] = {
	{ "", "line 1" },
	{ "[]", "(top level): expected an object, got an array" },
	{ "{\"mode\":\"audit\"}", "(top level): missing key \"name\"" },
	{ "{\"name\":\"a b\",\"mode\":\"audit\"}", "name: \"a b\" is not a valid policy name" },
	{ "{\"name\":\"p\"," MAP "}", "missing key \"mode\"" },
	{ "{\"name\":\"p\",\"mode\":\"block\"," MAP "}", "mode: unknown mode \"block\"" },
	{ "{\"name\":\"p\",\"mode\":\"audit\"}", "needs \"mappings\" or \"start_checks\"" },
	{ P(MAP ",\"enabld\":true"), "(top level): unknown key \"enabld\"" },
	{ P(MAP ",\"enabled\":1"), "(top level).enabled: expected a boolean, got an integer" },
	{ P(MAP ",\"mode\":\"audit\""), "duplicate object key" },
	{ P(MAP ",\"scope\":[]"), "scope: must hold at least one entry" },
	{ P(MAP ",\"scope\":[{}]"), "scope[0]: empty selector" },
	{ P(MAP ",\"scope\":[{\"label\":{}}]"), "scope[0]: unknown key \"label\"" },
	{ P(MAP ",\"scope\":[{\"labels\":{\"a\":1}}]"), "scope[0].labels.a: expected a string, got an integer" },
	{ P(MAP ",\"exclusions\":[{\"images\":[\"Bad\"]}]"), "exclusions[0].images[0]: image template \"Bad\"" },
	{ P(MAP ",\"exclusions\":[{\"namespaces\":[\"\"]}]"), "exclusions[0].namespaces[0]: empty string" },
	{ P("\"mappings\":[{\"selector\":{\"images\":[\"*\"]}}]"), "mappings[0]: missing key \"profiles\"" },
	{ P("\"mappings\":[{\"profiles\":[\"x\"]}]"), "mappings[0]: missing key \"selector\"" },
	{ P("\"mappings\":[{\"selector\":{\"images\":[\"*\"]},\"profiles\":[\"x\",\"x\"]}]"),
	  "mappings[0].profiles[1]: profile \"x\" listed twice" },
	{ P("\"mappings\":[{\"selector\":{\"images\":[\"*\"]},\"profiles\":[\"a/b\"]}]"),
	  "mappings[0].profiles[0]: \"a/b\" is not a valid profile name" },
	{ P("\"mappings\":[{\"selector\":{\"images\":\"*\"},\"profiles\":[\"x\"]}]"),
	  "mappings[0].selector.images: expected an array, got a string" },
	{ CHK(""), "start_checks: empty" },
	{ CHK("\"volume_blocked\":{}"), "start_checks: unknown key \"volume_blocked\"" },
	{ CHK("\"capabilities_block\":{}"), "start_checks.capabilities_block: missing key \"capabilities\"" },
	{ CHK("\"capabilities_block\":{\"capabilities\":[\"CAP_FLY\"]}"),
	  "start_checks.capabilities_block.capabilities[0]: unknown capability \"CAP_FLY\"" },
	{ CHK("\"capabilities_block\":{\"capabilities\":[\"SYS_ADMIN\",\"cap_sys_admin\"]}"),
	  "capabilities[1]: CAP_SYS_ADMIN listed twice" },
	{ CHK("\"capabilities_block\":{\"capabilities\":\"all\"}"), "or \"ALL\", got \"all\"" },
	{ CHK("\"capabilities_block\":{\"capabilities\":[\"ALL\"]}"), "\"ALL\" must be the whole value" },
	{ CHK("\"privileges\":{\"enabled\":true}"), "start_checks.privileges: no condition is true" },
	{ CHK("\"privileges\":{\"host_pid\":\"yes\"}"), "start_checks.privileges.host_pid: expected a boolean" },
	{ CHK("\"privileges\":{\"host_uts\":true}"), "start_checks.privileges: unknown key \"host_uts\"" },
	{ CHK("\"volumes_blocked\":{\"paths\":[\"var/run\"]}"),
	  "start_checks.volumes_blocked.paths[0]: \"var/run\" is not an absolute path" },
	{ CHK("\"volumes_blocked\":{\"paths\":[\"/var/../etc\"]}"), "\"..\" is not allowed" },
	{ CHK("\"volumes_blocked\":{\"paths\":[\"/var/run/\",\"/var//run\"]}"),
	  "paths[1]: \"/var/run\" listed twice" },
	{ CHK("\"volumes_blocked\":{\"enabled\":false,\"paths\":[]}"),
	  "volumes_blocked.paths: must hold at least one entry" },
	{ CHK("\"registries_allowed\":{\"registries\":[\"quay.io/x\"]}"),
	  "registries[0]: registry \"quay.io/x\": a registry is host[:port], without a path" },
	{ CHK("\"registries_allowed\":{\"registries\":[\"docker.io\",\"index.docker.io\"]}"),
	  "registries[1]: \"docker.io\" listed twice" },
	{ CHK("\"unregistered_images\":{\"images\":[]}"), "start_checks.unregistered_images: unknown key \"images\"" },
	{ CHK("\"unregistered_images\":true"), "start_checks.unregistered_images: expected an object" },
};

static void test_bad(void)
{
	struct kcs_policy pol;
	struct kcs_err err;
	size_t i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		err.msg[0] = '\0';
		tap_ok(kcs_policy_parse(bad[i].json, strlen(bad[i].json), "t.json",
					&pol, &err) == -1 && err.code == KCS_EXIT_INVALID,
		       "invalid policy #%zu refused with exit 3", i);
		tap_has(err.msg, bad[i].want, "invalid policy #%zu names the problem", i);
		tap_ok(!strncmp(err.msg, "t.json: ", 8), "invalid policy #%zu names the input", i);
	}
}

static void test_example(void)
{
	struct kcs_policy pol;
	struct kcs_err err;
	size_t len;
	char *buf;

	buf = kcs_read_file("../examples/policies/web-runtime.json", 1 << 20, &len, &err);
	if (!tap_ok(buf != NULL, "read the example policy"))
		return;
	if (!tap_ok(!kcs_policy_parse(buf, len, "example", &pol, &err), "example is valid"))
		tap_diag("%s", err.msg);
	else {
		tap_ok(pol.mode == KCS_MODE_ENFORCE && pol.enabled && pol.nscope == 2 &&
		       pol.nexclusions == 2 && pol.nmappings == 2, "example: fields");
		tap_ok(pol.checks.enabled == ((1U << KCS_CHECK_COUNT) - 1 -
					      (1U << KCS_CHECK_UNREGISTERED)) &&
		       pol.checks.present == (1U << KCS_CHECK_COUNT) - 1,
		       "example: a present but disabled check");
		tap_ok(pol.checks.caps == ((1ULL << 21) | (1ULL << 16) | (1ULL << 19) | (1ULL << 13)),
		       "example: capabilities with and without CAP_");
		kcs_policy_free(&pol);
	}
	free(buf);
}

/* ---- facts ---- */

static int facts(const char *cfg, const char *state, struct kcs_container *c)
{
	struct kcs_err err;

	if (kcs_container_parse(cfg, strlen(cfg), state, state ? strlen(state) : 0,
				"/b", c, &err)) {
		tap_diag("%s", err.msg);
		return -1;
	}
	return 0;
}

static void test_facts(void)
{
	struct kcs_container c;
	struct kcs_err err;
	const char *cfg =
		"{\"process\":{\"user\":{\"uid\":0},\"capabilities\":{\"bounding\":[\"CAP_KILL\",\"CAP_NEW_ONE\"],"
		"\"ambient\":[\"CAP_NET_RAW\"]}},"
		"\"mounts\":[{\"destination\":\"/x\",\"source\":\"/srv/a/../b/./c/\",\"options\":[\"rbind\",\"ro\",\"rw\"]},"
		"{\"destination\":\"/y\",\"source\":\"data\",\"type\":\"bind\",\"options\":[\"ro\"]},"
		"{\"destination\":\"/etc/hosts\",\"source\":\"/var/lib/docker/containers/id/hosts\",\"type\":\"bind\"}],"
		"\"annotations\":{\"io.kubernetes.cri-o.ImageName\":\"quay.io/a/b:1\",\"io.kcs.image\":\"evil.io/x\","
		"\"io.kubernetes.pod.namespace\":\"ns1\",\"io.kubernetes.cri-o.Labels\":\"{\\\"app\\\":\\\"web\\\"}\","
		"\"io.kcs.label.team\":\"blue\"},"
		"\"linux\":{\"namespaces\":[{\"type\":\"pid\"},{\"type\":\"network\",\"path\":\"/proc/1/ns/net\"},"
		"{\"type\":\"ipc\",\"path\":\"/run/netns/x\"},{\"type\":\"user\"}],"
		"\"uidMappings\":[{\"containerID\":0,\"hostID\":100000,\"size\":65536}]}}";
	const char *state = "{\"ociVersion\":\"1.0.2\",\"id\":\"c1\",\"status\":\"creating\",\"pid\":42,"
			    "\"bundle\":\"/ignored\",\"annotations\":{\"io.kubernetes.pod.name\":\"pod-a\"}}";

	if (!tap_ok(!facts(cfg, state, &c), "facts: config and state parse"))
		return;
	tap_is_str(c.id, "c1", "facts: id from the state");
	tap_ok(c.pid == 42, "facts: pid from the state");
	tap_is_str(c.bundle, "/b", "facts: the bundle given wins over the state's");
	tap_is_str(c.ref.full, "quay.io/a/b:1", "facts: the runtime's image annotation wins over io.kcs.image");
	tap_is_str(c.image_source, "io.kubernetes.cri-o.ImageName", "facts: image source");
	tap_is_str(c.k8s_namespace, "ns1", "facts: namespace");
	tap_is_str(c.pod_name, "pod-a", "facts: pod name from the state's annotations");
	tap_ok(c.nlabels == 2 && !strcmp(c.labels[0].key, "app") && !strcmp(c.labels[1].key, "team"),
	       "facts: CRI-O labels and io.kcs.label.*");
	tap_ok(c.caps[KCS_CAPSET_BOUNDING] == (1ULL << 5) &&
	       c.caps[KCS_CAPSET_AMBIENT] == (1ULL << 13) &&
	       c.caps_unknown == 1U << KCS_CAPSET_BOUNDING, "facts: capability sets, unknown names kept");
	tap_ok(c.ns_host == ((1U << KCS_NS_NETWORK) | (1U << KCS_NS_UTS) | (1U << KCS_NS_MOUNT) |
			     (1U << KCS_NS_CGROUP)), "facts: absent or init's namespaces are the host's");
	tap_ok(c.ns_joined == 1U << KCS_NS_IPC, "facts: a joined namespace");
	tap_ok(c.uid == 0 && c.host_uid == 100000, "facts: uid 0 mapped to 100000");
	tap_ok(c.nmounts == 3 && c.mounts[0].bind && !c.mounts[0].ro, "facts: rbind, the last of ro/rw");
	tap_is_str(c.mounts[0].source, "/srv/b/c", "facts: source made canonical");
	tap_is_str(c.mounts[1].source, "/b/data", "facts: relative bind source is the bundle's");
	tap_ok(c.mounts[1].runtime_managed && c.mounts[2].runtime_managed && !c.mounts[0].runtime_managed,
	       "facts: the runtime's own files");
	tap_ok(!c.privileged && !c.no_new_privs, "facts: not privileged, no no_new_privs");
	kcs_container_free(&c);

	tap_ok(kcs_container_parse("{\"mounts\":[{\"source\":\"/x\"}]}", 28, NULL, 0, "/b", &c, &err) == -1,
	       "facts: a mount without destination is refused");
	tap_has(err.msg, "config.json: mounts[0]: missing key \"destination\"", "facts: located");
	tap_ok(kcs_container_parse("{\"process\":{\"capabilities\":{\"bounding\":[1]}}}", 45, NULL, 0, "/b", &c, &err) == -1,
	       "facts: a non-string capability is refused");
	tap_has(err.msg, "process.capabilities.bounding[0]", "facts: capability located");
	tap_ok(kcs_container_parse("{\"linux\":{\"namespaces\":{}}}", 27, NULL, 0, "/b", &c, &err) == -1,
	       "facts: namespaces must be an array");
	tap_ok(kcs_container_parse("{}", 2, "{\"pid\":-1}", 10, NULL, &c, &err) == -1,
	       "facts: a negative pid in the state is refused");
	tap_ok(!kcs_container_parse("{}", 2, NULL, 0, NULL, &c, &err) && !c.image &&
	       c.ns_host == (1U << KCS_NS_COUNT) - 1 && c.host_uid == 0,
	       "facts: an empty config is root in every host namespace");
	kcs_container_free(&c);
}

/* ---- combination ---- */

struct set {
	struct kcs_policy v[8];
	size_t n;
};

static void add(struct set *s, const char *json)
{
	struct kcs_err err;

	if (kcs_policy_parse(json, strlen(json), "t", &s->v[s->n], &err))
		tap_diag("policy did not parse: %s", err.msg);
	else
		s->n++;
}

static void set_free(struct set *s)
{
	size_t i;

	for (i = 0; i < s->n; i++)
		kcs_policy_free(&s->v[i]);
	s->n = 0;
}

static const char *web_cfg =
	"{\"process\":{\"user\":{\"uid\":1000},\"noNewPrivileges\":true},"
	"\"annotations\":{\"io.kubernetes.cri.image-name\":\"nginx:1.25\","
	"\"io.kubernetes.cri.sandbox-namespace\":\"prod\",\"io.kcs.label.app\":\"web\","
	"\"io.kcs.label.tier\":\"front\"},"
	"\"linux\":{\"namespaces\":[{\"type\":\"pid\"},{\"type\":\"network\"},{\"type\":\"ipc\"},"
	"{\"type\":\"mount\"}]}}";

static void test_combine(void)
{
	struct kcs_container c;
	struct kcs_eval ev;
	struct kcs_err err;
	struct set s = { 0 };

	if (!tap_ok(!facts(web_cfg, NULL, &c), "combine: facts"))
		return;
	add(&s, "{\"name\":\"zeta\",\"mode\":\"audit\",\"mappings\":["
		"{\"selector\":{\"labels\":{\"app\":\"web\"}},\"profiles\":[\"web\",\"common\"]},"
		"{\"selector\":{\"labels\":{\"app\":\"web\",\"tier\":\"back\"}},\"profiles\":[\"never\"]}]}");
	add(&s, "{\"name\":\"alpha\",\"mode\":\"enforce\",\"scope\":[{\"namespaces\":[\"prod*\"]}],"
		"\"mappings\":[{\"selector\":{\"images\":[\"nginx:*\"]},\"profiles\":[\"common\"]},"
		"{\"selector\":{\"images\":[\"redis\"]},\"profiles\":[\"redis\"]}]}");
	add(&s, "{\"name\":\"off\",\"enabled\":false,\"mode\":\"enforce\",\"mappings\":["
		"{\"selector\":{\"images\":[\"*\"]},\"profiles\":[\"disabled\"]}]}");
	add(&s, "{\"name\":\"mid\",\"mode\":\"enforce\",\"exclusions\":[{\"annotations\":"
		"{\"io.kcs.label.app\":\"web\"}}],\"mappings\":[{\"selector\":{\"images\":[\"*\"]},"
		"\"profiles\":[\"excluded\"]}]}");
	add(&s, "{\"name\":\"other-ns\",\"mode\":\"enforce\",\"scope\":[{\"namespaces\":[\"dev\"]}],"
		"\"mappings\":[{\"selector\":{\"images\":[\"*\"]},\"profiles\":[\"dev\"]}]}");
	if (!tap_ok(s.n == 5, "combine: five policies") ||
	    !tap_ok(!kcs_policy_eval(s.v, s.n, &c, NULL, &ev, &err), "combine: evaluated")) {
		set_free(&s);
		kcs_container_free(&c);
		return;
	}
	tap_ok(ev.npolicies == 5 && !strcmp(ev.policies[0].policy->name, "alpha") &&
	       !strcmp(ev.policies[4].policy->name, "zeta"), "combine: policies by name");
	tap_ok(ev.policies[0].applies && ev.policies[4].applies, "combine: alpha and zeta apply");
	tap_has(ev.policies[0].why, "scope[0] matches", "combine: why alpha applies");
	tap_ok(!ev.policies[1].applies, "combine: exclusions win over the scope");
	tap_has(ev.policies[1].why, "excluded by exclusions[0]", "combine: why mid does not apply");
	tap_ok(!ev.policies[2].applies, "combine: a disabled policy is ignored");
	tap_is_str(ev.policies[2].why, "disabled", "combine: says disabled");
	tap_ok(!ev.policies[3].applies, "combine: out of scope");
	if (tap_ok(ev.nprofiles == 2, "combine: union of profiles, each once")) {
		tap_is_str(ev.profiles[0].name, "common", "combine: profiles by name (common)");
		tap_is_str(ev.profiles[1].name, "web", "combine: profiles by name (web)");
		tap_ok(ev.profiles[0].mode == KCS_MODE_ENFORCE,
		       "combine: audit plus enforce is enforce for a shared profile");
		tap_ok(ev.profiles[1].mode == KCS_MODE_AUDIT, "combine: web stays audit");
		tap_is_str(ev.profiles[0].from, "alpha mappings[0], zeta mappings[0]",
			   "combine: where each profile comes from");
	}
	tap_ok(ev.mode == KCS_MODE_ENFORCE, "combine: the effective mode is enforce");
	tap_ok(ev.start == KCS_START_UNCHECKED && !ev.nfindings, "combine: no start checks");
	kcs_eval_free(&ev);
	set_free(&s);

	/* A mapping with a label the container lacks selects nothing; an
	 * unknown image matches no template. */
	add(&s, "{\"name\":\"a\",\"mode\":\"audit\",\"mappings\":[{\"selector\":{\"labels\":"
		"{\"app\":\"web\",\"tier\":\"back\"}},\"profiles\":[\"x\"]}]}");
	kcs_policy_eval(s.v, s.n, &c, NULL, &ev, &err);
	tap_ok(ev.nprofiles == 0 && ev.mode == KCS_MODE_NONE, "combine: every pair must match");
	kcs_eval_free(&ev);
	set_free(&s);
	kcs_container_free(&c);

	tap_ok(!facts("{}", NULL, &c), "combine: a container without image");
	add(&s, "{\"name\":\"a\",\"mode\":\"audit\",\"mappings\":[{\"selector\":{\"images\":[\"*/*\"]},"
		"\"profiles\":[\"x\"]}]}");
	kcs_policy_eval(s.v, s.n, &c, NULL, &ev, &err);
	tap_ok(ev.nprofiles == 0, "combine: an unknown image matches no template, not even */*");
	kcs_eval_free(&ev);
	tap_ok(!kcs_policy_eval(NULL, 0, &c, NULL, &ev, &err) && !ev.npolicies &&
	       ev.start == KCS_START_UNCHECKED, "combine: no policies at all");
	kcs_eval_free(&ev);
	set_free(&s);
	kcs_container_free(&c);
}

/* ---- start checks ---- */

struct verdict {
	enum kcs_start start;
	size_t nfindings;
	char first[512];
};

/* Evaluate @policy on @cfg; the check's verdict and first reason. */
static struct verdict judge(const char *policy, const char *cfg,
			    enum kcs_check check, char **reg, size_t nreg)
{
	struct kcs_eval_opts o = { .registered = reg, .nregistered = nreg };
	struct verdict v = { .start = -1 };
	struct kcs_container c;
	struct kcs_eval ev;
	struct kcs_err err;
	struct set s = { 0 };
	size_t i;

	add(&s, policy);
	if (s.n != 1 || facts(cfg, NULL, &c)) {
		set_free(&s);
		return v;
	}
	if (!kcs_policy_eval(s.v, s.n, &c, &o, &ev, &err)) {
		v.start = ev.checks[check];
		for (i = 0; i < ev.nfindings; i++)
			if (ev.findings[i].check == check && !v.nfindings++)
				snprintf(v.first, sizeof(v.first), "%s", ev.findings[i].reason);
		kcs_eval_free(&ev);
	}
	kcs_container_free(&c);
	set_free(&s);
	return v;
}

#define ENF(checks) "{\"name\":\"P\",\"mode\":\"enforce\",\"start_checks\":{" checks "}}"
#define AUD(checks) "{\"name\":\"P\",\"mode\":\"audit\",\"start_checks\":{" checks "}}"
#define CFG(body) "{\"process\":{\"user\":{\"uid\":1000},\"noNewPrivileges\":true},"	\
	"\"linux\":{\"namespaces\":[{\"type\":\"pid\"},{\"type\":\"network\"},{\"type\":\"ipc\"},"	\
	"{\"type\":\"mount\"}],\"seccomp\":{},\"maskedPaths\":[\"/proc/kcore\"]}" body "}"
#define CAPS(list) ",\"process\":{\"user\":{\"uid\":1000},\"noNewPrivileges\":true,"	\
	"\"capabilities\":{\"bounding\":[" list "],\"effective\":[" list "]}}"
#define MOUNT(src, opts) "{\"destination\":\"/m\",\"source\":\"" src "\",\"type\":\"bind\",\"options\":[" opts "]}"
#define IMG(ref) ",\"annotations\":{\"io.kcs.image\":\"" ref "\"}"
#define ALLCAPS "\"CAP_CHOWN\",\"CAP_DAC_OVERRIDE\",\"CAP_DAC_READ_SEARCH\",\"CAP_FOWNER\",\"CAP_FSETID\","	\
	"\"CAP_KILL\",\"CAP_SETGID\",\"CAP_SETUID\",\"CAP_SETPCAP\",\"CAP_LINUX_IMMUTABLE\",\"CAP_NET_BIND_SERVICE\","	\
	"\"CAP_NET_BROADCAST\",\"CAP_NET_ADMIN\",\"CAP_NET_RAW\",\"CAP_IPC_LOCK\",\"CAP_IPC_OWNER\",\"CAP_SYS_MODULE\","	\
	"\"CAP_SYS_RAWIO\",\"CAP_SYS_CHROOT\",\"CAP_SYS_PTRACE\",\"CAP_SYS_PACCT\",\"CAP_SYS_ADMIN\",\"CAP_SYS_BOOT\","	\
	"\"CAP_SYS_NICE\",\"CAP_SYS_RESOURCE\",\"CAP_SYS_TIME\",\"CAP_SYS_TTY_CONFIG\",\"CAP_MKNOD\",\"CAP_LEASE\","	\
	"\"CAP_AUDIT_WRITE\",\"CAP_AUDIT_CONTROL\",\"CAP_SETFCAP\",\"CAP_MAC_OVERRIDE\",\"CAP_MAC_ADMIN\",\"CAP_SYSLOG\","	\
	"\"CAP_WAKE_ALARM\",\"CAP_BLOCK_SUSPEND\",\"CAP_AUDIT_READ\""

static const struct {
	const char *name, *policy, *cfg;
	enum kcs_check check;
	enum kcs_start want;
	const char *reason;
} checks[] = {
	{ "caps: blocked one held", ENF("\"capabilities_block\":{\"capabilities\":[\"SYS_ADMIN\"]}"),
	  "{\"ociVersion\":\"1.0.2\"" CAPS("\"CAP_CHOWN\",\"CAP_SYS_ADMIN\"") "}", KCS_CHECK_CAPABILITIES, KCS_START_DENY,
	  "capability CAP_SYS_ADMIN (bounding, effective) is blocked by policy P" },
	{ "caps: audit mode", AUD("\"capabilities_block\":{\"capabilities\":[\"SYS_ADMIN\"]}"),
	  "{\"ociVersion\":\"1.0.2\"" CAPS("\"CAP_SYS_ADMIN\"") "}", KCS_CHECK_CAPABILITIES, KCS_START_AUDIT, "CAP_SYS_ADMIN" },
	{ "caps: not held", ENF("\"capabilities_block\":{\"capabilities\":[\"SYS_ADMIN\"]}"),
	  "{\"ociVersion\":\"1.0.2\"" CAPS("\"CAP_CHOWN\"") "}", KCS_CHECK_CAPABILITIES, KCS_START_PASS, NULL },
	{ "caps: disabled check", ENF("\"capabilities_block\":{\"enabled\":false,\"capabilities\":[\"SYS_ADMIN\"]}"),
	  "{\"ociVersion\":\"1.0.2\"" CAPS("\"CAP_SYS_ADMIN\"") "}", KCS_CHECK_CAPABILITIES, KCS_START_UNCHECKED, NULL },
	{ "caps: ALL with some held", ENF("\"capabilities_block\":{\"capabilities\":\"ALL\"}"),
	  "{\"ociVersion\":\"1.0.2\"" CAPS("\"CAP_KILL\",\"CAP_CHOWN\"") "}", KCS_CHECK_CAPABILITIES, KCS_START_DENY,
	  "capabilities CAP_CHOWN, CAP_KILL are held; policy P blocks ALL" },
	{ "caps: ALL with none", ENF("\"capabilities_block\":{\"capabilities\":\"ALL\"}"),
	  "{\"ociVersion\":\"1.0.2\"" CAPS("") "}", KCS_CHECK_CAPABILITIES, KCS_START_PASS, NULL },
	{ "priv: privileged", ENF("\"privileges\":{\"privileged\":true}"),
	  "{\"ociVersion\":\"1.0.2\"" CAPS(ALLCAPS) "}", KCS_CHECK_PRIVILEGES, KCS_START_DENY,
	  "container is privileged (every capability, no seccomp filter)" },
	{ "priv: all caps but seccomp and masked paths", ENF("\"privileges\":{\"privileged\":true}"),
	  CFG(CAPS(ALLCAPS)), KCS_CHECK_PRIVILEGES, KCS_START_PASS, NULL },
	{ "priv: host pid", ENF("\"privileges\":{\"host_pid\":true}"),
	  "{\"linux\":{\"namespaces\":[{\"type\":\"network\"}]}}", KCS_CHECK_PRIVILEGES, KCS_START_DENY,
	  "container shares the host's PID namespace" },
	{ "priv: host net", ENF("\"privileges\":{\"host_net\":true}"),
	  "{\"linux\":{\"namespaces\":[{\"type\":\"pid\"}]}}", KCS_CHECK_PRIVILEGES, KCS_START_DENY,
	  "host's network namespace" },
	{ "priv: host ipc via init's", ENF("\"privileges\":{\"host_ipc\":true}"),
	  "{\"linux\":{\"namespaces\":[{\"type\":\"ipc\",\"path\":\"/proc/1/ns/ipc\"}]}}",
	  KCS_CHECK_PRIVILEGES, KCS_START_DENY, "host's IPC namespace" },
	{ "priv: own namespaces", ENF("\"privileges\":{\"host_pid\":true,\"host_net\":true,\"host_ipc\":true}"),
	  CFG(""), KCS_CHECK_PRIVILEGES, KCS_START_PASS, NULL },
	{ "priv: no_new_privs", ENF("\"privileges\":{\"no_new_privs\":true}"),
	  "{\"process\":{\"noNewPrivileges\":false}}", KCS_CHECK_PRIVILEGES, KCS_START_DENY,
	  "process.noNewPrivileges is not set" },
	{ "priv: writable host mount", ENF("\"privileges\":{\"writable_host_mounts\":true}"),
	  CFG(",\"mounts\":[" MOUNT("/srv/x", "\"rbind\"") "]"), KCS_CHECK_PRIVILEGES, KCS_START_DENY,
	  "host path /srv/x is mounted read-write at /m, blocked by policy P" },
	{ "priv: read-only host mount", ENF("\"privileges\":{\"writable_host_mounts\":true}"),
	  CFG(",\"mounts\":[" MOUNT("/srv/x", "\"rbind\",\"ro\"") "]"), KCS_CHECK_PRIVILEGES, KCS_START_PASS, NULL },
	{ "priv: the runtime's own files", ENF("\"privileges\":{\"writable_host_mounts\":true}"),
	  CFG(",\"mounts\":[" MOUNT("/var/lib/docker/containers/abc/hosts", "\"rbind\"") "]"),
	  KCS_CHECK_PRIVILEGES, KCS_START_PASS, NULL },
	{ "priv: all of docker's containers is not the runtime's own file",
	  ENF("\"privileges\":{\"writable_host_mounts\":true}"),
	  CFG(",\"mounts\":[" MOUNT("/var/lib/docker/containers", "\"rbind\"") "]"),
	  KCS_CHECK_PRIVILEGES, KCS_START_DENY, "/var/lib/docker/containers" },
	{ "priv: root", ENF("\"privileges\":{\"root_user\":true}"),
	  "{\"process\":{\"user\":{\"uid\":0}}}", KCS_CHECK_PRIVILEGES, KCS_START_DENY,
	  "process runs as root (uid 0, no user namespace)" },
	{ "priv: root mapped to an unprivileged host uid", ENF("\"privileges\":{\"root_user\":true}"),
	  "{\"linux\":{\"namespaces\":[{\"type\":\"user\"}],\"uidMappings\":[{\"containerID\":0,"
	  "\"hostID\":100000,\"size\":1}]}}", KCS_CHECK_PRIVILEGES, KCS_START_PASS, NULL },
	{ "priv: not root", ENF("\"privileges\":{\"root_user\":true}"),
	  CFG(""), KCS_CHECK_PRIVILEGES, KCS_START_PASS, NULL },
	{ "volumes: below a blocked path", ENF("\"volumes_blocked\":{\"paths\":[\"/var/run\"]}"),
	  CFG(",\"mounts\":[" MOUNT("/var/run/docker.sock", "\"rbind\"") "]"), KCS_CHECK_VOLUMES, KCS_START_DENY,
	  "host path /var/run/docker.sock is mounted read-write at /m, blocked by policy P (/var/run)" },
	{ "volumes: the blocked path itself, read-only", ENF("\"volumes_blocked\":{\"paths\":[\"/etc/\"]}"),
	  CFG(",\"mounts\":[" MOUNT("/etc", "\"bind\",\"ro\"") "]"), KCS_CHECK_VOLUMES, KCS_START_DENY,
	  "host path /etc is mounted read-only at /m, blocked by policy P (/etc)" },
	{ "volumes: a parent of a blocked path", ENF("\"volumes_blocked\":{\"paths\":[\"/var/run/docker.sock\"]}"),
	  CFG(",\"mounts\":[" MOUNT("/var", "\"rbind\"") "]"), KCS_CHECK_VOLUMES, KCS_START_DENY,
	  "host path /var is mounted read-write at /m and holds /var/run/docker.sock" },
	{ "volumes: prefix-aware", ENF("\"volumes_blocked\":{\"paths\":[\"/var\"]}"),
	  CFG(",\"mounts\":[" MOUNT("/various", "\"rbind\"") "]"), KCS_CHECK_VOLUMES, KCS_START_PASS, NULL },
	{ "volumes: lexical tricks", ENF("\"volumes_blocked\":{\"paths\":[\"/var/run\"]}"),
	  CFG(",\"mounts\":[" MOUNT("/srv/../var//run/./x", "\"rbind\"") "]"), KCS_CHECK_VOLUMES, KCS_START_DENY,
	  "host path /var/run/x" },
	{ "volumes: / blocks every host mount", AUD("\"volumes_blocked\":{\"paths\":[\"/\"]}"),
	  CFG(",\"mounts\":[" MOUNT("/srv", "\"rbind\"") "]"), KCS_CHECK_VOLUMES, KCS_START_AUDIT, "(/)" },
	{ "volumes: not a bind mount", ENF("\"volumes_blocked\":{\"paths\":[\"/proc\"]}"),
	  CFG(",\"mounts\":[{\"destination\":\"/proc\",\"type\":\"proc\",\"source\":\"proc\"}]"),
	  KCS_CHECK_VOLUMES, KCS_START_PASS, NULL },
	{ "registries: allowed", ENF("\"registries_allowed\":{\"registries\":[\"docker.io\"]}"),
	  CFG(IMG("nginx")), KCS_CHECK_REGISTRIES, KCS_START_PASS, NULL },
	{ "registries: index.docker.io is docker.io", ENF("\"registries_allowed\":{\"registries\":[\"index.docker.io\"]}"),
	  CFG(IMG("docker.io/library/nginx")), KCS_CHECK_REGISTRIES, KCS_START_PASS, NULL },
	{ "registries: not allowed", ENF("\"registries_allowed\":{\"registries\":[\"docker.io\",\"*.example.com\"]}"),
	  CFG(IMG("quay.io/a/b:1")), KCS_CHECK_REGISTRIES, KCS_START_DENY,
	  "registry quay.io of image quay.io/a/b:1 is not allowed by policy P" },
	{ "registries: a look-alike host", ENF("\"registries_allowed\":{\"registries\":[\"registry.example.com\"]}"),
	  CFG(IMG("registry.example.com.evil.io/a")), KCS_CHECK_REGISTRIES, KCS_START_DENY, "not allowed" },
	{ "registries: unknown image fails closed", ENF("\"registries_allowed\":{\"registries\":[\"docker.io\"]}"),
	  CFG(""), KCS_CHECK_REGISTRIES, KCS_START_DENY, "image unknown (no image annotation" },
	{ "registries: invalid image fails closed", ENF("\"registries_allowed\":{\"registries\":[\"docker.io\"]}"),
	  CFG(IMG("Nginx")), KCS_CHECK_REGISTRIES, KCS_START_DENY, "is not a valid reference" },
	{ "unregistered: by tag", ENF("\"unregistered_images\":{}"),
	  CFG(IMG("nginx:1.25")), KCS_CHECK_UNREGISTERED, KCS_START_PASS, NULL },
	{ "unregistered: another tag", ENF("\"unregistered_images\":{}"),
	  CFG(IMG("nginx:1.26")), KCS_CHECK_UNREGISTERED, KCS_START_DENY,
	  "image docker.io/library/nginx:1.26 is not registered" },
	{ "unregistered: by digest under any name", ENF("\"unregistered_images\":{}"),
	  CFG(IMG("quay.io/x/y@sha256:" D64)), KCS_CHECK_UNREGISTERED, KCS_START_PASS, NULL },
	{ "unregistered: name and digest", ENF("\"unregistered_images\":{}"),
	  CFG(IMG("redis:7@sha256:" D64 )), KCS_CHECK_UNREGISTERED, KCS_START_PASS, NULL },
	{ "unregistered: a digest registered for another name", ENF("\"unregistered_images\":{}"),
	  CFG(IMG("redis@sha256:fedcba9876543210fedcba9876543210fedcba9876543210fedcba9876543210")),
	  KCS_CHECK_UNREGISTERED, KCS_START_DENY, "is not registered" },
	{ "unregistered: audit", AUD("\"unregistered_images\":{\"enabled\":true}"),
	  CFG(IMG("busybox")), KCS_CHECK_UNREGISTERED, KCS_START_AUDIT, "busybox:latest is not registered" },
};

static void test_checks(void)
{
	char *reg[] = {
		"docker.io/library/nginx:1.25", "sha256:" D64,
		"docker.io/library/postgres@sha256:fedcba9876543210fedcba9876543210fedcba9876543210fedcba9876543210",
	};
	size_t i;

	for (i = 0; i < sizeof(checks) / sizeof(checks[0]); i++) {
		struct verdict v = judge(checks[i].policy, checks[i].cfg, checks[i].check,
					 reg, sizeof(reg) / sizeof(reg[0]));

		if (!tap_ok(v.start == checks[i].want, "%s: %s", checks[i].name,
			    kcs_start_name(checks[i].want)))
			tap_diag("got %s (%s)", kcs_start_name(v.start), v.first);
		if (checks[i].reason)
			tap_has(v.first, checks[i].reason, "%s: reason", checks[i].name);
		else
			tap_ok(!v.nfindings, "%s: no finding", checks[i].name);
	}
}

/* Two policies failing one check: enforce wins, both reasons listed in
 * policy order; the overall verdict is the strictest check's. */
static void test_check_combination(void)
{
	struct kcs_container c;
	struct kcs_eval ev;
	struct kcs_err err;
	struct set s = { 0 };

	add(&s, "{\"name\":\"b-enf\",\"mode\":\"enforce\",\"start_checks\":{\"volumes_blocked\":{\"paths\":[\"/etc\"]}}}");
	add(&s, "{\"name\":\"a-aud\",\"mode\":\"audit\",\"start_checks\":{\"volumes_blocked\":{\"paths\":[\"/etc/ssl\"]},"
		"\"privileges\":{\"host_net\":true}}}");
	if (!tap_ok(!facts("{\"mounts\":[" MOUNT("/etc/ssl/private", "\"rbind\"") "],"
			   "\"linux\":{\"namespaces\":[{\"type\":\"pid\"}]}}", NULL, &c),
		    "check combination: facts")) {
		set_free(&s);
		return;
	}
	kcs_policy_eval(s.v, s.n, &c, NULL, &ev, &err);
	tap_ok(ev.checks[KCS_CHECK_VOLUMES] == KCS_START_DENY, "check combination: enforce over audit");
	tap_ok(ev.checks[KCS_CHECK_PRIVILEGES] == KCS_START_AUDIT, "check combination: audit-only check");
	tap_ok(ev.start == KCS_START_DENY, "check combination: the container does not start");
	if (tap_ok(ev.nfindings == 3, "check combination: three findings")) {
		tap_ok(ev.findings[0].check == KCS_CHECK_PRIVILEGES, "check combination: check order first");
		tap_is_str(ev.findings[1].policy->name, "a-aud", "check combination: then policy order (a)");
		tap_is_str(ev.findings[2].policy->name, "b-enf", "check combination: then policy order (b)");
	}
	kcs_eval_free(&ev);
	set_free(&s);
	kcs_container_free(&c);
}

static void test_paths(void)
{
	char out[64];
	struct kcs_err err;

	tap_ok(!kcs_host_path_norm("//a/./b//", out, sizeof(out), &err) && !strcmp(out, "/a/b"),
	       "paths: made canonical");
	tap_ok(!kcs_host_path_norm("/", out, sizeof(out), &err) && !strcmp(out, "/"), "paths: root");
	tap_ok(kcs_path_within("/var/lib/x", "/var") && kcs_path_within("/var", "/var") &&
	       !kcs_path_within("/various", "/var") && kcs_path_within("/x", "/"),
	       "paths: prefix-aware");
}

int main(void)
{
	test_bad();
	test_example();
	test_facts();
	test_combine();
	test_checks();
	test_check_combination();
	test_paths();
	return tap_done();
}
