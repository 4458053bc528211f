// SPDX-License-Identifier: GPL-2.0
#include <stdlib.h>
#include <string.h>

#include "bound_profiles.h"
#include "cli.h"
#include "names.h"

int out_json(json_t *v, int compact)
{
	size_t flags = JSON_PRESERVE_ORDER | (compact ? JSON_COMPACT : JSON_INDENT(2));
	int ret = 0;

	if (!v) {
		fprintf(stderr, "kcsadm: out of memory building JSON output\n");
		return KCS_EXIT_FAILED;
	}
	if (json_dumpf(v, stdout, flags) < 0 || fputc('\n', stdout) == EOF)
		ret = KCS_EXIT_FAILED;
	json_decref(v);
	return ret;
}

size_t out_utf8_len(const unsigned char *s)
{
	size_t n, i;
	unsigned int cp;

	if (s[0] < 0x80)
		return 1;
	if (s[0] >= 0xc2 && s[0] <= 0xdf) {
		n = 2;
		cp = s[0] & 0x1f;
	} else if (s[0] >= 0xe0 && s[0] <= 0xef) {
		n = 3;
		cp = s[0] & 0x0f;
	} else if (s[0] >= 0xf0 && s[0] <= 0xf4) {
		n = 4;
		cp = s[0] & 0x07;
	} else {
		return 0;
	}
	for (i = 1; i < n; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		cp = cp << 6 | (s[i] & 0x3f);
	}
	if ((n == 3 && (cp < 0x800 || (cp >= 0xd800 && cp <= 0xdfff))) ||
	    (n == 4 && (cp < 0x10000 || cp > 0x10ffff)))
		return 0;
	return n;
}

json_t *out_jstr(const char *s)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t i = 0, o = 0, n;
	json_t *j;
	char *buf;

	if (!s)
		return json_null();
	j = json_string(s);
	if (j)
		return j;
	/* Paths and comm come from the monitored system and need not be
	 * UTF-8; JSON strings must be. Keep the bytes visible. */
	buf = malloc(strlen(s) * 4 + 1);
	if (!buf)
		return NULL;
	while (p[i]) {
		n = out_utf8_len(p + i);
		if (n) {
			memcpy(buf + o, p + i, n);
			o += n;
			i += n;
		} else {
			o += sprintf(buf + o, "\\x%02x", p[i]);
			i++;
		}
	}
	buf[o] = '\0';
	j = json_string(buf);
	free(buf);
	return j;
}

void out_text_str(FILE *f, const char *s)
{
	const unsigned char *p = (const unsigned char *)s;

	if (!s) {
		fputc('-', f);
		return;
	}
	if (*s && !strpbrk(s, " \"\\=") && !strpbrk(s, "\t\n\r")) {
		for (; *p; p++)
			if (*p < 0x20 || *p == 0x7f)
				break;
		if (!*p) {
			fputs(s, f);
			return;
		}
	}
	fputc('"', f);
	for (p = (const unsigned char *)s; *p; p++) {
		if (*p == '"' || *p == '\\')
			fprintf(f, "\\%c", *p);
		else if (*p < 0x20 || *p == 0x7f)
			fprintf(f, "\\x%02x", *p);
		else
			fputc(*p, f);
	}
	fputc('"', f);
}

json_t *out_profiles_json(const struct kcs_profiles *p)
{
	json_t *a = json_array();
	unsigned int i;

	for (i = 0; a && i < p->n; i++)
		json_array_append_new(a, json_pack("{s:s,s:s}", "name", p->name[i],
						   "mode", kcs_mode_name(p->mode[i])));
	return a;
}
