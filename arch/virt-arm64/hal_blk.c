/*
 * virt block storage: a virtio-blk device on one of the virtio-mmio
 * transports the device tree lists (modern, version 2: QEMU needs
 * -global virtio-mmio.force-legacy=false, which tools/qemu/arm64.sh
 * passes). One split virtqueue of QUEUE_SIZE descriptors, one request at a
 * time (header, data, status), polled; data goes through a bounce buffer.
 * The MMU is off, so addresses are physical as they stand.
 */
#include <stdint.h>

#include "arm64.h"
#include "cellos/errors.h"
#include "hal.h"

#define MMIO_MAGIC               0x000
#define MMIO_VERSION             0x004
#define MMIO_DEVICE_ID           0x008
#define MMIO_DEVICE_FEATURES     0x010
#define MMIO_DEVICE_FEATURES_SEL 0x014
#define MMIO_DRIVER_FEATURES     0x020
#define MMIO_DRIVER_FEATURES_SEL 0x024
#define MMIO_QUEUE_SEL           0x030
#define MMIO_QUEUE_NUM_MAX       0x034
#define MMIO_QUEUE_NUM           0x038
#define MMIO_QUEUE_READY         0x044
#define MMIO_QUEUE_NOTIFY        0x050
#define MMIO_INTERRUPT_STATUS    0x060
#define MMIO_INTERRUPT_ACK       0x064
#define MMIO_STATUS              0x070
#define MMIO_QUEUE_DESC_LOW      0x080
#define MMIO_QUEUE_DESC_HIGH     0x084
#define MMIO_QUEUE_DRIVER_LOW    0x090
#define MMIO_QUEUE_DRIVER_HIGH   0x094
#define MMIO_QUEUE_DEVICE_LOW    0x0A0
#define MMIO_QUEUE_DEVICE_HIGH   0x0A4
#define MMIO_CONFIG              0x100

#define VIRTIO_MAGIC   0x74726976u /* "virt" */
#define DEVICE_BLOCK   2
#define ST_ACKNOWLEDGE 1u
#define ST_DRIVER      2u
#define ST_DRIVER_OK   4u
#define ST_FEATURES_OK 8u
#define F_BLK_FLUSH    9 /* in feature word 0 */
#define F_VERSION_1    0 /* bit 32: word 1, bit 0 */

#define REQ_IN       0u
#define REQ_OUT      1u
#define REQ_FLUSH    4u
#define DESC_F_NEXT  1u
#define DESC_F_WRITE 2u

#define QUEUE_SIZE    4
#define BOUNCE_BLOCKS 64
/*
 * How long one request may take before it is an I/O error. QEMU completes
 * virtio-blk requests in its own I/O thread, and a flush is the host's
 * fdatasync: on a loaded host that took longer than the 50 million polls
 * (about 0.2 s under TCG) this driver used to allow, and a proof boot
 * failed its superblock write. So the limit is time, read from the generic
 * timer's counter, not a poll count.
 */
#define REQUEST_TIMEOUT_S 30u

struct desc {
	uint64_t addr;
	uint32_t len;
	uint16_t flags;
	uint16_t next;
};

struct avail {
	uint16_t flags;
	uint16_t idx;
	uint16_t ring[QUEUE_SIZE];
	uint16_t used_event;
};

struct used_elem {
	uint32_t id;
	uint32_t len;
};

struct used {
	uint16_t flags;
	uint16_t idx;
	struct used_elem ring[QUEUE_SIZE];
	uint16_t avail_event;
};

struct req_header {
	uint32_t type;
	uint32_t reserved;
	uint64_t sector;
};

static struct desc descs[QUEUE_SIZE] __attribute__((aligned(16)));
static struct avail avail __attribute__((aligned(2)));
static struct used used __attribute__((aligned(4)));
static struct req_header header __attribute__((aligned(16)));
static uint8_t bounce[BOUNCE_BLOCKS * HAL_BLOCK_SIZE]
    __attribute__((aligned(16)));
static volatile uint8_t req_status;

static int probed;
static uint64_t base, capacity;
static int can_flush;
static uint16_t last_used;

static uint32_t
rd(uint32_t off)
{
	return mmio_read32(base + off);
}

static void
wr(uint32_t off, uint32_t v)
{
	mmio_write32(base + off, v);
}

static void
barrier(void)
{
	__asm__ volatile("dsb sy" : : : "memory");
}

