// SPDX-License-Identifier: GPL-2.0
/* The files of kcsadm hook install (see hook_install.h). */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <jansson.h>

#include "hook_install.h"
#include "readfile.h"

#define HOOK_FILE_MAX	(4U << 20)

static const char *const rt_names[] = {
	[KCS_RT_PODMAN] = "podman",
	[KCS_RT_CRIO] = "crio",
	[KCS_RT_CONTAINERD] = "containerd",
	[KCS_RT_DOCKER] = "docker",
};

int kcs_runtime_parse(const char *name)
{
	size_t i;

	for (i = 0; i < sizeof(rt_names) / sizeof(rt_names[0]); i++)
		if (!strcmp(name, rt_names[i]))
			return (int)i;
	return -1;
}

const char *kcs_runtime_default_dir(enum kcs_runtime rt)
{
	switch (rt) {
	case KCS_RT_PODMAN:
	case KCS_RT_CRIO:
		/* Read by both, after /usr/share/containers/oci/hooks.d
		 * (the distribution's), which it overrides. */
		return "/etc/containers/oci/hooks.d";
	case KCS_RT_CONTAINERD:
		return "/etc/containerd";
	case KCS_RT_DOCKER:
		return "/usr/local/sbin";
	}
	return NULL;
}

/*
 * containerd's default Linux spec (oci.populateDefaultUnixSpec, 1.6), the
 * base the CRI plugin starts every container from unless told otherwise:
 * what it does not set per container comes from here, so a base spec
 * missing it would change containers. --base takes the node's own
 * (`ctr oci spec`) instead.
 */
static const char default_spec[] =
"{\"ociVersion\":\"1.0.2-dev\","
"\"process\":{\"user\":{\"uid\":0,\"gid\":0},\"cwd\":\"/\","
"\"capabilities\":{"
"\"bounding\":" "CAPS" ",\"effective\":" "CAPS" ",\"permitted\":" "CAPS" "},"
"\"rlimits\":[{\"type\":\"RLIMIT_NOFILE\",\"hard\":1024,\"soft\":1024}],"
"\"noNewPrivileges\":true},"
"\"root\":{\"path\":\"rootfs\"},"
"\"mounts\":["
"{\"destination\":\"/proc\",\"type\":\"proc\",\"source\":\"proc\",\"options\":[\"nosuid\",\"noexec\",\"nodev\"]},"
"{\"destination\":\"/dev\",\"type\":\"tmpfs\",\"source\":\"tmpfs\",\"options\":[\"nosuid\",\"strictatime\",\"mode=755\",\"size=65536k\"]},"
"{\"destination\":\"/dev/pts\",\"type\":\"devpts\",\"source\":\"devpts\",\"options\":[\"nosuid\",\"noexec\",\"newinstance\",\"ptmxmode=0666\",\"mode=0620\",\"gid=5\"]},"
"{\"destination\":\"/dev/shm\",\"type\":\"tmpfs\",\"source\":\"shm\",\"options\":[\"nosuid\",\"noexec\",\"nodev\",\"mode=1777\",\"size=65536k\"]},"
"{\"destination\":\"/dev/mqueue\",\"type\":\"mqueue\",\"source\":\"mqueue\",\"options\":[\"nosuid\",\"noexec\",\"nodev\"]},"
"{\"destination\":\"/sys\",\"type\":\"sysfs\",\"source\":\"sysfs\",\"options\":[\"nosuid\",\"noexec\",\"nodev\",\"ro\"]},"
"{\"destination\":\"/run\",\"type\":\"tmpfs\",\"source\":\"tmpfs\",\"options\":[\"nosuid\",\"strictatime\",\"mode=755\",\"size=65536k\"]}],"
"\"linux\":{"
"\"maskedPaths\":[\"/proc/acpi\",\"/proc/asound\",\"/proc/kcore\",\"/proc/keys\",\"/proc/latency_stats\",\"/proc/timer_list\",\"/proc/timer_stats\",\"/proc/sched_debug\",\"/sys/firmware\",\"/proc/scsi\"],"
"\"readonlyPaths\":[\"/proc/bus\",\"/proc/fs\",\"/proc/irq\",\"/proc/sys\",\"/proc/sysrq-trigger\"],"
"\"namespaces\":[{\"type\":\"pid\"},{\"type\":\"ipc\"},{\"type\":\"uts\"},{\"type\":\"mount\"},{\"type\":\"network\"}],"
"\"resources\":{\"devices\":[{\"allow\":false,\"access\":\"rwm\"}]}}}";

