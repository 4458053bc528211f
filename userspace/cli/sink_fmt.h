/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Events as syslog (RFC 5424) and journald (native protocol) datagrams:
 * pure functions, so the tests compare their bytes without a socket. The
 * schemas are in docs/events.md.
 */
#ifndef KCS_SINK_FMT_H
#define KCS_SINK_FMT_H

#include <stddef.h>

#include "events.h"

/* Our private enterprise number's SD-ID, as RFC 5424 section 7.2.2 wants
 * for structured data that is not IANA's. */
#define KCS_SYSLOG_SDID		"kcs@32473"
#define KCS_SYSLOG_APP		"kcsadm"
/* authpriv: security messages that ordinary users should not read. */
#define KCS_SYSLOG_FACILITY	10
#define KCS_SYSLOG_WARNING	4
#define KCS_SYSLOG_NOTICE	5

/* Syslog severity (and journal PRIORITY) of @ev: warning for a denial,
 * notice for what audit mode only reported. */
int sink_severity(const struct kcs_event *ev);

/*
 * One RFC 5424 message for @ev from @host (NILVALUE "-" when NULL or
 * empty), process @pid: a malloc'ed string, its length in *@len, no
 * trailing newline. NULL when out of memory.
 */
char *syslog_fmt_event(const struct kcs_event *ev, const char *host, int pid,
		       size_t *len);
/* A message without structured data (events lost...), severity warning,
 * MSGID @msgid, text @msg (ASCII). */
char *syslog_fmt_note(const char *msgid, const char *msg, uint64_t time_ns,
		      const char *host, int pid, size_t *len);

/*
 * One native-journal datagram for @ev: FIELD=value lines; a value with a
 * newline in the binary-safe form (FIELD, newline, 64-bit little-endian
 * length, the bytes, newline). Malloc'ed, length in *@len (the datagram
 * holds NUL bytes then). NULL when out of memory.
 */
char *journal_fmt_event(const struct kcs_event *ev, size_t *len);
char *journal_fmt_note(const char *msgid, const char *msg, size_t *len);

#endif /* KCS_SINK_FMT_H */
