// SPDX-License-Identifier: GPL-2.0
/*
 * The kcs sources under test, compiled into kcs_kunit.ko itself: an object
 * may belong to one module only, and kcs.ko exports nothing.
 */
#include "../dfa.c"
#include "../netm.c"
#include "../applet.c"
#include "../match.c"
#include "../event_fill.c"
#include "../sysrule.c"
