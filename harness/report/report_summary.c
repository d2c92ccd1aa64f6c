// SPDX-License-Identifier: GPL-2.0
/*
 * report_summary.c - leaf-level totals and the closing summary lines
 *
 * A leaf is a subtest of a program that printed KTAP results, or the
 * program itself when it printed none. A program that failed although
 * none of its subtests did (the kernel warned while it ran, it was killed
 * after its last result, its output was malformed) counts one failure
 * more, and so do kernel problems seen outside any test: neither may
 * leave a run looking green.
 */
#include <stdio.h>
#include <string.h>

#include "report/report.h"

void report_test_totals(const struct test_result *test, struct report_totals *t)
{
	struct ktap_counts c = { 0 };
	unsigned int failed;

	if (!test_result_counts_subtests(test)) {
		if (test->status == TEST_PASS)
			t->passed++;
		else if (test->status == TEST_XFAIL)
			t->xfailed++;
		else if (test->status == TEST_SKIP)
			t->skipped++;
		else
			t->failed++;
		return;
	}
	ktap_count(&test->ktap, &c);
	failed = c.failed + c.timeout + c.error;
	t->passed += c.passed;
	t->xfailed += c.xfailed;
	t->skipped += c.skipped;
	/* A known failure (tests/known/): its failed leaves are expected. */
	if (test->status == TEST_XFAIL)
		t->xfailed += failed ? failed : 1;	/* or the program as a whole */
	else
		t->failed += failed;
	if (!failed && test_status_failed(test->status))
		t->failed++;
}

void report_totals(const struct run_report *r, struct report_totals *t)
{
	size_t i;

	memset(t, 0, sizeof(*t));
	for (i = 0; i < r->nr_tests; i++)
		report_test_totals(&r->tests[i], t);
	if (r->nr_findings)
		t->failed++;
}

/*
 *	3 passed, 1 failed, 2 skipped
 *	# boot 1.52 s, total 34.10 s, accel tcg, kernel 6.12.117
 *	# fail per-file-dax/dax_statx: exit status 1
 *	# kernel: WARNING: CPU: 0 PID: 1 at fs/dax.c:123 dax_foo+0x12/0x30
 */
void report_summary(FILE *f, const struct run_report *r)
{
	const struct test_result *t;
	struct report_totals tot;
	size_t i;

	report_totals(r, &tot);
	fprintf(f, "%u passed, %u failed", tot.passed, tot.failed);
	if (tot.skipped)
		fprintf(f, ", %u skipped", tot.skipped);
	if (tot.xfailed)
		fprintf(f, ", %u xfailed", tot.xfailed);
	fputc('\n', f);

	fprintf(f, "# boot %.2f s, total %.2f s", r->boot_seconds, r->total_seconds);
	if (r->accel)
		fprintf(f, ", accel %s", r->accel);
	if (r->kernel_release)
		fprintf(f, ", kernel %s", r->kernel_release);
	if (r->qemu_peak_rss_mib)
		fprintf(f, ", QEMU peak RSS %.0f MiB", r->qemu_peak_rss_mib);
	if (r->guests_restored)
		fprintf(f, ", %u guests restored from a snapshot, %u booted",
			r->guests_restored, r->guests_booted);
	fputc('\n', f);

	for (i = 0; i < r->nr_tests; i++) {
		t = &r->tests[i];
		if (!test_status_failed(t->status))
			continue;
		fprintf(f, "# %s %s", test_status_name(t->status), t->name ? t->name : "(unnamed)");
		if (t->reason)
			fprintf(f, ": %s", t->reason);
		fputc('\n', f);
	}
	if (r->infra_error)
		fprintf(f, "# infrastructure error: %s\n", r->infra_error);
	for (i = 0; i < r->nr_findings; i++)
		fprintf(f, "# kernel (outside any test): %s\n",
			r->findings[i].title ? r->findings[i].title : "");
}
