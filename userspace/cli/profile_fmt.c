// SPDX-License-Identifier: GPL-2.0
/* profile show's FQDN lines (profile_fmt.h). */
#include "profile_fmt.h"

/* " A B C" for the strings of @arr; @prefix before each ("+", "-", ""). */
static void addrs(FILE *f, const json_t *arr, const char *prefix)
{
	const json_t *x;
	size_t i;

	json_array_foreach(arr, i, x)
		if (json_is_string(x))
			fprintf(f, " %s%s", prefix, json_string_value(x));
}

/* The line --resolve adds under entry @e; none without --resolve. */
static void now_text(FILE *f, const json_t *e)
{
	const json_t *now = json_object_get(e, "addresses_now");

	if (!now)
		return;
	fputs("  resolves now:", f);
	if (!json_is_array(now)) {
		fprintf(f, " unknown: %s\n",
			json_string_value(json_object_get(e, "resolve_error")) ?: "?");
		return;
	}
	if (json_array_size(now))
		addrs(f, now, "");
	else
		fputs(" nothing", f);
	if (!json_is_true(json_object_get(e, "differs"))) {
		fputs(" (same)\n", f);
		return;
	}
	/* What a refresh would add and take away. */
	fputs(" (differs:", f);
	addrs(f, json_object_get(e, "added"), "+");
	addrs(f, json_object_get(e, "removed"), "-");
	fputs(")\n", f);
}

void profile_fqdn_text(FILE *f, const json_t *fqdn)
{
	const json_t *e, *in;
	size_t i;

	/* What netwatch or the last apply put in force, not a new lookup. */
	json_array_foreach(fqdn, i, e) {
		in = json_object_get(e, "addresses");
		fprintf(f, "fqdn %s %s:",
			json_string_value(json_object_get(e, "direction")) ?: "?",
			json_string_value(json_object_get(e, "name")) ?: "?");
		addrs(f, in, "");
		fputs(json_array_size(in) ? "\n" : " (resolved to nothing)\n", f);
		now_text(f, e);
	}
}