static const char default_caps[] =
"[\"CAP_CHOWN\",\"CAP_DAC_OVERRIDE\",\"CAP_FSETID\",\"CAP_FOWNER\",\"CAP_MKNOD\","
"\"CAP_NET_RAW\",\"CAP_SETGID\",\"CAP_SETUID\",\"CAP_SETFCAP\",\"CAP_SETPCAP\","
"\"CAP_NET_BIND_SERVICE\",\"CAP_SYS_CHROOT\",\"CAP_KILL\",\"CAP_AUDIT_WRITE\"]";

/* The wrapper (bash: arrays keep runc's arguments intact). */
static const char wrapper[] =
"#!/bin/bash\n"
KCS_WRAPPER_MARK "\n"
"#\n"
"# For runtimes that run runc but cannot add OCI hooks to a container\n"
"# (Docker; containerd 1.6 through the CRI runc options' BinaryName).\n"
"# Registered in their place, it runs runc, and around \"create\" and\n"
"# \"delete\" runs kcsadm oci-hook as runc would run a createRuntime and a\n"
"# poststop hook: after \"runc create\" the container's init waits in its\n"
"# cgroup, before the container's program, until \"runc start\". When kcs\n"
"# refuses the container, it is deleted and the create fails with kcs's\n"
"# reason. Everything else goes to runc as it is. See docs/runtime-hooks.md.\n"
"RUNC=${KCS_RUNC:-/usr/bin/runc}\n"
"KCSADM=@KCSADM@\n"
"HOOK_ARGS=(@HOOK_ARGS@)\n"
"\n"
"args=(\"$@\")\n"
"globals=()\n"
"# runc's global options come before the command; these take a value.\n"
"while [ $# -gt 0 ]; do\n"
"\tcase $1 in\n"
"\t--root|--log|--log-format|--criu|--rootless)\n"
"\t\tglobals+=(\"$1\" \"${2-}\"); shift 2 || break ;;\n"
"\t-*) globals+=(\"$1\"); shift ;;\n"
"\t*) break ;;\n"
"\tesac\n"
"done\n"
"cmd=${1-}\n"
"id=${!#}\n"
"\n"
"case $cmd in\n"
"create)\n"
"\t\"$RUNC\" \"${args[@]}\" || exit\n"
"\t# Fail closed: a container kcs did not admit does not stay.\n"
"\tif ! state=$(\"$RUNC\" \"${globals[@]}\" state \"$id\") ||\n"
"\t   ! out=$(printf '%s' \"$state\" |\n"
"\t\t  \"$KCSADM\" oci-hook createRuntime \"${HOOK_ARGS[@]}\" 2>&1); then\n"
"\t\t\"$RUNC\" \"${globals[@]}\" delete --force \"$id\" >/dev/null 2>&1\n"
"\t\tprintf 'kcs-runc: %s\\n' \"${out:-runc state $id failed}\" >&2\n"
"\t\texit 1\n"
"\tfi\n"
"\texit 0 ;;\n"
"delete)\n"
"\tstate=$(\"$RUNC\" \"${globals[@]}\" state \"$id\" 2>/dev/null)\n"
"\t\"$RUNC\" \"${args[@]}\"\n"
"\trc=$?\n"
"\t[ -z \"$state\" ] ||\n"
"\t\tprintf '%s' \"$state\" | \"$KCSADM\" oci-hook poststop >/dev/null 2>&1\n"
"\texit $rc ;;\n"
"*)\n"
"\texec \"$RUNC\" \"${args[@]}\" ;;\n"
"esac\n";

static json_t *hook_json(const struct kcs_hook_install *o, const char *stage)
{
	json_t *args = json_pack("[sss]", "kcsadm", "oci-hook", stage);

	if (args && o->fail_open && !strcmp(stage, "createRuntime"))
		json_array_append_new(args, json_string("--fail-open"));
	return args ? json_pack("{s:s,s:o}", "path", o->exe, "args", args) : NULL;
}

