/*
 * Every capacity of the kernel in one place (xv6 param.h). Tables are fixed
 * arrays sized here; there is no heap in the kernel.
 */
#ifndef CELLOS_CONFIG_H
#define CELLOS_CONFIG_H

/* Phenotype and channel graph */
#define CHANNELS_MAX		16	/* channels in a phenotype */
#define QUEUE_DEPTH_MAX		32	/* parcels queued on one channel */
#define QUEUE_DEPTH_DEFAULT	8
#define QUEUE_PAYLOAD_MAX	128	/* bytes of payload a queued parcel keeps */
#define PBIN_SIZE_MAX		4096	/* largest phenotype binary accepted */
#define DEVICES_MAX		8

/* Genes and scheduler */
#define GENES_MAX		8
#define GENE_ID_MAX		255
#define GENE_MEM_MAX		4096	/* bytes one gene may hold */
#define SCHED_QUANTA_MAX	4096	/* longest E5 run */

/* Peroxisome */
#define PEROXI_LINE_MAX		96	/* longest text line a gene may print */

#endif
