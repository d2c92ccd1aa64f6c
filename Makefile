# SPDX-License-Identifier: GPL-2.0
#
# daxtest: QEMU-backed NVDIMM test harness for the Linux DAX stack.
#
#   make deps     install the Debian packages daxtest needs (root)
#   make          build the host runner (build/daxtest) and the guest agent
#   make check    build kernel + image (cached) and run the DAX suite in QEMU
#   make test     the project's own tests: unit tests, then make check
#   make bench    timings of the pipeline stages
#   make mutants  deliberately broken kernels must fail the tests (nightly)
#   make suites   ndctl's test suite and fstests in daxtest guests (nightly)
#   make fuzz     libFuzzer on the parsers of guest output (nightly)
#
# Variables: KSRC=/path/to/linux  PATCHES=extra-series-file  TESTS=glob
#            SUITES="ndctl=DIR fstests=DIR" (the peer suites too; daxtest run --suite)
#            SERIES=none (the kernel without kernel-patches/series) or a series
#            MATRIX=quick|full (tests/matrix; default quick)
#            J=N (guests in parallel; default one per core)
#            KERNELS="debian-6.1 debian-6.12" (make check: each, then a table)
#            DAXTEST_ARGS="extra daxtest run arguments"
#            FUZZ_SECONDS=N (make fuzz: seconds per target; default 60)

CC		?= cc
BUILD		:= build
CFLAGS_BASE	:= -std=c11 -D_GNU_SOURCE -Wall -Wextra -Werror -Wshadow \
		   -Wstrict-prototypes -Wmissing-prototypes -Wno-unused-parameter
CFLAGS		?= -O2 -g
# Dependencies on headers come from the compiler (-MMD -MP).
DEPFLAGS	:= -MMD -MP
LIBVIRT_CFLAGS	:= $(shell pkg-config --cflags libvirt 2>/dev/null)
LIBVIRT_LIBS	:= $(shell pkg-config --libs libvirt 2>/dev/null || echo -lvirt)
# Headers are included by their folder: "lib/strv.h", "proto/agent_proto.h".
HARNESS_CFLAGS	:= $(CFLAGS_BASE) -Iharness -I. $(LIBVIRT_CFLAGS) $(DEPFLAGS)
HARNESS_LIBS	:= -ljson-c -lcrypto $(LIBVIRT_LIBS) -pthread
SAN_FLAGS	:= -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all

