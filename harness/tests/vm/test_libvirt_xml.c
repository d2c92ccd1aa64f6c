// SPDX-License-Identifier: GPL-2.0
/*
 * test_libvirt_xml.c - the libvirt domain of a guest with NVDIMMs
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "vm/libvirt_xml.h"

#define MiB (1ULL << 20)

static struct qemu_config base(void)
{
	struct qemu_config c = {
		.qemu = "qemu-system-x86_64", .accel = ACCEL_TCG, .cpus = 2, .mem_mb = 1024,
		.bios = "/usr/share/qemu/qboot.rom", .kernel = "/k/bzImage",
		.initrd = "/i/image.cpio.lz4", .append = "console=ttyS0 panic=-1",
		.nr_nvdimms = 2, .label_size = 128 << 10,
	};

	c.nvdimms[0].path = "/w/nvdimm0.img";
	c.nvdimms[0].size = 1024 * MiB + (128 << 10);
	c.nvdimms[1].path = "/w/nvdimm1.img";
	c.nvdimms[1].size = 1024 * MiB + (128 << 10);
	return c;
}

static char *build(const struct qemu_config *c, const char *name)
{
	struct libvirt_guest g = { .qemu = c, .name = name, .uid = 1000, .gid = 100 };

	return libvirt_xml_build(&g);
}

static int count(const char *hay, const char *needle)
{
	int n = 0;

	while ((hay = strstr(hay, needle))) {
		n++;
		hay += strlen(needle);
	}
	return n;
}

static void contains(const char *xml, const char *what)
{
	if (!strstr(xml, what))
		fail_msg("the XML lacks \"%s\":\n%s", what, xml);
}

static void tcg_domain_without_network_or_graphics(void **state)
{
	struct qemu_config c = base();
	char *xml = build(&c, "daxtest-20261130-1-abc");

	assert_non_null(xml);
	assert_true(!strncmp(xml, "<domain type='qemu'>\n", 21));
	contains(xml, "<name>daxtest-20261130-1-abc</name>");
	contains(xml, "<cpu mode='maximum'>");
	contains(xml, "<acpi/>");
	contains(xml, "<on_poweroff>destroy</on_poweroff>");
	contains(xml, "<on_crash>destroy</on_crash>");
	contains(xml, "<on_reboot>destroy</on_reboot>");
	contains(xml, "<loader readonly='yes' type='rom'>/usr/share/qemu/qboot.rom</loader>");
	contains(xml, "<kernel>/k/bzImage</kernel>");
	contains(xml, "<initrd>/i/image.cpio.lz4</initrd>");
	contains(xml, "<cmdline>console=ttyS0 panic=-1</cmdline>");
	contains(xml, "<memballoon model='none'/>");
	assert_null(strstr(xml, "<interface"));
	assert_null(strstr(xml, "<graphics"));
	assert_null(strstr(xml, "<video"));
	contains(xml, "<seclabel type='static' model='dac' relabel='no'>");
	contains(xml, "<label>+1000:+100</label>");
	assert_true(strstr(xml, "</domain>\n") && !strcmp(strstr(xml, "</domain>\n"), "</domain>\n"));
	free(xml);
}

static void kvm_passes_the_host_cpu(void **state)
{
	struct qemu_config c = base();
	char *xml;

	c.accel = ACCEL_KVM;
	c.bios = NULL;
	xml = build(&c, "g");
	assert_non_null(xml);
	assert_true(!strncmp(xml, "<domain type='kvm'>\n", 20));
	contains(xml, "<cpu mode='host-passthrough'>");
	assert_null(strstr(xml, "<loader"));
	free(xml);
}

/* Boot memory in the NUMA cell, the NVDIMMs as memory devices on top:
 * maxMemory holds both and has a slot for each device. */
static void memory_numa_and_slots(void **state)
{
	struct qemu_config c = base();
	char *xml = build(&c, "g");

	assert_non_null(xml);
	/* 1024 MiB + 2 x 1026 MiB (rounded up to 2 MiB) */
	contains(xml, "<maxMemory slots='2' unit='KiB'>3149824</maxMemory>");
	contains(xml, "<memory unit='KiB'>3149824</memory>");
	contains(xml, "<vcpu>2</vcpu>");
	contains(xml, "<cell id='0' cpus='0-1' memory='1048576' unit='KiB'/>");
	free(xml);
	c.cpus = 1;
	xml = build(&c, "g");
	contains(xml, "<cell id='0' cpus='0' memory='1048576' unit='KiB'/>");
	free(xml);
}

/* libvirt rounds each NVDIMM up to 2 MiB; the rounding goes to the label
 * area so that the capacity stays 1 GiB. */
