// SPDX-License-Identifier: GPL-2.0
/*
 * test_qemu_cmd.c - the QEMU command line for a guest with NVDIMMs
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "vm/qemu_cmd.h"

static struct qemu_config base(void)
{
	struct qemu_config c = {
		.qemu = "qemu-system-x86_64", .accel = ACCEL_TCG, .cpus = 2, .mem_mb = 1024,
		.bios = "/usr/share/qemu/qboot.rom", .kernel = "/k/bzImage",
		.initrd = "/i/image.cpio.zst", .append = "console=ttyS0 panic=-1",
		.nr_nvdimms = 2, .label_size = 128 << 10,
		.console_pipe = "/w/console", .result_pipe = "/w/results",
		.qmp_socket = "/w/qmp.sock",
	};

	c.nvdimms[0].path = "/w/nvdimm0.img";
	c.nvdimms[0].size = 1ULL << 30;
	c.nvdimms[1].path = "/w/nvdimm1.img";
	c.nvdimms[1].size = 1ULL << 30;
	return c;
}

/* The value following option opt, the n-th time opt appears. */
static const char *arg_after(const struct strv *v, const char *opt, int n)
{
	size_t i;

	for (i = 0; i + 1 < v->n; i++)
		if (!strcmp(v->v[i], opt) && n-- == 0)
			return v->v[i + 1];
	return NULL;
}

static bool has(const struct strv *v, const char *arg)
{
	size_t i;

	for (i = 0; i < v->n; i++)
		if (!strcmp(v->v[i], arg))
			return true;
	return false;
}

static void nvdimm_machine_and_backends(void **state)
{
	struct qemu_config c = base();
	struct strv v = { 0 };

	assert_int_equal(qemu_cmd_build(&c, &v), 0);
	assert_string_equal(v.v[0], "qemu-system-x86_64");
	assert_string_equal(arg_after(&v, "-machine", 0), "pc,nvdimm=on,accel=tcg");
	assert_string_equal(arg_after(&v, "-m", 0), "1024M,slots=2,maxmem=3072M");
	assert_string_equal(arg_after(&v, "-object", 0),
			    "memory-backend-file,id=nvmem0,share=on,mem-path=/w/nvdimm0.img,size=1073741824");
	assert_string_equal(arg_after(&v, "-device", 1),
			    "nvdimm,memdev=nvmem1,id=nvdimm1,label-size=131072");
	assert_string_equal(arg_after(&v, "-cpu", 0), "max");
	assert_true(has(&v, "-nodefaults"));
	assert_true(has(&v, "-no-reboot"));
	assert_string_equal(arg_after(&v, "-bios", 0), "/usr/share/qemu/qboot.rom");
	strv_free(&v);
}

static void console_result_port_and_qmp(void **state)
{
	struct qemu_config c = base();
	struct strv v = { 0 };

	assert_int_equal(qemu_cmd_build(&c, &v), 0);
	assert_string_equal(arg_after(&v, "-chardev", 0), "pipe,id=console,path=/w/console");
	assert_string_equal(arg_after(&v, "-serial", 0), "chardev:console");
	assert_string_equal(arg_after(&v, "-chardev", 1), "pipe,id=results,path=/w/results");
	assert_non_null(strstr(arg_after(&v, "-device", 3), "name=org.daxtest.results"));
	assert_string_equal(arg_after(&v, "-qmp", 0), "unix:/w/qmp.sock,server=on,wait=off");
	assert_string_equal(arg_after(&v, "-append", 0), "console=ttyS0 panic=-1");
	strv_free(&v);
}

/* A snapshot's guest writes its RAM into the file; a restored one maps
 * it copy-on-write and waits for the device state (-incoming defer). */
static void snapshot_ram_and_incoming(void **state)
{
	struct qemu_config c = base();
	struct strv v = { 0 };

	c.ram_path = "/s/ram.img";
	c.ram_shared = true;
	assert_int_equal(qemu_cmd_build(&c, &v), 0);
	assert_string_equal(arg_after(&v, "-machine", 0),
			    "pc,nvdimm=on,accel=tcg,memory-backend=ram0");
	assert_string_equal(arg_after(&v, "-object", 0),
			    "memory-backend-file,id=ram0,share=on,mem-path=/s/ram.img,size=1024M");
	assert_string_equal(arg_after(&v, "-m", 0), "1024M,slots=2,maxmem=3072M");
	assert_false(has(&v, "-incoming"));
	strv_free(&v);

	c.ram_shared = false;
	c.incoming = true;
	assert_int_equal(qemu_cmd_build(&c, &v), 0);
	assert_string_equal(arg_after(&v, "-object", 0),
			    "memory-backend-file,id=ram0,share=off,mem-path=/s/ram.img,size=1024M");
	assert_string_equal(arg_after(&v, "-incoming", 0), "defer");
	/* The NVDIMMs stay shared: x-ignore-shared leaves them out. */
	assert_string_equal(arg_after(&v, "-object", 1),
			    "memory-backend-file,id=nvmem0,share=on,mem-path=/w/nvdimm0.img,size=1073741824");
	strv_free(&v);
}

