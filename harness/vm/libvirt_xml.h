/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The libvirt domain XML of a daxtest guest, built from the same
 * description as the QEMU command line (qemu_cmd.h) and nothing else (no
 * I/O), so it can be checked in unit tests.
 */
#ifndef DAXTEST_LIBVIRT_XML_H
#define DAXTEST_LIBVIRT_XML_H

#include "vm/qemu_cmd.h"

/* libvirt rounds a memory device up to 2 MiB, and QEMU then wants the
 * backing file to be exactly that size. */
#define LIBVIRT_MEMORY_ALIGN (2ULL << 20)

struct libvirt_guest {
	const struct qemu_config *qemu;	/* the pipes and QMP socket are not used */
	const char *name;		/* the domain's name */
	unsigned int uid, gid;		/* QEMU runs as this user and group */
};

/* A memory device's size as libvirt will use it. */
unsigned long long libvirt_memory_size(unsigned long long bytes);

/* An NVDIMM's label area under libvirt: what the rounding adds goes to
 * the label, so the capacity (size - label) stays what it is under QEMU
 * (a multiple of 16 MiB, which ndctl needs). */
unsigned long long libvirt_label_size(unsigned long long size, unsigned long long label);

/* The transient domain's XML, malloc'd; NULL for an invalid description
 * (or no memory). Every string is XML-escaped; one with a control byte
 * is refused. */
char *libvirt_xml_build(const struct libvirt_guest *g);

#endif /* DAXTEST_LIBVIRT_XML_H */
