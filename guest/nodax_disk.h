/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The virtio disk the host adds as a block device without DAX (its serial
 * is DAXTEST_NODAX_SERIAL, proto.h).
 */
#ifndef DAXTEST_GUEST_NODAX_DISK_H
#define DAXTEST_GUEST_NODAX_DISK_H

#include <stddef.h>

/* Fills dev with "/dev/vdX" and returns 1, or returns 0 when the guest has
 * no such disk. */
int nodax_disk_find(char *dev, size_t len);

#endif /* DAXTEST_GUEST_NODAX_DISK_H */
