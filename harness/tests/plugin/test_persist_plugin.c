// SPDX-License-Identifier: GPL-2.0
/*
 * test_persist_plugin.c - the persistence plugin as QEMU drives it, with
 * a fake of QEMU's plugin API: regions read from the regions file at the
 * first translation, a flush placed by its marker load and by nothing
 * else, the journal as current as the last event, insn_infos reused
 * across translations, and a bad regions file modelling nothing.
 *
 * The plugin is one global instance per process, as in QEMU: the tests
 * are the steps of one QEMU run, in order; the bad regions file runs in
 * a child process of its own.
 */
#include <fcntl.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmocka.h>

#include "plugin/qemu_plugin_api.h"
#include "proto/persist_meta.h"

/* ---- the fake QEMU ---- */

#define MAX_INSNS	8
#define STORE_BIT	0x10	/* meminfo: bits 0-3 the size shift */

struct qemu_plugin_insn {
	uint8_t data[16];
	size_t len;
	uint64_t vaddr;
	qemu_plugin_vcpu_udata_cb_t exec;
	void *exec_ud;
	qemu_plugin_vcpu_mem_cb_t mem;
	enum qemu_plugin_mem_rw rw;
	void *mem_ud;
};

struct qemu_plugin_tb {
	struct qemu_plugin_insn insn[MAX_INSNS];
	size_t n;
};

struct qemu_plugin_hwaddr {
	uint64_t addr;
};

static struct {
	qemu_plugin_vcpu_tb_trans_cb_t translate;
	qemu_plugin_udata_cb_t atexit;
	unsigned int resets;
	struct qemu_plugin_hwaddr hw;
	char said[1024];
} qemu;

void qemu_plugin_register_vcpu_tb_trans_cb(qemu_plugin_id_t id,
					   qemu_plugin_vcpu_tb_trans_cb_t cb)
{
	qemu.translate = cb;
}

void qemu_plugin_register_vcpu_insn_exec_cb(struct qemu_plugin_insn *insn,
					    qemu_plugin_vcpu_udata_cb_t cb,
					    enum qemu_plugin_cb_flags flags, void *userdata)
{
	insn->exec = cb;
	insn->exec_ud = userdata;
}

void qemu_plugin_register_vcpu_mem_cb(struct qemu_plugin_insn *insn,
				      qemu_plugin_vcpu_mem_cb_t cb,
				      enum qemu_plugin_cb_flags flags,
				      enum qemu_plugin_mem_rw rw, void *userdata)
{
	insn->mem = cb;
	insn->rw = rw;
	insn->mem_ud = userdata;
}

void qemu_plugin_register_atexit_cb(qemu_plugin_id_t id, qemu_plugin_udata_cb_t cb,
				    void *userdata)
{
	qemu.atexit = cb;
}

/* As QEMU: every callback dropped (and the code cache flushed), then cb. */
void qemu_plugin_reset(qemu_plugin_id_t id, qemu_plugin_simple_cb_t cb)
{
	qemu.translate = NULL;
	qemu.atexit = NULL;
	qemu.resets++;
	cb(id);
}

size_t qemu_plugin_tb_n_insns(const struct qemu_plugin_tb *tb)
{
	return tb->n;
}

struct qemu_plugin_insn *qemu_plugin_tb_get_insn(const struct qemu_plugin_tb *tb, size_t idx)
{
	return (struct qemu_plugin_insn *)&tb->insn[idx];
}

const void *qemu_plugin_insn_data(const struct qemu_plugin_insn *insn)
{
	return insn->data;
}

size_t qemu_plugin_insn_size(const struct qemu_plugin_insn *insn)
{
	return insn->len;
}

uint64_t qemu_plugin_insn_vaddr(const struct qemu_plugin_insn *insn)
{
	return insn->vaddr;
}

bool qemu_plugin_mem_is_store(qemu_plugin_meminfo_t info)
{
	return info & STORE_BIT;
}

unsigned int qemu_plugin_mem_size_shift(qemu_plugin_meminfo_t info)
{
	return info & 0xf;
}

/* Guest address = RAM-block offset, all RAM. */
struct qemu_plugin_hwaddr *qemu_plugin_get_hwaddr(qemu_plugin_meminfo_t info, uint64_t vaddr)
{
	qemu.hw.addr = vaddr;
	return &qemu.hw;
}

bool qemu_plugin_hwaddr_is_io(const struct qemu_plugin_hwaddr *haddr)
{
	return false;
}

