/*
 * Force-included into every C file of the Cortex-M build (-include, from
 * cmake/toolchain-mps2-cortex-m.cmake), before any header.
 *
 * arm-none-eabi-gcc makes the 32-bit exact-width types long int (newlib's
 * choice); every other target of the tree, and arm-linux-gnueabihf, makes
 * them int. The tree prints uint32_t with %u and %X, which -Wformat (an
 * error here, as everywhere) refuses for a long. On this ABI long and int
 * are both 4 bytes, 4-aligned and passed alike (AAPCS), so nothing but the
 * type's name changes: the types, their limits and constant macros are
 * made int before gcc's stdint.h reads them.
 */
#undef __UINT32_TYPE__
#define __UINT32_TYPE__ unsigned int
#undef __INT32_TYPE__
#define __INT32_TYPE__ int
#undef __UINT_LEAST32_TYPE__
#define __UINT_LEAST32_TYPE__ unsigned int
#undef __INT_LEAST32_TYPE__
#define __INT_LEAST32_TYPE__ int
#undef __UINT32_MAX__
#define __UINT32_MAX__ 0xffffffffU
#undef __INT32_MAX__
#define __INT32_MAX__ 0x7fffffff
#undef __UINT_LEAST32_MAX__
#define __UINT_LEAST32_MAX__ 0xffffffffU
#undef __INT_LEAST32_MAX__
#define __INT_LEAST32_MAX__ 0x7fffffff
#undef __UINT32_C
#define __UINT32_C(c) c##U
#undef __INT32_C
#define __INT32_C(c) c
