/* SPDX-License-Identifier: GPL-2.0 */
/* Whole small files (policies, config.json, state JSON) into memory. */
#ifndef KCS_READFILE_H
#define KCS_READFILE_H

#include <stddef.h>

#include "err.h"

/*
 * All of @path ("-": standard input) in a malloc'ed, NUL-terminated
 * buffer, *@len bytes without the NUL. Refuses more than @max bytes
 * (exit 3). A missing file is exit 6, as everywhere in kcsadm.
 */
char *kcs_read_file(const char *path, size_t max, size_t *len,
		    struct kcs_err *err);

#endif /* KCS_READFILE_H */
