#!/usr/bin/env python3
"""make-patches.py -- write tests/mutations/NN-NAME.patch from the table below: each is
one line of one file replaced (the text must occur exactly once), with the header
run.sh reads. Rerun after moving code, so the patches apply to the tree again."""
import difflib, os, sys
import pathlib
top=str(pathlib.Path(__file__).resolve().parents[2])
M=[
# (name, file, old, new, boots, expect, what)
("e2-parcel-flags", "wire/parcel_codec.c", None, None, "hosted", "E2", "the parcel encoder stores the flags in the verb field"),
("e3-qos-refill", "core/qos.c", "c->refill_per_tick < room ? c->refill_per_tick : room;", "c->refill_per_tick <= room ? c->refill_per_tick + 1 : room;", "hosted", "E3", "a QoS bucket refills one token too many"),
("e3-qos-depth", "core/qos.c", "if (c->queued >= c->depth)", "if (c->queued > c->depth)", "hosted", "E3", "a queue takes one message past its depth"),
("e3-graph-load", "core/cgraph.c", "for (uint32_t i = 0; i < sizeof cg.adjacency; i++)", "for (uint32_t i = 1; i < sizeof cg.adjacency; i++)", "hosted", "E3", "the channel graph loses the first byte of its adjacency"),
("e4-pheno-bucket", "core/pheno.c", "		pbin_qos_decode(r->buf + at, &q);", "		pbin_qos_decode(r->buf + at, &q); q.bucket = q.bucket_max;", "arm64", "E3", "the loader reads a channel's bucket from bucket_max"),
("e5-sched-skip", "core/scheduler.c", "		s.next = (s.next + 1) % s.num_genes;\n		s.quantum++;", "		s.next = (s.next + 2) % s.num_genes;\n		s.quantum++;", "hosted", "E5", "round robin skips a gene"),
("e5-mito-budget", "core/organelles.c", None, None, "hosted", "E5", "the mitochondria let a gene hold memory past its budget"),
("vm-add64", "core/vm_interp.c", "ALU64(ADD64_X, DST + SRC)", "ALU64(ADD64_X, DST - SRC)", "x86", "E2 self-test VM", "the VM's 64-bit register add subtracts"),
("vm-smod32", "core/vm_interp.c", "ALU32(SMOD32_K, smod32((uint32_t)DST, (uint32_t)IMM))", "ALU32(SMOD32_K, smod32((uint32_t)IMM, (uint32_t)DST))", "hosted", "E2 self-test VM", "the VM's 32-bit signed modulo by a constant swaps its operands"),
("vm-block-cost", "core/vm_verify.c", "		if (pool[pc].op == VM_OP_LDDW)\n			pc++;", "		if (pool[pc].op == VM_OP_LDDW)\n			pc += 0;", "hosted", "E5", "the decoder charges an lddw's second slot as an instruction"),
("vm-helper-gas", "core/vm_helpers.c", "		[VM_HELPER_SEND] = VM_GAS_SEND,", "		[VM_HELPER_SEND] = VM_GAS_SEND + 1,", "arm64", "E5", "a gene's send helper costs one gas too many"),
("e6-debounce", "core/irq_bridge.c", "if (s->cfg.debounce_ticks != 0 && s->accepted_any &&", "if (s->cfg.debounce_ticks == 0 && s->accepted_any &&", "hosted", "E6", "the IRQ bridge skips its debounce"),
("e6-bucket-refill", "core/irq_bridge.c", "		uint32_t room = s->cfg.bucket_max - s->tokens;", "		uint32_t room = s->cfg.bucket_max + 1 - s->tokens;", "arm64", "E6", "an IRQ source's bucket refills past its maximum"),
("e6-event-pack", "wire/event_codec.c", "	le32_store(out + EVENT_OFF_SRC, e->src);", "	le32_store(out + EVENT_OFF_SRC, e->kind);", "hosted", "E6", "an event frame carries its kind where its source belongs"),
("e6-x86-wait-no-irq", "arch/bios-x86_64/hal_irq.c", '	__asm__ volatile("sti; hlt; cli" : : : "memory");', '	run_handler(HAL_IRQ_TIMER);', "x86", "E6", "x86 hal_wait_irq calls the timer handler instead of waiting for the interrupt"),
("e6-arm64-handler-twice", "arch/virt-arm64/hal_irq.c", "		ticks++;\n		run_handler(HAL_IRQ_TIMER);", "		ticks++;\n		run_handler(HAL_IRQ_TIMER), run_handler(HAL_IRQ_TIMER);", "arm64", "E6", "arm64 runs each timer interrupt's handler twice"),
("e6-hosted-made-up-tick", "arch/hosted/hal_irq.c", "		(void)raise_line(HAL_IRQ_TIMER);\n	}\n	if (anything_pending()) {", "		atomic_fetch_add(&pending[HAL_IRQ_TIMER], 1);\n	}\n	if (anything_pending()) {", "hosted", "E6", "hosted virtual time makes a tick up instead of raising SIGALRM"),
("e7-rollback", "core/update.c", "	if (version <= u->st.floor)", "	if (version < u->st.floor)", "hosted", "E7", "the updater lets the confirmed version be installed again"),
("e7-hosted-read", "arch/hosted/hal_blk.c", "		return file_io(0, lba, buf, count);", "		return file_io(0, lba + 1, buf, count);", "hosted-file", "E7", "the hosted file disk reads the block after the one asked for"),
("e7-virtio-read", "arch/virt-arm64/hal_blk.c", "		rc = request(write ? REQ_OUT : REQ_IN, lba, bytes, !write);", "		rc = request(write ? REQ_OUT : REQ_IN, lba + !write, bytes, !write);", "arm64", "E7", "virtio-blk reads the sector after the one asked for"),
("e7-ahci-read", "arch/bios-x86_64/ahci.c", "		return run(ATA_READ_DMA_EXT, lba, n, 0, n * HAL_BLOCK_SIZE);", "		return run(ATA_READ_DMA_EXT, lba + 1, n, 0, n * HAL_BLOCK_SIZE);", "x86-q35", "E7", "AHCI reads the sector after the one asked for"),
("e7-ata-dma-write", "arch/bios-x86_64/bounce.c", "			copy(bounce, p, bytes);", "			copy(bounce, p, HAL_BLOCK_SIZE);", "x86", "E7", "a DMA write through the bounce buffer (bus-master IDE on pc, AHCI) takes only a transfer's first sector from the caller, the rest from stale bounce bytes"),
("e8-obs-seq", "core/obs_emit.c", "	ix.seq++;", "	ix.seq += ix.seq == 100;", "hosted", "E8", "OBS record numbers stop advancing"),
("e9-kdf-label", "core/trust.c", "	uint8_t mac_info[14] = { 'p', 'a', 'r', 'c', 'e', 'l', ' ', 'm', 'a',\n		'c' };", "	uint8_t mac_info[14] = { 'p', 'a', 'r', 'c', 'e', 'l', ' ', 'm', 'a',\n		'k' };", "x86", "E2", "the MAC key is derived with a wrong KDF label"),
("e9-key-version", "core/proof_trust.c", "	trust_use_key(keyset_active(&before)->id, before.statement_version);", "	trust_use_key(keyset_active(&before)->id, 0);", "hosted", "E9", "a key rotation does not advance the key version"),
("e10-tag", "core/proof.c", "	for (unsigned l = PROOF_E2; l < PROOF_E10; l++) {", "	for (unsigned l = PROOF_E3; l < PROOF_E10; l++) {", "hosted", "E10", "the release tag leaves E2 out"),
("sha256-k", "wire/crypto.c", "0x428a2f98u, 0x71374491u, 0xb5c0fbcfu, 0xe9b5dba5u, 0x3956c25bu,", "0x428a2f98u, 0x71374491u, 0xb5c0fbcfu, 0xe9b5dba5u, 0x3956c25cu,", "arm64", "E2 self-test SHA-256", "one SHA-256 round constant is off by one"),
("hmac-opad", "wire/crypto.c", "		pad[i] = k[i] ^ 0x5c;", "		pad[i] = k[i] ^ 0x5d;", "hosted", "E2 self-test HMAC-SHA-256", "HMAC's outer pad is wrong"),
("crc32c-table", "wire/crypto.c", "	0x82F63B78u, 0x709DB87Bu, 0x63CD4B8Fu, 0x91A6C88Cu,", "	0x82F63B78u, 0x709DB87Bu, 0x63CD4B8Fu, 0x91A6C88Du,", "hosted", "E2 self-test CRC32C", "one CRC32C table entry is wrong"),
("e7-ata-pio-write", "arch/bios-x86_64/ata_pio.c", "			buf += HAL_BLOCK_SIZE;", "			buf += write ? 0 : HAL_BLOCK_SIZE;", "x86-isapc", "E7", "ATA PIO (the PC board without a PCI bus master) writes every sector of a transfer to the first one's place"),
]
fix={
"e2-parcel-flags": ("wire/parcel_codec.c","	le32_store(out + PARCEL_OFF_FLAGS, flags);","	le32_store(out + PARCEL_OFF_FLAGS, flags & ~PARCEL_F_MAC);"),
"e5-mito-budget": ("core/organelles.c","	if ((uint64_t)m->mem_held + (uint32_t)bytes > m->mem_budget)","	if ((uint64_t)m->mem_held + (uint32_t)bytes > m->mem_budget + 128u)"),
}
out=os.path.join(top,'tests/mutations')
for f in os.listdir(out):
    if f.endswith('.patch'): os.remove(os.path.join(out,f))
for i,(name,path,old,new,boots,expect,what) in enumerate(M,1):
    if old is None:
        path,old,new=fix[name]
    src=open(os.path.join(top,path)).read()
    n=src.count(old)
    if n!=1:
        print("NOT UNIQUE", name, n); sys.exit(1)
    dst=src.replace(old,new)
    a=src.splitlines(keepends=True); b=dst.splitlines(keepends=True)
    diff=''.join(difflib.unified_diff(a,b,'a/'+path,'b/'+path,n=3))
    hdr=f"Mutation: {what}\nBoots: {boots}\nExpect: PROOF FAILURE: {expect}\n\n"
    open(os.path.join(out,f"{i:02d}-{name}.patch"),'w').write(hdr+"diff --git a/%s b/%s\n"%(path,path)+diff)
print(len(M),"patches")
