// SPDX-License-Identifier: GPL-2.0
/*
 * persist_plugin.c - the QEMU TCG plugin that feeds the persistence model
 *
 * Loaded with -plugin build/plugin/daxtest-persist.so,ARG,ARG... :
 *	region=BASE:SIZE:LIVE:SHADOW	an NVDIMM: its RAM-block offset and
 *					the bytes modelled (QEMU 7.2 reports
 *					ram_addr offsets, see pmem_model.h),
 *					its backing file and the shadow file
 *					to create (the strict crash image);
 *					repeatable
 *	regions=PATH			more of them, one "BASE SIZE LIVE
 *					SHADOW" a line (persist_regions.h),
 *					read at the first translation
 *	meta=PATH			the journal (proto/persist_meta.h)
 *	stats=PATH			counts written when QEMU exits
 *	arm=marker			model nothing until the guest runs the
 *					arming NOP (PERSIST_ARM_BYTES)
 * At least one region= or a regions=.
 *
 * regions= is for a harness that learns the RAM-block offsets from QEMU
 * itself: it starts QEMU paused (-S), asks, writes PATH, then lets the
 * guest run. No vCPU runs before that, so the plugin reads PATH at the
 * first translation, once, and sets up every region then (those of
 * region= too). When PATH cannot be read or is malformed, the plugin
 * says so and models nothing: the journal's nr_regions stays 0.
 * Without regions=, the regions are set up when the plugin loads and a
 * bad one stops QEMU.
 *
 * With arm=marker the plugin instruments nothing but the arming NOP
 * until a vCPU runs it (the guest agent does, once the guest is ready
 * for its tests): a boot under the plugin then costs what it costs
 * without it. The NOP resets the plugin (qemu_plugin_reset(): the
 * translated code is flushed while every vCPU is stopped); only then
 * are the regions set up -- the shadows copied from what the boot left
 * in the backing files, which so counts as persistent -- and the full
 * instrumentation registered.
 *
 * Each shadow starts as a copy of the first SIZE bytes of its backing
 * file that keeps the file's holes (shadow_file.h) and is then a shared
 * mapping, updated at every persist point, so it holds the strict crash
 * image even when QEMU is SIGKILLed (a power cut). The journal is a
 * shared mapping too: its counters follow every event, and every line a
 * store, NT store, placed flush, fence or wbinvd changes gets its record
 * (last store's PC, last placed flush's PC, PERSIST_LINE_* state).
 * Counters: stores and nt_stores are the guest's stores (plain, or
 * non-temporal) that touch a region; flushes counts every flush
 * instruction, fences every fence and wbinvd.
 *
 * Placement: flushes make no memory access under TCG, so the plugin
 * learns the flushed line only from the marker load an instrumented
 * kernel puts right after the flush (x86_persist.h,
 * X86_OP_FLUSH_MARKER). A flush is placed when the next access of its
 * vCPU is that marker's load, at the flush's next_pc; the line of that
 * load is the flushed line. Any other instrumented event first (a store,
 * another flush, a fence, a marker elsewhere) means the flush was not
 * marked: it counts in clwb_unplaced (clwb) or other_unplaced
 * (clflush, clflushopt), and the model does not guess its line. Loads
 * other than markers are not instrumented: they cannot place a flush.
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "plugin/insn_table.h"
#include "plugin/persist_journal.h"
#include "plugin/persist_regions.h"
#include "plugin/pmem_model.h"
#include "plugin/qemu_plugin_api.h"
#include "plugin/shadow_file.h"
#include "plugin/x86_persist.h"

QEMU_PLUGIN_EXPORT int qemu_plugin_version = DAXTEST_QEMU_PLUGIN_VERSION;

#define MAX_VCPUS 64

/* A region's two mappings, kept until QEMU exits. */
struct region_map {
	void *live, *shadow;
	uint64_t size;
};

/*
 * The plugin's state. Global because QEMU's callbacks carry no context
 * of their own (only per-instruction userdata), and one plugin instance
 * is loaded per QEMU. Guarded by lock: vCPUs run in threads (MTTCG).
 * The insn_infos are in insns, which has its own lock.
 */
