/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The peer suites' root (suite_root.c): the agent's binary run as
 * DAXTEST_SUITE_RUNNER.
 */
#ifndef DAXTEST_GUEST_SUITE_ROOT_H
#define DAXTEST_GUEST_SUITE_ROOT_H

/* "daxtest-suite -r <script>": does not return on success. */
int suite_root_main(int argc, char **argv);

#endif /* DAXTEST_GUEST_SUITE_ROOT_H */
