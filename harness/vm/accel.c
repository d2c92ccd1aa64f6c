// SPDX-License-Identifier: GPL-2.0
/*
 * accel.c - use KVM only where a probe guest really runs
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "vm/accel.h"
#include "lib/fsutil.h"
#include "lib/spawn.h"

#define PROBE_ROM_SIZE	65536
#define PROBE_PORT	0xf4
#define PROBE_VALUE	0x21
/* isa-debug-exit makes QEMU exit with (value << 1) | 1. */
#define PROBE_EXIT	((PROBE_VALUE << 1) | 1)

int accel_parse(const char *s, enum accel *a)
{
	if (!strcmp(s, "auto"))
		*a = ACCEL_AUTO;
	else if (!strcmp(s, "kvm"))
		*a = ACCEL_KVM;
	else if (!strcmp(s, "tcg"))
		*a = ACCEL_TCG;
	else
		return -1;
	return 0;
}

const char *accel_name(enum accel a)
{
	return a == ACCEL_KVM ? "kvm" : a == ACCEL_TCG ? "tcg" : "auto";
}

/* A firmware image whose reset vector (the last 16 bytes, entered in
 * real mode) does "mov al, PROBE_VALUE; out PROBE_PORT, al; hlt". */
static int write_probe_rom(const char *path)
{
	static const unsigned char code[] = {
		0xb0, PROBE_VALUE, 0xe6, PROBE_PORT, 0xf4, 0xeb, 0xfd,
	};
	unsigned char *rom;
	int ret;

	rom = calloc(1, PROBE_ROM_SIZE);
	if (!rom)
		return -1;
	memcpy(rom + PROBE_ROM_SIZE - 16, code, sizeof(code));
	ret = write_file_atomic(path, (char *)rom, PROBE_ROM_SIZE, 0600);
	free(rom);
	return ret;
}

enum accel accel_probe(const char *qemu, const char *work_dir, const char **why)
{
	char *rom = path_join(work_dir, "kvm-probe.rom"), *out = NULL;
	enum accel result = ACCEL_TCG;
	int fd, ret;

	fd = open("/dev/kvm", O_RDWR | O_CLOEXEC);
	if (fd < 0) {
		*why = "/dev/kvm cannot be opened";
		goto out;
	}
	close(fd);
	if (!rom || write_probe_rom(rom) < 0) {
		*why = "cannot write the KVM probe firmware";
		goto out;
	}
	{
		const char *argv[] = {
			qemu, "-machine", "pc,accel=kvm", "-cpu", "host", "-nodefaults",
			"-display", "none", "-no-reboot", "-bios", rom,
			"-device", "isa-debug-exit,iobase=0xf4,iosize=0x04", NULL,
		};
		size_t len;
		struct proc_spec spec = {
			.argv = argv, .capture = &out, .capture_len = &len, .timeout_s = 3,
		};

		ret = proc_run(&spec);
	}
	if (ret == PROBE_EXIT) {
		result = ACCEL_KVM;
		*why = NULL;
	} else if (ret == PROC_INTERRUPTED) {
		/* Not an answer: never cached (accel_probe_cached). */
		*why = "the KVM probe was interrupted";
	} else if (ret >= 128) {
		*why = "a KVM probe guest hung";
	} else {
		*why = "a KVM probe guest failed to start";
	}
out:
	if (rom)
		unlink(rom);
	free(rom);
	free(out);
	return result;
}

/* Why-strings the probe returns, so a cached answer can point at one. */
static const char *const reasons[] = {
	"/dev/kvm cannot be opened",
	"cannot write the KVM probe firmware",
	"a KVM probe guest hung",
	"a KVM probe guest failed to start",
};

static char *boot_id(void)
{
	char *id = NULL;

	if (read_file("/proc/sys/kernel/random/boot_id", &id, NULL) < 0)
		return NULL;
	return str_rstrip(id);
}

enum accel accel_probe_cached(const char *qemu, const char *work_dir,
			      const char *cache_dir, const char **why)
{
	char *path = path_join(cache_dir, "accel-probe"), *id = boot_id(), *text = NULL;
	char *line = NULL;
	enum accel a;
	size_t i;
	int fd;

	/* Not cached: the user may be added to the kvm group, or the
	 * device's mode changed, since the last probe. */
	fd = open("/dev/kvm", O_RDWR | O_CLOEXEC);
	if (fd < 0) {
		*why = reasons[0];
		a = ACCEL_TCG;
		goto out;
	}
	close(fd);
	if (path && id && read_file(path, &text, NULL) == 0) {
		char cached_id[64], answer[8];
		int reason = -1;

		/* An older daxtest cached "/dev/kvm cannot be opened" too. */
		if (sscanf(text, "%63s %7s %d", cached_id, answer, &reason) >= 2 &&
		    !strcmp(cached_id, id) && reason != 0) {
			a = !strcmp(answer, "kvm") ? ACCEL_KVM : ACCEL_TCG;
			*why = reason >= 0 && reason < 4 ? reasons[reason] : "probe failed";
			if (a == ACCEL_KVM)
				*why = NULL;
			goto out;
		}
	}
	a = accel_probe(qemu, work_dir, why);
	if (path && id) {
		int reason = -1;

		for (i = 0; *why && i < 4; i++)
			if (!strcmp(*why, reasons[i]))
				reason = (int)i;
		/* Only the known answers are kept: an interrupted probe
		 * says nothing about the host. */
		line = reason >= 0 || a == ACCEL_KVM ?
		       str_printf("%s %s %d\n", id, accel_name(a), reason) : NULL;
		if (line)
			write_file_atomic(path, line, strlen(line), 0600);
	}
out:
	free(path);
	free(id);
	free(text);
	free(line);
	return a;
}
