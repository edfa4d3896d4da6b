/*
 * The names the second build of wire/crypto.c in test_crypto gets (see
 * tests/CMakeLists.txt: it is compiled with -include of this file), so the
 * loop form links beside the unrolled one. No include guard: test_crypto.c
 * reads it again, then crypto_loop_unnames.h.
 */
#define sha256_ctx                 loop_sha256_ctx
#define hmac_sha256_ctx            loop_hmac_sha256_ctx
#define sha256_init                loop_sha256_init
#define sha256_update              loop_sha256_update
#define sha256_final               loop_sha256_final
#define sha256                     loop_sha256
#define sha256_le32                loop_sha256_le32
#define hmac_sha256_init           loop_hmac_sha256_init
#define hmac_sha256_update         loop_hmac_sha256_update
#define hmac_sha256_final          loop_hmac_sha256_final
#define hmac_sha256                loop_hmac_sha256
#define hkdf_sha256_extract        loop_hkdf_sha256_extract
#define hkdf_sha256_expand         loop_hkdf_sha256_expand
#define hkdf_sha256                loop_hkdf_sha256
#define crc32c                     loop_crc32c
#define ct_equal                   loop_ct_equal
#define crypto_wipe                loop_crypto_wipe
#define sha256_final_le32          loop_sha256_final_le32
#define crypto_accel               loop_crypto_accel
#define crypto_use_accel           loop_crypto_use_accel
#define crypto_sha256_engine       loop_crypto_sha256_engine
#define crypto_crc32c_engine       loop_crypto_crc32c_engine
#define sha256_blocks_portable     loop_sha256_blocks_portable
#define crc32c_portable            loop_crc32c_portable
#define sha256_blocks              loop_sha256_blocks
#define crypto_sha256_compressions loop_crypto_sha256_compressions
