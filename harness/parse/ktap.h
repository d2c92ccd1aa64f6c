/* SPDX-License-Identifier: GPL-2.0 */
/*
 * KTAP parser (Documentation/dev-tools/ktap.rst): text in, a tree of test
 * results out. Accepts "KTAP version 1" and "TAP version 13/14" (what
 * kselftest_harness.h prints), two-space (KTAP) or four-space indented
 * subtests, and "Subtest:" lines. Never trusts its input: a truncated or
 * garbled stream is reported in ktap_doc.errors, never a crash, and a
 * result line that does not belong to the current plan is not counted.
 */
#ifndef DAXTEST_KTAP_H
#define DAXTEST_KTAP_H

#include <stdbool.h>
#include <stddef.h>

#define KTAP_MAX_TEXT	4096	/* longest name or diagnostic line kept */
#define KTAP_MAX_DEPTH	16	/* deeper subtests are reported as an error */

enum ktap_status {
	KTAP_PASS,
	KTAP_FAIL,
	KTAP_SKIP,
	KTAP_XFAIL,
	KTAP_TIMEOUT,
	KTAP_ERROR,
};

struct ktap_test {
	char *name;		/* description, "" when the line had none */
	int number;
	enum ktap_status status;
	char *directive;	/* text after the directive keyword (after the
				 * '#' when there is no keyword), or NULL */
	char **diag;		/* diagnostic lines logged before the result,
				 * without the leading "# " */
	size_t nr_diag;
	struct ktap_test *subtests;
	size_t nr_subtests;
};

struct ktap_counts {
	unsigned int passed, failed, skipped, xfailed, timeout, error;
};

struct ktap_doc {
	bool has_version;
	int plan;		/* top-level plan, -1 when absent */
	struct ktap_test *tests; /* top-level results */
	size_t nr_tests;
	char **errors;		/* what was wrong with the stream */
	size_t nr_errors;
	bool disordered;	/* results out of order, after the plan, a
				 * second plan or version line: not output a
				 * real harness makes (a truncated stream is
				 * not disordered) */
	char **trailing;	/* diagnostics after the last result: where a
				 * killed program stopped */
	size_t nr_trailing;
};

/*
 * Parses len bytes of text (NUL bytes included) into *doc, which the
 * caller frees with ktap_doc_free(). Directives are matched without regard
 * to case; TODO counts as XFAIL, and kselftest's XPASS as a failure (the
 * harness exits non-zero for it). Control characters in stored text are
 * replaced by '?', and stored text is cut at KTAP_MAX_TEXT bytes.
 * Returns 0, or -1 on allocation failure (doc is then empty, and says
 * nothing about the text). Malformed input is not a failure: it parses,
 * with what was wrong in doc->errors (and doc->disordered).
 */
int ktap_parse(const char *text, size_t len, struct ktap_doc *doc);
void ktap_doc_free(struct ktap_doc *doc);
/* Adds the leaf results of doc (tests without subtests) to *c. */
void ktap_count(const struct ktap_doc *doc, struct ktap_counts *c);
const char *ktap_status_name(enum ktap_status s);
/* Whether text after a result's '#' would be read as a directive
 * ("SKIP ...", "todo", "XPASS ..."). */
bool ktap_starts_with_directive(const char *text);

#endif /* DAXTEST_KTAP_H */