/* Whether hook @h runs kcsadm oci-hook. */
static int our_hook(const json_t *h)
{
	const json_t *args = json_object_get(h, "args");

	return json_is_string(json_array_get(args, 1)) &&
	       !strcmp(json_string_value(json_array_get(args, 1)), "oci-hook");
}

static char *dump(json_t *j)
{
	char *s = j ? json_dumps(j, JSON_INDENT(2) | JSON_PRESERVE_ORDER) : NULL;
	char *t = s ? realloc(s, strlen(s) + 2) : NULL;

	json_decref(j);
	if (!t) {
		free(s);
		return NULL;
	}
	strcat(t, "\n");
	return t;
}

static char *hooks_d(const struct kcs_hook_install *o, const char *stage)
{
	return dump(json_pack("{s:s,s:o,s:{s:b},s:[s]}", "version", "1.0.0",
			      "hook", hook_json(o, stage), "when", "always", 1,
			      "stages", stage));
}

/* Add the two hooks to @spec's, replacing kcsadm's of before. */
static int add_hooks(json_t *spec, const struct kcs_hook_install *o,
		     struct kcs_err *err)
{
	static const char *const stages[] = { "createRuntime", "poststop" };
	json_t *hooks = json_object_get(spec, "hooks"), *list, *h;
	size_t i, k;

	if (!hooks) {
		hooks = json_object();
		json_object_set_new(spec, "hooks", hooks);
	}
	if (!json_is_object(hooks))
		return kcs_err_set(err, KCS_EXIT_INVALID, "%s: hooks: expected an object", o->base);
	for (k = 0; k < 2; k++) {
		list = json_object_get(hooks, stages[k]);
		if (!list) {
			list = json_array();
			json_object_set_new(hooks, stages[k], list);
		}
		if (!json_is_array(list))
			return kcs_err_set(err, KCS_EXIT_INVALID, "%s: hooks.%s: expected an array",
					   o->base, stages[k]);
		for (i = json_array_size(list); i-- > 0;)
			if (our_hook(json_array_get(list, i)))
				json_array_remove(list, i);
		h = hook_json(o, stages[k]);
		/* createRuntime first: kcs decides before other hooks act. */
		if (!h || (k == 0 ? json_array_insert_new(list, 0, h) :
			   json_array_append_new(list, h)))
			return kcs_err_set(err, KCS_EXIT_FAILED, "out of memory");
	}
	return 0;
}

static char *base_spec(const struct kcs_hook_install *o, struct kcs_err *err)
{
	char *text = NULL, *s, *at;
	json_error_t jerr;
	size_t len;
	json_t *spec;

	if (o->base) {
		text = kcs_read_file(o->base, HOOK_FILE_MAX, &len, err);
		if (!text)
			return NULL;
	} else {
		/* CAPS three times over. */
		text = malloc(sizeof(default_spec) + 3 * sizeof(default_caps));
		if (!text) {
			kcs_err_set(err, KCS_EXIT_FAILED, "out of memory");
			return NULL;
		}
		text[0] = 0;
		for (s = (char *)default_spec; (at = strstr(s, "CAPS")); s = at + 4) {
			strncat(text, s, (size_t)(at - s));
			strcat(text, default_caps);
		}
		strcat(text, s);
		len = strlen(text);
	}
	spec = json_loadb(text, len, 0, &jerr);
	free(text);
	if (!json_is_object(spec)) {
		json_decref(spec);
		kcs_err_set(err, KCS_EXIT_INVALID, "%s: line %d: %s",
			    o->base ? o->base : "default spec", jerr.line,
			    spec ? "expected an object" : jerr.text);
		return NULL;
	}
	if (add_hooks(spec, o, err)) {
		json_decref(spec);
		return NULL;
	}
	s = dump(spec);
	if (!s)
		kcs_err_set(err, KCS_EXIT_FAILED, "out of memory");
	return s;
}