uint64_t qemu_plugin_hwaddr_phys_addr(const struct qemu_plugin_hwaddr *haddr)
{
	return haddr->addr;
}

void qemu_plugin_outs(const char *string)
{
	snprintf(qemu.said, sizeof(qemu.said), "%s", string);
}

/* ---- the guest ---- */

#define BASE	0x40000000ULL		/* the NVDIMM's RAM-block offset */
#define SIZE	(1ULL << 20)		/* modelled */
#define LABEL	(128 * 1024ULL)		/* the label area after it */
#define PC	0xffffffff81000000ULL

/* The instructions of the guest's code, by what they are. */
#define STORE		{ 0x88, 0x07 }			/* mov %al,(%rdi) */
#define LOAD		{ 0x8a, 0x07 }			/* mov (%rdi),%al */
#define CLWB		{ 0x66, 0x0f, 0xae, 0x37 }	/* clwb (%rdi) */
#define CLFLUSH		{ 0x0f, 0xae, 0x3f }		/* clflush (%rdi) */
#define MARKER		{ 0x80, 0x38, 0x00 }		/* cmpb $0,(%rax) */
#define SFENCE		{ 0x0f, 0xae, 0xf8 }
#define MOVNTI		{ 0x0f, 0xc3, 0x07 }		/* movnti %eax,(%rdi) */
#define ARM		PERSIST_ARM_BYTES		/* the agent's arming NOP */

struct code {
	uint8_t b[8];
	size_t len;
};

#define INSN(bytes) { bytes, sizeof((uint8_t[])bytes) }

static struct {
	char dir[256], live[300], shadow[300], regions[300], meta[300], stats[300];
	uint8_t *live_map;
	uint64_t next_pc;
} g;

/* A TB of the instructions, at fresh PCs, translated by the plugin. */
static struct qemu_plugin_tb *translate(const struct code *code, size_t n)
{
	struct qemu_plugin_tb *tb = calloc(1, sizeof(*tb));
	size_t i;

	assert_non_null(tb);
	if (!g.next_pc)
		g.next_pc = PC;
	for (i = 0; i < n; i++) {
		memcpy(tb->insn[i].data, code[i].b, code[i].len);
		tb->insn[i].len = code[i].len;
		tb->insn[i].vaddr = g.next_pc;
		g.next_pc += code[i].len;
	}
	tb->n = n;
	g.next_pc += 0x100;
	qemu.translate(1, tb);
	return tb;
}

/* Instruction i of tb runs on vCPU 0; addr is its access (0: none). */
static void run(struct qemu_plugin_tb *tb, size_t i, uint64_t addr, uint8_t v)
{
	struct qemu_plugin_insn *in = &tb->insn[i];
	bool store = in->data[0] == 0x88 || (in->data[0] == 0x0f && in->data[1] == 0xc3);

	if (in->exec)
		in->exec(0, in->exec_ud);
	if (!addr)
		return;
	if (store)
		g.live_map[addr - BASE] = v;	/* QEMU writes the file at once */
	if (in->mem && (store || in->rw == QEMU_PLUGIN_MEM_RW))
		in->mem(0, store ? STORE_BIT : 0, addr, in->mem_ud);
}

static struct persist_meta_header header(void)
{
	struct persist_meta_header h;
	int fd = open(g.meta, O_RDONLY);

	assert_true(fd >= 0);
	assert_int_equal(pread(fd, &h, sizeof(h), 0), sizeof(h));
	close(fd);
	return h;
}

static struct persist_meta_line record(uint64_t addr)
{
	struct persist_meta_header h = header();
	struct persist_meta_line l;
	int fd = open(g.meta, O_RDONLY);

	assert_true(fd >= 0);
	assert_int_equal(pread(fd, &l, sizeof(l), (off_t)(h.region[0].lines_offset +
			 (addr - BASE) / 64 * sizeof(l))), sizeof(l));
	close(fd);
	return l;
}

static uint8_t persisted(uint64_t addr)
{
	uint8_t b;
	int fd = open(g.shadow, O_RDONLY);

	assert_true(fd >= 0);
	assert_int_equal(pread(fd, &b, 1, (off_t)(addr - BASE)), 1);
	close(fd);
	return b;
}

static void write_regions(const char *text)
{
	FILE *f = fopen(g.regions, "w");

	assert_non_null(f);
	fputs(text, f);
	fclose(f);
}

