// SPDX-License-Identifier: GPL-2.0
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "readfile.h"

char *kcs_read_file(const char *path, size_t max, size_t *len,
		    struct kcs_err *err)
{
	int is_stdin = !strcmp(path, "-");
	const char *origin = is_stdin ? "<stdin>" : path;
	FILE *f = is_stdin ? stdin : fopen(path, "r");
	size_t cap = 4096, n = 0, got;
	char *buf = NULL, *nb;

	if (!f) {
		kcs_err_set(err, errno == ENOENT ? KCS_EXIT_NOTFOUND :
			    kcs_exit_from_errno(errno), "%s: %s", path,
			    strerror(errno));
		return NULL;
	}
	for (;;) {
		nb = realloc(buf, cap + 1);
		if (!nb) {
			kcs_err_set(err, KCS_EXIT_FAILED, "%s: out of memory", origin);
			goto fail;
		}
		buf = nb;
		got = fread(buf + n, 1, cap - n, f);
		n += got;
		if (n < cap)
			break;
		/* One byte past @max tells "too large" from "exactly max". */
		if (cap > max) {
			kcs_err_set(err, KCS_EXIT_INVALID, "%s: larger than %zu bytes",
				    origin, max);
			goto fail;
		}
		cap *= 2;
	}
	if (ferror(f)) {
		kcs_err_set(err, kcs_exit_from_errno(errno), "%s: read error: %s",
			    origin, strerror(errno));
		goto fail;
	}
	if (n > max) {
		kcs_err_set(err, KCS_EXIT_INVALID, "%s: larger than %zu bytes",
			    origin, max);
		goto fail;
	}
	if (!is_stdin)
		fclose(f);
	buf[n] = '\0';
	*len = n;
	return buf;
fail:
	if (!is_stdin)
		fclose(f);
	free(buf);
	return NULL;
}
