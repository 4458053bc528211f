// SPDX-License-Identifier: GPL-2.0
/* Profile files into the kernel (see profile_file.h). */
#include <stdint.h>
#include <string.h>

#include "ingress.h"
#include "net.h"
#include "ops.h"
#include "profile_file.h"

int kcs_profile_prepare(const char *file, int resolve,
			struct kcs_profile_spec *spec,
			struct kcs_compiled_profile *cp, struct kcs_err *err)
{
	uint32_t ttl;

	if (kcs_profile_load(file, spec, err))
		return -1;
	/* FQDN rules match what their names resolve to now (see netwatch). */
	if (resolve && kcs_net_has_fqdn(&spec->net) &&
	    kcs_net_resolve(&spec->net, &ttl, err) < 0) {
		kcs_profile_free(spec);
		return -1;
	}
	if (kcs_profile_compile(spec, cp, err)) {
		kcs_err_prefix(err, "%s", strcmp(file, "-") ? file : "<stdin>");
		kcs_profile_free(spec);
		return -1;
	}
	return 0;
}

int kcs_profile_push(struct kcs_nl *nl, const struct kcs_compiled_profile *cp,
		     struct kcs_err *err)
{
	if (kcs_profile_set(nl, cp, err))
		return -1;
	/* Ingress is kcsadm's: kept for `kcsadm bind --netns` (or dropped). */
	return kcs_ingress_save(cp->name, &cp->ingress, err);
}
