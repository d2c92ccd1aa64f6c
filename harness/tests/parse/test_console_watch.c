// SPDX-License-Identifier: GPL-2.0
/*
 * test_console_watch.c - unit tests of the kernel console watcher
 *
 * Run from the repository root: saved logs are read from DATA_DIR.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "parse/console_watch.h"
#include "lib/fsutil.h"

#ifndef DATA_DIR
#define DATA_DIR "harness/tests/data"
#endif

struct watched {
	struct kfinding *f;
	size_t nr;
	int started;		/* how many lines said they started a finding */
};

static void feed(struct console_watch *w, const char *line, struct watched *out)
{
	int ret = console_watch_line(w, line);

	assert_in_range(ret, 0, 1);
	out->started += ret;
}

/* Feeds the lines of text, then takes the findings. */
static void watch_text(char *text, struct watched *out)
{
	struct console_watch w;
	char *line, *save = NULL;

	memset(out, 0, sizeof(*out));
	console_watch_init(&w);
	for (line = strtok_r(text, "\n", &save); line; line = strtok_r(NULL, "\n", &save))
		feed(&w, line, out);
	out->f = console_watch_take(&w, &out->nr);
	console_watch_free(&w);
}

static void watch_str(const char *text, struct watched *out)
{
	char *copy = strdup(text);

	assert_non_null(copy);
	watch_text(copy, out);
	free(copy);
}

static char *load(const char *name)
{
	char path[256];
	char *text;

	snprintf(path, sizeof(path), "%s/%s", DATA_DIR, name);
	if (read_file(path, &text, NULL))
		fail_msg("cannot read %s (run from the repository root)", path);
	return text;
}

static void watch_file(const char *name, struct watched *out)
{
	char *text = load(name);

	watch_text(text, out);
	free(text);
}

static void watched_free(struct watched *out)
{
	size_t i;

	for (i = 0; i < out->nr; i++)
		kfinding_free(&out->f[i]);
	free(out->f);
}

static bool has_line(const struct kfinding *f, const char *line)
{
	size_t i;

	for (i = 0; i < f->nr_lines; i++)
		if (!strcmp(f->lines[i], line))
			return true;
	return false;
}

static const char *last_line(const struct kfinding *f)
{
	assert_true(f->nr_lines > 0);
	return f->lines[f->nr_lines - 1];
}

static void assert_finding(const struct kfinding *f, enum kfinding_kind kind, const char *title)
{
	assert_string_equal(kfinding_kind_name(f->kind), kfinding_kind_name(kind));
	assert_string_equal(f->title, title);
	assert_true(has_line(f, title));
	assert_true(f->nr_lines <= CONSOLE_REPORT_LINES + 8);
}

static void test_clean_boot(void **state)
{
	struct watched out;
	char *text = load("console_clean.log");

	/* The log does carry the lines that must not count. */
	assert_non_null(strstr(text, "] Warning: unable to open an initial console."));
	assert_non_null(strstr(text, "EXPERIMENTAL online scrub feature in use"));
	assert_non_null(strstr(text, "oops=panic"));
	watch_text(text, &out);
	free(text);
	assert_int_equal(out.nr, 0);
	assert_null(out.f);
	assert_int_equal(out.started, 0);
}

static void test_oops_is_one_finding(void **state)
{
	struct watched out;
	const struct kfinding *f;

	watch_file("console_oops.log", &out);
	assert_int_equal(out.nr, 1);
	assert_int_equal(out.started, 1);
	f = &out.f[0];
	assert_finding(f, KF_OOPS, "BUG: kernel NULL pointer dereference, address: 0000000000000008");
	assert_string_equal(f->lines[0], f->title);
	assert_true(has_line(f, "Oops: Oops: 0000 [#1] PREEMPT SMP NOPTI"));
	assert_true(has_line(f, " dax_iomap_rw+0xa1/0x170"));
	assert_string_equal(last_line(f), "---[ end trace 0000000000000000 ]---");
	assert_false(has_line(f, "note: dax_statx[215] exited with irqs disabled"));
	watched_free(&out);
}

