// SPDX-License-Identifier: GPL-2.0
/*
 * RFC 5424 messages for kcs events:
 *   <PRI>1 TIMESTAMP HOST kcsadm PID HOOK [kcs@32473 name="value" ...] TEXT
 * TEXT is monitor's text line for the event, so a reader that drops the
 * structured data still sees everything.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "event_fields.h"
#include "event_out.h"
#include "names.h"
#include "sink_fmt.h"

int sink_severity(const struct kcs_event *ev)
{
	return ev->mode == KCS_MODE_AUDIT || ev->verdict != KCS_VERDICT_DENY ?
	       KCS_SYSLOG_NOTICE : KCS_SYSLOG_WARNING;
}

/* RFC 5424 TIMESTAMP: at most 6 fraction digits (TIME-SECFRAC). */
static void stamp(FILE *f, uint64_t ns)
{
	time_t s = (time_t)(ns / 1000000000ULL);
	char buf[32];
	struct tm tm;

	gmtime_r(&s, &tm);
	strftime(buf, sizeof(buf), "%Y-%m-%dT%H:%M:%S", &tm);
	fprintf(f, "%s.%06" PRIu64 "Z", buf, (uint64_t)(ns % 1000000000ULL / 1000));
}

/* HOSTNAME is PRINTUSASCII, 1-255 characters, else "-". */
static void host_field(FILE *f, const char *host)
{
	const char *p;

	if (!host || !*host || strlen(host) > 255)
		goto nil;
	for (p = host; *p; p++)
		if (*p < 33 || *p > 126)
			goto nil;
	fputs(host, f);
	return;
nil:
	fputc('-', f);
}

static void header(FILE *f, int sev, uint64_t ns, const char *host, int pid,
		   const char *msgid)
{
	fprintf(f, "<%d>1 ", KCS_SYSLOG_FACILITY * 8 + sev);
	stamp(f, ns);
	fputc(' ', f);
	host_field(f, host);
	fprintf(f, " " KCS_SYSLOG_APP " %d %s ", pid, msgid);
}

/*
 * PARAM-VALUE: '"', '\' and ']' escaped with '\' (RFC 5424 6.3.3). Bytes
 * from the monitored system may be anything: control bytes and bytes
 * above 0x7e become \xNN, so the value is ASCII, one line, and a hostile
 * path cannot forge a parameter (a real backslash is "\\").
 */
static void sd_param(const char *name, const char *val, int raw, void *arg)
{
	FILE *f = arg;
	const unsigned char *p;

	(void)raw;
	fprintf(f, " %s=\"", name);
	for (p = (const unsigned char *)val; *p; p++) {
		if (*p == '"' || *p == '\\' || *p == ']')
			fprintf(f, "\\%c", *p);
		else if (*p < 0x20 || *p > 0x7e)
			fprintf(f, "\\x%02x", *p);
		else
			fputc(*p, f);
	}
	fputc('"', f);
}

/* @bufp, @len: open_memstream's, set by fclose. */
static char *finish(FILE *f, char **bufp, size_t *len)
{
	char *buf;

	if (fclose(f)) {
		free(*bufp);
		return NULL;
	}
	buf = *bufp;
	/* No newline: the datagram is the message. */
	if (*len && buf[*len - 1] == '\n')
		buf[--*len] = '\0';
	return buf;
}

char *syslog_fmt_event(const struct kcs_event *ev, const char *host, int pid,
		       size_t *len)
{
	char *buf = NULL;
	FILE *f = open_memstream(&buf, len);

	if (!f)
		return NULL;
	header(f, sink_severity(ev), ev->time_ns, host, pid,
	       kcs_hook_name(ev->hook));
	fputs("[" KCS_SYSLOG_SDID, f);
	event_fields(ev, sd_param, f);
	fputs("] ", f);
	/* monitor's text line: untrusted strings already quoted there. */
	event_out(f, 0, ev);
	return finish(f, &buf, len);
}

char *syslog_fmt_note(const char *msgid, const char *msg, uint64_t time_ns,
		      const char *host, int pid, size_t *len)
{
	char *buf = NULL;
	FILE *f = open_memstream(&buf, len);

	if (!f)
		return NULL;
	header(f, KCS_SYSLOG_WARNING, time_ns, host, pid, msgid);
	fprintf(f, "- %s", msg);
	return finish(f, &buf, len);
}
