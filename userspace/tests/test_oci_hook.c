// SPDX-License-Identifier: GPL-2.0
/*
 * The OCI hook's ingress parts that need no kernel: which containers have
 * a network namespace of their own (config.json and the namespace's
 * identity), kcs_netns_bind() leaving nothing behind when the namespace
 * cannot be entered, and poststop forgetting the namespace records of the
 * container's cgroup (as unbind does) even without the module, and sync
 * forgetting them with a container that is gone.
 */
#include <fcntl.h>
#include <sys/stat.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "container_spec.h"
#include "netns_bind.h"
#include "netns_reg.h"
#include "oci_hook.h"
#include "oci_sync.h"
#include "profile.h"
#include "profile_build.h"
#include "tap.h"

static char tmpdir[] = "/tmp/kcs-test-oci-hook.XXXXXX";

/* config.json with @ns as linux.namespaces' entries. */
static int parse_ns(const char *ns, struct kcs_container *c)
{
	char cfg[512];
	struct kcs_err err;

	snprintf(cfg, sizeof(cfg),
		 "{\"ociVersion\":\"1.0.2\",\"process\":{\"args\":[\"/bin/sh\"],\"cwd\":\"/\",\"user\":{\"uid\":0,\"gid\":0}},"
		 "\"root\":{\"path\":\"rootfs\"},\"linux\":{\"namespaces\":[%s]}}", ns);
	if (kcs_container_parse(cfg, strlen(cfg), NULL, 0, "/b", c, &err)) {
		tap_diag("config.json: %s", err.msg);
		return -1;
	}
	return 0;
}

static void test_own_netns(void)
{
	const struct kcs_netns_id host[2] = { { 4, 0xf0000000 }, { 4, 0xf0000001 } };
	const struct kcs_netns_id own = { 4, 0xf0000099 };
	struct kcs_container c;

	if (!parse_ns("{\"type\":\"pid\"},{\"type\":\"mount\"}", &c)) {
		tap_ok(!kcs_hook_own_netns(c.ns_host, &own, host, 2),
		       "no \"network\" entry: the host's namespace");
		kcs_container_free(&c);
	}
	if (!parse_ns("{\"type\":\"network\",\"path\":\"/proc/1/ns/net\"}", &c)) {
		tap_ok(!kcs_hook_own_netns(c.ns_host, &own, host, 2),
		       "joining init's namespace by path: the host's");
		kcs_container_free(&c);
	}
	if (!parse_ns("{\"type\":\"network\"}", &c)) {
		tap_ok(kcs_hook_own_netns(c.ns_host, &own, host, 2),
		       "a new network namespace: its own");
		tap_ok(!kcs_hook_own_netns(c.ns_host, &host[0], host, 2),
		       "but one that is init's after all: the host's");
		tap_ok(!kcs_hook_own_netns(c.ns_host, &host[1], host, 2),
		       "or the hook's own: the host's");
		kcs_container_free(&c);
	}
	if (!parse_ns("{\"type\":\"network\",\"path\":\"/run/netns/pod1\"}", &c)) {
		tap_ok(kcs_hook_own_netns(c.ns_host, &own, host, 2),
		       "a namespace joined by path (a pod's): its own");
		kcs_container_free(&c);
	}
}

/* A record for cgroup @cgid in namespace @ino, with real ingress rules. */
static int make_rec(struct kcs_netns_rec *rec, uint64_t cgid, uint64_t ino)
{
	char path[256];
	struct kcs_compiled_profile cp;
	struct kcs_profile_spec spec;
	struct kcs_err err;
	FILE *f;

	snprintf(path, sizeof(path), "%s/ing.json", tmpdir);
	f = fopen(path, "w");
	if (!f)
		return -1;
	fputs("{\"name\":\"ing\",\"network\":{\"ingress\":{\"mode\":\"block\","
	      "\"rules\":[{\"cidr\":\"198.51.100.0/24\",\"ports\":\"8080\"}]}}}\n", f);
	fclose(f);
	memset(rec, 0, sizeof(*rec));
	if (kcs_profile_load(path, &spec, &err) ||
	    kcs_profile_compile(&spec, &cp, &err)) {
		tap_diag("profile: %s", err.msg);
		return -1;
	}
	rec->in = cp.ingress;
	memset(&cp.ingress, 0, sizeof(cp.ingress));
	kcs_compiled_free(&cp);
	kcs_profile_free(&spec);
	rec->id = (struct kcs_netns_id){ 4, ino };
	rec->cgroup_id = cgid;
	rec->mode = KCS_MODE_ENFORCE;
	snprintf(rec->path, sizeof(rec->path), "/proc/42/ns/net");
	snprintf(rec->profile, sizeof(rec->profile), "ing");
	return 0;
}