static int install_args(bool arm_marker)
{
	char regions[320], meta[320], stats[320], arm[] = "arm=marker";
	char *argv[] = { regions, meta, stats, arm };
	qemu_info_t info = {
		.target_name = "x86_64", .system_emulation = true,
		.system = { .smp_vcpus = 1, .max_vcpus = 1 },
	};

	snprintf(regions, sizeof(regions), "regions=%s", g.regions);
	snprintf(meta, sizeof(meta), "meta=%s", g.meta);
	snprintf(stats, sizeof(stats), "stats=%s", g.stats);
	return qemu_plugin_install(1, &info, arm_marker ? 4 : 3, argv);
}

static int install(void)
{
	return install_args(false);
}

static int group_setup(void **state)
{
	const char *tmp = getenv("TMPDIR");
	int fd;

	snprintf(g.dir, sizeof(g.dir), "%s/test_persist_plugin.XXXXXX", tmp && *tmp ? tmp : "/tmp");
	if (!mkdtemp(g.dir))
		return -1;
	snprintf(g.live, sizeof(g.live), "%s/pmem.img", g.dir);
	snprintf(g.shadow, sizeof(g.shadow), "%s/shadow.img", g.dir);
	snprintf(g.regions, sizeof(g.regions), "%s/regions", g.dir);
	snprintf(g.meta, sizeof(g.meta), "%s/meta", g.dir);
	snprintf(g.stats, sizeof(g.stats), "%s/stats", g.dir);
	/* The NVDIMM: a hole, a few bytes the guest had before, the labels. */
	fd = open(g.live, O_RDWR | O_CREAT | O_TRUNC, 0600);
	if (fd < 0 || ftruncate(fd, (off_t)(SIZE + LABEL)) < 0 ||
	    pwrite(fd, "old", 3, 4096) != 3 || pwrite(fd, "label", 5, (off_t)SIZE) != 5)
		return -1;
	g.live_map = mmap(NULL, SIZE, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	close(fd);
	return g.live_map == MAP_FAILED ? -1 : 0;
}

static int group_teardown(void **state)
{
	const char *files[] = { g.live, g.shadow, g.regions, g.meta, g.stats };
	size_t i;

	munmap(g.live_map, SIZE);
	for (i = 0; i < sizeof(files) / sizeof(files[0]); i++)
		unlink(files[i]);
	rmdir(g.dir);
	return 0;
}

/* ---- the steps of one run ---- */

/* QEMU starts paused: the plugin is loaded before the regions file exists. */
static void regions_wait_for_the_first_translation(void **state)
{
	struct persist_meta_header h;

	assert_int_equal(install(), 0);
	assert_non_null(qemu.translate);
	h = header();
	assert_true(h.magic == PERSIST_META_MAGIC);
	assert_int_equal(h.nr_regions, 0);
	assert_int_equal(access(g.shadow, F_OK), -1);
}

static void first_translation_reads_them(void **state)
{
	struct code code[] = { INSN(LOAD) };
	char text[1024];
	struct persist_meta_header h;
	struct stat s;

	snprintf(text, sizeof(text), "# BASE SIZE LIVE SHADOW\n%#llx %llu %s %s\n",
		 BASE, SIZE, g.live, g.shadow);
	write_regions(text);
	free(translate(code, 1));
	h = header();
	assert_int_equal(h.nr_regions, 1);
	assert_true(h.region[0].base == BASE && h.region[0].size == SIZE);
	assert_string_equal(h.region[0].live, g.live);
	/* the shadow: the first SIZE bytes, the labels not, the holes kept */
	assert_int_equal(stat(g.shadow, &s), 0);
	assert_int_equal(s.st_size, SIZE);
	assert_true(s.st_blocks * 512 < 256 * 1024);
	assert_int_equal(persisted(BASE + 4096), 'o');
	/* read once: a new file is not read again */
	write_regions("garbage\n");
	free(translate(code, 1));
	assert_int_equal(header().nr_regions, 1);
}

static void marked_flush_persists(void **state)
{
	struct code code[] = { INSN(STORE), INSN(CLWB), INSN(MARKER), INSN(SFENCE) };
	struct qemu_plugin_tb *tb = translate(code, 4);
	uint64_t a = BASE + 8192 + 5;
	struct persist_meta_header h;
	struct persist_meta_line l;

	run(tb, 0, a, 0x77);
	l = record(a);
	assert_true(l.store_pc == tb->insn[0].vaddr && l.state == PERSIST_LINE_DIRTY);
	run(tb, 1, 0, 0);
	run(tb, 2, a - 5, 0);
	l = record(a);
	assert_true(l.flush_pc == tb->insn[1].vaddr && l.state == PERSIST_LINE_PENDING);
	assert_int_equal(persisted(a), 0);
	run(tb, 3, 0, 0);
	assert_int_equal(persisted(a), 0x77);
	assert_int_equal(record(a).state, 0);
	h = header();
	assert_true(h.stores == 1 && h.flushes == 1 && h.flushes_placed == 1);
	assert_true(h.clwb_unplaced == 0 && h.other_unplaced == 0);
	assert_true(h.fences == 1 && h.persisted_lines == 1);
	free(tb);
}

/* A clwb with a store after it: counted, and no line guessed. */
static void unmarked_clwb_is_not_guessed(void **state)
{
	struct code code[] = { INSN(STORE), INSN(CLWB), INSN(STORE), INSN(SFENCE) };
	struct qemu_plugin_tb *tb = translate(code, 4);
	uint64_t a = BASE + 12288;

	run(tb, 0, a, 0x11);
	run(tb, 1, 0, 0);
	run(tb, 2, a + 64, 0x22);
	run(tb, 3, 0, 0);
	assert_int_equal(persisted(a), 0);
	assert_int_equal(record(a).state, PERSIST_LINE_DIRTY);
	assert_int_equal(record(a).flush_pc, 0);
	assert_int_equal(header().clwb_unplaced, 1);
	assert_int_equal(header().flushes_placed, 1);
	free(tb);
}

/* A clflush with a fence next, a clflush with a marker elsewhere: the
 * kernel's invalidations, unplaced, counted apart from clwb. */
static void unmarked_clflush_counts_apart(void **state)
{
	struct code code[] = { INSN(CLFLUSH), INSN(SFENCE), INSN(CLFLUSH), INSN(LOAD),
			       INSN(MARKER) };
	struct qemu_plugin_tb *tb = translate(code, 5);
	struct persist_meta_header h;

	run(tb, 0, 0, 0);
	run(tb, 1, 0, 0);
	run(tb, 2, 0, 0);
	run(tb, 3, BASE, 0);	/* a plain load is not instrumented */
	run(tb, 4, BASE, 0);	/* a marker, but not right after the flush */
	h = header();
	assert_int_equal(h.other_unplaced, 2);
	assert_int_equal(h.clwb_unplaced, 1);
	assert_int_equal(h.flushes, 4);
	assert_int_equal(h.flushes_placed, 1);
	free(tb);
}

static void nt_store_pending_until_fence(void **state)
{
	struct code code[] = { INSN(MOVNTI), INSN(SFENCE) };
	struct qemu_plugin_tb *tb = translate(code, 2);
	uint64_t a = BASE + 16384;

	run(tb, 0, a, 0x33);
	assert_int_equal(record(a).state, PERSIST_LINE_PENDING | PERSIST_LINE_NT);
	assert_int_equal(record(a).store_pc, tb->insn[0].vaddr);
	assert_int_equal(persisted(a), 0);
	run(tb, 1, 0, 0);
	assert_int_equal(persisted(a), 0x33);
	assert_int_equal(record(a).state, PERSIST_LINE_NT);
	assert_int_equal(header().nt_stores, 1);
	free(tb);
}

/* Loads other than markers get no callback; markers do. */
static void only_stores_and_markers_instrumented(void **state)
{
	struct code code[] = { INSN(LOAD), INSN(MARKER), INSN(STORE), INSN(CLWB) };
	struct qemu_plugin_tb *tb = translate(code, 4);

	assert_int_equal(tb->insn[0].rw, QEMU_PLUGIN_MEM_W);
	assert_int_equal(tb->insn[1].rw, QEMU_PLUGIN_MEM_RW);
	assert_int_equal(tb->insn[2].rw, QEMU_PLUGIN_MEM_W);
	assert_null(tb->insn[3].mem);
	assert_non_null(tb->insn[3].exec);
	free(tb);
}

/* Retranslating the same code hands the callbacks the same insn_info. */
static void retranslation_reuses_insn_info(void **state)
{
	struct code code[] = { INSN(STORE), INSN(CLWB) };
	uint64_t pc = g.next_pc;
	struct qemu_plugin_tb *a = translate(code, 2), *b;

	g.next_pc = pc;
	b = translate(code, 2);
	assert_int_equal(a->insn[0].vaddr, b->insn[0].vaddr);
	assert_ptr_equal(a->insn[0].mem_ud, b->insn[0].mem_ud);
	assert_ptr_equal(a->insn[1].exec_ud, b->insn[1].exec_ud);
	free(a);
	free(b);
}

static void exit_writes_stats(void **state)
{
	char text[512] = "";
	FILE *f;

	qemu.atexit(1, NULL);
	f = fopen(g.stats, "r");
	assert_non_null(f);
	assert_true(fread(text, 1, sizeof(text) - 1, f) > 0);
	fclose(f);
	assert_non_null(strstr(text, "stores=3\nnt_stores=1\nflushes=4\nflushes_placed=1\n"
			       "clwb_unplaced=1\nother_unplaced=2\n"));
	assert_int_equal(header().nr_regions, 1);
}

/* ---- a bad regions file, in a process of its own ---- */

/* In the child: 0 when the plugin said so and modelled nothing. */
static int bad_regions_child(void)
{
	struct code code[] = { INSN(STORE) };
	struct qemu_plugin_tb *tb;

	int null = open("/dev/null", O_WRONLY);

	if (null >= 0)
		dup2(null, STDERR_FILENO);	/* the plugin says why, as it should */
	write_regions("0x0 4096 /no/such/file\n");
	if (install() != 0)
		return 1;
	tb = translate(code, 1);
	if (!strstr(qemu.said, "line 1") || !strstr(qemu.said, "modelling nothing"))
		return 2;
	if (header().nr_regions != 0 || tb->insn[0].mem || tb->insn[0].exec)
		return 3;
	return 0;
}

/*
 * arm=marker: before the arming NOP runs, only it is instrumented and no
 * region is set up, so a store of the boot is not modelled (it counts as
 * persistent); the NOP resets the plugin, and code translated after that
 * is instrumented in full.
 */
static int arm_marker_child(void)
{
	struct code code[] = { INSN(STORE), INSN(ARM) };
	char text[1024];
	struct qemu_plugin_tb *tb;

	snprintf(text, sizeof(text), "%#llx %llu %s %s\n", BASE, SIZE, g.live, g.shadow);
	write_regions(text);
	if (install_args(true) != 0)
		return 1;
	tb = translate(code, 2);
	if (tb->insn[0].mem || !tb->insn[1].exec || header().nr_regions != 0)
		return 2;
	run(tb, 0, BASE + 0x2000, 0x11);	/* the boot's store: not modelled */
	run(tb, 1, 0, 0);			/* the NOP */
	if (qemu.resets != 1 || !qemu.translate || !qemu.atexit || header().nr_regions != 1)
		return 3;
	if (persisted(BASE + 0x2000) != 0x11)	/* the shadow copies what the boot left */
		return 4;
	tb = translate(code, 2);
	if (!tb->insn[0].mem || tb->insn[1].exec)
		return 5;
	run(tb, 0, BASE + 0x3000, 0x22);	/* a store now is modelled: not persistent */
	if (persisted(BASE + 0x3000) != 0 || header().stores != 1)
		return 6;
	return 0;
}

static void arm_marker_starts_the_model(void **state)
{
	int status;
	pid_t pid = fork();

	assert_true(pid >= 0);
	if (!pid)
		_exit(arm_marker_child());
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_true(WIFEXITED(status));
	if (WEXITSTATUS(status))
		fail_msg("arm=marker: check %d failed (1: install, 2: instrumented before the NOP, "
			 "3: no reset, 4: shadow, 5: not instrumented after, 6: not modelled)",
			 WEXITSTATUS(status));
	/* The child's files, for the steps after it. */
	unlink(g.shadow);
	unlink(g.meta);
	memset(g.live_map + 0x2000, 0, 0x2000);
}

static void bad_regions_file_models_nothing(void **state)
{
	int status;
	pid_t pid = fork();

	assert_true(pid >= 0);
	if (!pid)
		_exit(bad_regions_child());
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_true(WIFEXITED(status));
	if (WEXITSTATUS(status))
		fail_msg("bad regions file: check %d failed (1: install, 2: not said, "
			 "3: modelled)", WEXITSTATUS(status));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(bad_regions_file_models_nothing),
		cmocka_unit_test(arm_marker_starts_the_model),
		cmocka_unit_test(regions_wait_for_the_first_translation),
		cmocka_unit_test(first_translation_reads_them),
		cmocka_unit_test(marked_flush_persists),
		cmocka_unit_test(unmarked_clwb_is_not_guessed),
		cmocka_unit_test(unmarked_clflush_counts_apart),
		cmocka_unit_test(nt_store_pending_until_fence),
		cmocka_unit_test(only_stores_and_markers_instrumented),
		cmocka_unit_test(retranslation_reuses_insn_info),
		cmocka_unit_test(exit_writes_stats),
	};

	return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