static void test_warnings(void **state)
{
	struct watched out;
	const struct kfinding *f;

	watch_file("console_warn.log", &out);
	assert_int_equal(out.nr, 2);
	assert_int_equal(out.started, 2);

	f = &out.f[0];
	assert_finding(f, KF_WARNING,
		       "WARNING: CPU: 0 PID: 215 at fs/dax.c:1203 dax_insert_entry+0x2f1/0x330");
	assert_string_equal(f->lines[0], "------------[ cut here ]------------");
	assert_string_equal(f->lines[1], f->title);
	assert_string_equal(last_line(f), "---[ end trace 0000000000000000 ]---");
	assert_false(has_line(f, "XFS (pmem0): Unmounting Filesystem 6a7e3f2c-98d1-4b57-a8c3-1e0f5b7d2c11"));

	/* WARN(1, fmt): the message comes between "cut here" and WARNING. */
	f = &out.f[1];
	assert_finding(f, KF_WARNING,
		       "WARNING: CPU: 1 PID: 231 at lib/list_debug.c:62 __list_del_entry_valid_or_report+0xd4/0x100");
	assert_string_equal(f->lines[0], "------------[ cut here ]------------");
	assert_non_null(strstr(f->lines[1], "list_del corruption. prev->next should be"));
	assert_string_equal(f->lines[2], f->title);
	watched_free(&out);
}

static void test_oops_then_panic(void **state)
{
	struct watched out;
	const struct kfinding *f;

	watch_file("console_panic.log", &out);
	assert_int_equal(out.nr, 2);
	f = &out.f[0];
	assert_finding(f, KF_OOPS,
		       "Oops: general protection fault, probably for non-canonical address 0xdead000000000122: 0000 [#1] PREEMPT SMP NOPTI");
	assert_string_equal(last_line(f), "---[ end trace 0000000000000000 ]---");
	f = &out.f[1];
	assert_finding(f, KF_PANIC, "Kernel panic - not syncing: Fatal exception");
	assert_int_equal(f->nr_lines, 3);
	assert_string_equal(last_line(f), "---[ end Kernel panic - not syncing: Fatal exception ]---");
	watched_free(&out);
}

static void test_hung_tasks(void **state)
{
	struct watched out;

	watch_file("console_hung_task.log", &out);
	assert_int_equal(out.nr, 2);
	assert_finding(&out.f[0], KF_HUNG_TASK, "INFO: task xfs_io:215 blocked for more than 122 seconds.");
	assert_string_equal(last_line(&out.f[0]), " </TASK>");
	assert_true(has_line(&out.f[0], " xfs_ilock+0x9f/0x110"));
	assert_finding(&out.f[1], KF_HUNG_TASK,
		       "INFO: task kworker/u8:3:87 blocked for more than 122 seconds.");
	assert_true(has_line(&out.f[1], "Workqueue: writeback wb_workfn (flush-259:0)"));
	watched_free(&out);
}

static void test_sanitizers_and_stalls(void **state)
{
	struct watched out;
	const struct kfinding *f;

	watch_file("console_sanitizers.log", &out);
	assert_int_equal(out.nr, 4);

	f = &out.f[0];
	assert_finding(f, KF_KASAN, "BUG: KASAN: slab-use-after-free in dax_iomap_rw+0x1a3/0x170");
	assert_true(has_line(f, "Freed by task 215:"));
	assert_string_equal(last_line(f),
			    "==================================================================");
	assert_false(has_line(f, "Disabling lock debugging due to kernel taint"));

	f = &out.f[1];
	assert_finding(f, KF_UBSAN, "UBSAN: array-index-out-of-bounds in fs/dax.c:1710:23");
	assert_string_equal(f->lines[0], "------------[ cut here ]------------");
	assert_string_equal(f->lines[2], "index 8 is out of range for type 'unsigned long[8]'");
	assert_string_equal(last_line(f), "---[ end trace ]---");

	f = &out.f[2];
	assert_finding(f, KF_RCU_STALL, "rcu: INFO: rcu_preempt self-detected stall on CPU");
	assert_true(has_line(f, "rcu: \t(t=21001 jiffies g=10833 q=402 ncpus=2)"));

	f = &out.f[3];
	assert_finding(f, KF_SOFT_LOCKUP,
		       "watchdog: BUG: soft lockup - CPU#1 stuck for 22s! [dax_spin:240]");
	assert_string_equal(last_line(f), " </TASK>");
	watched_free(&out);
}

