// SPDX-License-Identifier: GPL-2.0
/*
 * test_report_html.c - unit tests of report.html: where a leaf goes in
 * the matrix, escaping of what the guest printed, failures on the page,
 * and reading results.json back (daxtest report)
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "tests/unit_tempdir.h"
#include "lib/fsutil.h"
#include "report/report.h"

#define HOSTILE_REASON	"<script>alert('x')</script>&\""
#define HOSTILE_DIAG	"</pre><img src=x onerror=alert(1)>"
#define HOSTILE_DMESG	"\x1b[31m<b>red</b>\x07 dax: \xff"
#define HOSTILE_TITLE	"WARNING: \"><iframe src=//evil>"

static char *xstrdup(const char *s)
{
	char *copy = strdup(s);

	assert_non_null(copy);
	return copy;
}

static char **lines_of(size_t n, ...)
{
	char **v = calloc(n, sizeof(*v));
	va_list ap;
	size_t i;

	assert_non_null(v);
	va_start(ap, n);
	for (i = 0; i < n; i++)
		v[i] = xstrdup(va_arg(ap, const char *));
	va_end(ap);
	return v;
}

static void set_test(struct test_result *t, const char *name, enum test_status status,
		     const char *reason, const char *ktap)
{
	memset(t, 0, sizeof(*t));
	t->name = xstrdup(name);
	t->status = status;
	t->reason = reason ? xstrdup(reason) : NULL;
	t->exit_code = test_status_failed(status) ? 1 : 0;
	t->seconds = 2.5;
	t->output = xstrdup(ktap);
	t->output_len = strlen(ktap);
	assert_int_equal(ktap_parse(t->output, t->output_len, &t->ktap), 0);
}

static void add_finding(struct kfinding **f, size_t *nr, const char *title)
{
	*f = realloc(*f, (*nr + 1) * sizeof(**f));
	assert_non_null(*f);
	(*f)[*nr].kind = KF_WARNING;
	(*f)[*nr].title = xstrdup(title);
	(*f)[*nr].lines = lines_of(2, title, "RIP: 0010:dax_insert_entry+0x2f1/0x330");
	(*f)[*nr].nr_lines = 2;
	(*nr)++;
}

/* Two programs in map=mem, one in map=dev, a power-fail case, a crash. */
static void build_run(struct run_report *r, bool failing)
{
	memset(r, 0, sizeof(*r));
	r->run_id = xstrdup("20261130-000000-1");
	r->kernel_release = xstrdup("6.12.117");
	r->kernel_source = xstrdup("linux-source-6.12 6.12.117-1");
	r->accel = xstrdup("tcg");
	r->boot_seconds = 2.96;
	r->total_seconds = 14.25;
	r->nr_tests = failing ? 5 : 3;
	r->tests = calloc(r->nr_tests, sizeof(*r->tests));
	assert_non_null(r->tests);
	set_test(&r->tests[0], "per-file-dax/dax_statx@map=mem", TEST_PASS, NULL,
		 "TAP version 13\n1..4\n"
		 "ok 1 fsdax.xfs_always.generic_606\n"
		 "ok 2 fsdax.xfs_never.generic_606\n"
		 "ok 3 fsdax.ext4_always.generic_606\n"
		 "ok 4 fsdax.ext4_inode.generic_606 # SKIP no inode mode\n");
	set_test(&r->tests[1], "mmap-sync/pmd_fault@map=dev", TEST_PASS, NULL,
		 "TAP version 13\n1..2\nok 1 pmd.xfs_2m.read_fault_2m\n"
		 "ok 2 madv.hwpoison_sigbus\n");
	set_test(&r->tests[2], "powerfail/map_sync_cut/cut.ext4_always.map_sync_stores@map=mem",
		 TEST_XFAIL, "known failure: 6.1 has no -r",
		 "TAP version 13\n1..1\nnot ok 1 cut 1\n");
	if (!failing)
		return;
	set_test(&r->tests[3], "hwpoison/badblocks@map=mem", TEST_FAIL, HOSTILE_REASON,
		 "TAP version 13\n1..2\nok 1 qbb.xfs.pread_eio\n"
		 "# badblocks.c:99:mmap_sigbus:Expected SIGBUS (7) == sig (0)\n"
		 "# " HOSTILE_DIAG "\n"
		 "not ok 2 qbb.xfs.mmap_sigbus\n");
	r->tests[3].dmesg = lines_of(2, "pmem0: detected capacity change", HOSTILE_DMESG);
	r->tests[3].nr_dmesg = 2;
	add_finding(&r->tests[3].findings, &r->tests[3].nr_findings, HOSTILE_TITLE);
	set_test(&r->tests[4], "hwpoison/madv_hwpoison@map=mem", TEST_CRASH,
		 "the guest died: Kernel panic", "");
	add_finding(&r->findings, &r->nr_findings, "BUG: outside any test");
}