static struct {
	pthread_mutex_t lock;
	struct pmem_model model;
	unsigned int nr_vcpus;
	struct persist_journal journal;
	struct persist_regions regions;	/* region= and the regions file */
	struct region_map maps[PMEM_MAX_REGIONS];
	char *regions_path;		/* regions=, read at the first translation */
	bool loaded;			/* the regions are set up, or failed to be */
	bool arm_marker;		/* arm=marker: wait for the arming NOP */
	bool arming;			/* the NOP ran: the reset is under way */
	qemu_plugin_id_t id;
	bool exited;			/* QEMU is exiting: nothing more to model */
	const struct insn_info *flush[MAX_VCPUS];	/* waiting for its marker */
	uint64_t flushes, flushes_placed, clwb_unplaced, other_unplaced;
	uint64_t idle_fences;		/* fences with nothing pending: no lock */
	char *stats_path;
} st = { .lock = PTHREAD_MUTEX_INITIALIZER };

static struct insn_table insns;

static void say(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void say(const char *fmt, ...)
{
	char buf[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	qemu_plugin_outs(buf);
	fprintf(stderr, "daxtest-persist: %s\n", buf);
}

/* The journal's counters, as they are now (under the lock). */
static void sync_counters(void)
{
	struct persist_meta_header *h = st.journal.hdr;

	if (!h)
		return;
	h->stores = st.model.stores;
	h->nt_stores = st.model.nt_stores;
	h->flushes = st.flushes;
	h->flushes_placed = st.flushes_placed;
	h->clwb_unplaced = st.clwb_unplaced;
	h->other_unplaced = st.other_unplaced;
	h->fences = st.model.fences + __atomic_load_n(&st.idle_fences, __ATOMIC_RELAXED);
	h->persisted_lines = st.model.persisted_lines;
}

static void journal_line(const struct pmem_line *l, void *arg)
{
	persist_journal_line(arg, l);
}

/* The address the model knows an access by, or 0 for I/O and misses. */
static uint64_t model_addr(qemu_plugin_meminfo_t info, uint64_t vaddr, bool *ok)
{
	struct qemu_plugin_hwaddr *h = qemu_plugin_get_hwaddr(info, vaddr);

	*ok = h && !qemu_plugin_hwaddr_is_io(h);
	return *ok ? qemu_plugin_hwaddr_phys_addr(h) : 0;
}

/* The flush vCPU v waited a marker for came without one. */
static void unplaced(unsigned int v)
{
	if (st.flush[v]->op == X86_OP_CLWB)
		st.clwb_unplaced++;
	else
		st.other_unplaced++;
	st.flush[v] = NULL;
}

/* The access of in right after a flush: its marker, or not. */
static void place_flush(unsigned int vcpu, const struct insn_info *in, bool store, bool ok,
			uint64_t addr)
{
	unsigned int v = vcpu % MAX_VCPUS;
	const struct insn_info *f = st.flush[v];

	if (in->op != X86_OP_FLUSH_MARKER || in->pc != f->next_pc || store) {
		unplaced(v);
		return;
	}
	st.flushes_placed++;
	st.flush[v] = NULL;
	if (!ok)
		return;
	pmem_model_flush(&st.model, vcpu, addr, f->pc);
	persist_journal_flush(&st.journal, addr, f->pc);
}

/*
 * The fast paths below read, without the lock, what only the calling
 * vCPU's own thread changes: its flush waiting for a marker and its
 * list of pending lines (which only its own flushes and NT stores grow;
 * another vCPU's wbinvd can only empty it, so a stale non-zero count
 * just takes the slow path). The regions are fixed before the first
 * callback is registered (on_translate() registers none before).
 */
static bool vcpu_idle(unsigned int vcpu)
{
	unsigned int v = vcpu % MAX_VCPUS;

	return !__atomic_load_n(&st.flush[v], __ATOMIC_RELAXED) &&
	       (vcpu >= st.model.nr_vcpus ||
		!__atomic_load_n(&st.model.pending[vcpu].n, __ATOMIC_RELAXED));
}

static void on_mem(unsigned int vcpu, qemu_plugin_meminfo_t info, uint64_t vaddr, void *ud)
{
	const struct insn_info *in = ud;
	size_t size = (size_t)1 << qemu_plugin_mem_size_shift(info);
	bool store = qemu_plugin_mem_is_store(info), ok;
	uint64_t addr = model_addr(info, vaddr, &ok);

	/* Most accesses are neither to a region nor right after a flush. */
	if (!__atomic_load_n(&st.flush[vcpu % MAX_VCPUS], __ATOMIC_RELAXED) &&
	    (!ok || !pmem_model_covers(&st.model, addr)))
		return;
	pthread_mutex_lock(&st.lock);
	if (st.exited)
		goto out;
	if (st.flush[vcpu % MAX_VCPUS])
		place_flush(vcpu, in, store, ok, addr);
	if (ok && store) {
		if (in->op == X86_OP_NT_STORE)
			pmem_model_nt_store(&st.model, vcpu, addr, size, in->pc);
		else
			pmem_model_store(&st.model, vcpu, addr, size, in->pc);
	}
	sync_counters();
out:
	pthread_mutex_unlock(&st.lock);
}

static void on_exec(unsigned int vcpu, void *ud)
{
	const struct insn_info *in = ud;
	unsigned int v = vcpu % MAX_VCPUS;

	/* A fence with nothing to persist (most locked instructions). */
	if (x86_persist_is_fence(in->op) && vcpu_idle(vcpu)) {
		__atomic_fetch_add(&st.idle_fences, 1, __ATOMIC_RELAXED);
		return;
	}
	pthread_mutex_lock(&st.lock);
	if (st.exited)
		goto out;
	if (st.flush[v])
		unplaced(v);
	if (x86_persist_is_flush(in->op)) {
		st.flushes++;
		st.flush[v] = in;
	} else if (x86_persist_is_fence(in->op)) {
		pmem_model_fence(&st.model, vcpu);
	} else if (in->op == X86_OP_WBINVD) {
		pmem_model_wbinvd(&st.model);
	}
	sync_counters();
out:
	pthread_mutex_unlock(&st.lock);
}

/* Unmaps every region and empties the model: nothing is modelled. */
static void drop_regions(void)
{
	size_t i;

	for (i = 0; i < PMEM_MAX_REGIONS; i++) {
		struct region_map *m = &st.maps[i];

		if (m->live)
			munmap(m->live, m->size);
		if (m->shadow)
			munmap(m->shadow, m->size);
		*m = (struct region_map){ 0 };
	}
	pmem_model_free(&st.model);
	if (pmem_model_init(&st.model, st.nr_vcpus) < 0)
		say("out of memory");
	st.model.on_line = journal_line;
	st.model.on_line_arg = &st.journal;
}

/* Maps fd's first size bytes shared; NULL after saying why. */
static void *map(const char *path, int fd, uint64_t size, int prot)
{
	void *p = mmap(NULL, size, prot, MAP_SHARED, fd, 0);

	if (p != MAP_FAILED)
		return p;
	say("%s: mmap: %s", path, strerror(errno));
	return NULL;
}

/* The shadow of r, created, and both files mapped into m. 0, or -1
 * after saying why. */
static int map_region(const struct persist_region_spec *r, struct region_map *m)
{
	int lfd, sfd = -1, ret = -1;
	struct stat s;

	lfd = open(r->live, O_RDONLY | O_CLOEXEC);
	if (lfd < 0 || fstat(lfd, &s) < 0) {
		say("%s: %s", r->live, strerror(errno));
		goto out;
	}
	if ((uint64_t)s.st_size < r->size) {
		say("%s: %jd bytes, fewer than the region's %" PRIu64, r->live,
		    (intmax_t)s.st_size, r->size);
		goto out;
	}
	sfd = open(r->shadow, O_RDWR | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	if (sfd < 0 || shadow_file_copy(lfd, sfd, r->size) < 0) {
		say("%s: %s", r->shadow, strerror(errno));
		goto out;
	}
	m->size = r->size;
	m->live = map(r->live, lfd, r->size, PROT_READ);
	m->shadow = map(r->shadow, sfd, r->size, PROT_READ | PROT_WRITE);
	if (m->live && m->shadow)
		ret = 0;
out:
	if (sfd >= 0)
		close(sfd);
	if (lfd >= 0)
		close(lfd);
	return ret;
}

/* One region, in the model and the journal. 0, or -1 after saying why. */
static int add_region(size_t i)
{
	const struct persist_region_spec *r = &st.regions.r[i];
	struct region_map *m = &st.maps[i];

	if (map_region(r, m) < 0)
		return -1;
	if (pmem_model_add_region(&st.model, r->base, r->size, m->live, m->shadow) < 0) {
		say("region %#" PRIx64 "+%#" PRIx64 " (%s) overlaps another", r->base, r->size,
		    r->live);
		return -1;
	}
	if (persist_journal_add_region(&st.journal, r->base, r->size, r->live) < 0) {
		say("journal: %s", strerror(errno));
		return -1;
	}
	return 0;
}

/* Every region of st.regions; the journal's nr_regions last. 0, or -1
 * after saying why, with nothing modelled. */
static int add_regions(void)
{
	size_t i;

	for (i = 0; i < st.regions.n; i++) {
		if (add_region(i) < 0) {
			drop_regions();
			return -1;
		}
	}
	persist_journal_publish(&st.journal);
	return 0;
}

/* Under the lock, once: the regions file read and every region set up. */
static void load_regions(void)
{
	char err[512];

	st.loaded = true;
	if (persist_regions_read(&st.regions, st.regions_path, err, sizeof(err)) < 0) {
		say("regions file %s; modelling nothing", err);
		return;
	}
	if (add_regions() < 0)
		say("regions of %s not set up; modelling nothing", st.regions_path);
}

/* Whether there is something to model, once the regions are set up. */
static bool modelling(void)
{
	bool yes;

	pthread_mutex_lock(&st.lock);
	if (st.arm_marker && !st.loaded) {
		pthread_mutex_unlock(&st.lock);
		return false;
	}
	if (!st.loaded)
		load_regions();
	yes = st.model.nr_regions && !st.exited;
	pthread_mutex_unlock(&st.lock);
	return yes;
}

static void on_translate(qemu_plugin_id_t id, struct qemu_plugin_tb *tb)
{
	size_t n = qemu_plugin_tb_n_insns(tb), i;

	if (!modelling())
		return;
	for (i = 0; i < n; i++) {
		struct qemu_plugin_insn *insn = qemu_plugin_tb_get_insn(tb, i);
		size_t len = qemu_plugin_insn_size(insn);
		uint64_t pc = qemu_plugin_insn_vaddr(insn);
		enum x86_persist_op op = x86_persist_classify(qemu_plugin_insn_data(insn), len);
		struct insn_info *in = insn_table_intern(&insns, pc, pc + len, op);

		if (!in)
			continue;	/* the model misses it: reported as unplaced */
		if (x86_persist_is_flush(op) || x86_persist_is_fence(op) || op == X86_OP_WBINVD)
			qemu_plugin_register_vcpu_insn_exec_cb(insn, on_exec,
							       QEMU_PLUGIN_CB_NO_REGS, in);
		/* Flushes make no access; a locked op's store counts too;
		 * of the loads, only a marker's matters. */
		if (!x86_persist_is_flush(op))
			qemu_plugin_register_vcpu_mem_cb(insn, on_mem, QEMU_PLUGIN_CB_NO_REGS,
							 op == X86_OP_FLUSH_MARKER ?
							 QEMU_PLUGIN_MEM_RW : QEMU_PLUGIN_MEM_W,
							 in);
	}
}

static void on_exit_qemu(qemu_plugin_id_t id, void *arg);

/* After the reset the arming NOP asked for, every vCPU stopped: the
 * regions now, then the full instrumentation. */
static void armed(qemu_plugin_id_t id)
{
	pthread_mutex_lock(&st.lock);
	if (!st.loaded)
		load_regions();
	pthread_mutex_unlock(&st.lock);
	qemu_plugin_register_vcpu_tb_trans_cb(id, on_translate);
	qemu_plugin_register_atexit_cb(id, on_exit_qemu, NULL);
}

static void on_arm(unsigned int vcpu, void *ud)
{
	bool now;

	pthread_mutex_lock(&st.lock);
	now = !st.arming && !st.exited;
	st.arming = true;
	pthread_mutex_unlock(&st.lock);
	if (now)
		qemu_plugin_reset(st.id, armed);
}

/* Before the arming NOP ran: only it is instrumented. */
static void on_translate_unarmed(qemu_plugin_id_t id, struct qemu_plugin_tb *tb)
{
	static const uint8_t arm[] = PERSIST_ARM_BYTES;
	size_t n = qemu_plugin_tb_n_insns(tb), i;

	for (i = 0; i < n; i++) {
		struct qemu_plugin_insn *insn = qemu_plugin_tb_get_insn(tb, i);

		if (qemu_plugin_insn_size(insn) == sizeof(arm) &&
		    !memcmp(qemu_plugin_insn_data(insn), arm, sizeof(arm)))
			qemu_plugin_register_vcpu_insn_exec_cb(insn, on_arm,
							       QEMU_PLUGIN_CB_NO_REGS, NULL);
	}
}

static void write_stats(void)
{
	FILE *f;

	if (!st.stats_path || !(f = fopen(st.stats_path, "we")))
		return;
	fprintf(f, "stores=%" PRIu64 "\nnt_stores=%" PRIu64 "\nflushes=%" PRIu64
		"\nflushes_placed=%" PRIu64 "\nclwb_unplaced=%" PRIu64
		"\nother_unplaced=%" PRIu64 "\nfences=%" PRIu64 "\npersisted_lines=%" PRIu64
		"\nunpersisted_lines=%zu\n", st.model.stores, st.model.nt_stores, st.flushes,
		st.flushes_placed, st.clwb_unplaced, st.other_unplaced, st.model.fences + st.idle_fences,
		st.model.persisted_lines, pmem_model_nr_unpersisted(&st.model));
	fclose(f);
}

/*
 * A callback that still comes (a vCPU thread while QEMU exits) finds
 * exited set under the lock and touches nothing. The model and the
 * insn_infos stay allocated: the lock-free fast paths read them before
 * they take the lock, and the process is ending anyway.
 */
static void on_exit_qemu(qemu_plugin_id_t id, void *arg)
{
	pthread_mutex_lock(&st.lock);
	write_stats();
	sync_counters();
	st.exited = true;
	persist_journal_close(&st.journal);
	pthread_mutex_unlock(&st.lock);
}

/* One argument. 0, or -1 after saying why. */
static int parse_arg(const char *arg, const char **meta)
{
	char err[512];

	if (!strncmp(arg, "region=", 7)) {
		if (persist_regions_add_spec(&st.regions, arg + 7, err, sizeof(err)) < 0) {
			say("bad region: %s", err);
			return -1;
		}
	} else if (!strncmp(arg, "regions=", 8)) {
		st.regions_path = strdup(arg + 8);
	} else if (!strncmp(arg, "meta=", 5)) {
		*meta = arg + 5;
	} else if (!strncmp(arg, "stats=", 6)) {
		st.stats_path = strdup(arg + 6);
	} else if (!strcmp(arg, "arm=marker")) {
		st.arm_marker = true;
	} else {
		say("unknown argument '%s' (region=BASE:SIZE:LIVE:SHADOW, regions=PATH, "
		    "meta=PATH, stats=PATH, arm=marker)", arg);
		return -1;
	}
	return 0;
}

QEMU_PLUGIN_EXPORT int qemu_plugin_install(qemu_plugin_id_t id, const qemu_info_t *info,
					   int argc, char **argv)
{
	const char *meta = NULL;
	int i;

	if (!info->system_emulation || strcmp(info->target_name, "x86_64")) {
		say("only for qemu-system-x86_64 (this is %s)", info->target_name);
		return -1;
	}
	persist_journal_init(&st.journal);
	insn_table_init(&insns);
	for (i = 0; i < argc; i++)
		if (parse_arg(argv[i], &meta) < 0)
			return -1;
	if (!st.regions.n && !st.regions_path) {
		say("no region= or regions= given: nothing to model");
		return -1;
	}
	if (meta && persist_journal_open(&st.journal, meta) < 0) {
		say("journal %s: %s", meta, strerror(errno));
		return -1;
	}
	/* A vCPU's own slot of st.flush: the fast paths rely on it. */
	if (info->system.max_vcpus > MAX_VCPUS) {
		say("at most %d vCPUs (this guest may have %d)", MAX_VCPUS,
		    info->system.max_vcpus);
		return -1;
	}
	st.nr_vcpus = (unsigned int)info->system.max_vcpus;
	if (pmem_model_init(&st.model, st.nr_vcpus) < 0)
		return -1;
	st.model.on_line = journal_line;
	st.model.on_line_arg = &st.journal;
	st.id = id;
	if (st.arm_marker) {
		qemu_plugin_register_vcpu_tb_trans_cb(id, on_translate_unarmed);
		qemu_plugin_register_atexit_cb(id, on_exit_qemu, NULL);
		return 0;
	}
	if (!st.regions_path) {
		st.loaded = true;
		if (add_regions() < 0)
			return -1;
	}
	qemu_plugin_register_vcpu_tb_trans_cb(id, on_translate);
	qemu_plugin_register_atexit_cb(id, on_exit_qemu, NULL);
	return 0;
}
