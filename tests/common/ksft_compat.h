/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Compatibility with an older kernel's kselftest_harness.h (6.1's): include
 * right after "kselftest_harness.h". The header always comes from the
 * kernel under test; with the 6.12 one (which has FIXTURE_TEARDOWN_PARENT)
 * this file changes nothing but defining ksft_test_stopped() as the plain
 * ksft_test_stopped(_metadata) test the programs used before.
 *
 * The 6.1 harness (tools/testing/selftests/kselftest_harness.h in
 * linux-source-6.1, 6.1.192) differs in what the programs here use:
 *  - no FIXTURE_TEARDOWN_PARENT(): there the whole test (setup, body,
 *    teardown) runs in one forked child, and FIXTURE_TEARDOWN() runs in it
 *    after the body returns or an ASSERT longjmps (6.1 :390-393). The
 *    fallback is a FIXTURE_TEARDOWN(); it does not run when the test
 *    process is killed by a signal or a timeout (6.1 __wait_for_test()).
 *  - no ksft_test_stopped(_metadata) (6.12 :923): "passed" and "skip" (6.1 :834-835).
 *  - SKIP() in FIXTURE_SETUP() leaves passed=1, so the 6.1 TEST_F() wrapper
 *    goes on into the test body (6.1 :389-392); 6.12 stops after a setup
 *    that skipped (6.12 :440). The fallback SKIP() below longjmps back to
 *    the wrapper when called before the setup completed, as 6.12 does: no
 *    body, no teardown, and the child exits 255, which 6.1 reports as SKIP.
 *  - no -r/-f/-v/-t filters, no -l: 6.1 test_harness_run() ignores argv
 *    (6.1 :1034-1035) and runs every test of the program. daxtest's
 *    power-fail runner needs "-r fixture.variant.test" (one case per power
 *    cut, tests/common/powerfail.h), so the fallback TEST_HARNESS_MAIN
 *    below honours -r itself: it keeps only the named test in the
 *    harness's fixture, variant and test lists (6.1 :792-846) and then
 *    runs test_harness_run() as usual. Other options stay ignored.
 *  - no XFAIL_ADD(): not used here.
 */
#ifndef DAXTEST_KSFT_COMPAT_H
#define DAXTEST_KSFT_COMPAT_H

#ifndef __KSELFTEST_HARNESS_H
#error "include ksft_compat.h after kselftest_harness.h"
#endif

#ifdef FIXTURE_TEARDOWN_PARENT		/* 6.9 and later */

/* The setup (or a helper) failed or skipped: the caller must stop. */
#define ksft_test_stopped(m) ((m)->exit_code)

#else					/* 6.1-era harness */

#define ksft_test_stopped(m) (!(m)->passed || (m)->skip)

/*
 * Keeps only the test "-r <fixture>[.<variant>].<test>" names (6.12's
 * test_enabled() format) in the lists test_harness_run() walks. 0 (no -r:
 * everything stays), or 1 after printing why the name matches nothing.
 */
static inline int ksft_compat_run_filter(int argc, char **argv)
{
	struct __fixture_variant_metadata no_variant = { .name = "", };
	struct __fixture_variant_metadata *v, *sel_v = NULL;
	struct __fixture_metadata *f, *sel_f = NULL;
	struct __test_metadata *t, *sel_t = NULL;
	const char *want = NULL;
	char name[256];
	int i;

	for (i = 1; i + 1 < argc; i++)
		if (!strcmp(argv[i], "-r"))
			want = argv[i + 1];
	if (!want)
		return 0;
	for (f = __fixture_list; f && !sel_t; f = f->next)
		for (v = f->variant ?: &no_variant; v && !sel_t; v = v->next)
			for (t = f->tests; t && !sel_t; t = t->next) {
				snprintf(name, sizeof(name), "%s%s%s.%s", f->name,
					 v->name[0] ? "." : "", v->name, t->name);
				if (!strcmp(name, want)) {
					sel_f = f;
					sel_v = v == &no_variant ? NULL : v;
					sel_t = t;
				}
			}
	if (!sel_t) {
		fprintf(stderr, "%s: -r %s: no such test\n", argv[0], want);
		return 1;
	}
	sel_f->prev = sel_f;
	sel_f->next = NULL;
	__fixture_list = sel_f;
	if (sel_v) {
		sel_v->prev = sel_v;
		sel_v->next = NULL;
		sel_f->variant = sel_v;
	}
	sel_t->prev = sel_t;
	sel_t->next = NULL;
	sel_f->tests = sel_t;
	return 0;
}

#undef TEST_HARNESS_MAIN
#define TEST_HARNESS_MAIN \
	int main(int argc, char **argv) { \
		if (ksft_compat_run_filter(argc, argv)) \
			return KSFT_FAIL; \
		return test_harness_run(argc, argv); \
	}

#define FIXTURE_TEARDOWN_PARENT(fixture_name) FIXTURE_TEARDOWN(fixture_name)

#undef SKIP
#define SKIP(statement, fmt, ...) do { \
	snprintf(_metadata->results->reason, \
		 sizeof(_metadata->results->reason), fmt, ##__VA_ARGS__); \
	if (TH_LOG_ENABLED) { \
		fprintf(TH_LOG_STREAM, "#      SKIP      %s\n", \
			_metadata->results->reason); \
	} \
	_metadata->passed = 1; \
	_metadata->skip = 1; \
	_metadata->trigger = 0; \
	if (!_metadata->setup_completed) \
		longjmp(_metadata->env, 1); \
	statement; \
} while (0)

#endif

#endif /* DAXTEST_KSFT_COMPAT_H */