static char *html_of(const struct run_report *r, const char *dir)
{
	char *path = path_join(dir, "report.html"), *text;
	size_t len;

	assert_non_null(path);
	assert_int_equal(report_html_write(path, r), 0);
	assert_int_equal(read_file(path, &text, &len), 0);
	assert_int_equal(strlen(text), len);
	free(path);
	return text;
}

static void assert_place(const char *program, const char *leaf, const char *fs,
			 const char *mode, const char *ns)
{
	struct report_place p;

	report_place(program, leaf, &p);
	if (strcmp(report_grid_fs_name(p.fs), fs) ||
	    strcmp(report_grid_mode_name(p.mode), mode) ||
	    strlen(ns) != p.ns_len || strncmp(p.ns, ns, p.ns_len))
		fail_msg("%s / %s: got %s %s %.*s, expected %s %s %s", program,
			 leaf ? leaf : "(null)", report_grid_fs_name(p.fs),
			 report_grid_mode_name(p.mode), (int)p.ns_len, p.ns, fs, mode, ns);
}

static void test_place(void **state)
{
	/* Names as the suite's programs print them. */
	assert_place("per-file-dax/dax_statx@map=mem", "fsdax.xfs_always.generic_606",
		     "xfs", "always", "map=mem");
	assert_place("per-file-dax/dax_flag@map=dev", "fsdax.ext4_never.flag_persists",
		     "ext4", "never", "map=dev");
	assert_place("per-file-dax/dax_flag@map=mem", "fsdax.xfs_inode.fifo_refused",
		     "xfs", "inode", "map=mem");
	assert_place("per-file-dax/dax_flag@map=mem", "fsdax.ext4_default.fifo_refused",
		     "ext4", "default", "map=mem");
	assert_place("hwpoison/badblocks@map=mem", "qbb.ext4.pread_eio", "ext4", "other",
		     "map=mem");
	assert_place("mmap-sync/pmd_fault@map=mem", "pmd.xfs_2m.read_fault_2m", "xfs", "other",
		     "map=mem");
	assert_place("per-file-dax/dax_mount@map=mem", "bare.xfs_always_small_blocks_turns_off",
		     "xfs", "always", "map=mem");
	assert_place("per-file-dax/dax_mount@map=mem", "bare.ext4_remount", "ext4", "other",
		     "map=mem");
	assert_place("mmap-sync/map_sync_flags@map=mem", "tmpfs.validate_and_shared_sync",
		     "tmpfs", "other", "map=mem");
	assert_place("mmap-sync/map_sync_flags@map=mem", "vpmem.xfs_always.map_sync_refused",
		     "xfs", "always", "map=mem");
	/* Nested subtests: "<parent>.<child>". */
	assert_place("a/b@map=mem", "outer.inner.ext4_inode.leaf", "ext4", "inode", "map=mem");
	/* A power-fail case is a program named after the case. */
	assert_place("powerfail/map_sync_cut/cut.xfs_always.map_sync_stores@map=mem", "",
		     "xfs", "always", "map=mem");
	assert_place("powerfail/dax_flag_cut/fcut.ext4_inode.flag_control@map=dev", NULL,
		     "ext4", "inode", "map=dev");
	/* ... but the leaf's own name comes first. */
	assert_place("powerfail/map_sync_cut/cut.xfs_always.x@map=mem", "rcut.ext4_never.y",
		     "ext4", "never", "map=mem");
	/* Nothing to go by: "other". */
	assert_place("hwpoison/madv_hwpoison@map=mem", "madv.hwpoison_reflinked", "other",
		     "other", "map=mem");
	assert_place("hwpoison/nfit_inject@map=mem", "nfit.raw.inject_status", "other", "other",
		     "map=mem");
	assert_place("per-file-dax/dax_ext4", "bare.dax_on_journal_data_eopnotsupp", "other",
		     "other", "other");
	assert_place("per-file-dax/dax_ext4@map=mem", NULL, "other", "other", "map=mem");
	assert_place(NULL, NULL, "other", "other", "other");
	/* Near misses are not filesystems or modes. */
	assert_place("x/y@", "xfsx.always", "other", "other", "other");
	assert_place("x/y@map=mem", "fsdax.ext4always.z", "other", "other", "map=mem");
	assert_place("x/y@map=mem", "fsdax.xfs_alwaysx.z", "xfs", "other", "map=mem");
	assert_place("x/y@map=mem", ".xfs_never.", "xfs", "never", "map=mem");
	assert_place("x/y@map=mem", "..", "other", "other", "map=mem");
}