static void test_prefixes_stripped(void **state)
{
	struct watched out;

	watch_str("<4>[    1.234567] WARNING: CPU: 0 PID: 1 at fs/dax.c:10 f+0x1/0x2\r\n"
		  "<4>[    1.234568] ---[ end trace 0000000000000000 ]---\n"
		  "1,512,5140900,-;BUG: unable to handle page fault for address: ffffc90000a00000\n"
		  "4,513,5140901,-;---[ end trace 0000000000000000 ]---\n"
		  "[    2.000000][    T1] Kernel panic - not syncing: VFS: Unable to mount root fs on unknown-block(0,0)\n"
		  "[    2.000001][    T1] ---[ end Kernel panic - not syncing: VFS: Unable to mount root fs on unknown-block(0,0) ]---\n"
		  "<3>rcu: INFO: rcu_sched detected stalls on CPUs/tasks:\n", &out);
	assert_int_equal(out.nr, 4);
	assert_finding(&out.f[0], KF_WARNING, "WARNING: CPU: 0 PID: 1 at fs/dax.c:10 f+0x1/0x2");
	assert_string_equal(out.f[0].lines[1], "---[ end trace 0000000000000000 ]---");
	assert_finding(&out.f[1], KF_BUG,
		       "BUG: unable to handle page fault for address: ffffc90000a00000");
	assert_int_equal(out.f[1].nr_lines, 2);
	assert_finding(&out.f[2], KF_PANIC,
		       "Kernel panic - not syncing: VFS: Unable to mount root fs on unknown-block(0,0)");
	assert_int_equal(out.f[2].nr_lines, 2);
	assert_finding(&out.f[3], KF_RCU_STALL, "rcu: INFO: rcu_sched detected stalls on CPUs/tasks:");
	watched_free(&out);
}

static void test_ordinary_lines_ignored(void **state)
{
	struct watched out;

	watch_str("[    3.100000] XFS (pmem0): EXPERIMENTAL online scrub feature in use. Use at your own risk!\n"
		  "[    3.100001] Warning: unable to open an initial console.\n"
		  "[    3.100002] ext4: warning: mounting fs with errors, running e2fsck is recommended\n"
		  "[    3.100003] dax_statx: WARNING: statx does not report DAX\n"
		  "[    3.100004] Kernel command line: console=ttyS0 panic=-1 oops=panic\n"
		  "[    3.100005] INFO: lockdep is turned off.\n"
		  "[    3.100006]  BUG: indented, so not at the start of a message\n"
		  "[    3.100007] this BUG: is in the middle\n"
		  "[    3.100008] ACPI BIOS Error (bug): Could not resolve symbol [\\_SB.PCI0.S18], AE_NOT_FOUND\n"
		  "[    3.100009] rcu: INFO: rcu_tasks grace-period kthread started\n"
		  "[    3.100010] ---[ end trace 0000000000000000 ]---\n"
		  "[    3.100011] ==================================================================\n"
		  "[    3.100012] Tainted: [W]=WARN\n", &out);
	assert_int_equal(out.nr, 0);
	assert_int_equal(out.started, 0);
}

