# SPDX-License-Identifier: GPL-2.0
# kcs: top-level targets. The module itself is described in Kbuild.
#
#   make              kcs.ko for KVER (default: newest kernel with headers)
#                     and userspace/kcsadm
#   make check        every test: userspace, style, dkms, VM selftests
#   make demo         boot a VM, block an exec, show its event
#   make bench        exec-loop overhead benchmark in a VM
#   make style        checkpatch over the kernel code
#   make install      kcsadm, man pages, bash completion, systemd units and
#                     an /etc/kcs skeleton (DESTDIR, PREFIX=/usr/local);
#                     the module is installed with DKMS (README.md)
#   make uninstall    the same files removed (/etc/kcs kept unless empty)
KVER ?= $(shell scripts/kver.sh)
KDIR ?= $(shell scripts/kdir.sh $(KVER))

PREFIX     ?= /usr/local
SBINDIR    ?= $(PREFIX)/sbin
MANDIR     ?= $(PREFIX)/share/man
BASHCOMPDIR ?= $(PREFIX)/share/bash-completion/completions
UNITDIR    ?= $(PREFIX)/lib/systemd/system
SYSCONFDIR ?= /etc
INSTALL    ?= install

MAN5  := man/kcs-policy.5 man/kcs-profile.5
MAN8  := man/kcsadm.8
UNITS := $(wildcard contrib/systemd/*.service contrib/systemd/*.timer)

.PHONY: all module clean-module userspace check demo bench style clean \
	install uninstall

all: module userspace

module:
	$(MAKE) -C $(KDIR) M=$(CURDIR) KCS_WERROR=1 modules

clean-module:
	$(MAKE) -C $(KDIR) M=$(CURDIR) clean

userspace:
	$(MAKE) -C userspace

check:
	scripts/check.sh

demo:
	scripts/demo.sh

bench:
	scripts/bench.sh

style:
	scripts/checkpatch.sh

userspace/kcsadm: userspace

# The units name /usr/local/sbin/kcsadm; installed, they name SBINDIR's.
install: userspace/kcsadm
	$(INSTALL) -d $(DESTDIR)$(SBINDIR) $(DESTDIR)$(MANDIR)/man5 \
		$(DESTDIR)$(MANDIR)/man8 $(DESTDIR)$(BASHCOMPDIR) \
		$(DESTDIR)$(UNITDIR) $(DESTDIR)$(SYSCONFDIR)/kcs/profiles \
		$(DESTDIR)$(SYSCONFDIR)/kcs/policies
	$(INSTALL) -m 755 userspace/kcsadm $(DESTDIR)$(SBINDIR)/kcsadm
	$(INSTALL) -m 644 $(MAN5) $(DESTDIR)$(MANDIR)/man5/
	$(INSTALL) -m 644 $(MAN8) $(DESTDIR)$(MANDIR)/man8/
	$(INSTALL) -m 644 contrib/completion/kcsadm $(DESTDIR)$(BASHCOMPDIR)/kcsadm
	for u in $(UNITS); do \
		sed 's|/usr/local/sbin/kcsadm|$(SBINDIR)/kcsadm|g' $$u \
			>$(DESTDIR)$(UNITDIR)/$${u##*/} && \
		chmod 644 $(DESTDIR)$(UNITDIR)/$${u##*/} || exit 1; \
	done
	$(INSTALL) -m 644 contrib/etc-kcs-README $(DESTDIR)$(SYSCONFDIR)/kcs/README

# Configuration stays: only empty directories of the skeleton go.
uninstall:
	rm -f $(DESTDIR)$(SBINDIR)/kcsadm $(DESTDIR)$(BASHCOMPDIR)/kcsadm \
		$(MAN5:man/%=$(DESTDIR)$(MANDIR)/man5/%) \
		$(MAN8:man/%=$(DESTDIR)$(MANDIR)/man8/%) \
		$(UNITS:contrib/systemd/%=$(DESTDIR)$(UNITDIR)/%) \
		$(DESTDIR)$(SYSCONFDIR)/kcs/README
	-rmdir $(DESTDIR)$(SYSCONFDIR)/kcs/profiles \
		$(DESTDIR)$(SYSCONFDIR)/kcs/policies $(DESTDIR)$(SYSCONFDIR)/kcs \
		2>/dev/null

clean:
	$(MAKE) clean-module || true
	$(MAKE) -C userspace clean