static size_t fs_index(const struct report_grid *g, const char *name)
{
	size_t i;

	for (i = 0; i < g->nr_fs; i++)
		if (!strcmp(report_grid_fs_name(i), name))
			return i;
	fail_msg("no filesystem %s", name);
	return 0;
}

static size_t mode_index(const struct report_grid *g, const char *name)
{
	size_t i;

	for (i = 0; i < g->nr_modes; i++)
		if (!strcmp(report_grid_mode_name(i), name))
			return i;
	fail_msg("no mode %s", name);
	return 0;
}

static size_t ns_index(const struct report_grid *g, const char *name)
{
	size_t i;

	for (i = 0; i < g->nr_ns; i++)
		if (!strcmp(g->ns[i], name))
			return i;
	fail_msg("no namespace cell %s", name);
	return 0;
}

static void assert_cell(const struct report_grid *g, const char *ns, const char *fs,
			const char *mode, unsigned int passed, unsigned int failed,
			unsigned int skipped, unsigned int xfailed)
{
	const struct report_totals *c = report_grid_cell(g, ns_index(g, ns), fs_index(g, fs),
							 mode_index(g, mode));

	if (c->passed != passed || c->failed != failed || c->skipped != skipped ||
	    c->xfailed != xfailed)
		fail_msg("%s %s %s: %u/%u/%u/%u, expected %u/%u/%u/%u", ns, fs, mode, c->passed,
			 c->failed, c->skipped, c->xfailed, passed, failed, skipped, xfailed);
}

static void test_grid_cells(void **state)
{
	struct report_totals sum = { 0 }, want;
	struct report_grid g;
	struct run_report r;
	size_t ns, fs, mode;

	build_run(&r, true);
	assert_int_equal(report_grid_build(&r, &g), 0);
	assert_int_equal(g.nr_ns, 3);
	assert_cell(&g, "map=mem", "xfs", "always", 1, 0, 0, 0);
	assert_cell(&g, "map=mem", "xfs", "never", 1, 0, 0, 0);
	assert_cell(&g, "map=mem", "ext4", "always", 1, 0, 0, 1);	/* + the xfailed cut */
	assert_cell(&g, "map=mem", "ext4", "inode", 0, 0, 1, 0);
	assert_cell(&g, "map=dev", "xfs", "other", 1, 0, 0, 0);
	assert_cell(&g, "map=dev", "other", "other", 1, 0, 0, 0);
	assert_cell(&g, "map=mem", "xfs", "other", 1, 1, 0, 0);		/* qbb.xfs.* */
	assert_cell(&g, "map=mem", "other", "other", 0, 1, 0, 0);	/* the crash */
	assert_cell(&g, "other", "other", "other", 0, 1, 0, 0);		/* kernel, outside */

	/* The grid adds up to what the summary says. */
	for (ns = 0; ns < g.nr_ns; ns++) {
		for (fs = 0; fs < g.nr_fs; fs++) {
			for (mode = 0; mode < g.nr_modes; mode++) {
				const struct report_totals *c = report_grid_cell(&g, ns, fs, mode);

				sum.passed += c->passed;
				sum.failed += c->failed;
				sum.skipped += c->skipped;
				sum.xfailed += c->xfailed;
			}
		}
	}
	report_totals(&r, &want);
	assert_int_equal(sum.passed, want.passed);
	assert_int_equal(sum.failed, want.failed);
	assert_int_equal(sum.skipped, want.skipped);
	assert_int_equal(sum.xfailed, want.xfailed);
	report_grid_free(&g);
	run_report_free(&r);
}

