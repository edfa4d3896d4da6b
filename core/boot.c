/*
 * The boot flow, identical on every target after the arch entry. It shows
 * when each part of the kernel comes into existence: the machine is
 * described (E0, E1) and refused if the kernel cannot drive it; the crypto
 * and the VM pass their known-answer tests; then the boot loads the
 * phenotype, builds the channel graph, the organelle tables and the
 * scheduler from it, opens the disk once, and hands each to the proof step
 * that exercises it. A step that fails its checks ends the boot; a
 * fallback (refused phenotype, rejected gene, missing or damaged storage)
 * is reported, the boot carries on with the safe choice, and the verdict
 * says failure (proof.h).
 */
#include <stddef.h>
#include <stdint.h>

#include "blk.h"
#include "cell.h"
#include "cellos/errors.h"
#include "cellos/exit.h"
#include "cellos_root_key.h"
#include "cgraph.h"
#include "config.h"
#include "crypto.h"
#include "disk.h"
#include "hal.h"
#include "inbox.h"
#include "irq_bridge.h"
#include "keystore.h"
#include "kprint.h"
#include "kv.h"
#include "log_ring.h"
#include "obs_emit.h"
#include "organelles.h"
#include "pheno.h"
#include "proof.h"
#include "proof_steps.h"
#include "scheduler.h"
#include "substrate.h"
#include "test_secret_sha256.h"
#include "trust.h"
#include "update.h"
#include "vm_host.h"

/* What the boot builds, in the order it builds it. */
static struct {
	struct phenotype phenotype;
	uint32_t marks; /* OBS marks emitted, for E8 */
	struct disk disk;
	const struct blkdev *storage; /* E7's device: the disk, or RAM */
	struct proof_media media;     /* E7 and E9's scratch area and inbox */
	struct region scratch;
	int disk_usable; /* the KV store may use disk */
	struct kv_store kv;
	struct keystore keys; /* the device's trusted key set */
	int keys_usable;
	struct updater genome; /* the device's own strands */
	int genome_usable;
} boot;

void (*cell_step_hook)(const char *step);
const uint8_t *cell_machine_secret;

static const uint8_t root_pubkey[32] = CELLOS_ROOT_PUBKEY;
static const uint8_t test_secret_sha256[32] = CELLOS_TEST_SECRET_SHA256;

/*
 * Take secret; one that is not the TEST secret (by its SHA-256) is this
 * device's own, for which the ledger has no values.
 */
static void
use_secret(const uint8_t *secret)
{
	uint8_t sha[32];

	trust_set_secret(secret);
	sha256(secret, DISK_SECRET_SIZE, sha);
	if (!ct_equal(sha, test_secret_sha256, sizeof sha)) {
		kprintf(
		    "#I secret: this device's own, not the TEST secret: the "
		    "proof values are shown, not compared with the ledger\n");
		proof_secret_unlisted();
	}
}

/* A boot step begins: mark it in the OBS stream and tell the hook. */
static void
step(const char *name, const char *mark)
{
	if (cell_step_hook != NULL)
		cell_step_hook(name);
	if (mark != NULL) {
		obs_mark(mark);
		boot.marks++;
	}
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
	boot.marks = 0;
	boot.disk_usable = 0;
	boot.keys_usable = 0;
	boot.genome_usable = 0;
}

/*
 * The phenotype the machine hands over, validated and matched with the
 * ledger by its SHA-256. One that is malformed or built for another machine
 * is refused (a fallback): the built-in minimal one boots instead.
 */
