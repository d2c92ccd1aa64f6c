// SPDX-License-Identifier: GPL-2.0
/*
 * libvirt_xml.c - the transient libvirt domain of a daxtest guest
 */
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "vm/libvirt_xml.h"
#include "proto/agent_proto.h"

/* The virtio devices share one PCI slot, as on the QEMU command line
 * (qemu_cmd.c): slot 2, functions 0 (serial), 1 (disk), 2 (virtio-pmem). */
#define VIRTIO_SLOT "domain='0' bus='0' slot='2'"

/* The XML is written to a memory stream; a write error (no memory) or a
 * string that cannot be expressed marks it failed. */
struct xml {
	FILE *f;
	bool err;
};

static void xml_add(struct xml *x, const char *s, size_t n)
{
	if (fwrite(s, 1, n, x->f) != n)
		x->err = true;
}

static void __attribute__((format(printf, 2, 3))) xml_printf(struct xml *x, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	if (vfprintf(x->f, fmt, ap) < 0)
		x->err = true;
	va_end(ap);
}

/* Text or an attribute value: escaped; a control byte (not valid in XML
 * 1.0 even escaped, and never in a path we made) makes the XML invalid. */
static void xml_text(struct xml *x, const char *s)
{
	for (; *s; s++) {
		unsigned char c = *s;

		switch (c) {
		case '&': xml_add(x, "&amp;", 5); break;
		case '<': xml_add(x, "&lt;", 4); break;
		case '>': xml_add(x, "&gt;", 4); break;
		case '\'': xml_add(x, "&apos;", 6); break;
		case '"': xml_add(x, "&quot;", 6); break;
		default:
			if (c < 0x20 || c == 0x7f)
				x->err = true;
			else
				xml_add(x, s, 1);
		}
	}
}

/* <tag>text</tag> with the text escaped. */
static void xml_elem(struct xml *x, const char *indent, const char *tag, const char *text)
{
	xml_printf(x, "%s<%s>", indent, tag);
	xml_text(x, text);
	xml_printf(x, "</%s>\n", tag);
}

unsigned long long libvirt_memory_size(unsigned long long bytes)
{
	return (bytes + LIBVIRT_MEMORY_ALIGN - 1) / LIBVIRT_MEMORY_ALIGN * LIBVIRT_MEMORY_ALIGN;
}

unsigned long long libvirt_label_size(unsigned long long size, unsigned long long label)
{
	return libvirt_memory_size(size) - (size - label);
}

static void add_memory(struct xml *x, const struct qemu_config *c)
{
	unsigned long long boot_kib = (unsigned long long)c->mem_mb << 10, dev_kib = 0;
	unsigned int slots = c->nr_nvdimms + (c->virtio_pmem.path ? 1 : 0), i;

	for (i = 0; i < c->nr_nvdimms; i++)
		dev_kib += libvirt_memory_size(c->nvdimms[i].size) >> 10;
	if (c->virtio_pmem.path)
		dev_kib += libvirt_memory_size(c->virtio_pmem.size) >> 10;
	xml_printf(x, "  <maxMemory slots='%u' unit='KiB'>%llu</maxMemory>\n",
		   slots ? slots : 1, boot_kib + dev_kib);
	xml_printf(x, "  <memory unit='KiB'>%llu</memory>\n", boot_kib + dev_kib);
	xml_printf(x, "  <vcpu>%u</vcpu>\n", c->cpus);
}

static void add_os(struct xml *x, const struct qemu_config *c)
{
	xml_printf(x, "  <os>\n    <type arch='x86_64' machine='pc'>hvm</type>\n");
	if (c->bios) {
		xml_printf(x, "    <loader readonly='yes' type='rom'>");
		xml_text(x, c->bios);
		xml_printf(x, "</loader>\n");
	}
	xml_elem(x, "    ", "kernel", c->kernel);
	xml_elem(x, "    ", "initrd", c->initrd);
	xml_elem(x, "    ", "cmdline", c->append);
	xml_printf(x, "  </os>\n");
	/* Without ACPI libvirt refuses NVDIMMs ("memory hotplug is not
	 * enabled"); the guest finds them through the NFIT. */
	xml_printf(x, "  <features>\n    <acpi/>\n  </features>\n");
}

/* libvirt wants a NUMA cell for memory devices; one holds all CPUs. */
static void add_cpu(struct xml *x, const struct qemu_config *c)
{
	xml_printf(x, "  <cpu mode='%s'>\n    <numa>\n",
		   c->accel == ACCEL_KVM ? "host-passthrough" : "maximum");
	if (c->cpus > 1)
		xml_printf(x, "      <cell id='0' cpus='0-%u' memory='%llu' unit='KiB'/>\n",
			   c->cpus - 1, (unsigned long long)c->mem_mb << 10);
	else
		xml_printf(x, "      <cell id='0' cpus='0' memory='%llu' unit='KiB'/>\n",
			   (unsigned long long)c->mem_mb << 10);
	xml_printf(x, "    </numa>\n  </cpu>\n");
	xml_printf(x, "  <on_poweroff>destroy</on_poweroff>\n"
		   "  <on_reboot>destroy</on_reboot>\n"
		   "  <on_crash>destroy</on_crash>\n");
}

