/* SPDX-License-Identifier: GPL-2.0 */
/*
 * kcsadm metrics: the module's status in the Prometheus text exposition
 * format (names and labels in docs/kcsadm.md). A pure function of the
 * status and the bindings, so the tests compare its exact output.
 */
#ifndef KCS_METRICS_H
#define KCS_METRICS_H

#include <stdio.h>

#include "ops.h"

/* Returns 0, or KCS_EXIT_FAILED when writing to @f failed. */
int metrics_fmt(FILE *f, const struct kcs_status *st,
		const struct kcs_binding *b, size_t nb);

/* A label value as the exposition format wants it: '\', '"' and newline
 * escaped. */
void metrics_label_value(FILE *f, const char *v);

/* The file node_exporter reads: DIR/kcs.prom. */
#define METRICS_FILE	"kcs.prom"

/* Write @len bytes of @buf to @dir/kcs.prom atomically (mode 0644);
 * returns 0, or -1 with @err and nothing left behind. */
int metrics_write_textfile(const char *dir, const char *buf, size_t len,
			   struct kcs_err *err);

#endif /* KCS_METRICS_H */
