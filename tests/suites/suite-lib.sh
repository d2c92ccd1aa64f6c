# SPDX-License-Identifier: GPL-2.0
#
# suite-lib.sh: one test of a peer suite (ndctl's test suite, fstests)
# inside a daxtest guest, reported as a KTAP document of one test.
#
# The guest agent runs "daxtest-suite -r <script>": the host's /usr and
# /etc, read-only over 9p, with the guest's own /dev, /proc, /sys,
# /lib/modules and a tmpfs /tmp, /mnt, /var, /run (guest/suite_root.c),
# and in it "bash <script>". The script (written per test by
# harness/build/suite_*.c) sources this file and calls ndctl_case or
# fstests_case. What the suite's test prints becomes KTAP diagnostic lines
# ("# ..."); the last line is the result, and the exit status is what
# daxtest reads: 0 pass, 4 skip (kselftest's KSFT_SKIP, with the suite's
# reason after "# SKIP"), anything else a failure.

suite_ktap_begin()
{
	[ -n "${suite_began:-}" ] && return 0
	suite_began=1
	echo "TAP version 13"
	echo "1..1"
}

# Each line of stdin as a KTAP diagnostic, as it comes.
suite_diag()
{
	local line

	while IFS= read -r line || [ -n "$line" ]; do
		printf '# %s\n' "$line"
	done
}

# The case could not even start: a daxtest setup problem, not a result.
suite_broken()
{
	suite_ktap_begin
	echo "not ok 1 ${suite_name:-case} # daxtest: $1"
	exit 1
}

# The last non-empty line of file $1, on one line, at most 300 bytes.
suite_last_line()
{
	grep -v '^[[:space:]]*$' "$1" 2>/dev/null | tail -n 1 | tr -d '\r' | cut -c 1-300
}

# Why a test exited 77: the last line of its output (not a "set -x"
# trace) that says it skips or what is missing, else its last two lines,
# at most 300 bytes.
suite_skip_reason()
{
	local why

	why=$(grep -v -e '^+' -e 'attempted: [0-9]* skipped:' "$1" 2>/dev/null |
		grep -i -e skip -e missing -e 'not found' -e unavailable -e unable -e 'not supported' |
		tail -n 1)
	if [ -z "$why" ]; then
		why=$(grep -v -e '^[[:space:]]*$' -e '^+' "$1" 2>/dev/null | tail -n 2 |
			paste -s -d ';' | sed 's/;/; /g')
	fi
	printf '%s' "$why" | tr -d '\r' | cut -c 1-300
}

# The guest drives its QEMU NVDIMMs with the in-tree libnvdimm stack;
# ndctl's tests load nfit_test, whose wrapped builds of those modules
# have the same names (the root's /lib/modules finds the wrapped ones):
# the in-tree ones go first, as in tests/hwpoison/nfit_inject.c.
ndctl_unload_in_tree()
{
	[ -e /sys/module/nfit_test ] && return 0
	"$NDCTL" disable-region all >/dev/null 2>&1
	modprobe -r -a dax_pmem nd_pmem nd_btt virtio_pmem nfit libnvdimm 2>&1 | suite_diag
	[ "${PIPESTATUS[0]}" = 0 ] ||
		suite_broken "cannot unload the in-tree libnvdimm stack for nfit_test"
	# The guest has no udev to load the drivers of what appears: the
	# e820 bus for the memmap= range the host gave it (nd_e820) and
	# device-dax instances (device_dax), the wrapped builds, here.
	if [ -e /sys/bus/platform/devices/e820_pmem ]; then
		modprobe -a nd_e820 device_dax 2>&1 | suite_diag
		[ "${PIPESTATUS[0]}" = 0 ] ||
			suite_broken "cannot load nd_e820 and device_dax for the e820 pmem range"
	fi
}

# ndctl_case <name> <command> [<arg>...]: one test of ndctl's meson list,
# run as "meson test" runs it (the script has entered its workdir and set
# its environment). Exit status 77 is meson's skip.
ndctl_case()
{
	local rc log reason

	suite_name=$1
	shift
	log=$(mktemp /tmp/ndctl-case.XXXXXX) || suite_broken "mktemp failed"
	suite_ktap_begin
	ndctl_unload_in_tree
	"$@" </dev/null 2>&1 | tee "$log" | suite_diag
	rc=${PIPESTATUS[0]}
	case $rc in
	0)
		echo "ok 1 $suite_name"
		exit 0
		;;
	77)
		reason=$(suite_skip_reason "$log")
		echo "ok 1 $suite_name # SKIP ndctl's test exited 77 (skip): ${reason:-it printed no reason (see its log)}"
		exit 4
		;;
	*)
		echo "not ok 1 $suite_name # exit status $rc"
		exit 1
		;;
	esac
}

