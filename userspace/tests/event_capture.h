/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What kcsadm prints for an event (text or --json), as a string: the
 * tests compare it with what a user would see.
 */
#ifndef KCS_TESTS_EVENT_CAPTURE_H
#define KCS_TESTS_EVENT_CAPTURE_H

#include <stdio.h>

#include "event_out.h"
#include "tap.h"

/* event_out() of @ev into a malloc'ed string (NULL when out of memory). */
static inline char *event_capture(const struct kcs_event *ev, int json)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	if (!f)
		return NULL;
	if (event_out(f, json, ev))
		tap_diag("event_out failed");
	fclose(f);
	return buf;
}

#endif /* KCS_TESTS_EVENT_CAPTURE_H */
