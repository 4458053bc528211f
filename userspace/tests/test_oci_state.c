// SPDX-License-Identifier: GPL-2.0
/*
 * The runtimes' state files as kcsadm sync reads them: crun's status and
 * runc's state.json (samples in tests/data/oci/ in the runtimes' own
 * formats), broken files reported per container, liveness by pid and
 * start time, and the OCI state handed to the admission.
 */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <jansson.h>

#include "oci_state.h"
#include "tap.h"

static const struct kcs_oci_running *find(const struct kcs_oci_list *l,
					  const char *id)
{
	size_t i;

	for (i = 0; i < l->n; i++)
		if (!strcmp(l->v[i].id, id))
			return &l->v[i];
	return NULL;
}

static void scan_samples(void)
{
	struct kcs_oci_list l = { 0 };
	const struct kcs_oci_running *r;
	struct kcs_err err;

	tap_ok(!kcs_oci_scan("tests/data/oci/crun", &l, &err), "scan the crun sample root");
	tap_ok(l.n == 2, "two crun containers, the dot directory skipped (%zu)", l.n);
	tap_ok(l.n == 2 && !strcmp(l.v[0].id, "broken") && !strcmp(l.v[1].id, "web1"),
	       "sorted by id");
	r = find(&l, "web1");
	tap_ok(r && !r->err.code && !strcmp(r->runtime, "crun") && r->pid == 4242 &&
	       r->start_time == 263473330ULL, "crun: pid and process-start-time");
	tap_is_str(r ? r->bundle : NULL, "/srv/bundles/web1", "crun: bundle");
	tap_is_str(r ? r->root : NULL, "tests/data/oci/crun", "crun: the root it was found under");
	r = find(&l, "broken");
	tap_ok(r && r->err.code == KCS_EXIT_INVALID && !strcmp(r->runtime, "crun"),
	       "a broken crun status is reported with exit 3");
	tap_has(r ? r->err.msg : NULL, "tests/data/oci/crun/broken/status: crun status: line",
		"and names the file and where");

	tap_ok(!kcs_oci_scan("tests/data/oci/runc", &l, &err), "scan the runc sample root into the same list");
	tap_ok(l.n == 4, "four containers in all (%zu)", l.n);
	r = find(&l, "db2");
	tap_ok(r && !r->err.code && !strcmp(r->runtime, "runc") && r->pid == 5151 &&
	       r->start_time == 98765, "runc: init_process_pid and init_process_start");
	tap_is_str(r ? r->bundle : NULL, "/run/containerd/io.containerd.runtime.v2.task/k8s.io/db2",
		   "runc: the bundle from the config label");
	r = find(&l, "nopid");
	tap_ok(r && r->err.code == KCS_EXIT_INVALID, "runc state without init_process_pid is an error");
	tap_has(r ? r->err.msg : NULL, "init_process_pid: expected a pid", "which names the key");
	kcs_oci_list_free(&l);
	tap_ok(l.n == 0 && !l.v, "free empties the list");

	tap_ok(!kcs_oci_scan("tests/data/oci/none", &l, &err) && l.n == 0,
	       "a missing root is no container, not an error");
	tap_ok(kcs_oci_scan("tests/data/oci/crun/web1/status", &l, &err) == 0 && l.n == 0,
	       "a file given as root is no container either");
}

static void parse_cases(void)
{
	static const struct { const char *text; int crun; int ok; const char *msg; } c[] = {
		{ "{\"pid\":1,\"bundle\":\"/b\"}", 1, 1, NULL },
		{ "{\"pid\":0,\"bundle\":\"/b\"}", 1, 0, "pid: expected a pid" },
		{ "{\"pid\":-4,\"bundle\":\"/b\"}", 1, 0, "pid: expected a pid" },
		{ "{\"pid\":1}", 1, 0, "no absolute bundle" },
		{ "{\"pid\":1,\"bundle\":\"rel\"}", 1, 0, "no absolute bundle" },
		{ "{\"pid\":1,\"bundle\":\"/b\",\"process-start-time\":\"x\"}", 1, 0, "expected a start time" },
		{ "[]", 1, 0, "expected an object, got an array" },
		{ "{\"init_process_pid\":7,\"init_process_start\":\"123\",\"config\":{\"labels\":[\"a=b\",\"bundle=/x\"]}}", 0, 1, NULL },
		{ "{\"init_process_pid\":7,\"init_process_start\":\"12x\",\"config\":{\"labels\":[\"bundle=/x\"]}}", 0, 0, "expected a start time" },
		{ "{\"init_process_pid\":7,\"config\":{\"labels\":\"bundle=/x\"}}", 0, 0, "no absolute bundle" },
		{ "{\"init_process_pid\":7}", 0, 0, "no absolute bundle" },
	};
	size_t i;

	for (i = 0; i < sizeof(c) / sizeof(c[0]); i++) {
		struct kcs_oci_running r = { 0 };
		struct kcs_err err = { 0 };
		int ret = c[i].crun ? kcs_oci_parse_crun(c[i].text, strlen(c[i].text), &r, &err) :
				      kcs_oci_parse_runc(c[i].text, strlen(c[i].text), &r, &err);

		tap_ok(c[i].ok ? ret == 0 : ret == -1 && err.code == KCS_EXIT_INVALID,
		       "%s %s", c[i].crun ? "crun" : "runc", c[i].text);
		if (c[i].msg)
			tap_has(err.msg, c[i].msg, "  message");
		free(r.bundle);
	}
}

static void liveness(void)
{
	struct kcs_oci_running r = { .id = "c1", .pid = getpid(), .bundle = "/srv/c1" };
	unsigned long long st = 0;
	char buf[1024], *p, *s;
	json_t *j;
	FILE *f;
	int i;

	tap_ok(kcs_oci_pid_alive(getpid(), 0), "this process runs");
	tap_ok(!kcs_oci_pid_alive(0, 0) && !kcs_oci_pid_alive(-1, 0), "no pid 0 or negative");
	tap_ok(!kcs_oci_pid_alive(0x7ffffff0, 0), "a pid beyond pid_max does not run");
	f = fopen("/proc/self/stat", "re");
	if (f && fgets(buf, sizeof(buf), f)) {
		p = strrchr(buf, ')') + 2;
		for (i = 3; i < 22; i++)
			p = strchr(p, ' ') + 1;
		st = strtoull(p, NULL, 10);
	}
	if (f)
		fclose(f);
	tap_ok(st && kcs_oci_pid_alive(getpid(), st), "with its start time");
	tap_ok(!kcs_oci_pid_alive(getpid(), st + 1), "another start time: the pid was reused");

	s = kcs_oci_state_json(&r);
	j = s ? json_loads(s, 0, NULL) : NULL;
	tap_ok(j && !strcmp(json_string_value(json_object_get(j, "id")), "c1") &&
	       json_integer_value(json_object_get(j, "pid")) == getpid() &&
	       !strcmp(json_string_value(json_object_get(j, "bundle")), "/srv/c1") &&
	       !strcmp(json_string_value(json_object_get(j, "status")), "running"),
	       "the OCI state: id, pid, bundle, running");
	json_decref(j);
	free(s);
}

int main(void)
{
	scan_samples();
	parse_cases();
	liveness();
	return tap_done();
}
