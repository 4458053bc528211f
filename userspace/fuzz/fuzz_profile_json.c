// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer target: the profile JSON parser and validator of kcsadm
 * (ctl/profile_json.c), straight from a memory buffer as kcsadm reads a
 * file. It must never crash or leak (LeakSanitizer runs at exit and, with
 * -detect_leaks=1, libFuzzer checks every run that allocated). Beyond
 * that, what it accepts must honour the promises of ctl/profile.h, which
 * the compiler and the netlink code rely on without checking again.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "profile.h"

static void check_set(const struct kcs_pattern_set *set, int required)
{
	size_t i;

	if (required && !set->n)
		abort();
	if (set->n > KCS_MAX_PATTERNS || (set->n && !set->pats))
		abort();
	for (i = 0; i < set->n; i++) {
		const struct kcs_pattern *p = &set->pats[i];

		if (!p->text || !p->text[0])
			abort();
		if (p->kind != KCS_PATTERN_MASK && p->kind != KCS_PATTERN_REGEX)
			abort();
		/* Relative masks never match: the parser refuses them. */
		if (p->kind == KCS_PATTERN_MASK && p->text[0] != '/')
			abort();
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct kcs_profile_spec spec;
	struct kcs_err err;

	memset(&err, 0, sizeof(err));
	if (kcs_profile_parse((const char *)data, size, "fuzz", &spec,
			      &err) == 0) {
		if (!memchr(spec.name, 0, sizeof(spec.name)) ||
		    !kcs_profile_name_valid(spec.name))
			abort();
		if (spec.kind >= __KCS_EXEC_KIND_MAX)
			abort();
		check_set(&spec.rules, spec.kind != KCS_EXEC_NONE);
		if (spec.kind != KCS_EXEC_BLOCK && spec.except.n)
			abort();
		check_set(&spec.except, 0);
		kcs_profile_free(&spec);
	} else if (!memchr(err.msg, 0, sizeof(err.msg)) || !err.msg[0] ||
		   err.code == KCS_EXIT_OK) {
		abort();	/* a refusal always explains itself */
	}
	return 0;
}
