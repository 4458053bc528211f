// SPDX-License-Identifier: GPL-2.0
/*
 * kcsadm hook install's files: the oci-hooks 1.0.0 documents (format of
 * containers/common's pkg/hooks, read by Podman and CRI-O), the base
 * runtime spec for containerd (default or --base, kcsadm's hooks
 * replaced, others kept), the runc wrapper (paths quoted), and the rules
 * for files that are not kcsadm's: never replaced or removed without
 * force, written by rename.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <jansson.h>

#include "hook_install.h"
#include "tap.h"

static char dir[] = "/tmp/kcs-hook-test.XXXXXX";

static json_t *load(const char *s)
{
	return json_loads(s, 0, NULL);
}

static const char *arg(json_t *hook, size_t i)
{
	return json_string_value(json_array_get(json_object_get(hook, "args"), i));
}

static void hooks_d(void)
{
	struct kcs_hook_install o = { .runtime = KCS_RT_PODMAN, .dir = dir,
				      .exe = "/usr/sbin/kcsadm" };
	struct kcs_hook_file f[KCS_HOOK_FILES_MAX];
	struct kcs_err err;
	json_t *j, *h;
	size_t n;
	char want[512];

	tap_ok(!kcs_hook_files(&o, f, &n, &err) && n == 2, "podman: two files");
	snprintf(want, sizeof(want), "%s/kcs-createRuntime.json", dir);
	tap_is_str(f[0].path, want, "createRuntime file in --dir");
	j = load(f[0].content);
	h = json_object_get(j, "hook");
	tap_ok(j && !strcmp(json_string_value(json_object_get(j, "version")), "1.0.0") &&
	       !strcmp(json_string_value(json_object_get(h, "path")), "/usr/sbin/kcsadm") &&
	       !strcmp(arg(h, 0), "kcsadm") && !strcmp(arg(h, 1), "oci-hook") &&
	       !strcmp(arg(h, 2), "createRuntime") && !arg(h, 3),
	       "version 1.0.0, hook path and args");
	tap_ok(json_is_true(json_object_get(json_object_get(j, "when"), "always")) &&
	       json_array_size(json_object_get(j, "stages")) == 1 &&
	       !strcmp(json_string_value(json_array_get(json_object_get(j, "stages"), 0)),
		       "createRuntime"), "when always, stage createRuntime");
	tap_ok(f[0].mode == 0644 && f[0].content[strlen(f[0].content) - 1] == '\n',
	       "mode 0644, ends with a newline");
	json_decref(j);
	j = load(f[1].content);
	tap_ok(j && !strcmp(arg(json_object_get(j, "hook"), 2), "poststop") &&
	       !strcmp(json_string_value(json_array_get(json_object_get(j, "stages"), 0)),
		       "poststop"), "second file: poststop");
	tap_ok(kcs_hook_text_ours(f[0].content, strlen(f[0].content)) &&
	       kcs_hook_text_ours(f[1].content, strlen(f[1].content)), "both are kcsadm's");
	json_decref(j);
	kcs_hook_files_free(f, n);

	o.fail_open = 1;
	o.runtime = KCS_RT_CRIO;
	o.dir = NULL;
	tap_ok(!kcs_hook_files(&o, f, &n, &err), "crio with --fail-open");
	tap_is_str(f[0].path, "/etc/containers/oci/hooks.d/kcs-createRuntime.json",
		   "default directory: /etc/containers/oci/hooks.d");
	j = load(f[0].content);
	tap_is_str(arg(json_object_get(j, "hook"), 3), "--fail-open", "createRuntime gets --fail-open");
	json_decref(j);
	j = load(f[1].content);
	tap_ok(!arg(json_object_get(j, "hook"), 3), "poststop does not");
	json_decref(j);
	kcs_hook_files_free(f, n);

	o.exe = "kcsadm";
	tap_ok(kcs_hook_files(&o, f, &n, &err) && err.code == KCS_EXIT_INVALID,
	       "a relative kcsadm path is refused");
	o.exe = "/usr/sbin/kcsadm";
	o.base = "/x.json";
	tap_ok(kcs_hook_files(&o, f, &n, &err) && err.code == KCS_EXIT_USAGE,
	       "--base is containerd's only");
}

static void containerd(void)
{
	struct kcs_hook_install o = { .runtime = KCS_RT_CONTAINERD, .dir = dir,
				      .exe = "/usr/sbin/kcsadm" };
	struct kcs_hook_file f[KCS_HOOK_FILES_MAX];
	char base[600], want[512];
	struct kcs_err err;
	json_t *j, *hooks;
	size_t n;
	FILE *fp;

	tap_ok(!kcs_hook_files(&o, f, &n, &err) && n == 1, "containerd: one file");
	snprintf(want, sizeof(want), "%s/kcs-base-spec.json", dir);
	tap_is_str(f[0].path, want, "kcs-base-spec.json");
	j = load(f[0].content);
	hooks = json_object_get(j, "hooks");
	tap_ok(j && json_object_get(json_object_get(j, "process"), "capabilities") &&
	       json_array_size(json_object_get(json_object_get(j, "linux"), "namespaces")) == 5 &&
	       json_array_size(json_object_get(j, "mounts")) == 7 &&
	       !strcmp(json_string_value(json_object_get(json_object_get(j, "root"), "path")), "rootfs"),
	       "the default spec: capabilities, 5 namespaces, 7 mounts, root");
	tap_ok(json_array_size(json_object_get(json_object_get(json_object_get(j, "process"),
		"capabilities"), "bounding")) == 14, "containerd's 14 default capabilities");
	tap_ok(json_array_size(json_object_get(hooks, "createRuntime")) == 1 &&
	       json_array_size(json_object_get(hooks, "poststop")) == 1 &&
	       !strcmp(arg(json_array_get(json_object_get(hooks, "createRuntime"), 0), 2),
		       "createRuntime"), "hooks: createRuntime and poststop");
	tap_ok(kcs_hook_text_ours(f[0].content, strlen(f[0].content)), "it is kcsadm's");
	json_decref(j);
	kcs_hook_files_free(f, n);

	/* --base: another hook stays, kcsadm's old one is replaced. */
	snprintf(base, sizeof(base), "%s/base.json", dir);
	fp = fopen(base, "w");
	if (fp) {
		fputs("{\"ociVersion\":\"1.1.0\",\"process\":{\"cwd\":\"/\"},\"hooks\":{"
		      "\"createRuntime\":[{\"path\":\"/bin/other\"},"
		      "{\"path\":\"/old/kcsadm\",\"args\":[\"kcsadm\",\"oci-hook\",\"createRuntime\"]}]}}", fp);
		fclose(fp);
	}
	o.base = base;
	tap_ok(!kcs_hook_files(&o, f, &n, &err), "--base FILE");
	j = load(f[0].content);
	hooks = json_object_get(json_object_get(j, "hooks"), "createRuntime");
	tap_ok(json_array_size(hooks) == 2 &&
	       !strcmp(json_string_value(json_object_get(json_array_get(hooks, 0), "path")),
		       "/usr/sbin/kcsadm") &&
	       !strcmp(json_string_value(json_object_get(json_array_get(hooks, 1), "path")),
		       "/bin/other"), "kcsadm's hook first, the other kept, the old one gone");
	tap_is_str(json_string_value(json_object_get(j, "ociVersion")), "1.1.0",
		   "the rest of the base is kept");
	json_decref(j);
	kcs_hook_files_free(f, n);
	fp = fopen(base, "w");
	if (fp) {
		fputs("{\"hooks\":[]}", fp);
		fclose(fp);
	}
	tap_ok(kcs_hook_files(&o, f, &n, &err) && err.code == KCS_EXIT_INVALID,
	       "a base whose hooks are not an object is refused");
	o.base = "/nonexistent/base.json";
	tap_ok(kcs_hook_files(&o, f, &n, &err) && err.code == KCS_EXIT_NOTFOUND,
	       "a missing base: exit 6");
	unlink(base);
}

