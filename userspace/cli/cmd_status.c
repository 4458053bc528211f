// SPDX-License-Identifier: GPL-2.0
/* kcsadm status: what the module reports about itself. */
#include <inttypes.h>

#include "cmds.h"
#include "names.h"
#include "ops.h"

/* The hook kinds proven to fire (see kcsadm load), in the ABI's order. */
static json_t *proven_json(uint32_t proven)
{
	json_t *a = json_array();
	unsigned int k;

	for (k = KCS_HOOK_EXEC; k < __KCS_HOOK_MAX; k++)
		if (proven & (1U << k))
			json_array_append_new(a, json_string(kcs_hook_name(k)));
	return a;
}

static void print_proven(uint32_t proven)
{
	unsigned int k;

	printf("hooks_proven:");
	for (k = KCS_HOOK_EXEC; k < __KCS_HOOK_MAX; k++)
		if (proven & (1U << k))
			printf(" %s", kcs_hook_name(k));
	printf(proven ? "\n" : " none (run kcsadm load)\n");
}

static int print_status(struct cli *cli, const struct kcs_status *st)
{
	char unknown[32];
	json_t *j, *stats;
	size_t i;

	if (!cli->json) {
		printf("abi_version: %" PRIu32 "\n", st->abi_version);
		printf("profiles: %" PRIu32 "\n", st->nprofiles);
		printf("bindings: %" PRIu32 "\n", st->nbindings);
		print_proven(st->hooks_proven);
		printf("event_subscribers: %" PRIu32 "\n", st->nsubscribers);
		printf("stats:\n");
	}
	stats = json_object();
	for (i = 0; i < st->nstats; i++) {
		const char *name = kcs_stat_name(st->stats[i].type);

		/* A newer module's stats still show, by number. */
		if (!name) {
			snprintf(unknown, sizeof(unknown), "stat_%u",
				 st->stats[i].type);
			name = unknown;
		}
		if (cli->json)
			json_object_set_new(stats, name,
					    json_integer((json_int_t)st->stats[i].value));
		else
			printf("  %s: %" PRIu64 "\n", name, st->stats[i].value);
	}
	if (!cli->json) {
		json_decref(stats);
		return KCS_EXIT_OK;
	}
	j = json_pack("{s:I,s:I,s:I,s:o,s:I,s:o}", "abi_version",
		      (json_int_t)st->abi_version, "profiles",
		      (json_int_t)st->nprofiles, "bindings",
		      (json_int_t)st->nbindings, "hooks_proven",
		      proven_json(st->hooks_proven), "event_subscribers",
		      (json_int_t)st->nsubscribers, "stats", stats);
	return out_json(j, 0);
}

static int run_status(struct cli *cli, const struct cli_cmd *cmd, int argc,
		      char **argv)
{
	static const struct option opts[] = { CLI_COMMON_OPTS, { 0 } };
	struct kcs_status st;
	struct kcs_err err;
	struct kcs_nl nl;
	int ret;

	ret = cli_parse(cli, cmd, argc, argv, ":h", opts, NULL, NULL);
	if (ret != CLI_CONTINUE)
		return ret;
	if (optind < argc)
		return cli_usage(cli, cmd, "unexpected argument '%s'", argv[optind]);
	if (kcs_nl_open(&nl, &err))
		return cli_fail(cli, &err);
	ret = kcs_status_get(&nl, &st, &err);
	kcs_nl_close(&nl);
	if (ret)
		return cli_fail(cli, &err);
	return print_status(cli, &st);
}

const struct cli_cmd cmd_status = {
	.name = "status",
	.run = run_status,
	.usage =
"Usage: kcsadm status\n"
"\n"
"Show the module's protocol (ABI) version, its number of profiles and\n"
"bindings, and every statistic counter by name (see docs/kcsadm.md).\n"
"Exits 5 when the module is not loaded.\n"
"\n"
"Options:\n"
"      --json   JSON output: {\"abi_version\",\"profiles\",\"bindings\",\n"
"               \"stats\":{NAME:VALUE,...}}\n"
"  -h, --help   this text\n",
};