# Prints file $1 as diagnostics under a heading, its last $2 lines at most.
suite_attach()
{
	local file=$1 lines=$2

	[ -s "$file" ] || return 0
	echo "# ---- $file (last $lines lines)"
	tail -n "$lines" "$file" | suite_diag
}

# fstests' tests of permissions run as the users its README asks for;
# /etc is the guest's overlay of the host's, so they exist in the guest
# alone.
fstests_users()
{
	id fsgqa >/dev/null 2>&1 && return 0
	# The shadow files anew in the overlay (a whiteout needs no read of
	# the host's, which QEMU may not be allowed to read).
	rm -f /etc/shadow /etc/gshadow && pwconv && grpconv &&
		groupadd fsgqa &&
		useradd -M -N -g fsgqa -s /bin/bash fsgqa &&
		useradd -M -N -g fsgqa -s /bin/bash fsgqa2 &&
		useradd -M -N -g fsgqa -s /bin/bash 123456-fsgqa
}

# fstests_case <tree> <config> <section> <test>: "./check -s <section>
# <test>" with HOST_OPTIONS=<config>. fstests' own verdict files decide:
# <test>.notrun is a skip with its reason; <test>.out.bad (output
# mismatch) or a non-zero exit of check is a failure, reported with the
# diff against the golden output and the end of <test>.full and
# <test>.dmesg; "Passed all 1 tests" is a pass.
fstests_case()
{
	local tree=$1 config=$2 section=$3 test=$4 rc log seqres result_base

	suite_name=$test
	result_base=/tmp/fstests-results
	seqres=$result_base/$section/$test
	log=$(mktemp /tmp/fstests-case.XXXXXX) || suite_broken "mktemp failed"
	mkdir -p /mnt/test /mnt/scratch "$result_base" || suite_broken "cannot create the mount points"
	rm -f "$seqres".*
	# What an earlier case killed at its timeout left mounted (the
	# agent's sweep looks below the guest's /tmp only).
	umount -R /mnt/scratch /mnt/test 2>/dev/null
	cd "$tree" || suite_broken "cannot enter $tree"
	# check mounts TEST_DEV as the config's first section (xfs) says
	# before it reads the section asked for (common/rc init_rc), so
	# TEST_DEV must hold an XFS already; check then makes it anew with
	# the section's filesystem and options (RECREATE_TEST_DEV).
	mkfs.xfs -f -q "$DAXTEST_PMEM" >"$log" 2>&1 ||
		suite_broken "mkfs.xfs $DAXTEST_PMEM failed: $(suite_last_line "$log")"
	suite_ktap_begin
	# Without them, the tests that need them are "not run" for want
	# of the user, as fstests says.
	fstests_users >"$log" 2>&1 ||
		echo "# daxtest: cannot create fstests' users: $(suite_last_line "$log")"
	HOST_OPTIONS=$config RESULT_BASE=$result_base ./check -s "$section" "$test" \
		</dev/null 2>&1 | tee "$log" | suite_diag
	rc=${PIPESTATUS[0]}
	# check unmounts what it mounted; a test that died may not have.
	umount /mnt/scratch /mnt/test 2>/dev/null
	if [ -f "$seqres.notrun" ]; then
		echo "ok 1 $test # SKIP fstests: $(suite_last_line "$seqres.notrun")"
		exit 4
	fi
	if [ -f "$seqres.out.bad" ]; then
		echo "# ---- diff -u tests/$test.out $seqres.out.bad"
		diff -u "tests/$test.out" "$seqres.out.bad" | suite_diag
		suite_attach "$seqres.full" 100
		suite_attach "$seqres.dmesg" 50
		echo "not ok 1 $test # output mismatch (fstests' $test.out.bad)"
		exit 1
	fi
	if [ "$rc" -ne 0 ] || ! grep -q '^Passed all 1 tests' "$log"; then
		suite_attach "$seqres.full" 100
		suite_attach "$seqres.dmesg" 50
		echo "not ok 1 $test # check exited $rc without passing it"
		exit 1
	fi
	echo "ok 1 $test"
	exit 0
}