static void docker(void)
{
	struct kcs_hook_install o = { .runtime = KCS_RT_DOCKER, .dir = dir,
				      .exe = "/opt/it's here/kcsadm" };
	struct kcs_hook_file f[KCS_HOOK_FILES_MAX];
	struct kcs_err err;
	size_t n;

	tap_ok(!kcs_hook_files(&o, f, &n, &err) && n == 1 && f[0].mode == 0755,
	       "docker: one executable file");
	tap_has(f[0].path, "/kcs-runc", "named kcs-runc");
	tap_ok(!strncmp(f[0].content, "#!/bin/bash\n" KCS_WRAPPER_MARK "\n",
			strlen("#!/bin/bash\n" KCS_WRAPPER_MARK "\n")), "bash, with the marker line");
	tap_has(f[0].content, "\nKCSADM='/opt/it'\\''s here/kcsadm'\n", "the kcsadm path single-quoted");
	tap_has(f[0].content, "\nHOOK_ARGS=()\n", "no hook arguments");
	tap_ok(!strstr(f[0].content, "@KCSADM@") && !strstr(f[0].content, "@HOOK_ARGS@"),
	       "every placeholder filled");
	tap_ok(kcs_hook_text_ours(f[0].content, strlen(f[0].content)), "it is kcsadm's");
	kcs_hook_files_free(f, n);
	o.fail_open = 1;
	tap_ok(!kcs_hook_files(&o, f, &n, &err), "with --fail-open");
	tap_has(f[0].content, "\nHOOK_ARGS=(--fail-open)\n", "the wrapper passes --fail-open");
	kcs_hook_files_free(f, n);
}

