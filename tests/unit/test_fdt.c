/*
 * The arm64 board's FDT reader, on the host: QEMU's own virt device tree
 * (dumped by the ctest fixture) must give the RAM, UART, GICv2, timer and
 * virtio devices QEMU documents; truncated or corrupted copies must be
 * refused or read without ever touching a byte outside the blob (the ASan
 * build checks the latter).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "cellos/errors.h"
#include "fdt.h"

static uint8_t *dtb;
static size_t dtb_len;
static const char *dtb_path;

static uint32_t
be32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
	    (uint32_t)p[2] << 8 | p[3];
}

static int
load(void **state)
{
	FILE *f = fopen(dtb_path, "rb");

	(void)state;
	if (f == NULL)
		return -1;
	fseek(f, 0, SEEK_END);
	dtb_len = (size_t)ftell(f);
	fseek(f, 0, SEEK_SET);
	dtb = malloc(dtb_len);
	if (fread(dtb, 1, dtb_len, f) != dtb_len)
		return -1;
	fclose(f);
	return 0;
}

static void
test_qemu_virt_tree(void **state)
{
	struct fdt_info info;
	const char *why;

	(void)state;
	assert_int_equal(fdt_read(dtb, dtb_len, &info, &why), 0);
	assert_true(info.valid);
	assert_true(info.virt_board);
	assert_int_equal(info.mem_count, 1);
	assert_int_equal(info.mem_base[0], 0x40000000);
	assert_int_equal(info.mem_size[0], 128u << 20);
	assert_int_equal(info.uart_base, 0x09000000);
	assert_int_equal(info.gic_version, 2);
	assert_int_equal(info.gic_dist, 0x08000000);
	assert_int_equal(info.gic_cpu, 0x08010000);
	assert_true(info.timer);
	/* QEMU's virt board has 32 virtio-mmio transports at 0x0A000000, 0x200 apart. */
	assert_int_equal(info.virtio_count, 32);
	uint64_t lowest = ~0ull;
	for (unsigned i = 0; i < info.virtio_count; i++) {
		if (info.virtio_base[i] < lowest)
			lowest = info.virtio_base[i];
		assert_true(
		    info.virtio_irq[i] >= 16 && info.virtio_irq[i] < 48);
	}
	assert_int_equal(lowest, 0x0A000000);
}

static void
test_truncated_and_bad_headers(void **state)
{
	struct fdt_info info;
	const char *why;
	uint8_t *copy = malloc(dtb_len);

	(void)state;
	memcpy(copy, dtb, dtb_len);
	assert_int_equal(fdt_read(NULL, 100, &info, &why), -CELL_E_INVAL);
	assert_int_equal(fdt_read(copy, 39, &info, &why), -CELL_E_INVAL);
	/* A blob cut short of its totalsize. */
	assert_int_equal(fdt_read(copy, dtb_len - 1, &info, &why),
	    -CELL_E_LENGTH);
	copy[0] ^= 1;
	assert_int_equal(fdt_read(copy, dtb_len, &info, &why), -CELL_E_MAGIC);
	assert_false(info.valid);
	copy[0] ^= 1;
	copy[23] = 16; /* version 16 */
	assert_int_equal(fdt_read(copy, dtb_len, &info, &why), -CELL_E_VERSION);
	free(copy);
}

/* Flip bytes all over the header, structure and strings blocks: the reader
 * either refuses the blob or reads it, and never strays outside it. */
static void
test_corruption_never_escapes(void **state)
{
	uint32_t end = be32(dtb + 12) + be32(dtb + 32); /* strings end */
	uint8_t *copy;
	struct fdt_info info;
	const char *why;
	unsigned refused = 0, read = 0;

	(void)state;
	if (end > dtb_len)
		end = (uint32_t)dtb_len;
	/* Exactly `end` bytes, with totalsize saying so, so that the sanitizer
	 * sees any read past the blob. */
	copy = malloc(end);
	srand(1234);
	for (uint32_t pos = 0; pos < end; pos += 1 + (uint32_t)(rand() % 3)) {
		memcpy(copy, dtb, end);
		copy[4] = (uint8_t)(end >> 24);
		copy[5] = (uint8_t)(end >> 16);
		copy[6] = (uint8_t)(end >> 8);
		copy[7] = (uint8_t)end;
		copy[pos] ^= (uint8_t)(1u << (rand() % 8));
		if (rand() % 4 == 0)
			copy[pos] = 0xFF;
		/* Only `end` bytes are valid memory for this read. */
		int rc = fdt_read(copy, end, &info, &why);
		if (rc < 0)
			refused++;
		else
			read++;
	}
	print_message("corrupted copies: %u refused, %u read\n", refused, read);
	assert_true(refused > 0 && read > 0);
	free(copy);
}

int
main(int argc, char **argv)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_qemu_virt_tree),
		cmocka_unit_test(test_truncated_and_bad_headers),
		cmocka_unit_test(test_corruption_never_escapes),
	};

	if (argc != 2) {
		fprintf(stderr, "usage: test_fdt QEMU-VIRT.dtb\n");
		return 2;
	}
	dtb_path = argv[1];
	return cmocka_run_group_tests(tests, load, NULL);
}
