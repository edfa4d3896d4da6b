/* The native genes. Each is one step function run for a quantum at a time. */
#ifndef CELLOS_GENES_H
#define CELLOS_GENES_H

#include "cellos/errors.h"
#include "gene.h"

/* Channel ids the organelle genes address, by role (phenotypes name them). */
#define CHANNEL_CONSOLE 0u

/*
 * Format a text line and send it toward the console (channel 0) along the
 * graph: to the console when the gene's home has that edge, else to the next
 * hop, where the Golgi gene forwards it. Returns gene_send's result, or
 * -CELL_E_ROUTE when the console cannot be reached from the home channel.
 */
int gene_log(struct gene_ctx *ctx, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

void mito_energy_step(struct gene_ctx *ctx);
void golgi_route_step(struct gene_ctx *ctx);
void lyso_cleanup_step(struct gene_ctx *ctx);
void peroxi_sanitize_step(struct gene_ctx *ctx);
void testgene_step(struct gene_ctx *ctx);

#endif
