# SPDX-License-Identifier: GPL-2.0
# kcs: top-level targets. The module itself is described in Kbuild.
#
#   make              kcs.ko for KVER (default: newest kernel with headers)
#                     and userspace/kcsadm
#   make check        every test: userspace, style, dkms, VM selftests
#   make demo         boot a VM, block an exec, show its event
#   make bench        exec-loop overhead benchmark in a VM
#   make style        checkpatch over the kernel code
KVER ?= $(shell scripts/kver.sh)
KDIR ?= $(shell scripts/kdir.sh $(KVER))

.PHONY: all module clean-module userspace check demo bench style clean

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

clean:
	$(MAKE) clean-module || true
	$(MAKE) -C userspace clean
