/* SPDX-License-Identifier: GPL-2.0 */
/* The command table: one entry per kcsadm command, defined in cmd_*.c. */
#ifndef KCS_CMDS_H
#define KCS_CMDS_H

#include "cli.h"

extern const struct cli_cmd cmd_load, cmd_unload;		/* cmd_module.c */
extern const struct cli_cmd cmd_status;				/* cmd_status.c */
extern const struct cli_cmd cmd_profile;			/* cmd_profile.c */
extern const struct cli_cmd cmd_binding;			/* cmd_bind.c */
/* Aliases of binding add, delete, list: the commands' first names. */
extern const struct cli_cmd cmd_bind, cmd_unbind, cmd_bindings;	/* cmd_bind.c */
extern const struct cli_cmd cmd_monitor;			/* cmd_monitor.c */
extern const struct cli_cmd cmd_metrics;			/* cmd_metrics.c */
extern const struct cli_cmd cmd_netwatch;			/* cmd_netwatch.c */
extern const struct cli_cmd cmd_learn;				/* cmd_learn.c */
extern const struct cli_cmd cmd_policy;				/* cmd_policy.c */
extern const struct cli_cmd cmd_image;				/* cmd_image.c */
extern const struct cli_cmd cmd_oci_hook;			/* cmd_oci_hook.c */
extern const struct cli_cmd cmd_sync, cmd_restore;		/* cmd_sync.c */
extern const struct cli_cmd cmd_hook;				/* cmd_hook.c */

/* Run the command named argv[0] from @table (NULL-terminated). */
int cli_dispatch(struct cli *cli, const struct cli_cmd *group,
		 const struct cli_cmd *const *table, int argc, char **argv);

/* A command group's run(): its own --help and --json, then one of @table. */
int cli_run_group(struct cli *cli, const struct cli_cmd *group,
		  const struct cli_cmd *const *table, int argc, char **argv);

/* cli_run_group's work under __complete: go down to the subcommand named
 * in @argv, or print @table's names and @longopts. */
int cli_complete_group(struct cli *cli, const struct cli_cmd *const *table,
		       const struct option *longopts, int argc, char **argv);

#endif /* KCS_CMDS_H */