/*
 * <pmem/> (QEMU's pmem=on) because libvirt otherwise preallocates every
 * NVDIMM (prealloc=on: the whole sparse backing file written, ~3 s per
 * GiB here). QEMU warns that pmem=on on a file that is not on DAX is
 * deprecated; what the guest sees is the same.
 */
static void add_nvdimms(struct xml *x, const struct qemu_config *c)
{
	unsigned int i;

	for (i = 0; i < c->nr_nvdimms; i++) {
		unsigned long long size = libvirt_memory_size(c->nvdimms[i].size);
		unsigned long long label = libvirt_label_size(c->nvdimms[i].size, c->label_size);

		xml_printf(x, "    <memory model='nvdimm' access='shared'>\n      <source>\n");
		xml_elem(x, "        ", "path", c->nvdimms[i].path);
		xml_printf(x, "        <pmem/>\n      </source>\n      <target>\n");
		xml_printf(x, "        <size unit='KiB'>%llu</size>\n", size >> 10);
		xml_printf(x, "        <node>0</node>\n        <label>\n"
			   "          <size unit='KiB'>%llu</size>\n        </label>\n", label >> 10);
		xml_printf(x, "      </target>\n    </memory>\n");
	}
}

static void add_virtio(struct xml *x, const struct qemu_config *c)
{
	xml_printf(x, "    <controller type='virtio-serial' index='0'>\n"
		   "      <address type='pci' " VIRTIO_SLOT " function='0' multifunction='on'/>\n"
		   "    </controller>\n");
	if (c->nodax_disk) {
		xml_printf(x, "    <disk type='file' device='disk'>\n"
			   "      <driver name='qemu' type='raw' cache='unsafe'/>\n"
			   "      <source file='");
		xml_text(x, c->nodax_disk);
		xml_printf(x, "'/>\n      <target dev='vda' bus='virtio'/>\n"
			   "      <serial>" DAXTEST_NODAX_SERIAL "</serial>\n"
			   "      <address type='pci' " VIRTIO_SLOT " function='1'/>\n"
			   "    </disk>\n");
	}
	if (c->virtio_pmem.path) {
		xml_printf(x, "    <memory model='virtio-pmem' access='shared'>\n      <source>\n");
		xml_elem(x, "        ", "path", c->virtio_pmem.path);
		xml_printf(x, "      </source>\n      <target>\n"
			   "        <size unit='KiB'>%llu</size>\n      </target>\n"
			   "      <address type='pci' " VIRTIO_SLOT " function='2'/>\n"
			   "    </memory>\n", libvirt_memory_size(c->virtio_pmem.size) >> 10);
	}
}

/* The console on the first serial port (a pty), the agent's result port
 * a virtio-serial port with the name the agent looks for (guest/port.c),
 * on a unix socket whose path libvirt picks (virDomainOpenChannel
 * accepts no other kind); libvirt hands both out as streams. */
static void add_chardevs(struct xml *x)
{
	xml_printf(x, "    <serial type='pty'>\n      <target port='0'/>\n    </serial>\n"
		   "    <console type='pty'>\n      <target type='serial' port='0'/>\n"
		   "    </console>\n");
	xml_printf(x, "    <channel type='unix'>\n      <source mode='bind'/>\n"
		   "      <target type='virtio' name='" DAXTEST_PORT_NAME "'/>\n"
		   "    </channel>\n");
}

static bool valid(const struct libvirt_guest *g)
{
	const struct qemu_config *c = g->qemu;
	unsigned int i;

	if (!c || !g->name || !*g->name || !c->kernel || !c->initrd || !c->append ||
	    !c->cpus || !c->mem_mb || c->nr_nvdimms > QEMU_MAX_NVDIMMS ||
	    (c->accel != ACCEL_KVM && c->accel != ACCEL_TCG) ||
	    (c->label_size & 1023) || (c->virtio_pmem.path && !c->virtio_pmem.size))
		return false;
	for (i = 0; i < c->nr_nvdimms; i++)
		if (!c->nvdimms[i].path || c->nvdimms[i].size <= c->label_size)
			return false;
	return true;
}

char *libvirt_xml_build(const struct libvirt_guest *g)
{
	const struct qemu_config *c = g->qemu;
	struct xml x = { 0 };
	char *text = NULL;
	size_t len;

	if (!valid(g))
		return NULL;
	x.f = open_memstream(&text, &len);
	if (!x.f)
		return NULL;
	xml_printf(&x, "<domain type='%s'>\n", c->accel == ACCEL_KVM ? "kvm" : "qemu");
	xml_elem(&x, "  ", "name", g->name);
	add_memory(&x, c);
	add_os(&x, c);
	add_cpu(&x, c);
	xml_printf(&x, "  <devices>\n    <controller type='usb' model='none'/>\n"
		   "    <memballoon model='none'/>\n");
	add_virtio(&x, c);
	add_chardevs(&x);
	add_nvdimms(&x, c);
	xml_printf(&x, "  </devices>\n");
	/* QEMU runs as the invoking user, so it can open the files in the
	 * run's private (0700) work directory; nothing is relabelled. */
	xml_printf(&x, "  <seclabel type='static' model='dac' relabel='no'>\n"
		   "    <label>+%u:+%u</label>\n  </seclabel>\n", g->uid, g->gid);
	xml_printf(&x, "</domain>\n");
	if (fclose(x.f) != 0)
		x.err = true;
	if (x.err) {
		free(text);
		return NULL;
	}
	return text;
}
