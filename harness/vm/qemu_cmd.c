// SPDX-License-Identifier: GPL-2.0
/*
 * qemu_cmd.c - build the QEMU argv for a guest with emulated NVDIMMs
 */
#include <string.h>

#include "proto/agent_proto.h"
#include "vm/qemu_cmd.h"

/*
 * The virtio devices are functions of one PCI slot: they share its
 * interrupt link, and under TCG each ACPI link the kernel enables costs
 * 0.1-0.2 s of boot (evaluating _SRS).
 */
#define SERIAL_PCI_ADDR		"0x2.0x0"
#define NODAX_PCI_ADDR		"0x2.0x1"
#define VIRTIO_PMEM_PCI_ADDR	"0x2.0x2"
#define HOST_SHARE_PCI_ADDR	"0x2.0x3"

#define RAM_BACKEND_ID		"ram0"

static void add_machine(const struct qemu_config *c, struct strv *out)
{
	unsigned int slots = c->nr_nvdimms + (c->virtio_pmem.path ? 1 : 0);
	unsigned long long nv_mb = 0;
	unsigned int i;

	for (i = 0; i < c->nr_nvdimms; i++)
		nv_mb += (c->nvdimms[i].size + (1ULL << 20) - 1) >> 20;
	if (c->virtio_pmem.path)
		nv_mb += (c->virtio_pmem.size + (1ULL << 20) - 1) >> 20;
	strv_add(out, "-machine");
	strv_addf(out, "pc,nvdimm=on,accel=%s%s", c->accel == ACCEL_KVM ? "kvm" : "tcg",
		  c->ram_path ? ",memory-backend=" RAM_BACKEND_ID : "");
	strv_add(out, "-cpu");
	strv_add(out, c->accel == ACCEL_KVM ? "host" : "max");
	strv_add(out, "-smp");
	strv_addf(out, "%u", c->cpus);
	strv_add(out, "-m");
	strv_addf(out, "%uM,slots=%u,maxmem=%lluM", c->mem_mb,
		  slots ? slots : 1, c->mem_mb + nv_mb);
	strv_add(out, "-nodefaults");
	strv_add(out, "-no-reboot");
	strv_add(out, "-display");
	strv_add(out, "none");
	if (c->bios) {
		strv_add(out, "-bios");
		strv_add(out, c->bios);
	}
}

/* The RAM block of a file-backed RAM is named after the backend: a
 * snapshot and the guests restored from it must agree on it. */
static void add_ram(const struct qemu_config *c, struct strv *out)
{
	if (!c->ram_path)
		return;
	strv_add(out, "-object");
	strv_addf(out, "memory-backend-file,id=" RAM_BACKEND_ID ",share=%s,mem-path=%s,size=%uM",
		  c->ram_shared ? "on" : "off", c->ram_path, c->mem_mb);
}

static void add_nvdimms(const struct qemu_config *c, struct strv *out)
{
	unsigned int i;

	for (i = 0; i < c->nr_nvdimms; i++) {
		strv_add(out, "-object");
		strv_addf(out, "memory-backend-file,id=nvmem%u,share=on,mem-path=%s,size=%llu",
			  i, c->nvdimms[i].path, c->nvdimms[i].size);
		strv_add(out, "-device");
		strv_addf(out, "nvdimm,memdev=nvmem%u,id=nvdimm%u,label-size=%llu",
			  i, i, c->label_size);
	}
}

/* virtio-pmem: DAX without synchronous faults (its region is ND_REGION_ASYNC,
 * so MAP_SYNC is refused there). */
static void add_virtio_pmem(const struct qemu_config *c, struct strv *out)
{
	if (!c->virtio_pmem.path)
		return;
	strv_add(out, "-object");
	strv_addf(out, "memory-backend-file,id=vpmem0,share=on,mem-path=%s,size=%llu",
		  c->virtio_pmem.path, c->virtio_pmem.size);
	strv_add(out, "-device");
	strv_add(out, "virtio-pmem-pci,memdev=vpmem0,id=vpmem0,addr=" VIRTIO_PMEM_PCI_ADDR);
}

/* A disk without DAX, for the tests of what happens there; the agent
 * finds it by its serial. */
static void add_nodax_disk(const struct qemu_config *c, struct strv *out)
{
	if (!c->nodax_disk)
		return;
	strv_add(out, "-drive");
	strv_addf(out, "file=%s,format=raw,if=none,id=nodax,cache=unsafe", c->nodax_disk);
	strv_add(out, "-device");
	strv_add(out, "virtio-blk-pci,drive=nodax,serial=" DAXTEST_NODAX_SERIAL
		 ",addr=" NODAX_PCI_ADDR);
}

/* The host's tree, read-only over virtio-9p, for the peer suites' root
 * (guest/suite_root.c). multidevs=remap: the host's / spans several
 * filesystems, whose inode numbers would collide in one 9p export. */