static int count_rec(const char *name, void *arg)
{
	(void)name;
	++*(int *)arg;
	return 0;
}

static void test_bind_fails_clean(void)
{
	struct kcs_netns_rec rec;
	struct kcs_err err = { 0 };
	int fd, n = 0;

	if (make_rec(&rec, 8812, 0xf0000042)) {
		tap_ok(0, "ingress rules for the test");
		return;
	}
	tap_ok(rec.in.kind == KCS_NET_BLOCK, "the profile has ingress rules");
	/* Not a namespace: setns() refuses it before nftables is asked. */
	fd = open("/dev/null", O_RDONLY);
	tap_ok(kcs_netns_bind(fd, &rec, &err) < 0, "kcs_netns_bind into a non-namespace fails");
	tap_has(err.msg, "cannot enter", "saying it cannot enter the namespace");
	kcs_netns_rec_each(count_rec, &n);
	tap_ok(n == 0, "and records nothing (%d records)", n);
	close(fd);
	kcs_netns_rec_free(&rec);
}

static void put_file(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");

	if (f) {
		fputs(text, f);
		fclose(f);
	}
}

static void test_poststop(void)
{
	struct kcs_hook_opts o = { 0 };
	struct kcs_netns_rec mine, other;
	char path[512], state[512], name[64];
	struct kcs_err err;
	int n = 0;

	if (make_rec(&mine, 8812, 0xf0000050) || make_rec(&other, 9000, 0xf0000051)) {
		tap_ok(0, "ingress rules for the test");
		return;
	}
	tap_ok(!kcs_netns_rec_save(&mine, &err) && !kcs_netns_rec_save(&other, &err),
	       "two namespace records, two cgroups");
	snprintf(path, sizeof(path), "%s/run", tmpdir);
	setenv("KCS_RUNDIR", path, 1);
	mkdir(path, 0700);
	snprintf(path, sizeof(path), "%s/run/containers", tmpdir);
	mkdir(path, 0700);
	snprintf(path, sizeof(path), "%s/run/containers/c1", tmpdir);
	put_file(path, "8812\n");
	snprintf(state, sizeof(state), "%s/state.json", tmpdir);
	put_file(state, "{\"ociVersion\":\"1.0.2\",\"id\":\"c1\",\"status\":\"stopped\"}");
	o.state_path = state;
	/* Whether or not the module answers (it has no binding 8812). */
	tap_ok(!kcs_hook_poststop(&o, &err), "poststop succeeds");
	tap_ok(access(path, F_OK) < 0, "it forgot the container");
	kcs_netns_rec_each(count_rec, &n);
	kcs_netns_rec_name(&other.id, name, sizeof(name));
	snprintf(path, sizeof(path), "%s/netns/%s", tmpdir, name);
	tap_ok(n == 1 && !access(path, F_OK),
	       "and the record of its cgroup, not the other's (%d left)", n);
	kcs_netns_rec_free(&mine);
	kcs_netns_rec_free(&other);
}

/* A container remembered, gone (cgroup 8813 exists nowhere): sync
 * forgets it and its namespace record. */
static void test_sync_forgets(void)
{
	const char *roots[1];
	struct kcs_hook_opts o = { 0 };
	struct kcs_sync_list l;
	struct kcs_netns_rec rec;
	char path[512], empty[512];
	struct kcs_err err;
	int n = 0;

	if (make_rec(&rec, 8813, 0xf0000060)) {
		tap_ok(0, "ingress rules for the test");
		return;
	}
	kcs_netns_rec_save(&rec, &err);
	snprintf(path, sizeof(path), "%s/run/containers/gone1", tmpdir);
	put_file(path, "8813\n");
	snprintf(empty, sizeof(empty), "%s/no-runtime", tmpdir);
	roots[0] = empty;
	tap_ok(!kcs_sync(roots, 1, &o, &l, &err), "sync over an empty root");
	tap_ok(l.n == 1 && l.v[0].action == KCS_SYNC_FORGOTTEN &&
	       l.v[0].cgroup_id == 8813, "the gone container is forgotten");
	kcs_netns_rec_each(count_rec, &n);
	tap_ok(n == 1, "with its namespace record (the other cgroup's stays: %d)", n);
	kcs_sync_list_free(&l);
	kcs_netns_rec_free(&rec);
}

int main(void)
{
	char cmd[128];

	if (!mkdtemp(tmpdir))
		return 1;
	setenv("KCS_STATE_DIR", tmpdir, 1);
	test_own_netns();
	test_bind_fails_clean();
	test_poststop();
	test_sync_forgets();
	snprintf(cmd, sizeof(cmd), "rm -rf %s", tmpdir);
	if (system(cmd))
		tap_diag("could not remove %s", tmpdir);
	return tap_done();
}
