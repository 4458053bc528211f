/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Where `kcsadm monitor` sends events besides stdout: a JSON-lines file
 * with size-based rotation, the local syslog socket, the journal. A write
 * that fails is reported on stderr and counted, never dropped silently;
 * the monitor goes on (a full disk must not stop the other sinks).
 */
#ifndef KCS_SINK_H
#define KCS_SINK_H

#include <stdint.h>

#include "events.h"

/* The sockets; the environment variables override them (for tests). */
#define KCS_SYSLOG_SOCKET	"/dev/log"
#define KCS_JOURNAL_SOCKET	"/run/systemd/journal/socket"
#define KCS_SYSLOG_SOCKET_ENV	"KCS_SYSLOG_SOCKET"
#define KCS_JOURNAL_SOCKET_ENV	"KCS_JOURNAL_SOCKET"

struct sink_file {
	const char *path;	/* NULL: no file sink */
	int fd;
	uint64_t size;		/* bytes in the current file */
	uint64_t rotate_size;	/* 0: never rotate */
	unsigned int keep;	/* path.1 ... path.keep */
};

struct sinks {
	struct sink_file file;
	int syslog, journal;	/* asked for */
	int syslog_fd, journal_fd;
	char host[256];
	int pid;
	uint64_t errors;	/* writes that failed, all sinks */
};

/* Before sinks_open: nothing selected. */
void sinks_init(struct sinks *s);
/* Open what was selected; returns 0, or -1 with @err. */
int sinks_open(struct sinks *s, struct kcs_err *err);
void sinks_close(struct sinks *s);
int sinks_any(const struct sinks *s);

/* Each returns 0, or -1 when a sink failed (reported and counted). */
int sinks_event(struct sinks *s, const struct kcs_event *ev);
/* A gap, overrun or loss: @json is its JSON line (no newline) for the
 * file, @text its text line for syslog and the journal. */
int sinks_note(struct sinks *s, const char *msgid, const char *json,
	       const char *text);
/* SIGHUP: reopen the file (an external logrotate moved it). */
int sinks_reopen(struct sinks *s);

/* Append @len bytes (whole lines) to the file sink, rotating first when
 * they would take it past rotate_size. Exposed for the tests. */
int sink_file_write(struct sink_file *f, const char *buf, size_t len);
int sink_file_open(struct sink_file *f);
void sink_file_close(struct sink_file *f);

/* "1048576", "512k", "10M", "1G" (powers of 1024); 0 on success. */
int sink_parse_size(const char *s, uint64_t *out);

#endif /* KCS_SINK_H */
