// SPDX-License-Identifier: GPL-2.0
/*
 * result.c - what a run produced: names, freeing, and cleaning guest text
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "report/result.h"

#define REPLACEMENT	"\xef\xbf\xbd"	/* U+FFFD in UTF-8 */

const char *test_status_name(enum test_status s)
{
	switch (s) {
	case TEST_PASS:
		return "pass";
	case TEST_FAIL:
		return "fail";
	case TEST_SKIP:
		return "skip";
	case TEST_TIMEOUT:
		return "timeout";
	case TEST_CRASH:
		return "crash";
	case TEST_NOT_RUN:
		return "not-run";
	case TEST_XFAIL:
		return "xfail";
	case TEST_XPASS:
		return "xpass";
	}
	return "unknown";
}

bool test_status_failed(enum test_status s)
{
	return s != TEST_PASS && s != TEST_SKIP && s != TEST_XFAIL;
}

static void strings_free(char **v, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		free(v[i]);
	free(v);
}

static void findings_free(struct kfinding *f, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		kfinding_free(&f[i]);
	free(f);
}

void test_result_free(struct test_result *t)
{
	free(t->name);
	free(t->reason);
	free(t->output);
	ktap_doc_free(&t->ktap);
	strings_free(t->dmesg, t->nr_dmesg);
	findings_free(t->findings, t->nr_findings);
	memset(t, 0, sizeof(*t));
	t->ktap.plan = -1;
}

void run_report_free(struct run_report *r)
{
	size_t i;

	free(r->run_id);
	free(r->kernel_release);
	free(r->kernel_source);
	free(r->accel);
	free(r->infra_error);
	for (i = 0; i < r->nr_tests; i++)
		test_result_free(&r->tests[i]);
	free(r->tests);
	findings_free(r->findings, r->nr_findings);
	memset(r, 0, sizeof(*r));
}

static bool is_continuation(unsigned char c)
{
	return (c & 0xc0) == 0x80;
}

/*
 * Length of the well-formed UTF-8 sequence at s (RFC 3629: no overlong
 * forms, no surrogates, nothing past U+10FFFF), or 0.
 */
static size_t utf8_sequence(const unsigned char *s, size_t len, uint32_t *cp)
{
	size_t n, i;

	if (s[0] < 0x80) {
		*cp = s[0];
		return 1;
	}
	if (s[0] < 0xc2 || s[0] > 0xf4)
		return 0;
	n = s[0] < 0xe0 ? 2 : s[0] < 0xf0 ? 3 : 4;
	if (len < n)
		return 0;
	*cp = s[0] & (0x7f >> n);
	for (i = 1; i < n; i++) {
		if (!is_continuation(s[i]))
			return 0;
		*cp = *cp << 6 | (s[i] & 0x3f);
	}
	if ((n == 3 && (*cp < 0x800 || (*cp >= 0xd800 && *cp <= 0xdfff))) ||
	    (n == 4 && (*cp < 0x10000 || *cp > 0x10ffff)))
		return 0;
	return n;
}

char *result_text_clean(const char *s, size_t len)
{
	const unsigned char *in = (const unsigned char *)s;
	char *out, *p;
	uint32_t cp;
	size_t i = 0, n;

	/* At worst every byte becomes a 3-byte U+FFFD. */
	out = malloc(len * 3 + 1);
	if (!out)
		return NULL;
	p = out;
	while (i < len) {
		n = utf8_sequence(in + i, len - i, &cp);
		if (!n || cp == 0xfffe || cp == 0xffff) {
			memcpy(p, REPLACEMENT, 3);
			p += 3;
			i += n ? n : 1;
			continue;
		}
		if (cp >= 0x20 || cp == '\t' || cp == '\n') {
			memcpy(p, in + i, n);
			p += n;
		}
		i += n;
	}
	*p = '\0';
	return out;
}

bool test_result_counts_subtests(const struct test_result *t)
{
	return t->ktap.nr_tests && !t->ktap.disordered;
}

const char *result_suite(const char *name)
{
	if (!strncmp(name, "ndctl/", 6))
		return "ndctl";
	if (!strncmp(name, "fstests-", 8))
		return "fstests";
	return "daxtest";
}