static const struct phenotype *
load_phenotype(void)
{
	struct phenotype *p = &boot.phenotype;
	struct pheno_error err = { 0 };
	const uint8_t *bytes;
	uint8_t sha[32];
	size_t len = 0;
	int rc;

	bytes = hal_phenotype(&len);
	if (bytes == NULL) {
		proof_fallback(4,
		    "phenotype: the machine has none; booting the "
		    "built-in minimal phenotype");
	} else if ((rc = pheno_parse(bytes, len, p, &err)) < 0 ||
	    (rc = pheno_authenticate(bytes, len, p, &err)) < 0) {
		proof_fallback(4,
		    "phenotype refused: offset %u, %s: %s (%s); "
		    "booting the built-in minimal phenotype",
		    err.offset, err.field, err.detail, cell_strerror(rc));
	} else if (p->arch_id != hal_pbin_arch()) {
		proof_fallback(4,
		    "phenotype refused: built for arch %u, this "
		    "machine takes arch %u; booting the built-in minimal "
		    "phenotype",
		    p->arch_id, hal_pbin_arch());
	} else {
		char hex[65];

		/* Its identity: the bytes before a signature (pbin.h). */
		sha256(bytes, p->content_len, sha);
		for (unsigned i = 0; i < 32; i++)
			ksnprintf(hex + 2 * i, 3, "%02X", sha[i]);
		kprintf("#I phenotype %s v%u.%u sha256=%s: %u channels, %u "
			"genes, %u devices\n",
		    p->name, p->ver_major, p->ver_minor, hex, p->num_channels,
		    p->num_genes, p->num_devices);
		proof_expect_phenotype(sha);
		return p;
	}
	bytes = pheno_builtin(&len);
	if (pheno_parse(bytes, len, p, &err) < 0)
		hal_panic("the built-in phenotype does not load");
	sha256(bytes, len, sha);
	proof_expect_phenotype(sha);
	kprintf("#I phenotype %s (built in): %u channel, %u gene\n", p->name,
	    p->num_channels, p->num_genes);
	return p;
}

/*
 * Start the organelles and the scheduler for p (which loads the genes'
 * programs); a program the verifier refuses never runs, and is a fallback.
 */
static void
start_genes(const struct phenotype *p)
{
	struct vmhost_stats vm;

	org_init(p);
	sched_init(p);
	vm = vmhost_stats();
	if (vm.rejected > 0)
		proof_fallback(5,
		    "vm: %u of %u genes' programs were refused by "
		    "the verifier and never run",
		    vm.rejected, p->num_genes);
}

/*
 * Open the machine's block device once, for E7 and the KV store. With no
 * usable disk (none, too small, not ours, unreadable), E7 runs in RAM and
 * nothing persists; a damaged superblock is rebuilt from its copy. Both
 * are fallbacks: the proof is about the machine's own storage.
 */
static void
open_storage(void)
{
	static uint8_t
	    ram[(UPDATE_AREA_BLOCKS + KEYSTORE_BLOCKS) * HAL_BLOCK_SIZE];
	static struct blkdev ramdev;
	const struct blkdev *hal = blk_hal();
	struct disk *d = &boot.disk;
	int rc;

	if (hal->blocks == 0) {
		proof_fallback(7,
		    "disk: none on this machine; E7 runs in RAM "
		    "and nothing persists");
	} else if ((rc = disk_open(d, hal)) == -CELL_E_NOSPACE) {
		proof_fallback(7,
		    "disk: %llu blocks, the cell_os layout needs "
		    "%llu; E7 runs in RAM and nothing persists",
		    (unsigned long long)hal->blocks,
		    (unsigned long long)disk_blocks_needed());
	} else if (rc == -CELL_E_MAGIC) {
		proof_fallback(7,
		    "disk: blocks 0 and %u hold neither a cell_os "
		    "superblock nor zeros: not a cell_os disk, left as it is; "
		    "E7 runs in RAM and nothing persists",
		    DISK_BACKUP_LBA);
	} else if (rc < 0) {
		proof_fallback(7,
		    "disk: the superblock cannot be read or "
		    "written (%s); E7 runs in RAM and nothing persists",
		    cell_strerror(rc));
	} else {
		if (d->state == DISK_FORMATTED)
			kprintf("#I disk: %llu blocks, blank: formatted for "
				"cell_os\n",
			    (unsigned long long)hal->blocks);
		else if (d->state == DISK_RESIZED)
			kprintf(
			    "#I disk: %llu blocks: superblock rewritten (it "
			    "was written for %llu blocks)\n",
			    (unsigned long long)hal->blocks,
			    (unsigned long long)d->old_blocks);
		else if (d->state == DISK_REPAIRED)
			proof_fallback(7,
			    "disk: superblock in block %llu "
			    "damaged: rewritten from its copy",
			    (unsigned long long)d->damaged_lba);
		boot.storage = hal;
		boot.scratch = d->scratch;
		boot.media = (struct proof_media){ hal, d->scratch, d->inbox };
		boot.disk_usable = 1;
		return;
	}
	blk_ram(&ramdev, ram, sizeof ram / HAL_BLOCK_SIZE);
	boot.storage = &ramdev;
	boot.scratch = (struct region){ 0, sizeof ram / HAL_BLOCK_SIZE };
	boot.media = (struct proof_media){ &ramdev, boot.scratch, { 0, 0 } };
}