static void test_bug_then_oops_header(void **state)
{
	struct watched out;

	watch_str("------------[ cut here ]------------\n"
		  "kernel BUG at fs/dax.c:412!\n"
		  "Oops: invalid opcode: 0000 [#1] PREEMPT SMP NOPTI\n"
		  "CPU: 0 UID: 0 PID: 215 Comm: dax_statx Not tainted 6.12.117-daxtest #1\n"
		  "---[ end trace 0000000000000000 ]---\n"
		  /* Before 6.10 die() printed no "Oops: " prefix. */
		  "general protection fault, probably for non-canonical address 0xdffffc0000000001: 0000 [#2] SMP KASAN NOPTI\n"
		  "KASAN: null-ptr-deref in range [0x0000000000000008-0x000000000000000f]\n"
		  "---[ end trace 0000000000000000 ]---\n"
		  /* arm64 */
		  "Unable to handle kernel NULL pointer dereference at virtual address 0000000000000008\n"
		  "Mem abort info:\n"
		  "Internal error: Oops: 0000000096000005 [#3] PREEMPT SMP\n"
		  "---[ end trace 0000000000000000 ]---\n", &out);
	assert_int_equal(out.nr, 3);
	assert_int_equal(out.started, 3);
	assert_finding(&out.f[0], KF_OOPS, "kernel BUG at fs/dax.c:412!");
	assert_int_equal(out.f[0].nr_lines, 5);
	assert_finding(&out.f[1], KF_OOPS,
		       "general protection fault, probably for non-canonical address 0xdffffc0000000001: 0000 [#2] SMP KASAN NOPTI");
	assert_true(has_line(&out.f[1], "KASAN: null-ptr-deref in range [0x0000000000000008-0x000000000000000f]"));
	assert_finding(&out.f[2], KF_OOPS,
		       "Unable to handle kernel NULL pointer dereference at virtual address 0000000000000008");
	assert_int_equal(out.f[2].nr_lines, 4);
	watched_free(&out);
}

static void test_cut_here_without_report(void **state)
{
	struct console_watch w;
	struct watched out = { 0 };
	char line[64];
	int i;

	console_watch_init(&w);
	feed(&w, "[    1.000000] ------------[ cut here ]------------", &out);
	for (i = 0; i < 20; i++) {
		snprintf(line, sizeof(line), "[    1.%06d] ordinary line %d", i + 1, i);
		feed(&w, line, &out);
	}
	assert_null(w.open);
	/* The report title came too late to belong to it. */
	feed(&w, "[    2.000000] WARNING: CPU: 0 PID: 1 at fs/dax.c:1 f+0x1/0x2", &out);
	out.f = console_watch_take(&w, &out.nr);
	console_watch_free(&w);
	assert_int_equal(out.nr, 1);
	assert_string_equal(out.f[0].lines[0], out.f[0].title);
	watched_free(&out);
}

static void test_line_budget(void **state)
{
	struct console_watch w;
	struct watched out = { 0 };
	char line[64];
	int i;

	console_watch_init(&w);
	feed(&w, "WARNING: CPU: 0 PID: 1 at fs/dax.c:1 f+0x1/0x2", &out);
	for (i = 0; i < 200; i++) {
		snprintf(line, sizeof(line), " frame_%d+0x1/0x2", i);
		feed(&w, line, &out);
	}
	assert_null(w.open);
	assert_int_equal(w.nr_findings, 1);
	assert_int_equal(w.findings[0].nr_lines, CONSOLE_REPORT_LINES);
	assert_string_equal(w.findings[0].lines[CONSOLE_REPORT_LINES - 1], " frame_78+0x1/0x2");
	out.f = console_watch_take(&w, &out.nr);
	console_watch_free(&w);
	assert_int_equal(out.nr, 1);
	watched_free(&out);
}

static void test_next_report_closes_open_one(void **state)
{
	struct watched out;

	watch_str("WARNING: CPU: 0 PID: 1 at fs/dax.c:1 f+0x1/0x2\n"
		  " f+0x1/0x2\n"
		  "BUG: sleeping function called from invalid context at fs/dax.c:99\n"
		  "in_atomic(): 1, irqs_disabled(): 0, non_block: 0, pid: 215, name: dax_statx\n", &out);
	assert_int_equal(out.nr, 2);
	assert_int_equal(out.f[0].nr_lines, 2);
	assert_finding(&out.f[1], KF_BUG,
		       "BUG: sleeping function called from invalid context at fs/dax.c:99");
	assert_int_equal(out.f[1].nr_lines, 2);
	watched_free(&out);
}

