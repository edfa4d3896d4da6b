/*
 * The FDT reader; see fdt.h. The format (devicetree specification, chapter
 * 5): a big-endian header, a structure block of tokens (BEGIN_NODE name,
 * PROP len nameoff value, END_NODE, NOP, END) and a strings block.
 */
#include <stddef.h>
#include <stdint.h>

#include "cellos/errors.h"
#include "fdt.h"

#define FDT_MAGIC      0xD00DFEEDu
#define FDT_BEGIN_NODE 1u
#define FDT_END_NODE   2u
#define FDT_PROP       3u
#define FDT_NOP        4u
#define FDT_END        9u
#define FDT_DEPTH_MAX  16

enum node_kind { NODE_OTHER, NODE_MEMORY, NODE_UART, NODE_GIC, NODE_VIRTIO };

struct walker {
	const uint8_t *blob;
	uint32_t size;
	uint32_t strings, strings_size;
	struct fdt_info *out;
};

static uint32_t
be32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
	    (uint32_t)p[2] << 8 | (uint32_t)p[3];
}

/* Read a number of `cells` 32-bit cells at p (1 or 2 are meaningful). */
static uint64_t
cells_value(const uint8_t *p, uint32_t cells)
{
	uint64_t v = 0;

	for (uint32_t i = 0; i < cells; i++)
		v = v << 32 | be32(p + 4 * i);
	return v;
}

static int
str_equal(const uint8_t *a, uint32_t alen, const char *b)
{
	uint32_t i = 0;

	for (; i < alen && b[i] != '\0'; i++) {
		if (a[i] != (uint8_t)b[i])
			return 0;
	}
	return i < alen ? a[i] == '\0' && b[i] == '\0' : b[i] == '\0';
}

/* Whether the string list val[0..len) holds s. */
static int
list_has(const uint8_t *val, uint32_t len, const char *s)
{
	uint32_t start = 0;

	for (uint32_t i = 0; i < len; i++) {
		if (val[i] == '\0') {
			if (str_equal(val + start, i - start + 1, s))
				return 1;
			start = i + 1;
		}
	}
	return 0;
}

/* The property name at nameoff, bounds-checked; NULL when out of range. */
static const uint8_t *
prop_name(const struct walker *w, uint32_t nameoff, uint32_t *maxlen)
{
	if (nameoff >= w->strings_size)
		return NULL;
	*maxlen = w->strings_size - nameoff;
	return w->blob + w->strings + nameoff;
}

struct node {
	enum node_kind kind;
	uint32_t addr_cells, size_cells; /* for this node's children */
	const uint8_t *reg;
	uint32_t reg_len;
	const uint8_t *interrupts;
	uint32_t interrupts_len;
	int is_memory, is_root;
};

static void
finish_node(struct walker *w, const struct node *n, const struct node *parent)
{
	struct fdt_info *o = w->out;
	uint32_t ac = parent ? parent->addr_cells : 2;
	uint32_t sc = parent ? parent->size_cells : 1;
	uint32_t entry = 4 * (ac + sc);

	if (n->reg == NULL || ac < 1 || ac > 2 || sc > 2 || n->reg_len < entry)
		return;
	if (n->is_memory) {
		for (uint32_t off = 0;
		     off + entry <= n->reg_len && o->mem_count < FDT_MEM_MAX;
		     off += entry) {
			o->mem_base[o->mem_count] =
			    cells_value(n->reg + off, ac);
			o->mem_size[o->mem_count] =
			    cells_value(n->reg + off + 4 * ac, sc);
			o->mem_count++;
		}
		return;
	}
	switch (n->kind) {
	case NODE_UART:
		if (o->uart_base == 0)
			o->uart_base = cells_value(n->reg, ac);
		break;
	case NODE_GIC:
		o->gic_dist = cells_value(n->reg, ac);
		if (n->reg_len >= 2 * entry)
			o->gic_cpu = cells_value(n->reg + entry, ac);
		break;
	case NODE_VIRTIO:
		if (o->virtio_count < FDT_VIRTIO_MAX) {
			o->virtio_base[o->virtio_count] =
			    cells_value(n->reg, ac);
			/* interrupts = <type number flags>; type 0 is an SPI. */
			o->virtio_irq[o->virtio_count] =
			    n->interrupts_len >= 12 ? be32(n->interrupts + 4) :
						      0;
			o->virtio_count++;
		}
		break;
	default:
		break;
	}
}

