// SPDX-License-Identifier: GPL-2.0
/* libkcs_preload.so: code that says so when it runs (LD_PRELOAD, dlopen). */
#include <unistd.h>

__attribute__((constructor)) static void kcs_preload_ran(void)
{
	if (write(1, "PRELOADED\n", 10) != 10)
		_exit(9);
}
