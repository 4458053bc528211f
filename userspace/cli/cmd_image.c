// SPDX-License-Identifier: GPL-2.0
/* kcsadm image register|list|delete: the registered images that the
 * unregistered_images check admits, kept in $KCS_CONFDIR/images. */
#include <string.h>

#include "cmds.h"
#include "imageref.h"
#include "policy_store.h"

extern const struct cli_cmd cmd_image_register, cmd_image_list,
	cmd_image_delete;

enum { OPT_DIGEST = OPT_FIRST_PRIVATE };

static int digest_opt(struct cli *cli, const struct cli_cmd *cmd, int c,
		      const char *arg, void *st)
{
	(void)cli; (void)cmd;
	if (c == OPT_DIGEST)
		*(const char **)st = arg;
	return CLI_CONTINUE;
}

/* REF | --digest D, normalised into @entry; CLI_CONTINUE or an exit code. */
static int entry_arg(struct cli *cli, const struct cli_cmd *cmd, int argc,
		     char **argv, char *entry, size_t size)
{
	static const struct option opts[] = {
		{ "digest", required_argument, NULL, OPT_DIGEST },
		CLI_COMMON_OPTS, { 0 }
	};
	const char *digest = NULL;
	struct kcs_imageref ref;
	struct kcs_err err;
	int ret;

	ret = cli_parse(cli, cmd, argc, argv, ":h", opts, digest_opt, &digest);
	if (ret != CLI_CONTINUE)
		return ret;
	if (digest && optind < argc)
		return cli_usage(cli, cmd, "give REF or --digest D, not both");
	if (!digest && optind == argc)
		return cli_usage(cli, cmd, "missing REF (or --digest D)");
	if (argc - optind > 1)
		return cli_usage(cli, cmd, "unexpected argument '%s'", argv[optind + 1]);
	if (digest) {
		if (kcs_digest_check(digest, &err))
			return cli_fail(cli, &err);
		snprintf(entry, size, "%s", digest);
		return CLI_CONTINUE;
	}
	if (kcs_imageref_parse(argv[optind], &ref, &err))
		return cli_fail(cli, &err);
	snprintf(entry, size, "%s", ref.full);
	return CLI_CONTINUE;
}

static int run_register(struct cli *cli, const struct cli_cmd *cmd, int argc,
			char **argv)
{
	char entry[KCS_IMAGE_REF_MAX + 1];
	struct kcs_err err;
	int ret, added;

	ret = entry_arg(cli, cmd, argc, argv, entry, sizeof(entry));
	if (ret != CLI_CONTINUE)
		return ret;
	if (kcs_images_add(entry, &added, &err))
		return cli_fail(cli, &err);
	if (cli->json)
		return out_json(json_pack("{s:s,s:b}", "image", entry, "added", added), 0);
	printf("image %s %s\n", entry, added ? "registered" : "already registered");
	return KCS_EXIT_OK;
}

static int run_delete(struct cli *cli, const struct cli_cmd *cmd, int argc,
		      char **argv)
{
	char entry[KCS_IMAGE_REF_MAX + 1];
	struct kcs_err err;
	int ret;

	ret = entry_arg(cli, cmd, argc, argv, entry, sizeof(entry));
	if (ret != CLI_CONTINUE)
		return ret;
	if (kcs_images_del(entry, &err))
		return cli_fail(cli, &err);
	if (cli->json)
		return out_json(json_pack("{s:s}", "deleted", entry), 0);
	printf("image %s deleted\n", entry);
	return KCS_EXIT_OK;
}

static int run_list(struct cli *cli, const struct cli_cmd *cmd, int argc,
		    char **argv)
{
	static const struct option opts[] = { CLI_COMMON_OPTS, { 0 } };
	struct kcs_image_list l;
	struct kcs_err err;
	json_t *arr;
	size_t i;
	int ret;

	ret = cli_parse(cli, cmd, argc, argv, ":h", opts, NULL, NULL);
	if (ret != CLI_CONTINUE)
		return ret;
	if (optind < argc)
		return cli_usage(cli, cmd, "unexpected argument '%s'", argv[optind]);
	if (kcs_images_load(&l, &err))
		return cli_fail(cli, &err);
	if (!cli->json) {
		for (i = 0; i < l.n; i++)
			puts(l.v[i]);
		kcs_images_free(&l);
		return KCS_EXIT_OK;
	}
	arr = json_array();
	for (i = 0; arr && i < l.n; i++)
		json_array_append_new(arr, json_string(l.v[i]));
	kcs_images_free(&l);
	return out_json(arr ? json_pack("{s:o}", "images", arr) : NULL, 0);
}

static int run_group(struct cli *cli, const struct cli_cmd *cmd, int argc,
		     char **argv)
{
	static const struct cli_cmd *const sub[] = {
		&cmd_image_register, &cmd_image_list, &cmd_image_delete, NULL
	};

	return cli_run_group(cli, cmd, sub, argc, argv);
}

const struct cli_cmd cmd_image = {
	.name = "image",
	.run = run_group,
	.usage =
"Usage: kcsadm image register REF | --digest D\n"
"       kcsadm image list\n"
"       kcsadm image delete REF | --digest D\n"
"\n"
"Manage the registered images ($KCS_CONFDIR/images, default /etc/kcs):\n"
"the images a policy's unregistered_images check lets start.\n"
"`kcsadm image CMD --help` describes each command.\n",
};

#define ENTRY_HELP \
"REF is normalised first (nginx is docker.io/library/nginx:latest). A\n" \
"reference with a digest admits that digest under that name; one with\n" \
"a tag only admits whatever the tag names when the container starts;\n" \
"--digest D (sha256:...) admits the digest under any name.\n"

const struct cli_cmd cmd_image_register = {
	.name = "image register",
	.run = run_register,
	.usage =
"Usage: kcsadm image register REF | --digest D\n"
"\n"
"Register an image. Registering one already there succeeds and says so.\n"
ENTRY_HELP
"\n"
"Options:\n"
"      --digest D   a digest, algorithm:hex\n"
"      --json       JSON output: {\"image\":ENTRY,\"added\":bool}\n"
"  -h, --help       this text\n",
};

const struct cli_cmd cmd_image_list = {
	.name = "image list",
	.run = run_list,
	.usage =
"Usage: kcsadm image list\n"
"\n"
"List the registered images, sorted, one a line.\n"
"\n"
"Options:\n"
"      --json   JSON output: {\"images\":[ENTRY...]}\n"
"  -h, --help   this text\n",
};

const struct cli_cmd cmd_image_delete = {
	.name = "image delete",
	.run = run_delete,
	.usage =
"Usage: kcsadm image delete REF | --digest D\n"
"\n"
"Remove a registered image, named as it was registered (normalised).\n"
"Exits 6 when it is not registered.\n"
"\n"
"Options:\n"
"      --digest D   a digest, algorithm:hex\n"
"      --json       JSON output: {\"deleted\":ENTRY}\n"
"  -h, --help       this text\n",
};