/* The wrapper with @KCSADM@ and @HOOK_ARGS@ filled in. */
static char *wrapper_text(const struct kcs_hook_install *o)
{
	const char *args = o->fail_open ? "--fail-open" : "";
	size_t len = sizeof(wrapper) + 4 * strlen(o->exe) + 16 + strlen(args);
	char *out = malloc(len), *p;
	const char *c, *k = strstr(wrapper, "@KCSADM@");
	const char *h = strstr(wrapper, "@HOOK_ARGS@");

	if (!out)
		return NULL;
	p = out;
	p += sprintf(p, "%.*s", (int)(k - wrapper), wrapper);
	/* Single-quoted: a path is data to the shell. */
	*p++ = '\'';
	for (c = o->exe; *c; c++)
		p += *c == '\'' ? sprintf(p, "'\\''") : sprintf(p, "%c", *c);
	*p++ = '\'';
	k += strlen("@KCSADM@");
	p += sprintf(p, "%.*s%s%s", (int)(h - k), k, args, h + strlen("@HOOK_ARGS@"));
	return out;
}

static int set_file(struct kcs_hook_file *f, const char *dir, const char *name,
		    char *content, mode_t mode, struct kcs_err *err)
{
	if (!content)
		return kcs_err_set(err, KCS_EXIT_FAILED, "out of memory");
	f->content = content;
	f->mode = mode;
	if (snprintf(f->path, sizeof(f->path), "%s/%s", dir, name) >=
	    (int)sizeof(f->path))
		return kcs_err_set(err, KCS_EXIT_INVALID, "%s: path too long", dir);
	return 0;
}

int kcs_hook_files(const struct kcs_hook_install *o,
		   struct kcs_hook_file f[KCS_HOOK_FILES_MAX], size_t *n,
		   struct kcs_err *err)
{
	const char *dir = o->dir ? o->dir : kcs_runtime_default_dir(o->runtime);
	int ret = 0;

	*n = 0;
	memset(f, 0, KCS_HOOK_FILES_MAX * sizeof(*f));
	if (!o->exe || *o->exe != '/')
		return kcs_err_set(err, KCS_EXIT_INVALID,
				   "the hook's kcsadm must be an absolute path");
	if (o->base && o->runtime != KCS_RT_CONTAINERD)
		return kcs_err_set(err, KCS_EXIT_USAGE, "--base is for --runtime containerd");
	switch (o->runtime) {
	case KCS_RT_PODMAN:
	case KCS_RT_CRIO:
		*n = 2;
		ret = set_file(&f[0], dir, "kcs-createRuntime.json",
			       hooks_d(o, "createRuntime"), 0644, err) ||
		      set_file(&f[1], dir, "kcs-poststop.json",
			       hooks_d(o, "poststop"), 0644, err);
		break;
	case KCS_RT_CONTAINERD:
		f[0].content = base_spec(o, err);
		if (!f[0].content)
			return -1;
		*n = 1;
		ret = set_file(&f[0], dir, "kcs-base-spec.json", f[0].content, 0644, err);
		break;
	case KCS_RT_DOCKER:
		*n = 1;
		ret = set_file(&f[0], dir, "kcs-runc", wrapper_text(o), 0755, err);
		break;
	}
	if (ret) {
		kcs_hook_files_free(f, *n);
		*n = 0;
		return -1;
	}
	return 0;
}

void kcs_hook_files_free(struct kcs_hook_file *f, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		free(f[i].content);
		f[i].content = NULL;
	}
}

int kcs_hook_text_ours(const char *s, size_t len)
{
	json_t *j, *h, *list;
	const char *stage;
	size_t i;
	int ours = 0;

	if (len >= sizeof(KCS_WRAPPER_MARK) && memmem(s, len, KCS_WRAPPER_MARK,
						      sizeof(KCS_WRAPPER_MARK) - 1))
		return 1;
	j = json_loadb(s, len, 0, NULL);
	/* oci-hooks 1.0.0: {"hook": {...}}; a spec: {"hooks": {stage: [...]}} */
	if (our_hook(json_object_get(j, "hook")))
		ours = 1;
	json_object_foreach(json_object_get(j, "hooks"), stage, list)
		json_array_foreach(list, i, h)
			ours |= our_hook(h);
	json_decref(j);
	return ours;
}

/* 1: ours, 0: another's, -1: absent (errno), -2: unreadable (@err). */
static int whose(const char *path, char **text, size_t *len,
		 struct kcs_err *err)
{
	*text = NULL;
	if (access(path, F_OK)) {
		if (errno == ENOENT)
			return -1;
		kcs_err_set(err, kcs_exit_from_errno(errno), "%s: %s", path,
			    strerror(errno));
		return -2;
	}
	*text = kcs_read_file(path, HOOK_FILE_MAX, len, err);
	if (!*text)
		return -2;
	return kcs_hook_text_ours(*text, *len);
}

