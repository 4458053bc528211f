/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A profile as parsed from its JSON form (docs/profile-format.md): already
 * validated, not yet compiled.
 */
#ifndef KCS_PROFILE_H
#define KCS_PROFILE_H

#include <stddef.h>
#include <linux/kcs.h>

#include "compile.h"
#include "err.h"
#include "net.h"
#include "sys.h"

struct kcs_pattern_set {
	const char *where;		/* JSON location, e.g. "exec.rules" */
	struct kcs_pattern *pats;	/* texts are owned (malloc'ed) */
	size_t n;
};

/* The file pattern sets, in the order of their attributes. */
enum { KCS_FILE_SET_READ, KCS_FILE_SET_WRITE, KCS_FILE_SET_MONITOR,
       KCS_FILE_SET_READ_ALLOW, KCS_FILE_SET_WRITE_ALLOW, KCS_FILE_SETS };

/* Their JSON keys under "files" ("deny_read", ...). */
extern const char *const kcs_file_set_keys[KCS_FILE_SETS];

struct kcs_profile_spec {
	char name[KCS_NAME_MAX];
	char *description;		/* NULL when absent */
	enum kcs_exec_kind kind;
	struct kcs_pattern_set rules;	/* block rules, or the allow list */
	struct kcs_pattern_set except;	/* block exclusions (KCS_EXEC_BLOCK) */
	struct kcs_pattern_set libs;	/* allow: "libraries" (n 0: absent) */
	struct kcs_net_spec net;	/* "network"; net.present 0 when absent */
	/* "files": deny_read, deny_write, monitor, allow_read, allow_write
	 * (n 0: absent) and what none of them names ("default"). */
	struct kcs_pattern_set files[KCS_FILE_SETS];
	enum kcs_sys_action file_default;
	struct kcs_sys_spec sys;	/* "syscalls"; sys.present 0 when absent */
	/* The profile's JSON with sorted keys and no whitespace: what
	 * `profile apply` records and `profile export` gives back, and what
	 * the content hash is computed over (profile_state.h). */
	char *canonical;
};

/* 1 when @name is a valid profile name (1..63 of [A-Za-z0-9._-]). */
int kcs_profile_name_valid(const char *name);

/*
 * Parse and validate a profile from @buf (@len bytes). @origin names the
 * input in messages (a file name or "<stdin>"). Returns 0, or -1 with
 * KCS_EXIT_INVALID and a message naming the JSON location at fault.
 */
int kcs_profile_parse(const char *buf, size_t len, const char *origin,
		      struct kcs_profile_spec *spec, struct kcs_err *err);

/* Reads @path ("-" = stdin) and parses it as above. */
int kcs_profile_load(const char *path, struct kcs_profile_spec *spec,
		     struct kcs_err *err);

void kcs_profile_free(struct kcs_profile_spec *spec);

/*
 * A "program": "text" (a mask), {"mask": "text"} or {"regex": "text"}, at
 * JSON location @loc; *@text is malloc'ed. 0, or -1 with KCS_EXIT_INVALID.
 */
int kcs_json_program(const json_t *v, const char *loc,
		     enum kcs_pattern_kind *kind, const char **text,
		     struct kcs_err *err);

#endif /* KCS_PROFILE_H */
