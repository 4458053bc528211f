/* SPDX-License-Identifier: GPL-2.0 */
/*
 * How `kcsadm monitor` prints events and gaps, text or JSON lines (the
 * formats are documented in docs/kcsadm.md). Kept apart from the command
 * so that tests can feed it events without a kernel.
 */
#ifndef KCS_EVENT_OUT_H
#define KCS_EVENT_OUT_H

#include <stdio.h>

#include "events.h"

/* Each returns 0, or KCS_EXIT_FAILED when output failed. */
int event_out(FILE *f, int json, const struct kcs_event *ev);
int event_out_gap(FILE *f, int json, const struct kcs_gap *gap);
int event_out_overrun(FILE *f, int json);
/* Ingress events lost in namespace @netns: @lost of them, or 0 when the
 * nflog socket overran (count unknown until the next packet). */
int event_out_nflog_loss(FILE *f, int json, const char *netns,
			 uint64_t lost);

/* UTC, ISO 8601 with nanoseconds: 2024-05-01T12:00:00.000000001Z */
void event_fmt_time(uint64_t ns, char *buf, size_t len);

#endif /* KCS_EVENT_OUT_H */
