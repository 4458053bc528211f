// SPDX-License-Identifier: GPL-2.0
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "json_check.h"	/* err.h brings the exit codes */

int kcs_json_bad(struct kcs_err *err, const char *fmt, ...)
{
	va_list ap;

	err->code = KCS_EXIT_INVALID;
	va_start(ap, fmt);
	vsnprintf(err->msg, sizeof(err->msg), fmt, ap);
	va_end(ap);
	return -1;
}

const char *kcs_json_type_name(const json_t *v)
{
	switch (json_typeof(v)) {
	case JSON_OBJECT: return "an object";
	case JSON_ARRAY: return "an array";
	case JSON_STRING: return "a string";
	case JSON_INTEGER: return "an integer";
	case JSON_REAL: return "a number";
	case JSON_TRUE:
	case JSON_FALSE: return "a boolean";
	default: return "null";
	}
}

int kcs_json_only_keys(const json_t *obj, const char *where,
		       const char *const *known, struct kcs_err *err)
{
	const char *key;
	json_t *v;

	json_object_foreach((json_t *)obj, key, v) {
		const char *const *k;

		for (k = known; *k; k++)
			if (!strcmp(*k, key))
				break;
		if (!*k)
			return kcs_json_bad(err, "%s: unknown key \"%s\"", where, key);
	}
	return 0;
}
