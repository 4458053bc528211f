/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Helpers shared by the strict JSON validators (profile_json.c and
 * net_json.c): every error names where in the document it is.
 */
#ifndef KCS_JSON_CHECK_H
#define KCS_JSON_CHECK_H

#include <jansson.h>
#include "err.h"

/* Set @err to an invalid-input error (exit 3); returns -1. */
int kcs_json_bad(struct kcs_err *err, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* "an object", "a string"...: for "expected X, got Y" messages. */
const char *kcs_json_type_name(const json_t *v);

/* Rejects keys of @obj that are not in the NULL-terminated @known. */
int kcs_json_only_keys(const json_t *obj, const char *where,
		       const char *const *known, struct kcs_err *err);

#endif /* KCS_JSON_CHECK_H */