static int
walk(struct walker *w, uint32_t off, uint32_t end, const char **why)
{
	struct node stack[FDT_DEPTH_MAX];
	int depth = -1;

	while (off + 4 <= end) {
		uint32_t token = be32(w->blob + off);

		off += 4;
		switch (token) {
		case FDT_BEGIN_NODE: {
			while (off < end && w->blob[off] != '\0')
				off++;
			if (off >= end) {
				*why =
				    "node name runs past the structure block";
				return -CELL_E_TRUNCATED;
			}
			off = (off + 1 + 3) & ~3u;
			if (++depth >= FDT_DEPTH_MAX) {
				*why = "nodes nested too deeply";
				return -CELL_E_RANGE;
			}
			stack[depth] = (struct node){ NODE_OTHER, 2, 1, NULL, 0,
				NULL, 0, 0, depth == 0 };
			break;
		}
		case FDT_END_NODE:
			if (depth < 0) {
				*why = "END_NODE without BEGIN_NODE";
				return -CELL_E_RANGE;
			}
			finish_node(w, &stack[depth],
			    depth > 0 ? &stack[depth - 1] : NULL);
			depth--;
			break;
		case FDT_PROP: {
			uint32_t len, nameoff, maxname;
			const uint8_t *pname, *val;
			struct node *n;

			if (off + 8 > end || depth < 0) {
				*why = "property header out of place";
				return -CELL_E_TRUNCATED;
			}
			len = be32(w->blob + off);
			nameoff = be32(w->blob + off + 4);
			off += 8;
			if (len > end - off) {
				*why =
				    "property value runs past the structure block";
				return -CELL_E_TRUNCATED;
			}
			val = w->blob + off;
			off = (off + len + 3) & ~3u;
			pname = prop_name(w, nameoff, &maxname);
			if (pname == NULL) {
				*why =
				    "property name outside the strings block";
				return -CELL_E_RANGE;
			}
			n = &stack[depth];
			if (str_equal(pname, maxname, "#address-cells") &&
			    len == 4)
				n->addr_cells = be32(val);
			else if (str_equal(pname, maxname, "#size-cells") &&
			    len == 4)
				n->size_cells = be32(val);
			else if (str_equal(pname, maxname, "reg")) {
				n->reg = val;
				n->reg_len = len;
			} else if (str_equal(pname, maxname, "interrupts")) {
				n->interrupts = val;
				n->interrupts_len = len;
			} else if (str_equal(pname, maxname, "device_type") &&
			    list_has(val, len, "memory")) {
				n->is_memory = 1;
			} else if (str_equal(pname, maxname, "compatible")) {
				if (n->is_root &&
				    list_has(val, len, "linux,dummy-virt"))
					w->out->virt_board = 1;
				if (list_has(val, len, "arm,pl011"))
					n->kind = NODE_UART;
				else if (list_has(val, len,
					     "arm,cortex-a15-gic") ||
				    list_has(val, len, "arm,gic-400")) {
					n->kind = NODE_GIC;
					w->out->gic_version = 2;
				} else if (list_has(val, len, "arm,gic-v3")) {
					n->kind = NODE_GIC;
					w->out->gic_version = 3;
				} else if (list_has(val, len,
					       "arm,armv8-timer"))
					w->out->timer = 1;
				else if (list_has(val, len, "virtio,mmio"))
					n->kind = NODE_VIRTIO;
			}
			break;
		}
		case FDT_NOP:
			break;
		case FDT_END:
			if (depth != -1) {
				*why = "END with nodes still open";
				return -CELL_E_TRUNCATED;
			}
			return 0;
		default:
			*why = "unknown token in the structure block";
			return -CELL_E_RANGE;
		}
	}
	*why = "structure block ends without an END token";
	return -CELL_E_TRUNCATED;
}

int
fdt_read(const void *dtb, size_t max_size, struct fdt_info *out,
    const char **why)
{
	const uint8_t *b = dtb;
	struct walker w;
	uint32_t total, off_struct, off_strings, size_struct, version;
	int rc;

	*out = (struct fdt_info){ 0 };
	*why = "ok";
	if (b == NULL || ((uintptr_t)b & 3) != 0 || max_size < 40) {
		*why = "no device tree (null or misaligned pointer)";
		return -CELL_E_INVAL;
	}
	if (be32(b) != FDT_MAGIC) {
		*why = "bad magic";
		return -CELL_E_MAGIC;
	}
	total = be32(b + 4);
	off_struct = be32(b + 8);
	off_strings = be32(b + 12);
	version = be32(b + 20);
	size_struct = be32(b + 36);
	if (total < 40 || total > max_size) {
		*why = "totalsize out of range";
		return -CELL_E_LENGTH;
	}
	if (version < 17) {
		*why = "version older than 17";
		return -CELL_E_VERSION;
	}
	w.blob = b;
	w.size = total;
	w.strings = off_strings;
	w.strings_size = be32(b + 32);
	w.out = out;
	if (off_struct > total || size_struct > total - off_struct ||
	    (off_struct & 3) != 0 || off_strings > total ||
	    w.strings_size > total - off_strings) {
		*why = "a block lies outside totalsize";
		return -CELL_E_RANGE;
	}
	rc = walk(&w, off_struct, off_struct + size_struct, why);
	if (rc == 0)
		out->valid = 1;
	return rc;
}
