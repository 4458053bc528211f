/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Shared by the pattern compiler's stages only: error reporting and the
 * growable-array helper. Nothing here is part of the library's API.
 */
#ifndef KCS_LIB_INTERNAL_H
#define KCS_LIB_INTERNAL_H

#include <stddef.h>
#include <stdint.h>

#include "compile.h"

/* Fill @err; printf-style message. Always returns -1 for "return err_set()". */
int err_set(struct kcs_compile_error *err, long index, size_t pos,
	    const char *fmt, ...) __attribute__((format(printf, 4, 5)));

/*
 * Make room for @need elements in *@arr of @elem bytes each, growing
 * geometrically so appends are amortized O(1). Returns 0 or -1 on overflow
 * or allocation failure (then *@arr is untouched).
 */
int grow(void **arr, size_t *cap, size_t need, size_t elem);

#endif /* KCS_LIB_INTERNAL_H */