/* A restore needs the RAM file, privately, and QMP to bring the state. */
static void incoming_refused_without_its_ram(void **state)
{
	struct qemu_config c = base();
	struct strv v = { 0 };

	c.incoming = true;
	assert_int_equal(qemu_cmd_build(&c, &v), -1);
	strv_free(&v);
	c.ram_path = "/s/ram.img";
	c.ram_shared = true;
	assert_int_equal(qemu_cmd_build(&c, &v), -1);
	strv_free(&v);
	c.ram_shared = false;
	c.qmp_socket = NULL;
	assert_int_equal(qemu_cmd_build(&c, &v), -1);
	strv_free(&v);
	c.qmp_socket = "/w/qmp.sock";
	c.ram_path = "/s/r,am.img";
	assert_int_equal(qemu_cmd_build(&c, &v), -1);
	strv_free(&v);
}

/* The disk without DAX: raw, found by the agent through its serial. */
static void nodax_disk(void **state)
{
	struct qemu_config c = base();
	struct strv v = { 0 };

	assert_int_equal(qemu_cmd_build(&c, &v), 0);
	assert_null(arg_after(&v, "-drive", 0));
	strv_free(&v);

	c.nodax_disk = "/w/nodax.img";
	assert_int_equal(qemu_cmd_build(&c, &v), 0);
	assert_string_equal(arg_after(&v, "-drive", 0),
			    "file=/w/nodax.img,format=raw,if=none,id=nodax,cache=unsafe");
	assert_string_equal(arg_after(&v, "-device", 2),
			    "virtio-blk-pci,drive=nodax,serial=daxtest-nodax,addr=0x2.0x1");
	strv_free(&v);

	c.nodax_disk = "/w/no,dax.img";
	assert_int_equal(qemu_cmd_build(&c, &v), -1);
	strv_free(&v);
}

/* virtio-pmem: its own backend and a memory slot of its own. */
static void virtio_pmem(void **state)
{
	struct qemu_config c = base();
	struct strv v = { 0 };

	c.virtio_pmem.path = "/w/virtio-pmem.img";
	c.virtio_pmem.size = 512ULL << 20;
	assert_int_equal(qemu_cmd_build(&c, &v), 0);
	assert_string_equal(arg_after(&v, "-m", 0), "1024M,slots=3,maxmem=3584M");
	assert_string_equal(arg_after(&v, "-object", 2),
			    "memory-backend-file,id=vpmem0,share=on,mem-path=/w/virtio-pmem.img,size=536870912");
	assert_string_equal(arg_after(&v, "-device", 2), "virtio-pmem-pci,memdev=vpmem0,id=vpmem0,addr=0x2.0x2");
	strv_free(&v);

	c.virtio_pmem.size = 0;
	assert_int_equal(qemu_cmd_build(&c, &v), -1);
	strv_free(&v);
}

/* The peer suites' root: the host's tree read-only over virtio-9p, in a
 * slot of its own, only when asked for. */
static void host_share(void **state)
{
	struct qemu_config c = base();
	struct strv v = { 0 };

	assert_int_equal(qemu_cmd_build(&c, &v), 0);
	assert_null(arg_after(&v, "-fsdev", 0));
	strv_free(&v);

	c.host_share = "/";
	assert_int_equal(qemu_cmd_build(&c, &v), 0);
	assert_string_equal(arg_after(&v, "-fsdev", 0),
			    "local,id=hostfs,path=/,security_model=none,readonly=on,multidevs=remap");
	assert_string_equal(arg_after(&v, "-device", 2),
			    "virtio-9p-pci,fsdev=hostfs,mount_tag=daxtest-host,addr=0x2.0x3");
	strv_free(&v);

	c.host_share = "/a,b";
	assert_int_equal(qemu_cmd_build(&c, &v), -1);
	strv_free(&v);
}

static void kvm_uses_host_cpu_and_shell_uses_stdio(void **state)
{
	struct qemu_config c = base();
	struct strv v = { 0 };

	c.accel = ACCEL_KVM;
	c.console_pipe = NULL;
	c.result_pipe = NULL;
	assert_int_equal(qemu_cmd_build(&c, &v), 0);
	assert_string_equal(arg_after(&v, "-machine", 0), "pc,nvdimm=on,accel=kvm");
	assert_string_equal(arg_after(&v, "-cpu", 0), "host");
	assert_string_equal(arg_after(&v, "-serial", 0), "mon:stdio");
	assert_null(arg_after(&v, "-chardev", 1));
	strv_free(&v);
}