static void add_host_share(const struct qemu_config *c, struct strv *out)
{
	if (!c->host_share)
		return;
	strv_add(out, "-fsdev");
	strv_addf(out, "local,id=hostfs,path=%s,security_model=none,readonly=on,multidevs=remap",
		  c->host_share);
	strv_add(out, "-device");
	strv_add(out, "virtio-9p-pci,fsdev=hostfs,mount_tag=" DAXTEST_HOST_SHARE_TAG
		 ",addr=" HOST_SHARE_PCI_ADDR);
}

static void add_boot(const struct qemu_config *c, struct strv *out)
{
	strv_add(out, "-kernel");
	strv_add(out, c->kernel);
	strv_add(out, "-initrd");
	strv_add(out, c->initrd);
	strv_add(out, "-append");
	strv_add(out, c->append);
}

static void add_chardevs(const struct qemu_config *c, struct strv *out)
{
	if (c->console_pipe) {
		strv_add(out, "-chardev");
		strv_addf(out, "pipe,id=console,path=%s", c->console_pipe);
		strv_add(out, "-serial");
		strv_add(out, "chardev:console");
	} else {
		strv_add(out, "-serial");
		strv_add(out, "mon:stdio");
	}
	strv_add(out, "-device");
	strv_add(out, "virtio-serial-pci,id=vser0,multifunction=on,addr=" SERIAL_PCI_ADDR);
	if (c->result_pipe) {
		strv_add(out, "-chardev");
		strv_addf(out, "pipe,id=results,path=%s", c->result_pipe);
		strv_add(out, "-device");
		strv_addf(out, "virtserialport,bus=vser0.0,chardev=results,name=%s",
			  DAXTEST_PORT_NAME);
	}
	if (c->qmp_socket) {
		strv_add(out, "-qmp");
		strv_addf(out, "unix:%s,server=on,wait=off", c->qmp_socket);
	}
}

/* A restored guest's RAM is its snapshot's file; the rest of its state
 * comes with the incoming migration (vm/vm_migrate.h). */
static void add_incoming(const struct qemu_config *c, struct strv *out)
{
	if (!c->incoming)
		return;
	strv_add(out, "-incoming");
	strv_add(out, "defer");
}

/* Paused until persist_start() told the plugin where the NVDIMMs are. */
static void add_plugin(const struct qemu_config *c, struct strv *out)
{
	if (!c->plugin)
		return;
	strv_add(out, "-S");
	strv_add(out, "-plugin");
	strv_add(out, c->plugin);
}

/* TCG plugins do not run under KVM; nothing resumes QEMU without its QMP
 * socket, and the plugin models nothing without regions. */
static bool valid_plugin(const struct qemu_config *c)
{
	unsigned int i;

	if (!c->plugin)
		return true;
	if (c->accel != ACCEL_TCG || !c->plugin_regions || !c->qmp_socket || !c->nr_nvdimms)
		return false;
	for (i = 0; i < c->nr_nvdimms; i++)
		if (!c->plugin_shadows[i])
			return false;
	return true;
}

static bool valid(const struct qemu_config *c)
{
	unsigned int i;

	if (!c->qemu || !c->kernel || !c->initrd || !c->append || !c->cpus ||
	    !c->mem_mb || c->nr_nvdimms > QEMU_MAX_NVDIMMS ||
	    (c->accel != ACCEL_KVM && c->accel != ACCEL_TCG))
		return false;
	for (i = 0; i < c->nr_nvdimms; i++) {
		/* QEMU's option parser splits on ','. */
		if (!c->nvdimms[i].path || strchr(c->nvdimms[i].path, ',') ||
		    c->nvdimms[i].size <= c->label_size)
			return false;
	}
	if ((c->console_pipe && strchr(c->console_pipe, ',')) ||
	    (c->result_pipe && strchr(c->result_pipe, ',')) ||
	    (c->qmp_socket && strchr(c->qmp_socket, ',')) ||
	    (c->nodax_disk && strchr(c->nodax_disk, ',')) ||
	    (c->host_share && strchr(c->host_share, ',')) ||
	    (c->ram_path && strchr(c->ram_path, ',')) ||
	    (c->incoming && (!c->ram_path || c->ram_shared || !c->qmp_socket)) ||
	    (c->virtio_pmem.path && (strchr(c->virtio_pmem.path, ',') ||
				     !c->virtio_pmem.size)))
		return false;
	return valid_plugin(c);
}

int qemu_cmd_build(const struct qemu_config *c, struct strv *out)
{
	if (!valid(c))
		return -1;
	strv_add(out, c->qemu);
	add_machine(c, out);
	add_ram(c, out);
	add_nvdimms(c, out);
	add_virtio_pmem(c, out);
	add_nodax_disk(c, out);
	add_host_share(c, out);
	add_boot(c, out);
	add_chardevs(c, out);
	add_incoming(c, out);
	add_plugin(c, out);
	return out->err ? -1 : 0;
}
