/*
 * Every capacity of the kernel in one place (xv6 param.h). Tables are fixed
 * arrays sized here; there is no heap in the kernel.
 */
#ifndef CELLOS_CONFIG_H
#define CELLOS_CONFIG_H

/* Phenotype and channel graph */
#define CHANNELS_MAX		16	/* channels in a phenotype */
#define QUEUE_DEPTH_MAX		16	/* messages queued on one channel */
#define QUEUE_DEPTH_DEFAULT	8
#define MSG_PAYLOAD_MAX		64	/* bytes of payload a queued message keeps */
#define MSG_POOL		64	/* queued messages, all channels together */
#define PBIN_SIZE_MAX		4096	/* largest phenotype binary accepted */
#define DEVICES_MAX		8

/* Genes and scheduler */
#define GENES_MAX		8
#define GENE_ID_MAX		255
#define GENE_MEM_MAX		4096	/* bytes one gene may hold */
#define SCHED_QUANTA_MAX	4096	/* longest E5 run */

/* Peroxisome */
#define PEROXI_LINE_MAX		96	/* longest text line a gene may print */

/* IRQ bridge */
#define IRQB_SOURCES_MAX	8	/* event sources */
#define IRQB_RING		32	/* events waiting for the consumer */

/* Trust */
#define TRUST_KEYS		4	/* root keys; the active id is 0..TRUST_KEYS-1 */
#define TRUST_MAC_KEY_SIZE	32

#endif
