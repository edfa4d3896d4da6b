/*
 * Wire records written down once, as tables. A layout is an X-macro whose
 * rows are
 *
 *	X(a, kind, name, offset)
 *
 * one per field, in order: kind is u8, u16, u32, u64 (a little-endian
 * integer of that width) or b32 (32 raw bytes, a digest or a MAC), name is
 * the field's name (and the member of the struct it is decoded into), and
 * offset is where the field starts in the record, in bytes. The a column is
 * whatever the macro that expands the table passes through (a type name,
 * or nothing).
 *
 * From one table come:
 *   LAYOUT_SHAPE(tag, TABLE, size)  struct tag, one uint8_t array per
 *                                   field, and the compile-time checks that
 *                                   the fields tile the record with no gap
 *                                   or overlap, each at its written offset,
 *                                   and that the record is size bytes;
 *   offsetof(struct tag, name)      the named offset of a field;
 *   LAYOUT_CHECK_ROW                with a = a struct type: that struct has
 *                                   each field at the written offset (the
 *                                   pinned packed ABI structs);
 *   LAYOUT_ENCODE_ROW / DECODE_ROW  the body of an encoder or decoder: each
 *                                   field stored into (loaded from) the
 *                                   bytes b, from (into) the struct *v.
 * So the encoder, the decoder and every offset a refusal names read the
 * same rows, and a field's place is written in exactly one line.
 */
#ifndef CELLOS_LAYOUT_H
#define CELLOS_LAYOUT_H

#include <stddef.h>
#include <stdint.h>

#include "byteorder.h"

#define LAYOUT_SIZE_u8  1
#define LAYOUT_SIZE_u16 2
#define LAYOUT_SIZE_u32 4
#define LAYOUT_SIZE_u64 8
#define LAYOUT_SIZE_b32 32

/* Copy n bytes (the b32 fields; no libc in the kernel). */
static inline void
layout_copy(uint8_t *to, const uint8_t *from, size_t n)
{
	for (size_t i = 0; i < n; i++)
		to[i] = from[i];
}

#define LAYOUT_STORE_u8(p, x)  (*(p) = (uint8_t)(x))
#define LAYOUT_STORE_u16(p, x) le16_store(p, x)
#define LAYOUT_STORE_u32(p, x) le32_store(p, x)
#define LAYOUT_STORE_u64(p, x) le64_store(p, x)
#define LAYOUT_STORE_b32(p, x) layout_copy(p, x, 32)

#define LAYOUT_LOAD_u8(p, x)  ((x) = *(p))
#define LAYOUT_LOAD_u16(p, x) ((x) = le16_load(p))
#define LAYOUT_LOAD_u32(p, x) ((x) = le32_load(p))
#define LAYOUT_LOAD_u64(p, x) ((x) = le64_load(p))
#define LAYOUT_LOAD_b32(p, x) layout_copy(x, p, 32)

#define LAYOUT_SHAPE_ROW(a, kind, name, off) uint8_t name[LAYOUT_SIZE_##kind];
#define LAYOUT_CHECK_ROW(a, kind, name, off)       \
	_Static_assert(offsetof(a, name) == (off), \
	    #a "." #name " is at byte " #off);
#define LAYOUT_ENCODE_ROW(a, kind, name, off) \
	LAYOUT_STORE_##kind(b + (off), v->name);
#define LAYOUT_DECODE_ROW(a, kind, name, off) \
	LAYOUT_LOAD_##kind(b + (off), v->name);

/*
 * struct tag: the record as bytes, each field an array of its width in
 * table order (uint8_t arrays need no padding, and the checks would catch
 * any). Its offsetof are the fields' offsets and its sizeof the record's.
 */
#define LAYOUT_SHAPE(tag, TABLE, size)               \
	struct tag {                                 \
		TABLE(LAYOUT_SHAPE_ROW, ~)           \
	};                                           \
	TABLE(LAYOUT_CHECK_ROW, struct tag)          \
	_Static_assert(sizeof(struct tag) == (size), \
	    "struct " #tag " is " #size " bytes")

#endif