static void test_html_escapes_guest_text(void **state)
{
	struct run_report r;
	char *html;

	build_run(&r, true);
	free(r.infra_error);
	r.infra_error = xstrdup("guest said <marquee>");
	html = html_of(&r, *state);
	/* Nothing the guest printed became markup. */
	assert_null(strstr(html, "<script"));
	assert_null(strstr(html, "<img"));
	assert_null(strstr(html, "<iframe"));
	assert_null(strstr(html, "<b>"));
	assert_null(strstr(html, "<marquee"));
	assert_null(strstr(html, "\x1b"));
	assert_null(strstr(html, "\x07"));
	assert_null(strstr(html, "\xff"));
	/* It is all there, as text. */
	assert_non_null(strstr(html, "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;&amp;&quot;"));
	assert_non_null(strstr(html, "&lt;/pre&gt;&lt;img src=x onerror=alert(1)&gt;"));
	assert_non_null(strstr(html, "[31m&lt;b&gt;red&lt;/b&gt; dax: \xef\xbf\xbd"));
	assert_non_null(strstr(html, "WARNING: &quot;&gt;&lt;iframe src=//evil&gt;"));
	assert_non_null(strstr(html, "guest said &lt;marquee&gt;"));
	/* No network: nothing loaded from elsewhere. */
	assert_null(strstr(html, "http:"));
	assert_null(strstr(html, "https:"));
	assert_null(strstr(html, "src=\""));
	free(html);
	run_report_free(&r);
}

static void test_html_failure(void **state)
{
	struct run_report r;
	char *html, *failure;

	build_run(&r, true);
	html = html_of(&r, *state);
	assert_non_null(strstr(html, "<caption>kernel 6.12.117"));
	assert_non_null(strstr(html, "data-passed=\"6\" data-failed=\"3\" data-skipped=\"1\" "
				     "data-xfailed=\"1\">6 passed, 3 failed, 1 skipped, 1 xfailed"));
	assert_non_null(strstr(html, "<td class=\"cell fail\" data-fs=\"xfs\" data-mode=\"other\" "
				     "data-ns=\"map=mem\""));
	assert_non_null(strstr(html, "<td class=\"cell pass\" data-fs=\"xfs\" data-mode=\"always\" "
				     "data-ns=\"map=mem\""));
	assert_non_null(strstr(html, "<td class=\"cell xfail\" data-fs=\"ext4\" data-mode=\"always\""));
	assert_non_null(strstr(html, "<td class=\"cell skip\" data-fs=\"ext4\" data-mode=\"inode\""));
	/* The failed program, linked from its row, with all we know. */
	assert_non_null(strstr(html, "<a href=\"#fail-1\">fail</a>"));
	assert_non_null(strstr(html, "<a href=\"#fail-2\">crash</a>"));
	failure = strstr(html, "<details class=\"failure\" id=\"fail-1\" data-status=\"fail\" "
			       "data-test=\"hwpoison/badblocks@map=mem\"");
	assert_non_null(failure);
	assert_non_null(strstr(failure, "<div class=\"subtest-failure\" "
					"data-subtest=\"qbb.xfs.mmap_sigbus\">"));
	assert_non_null(strstr(failure, "badblocks.c:99:mmap_sigbus:Expected SIGBUS (7) == sig (0)"));
	assert_non_null(strstr(failure, "<details class=\"finding\" open><summary>kernel warning: "));
	assert_non_null(strstr(failure, "RIP: 0010:dax_insert_entry+0x2f1/0x330"));
	assert_non_null(strstr(failure, "pmem0: detected capacity change"));
	/* The passing subtest is not a failure; the known failure is not one. */
	assert_null(strstr(html, "data-subtest=\"qbb.xfs.pread_eio\""));
	assert_null(strstr(html, "data-test=\"powerfail/"));
	assert_non_null(strstr(html, "id=\"fail-2\" data-status=\"crash\""));
	assert_non_null(strstr(html, "id=\"fail-3\" data-status=\"kernel\""));
	assert_non_null(strstr(html, "BUG: outside any test"));
	assert_null(strstr(html, "id=\"fail-4\""));
	assert_null(strstr(html, "no-failures"));
	/* Timings: boot, each test, the total; links to the logs. */
	assert_non_null(strstr(html, "<td class=\"num\">2.96</td>"));
	assert_non_null(strstr(html, "<td class=\"num\">14.25</td>"));
	assert_non_null(strstr(html, "href=\"tests/hwpoison/badblocks%40map%3Dmem.log\""));
	free(html);
	run_report_free(&r);

	build_run(&r, false);
	html = html_of(&r, *state);
	assert_non_null(strstr(html, "<p id=\"no-failures\">"));
	assert_null(strstr(html, "class=\"failure"));
	free(html);
	run_report_free(&r);
}

