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
 *    (6.1 :1034-1035) and runs every test of the program. KSFT_HAS_RUN_FILTER
 *    says whether "-r fixture.variant.test" works; daxtest's power-fail
 *    runner depends on it (tests/common/powerfail.h).
 *  - no XFAIL_ADD(): not used here.
 */
#ifndef DAXTEST_KSFT_COMPAT_H
#define DAXTEST_KSFT_COMPAT_H

#ifndef __KSELFTEST_HARNESS_H
#error "include ksft_compat.h after kselftest_harness.h"
#endif

#ifdef FIXTURE_TEARDOWN_PARENT		/* 6.9 and later */

#define KSFT_HAS_RUN_FILTER 1
/* The setup (or a helper) failed or skipped: the caller must stop. */
#define ksft_test_stopped(m) ((m)->exit_code)

#else					/* 6.1-era harness */

#define KSFT_HAS_RUN_FILTER 0
#define ksft_test_stopped(m) (!(m)->passed || (m)->skip)

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
