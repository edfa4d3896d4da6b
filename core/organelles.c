/* The organelle tables; see organelles.h. */
#include <stddef.h>
#include <stdint.h>

#include "byteorder.h"
#include "cellos/vm_abi.h"
#include "crypto.h"
#include "organelles.h"

struct organelles org;

void
org_init(const struct phenotype *p)
{
	org = (struct organelles){ 0 };
	org.num_genes = p->num_genes;
	for (uint32_t i = 0; i < p->num_genes; i++) {
		org.mito[i].gene_id = p->genes[i].gene_id;
		org.mito[i].cpu_budget = p->genes[i].cpu_budget;
		org.mito[i].io_budget = p->genes[i].io_budget;
		org.mito[i].mem_budget = p->genes[i].mem_budget;
	}
}

const struct mito_entry *
org_mito(uint32_t slot)
{
	return &org.mito[slot];
}

const struct lyso_entry *
org_lyso(uint32_t slot)
{
	return &org.lyso[slot];
}

void
org_count_quantum(uint32_t slot)
{
	org.mito[slot].quanta++;
}

void
org_reclaimed(uint32_t slot)
{
	org.lyso[slot].reclaimed = 1;
}

void
org_new_epoch(void)
{
	for (uint32_t i = 0; i < org.num_genes; i++) {
		org.mito[i].cpu_epoch = 0;
		org.mito[i].io_epoch = 0;
	}
}

enum lyso_reason
org_charge_cpu(uint32_t slot, uint32_t units)
{
	struct mito_entry *m = &org.mito[slot];

	m->cpu_epoch += units;
	m->cpu_total += units;
	return m->cpu_epoch > m->cpu_budget ? LYSO_CPU : LYSO_ALIVE;
}

enum lyso_reason
org_charge_io(uint32_t slot, uint32_t bytes)
{
	struct mito_entry *m = &org.mito[slot];

	m->io_epoch += bytes;
	m->io_total += bytes;
	return m->io_epoch > m->io_budget ? LYSO_IO : LYSO_ALIVE;
}

enum lyso_reason
org_charge_gas(uint32_t slot, uint32_t gas, int out_of_gas)
{
	struct mito_entry *m = &org.mito[slot];

	m->gas_total += gas;
	if (!out_of_gas)
		return LYSO_ALIVE;
	m->gas_outs++;
	return org_charge_cpu(slot, VM_GAS_OUT_CPU);
}

enum lyso_reason
org_charge_mem(uint32_t slot, int32_t bytes)
{
	struct mito_entry *m = &org.mito[slot];

	if (bytes < 0) {
		uint32_t give = (uint32_t) - (int64_t)bytes;
		m->mem_held -= give < m->mem_held ? give : m->mem_held;
		return LYSO_ALIVE;
	}
	/* An allocation past the budget is refused, not recorded. */
	if ((uint64_t)m->mem_held + (uint32_t)bytes > m->mem_budget)
		return LYSO_MEM;
	m->mem_held += (uint32_t)bytes;
	if (m->mem_held > m->mem_peak)
		m->mem_peak = m->mem_held;
	return LYSO_ALIVE;
}

void
org_golgi_count(uint32_t from, uint32_t to, uint32_t column)
{
	if (from < CHANNELS_MAX && to < CHANNELS_MAX && column < GOLGI_COLUMNS)
		org.golgi[from][to][column]++;
}

void
org_kill(uint32_t slot, enum lyso_reason reason, uint32_t quantum)
{
	if (slot >= org.num_genes || org.lyso[slot].reason != LYSO_ALIVE)
		return;
	org.lyso[slot].reason = reason;
	org.lyso[slot].quantum = quantum;
}

int
org_dead(uint32_t slot)
{
	return slot >= org.num_genes || org.lyso[slot].reason != LYSO_ALIVE;
}

const char *
org_reason_name(uint32_t reason)
{
	static const char *const names[] = {
		"alive",
		"route",
		"cpu",
		"io",
		"mem",
		"fault",
		"rejected",
	};

	return reason < sizeof names / sizeof names[0] ? names[reason] : "?";
}

size_t
org_peroxi_sanitize(const uint8_t *text, size_t len, char out[PEROXI_LINE_MAX])
{
	size_t n = len < PEROXI_LINE_MAX ? len : PEROXI_LINE_MAX;

	for (size_t i = 0; i < n; i++) {
		uint8_t c = text[i];
		if (c < 0x20 || c > 0x7E) {
			out[i] = '?';
			org.peroxi_replaced++;
		} else {
			out[i] = (char)c;
		}
	}
	if (len > PEROXI_LINE_MAX) {
		out[PEROXI_LINE_MAX - 1] = '~';
		org.peroxi_cut++;
	}
	org.peroxi_lines++;
	return n;
}

uint32_t
org_mito_hash(void)
{
	struct sha256_ctx h;
	uint8_t rec[13 * 4];

	sha256_init(&h);
	for (uint32_t i = 0; i < org.num_genes; i++) {
		const struct mito_entry *m = &org.mito[i];
		const uint32_t fields[13] = {
			m->gene_id,
			m->cpu_budget,
			m->io_budget,
			m->mem_budget,
			m->cpu_epoch,
			m->io_epoch,
			m->cpu_total,
			m->io_total,
			m->mem_held,
			m->mem_peak,
			m->quanta,
			m->gas_total,
			m->gas_outs,
		};
		for (unsigned f = 0; f < 13; f++)
			le32_store(rec + 4 * f, fields[f]);
		sha256_update(&h, rec, sizeof rec);
	}
	return sha256_final_le32(&h);
}

uint32_t
org_golgi_hash(uint32_t num_channels)
{
	struct sha256_ctx h;
	uint8_t word[4];

	sha256_init(&h);
	for (uint32_t from = 0; from < num_channels; from++) {
		for (uint32_t to = 0; to < num_channels; to++) {
			for (uint32_t c = 0; c < GOLGI_COLUMNS; c++) {
				le32_store(word, org.golgi[from][to][c]);
				sha256_update(&h, word, 4);
			}
		}
	}
	for (uint32_t i = 0; i < org.num_genes; i++) {
		const uint32_t fields[4] = {
			org.mito[i].gene_id,
			org.lyso[i].reason,
			org.lyso[i].quantum,
			org.lyso[i].reclaimed,
		};
		for (unsigned f = 0; f < 4; f++) {
			le32_store(word, fields[f]);
			sha256_update(&h, word, 4);
		}
	}
	return sha256_final_le32(&h);
}