/* results.json read back makes the same page: daxtest report DIR. */
static void test_json_round_trip(void **state)
{
	char *json = path_join(*state, "results.json"), *before, *after;
	struct run_report r, back;

	assert_non_null(json);
	build_run(&r, true);
	r.tests[4].ktap.trailing = lines_of(1, "# RUN madv.hwpoison_sigbus ...");
	r.tests[4].ktap.nr_trailing = 1;
	r.tests[3].ktap.errors = lines_of(1, "line 7: result out of plan");
	r.tests[3].ktap.nr_errors = 1;
	before = html_of(&r, *state);
	assert_int_equal(report_json_write(json, &r), 0);
	assert_int_equal(report_json_read(json, &back), 0);
	assert_int_equal(back.nr_tests, r.nr_tests);
	assert_string_equal(back.tests[3].reason, HOSTILE_REASON);
	assert_int_equal(back.tests[3].status, TEST_FAIL);
	assert_int_equal(back.tests[2].status, TEST_XFAIL);
	assert_int_equal(back.tests[3].ktap.tests[1].status, KTAP_FAIL);
	assert_int_equal(back.tests[3].nr_findings, 1);
	assert_int_equal(back.tests[3].findings[0].kind, KF_WARNING);
	assert_int_equal(back.nr_findings, 1);
	assert_int_equal(back.tests[4].ktap.nr_trailing, 1);
	assert_null(back.infra_error);
	after = html_of(&back, *state);
	/* The JSON holds guest text cleaned; the page cleans it again, to
	 * the same text. */
	assert_string_equal(before, after);
	assert_int_equal(report_rerender(*state), 0);
	free(before);
	free(after);
	free(json);
	run_report_free(&r);
	run_report_free(&back);
}

static void write_json(const char *dir, const char *text)
{
	char *path = path_join(dir, "results.json");

	assert_non_null(path);
	assert_int_equal(write_file_atomic(path, text, strlen(text), 0644), 0);
	free(path);
}

static void test_json_read_rejects(void **state)
{
	char *missing = path_join(*state, "nope");
	struct run_report r;

	assert_non_null(missing);
	assert_int_equal(report_rerender(missing), -1);		/* no such directory */
	assert_int_equal(report_rerender(*state), -1);		/* no results.json */
	write_json(*state, "{\"tests\": [");
	assert_int_equal(report_rerender(*state), -1);
	write_json(*state, "[1, 2]");
	assert_int_equal(report_rerender(*state), -1);
	write_json(*state, "{\"run_id\": \"x\"}");
	assert_int_equal(report_rerender(*state), -1);
	write_json(*state, "{\"tests\": [{\"name\": \"a\", \"status\": \"bogus\"}]}");
	assert_int_equal(report_rerender(*state), -1);
	write_json(*state, "{\"tests\": [{\"status\": \"pass\"}]}");
	assert_int_equal(report_rerender(*state), -1);
	write_json(*state, "{\"tests\": [{\"name\": \"a\", \"status\": \"fail\", "
			   "\"subtests\": [{\"name\": 3, \"status\": \"fail\"}]}]}");
	assert_int_equal(report_rerender(*state), -1);
	write_json(*state, "{\"tests\": [{\"name\": \"a\", \"status\": \"fail\", "
			   "\"findings\": [{\"kind\": \"meltdown\"}]}]}");
	assert_int_equal(report_rerender(*state), -1);
	write_json(*state, "{\"tests\": [{\"name\": \"a\", \"status\": \"fail\", "
			   "\"dmesg\": [\"ok\", null]}]}");
	assert_int_equal(report_rerender(*state), -1);
	assert_int_equal(report_json_read("/nonexistent/results.json", &r), -1);
	/* The least a results.json has; what an older daxtest wrote. */
	write_json(*state, "{\"tests\": [{\"name\": \"a@map=mem\", \"status\": \"fail\", "
			   "\"subtests\": [{\"name\": \"f.xfs_never.t\", \"status\": \"fail\", "
			   "\"diag\": [\"why\"]}]}]}");
	assert_int_equal(report_rerender(*state), 0);
	free(missing);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_place),
		cmocka_unit_test(test_grid_cells),
		cmocka_unit_test_setup_teardown(test_html_escapes_guest_text, make_temp_dir,
						remove_temp_dir),
		cmocka_unit_test_setup_teardown(test_html_failure, make_temp_dir, remove_temp_dir),
		cmocka_unit_test_setup_teardown(test_json_round_trip, make_temp_dir,
						remove_temp_dir),
		cmocka_unit_test_setup_teardown(test_json_read_rejects, make_temp_dir,
						remove_temp_dir),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
