/* SPDX-License-Identifier: GPL-2.0 */
/*
 * An event as a list of (name, value) text pairs: what the syslog and
 * journal sinks carry (docs/events.md). The names are those of monitor's
 * JSON fields; fields the source cannot know (an ingress packet has no
 * task) are left out rather than sent empty.
 */
#ifndef KCS_EVENT_FIELDS_H
#define KCS_EVENT_FIELDS_H

#include "events.h"

/* @raw: the value is bytes from the monitored system (path, comm...),
 * possibly not UTF-8 and with any byte; otherwise it is plain ASCII. */
typedef void (*event_field_fn)(const char *name, const char *val, int raw,
			       void *arg);

void event_fields(const struct kcs_event *ev, event_field_fn fn, void *arg);

/* The IP protocol a socket event names ("tcp"...), and "egress",
 * "ingress" or "listen" for its hook: shared with event_out.c. */
const char *event_proto_name(uint32_t proto);
const char *event_direction(uint32_t hook);
/* CAP_SYS_ADMIN, or the number for one newer than this kcsadm; @buf
 * holds the number. */
const char *event_cap_name(uint32_t cap, char *buf, size_t len);
/* A system call's six arguments, "0x1,0x0,...": in hex, as flags read. */
void event_sys_args(const struct kcs_event *ev, char *buf, size_t len);

#endif /* KCS_EVENT_FIELDS_H */
