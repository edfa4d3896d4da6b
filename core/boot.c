/*
 * The boot flow, identical on every target after the arch entry: print what
 * the machine is (E0, E1), then walk the proof chain. Each step checks its
 * own result; the first failure ends the boot with a non-zero status.
 */
#include <stddef.h>
#include <stdint.h>

#include "blk.h"
#include "cell.h"
#include "config.h"
#include "disk.h"
#include "hal.h"
#include "irq_bridge.h"
#include "kprint.h"
#include "kv.h"
#include "log_ring.h"
#include "obs.h"
#include "pheno.h"
#include "proof.h"
#include "proofs.h"
#include "scheduler.h"
#include "substrate.h"
#include "trust.h"
#include "update.h"
#include "vm_host.h"

static struct phenotype phenotype;

void (*cell_step_hook)(const char *step);

/* A boot step begins: mark it in the OBS stream and tell the hook. */
static void
step(const char *name, const char *mark)
{
	if (cell_step_hook != NULL)
		cell_step_hook(name);
	if (mark != NULL)
		obs_mark(mark);
}

void
cell_reset(void)
{
	log_reset();
	proof_reset();
	trust_reset();
	irqb_reset();
	obs_reset();
	update_reset();
	vmhost_attach_kv(NULL);
}

/*
 * Load the machine's phenotype; refuse it (with the reason on the console)
 * when it is malformed or built for another machine, and fall back to the
 * built-in minimal one. Returns the phenotype to boot.
 */
static const struct phenotype *
load_phenotype(void)
{
	struct pheno_error err = { 0 };
	const uint8_t *bytes;
	size_t len = 0;
	int rc;

	bytes = hal_phenotype(&len);
	if (bytes == NULL) {
		kprintf("#W phenotype: none given; booting the built-in minimal "
		    "phenotype\n");
	} else if ((rc = pheno_parse(bytes, len, &phenotype, &err)) < 0) {
		kprintf("#W phenotype refused: offset %u, %s: %s (%s); booting "
		    "the built-in minimal phenotype\n", err.offset, err.field,
		    err.detail, cell_strerror(rc));
	} else if (phenotype.arch_id != hal_pbin_arch()) {
		kprintf("#W phenotype refused: built for arch %u, this machine "
		    "takes arch %u; booting the built-in minimal phenotype\n",
		    phenotype.arch_id, hal_pbin_arch());
	} else {
		kprintf("#I phenotype %s v%u.%u: %u channels, %u genes, "
		    "%u devices\n", phenotype.name, phenotype.ver_major,
		    phenotype.ver_minor, phenotype.num_channels,
		    phenotype.num_genes, phenotype.num_devices);
		return &phenotype;
	}
	bytes = pheno_builtin(&len);
	if (pheno_parse(bytes, len, &phenotype, &err) < 0)
		hal_panic("the built-in phenotype does not load");
	kprintf("#I phenotype %s (built in): %u channel, %u gene\n",
	    phenotype.name, phenotype.num_channels, phenotype.num_genes);
	return &phenotype;
}

/*
 * The persistent store's part of the boot: count boots on this disk and
 * show what the previous boot stored (the two-boot test reads this line).
 */
static void
kv_boot(void)
{
#if CFG_ENABLE_ORG_PKV
	static struct kv_store kv;
	static struct disk disk;
	const struct blkdev *dev = blk_hal();
	int rc;

	if (dev->blocks == 0) {
		kprintf("#I kv: no disk on this machine; nothing persists\n");
		return;
	}
	if ((rc = disk_open(&disk, dev)) < 0 ||
	    (rc = kv_open(&kv, dev, disk.kv)) < 0 ||
	    (rc = kv_boot_report(&kv)) < 0)
		kprintf("#W kv: %s\n", cell_strerror(rc));
#endif
}

int
cell_boot(const handoff_t *h)
{
	const struct phenotype *p;

	step("E0", NULL);
	cell_reset();
	substrate_print_e0(h);
	substrate_print_e1(h);
	step("E2", "E2 parcels");
	if (proof_e2_parcels() < 0)
		return 1;
	step("E4", NULL);
	p = load_phenotype();
	obs_sys(OBS_SYS_PHENOTYPE, p->num_channels, p->num_genes);
	step("E3", "E3 graph");
	if (proof_e3_graph(p) < 0)
		return 1;
	step("E5", "E5 organelles");
	if (proof_e5_sched(p) < 0)
		return 1;
	step("E6", "E6 events");
	if (proof_e6_events() < 0)
		return 1;
	step("E7", "E7 update");
	if (proof_e7_update() < 0)
		return 1;
	step("kv", NULL);
	kv_boot();
	step("E8", "E8 index");
	if (proof_e8_obs(sched_quanta(), proof_value(PROOF_E6, 0)) < 0)
		return 1;
	step("E9", NULL);
	if (proof_e9_trust() < 0)
		return 1;
	step("E10", NULL);
	if (proof_e10_release() < 0)
		return 1;
	kprintf("FULL PROOF SUCCESS\n");
	step("end", NULL);
	return 0;
}

void
cell_main(const handoff_t *h)
{
	hal_exit(cell_boot(h));
}
