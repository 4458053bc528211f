// SPDX-License-Identifier: GPL-2.0
#include <string.h>
#include <libkmod.h>

#include "kmodctl.h"

static int load_fail(struct kcs_err *err, const char *what, int errnum)
{
	switch (errnum) {
	case EPERM:
	case EACCES:
		return kcs_err_set(err, KCS_EXIT_PERM,
				   "%s: permission denied: loading modules needs CAP_SYS_MODULE in the initial user namespace (run as root on the host)",
				   what);
	case ENOEXEC:
		return kcs_err_set(err, KCS_EXIT_INVALID,
				   "%s: invalid module format (built for another kernel? see dmesg)",
				   what);
	case EKEYREJECTED:
	case ENOKEY:
		return kcs_err_set(err, KCS_EXIT_PERM,
				   "%s: the kernel requires signed modules and refused this one (%s)",
				   what, strerror(errnum));
	case ENOENT:
		return kcs_err_set(err, KCS_EXIT_NOTFOUND, "%s: %s", what,
				   strerror(errnum));
	default:
		return kcs_err_set(err, kcs_exit_from_errno(errnum),
				   "%s: %s (see dmesg)", what, strerror(errnum));
	}
}

static int is_live(struct kmod_module *mod)
{
	return kmod_module_get_initstate(mod) == KMOD_MODULE_LIVE;
}

int kcs_module_load(const char *path, int *was_loaded, struct kcs_err *err)
{
	struct kmod_ctx *ctx;
	struct kmod_module *mod = NULL;
	struct kmod_list *list = NULL;
	int ret;

	*was_loaded = 0;
	ctx = kmod_new(NULL, NULL);
	if (!ctx)
		return kcs_err_set(err, KCS_EXIT_FAILED, "libkmod: cannot initialize");
	if (path) {
		ret = kmod_module_new_from_path(ctx, path, &mod);
		if (ret < 0) {
			load_fail(err, path, -ret);
			goto out;
		}
	} else if (!kmod_module_new_from_name(ctx, KCS_MODULE_NAME, &mod) &&
		   is_live(mod)) {
		/* Loaded from wherever, installed or not: that is the one. */
		*was_loaded = 1;
		ret = 0;
		goto out;
	} else {
		kmod_module_unref(mod);
		mod = NULL;
		ret = kmod_module_new_from_lookup(ctx, KCS_MODULE_NAME, &list);
		if (ret < 0 || !list) {
			kcs_err_set(err, KCS_EXIT_NOTFOUND,
				    "module \"%s\" is not installed for this kernel (no match in modules.dep); give its file with --module PATH",
				    KCS_MODULE_NAME);
			ret = -1;
			goto out;
		}
		mod = kmod_module_get_module(list);
	}
	if (is_live(mod)) {
		*was_loaded = 1;
		ret = 0;
		goto out;
	}
	/* By path: exactly that file. By name: modprobe semantics (aliases,
	 * options, blacklist) as an administrator expects. */
	if (path)
		ret = kmod_module_insert_module(mod, 0, NULL);
	else
		ret = kmod_module_probe_insert_module(mod, 0, NULL, NULL, NULL,
						      NULL);
	if (ret == -EEXIST) {
		/* Raced with another loader: the module is there. */
		*was_loaded = 1;
		ret = 0;
	} else if (ret < 0) {
		load_fail(err, path ? path : KCS_MODULE_NAME, -ret);
	} else if (ret > 0) {
		/* probe_insert: blacklisted or similar. */
		kcs_err_set(err, KCS_EXIT_FAILED,
			    "%s: not loaded (blacklisted or refused by modprobe configuration)",
			    KCS_MODULE_NAME);
		ret = -1;
	}
out:
	kmod_module_unref(mod);
	kmod_module_unref_list(list);
	kmod_unref(ctx);
	return ret < 0 ? -1 : 0;
}

int kcs_module_unload(int *was_loaded, struct kcs_err *err)
{
	struct kmod_ctx *ctx;
	struct kmod_module *mod = NULL;
	int ret;

	*was_loaded = 0;
	ctx = kmod_new(NULL, NULL);
	if (!ctx)
		return kcs_err_set(err, KCS_EXIT_FAILED, "libkmod: cannot initialize");
	ret = kmod_module_new_from_name(ctx, KCS_MODULE_NAME, &mod);
	if (ret < 0) {
		kcs_err_set(err, KCS_EXIT_FAILED, "libkmod: %s", strerror(-ret));
		goto out;
	}
	if (kmod_module_get_initstate(mod) < 0) {
		ret = 0;	/* not loaded: nothing to do */
		goto out;
	}
	*was_loaded = 1;
	ret = kmod_module_remove_module(mod, 0);
	if (ret == -EBUSY || ret == -EAGAIN) {
		kcs_err_set(err, KCS_EXIT_BUSY,
			    "cannot unload %s: module is in use (reference count %d); retry when it is no longer used",
			    KCS_MODULE_NAME, kmod_module_get_refcnt(mod));
	} else if (ret == -EPERM || ret == -EACCES) {
		kcs_err_set(err, KCS_EXIT_PERM,
			    "cannot unload %s: permission denied: needs CAP_SYS_MODULE in the initial user namespace (run as root on the host)",
			    KCS_MODULE_NAME);
	} else if (ret == -ENOENT) {
		*was_loaded = 0;	/* unloaded meanwhile */
		ret = 0;
	} else if (ret < 0) {
		kcs_err_set(err, kcs_exit_from_errno(-ret),
			    "cannot unload %s: %s", KCS_MODULE_NAME, strerror(-ret));
	}
out:
	kmod_module_unref(mod);
	kmod_unref(ctx);
	return ret < 0 ? -1 : 0;
}
