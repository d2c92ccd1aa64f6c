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
#   make fuzz     libFuzzer on the parsers of guest output (nightly)
#
# Variables: KSRC=/path/to/linux  PATCHES=extra-series-file  TESTS=glob
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
LIBVIRT_CFLAGS	:= $(shell pkg-config --cflags libvirt 2>/dev/null)
LIBVIRT_LIBS	:= $(shell pkg-config --libs libvirt 2>/dev/null || echo -lvirt)
HARNESS_CFLAGS	:= $(CFLAGS_BASE) -Iguest $(LIBVIRT_CFLAGS)
HARNESS_LIBS	:= -ljson-c -lcrypto $(LIBVIRT_LIBS) -pthread
SAN_FLAGS	:= -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all

HARNESS_SRCS	:= $(filter-out harness/main.c,$(wildcard harness/*.c))
HARNESS_OBJS	:= $(patsubst %.c,$(BUILD)/%.o,$(HARNESS_SRCS))
HARNESS_SAN_OBJS:= $(patsubst %.c,$(BUILD)/san/%.o,$(HARNESS_SRCS))
UNIT_SRCS	:= $(wildcard harness/tests/test_*.c)
UNIT_BINS	:= $(patsubst harness/tests/%.c,$(BUILD)/unit/%,$(UNIT_SRCS))
GUEST_SRCS	:= $(wildcard guest/*.c)
GUEST_OBJS	:= $(patsubst %.c,$(BUILD)/%.o,$(GUEST_SRCS))
HEADERS		:= $(wildcard harness/*.h harness/tests/*.h harness/fuzz/*.h guest/*.h)

DAXTEST		:= $(BUILD)/daxtest
AGENT		:= $(BUILD)/guest/daxtest-agent
RUN_ARGS	:= $(if $(KSRC),--ksrc $(KSRC)) $(if $(SERIES),--series $(SERIES)) \
		   $(if $(PATCHES),--patches $(PATCHES)) \
		   $(if $(TESTS),--tests '$(TESTS)') $(if $(MATRIX),--matrix $(MATRIX)) \
		   $(if $(J),-j $(J)) $(DAXTEST_ARGS)

.PHONY: all deps fuzz-deps kernel image check test unit bench mutants fuzz clean
all: $(DAXTEST) $(AGENT)

deps:
	@scripts/deps.sh

$(BUILD)/harness/%.o: harness/%.c $(HEADERS)
	@mkdir -p $(@D)
	$(CC) $(HARNESS_CFLAGS) $(CFLAGS) -c -o $@ $<

$(BUILD)/san/harness/%.o: harness/%.c $(HEADERS)
	@mkdir -p $(@D)
	$(CC) $(HARNESS_CFLAGS) -O1 -g $(SAN_FLAGS) -c -o $@ $<

$(DAXTEST): $(BUILD)/harness/main.o $(HARNESS_OBJS)
	$(CC) $(CFLAGS) -o $@ $^ $(HARNESS_LIBS)

$(BUILD)/guest/%.o: guest/%.c $(HEADERS)
	@mkdir -p $(@D)
	$(CC) $(CFLAGS_BASE) $(CFLAGS) -c -o $@ $<

$(AGENT): $(GUEST_OBJS)
	$(CC) -static $(CFLAGS) -o $@ $^

# Each unit test names the harness files it links in harness/tests/<test>.mk:
#   test_ktap_DEPS := ktap result
-include $(wildcard harness/tests/*.mk)
.SECONDEXPANSION:
# Keep the sanitizer objects: make would delete them as intermediates,
# after make test's summary line.
.SECONDARY: $(HARNESS_SAN_OBJS) $(BUILD)/san/harness/fuzz/fuzz_targets.o
unit_objs = $(addprefix $(BUILD)/san/harness/,$(addsuffix .o,$($(1)_DEPS)))
$(BUILD)/unit/%: harness/tests/%.c $$(call unit_objs,$$*) $(HEADERS)
	@mkdir -p $(@D)
	$(CC) $(HARNESS_CFLAGS) -Iharness -O1 -g $(SAN_FLAGS) -o $@ $< \
		$(call unit_objs,$*) -lcmocka $(HARNESS_LIBS)

unit: $(UNIT_BINS)
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

# make fuzz: the parsers of what the guest writes, under libFuzzer. The
# targets (harness/fuzz/fuzz_targets.c) are the ones test_fuzz_regressions
# replays on the saved inputs of harness/tests/data/fuzz/.
FUZZ_CC		:= clang
FUZZ_SECONDS	?= 60
FUZZ_TARGETS	:= ktap console_watch agent_stream
FUZZ_CFLAGS	:= $(HARNESS_CFLAGS) -Iharness -O1 -g -fno-omit-frame-pointer \
		   -fsanitize=address,undefined -fno-sanitize-recover=all
# fuzz_ktap also prints what it parsed with report_ktap.c and parses that.
FUZZ_OBJS	:= $(patsubst %,$(BUILD)/fuzz/obj/%.o,$(FUZZ_TARGETS) report_ktap result \
		   fuzz/fuzz_targets)
FUZZ_BINS	:= $(patsubst %,$(BUILD)/fuzz/fuzz_%,$(FUZZ_TARGETS))
.SECONDARY: $(FUZZ_OBJS)
# fuzz_targets.c in make unit: its headers are in harness/
$(BUILD)/san/harness/fuzz/%.o: HARNESS_CFLAGS += -Iharness

fuzz-deps:
	@FUZZ=1 scripts/deps.sh

$(BUILD)/fuzz/obj/%.o: harness/%.c $(HEADERS) | fuzz-deps
	@mkdir -p $(@D)
	$(FUZZ_CC) $(FUZZ_CFLAGS) -fsanitize=fuzzer-no-link -c -o $@ $<

$(BUILD)/fuzz/fuzz_%: harness/fuzz/fuzz_%.c $(FUZZ_OBJS) $(HEADERS)
	$(FUZZ_CC) $(FUZZ_CFLAGS) -fsanitize=fuzzer -o $@ $< $(FUZZ_OBJS)

fuzz: fuzz-deps $(FUZZ_BINS)
	@scripts/fuzz.sh $(FUZZ_SECONDS) $(FUZZ_BINS)

clean:
	rm -rf $(BUILD)
