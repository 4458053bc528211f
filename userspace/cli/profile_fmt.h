/* SPDX-License-Identifier: GPL-2.0 */
/* profile show's text output that tests check without a kernel. */
#ifndef KCS_PROFILE_FMT_H
#define KCS_PROFILE_FMT_H

#include <stdio.h>
#include <jansson.h>

/*
 * One "fqdn DIRECTION NAME: ADDRESS..." line per entry of @fqdn (the
 * record's "fqdn" array: the addresses in force), each followed, when
 * kcs_profile_state_resolve() added what the name resolves to now, by
 * "  resolves now: ADDRESS... (same)" or "(differs: +NEW -GONE)", or
 * "  resolves now: unknown: REASON".
 */
void profile_fqdn_text(FILE *f, const json_t *fqdn);

#endif /* KCS_PROFILE_FMT_H */