/* Bring the device at `at` up; 0 or -CELL_E_IO. */
static int
device_init(uint64_t at)
{
	uint32_t features0;

	base = at;
	wr(MMIO_STATUS, 0); /* reset */
	wr(MMIO_STATUS, ST_ACKNOWLEDGE);
	wr(MMIO_STATUS, ST_ACKNOWLEDGE | ST_DRIVER);
	wr(MMIO_DEVICE_FEATURES_SEL, 1);
	if (!(rd(MMIO_DEVICE_FEATURES) & (1u << F_VERSION_1)))
		return -CELL_E_IO;
	wr(MMIO_DEVICE_FEATURES_SEL, 0);
	features0 = rd(MMIO_DEVICE_FEATURES);
	can_flush = (features0 >> F_BLK_FLUSH) & 1;
	wr(MMIO_DRIVER_FEATURES_SEL, 0);
	wr(MMIO_DRIVER_FEATURES, can_flush ? 1u << F_BLK_FLUSH : 0);
	wr(MMIO_DRIVER_FEATURES_SEL, 1);
	wr(MMIO_DRIVER_FEATURES, 1u << F_VERSION_1);
	wr(MMIO_STATUS, ST_ACKNOWLEDGE | ST_DRIVER | ST_FEATURES_OK);
	if (!(rd(MMIO_STATUS) & ST_FEATURES_OK))
		return -CELL_E_IO;
	wr(MMIO_QUEUE_SEL, 0);
	if (rd(MMIO_QUEUE_READY) != 0 || rd(MMIO_QUEUE_NUM_MAX) < QUEUE_SIZE)
		return -CELL_E_IO;
	wr(MMIO_QUEUE_NUM, QUEUE_SIZE);
	wr(MMIO_QUEUE_DESC_LOW, (uint32_t)(uintptr_t)descs);
	wr(MMIO_QUEUE_DESC_HIGH, (uint32_t)((uint64_t)(uintptr_t)descs >> 32));
	wr(MMIO_QUEUE_DRIVER_LOW, (uint32_t)(uintptr_t)&avail);
	wr(MMIO_QUEUE_DRIVER_HIGH,
	    (uint32_t)((uint64_t)(uintptr_t)&avail >> 32));
	wr(MMIO_QUEUE_DEVICE_LOW, (uint32_t)(uintptr_t)&used);
	wr(MMIO_QUEUE_DEVICE_HIGH,
	    (uint32_t)((uint64_t)(uintptr_t)&used >> 32));
	wr(MMIO_QUEUE_READY, 1);
	wr(MMIO_STATUS,
	    ST_ACKNOWLEDGE | ST_DRIVER | ST_FEATURES_OK | ST_DRIVER_OK);
	/* Capacity: a u64 of 512-byte sectors, read as two aligned words. */
	capacity =
	    (uint64_t)rd(MMIO_CONFIG) | (uint64_t)rd(MMIO_CONFIG + 4) << 32;
	last_used = used.idx;
	return 0;
}

static void
probe(void)
{
	probed = 1;
	for (unsigned i = 0; i < board.virtio_count; i++) {
		uint64_t at = board.virtio_base[i];

		if (mmio_read32(at + MMIO_MAGIC) != VIRTIO_MAGIC ||
		    mmio_read32(at + MMIO_VERSION) != 2 ||
		    mmio_read32(at + MMIO_DEVICE_ID) != DEVICE_BLOCK)
			continue;
		if (device_init(at) == 0)
			return;
		wr(MMIO_STATUS, 0);
	}
	base = 0;
	capacity = 0;
}

uint64_t
hal_blk_count(void)
{
	if (!probed)
		probe();
	return capacity;
}

/* One request: header, optional data of len bytes, status. */
static int
request(uint32_t type, uint64_t sector, uint32_t len, int device_writes)
{
	uint16_t n = 0;

	header.type = type;
	header.reserved = 0;
	header.sector = sector;
	req_status = 0xFF;
	descs[0] = (struct desc){ (uint64_t)(uintptr_t)&header, sizeof header,
		DESC_F_NEXT, 1 };
	if (len > 0) {
		descs[1] = (struct desc){ (uint64_t)(uintptr_t)bounce, len,
			(uint16_t)(DESC_F_NEXT |
			    (device_writes ? DESC_F_WRITE : 0)),
			2 };
		descs[2] = (struct desc){ (uint64_t)(uintptr_t)&req_status, 1,
			DESC_F_WRITE, 0 };
	} else {
		descs[0].next = 2;
		descs[2] = (struct desc){ (uint64_t)(uintptr_t)&req_status, 1,
			DESC_F_WRITE, 0 };
	}
	avail.ring[avail.idx % QUEUE_SIZE] = 0;
	barrier();
	avail.idx++;
	barrier();
	wr(MMIO_QUEUE_NOTIFY, 0);
	uint64_t freq = read_sysreg(cntfrq_el0);
	uint64_t limit = (freq != 0 ? freq : 1000000000u) * REQUEST_TIMEOUT_S;
	uint64_t start = read_sysreg(cntpct_el0);
	for (;;) {
		barrier();
		if (*(volatile uint16_t *)&used.idx != last_used) {
			last_used++;
			n = 1;
			break;
		}
		if (read_sysreg(cntpct_el0) - start >= limit)
			break;
	}
	wr(MMIO_INTERRUPT_ACK, rd(MMIO_INTERRUPT_STATUS));
	barrier();
	if (!n || req_status != 0)
		return -CELL_E_IO;
	return 0;
}

static int
transfer(int write, uint64_t lba, uint8_t *buf, uint32_t count)
{
	if (hal_blk_count() == 0)
		return -CELL_E_IO;
	if (count == 0 || lba >= capacity || count > capacity - lba)
		return -CELL_E_RANGE;
	while (count > 0) {
		uint32_t n = count > BOUNCE_BLOCKS ? BOUNCE_BLOCKS : count;
		uint32_t bytes = n * HAL_BLOCK_SIZE;
		int rc;

		if (write) {
			for (uint32_t i = 0; i < bytes; i++)
				bounce[i] = buf[i];
		}
		rc = request(write ? REQ_OUT : REQ_IN, lba, bytes, !write);
		if (rc < 0)
			return rc;
		if (!write) {
			for (uint32_t i = 0; i < bytes; i++)
				buf[i] = bounce[i];
		}
		buf += bytes;
		lba += n;
		count -= n;
	}
	return 0;
}

int
hal_blk_read(uint64_t lba, void *buf, uint32_t count)
{
	return transfer(0, lba, buf, count);
}

int
hal_blk_write(uint64_t lba, const void *buf, uint32_t count)
{
	return transfer(1, lba, (uint8_t *)(uintptr_t)buf, count);
}

int
hal_blk_flush(void)
{
	if (hal_blk_count() == 0)
		return -CELL_E_IO;
	/* Without VIRTIO_BLK_F_FLUSH the device has no volatile cache. */
	return can_flush ? request(REQ_FLUSH, 0, 0, 0) : 0;
}