/*
 * The device secret every key derives from: handed over by the machine
 * (hosted --secret), or read from the disk's provisioned slot. The image
 * holds none; without one the keys derive from zeros, which proves
 * nothing, so that is a fallback (after the disk's own, when it has none).
 */
static void
load_secret(void)
{
	uint8_t secret[DISK_SECRET_SIZE];
	int rc;

	if (cell_machine_secret != NULL) {
		use_secret(cell_machine_secret);
		return;
	}
	if (!boot.disk_usable) {
		proof_fallback(2,
		    "secret: no device secret: no disk holds its "
		    "slot and the machine hands over none; the keys derive from "
		    "an all-zero secret and prove nothing");
		return;
	}
	rc = disk_read_secret(&boot.disk, secret);
	if (rc == 0)
		use_secret(secret);
	else if (rc == -CELL_E_NOENT)
		proof_fallback(2,
		    "disk: no device secret in block %u: the disk "
		    "was never provisioned (./cellos provision DISK); the keys "
		    "derive from an all-zero secret and prove nothing",
		    DISK_SECRET_LBA);
	else
		proof_fallback(2,
		    "disk: the device secret in block %u does not "
		    "decode (%s); the keys derive from an all-zero secret and "
		    "prove nothing",
		    DISK_SECRET_LBA, cell_strerror(rc));
	crypto_wipe(secret, sizeof secret);
}

/*
 * The device's trusted key set (blocks DISK_KEYSET_LBA, +1): created from
 * the image's root key on a new disk. A key set that does not verify is a
 * fallback, and the boot then accepts no update and no rotation.
 */
static void
open_keys(void)
{
	struct keystore *k = &boot.keys;
	int rc;

	if (!boot.disk_usable || !trust_has_secret())
		return;
	rc = keystore_open(k, boot.storage, DISK_KEYSET_LBA, CELLOS_ROOT_KEY_ID,
	    root_pubkey);
	if (rc < 0) {
		proof_fallback(7,
		    "disk: the key set in blocks %u and %u does not "
		    "verify (%s): no update or rotation is accepted this boot",
		    DISK_KEYSET_LBA, DISK_KEYSET_LBA + 1, cell_strerror(rc));
		return;
	}
	if (k->state == KEYSTORE_CREATED)
		kprintf("#I keys: new device: key set created from the image's "
			"root key (id %u)\n",
		    CELLOS_ROOT_KEY_ID);
	else if (k->state == KEYSTORE_REPAIRED)
		proof_fallback(7,
		    "disk: key set copy in block %llu %s (%s): "
		    "rewritten from the other copy",
		    (unsigned long long)k->damaged_lba,
		    k->damage_rc == -CELL_E_NOENT ? "blank" : "damaged",
		    cell_strerror(k->damage_rc));
	boot.keys_usable = 1;
}

/*
 * The device's update step: the inbox's rotation statement and package,
 * checked against the device's key set, applied to it and to the genome
 * area's strands (inbox_process); a trial left unconfirmed reverts. Only
 * with a verified key set: without one the inbox is left as it is.
 */
static void
device_update(void)
{
	int rc;

	if (!boot.keys_usable)
		return;
	if ((rc = update_open(&boot.genome, boot.storage, boot.disk.genome)) <
		0 ||
	    (rc = inbox_process(boot.storage, boot.disk.inbox, &boot.genome,
		 &boot.keys)) < 0) {
		proof_fallback(7,
		    "disk: the update step failed (%s); the inbox "
		    "is left as it is",
		    cell_strerror(rc));
		return;
	}
	boot.genome_usable = 1;
}