static void refuses_what_qemu_would_misparse(void **state)
{
	struct qemu_config c = base();
	struct strv v = { 0 };

	c.nvdimms[1].path = "/w/a,b.img";
	assert_int_equal(qemu_cmd_build(&c, &v), -1);
	strv_free(&v);
	c = base();
	c.nvdimms[0].size = c.label_size;
	assert_int_equal(qemu_cmd_build(&c, &v), -1);
	strv_free(&v);
	c = base();
	c.accel = ACCEL_AUTO;
	assert_int_equal(qemu_cmd_build(&c, &v), -1);
	strv_free(&v);
}

/* The persistence plugin: QEMU paused (-S) until the regions file is
 * written, the -plugin argument as given (its commas are the plugin's). */
static void persistence_plugin(void **state)
{
	struct qemu_config c = base();
	struct strv v = { 0 };

	assert_int_equal(qemu_cmd_build(&c, &v), 0);
	assert_false(has(&v, "-S"));
	assert_null(arg_after(&v, "-plugin", 0));
	strv_free(&v);

	c.plugin = "/b/plugin/daxtest-persist.so,regions=/w/regions,meta=/w/meta";
	c.plugin_regions = "/w/regions";
	c.plugin_shadows[0] = "/w/shadow0.img";
	c.plugin_shadows[1] = "/w/shadow1.img";
	assert_int_equal(qemu_cmd_build(&c, &v), 0);
	assert_true(has(&v, "-S"));
	assert_string_equal(arg_after(&v, "-plugin", 0),
			    "/b/plugin/daxtest-persist.so,regions=/w/regions,meta=/w/meta");
	assert_null(arg_after(&v, "-plugin", 1));
	assert_string_equal(arg_after(&v, "-qmp", 0), "unix:/w/qmp.sock,server=on,wait=off");
	strv_free(&v);
}

/* Plugins need TCG; without a regions file, a QMP socket (nothing would
 * resume QEMU) or a crash image per NVDIMM the plugin cannot work. */
static void persistence_plugin_refused(void **state)
{
	struct qemu_config good = base(), c;
	struct strv v = { 0 };

	good.plugin = "/b/plugin/daxtest-persist.so,regions=/w/regions,meta=/w/meta";
	good.plugin_regions = "/w/regions";
	good.plugin_shadows[0] = "/w/shadow0.img";
	good.plugin_shadows[1] = "/w/shadow1.img";

	c = good;
	c.accel = ACCEL_KVM;
	assert_int_equal(qemu_cmd_build(&c, &v), -1);
	strv_free(&v);
	c = good;
	c.plugin_regions = NULL;
	assert_int_equal(qemu_cmd_build(&c, &v), -1);
	strv_free(&v);
	c = good;
	c.qmp_socket = NULL;
	assert_int_equal(qemu_cmd_build(&c, &v), -1);
	strv_free(&v);
	c = good;
	c.plugin_shadows[1] = NULL;
	assert_int_equal(qemu_cmd_build(&c, &v), -1);
	strv_free(&v);
	c = good;
	c.nr_nvdimms = 0;
	assert_int_equal(qemu_cmd_build(&c, &v), -1);
	strv_free(&v);
	c = good;
	assert_int_equal(qemu_cmd_build(&c, &v), 0);
	strv_free(&v);
}

static void join_quotes_for_the_shell(void **state)
{
	struct strv v = { 0 };
	char *s;

	strv_add(&v, "qemu");
	strv_add(&v, "-append");
	strv_add(&v, "console=ttyS0 it's");
	s = strv_join(&v);
	assert_string_equal(s, "qemu -append 'console=ttyS0 it'\\''s'");
	free(s);
	strv_free(&v);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(nvdimm_machine_and_backends),
		cmocka_unit_test(console_result_port_and_qmp),
		cmocka_unit_test(snapshot_ram_and_incoming),
		cmocka_unit_test(incoming_refused_without_its_ram),
		cmocka_unit_test(nodax_disk),
		cmocka_unit_test(virtio_pmem),
		cmocka_unit_test(host_share),
		cmocka_unit_test(kvm_uses_host_cpu_and_shell_uses_stdio),
		cmocka_unit_test(refuses_what_qemu_would_misparse),
		cmocka_unit_test(persistence_plugin),
		cmocka_unit_test(persistence_plugin_refused),
		cmocka_unit_test(join_quotes_for_the_shell),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
