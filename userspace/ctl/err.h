/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Error reports of the control library: an exit code from exitcodes.h and a
 * complete, human-readable sentence. Library functions never print; the CLI
 * decides how (text on stderr, JSON on stdout) a report is shown.
 */
#ifndef KCS_ERR_H
#define KCS_ERR_H

#include <errno.h>
#include "exitcodes.h"

struct kcs_err {
	enum kcs_exit code;
	char msg[1024];
};

/* Sets @e (if not NULL) and returns -1, so callers can `return kcs_err_set(...)`. */
int kcs_err_set(struct kcs_err *e, enum kcs_exit code, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* Prepends "@fmt: " to the message already in @e; returns -1. */
int kcs_err_prefix(struct kcs_err *e, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

#endif /* KCS_ERR_H */
