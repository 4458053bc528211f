// SPDX-License-Identifier: GPL-2.0
/* Network namespaces by file, and netlink sockets inside them (netns.h). */
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "netns.h"

int kcs_netns_open(const char *path, const char *what,
		   struct kcs_netns_id *id, struct kcs_err *err)
{
	struct stat st;
	int fd = open(path, O_RDONLY | O_CLOEXEC);

	if (fd < 0)
		return kcs_err_set(err, errno == ENOENT ? KCS_EXIT_NOTFOUND :
				   kcs_exit_from_errno(errno), "%s %s: %s", what,
				   path, strerror(errno));
	if (fstat(fd, &st)) {
		kcs_err_set(err, KCS_EXIT_FAILED, "%s %s: %s", what, path,
			    strerror(errno));
		close(fd);
		return -1;
	}
	id->dev = st.st_dev;
	id->ino = st.st_ino;
	return fd;
}

int kcs_netns_stat(const char *path, struct kcs_netns_id *id)
{
	struct stat st;

	if (stat(path, &st))
		return -1;
	id->dev = st.st_dev;
	id->ino = st.st_ino;
	return 0;
}

struct mnl_socket *kcs_netns_socket(int nsfd, const char *path, int bus,
				    struct kcs_err *err)
{
	struct mnl_socket *nl = NULL;
	int self, saved;

	self = open("/proc/self/ns/net", O_RDONLY | O_CLOEXEC);
	if (self < 0) {
		kcs_err_set(err, KCS_EXIT_FAILED, "/proc/self/ns/net: %s",
			    strerror(errno));
		return NULL;
	}
	if (setns(nsfd, CLONE_NEWNET)) {
		kcs_err_set(err, errno == EPERM ? KCS_EXIT_PERM : KCS_EXIT_FAILED,
			    "netns %s: cannot enter: %s%s", path, strerror(errno),
			    errno == EINVAL ? " (not a network namespace)" : "");
		close(self);
		return NULL;
	}
	nl = mnl_socket_open2(bus, SOCK_CLOEXEC);
	saved = errno;
	if (setns(self, CLONE_NEWNET)) {
		/* Cannot go back: anything else we did would be in the wrong
		 * namespace. */
		kcs_err_set(err, KCS_EXIT_FAILED,
			    "cannot return to the original network namespace: %s",
			    strerror(errno));
		if (nl)
			mnl_socket_close(nl);
		close(self);
		return NULL;
	}
	close(self);
	if (!nl) {
		kcs_err_set(err, KCS_EXIT_FAILED, "netns %s: netfilter netlink socket: %s",
			    path, strerror(saved));
		return NULL;
	}
	if (mnl_socket_bind(nl, 0, MNL_SOCKET_AUTOPID) < 0) {
		kcs_err_set(err, KCS_EXIT_FAILED, "netns %s: binding a netlink socket: %s",
			    path, strerror(errno));
		mnl_socket_close(nl);
		return NULL;
	}
	return nl;
}
