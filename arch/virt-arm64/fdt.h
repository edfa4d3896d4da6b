/*
 * A small, defensive flattened-device-tree reader: every offset, length and
 * string is checked against the blob before it is used. It collects what
 * the virt board's kernel needs and nothing else.
 */
#ifndef CELLOS_ARM64_FDT_H
#define CELLOS_ARM64_FDT_H

#include <stddef.h>
#include <stdint.h>

#define FDT_MEM_MAX    4
#define FDT_VIRTIO_MAX 32

struct fdt_info {
	int valid;      /* the blob passed every check */
	int virt_board; /* root compatible has "linux,dummy-virt" */
	unsigned mem_count;
	uint64_t mem_base[FDT_MEM_MAX], mem_size[FDT_MEM_MAX];
	uint64_t uart_base;         /* 0: no "arm,pl011" */
	int gic_version;            /* 2, 3, or 0 when none */
	uint64_t gic_dist, gic_cpu; /* GICv2 distributor, CPU interface */
	int timer;                  /* an "arm,armv8-timer" node exists */
	unsigned virtio_count;
	uint64_t virtio_base[FDT_VIRTIO_MAX];
	uint32_t virtio_irq[FDT_VIRTIO_MAX]; /* SPI number */
};

/*
 * Read the blob at dtb (at most max_size bytes are trusted to be readable).
 * Returns 0 and fills *out, or a negative CELL_E_* code with *why set to a
 * short reason; *out then holds whatever was found before the problem.
 */
int fdt_read(const void *dtb, size_t max_size, struct fdt_info *out,
    const char **why);

#endif