static int not_ours(const char *path, struct kcs_err *err)
{
	return kcs_err_set(err, KCS_EXIT_FAILED,
			   "%s exists and was not written by kcsadm: left as it is (--force replaces it)",
			   path);
}

int kcs_hook_file_check(const char *path, int force, struct kcs_err *err)
{
	size_t len;
	char *old;
	int w = whose(path, &old, &len, err);

	free(old);
	if (force || w == -1 || w == 1)
		return 0;
	return w == 0 ? not_ours(path, err) : -1;
}

/* mkdir -p of @path's directory (hooks.d need not exist yet). */
static int make_parent(const char *path, struct kcs_err *err)
{
	char dir[PATH_MAX], *p;

	snprintf(dir, sizeof(dir), "%s", path);
	p = strrchr(dir, '/');
	if (!p || p == dir)
		return 0;
	*p = 0;
	for (p = dir + 1; ; p++) {
		char c = *p;

		if (c && c != '/')
			continue;
		*p = 0;
		if (mkdir(dir, 0755) && errno != EEXIST)
			return kcs_err_set(err, kcs_exit_from_errno(errno), "%s: %s",
					   dir, strerror(errno));
		if (!c)
			return 0;
		*p = c;
	}
}

int kcs_hook_file_write(const struct kcs_hook_file *f, int force,
			enum kcs_hook_change *done, struct kcs_err *err)
{
	char tmp[PATH_MAX + 8], *old;
	size_t len = 0, n = strlen(f->content);
	int w = whose(f->path, &old, &len, err), fd;

	if (w == -2 && !force)
		return -1;
	if (w == 0 && !force) {
		free(old);
		return not_ours(f->path, err);
	}
	if (old && len == n && !memcmp(old, f->content, n)) {
		free(old);
		*done = KCS_HOOK_UNCHANGED;
		return 0;
	}
	free(old);
	if (snprintf(tmp, sizeof(tmp), "%s.tmp", f->path) >= (int)sizeof(tmp))
		return kcs_err_set(err, KCS_EXIT_INVALID, "%s: path too long", f->path);
	if (make_parent(f->path, err))
		return -1;
	fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, f->mode);
	if (fd < 0)
		return kcs_err_set(err, kcs_exit_from_errno(errno), "%s: %s", tmp,
				   strerror(errno));
	/* The mode asked for, whatever the umask. */
	if (write(fd, f->content, n) != (ssize_t)n || fchmod(fd, f->mode) ||
	    fsync(fd)) {
		kcs_err_set(err, kcs_exit_from_errno(errno), "%s: %s", tmp, strerror(errno));
		close(fd);
		unlink(tmp);
		return -1;
	}
	if (close(fd) || rename(tmp, f->path)) {
		kcs_err_set(err, kcs_exit_from_errno(errno), "%s: %s", f->path,
			    strerror(errno));
		unlink(tmp);
		return -1;
	}
	*done = KCS_HOOK_WRITTEN;
	return 0;
}

int kcs_hook_file_remove(const char *path, int force,
			 enum kcs_hook_change *done, struct kcs_err *err)
{
	size_t len;
	char *old;
	int w = whose(path, &old, &len, err);

	free(old);
	if (w == -1) {
		*done = KCS_HOOK_ABSENT;
		return 0;
	}
	if (w == -2 && !force)
		return -1;
	if (w == 0 && !force)
		return not_ours(path, err);
	if (unlink(path) && errno != ENOENT)
		return kcs_err_set(err, kcs_exit_from_errno(errno), "%s: %s", path,
				   strerror(errno));
	*done = KCS_HOOK_REMOVED;
	return 0;
}

const char *kcs_hook_change_name(enum kcs_hook_change c)
{
	static const char *const names[] = {
		[KCS_HOOK_WRITTEN] = "written", [KCS_HOOK_UNCHANGED] = "unchanged",
		[KCS_HOOK_REMOVED] = "removed", [KCS_HOOK_ABSENT] = "absent",
	};

	return c <= KCS_HOOK_ABSENT ? names[c] : "unknown";
}