static void test_take_closes_and_watcher_continues(void **state)
{
	struct console_watch w;
	struct watched out = { 0 };
	struct kfinding *f;
	size_t nr;

	console_watch_init(&w);
	f = console_watch_take(&w, &nr);
	assert_null(f);
	assert_int_equal(nr, 0);

	feed(&w, "BUG: KASAN: use-after-free in dax_foo+0x12/0x30", &out);
	assert_non_null(w.open);
	assert_int_equal(w.nr_findings, 0);
	out.f = console_watch_take(&w, &out.nr);
	assert_null(w.open);
	assert_int_equal(out.nr, 1);
	assert_int_equal(out.f[0].kind, KF_KASAN);
	watched_free(&out);

	/* A line of the report taken away does not start another one. */
	feed(&w, "Read of size 8 at addr ffff888003a1b2c8 by task dax_statx/215", &out);
	feed(&w, "UBSAN: shift-out-of-bounds in fs/dax.c:77:12", &out);
	out.f = console_watch_take(&w, &out.nr);
	assert_int_equal(out.nr, 1);
	assert_int_equal(out.f[0].kind, KF_UBSAN);
	assert_int_equal(out.f[0].nr_lines, 1);
	watched_free(&out);
	console_watch_free(&w);
}

static void test_free_with_open_report(void **state)
{
	struct console_watch w;
	struct watched out = { 0 };

	console_watch_init(&w);
	feed(&w, "WARNING: CPU: 0 PID: 1 at fs/dax.c:1 f+0x1/0x2", &out);
	feed(&w, "---[ end trace 0000000000000000 ]---", &out);
	feed(&w, "INFO: task xfs_io:215 blocked for more than 122 seconds.", &out);
	assert_int_equal(out.started, 2);
	assert_int_equal(w.nr_findings, 1);
	assert_non_null(w.open);
	/* LeakSanitizer checks that the open report is freed too. */
	console_watch_free(&w);
	assert_null(w.findings);
	assert_null(w.open);
}

static void test_long_and_binary_lines(void **state)
{
	struct watched out;
	char *line;

	line = malloc(10000);
	assert_non_null(line);
	strcpy(line, "[    1.000000] BUG: \033[31mnoise\x7f");
	memset(line + strlen(line), 'x', 5000);
	line[9999] = '\0';
	watch_text(line, &out);
	free(line);
	assert_int_equal(out.nr, 1);
	assert_int_equal(strlen(out.f[0].title), CONSOLE_LINE_MAX);
	assert_true(!strncmp(out.f[0].title, "BUG: ?[31mnoise?xxx", 19));
	watched_free(&out);
}

static void test_kind_names(void **state)
{
	static const char *const names[] = {
		"oops", "bug", "warning", "kasan", "ubsan", "panic", "hung-task",
		"rcu-stall", "soft-lockup",
	};
	int k;

	for (k = KF_OOPS; k <= KF_SOFT_LOCKUP; k++)
		assert_string_equal(kfinding_kind_name(k), names[k]);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_clean_boot),
		cmocka_unit_test(test_oops_is_one_finding),
		cmocka_unit_test(test_warnings),
		cmocka_unit_test(test_oops_then_panic),
		cmocka_unit_test(test_hung_tasks),
		cmocka_unit_test(test_sanitizers_and_stalls),
		cmocka_unit_test(test_prefixes_stripped),
		cmocka_unit_test(test_ordinary_lines_ignored),
		cmocka_unit_test(test_bug_then_oops_header),
		cmocka_unit_test(test_cut_here_without_report),
		cmocka_unit_test(test_line_budget),
		cmocka_unit_test(test_next_report_closes_open_one),
		cmocka_unit_test(test_take_closes_and_watcher_continues),
		cmocka_unit_test(test_free_with_open_report),
		cmocka_unit_test(test_long_and_binary_lines),
		cmocka_unit_test(test_kind_names),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
