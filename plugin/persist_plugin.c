// SPDX-License-Identifier: GPL-2.0
/*
 * persist_plugin.c - the QEMU TCG plugin that feeds the persistence model
 *
 * Loaded with -plugin build/plugin/daxtest-persist.so,region=...,... :
 *	region=BASE:SIZE:LIVE:SHADOW	an NVDIMM: its RAM-block offset and
 *					size (QEMU 7.2 reports ram_addr
 *					offsets, see pmem_model.h), its
 *					backing file and the shadow file to
 *					create (the strict crash image)
 *	stats=PATH			counts written when QEMU exits
 *
 * The shadow is a shared mapping of a file, updated at every persist
 * point, so it holds the strict crash image even when QEMU is SIGKILLed
 * (a power cut). Flushes make no memory access under TCG: the flushed
 * line is the address of the first load right after the flush
 * instruction, which an instrumented kernel places there
 * (x86_persist.h, X86_OP_FLUSH_MARKER).
 */
#include <errno.h>
#include <stdarg.h>
#include <fcntl.h>
#include <inttypes.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "plugin/pmem_model.h"
#include "plugin/qemu_plugin_api.h"
#include "plugin/x86_persist.h"

QEMU_PLUGIN_EXPORT int qemu_plugin_version = DAXTEST_QEMU_PLUGIN_VERSION;

#define MAX_VCPUS 64

/* What an instrumented instruction is, for its callbacks. */
struct insn_info {
	uint64_t pc, next_pc;
	enum x86_persist_op op;
};

/*
 * The plugin's state. Global because QEMU's callbacks carry no context
 * of their own (only per-instruction userdata), and one plugin instance
 * is loaded per QEMU. Guarded by lock: vCPUs run in threads (MTTCG).
 */
static struct {
	pthread_mutex_t lock;
	struct pmem_model model;
	uint64_t expect_pc[MAX_VCPUS];	/* the instruction after a flush; 0: none */
	uint64_t flushes_seen, flushes_placed, flushes_unplaced;
	char *stats_path;
} st = { .lock = PTHREAD_MUTEX_INITIALIZER };

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

/* The address the model knows an access by, or 0 for I/O and misses. */
static uint64_t model_addr(qemu_plugin_meminfo_t info, uint64_t vaddr, bool *ok)
{
	struct qemu_plugin_hwaddr *h = qemu_plugin_get_hwaddr(info, vaddr);

	*ok = h && !qemu_plugin_hwaddr_is_io(h);
	return *ok ? qemu_plugin_hwaddr_phys_addr(h) : 0;
}

static void on_mem(unsigned int vcpu, qemu_plugin_meminfo_t info, uint64_t vaddr, void *ud)
{
	const struct insn_info *in = ud;
	size_t size = (size_t)1 << qemu_plugin_mem_size_shift(info);
	unsigned int v = vcpu % MAX_VCPUS;
	bool ok;
	uint64_t addr = model_addr(info, vaddr, &ok);

	pthread_mutex_lock(&st.lock);
	if (st.expect_pc[v]) {
		if (in->pc == st.expect_pc[v] && !qemu_plugin_mem_is_store(info)) {
			if (ok)
				pmem_model_flush(&st.model, vcpu, addr, in->pc);
			st.flushes_placed++;
		} else {
			st.flushes_unplaced++;
		}
		st.expect_pc[v] = 0;
	}
	if (ok && qemu_plugin_mem_is_store(info)) {
		if (in->op == X86_OP_NT_STORE)
			pmem_model_nt_store(&st.model, vcpu, addr, size, in->pc);
		else
			pmem_model_store(&st.model, vcpu, addr, size, in->pc);
	}
	pthread_mutex_unlock(&st.lock);
}

static void on_exec(unsigned int vcpu, void *ud)
{
	const struct insn_info *in = ud;

	pthread_mutex_lock(&st.lock);
	if (x86_persist_is_flush(in->op)) {
		st.flushes_seen++;
		if (st.expect_pc[vcpu % MAX_VCPUS])
			st.flushes_unplaced++;
		st.expect_pc[vcpu % MAX_VCPUS] = in->next_pc;
	} else if (x86_persist_is_fence(in->op)) {
		pmem_model_fence(&st.model, vcpu);
	} else if (in->op == X86_OP_WBINVD) {
		pmem_model_wbinvd(&st.model);
	}
	pthread_mutex_unlock(&st.lock);
}

