/* SPDX-License-Identifier: GPL-2.0 */
/* Loading and unloading kcs.ko through libkmod. */
#ifndef KCS_KMODCTL_H
#define KCS_KMODCTL_H

#include "err.h"

#define KCS_MODULE_NAME	"kcs"

/*
 * Insert the module from the file @path, or the installed module
 * KCS_MODULE_NAME (modules.dep lookup) when @path is NULL. *@was_loaded
 * is set when it already was (which counts as success).
 */
int kcs_module_load(const char *path, int *was_loaded, struct kcs_err *err);

/* Remove the module; *@was_loaded is 0 when it was not loaded (success). */
int kcs_module_unload(int *was_loaded, struct kcs_err *err);

#endif /* KCS_KMODCTL_H */
