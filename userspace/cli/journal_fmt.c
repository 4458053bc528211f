// SPDX-License-Identifier: GPL-2.0
/*
 * The journal's native protocol (systemd's "Native Journal Protocol"):
 * one datagram of FIELD=value lines. Field names are upper case letters,
 * digits and '_', so monitor's JSON names become KCS_<NAME>. Values are
 * bytes: a value holding a newline goes in the binary-safe form.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <ctype.h>

#include "event_fields.h"
#include "event_out.h"
#include "sink_fmt.h"

static void field(FILE *f, const char *name, const char *val, size_t n)
{
	unsigned char le[8];
	uint64_t v = n;
	int i;

	if (!memchr(val, '\n', n)) {
		fprintf(f, "%s=", name);
		fwrite(val, 1, n, f);
		fputc('\n', f);
		return;
	}
	for (i = 0; i < 8; i++, v >>= 8)
		le[i] = (unsigned char)(v & 0xff);
	fprintf(f, "%s\n", name);
	fwrite(le, 1, sizeof(le), f);
	fwrite(val, 1, n, f);
	fputc('\n', f);
}

static void kcs_field(const char *name, const char *val, int raw, void *arg)
{
	char key[64] = "KCS_";
	size_t i;

	(void)raw;
	for (i = 0; name[i] && i + 5 < sizeof(key); i++)
		key[4 + i] = (char)toupper((unsigned char)name[i]);
	key[4 + i] = '\0';
	field(arg, key, val, strlen(val));
}

static void common(FILE *f, int prio, const char *msgid)
{
	fprintf(f, "PRIORITY=%d\nSYSLOG_FACILITY=%d\nSYSLOG_IDENTIFIER=%s\n",
		prio, KCS_SYSLOG_FACILITY, KCS_SYSLOG_APP);
	fprintf(f, "KCS_TYPE=%s\n", msgid);
}

/* @bufp: open_memstream's, set by fclose. */
static char *finish(FILE *f, char **bufp)
{
	if (fclose(f)) {
		free(*bufp);
		return NULL;
	}
	return *bufp;
}

char *journal_fmt_event(const struct kcs_event *ev, size_t *len)
{
	char *buf = NULL, *text = NULL;
	size_t tlen = 0;
	FILE *f, *t;

	/* MESSAGE: monitor's text line, without its newline. */
	t = open_memstream(&text, &tlen);
	if (!t)
		return NULL;
	event_out(t, 0, ev);
	if (fclose(t)) {
		free(text);
		return NULL;
	}
	if (tlen && text[tlen - 1] == '\n')
		tlen--;
	f = open_memstream(&buf, len);
	if (!f) {
		free(text);
		return NULL;
	}
	field(f, "MESSAGE", text, tlen);
	free(text);
	common(f, sink_severity(ev), "event");
	event_fields(ev, kcs_field, f);
	return finish(f, &buf);
}

char *journal_fmt_note(const char *msgid, const char *msg, size_t *len)
{
	char *buf = NULL;
	FILE *f = open_memstream(&buf, len);

	if (!f)
		return NULL;
	field(f, "MESSAGE", msg, strlen(msg));
	common(f, KCS_SYSLOG_WARNING, msgid);
	return finish(f, &buf);
}
