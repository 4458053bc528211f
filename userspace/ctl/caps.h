/* SPDX-License-Identifier: GPL-2.0 */
/* Linux capability names <-> numbers, as policies and config.json name
 * them ("CAP_SYS_ADMIN"; policies may drop the "CAP_"). */
#ifndef KCS_CAPS_H
#define KCS_CAPS_H

#include <stdint.h>

/* Capabilities this kcsadm knows: 0 .. KCS_CAP_COUNT - 1. */
#define KCS_CAP_COUNT	41

/* The number of "CAP_X" or "X" (case-insensitive), or -1. */
int kcs_cap_parse(const char *name);

/* "CAP_X" for a known number, else NULL. */
const char *kcs_cap_name(int cap);

#endif /* KCS_CAPS_H */
