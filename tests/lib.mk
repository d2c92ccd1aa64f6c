# SPDX-License-Identifier: GPL-2.0
#
# A small stand-in for the kernel's tools/testing/selftests/lib.mk, with the
# same interface for what the daxtest areas use, so an area directory (with
# common/ next to it) builds unchanged in either place:
#
#   TEST_GEN_PROGS   programs, each built from <prog>.c plus any extra
#                    prerequisites the area adds to $(TEST_GEN_PROGS) after
#                    including this file (rewritten to $(OUTPUT)/<prog>)
#   LOCAL_HDRS       headers the programs depend on but do not compile
#   OUTPUT           output directory (default: the area directory)
#   CFLAGS, LDFLAGS, LDLIBS, USERCFLAGS, USERLDFLAGS   as in the kernel
#   selfdir          where kselftest_harness.h and kselftest.h live
#
# The kernel's lib.mk finds those headers next to itself. Here they come
# from the kernel tree named by KSFT_DIR (its tools/testing/selftests), never
# from a copy in this repository. KHDR_INCLUDES (e.g. "-isystem
# <headers>/include" of installed uapi headers) is optional; the areas add it
# to CFLAGS as kernel selftests do.

# Everything but "clean" needs the kselftest headers.
ifneq ($(filter-out clean,$(or $(MAKECMDGOALS),all)),)
ifeq ($(KSFT_DIR),)
$(error KSFT_DIR is not set: point it at a kernel tree's tools/testing/selftests, the directory holding kselftest_harness.h and kselftest.h)
endif
ifeq ($(wildcard $(KSFT_DIR)/kselftest_harness.h),)
$(error KSFT_DIR=$(KSFT_DIR) has no kselftest_harness.h: it must be a kernel tree's tools/testing/selftests)
endif
endif

selfdir := $(realpath $(KSFT_DIR))
OUTPUT ?= $(CURDIR)

TEST_GEN_PROGS := $(patsubst %,$(OUTPUT)/%,$(TEST_GEN_PROGS))

all: $(TEST_GEN_PROGS)

# As the kernel's lib.mk: _GNU_SOURCE, then the user's additions.
CFLAGS += -D_GNU_SOURCE=
CFLAGS += $(USERCFLAGS)
LDFLAGS += $(USERLDFLAGS)

LOCAL_HDRS += $(selfdir)/kselftest_harness.h $(selfdir)/kselftest.h
# How the programs are built is in the makefiles: a change there rebuilds
# them (daxtest keeps built programs per kernel).
LOCAL_HDRS += $(MAKEFILE_LIST) $(wildcard ../Makefile)
$(OUTPUT)/%: %.c $(LOCAL_HDRS)
	@mkdir -p $(@D)
	$(LINK.c) $(filter-out $(LOCAL_HDRS),$^) $(LDLIBS) -o $@

clean:
	$(RM) $(TEST_GEN_PROGS)

.PHONY: all clean