static void on_translate(qemu_plugin_id_t id, struct qemu_plugin_tb *tb)
{
	size_t n = qemu_plugin_tb_n_insns(tb), i;

	for (i = 0; i < n; i++) {
		struct qemu_plugin_insn *insn = qemu_plugin_tb_get_insn(tb, i);
		size_t len = qemu_plugin_insn_size(insn);
		struct insn_info *in = malloc(sizeof(*in));

		if (!in)
			continue;	/* the model misses it: reported as unplaced */
		in->pc = qemu_plugin_insn_vaddr(insn);
		in->next_pc = in->pc + len;
		in->op = x86_persist_classify(qemu_plugin_insn_data(insn), len);
		if (x86_persist_is_flush(in->op) || x86_persist_is_fence(in->op) ||
		    in->op == X86_OP_WBINVD)
			qemu_plugin_register_vcpu_insn_exec_cb(insn, on_exec, QEMU_PLUGIN_CB_NO_REGS,
							       in);
		/* Flushes make no access; a locked op's store counts too. */
		if (!x86_persist_is_flush(in->op))
			qemu_plugin_register_vcpu_mem_cb(insn, on_mem, QEMU_PLUGIN_CB_NO_REGS,
							 QEMU_PLUGIN_MEM_RW, in);
	}
}

static void write_stats(qemu_plugin_id_t id, void *arg)
{
	FILE *f;

	if (!st.stats_path || !(f = fopen(st.stats_path, "w")))
		return;
	pthread_mutex_lock(&st.lock);
	fprintf(f, "stores=%" PRIu64 "\nflushes=%" PRIu64 "\nflushes_placed=%" PRIu64
		"\nflushes_unplaced=%" PRIu64 "\nfences=%" PRIu64 "\npersisted_lines=%" PRIu64
		"\nunpersisted_lines=%zu\n", st.model.stores, st.flushes_seen, st.flushes_placed,
		st.flushes_unplaced, st.model.fences, st.model.persisted_lines,
		pmem_model_nr_unpersisted(&st.model));
	pthread_mutex_unlock(&st.lock);
	fclose(f);
}

/* BASE:SIZE:LIVE:SHADOW. 0, or -1 after saying why. */
static int add_region(const char *spec)
{
	char *copy = strdup(spec), *live, *shadow, *end;
	uint64_t base, size;
	int lfd = -1, sfd = -1, ret = -1;
	void *lmap = MAP_FAILED, *smap = MAP_FAILED;

	if (!copy)
		return -1;
	base = strtoull(copy, &end, 0);
	if (*end != ':')
		goto bad;
	size = strtoull(end + 1, &end, 0);
	if (*end != ':')
		goto bad;
	live = end + 1;
	shadow = strchr(live, ':');
	if (!shadow)
		goto bad;
	*shadow++ = '\0';
	lfd = open(live, O_RDONLY | O_CLOEXEC);
	sfd = open(shadow, O_RDWR | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	if (lfd < 0 || sfd < 0 || ftruncate(sfd, (off_t)size) < 0) {
		say("region %s: %s", spec, strerror(errno));
		goto out;
	}
	lmap = mmap(NULL, size, PROT_READ, MAP_SHARED, lfd, 0);
	smap = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_SHARED, sfd, 0);
	if (lmap == MAP_FAILED || smap == MAP_FAILED) {
		say("region %s: mmap: %s", spec, strerror(errno));
		goto out;
	}
	if (pmem_model_add_region(&st.model, base, size, lmap, smap) < 0)
		goto bad;
	lmap = smap = MAP_FAILED;	/* live until QEMU exits */
	ret = 0;
	goto out;
bad:
	say("bad region '%s' (want BASE:SIZE:LIVE:SHADOW, line-aligned, not overlapping)", spec);
out:
	if (lmap != MAP_FAILED)
		munmap(lmap, size);
	if (smap != MAP_FAILED)
		munmap(smap, size);
	if (lfd >= 0)
		close(lfd);
	if (sfd >= 0)
		close(sfd);
	free(copy);
	return ret;
}

QEMU_PLUGIN_EXPORT int qemu_plugin_install(qemu_plugin_id_t id, const qemu_info_t *info,
					   int argc, char **argv)
{
	int i;

	if (!info->system_emulation || strcmp(info->target_name, "x86_64")) {
		say("only for qemu-system-x86_64 (this is %s)", info->target_name);
		return -1;
	}
	if (pmem_model_init(&st.model, (unsigned int)info->system.max_vcpus) < 0)
		return -1;
	for (i = 0; i < argc; i++) {
		if (!strncmp(argv[i], "region=", 7)) {
			if (add_region(argv[i] + 7) < 0)
				return -1;
		} else if (!strncmp(argv[i], "stats=", 6)) {
			st.stats_path = strdup(argv[i] + 6);
		} else {
			say("unknown argument '%s' (region=BASE:SIZE:LIVE:SHADOW, stats=PATH)",
			    argv[i]);
			return -1;
		}
	}
	if (!st.model.nr_regions) {
		say("no region= given: nothing to model");
		return -1;
	}
	qemu_plugin_register_vcpu_tb_trans_cb(id, on_translate);
	qemu_plugin_register_atexit_cb(id, write_stats, NULL);
	return 0;
}
