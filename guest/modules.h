/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Kernel modules: the nvdimm drivers, and those the kernel command line
 * names in daxtest.modules=a,b,c. There is no udev; the agent runs
 * /sbin/modprobe for each.
 */
#ifndef DAXTEST_GUEST_MODULES_H
#define DAXTEST_GUEST_MODULES_H

#include <stddef.h>

#include "port.h"

#define MODULES_PARAM	"daxtest.modules="

/* Collects the module names of every daxtest.modules= in cmdline into
 * names (comma-separated), at most max of them. Returns how many, or -1
 * for a name that is not [A-Za-z0-9_-] or too many names (err says). */
int modules_from_cmdline(const char *cmdline, char names[][64], size_t max,
			 char *err, size_t errlen);

/* Loads nfit, nd_pmem, dax_pmem and the modules of daxtest.modules=, and
 * logs what it loaded on the port. 0, or -1 with the reason in err. */
int modules_load(struct port *p, char *const envp[], char *err, size_t errlen);

/* Loads one module. 0, or -1 with the reason in err. */
int modules_probe(const char *name, char *const envp[], char *err, size_t errlen);

#endif /* DAXTEST_GUEST_MODULES_H */