static void nvdimms_keep_their_capacity(void **state)
{
	struct qemu_config c = base();
	char *xml = build(&c, "g");

	assert_int_equal(libvirt_memory_size(1024 * MiB + (128 << 10)), 1026 * MiB);
	assert_int_equal(libvirt_memory_size(1026 * MiB), 1026 * MiB);
	assert_int_equal(libvirt_label_size(1024 * MiB + (128 << 10), 128 << 10), 2 * MiB);
	assert_int_equal(libvirt_label_size(1026 * MiB, 2 * MiB), 2 * MiB);
	assert_non_null(xml);
	assert_int_equal(count(xml, "<memory model='nvdimm' access='shared'>"), 2);
	contains(xml, "<path>/w/nvdimm0.img</path>\n        <pmem/>");
	contains(xml, "<path>/w/nvdimm1.img</path>");
	assert_int_equal(count(xml, "<size unit='KiB'>1050624</size>"), 2);
	assert_int_equal(count(xml, "<label>\n          <size unit='KiB'>2048</size>"), 2);
	assert_int_equal(count(xml, "<node>0</node>"), 2);
	free(xml);
}

static void console_and_result_channel(void **state)
{
	struct qemu_config c = base();
	char *xml = build(&c, "g");

	assert_non_null(xml);
	contains(xml, "<serial type='pty'>");
	contains(xml, "<console type='pty'>\n      <target type='serial' port='0'/>");
	contains(xml, "<channel type='unix'>\n      <source mode='bind'/>\n"
		 "      <target type='virtio' name='org.daxtest.results'/>");
	contains(xml, "<controller type='virtio-serial' index='0'>");
	free(xml);
}

static void nodax_disk_and_virtio_pmem_only_when_given(void **state)
{
	struct qemu_config c = base();
	char *xml = build(&c, "g");

	assert_non_null(xml);
	assert_null(strstr(xml, "<disk"));
	assert_null(strstr(xml, "virtio-pmem"));
	free(xml);
	c.nodax_disk = "/w/nodax.img";
	c.virtio_pmem.path = "/w/virtio-pmem.img";
	c.virtio_pmem.size = 512 * MiB;
	xml = build(&c, "g");
	assert_non_null(xml);
	contains(xml, "<source file='/w/nodax.img'/>");
	contains(xml, "<serial>daxtest-nodax</serial>");
	contains(xml, "<memory model='virtio-pmem' access='shared'>\n      <source>\n"
		 "        <path>/w/virtio-pmem.img</path>");
	contains(xml, "<size unit='KiB'>524288</size>");
	contains(xml, "<maxMemory slots='3' unit='KiB'>3674112</maxMemory>");
	free(xml);
}

/* A path (or name, or command line) cannot break out of its element or
 * attribute. */
static void hostile_strings_are_escaped(void **state)
{
	struct qemu_config c = base();
	char *xml;

	c.nvdimms[0].path = "/w/a'/><disk type='block'><source dev='/dev/sda'/></disk><x a='.img";
	c.nodax_disk = "/w/it's & \"quoted\" <b>.img";
	c.append = "console=ttyS0 x=</cmdline>";
	xml = build(&c, "daxtest-<evil>&");
	assert_non_null(xml);
	assert_null(strstr(xml, "<disk type='block'>"));
	assert_null(strstr(xml, "/dev/sda'/>"));
	contains(xml, "<path>/w/a&apos;/&gt;&lt;disk type=&apos;block&apos;&gt;&lt;source "
		 "dev=&apos;/dev/sda&apos;/&gt;&lt;/disk&gt;&lt;x a=&apos;.img</path>");
	contains(xml, "<source file='/w/it&apos;s &amp; &quot;quoted&quot; &lt;b&gt;.img'/>");
	contains(xml, "<cmdline>console=ttyS0 x=&lt;/cmdline&gt;</cmdline>");
	contains(xml, "<name>daxtest-&lt;evil&gt;&amp;</name>");
	assert_int_equal(count(xml, "<disk "), 1);
	assert_int_equal(count(xml, "</cmdline>"), 1);
	free(xml);
}

static void refuses_invalid_descriptions(void **state)
{
	struct qemu_config c = base();

	c.nvdimms[1].path = "/w/new\nline.img";
	assert_null(build(&c, "g"));
	c = base();
	assert_null(build(&c, ""));
	assert_null(build(&c, NULL));
	c.kernel = NULL;
	assert_null(build(&c, "g"));
	c = base();
	c.nvdimms[0].size = c.label_size;
	assert_null(build(&c, "g"));
	c = base();
	c.nr_nvdimms = QEMU_MAX_NVDIMMS + 1;
	assert_null(build(&c, "g"));
	c = base();
	c.accel = ACCEL_AUTO;
	assert_null(build(&c, "g"));
	c = base();
	c.append = "a\x01";
	assert_null(build(&c, "g"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(tcg_domain_without_network_or_graphics),
		cmocka_unit_test(kvm_passes_the_host_cpu),
		cmocka_unit_test(memory_numa_and_slots),
		cmocka_unit_test(nvdimms_keep_their_capacity),
		cmocka_unit_test(console_and_result_channel),
		cmocka_unit_test(nodax_disk_and_virtio_pmem_only_when_given),
		cmocka_unit_test(hostile_strings_are_escaped),
		cmocka_unit_test(refuses_invalid_descriptions),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
