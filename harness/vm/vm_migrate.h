/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Saving a guest's device state to a file and restoring a guest from it,
 * over QMP (vm/qmp.h), for snapshots (vm/snapshot.h).
 *
 * Guest RAM is a file-backed memory backend: shared (share=on) while the
 * snapshot is taken, private (share=off, the file copy-on-write) in the
 * guests restored from it; the NVDIMMs are shared on both sides. With
 * the migration capability x-ignore-shared set on both sides (QEMU 7.2
 * takes it over QMP only, not with -global), QEMU leaves the shared RAM
 * blocks out of the stream, which then holds device state only (about
 * 256 KiB), and the private block of the restored guest keeps what the
 * file holds.
 *
 * Save:    migrate-set-capabilities, stop, migrate "exec:cat > 'FILE'",
 *          query-migrate until "completed" (or "failed": its error-desc),
 *          quit.
 * Restore: QEMU started with -incoming defer (and -S under the
 *          persistence plugin); migrate-set-capabilities,
 *          migrate-incoming "exec:cat < 'FILE'", query-migrate until the
 *          load ended, query-status "paused" (the source was stopped);
 *          the caller's own commands; cont.
 *
 * QEMU 7.2 has no "file:" URI: the file is written and read by
 * /bin/sh -c through "exec:", the path single-quoted. QEMU 7.2 exits
 * when it cannot load the stream ("load of migration failed" in its
 * log), and it waits forever, spinning, on a stream that ends before
 * its first byte (an empty or missing file): vm_restore_begin() refuses
 * those before it asks.
 *
 * Every wait is bounded by the caller's deadline (mono_ms()), looks at
 * the user's interrupt, and ends when qemu_pidfd (>= 0; -1: none) says
 * QEMU exited. Errors are one line in err.
 */
#ifndef DAXTEST_VM_MIGRATE_H
#define DAXTEST_VM_MIGRATE_H

#include <stdbool.h>
#include <stddef.h>

struct qmp;

/* How often the migration's state is asked for. */
#define VM_MIGRATE_POLL_MS	5

/*
 * Into buf (size bytes): the URI of migrate (save: "exec:cat > 'PATH'")
 * or of migrate-incoming (!save: "exec:cat < 'PATH'"), each ' of path
 * written '\''. 0; -EINVAL when path is empty, holds a control character
 * (a newline...) or is not UTF-8 (QMP carries JSON strings); or
 * -ENAMETOOLONG when it does not fit.
 */
int vm_migrate_uri(const char *path, bool save, char *buf, size_t size);

/*
 * The guest of the QEMU on qmp_socket, stopped and its device state
 * written to state_path (as is: the caller passes a temporary name and
 * renames it); then QEMU is told to quit and exits by itself (the
 * caller reaps it). 0, or -1 with err set ("saving to PATH failed:
 * <QEMU's error-desc>", "QEMU exited while saving to PATH", a QMP
 * error...); the guest then stays stopped if QEMU still runs, and
 * state_path may hold part of a stream.
 */
int vm_snapshot_save(const char *qmp_socket, const char *state_path, int qemu_pidfd,
		     long deadline_ms, char *err, size_t errlen);

/*
 * For the QEMU on qmp_socket, started with -incoming defer: loads
 * state_path and waits until the guest is there, paused. Returns the
 * open QMP connection (the caller may send its own commands, then calls
 * vm_restore_finish()), or NULL with err set: "incoming migration
 * failed: " and QEMU's reason when query-migrate gives one, or "QEMU
 * exited while loading PATH" (the reason is then in QEMU's log), or a
 * state file that cannot be one.
 */
struct qmp *vm_restore_begin(const char *qmp_socket, const char *state_path, int qemu_pidfd,
			     long deadline_ms, char *err, size_t errlen);
/* Resumes the restored guest (cont) and closes qmp, either way. 0, or
 * -1 with err set (err may be NULL with errlen 0). */
int vm_restore_finish(struct qmp *qmp, long deadline_ms, char *err, size_t errlen);

#endif /* DAXTEST_VM_MIGRATE_H */
