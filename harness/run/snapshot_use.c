// SPDX-License-Identifier: GPL-2.0
/*
 * snapshot_use.c - restore the run's guests from a snapshot, or say why not
 */
#include <fcntl.h>
#include <stdlib.h>
#include <sys/stat.h>

#include "lib/clock.h"
#include "lib/fsutil.h"
#include "lib/log.h"
#include "vm/guest.h"
#include "run/snapshot_use.h"

/* Why the guests of s cannot be restored, or NULL. */
static const char *why_boot(const struct run_state *s)
{
	if (s->req->backend != BACKEND_QEMU)
		return "not with --backend libvirt, which starts QEMU itself";
	if (s->guest.accel != ACCEL_TCG)
		return "not under KVM, where a boot is fast; restores are made and checked under TCG";
	if (s->prep.suite_env)
		return "not with --suite: QEMU cannot save a guest that mounts the host's tree over virtio-9p";
	return NULL;
}

int snapshot_use_choose(struct run_state *s)
{
	char *console = path_join(s->out.path, "snapshot-console.log");
	const struct snapshot_guest g = {
		.shape = &s->guest, .kernel = s->prep.kernel.bzimage,
		.initrd = s->prep.image.path, .cache_dir = s->req->cache_dir,
		.console_log = console,
		.boot_timeout_s = s->req->boot_timeout_s, .interrupted = s->interrupted,
	};
	const char *why;
	char err[1024];
	double t0;
	int ret = 0;

	s->snapshot_on = false;
	if (s->req->no_snapshot)
		goto out;
	s->snapshot_stale = getenv("DAXTEST_SELFTEST_STALE_RESTORE") != NULL;
	if (s->snapshot_stale)
		log_info("self-test: restored verify phases keep the snapshot's view of the NVDIMMs");
	why = why_boot(s);
	if (why) {
		log_info("snapshots: %s; every guest boots", why);
		goto out;
	}
	if (!console || snapshot_init(&s->snapshot, &g) < 0) {
		ret = -1;
		goto out;
	}
	if (snapshot_hold(&s->snapshot) == 0) {
		/* The newest used are the last pruned. */
		utimensat(AT_FDCWD, s->snapshot.dir, NULL, 0);
		log_info("snapshot %s: cached, the guests are restored from it",
			 s->snapshot.key);
		s->snapshot_on = true;
		goto out;
	}
	log_info("snapshot %s: booting a guest to save it (console: %s)", s->snapshot.key,
		 console);
	t0 = mono_s();
	ret = snapshot_make(&s->snapshot, &g, err, sizeof(err));
	if (ret > 0 || (!ret && snapshot_hold(&s->snapshot) < 0)) {
		log_info("snapshot %s cannot be made: %s; every guest boots", s->snapshot.key,
			 ret > 0 ? err : "removed by another run as soon as made");
		ret = 0;
		goto out;
	}
	if (!ret) {
		log_info("snapshot %s: saved in %.1f s, the guests are restored from it",
			 s->snapshot.key, mono_s() - t0);
		s->snapshot_on = true;
	}
out:
	free(console);
	return ret;
}
