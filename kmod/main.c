// SPDX-License-Identifier: GPL-2.0
/*
 * kcs.ko: module load and unload, in dependency order.
 *
 * Load: the netlink family first (hooks send events through it), then the
 * hooks. Unload: hooks first and wait until no task is inside one (see
 * hook.c), then the family, then the tables nothing can reach any more.
 */
#include <linux/module.h>
#include <linux/rcupdate.h>
#include "kcs.h"

static int __init kcs_init(void)
{
	int err;

	err = kcs_pathbuf_init();
	if (err)
		return err;
	err = kcs_roots_init();
	if (err)
		goto err_pathbuf;
	err = kcs_event_sub_init();
	if (err)
		goto err_roots;
	err = kcs_netlink_init();
	if (err)
		goto err_sub;
	err = kcs_hooks_init();
	if (err)
		goto err_netlink;
	pr_info("kcs: loaded, ABI version %d\n", KCS_GENL_VERSION);
	return 0;

err_netlink:
	kcs_netlink_exit();
err_sub:
	kcs_event_sub_exit();
	rcu_barrier();
err_roots:
	kcs_roots_exit();
err_pathbuf:
	kcs_pathbuf_exit();
	return err;
}

static void __exit kcs_exit(void)
{
	kcs_hooks_exit();
	kcs_probe_exit();
	kcs_event_exit();	/* what waits in the batch, to the listeners */
	kcs_netlink_exit();
	kcs_event_sub_exit();
	kcs_bindings_free_all();
	kcs_profiles_free_all();
	/* Profile and subscriber frees queued with call_rcu() run module code. */
	rcu_barrier();
	/* Container roots put by the bindings: after their grace periods. */
	kcs_roots_exit();
	kcs_pathbuf_exit();
	pr_info("kcs: unloaded\n");
}

module_init(kcs_init);
module_exit(kcs_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("kcs: container runtime security enforcement");
MODULE_VERSION("0.1");