static void write_remove(void)
{
	struct kcs_hook_install o = { .runtime = KCS_RT_PODMAN, .exe = "/usr/sbin/kcsadm" };
	struct kcs_hook_file f[KCS_HOOK_FILES_MAX];
	enum kcs_hook_change done = KCS_HOOK_ABSENT;
	char sub[300], foreign[] = "{\"version\":\"1.0.0\",\"hook\":{\"path\":\"/bin/x\"}}";
	struct kcs_err err;
	struct stat st;
	size_t n;
	FILE *fp;

	snprintf(sub, sizeof(sub), "%s/hooks.d", dir);
	o.dir = sub;
	if (kcs_hook_files(&o, f, &n, &err))
		return;
	tap_ok(!kcs_hook_file_write(&f[0], 0, &done, &err) && done == KCS_HOOK_WRITTEN,
	       "written, its directory made");
	tap_ok(!stat(f[0].path, &st) && (st.st_mode & 0777) == 0644, "mode 0644");
	tap_ok(!kcs_hook_file_write(&f[0], 0, &done, &err) && done == KCS_HOOK_UNCHANGED,
	       "the same again: unchanged");
	fp = fopen(f[1].path, "w");
	if (fp) {
		fputs(foreign, fp);
		fclose(fp);
	}
	tap_ok(kcs_hook_file_check(f[1].path, 0, &err) && err.code == KCS_EXIT_FAILED,
	       "another's file fails the check");
	tap_has(err.msg, "was not written by kcsadm", "saying so");
	tap_ok(!kcs_hook_file_check(f[0].path, 0, &err) &&
	       !kcs_hook_file_check(f[1].path, 1, &err), "ours, or with force, passes");
	tap_ok(kcs_hook_file_write(&f[1], 0, &done, &err), "another's file is not replaced");
	tap_ok(kcs_hook_file_remove(f[1].path, 0, &done, &err) && !access(f[1].path, F_OK),
	       "nor removed");
	tap_ok(!kcs_hook_file_write(&f[1], 1, &done, &err) && done == KCS_HOOK_WRITTEN,
	       "--force replaces it");
	tap_ok(!kcs_hook_file_remove(f[0].path, 0, &done, &err) && done == KCS_HOOK_REMOVED &&
	       access(f[0].path, F_OK), "ours is removed");
	tap_ok(!kcs_hook_file_remove(f[0].path, 0, &done, &err) && done == KCS_HOOK_ABSENT,
	       "a missing file is absent, not an error");
	tap_ok(!kcs_hook_file_remove(f[1].path, 0, &done, &err), "remove the other");
	snprintf(sub, sizeof(sub), "%s/hooks.d/kcs-createRuntime.json.tmp", dir);
	tap_ok(access(sub, F_OK), "no temporary file left");
	snprintf(sub, sizeof(sub), "%s/hooks.d", dir);
	rmdir(sub);
	kcs_hook_files_free(f, n);
	tap_ok(kcs_runtime_parse("podman") == KCS_RT_PODMAN &&
	       kcs_runtime_parse("docker") == KCS_RT_DOCKER &&
	       kcs_runtime_parse("runc") == -1, "runtime names");
}

int main(void)
{
	if (!mkdtemp(dir)) {
		perror("mkdtemp");
		return 1;
	}
	hooks_d();
	containerd();
	docker();
	write_remove();
	rmdir(dir);
	return tap_done();
}