# The harness is one library (every stage folder but cli/main.c) that
# the binary, the unit tests and the fuzzers link.
LAYERS		:= lib parse report build vm plan run cli
HARNESS_SRCS	:= $(filter-out harness/cli/main.c,$(foreach l,$(LAYERS),$(wildcard harness/$(l)/*.c)))
HARNESS_LIB	:= $(BUILD)/libdaxtest.a
HARNESS_SAN_LIB	:= $(BUILD)/san/libdaxtest.a
UNIT_SRCS	:= $(wildcard harness/tests/*/test_*.c)
UNIT_BINS	:= $(patsubst harness/tests/%.c,$(BUILD)/unit/%,$(UNIT_SRCS))
GUEST_SRCS	:= $(wildcard guest/*.c)
GUEST_OBJS	:= $(patsubst %.c,$(BUILD)/%.o,$(GUEST_SRCS))

DAXTEST		:= $(BUILD)/daxtest
AGENT		:= $(BUILD)/guest/daxtest-agent
# The persistence model as a QEMU TCG plugin (plugin/persist_plugin.c).
PERSIST_PLUGIN	:= $(BUILD)/plugin/daxtest-persist.so
PLUGIN_SRCS	:= $(wildcard plugin/*.c)
# SUITES="ndctl=DIR fstests=DIR": the peer suites too, with every test of
# daxtest's own (or TESTS).
RUN_ARGS	:= $(if $(KSRC),--ksrc $(KSRC)) $(if $(SERIES),--series $(SERIES)) \
		   $(if $(PATCHES),--patches $(PATCHES)) \
		   $(foreach s,$(SUITES),--suite $(s)) \
		   $(if $(TESTS),--tests '$(TESTS)',$(if $(SUITES),--tests '*')) \
		   $(if $(MATRIX),--matrix $(MATRIX)) \
		   $(if $(J),-j $(J)) $(DAXTEST_ARGS)

.PHONY: all deps fuzz-deps kernel image check test unit bench mutants suites fuzz clean
all: $(DAXTEST) $(AGENT) $(PERSIST_PLUGIN)

deps:
	@scripts/deps.sh

$(BUILD)/harness/%.o: harness/%.c
	@mkdir -p $(@D)
	$(CC) $(HARNESS_CFLAGS) $(CFLAGS) -c -o $@ $<

$(BUILD)/san/harness/%.o: harness/%.c
	@mkdir -p $(@D)
	$(CC) $(HARNESS_CFLAGS) -O1 -g $(SAN_FLAGS) -c -o $@ $<

$(BUILD)/san/plugin/%.o: plugin/%.c
	@mkdir -p $(@D)
	$(CC) $(CFLAGS_BASE) -I. $(DEPFLAGS) -O1 -g $(SAN_FLAGS) -c -o $@ $<

# The sparse copy of plugin/shadow_file.c is the harness's too (copy_sparse).
$(HARNESS_LIB): $(patsubst %.c,$(BUILD)/%.o,$(HARNESS_SRCS)) $(BUILD)/plugin/shadow_file.pic.o
	@rm -f $@
	$(AR) rcs $@ $^

$(HARNESS_SAN_LIB): $(patsubst %.c,$(BUILD)/san/%.o,$(HARNESS_SRCS)) $(BUILD)/san/plugin/shadow_file.o
	@rm -f $@
	$(AR) rcs $@ $^

$(DAXTEST): $(BUILD)/harness/cli/main.o $(HARNESS_LIB)
	$(CC) $(CFLAGS) -o $@ $^ $(HARNESS_LIBS)

$(BUILD)/guest/%.o: guest/%.c
	@mkdir -p $(@D)
	$(CC) $(CFLAGS_BASE) -I. $(DEPFLAGS) $(CFLAGS) -c -o $@ $<

$(AGENT): $(GUEST_OBJS)
	$(CC) -static $(CFLAGS) -o $@ $^

$(BUILD)/plugin/%.pic.o: plugin/%.c
	@mkdir -p $(@D)
	$(CC) $(CFLAGS_BASE) -I. $(DEPFLAGS) $(CFLAGS) -fPIC -fvisibility=hidden -c -o $@ $<

$(PERSIST_PLUGIN): $(patsubst plugin/%.c,$(BUILD)/plugin/%.pic.o,$(PLUGIN_SRCS))
	$(CC) $(CFLAGS) -shared -o $@ $^ -pthread

# A unit test is one file, harness/tests/<stage>/test_<what>.c, linked
# with the sanitized library (and the fuzz targets, for the test that
# replays the saved fuzz inputs).
UNIT_EXTRA_parse/test_fuzz_regressions := $(BUILD)/san/harness/tests/fuzz/fuzz_targets.o
# The persistence model of the TCG plugin (plugin/) is host code too.
UNIT_EXTRA_plugin/test_pmem_model := $(BUILD)/san/plugin/pmem_model.o
UNIT_EXTRA_plugin/test_x86_persist := $(BUILD)/san/plugin/x86_persist.o
UNIT_EXTRA_plugin/test_persist_regions := $(BUILD)/san/plugin/persist_regions.o
UNIT_EXTRA_plugin/test_persist_journal := $(BUILD)/san/plugin/persist_journal.o \
	$(BUILD)/san/plugin/pmem_model.o
UNIT_EXTRA_plugin/test_shadow_file := $(BUILD)/san/plugin/shadow_file.o
UNIT_EXTRA_plugin/test_insn_table := $(BUILD)/san/plugin/insn_table.o
UNIT_EXTRA_plugin/test_persist_plugin := $(patsubst plugin/%.c,$(BUILD)/san/plugin/%.o,$(PLUGIN_SRCS))
.SECONDARY: $(UNIT_EXTRA_parse/test_fuzz_regressions) $(UNIT_EXTRA_plugin/test_pmem_model) \
	$(UNIT_EXTRA_plugin/test_x86_persist) $(UNIT_EXTRA_plugin/test_persist_regions) \
	$(UNIT_EXTRA_plugin/test_persist_journal) $(UNIT_EXTRA_plugin/test_shadow_file) \
	$(UNIT_EXTRA_plugin/test_insn_table) $(UNIT_EXTRA_plugin/test_persist_plugin)
.SECONDEXPANSION:
$(BUILD)/unit/%: harness/tests/%.c $$(UNIT_EXTRA_$$*) $(HARNESS_SAN_LIB)
	@mkdir -p $(@D)
	$(CC) $(HARNESS_CFLAGS) -MF $@.d -O1 -g $(SAN_FLAGS) -o $@ $< \
		$(UNIT_EXTRA_$*) $(HARNESS_SAN_LIB) -lcmocka $(HARNESS_LIBS)

unit: $(UNIT_BINS)
	@scripts/check-source.sh
	@scripts/run-unit-tests.sh $(UNIT_BINS)

kernel: deps all
	$(DAXTEST) kernel build $(RUN_ARGS)

image: deps all
	$(DAXTEST) image build $(RUN_ARGS)

check: deps all
ifeq ($(KERNELS),)
	$(DAXTEST) run $(RUN_ARGS)
else
	@scripts/kernels.sh $(DAXTEST) "$(KERNELS)" $(RUN_ARGS)
endif

test: deps all $(UNIT_BINS)
	@scripts/make-test.sh $(DAXTEST) $(RUN_ARGS) -- $(UNIT_BINS)

bench: deps all
	@scripts/bench.sh $(DAXTEST)

mutants: deps all
	@scripts/mutants.sh $(DAXTEST) $(DAXTEST_ARGS)

# make suites: the peer suites (ndctl's test suite, fstests) from their
# release tarballs in SUITES_DIR, each with its default selection (nightly).
SUITES_DIR	?= ../shared/suites
suites: deps all
	@scripts/suites.sh $(DAXTEST) $(SUITES_DIR) $(DAXTEST_ARGS)

# make fuzz: the parsers of what the guest writes, under libFuzzer. The
# targets (harness/tests/fuzz/fuzz_targets.c) are the ones
# test_fuzz_regressions replays on the saved inputs of
# harness/tests/data/fuzz/.
FUZZ_CC		:= clang
FUZZ_SECONDS	?= 60
FUZZ_TARGETS	:= ktap console_watch agent_stream
FUZZ_CFLAGS	:= $(HARNESS_CFLAGS) -O1 -g -fno-omit-frame-pointer \
		   -fsanitize=address,undefined -fno-sanitize-recover=all
FUZZ_LIB	:= $(BUILD)/fuzz/libdaxtest.a
FUZZ_BINS	:= $(patsubst %,$(BUILD)/fuzz/fuzz_%,$(FUZZ_TARGETS))

fuzz-deps:
	@FUZZ=1 scripts/deps.sh

$(BUILD)/fuzz/obj/%.o: harness/%.c | fuzz-deps
	@mkdir -p $(@D)
	$(FUZZ_CC) $(FUZZ_CFLAGS) -fsanitize=fuzzer-no-link -c -o $@ $<

$(FUZZ_LIB): $(patsubst harness/%.c,$(BUILD)/fuzz/obj/%.o,$(HARNESS_SRCS) \
		harness/tests/fuzz/fuzz_targets.c)
	@rm -f $@
	$(AR) rcs $@ $^

$(BUILD)/fuzz/fuzz_%: harness/tests/fuzz/fuzz_%.c $(FUZZ_LIB)
	$(FUZZ_CC) $(FUZZ_CFLAGS) -MF $@.d -fsanitize=fuzzer -o $@ $< $(FUZZ_LIB) \
		$(HARNESS_LIBS)

fuzz: fuzz-deps $(FUZZ_BINS)
	@scripts/fuzz.sh $(FUZZ_SECONDS) $(FUZZ_BINS)

clean:
	rm -rf $(BUILD)

DEP_FILES	:= $(patsubst %.c,$(BUILD)/%.d,$(HARNESS_SRCS) harness/cli/main.c $(GUEST_SRCS)) \
		   $(patsubst %.c,$(BUILD)/san/%.d,$(HARNESS_SRCS) harness/tests/fuzz/fuzz_targets.c \
		   $(wildcard plugin/*.c)) \
		   $(addsuffix .d,$(UNIT_BINS) $(FUZZ_BINS)) \
		   $(patsubst plugin/%.c,$(BUILD)/plugin/%.pic.d,$(PLUGIN_SRCS)) \
		   $(patsubst harness/%.c,$(BUILD)/fuzz/obj/%.d,$(HARNESS_SRCS) \
		   harness/tests/fuzz/fuzz_targets.c)
-include $(DEP_FILES)