/*
 * The end of a boot whose every proof passed: a genome on trial is
 * confirmed, and only then the security counter raised (inbox_confirm).
 */
static void
confirm_trial(void)
{
	int rc;

	if (!boot.genome_usable || !proof_clean())
		return;
	if ((rc = inbox_confirm(&boot.genome, &boot.keys)) < 0)
		proof_fallback(7,
		    "disk: the trial could not be confirmed (%s); "
		    "it reverts at the next boot",
		    cell_strerror(rc));
}

/*
 * The persistent store's part of the boot: count boots on this disk and
 * show what the previous boot stored (the two-boot test reads this line).
 * A store found damaged, or one that cannot record this boot, is a
 * fallback.
 */
static void
kv_boot(void)
{
#if CFG_ENABLE_ORG_PKV
	struct kv_store *kv = &boot.kv;
	int rc;

	if (!boot.disk_usable) {
		kprintf("#I kv: no disk; nothing persists\n");
		return;
	}
	if ((rc = kv_open(kv, boot.storage, boot.disk.kv)) < 0 ||
	    (rc = kv_boot_report(kv)) < 0)
		proof_fallback(7, "kv: the store cannot record this boot (%s)",
		    cell_strerror(rc));
	else if (kv->damage > 0)
		proof_fallback(7,
		    "kv: the store was found damaged (%u report%s "
		    "above); what it kept was rewritten",
		    kv->damage, kv->damage == 1 ? "" : "s");
#endif
}

/* How many genes the lysosome map shows dead. */
static uint32_t
genes_dead(const struct phenotype *p)
{
	uint32_t n = 0;

	for (uint32_t i = 0; i < p->num_genes; i++)
		n += org_dead(i) != 0;
	return n;
}

int
cell_boot(const handoff_t *h)
{
	const struct phenotype *p;
	const char *why;

	step("E0", NULL);
	cell_reset();
	substrate_print_e0(h);
	substrate_print_e1(h);
	if ((why = hal_machine_unsupported()) != NULL) {
		proof_fail(1, "this machine cannot be driven: %s", why);
		return CELL_EXIT_FAILURE;
	}
	step("selftest", NULL);
	crypto_use_accel(hal_crypto_accel());
	if (selftest_run() < 0)
		return CELL_EXIT_FAILURE;

	open_storage();
	load_secret();
	open_keys();
	device_update();

	step("E2", "E2 parcels");
	if (proof_e2_parcels() < 0)
		return CELL_EXIT_FAILURE;

	step("E4", NULL);
	p = load_phenotype();
	obs_sys(OBS_SYS_PHENOTYPE, p->num_channels, p->num_genes);
	cg_load(p);
	step("E3", "E3 graph");
	if (proof_e3_graph(p) < 0)
		return CELL_EXIT_FAILURE;

	start_genes(p);
	step("E5", "E5 organelles");
	if (proof_e5_sched(p) < 0)
		return CELL_EXIT_FAILURE;

	step("E6", "E6 events");
	if (proof_e6_events() < 0)
		return CELL_EXIT_FAILURE;

	step("E7", "E7 update");
	if (proof_e7_update(&boot.media) < 0)
		return CELL_EXIT_FAILURE;
	step("kv", NULL);
	kv_boot();

	step("E8", "E8 index");
	if (proof_e8_obs(&(const struct e8_expect){ boot.marks, sched_quanta(),
		proof_value(PROOF_E6, 0), genes_dead(p) }) < 0)
		return CELL_EXIT_FAILURE;
	step("E9", NULL);
	if (proof_e9_trust(&boot.media) < 0)
		return CELL_EXIT_FAILURE;
	step("E10", NULL);
	if (proof_e10_release() < 0)
		return CELL_EXIT_FAILURE;
	confirm_trial();
	step("end", NULL);
	return proof_verdict();
}

void
cell_main(const handoff_t *h)
{
	hal_exit(cell_boot(h));
}
