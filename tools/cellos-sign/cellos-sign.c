/*
 * cellos-sign: the host side of signed updates (docs/SECURITY.md).
 *
 *   cellos-sign keygen -o KEY.pem [--force]
 *   cellos-sign pubkey [--c [--key-id N]] KEY.pem
 *   cellos-sign sign --key KEY.pem --key-id N --version N --counter N
 *       [--in GENOME] -o PACKAGE [--test-key]
 *   cellos-sign verify (--pub HEX | --key KEY.pem) [--key-id N] FILE
 *   cellos-sign rotate --key ROOT.pem --new NEW.pem --new-id N [--revoke ID]
 *       --version N -o STATEMENT [--test-key]
 *   cellos-sign sign-image --key KEY.pem --key-id N [--pub HEX] --in IMAGE
 *       -o OUT [--test-key]
 *   cellos-sign sign-phenotype --key KEY.pem --key-id N --in PBIN -o OUT
 *       [--test-key]
 *
 * OpenSSL's libcrypto makes and reads the keys and signs; the formats are
 * written and read by wire/ (package_codec, rotation_codec), the code the
 * kernel links, and everything signed is verified again with the kernel's
 * own Ed25519 verifier before it is written. Every output goes through
 * tools/outfile (a temporary beside it, fsync, rename, fsync of the
 * directory); a key is written 0600, unbuffered, and never replaces an existing file unless --force is given.
 *
 * Exit status: 0 done (verify: everything checked out), 1 refused (each
 * problem is named on stderr with the file, offset and field), 2 usage.
 */
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/objects.h>
#include <openssl/pem.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "bootinfo.h"
#include "byteorder.h"
#include "cellos/errors.h"
#include "cellos/package.h"
#include "cellos/pbin.h"
#include "cellos/rotation.h"
#include "crypto.h"
#include "ed25519.h"
#include "openssl_ed25519.h"
#include "outfile.h"
#include "package_codec.h"
#include "pbin_codec.h"
#include "rotation_codec.h"
#include "signer.h"

#define EXIT_REFUSED 1
#define EXIT_USAGE   2
/* The largest file this tool reads: a genome, a package, a key. */
#define INPUT_MAX (256u << 20)

static const char usage_text[] =
    "usage: cellos-sign COMMAND [OPTIONS]\n"
    "\n"
    "  keygen -o KEY.pem [--force]\n"
    "      make an Ed25519 private key (PKCS#8 PEM, mode 0600); an existing\n"
    "      KEY.pem is refused unless --force\n"
    "  pubkey [--c [--key-id N]] KEY.pem\n"
    "      print the public key of KEY.pem (private or public key PEM) as 64\n"
    "      hex digits, or with --c as a C initializer (with --key-id, of a\n"
    "      keyset_entry_t)\n"
    "  sign --key KEY.pem --key-id N --version N --counter N [--in GENOME]\n"
    "       -o PACKAGE [--test-key]\n"
    "      sign GENOME (default: standard input) into an update package:\n"
    "      --version is the genome version, --counter the security counter\n"
    "  verify (--pub HEX | --key KEY.pem) [--key-id N] FILE\n"
    "      check a package or a rotation statement, field by field, and its\n"
    "      signature; --key-id also checks the package's key id\n"
    "  rotate --key ROOT.pem --new NEW.pem --new-id N [--revoke ID]\n"
    "       --version N -o STATEMENT [--test-key]\n"
    "      sign, with the active (root) key, a statement that makes NEW the\n"
    "      active key with id N, optionally revoking the older key ID\n"
    "  sign-image --key KEY.pem --key-id N [--pub HEX] --in IMAGE -o OUT\n"
    "       [--test-key]\n"
    "      sign the x86 BIOS disk IMAGE (tools/disk-pack --cgf) for stage2's\n"
    "      verified boot: an Ed25519 signature of its CGF gene directory in\n"
    "      the boot signature block; --pub refuses a key whose public half\n"
    "      is not HEX (the root key stage2 was built with)\n"
    "  sign-phenotype --key KEY.pem --key-id N --in PBIN -o OUT [--test-key]\n"
    "      (re-)sign a compiled phenotype: its signature section, if any,\n"
    "      replaced by one made with KEY.pem as key id N (docs/PHENOTYPES.md)\n"
    "\n"
    "Options are --opt VALUE or --opt=VALUE; N is decimal or 0x hex,\n"
    "0..4294967295. --test-key allows a TEST-ONLY key of keys/ (public: for\n"
    "proof boots and tests only) to sign or to be rotated to.\n"
    "Exit status: 0 done, 1 refused (the problem is named), 2 usage error.\n";

/*
 * The public halves of the committed test keys (keys/README.md; the
 * tests check this table against keys/). Anyone can sign with them, so
 * the tool refuses them unless told --test-key.
 */
static const struct {
	const char *name;
	uint8_t pub[ED25519_PUBKEY_SIZE];
} test_keys[] = {
	{ "keys/TEST-ONLY-root.pem",
	    { 0x44, 0xd9, 0xc4, 0x91, 0x26, 0x39, 0x55, 0xf6, 0x67, 0x8e, 0x5a,
		0x06, 0x7d, 0xb1, 0x22, 0xd2, 0xd3, 0x7e, 0x02, 0xfb, 0xf8,
		0xd2, 0x8f, 0xb5, 0x1e, 0x3a, 0xf8, 0xe6, 0x28, 0x34, 0x64,
		0x20 } },
	{ "keys/TEST-ONLY-next.pem",
	    { 0x57, 0xa9, 0x22, 0x07, 0x79, 0xe5, 0xce, 0xae, 0x3f, 0x3b, 0x15,
		0xff, 0x6a, 0xec, 0xd5, 0x05, 0xc8, 0x2e, 0xa5, 0x5a, 0xe2,
		0x0f, 0xf4, 0x07, 0xfa, 0xa9, 0xbd, 0xb2, 0xdb, 0xdd, 0x7b,
		0xe8 } },
};

static void __attribute__((format(printf, 1, 2))) say(const char *fmt, ...)
{
	va_list ap;

	fputs("cellos-sign: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

/* say(), then OpenSSL's reason for the last failure, if it left one. */
static void __attribute__((format(printf, 1, 2)))
say_openssl(const char *fmt, ...)
{
	unsigned long e = ERR_get_error();
	char why[256];
	va_list ap;

	fputs("cellos-sign: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	if (e != 0) {
		ERR_error_string_n(e, why, sizeof why);
		fprintf(stderr, " (OpenSSL: %s)", why);
	}
	fputc('\n', stderr);
	ERR_clear_error();
}

/* -h, --help: the usage text on standard output, status 0. */
static int
help(void)
{
	fputs(usage_text, stdout);
	return 0;
}

static int __attribute__((format(printf, 1, 2)))
usage_error(const char *fmt, ...)
{
	va_list ap;

	fputs("cellos-sign: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputs("\n(cellos-sign --help for the commands)\n", stderr);
	return EXIT_USAGE;
}

static void
hex(char *out, const uint8_t *b, size_t n)
{
	static const char digits[] = "0123456789abcdef";

	for (size_t i = 0; i < n; i++) {
		out[2 * i] = digits[b[i] >> 4];
		out[2 * i + 1] = digits[b[i] & 15];
	}
	out[2 * n] = '\0';
}

/* ---- arguments ---- */

/* One option of a command: --name, or -c when shortc is set. */
struct opt {
	const char *name;
	char shortc;
	int takes_value;
	const char *value; /* the value, or "" for a flag that was given */
};

/*
 * Parse argv[1..argc) against opts: every option once, known, with its
 * value when it takes one ("--opt VALUE", "--opt=VALUE", "-o VALUE",
 * "-oVALUE"); no abbreviations; "--" ends the options. The rest go to
 * pos[0..max_pos). -h and --help print help (returns -1). 0, or
 * EXIT_USAGE after naming the problem.
 */
static int
parse_args(const char *cmd, int argc, char **argv, struct opt *opts,
    const char **pos, int max_pos, int *n_pos)
{
	int only_pos = 0;

	*n_pos = 0;
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i], *val = NULL;
		struct opt *o = NULL;
		size_t nlen;

		if (only_pos || a[0] != '-' || a[1] == '\0') {
			if (*n_pos >= max_pos)
				return usage_error(
				    "%s: unexpected argument '%s'", cmd, a);
			pos[(*n_pos)++] = a;
			continue;
		}
		if (strcmp(a, "--") == 0) {
			only_pos = 1;
			continue;
		}
		if (strcmp(a, "-h") == 0 || strcmp(a, "--help") == 0)
			return -1;
		if (a[1] == '-') {
			const char *eq = strchr(a + 2, '=');

			nlen =
			    eq != NULL ? (size_t)(eq - (a + 2)) : strlen(a + 2);
			for (struct opt *p = opts; p->name != NULL; p++)
				if (strlen(p->name) == nlen &&
				    strncmp(p->name, a + 2, nlen) == 0)
					o = p;
			if (o == NULL)
				return usage_error("%s: unknown option '%.*s'",
				    cmd, (int)(nlen + 2), a);
			if (eq != NULL) {
				if (!o->takes_value)
					return usage_error("%s: --%s takes no "
							   "value",
					    cmd, o->name);
				val = eq + 1;
			}
		} else {
			for (struct opt *p = opts; p->name != NULL; p++)
				if (p->shortc != 0 && p->shortc == a[1])
					o = p;
			if (o == NULL || (!o->takes_value && a[2] != '\0'))
				return usage_error("%s: unknown option '%s'",
				    cmd, a);
			if (a[2] != '\0')
				val = a + 2;
		}
		if (o->value != NULL)
			return usage_error("%s: --%s given twice", cmd,
			    o->name);
		if (o->takes_value && val == NULL) {
			if (i + 1 >= argc)
				return usage_error("%s: --%s needs a value",
				    cmd, o->name);
			val = argv[++i];
		}
		o->value = o->takes_value ? val : "";
	}
	return 0;
}

static const char *
opt_value(const struct opt *opts, const char *name)
{
	for (const struct opt *p = opts; p->name != NULL; p++)
		if (strcmp(p->name, name) == 0)
			return p->value;
	return NULL;
}

/* A u32 in decimal or 0x hex, nothing else. 0, or EXIT_USAGE. */
static int
parse_u32(const char *cmd, const char *opt, const char *s, uint32_t *out)
{
	unsigned long long v = 0;
	int base = 10, digits = 0;

	if (s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
		base = 16;
		s += 2;
	}
	for (const char *p = s; *p != '\0'; p++) {
		int d;

		if (*p >= '0' && *p <= '9')
			d = *p - '0';
		else if (base == 16 && *p >= 'a' && *p <= 'f')
			d = *p - 'a' + 10;
		else if (base == 16 && *p >= 'A' && *p <= 'F')
			d = *p - 'A' + 10;
		else
			d = -1;
		if (d < 0 ||
		    (v = v * (unsigned)base + (unsigned)d) > UINT32_MAX)
			goto bad;
		digits++;
	}
	if (digits == 0)
		goto bad;
	*out = (uint32_t)v;
	return 0;
bad:
	return usage_error("%s: --%s: '%s%s' is not a number from 0 to "
			   "4294967295",
	    cmd, opt, base == 16 ? "0x" : "", s);
}

/* A value that must be given. */
static int
require(const char *cmd, const struct opt *opts, const char *name)
{
	if (opt_value(opts, name) == NULL)
		return usage_error("%s: --%s is required", cmd, name);
	return 0;
}

/* ---- files ---- */

/* Read all of path (or standard input when path is NULL) into *buf. */
static int
read_all(const char *path, uint8_t **buf, size_t *len)
{
	const char *name = path != NULL ? path : "standard input";
	FILE *f = path != NULL ? fopen(path, "rb") : stdin;
	size_t cap = 4096, n = 0;
	uint8_t *b;

	if (f == NULL) {
		say("%s: %s", name, strerror(errno));
		return -1;
	}
	if ((b = malloc(cap)) == NULL) {
		say("out of memory");
		goto fail;
	}
	for (;;) {
		size_t got;

		if (n == cap) {
			uint8_t *nb;

			if (cap >= INPUT_MAX) {
				say("%s: larger than %u bytes, more than this "
				    "tool reads",
				    name, INPUT_MAX);
				goto fail;
			}
			cap *= 2;
			if ((nb = realloc(b, cap)) == NULL) {
				say("out of memory");
				goto fail;
			}
			b = nb;
		}
		got = fread(b + n, 1, cap - n, f);
		n += got;
		if (got == 0) {
			if (ferror(f)) {
				say("%s: read error: %s", name,
				    strerror(errno));
				goto fail;
			}
			break;
		}
	}
	if (f != stdin)
		fclose(f);
	*buf = b;
	*len = n;
	return 0;
fail:
	free(b);
	if (f != stdin)
		fclose(f);
	return -1;
}

/* ---- keys ---- */

/*
 * Load an Ed25519 key from a PEM file: a private key, or, with
 * public_ok, a public key as well. NULL after naming the problem.
 */
static EVP_PKEY *
load_key(const char *path, int public_ok)
{
	static const char pub_label[] = "-----BEGIN PUBLIC KEY-----";
	static const char priv_label[] = "-----BEGIN PRIVATE KEY-----";
	EVP_PKEY *k = NULL;
	uint8_t *text;
	size_t len;
	BIO *bio;
	int is_pub, is_priv;

	if (read_all(path, &text, &len) != 0)
		return NULL;
	is_pub = memmem(text, len, pub_label, sizeof pub_label - 1) != NULL;
	is_priv = memmem(text, len, priv_label, sizeof priv_label - 1) != NULL;
	if (is_pub && !public_ok) {
		say("%s: a public key; this needs the private key", path);
		goto out;
	}
	if (!is_pub && !is_priv) {
		if (memmem(text, len, "ENCRYPTED PRIVATE KEY", 21) != NULL)
			say("%s: an encrypted private key; cellos-sign reads "
			    "unencrypted PKCS#8 keys only",
			    path);
		else
			say("%s: no \"%s\" (PKCS#8 PEM, as cellos-sign keygen "
			    "writes)%s",
			    path, priv_label,
			    public_ok ? " or \"-----BEGIN PUBLIC KEY-----\"" :
					"");
		goto out;
	}
	if ((bio = BIO_new_mem_buf(text, (int)len)) == NULL) {
		say_openssl("%s: cannot read", path);
		goto out;
	}
	k = is_priv ?
	    PEM_read_bio_PrivateKey(bio, NULL, openssl_no_passphrase, NULL) :
	    PEM_read_bio_PUBKEY(bio, NULL, openssl_no_passphrase, NULL);
	BIO_free(bio);
	if (k == NULL) {
		say_openssl("%s: not a valid PEM %s key", path,
		    is_priv ? "private" : "public");
		goto out;
	}
	if (EVP_PKEY_get_base_id(k) != EVP_PKEY_ED25519) {
		const char *type = OBJ_nid2sn(EVP_PKEY_get_base_id(k));

		say("%s: key type %s; cellos keys are Ed25519", path,
		    type != NULL ? type : "unknown");
		EVP_PKEY_free(k);
		k = NULL;
	}
out:
	OPENSSL_cleanse(text, len);
	free(text);
	return k;
}

/* The raw public key (RFC 8032 encoding). 0, or -1 after naming the problem. */
static int
raw_public(const char *path, EVP_PKEY *k, uint8_t pub[ED25519_PUBKEY_SIZE])
{
	size_t n = ED25519_PUBKEY_SIZE;

	if (EVP_PKEY_get_raw_public_key(k, pub, &n) != 1 ||
	    n != ED25519_PUBKEY_SIZE) {
		say_openssl("%s: cannot get the raw public key", path);
		return -1;
	}
	return 0;
}

/* The committed test key with this public key, or NULL. */
static const char *
test_key_name(const uint8_t pub[ED25519_PUBKEY_SIZE])
{
	for (size_t i = 0; i < sizeof test_keys / sizeof test_keys[0]; i++)
		if (memcmp(test_keys[i].pub, pub, ED25519_PUBKEY_SIZE) == 0)
			return test_keys[i].name;
	return NULL;
}

/* Refuse a test key unless allowed. 0 or -1 after saying why. */
static int
check_test_key(const char *path, const uint8_t pub[ED25519_PUBKEY_SIZE],
    int allowed, const char *role)
{
	const char *name = test_key_name(pub);

	if (name == NULL || allowed)
		return 0;
	say("%s: the public TEST-ONLY key %s (keys/README.md): anyone can sign "
	    "with it, so %s refused; give --test-key for proof boots and "
	    "tests",
	    path, name, role);
	return -1;
}

/* The signer hook: openssl_ed25519_sign, saying why when it fails. */
static int
openssl_sign(void *ctx, const uint8_t *msg, size_t len,
    uint8_t sig[ED25519_SIG_SIZE])
{
	if (openssl_ed25519_sign(ctx, msg, len, sig) != 0) {
		say_openssl("signing failed");
		return -CELL_E_INVAL;
	}
	return 0;
}

/* ---- keygen ---- */

static int
cmd_keygen(int argc, char **argv)
{
	struct opt opts[] = {
		{ "output", 'o', 1, NULL },
		{ "force", 0, 0, NULL },
		{ NULL, 0, 0, NULL },
	};
	uint8_t pub[ED25519_PUBKEY_SIZE];
	char pubhex[2 * ED25519_PUBKEY_SIZE + 1];
	const char *out, *pos[1];
	EVP_PKEY *k;
	BIO *bio;
	char *pem;
	long pemlen;
	int n, rc;

	if ((rc = parse_args("keygen", argc, argv, opts, pos, 0, &n)) != 0)
		return rc < 0 ? help() : rc;
	if ((rc = require("keygen", opts, "output")) != 0)
		return rc;
	out = opt_value(opts, "output");
	if ((k = EVP_PKEY_Q_keygen(NULL, NULL, "ED25519")) == NULL) {
		say_openssl("keygen: OpenSSL could not make an Ed25519 key");
		return EXIT_REFUSED;
	}
	if ((bio = BIO_new(BIO_s_secmem())) == NULL ||
	    PEM_write_bio_PrivateKey(bio, k, NULL, NULL, 0, NULL, NULL) != 1 ||
	    (pemlen = BIO_get_mem_data(bio, &pem)) <= 0) {
		say_openssl("keygen: cannot encode the key as PEM");
		BIO_free(bio);
		EVP_PKEY_free(k);
		return EXIT_REFUSED;
	}
	rc = raw_public(out, k, pub);
	if (rc == 0)
		rc = outfile_write_flags("cellos-sign", out, pem,
		    (size_t)pemlen,
		    OUTFILE_PRIVATE |
			(opt_value(opts, "force") == NULL ? OUTFILE_NO_REPLACE :
							    0));
	BIO_free(bio); /* secure memory: wiped when freed */
	EVP_PKEY_free(k);
	if (rc != 0)
		return EXIT_REFUSED;
	hex(pubhex, pub, sizeof pub);
	printf("%s: Ed25519 private key, public key %s\n", out, pubhex);
	return 0;
}

/* ---- pubkey ---- */

static int
cmd_pubkey(int argc, char **argv)
{
	struct opt opts[] = {
		{ "c", 0, 0, NULL },
		{ "key-id", 0, 1, NULL },
		{ NULL, 0, 0, NULL },
	};
	uint8_t pub[ED25519_PUBKEY_SIZE];
	char pubhex[2 * ED25519_PUBKEY_SIZE + 1];
	const char *pos[1], *idtext;
	uint32_t id = 0;
	EVP_PKEY *k;
	int n, rc;

	if ((rc = parse_args("pubkey", argc, argv, opts, pos, 1, &n)) != 0)
		return rc < 0 ? help() : rc;
	if (n != 1)
		return usage_error("pubkey: give one key file");
	idtext = opt_value(opts, "key-id");
	if (idtext != NULL && opt_value(opts, "c") == NULL)
		return usage_error(
		    "pubkey: --key-id goes with --c (the hex form "
		    "is the key alone)");
	if (idtext != NULL &&
	    (rc = parse_u32("pubkey", "key-id", idtext, &id)) != 0)
		return rc;
	if ((k = load_key(pos[0], 1)) == NULL)
		return EXIT_REFUSED;
	rc = raw_public(pos[0], k, pub);
	EVP_PKEY_free(k);
	if (rc != 0)
		return EXIT_REFUSED;
	if (opt_value(opts, "c") == NULL) {
		hex(pubhex, pub, sizeof pub);
		printf("%s\n", pubhex);
		return 0;
	}
	if (idtext != NULL)
		printf(
		    "/* %s: key id %u */\n{ .id = %uu, .flags = 0, .pubkey = {\n",
		    pos[0], id, id);
	else
		printf("/* %s: Ed25519 public key */\n{\n", pos[0]);
	for (unsigned i = 0; i < ED25519_PUBKEY_SIZE; i++)
		printf("%s0x%02x,%s", i % 8 == 0 ? "\t" : " ", pub[i],
		    i % 8 == 7 ? "\n" : "");
	printf(idtext != NULL ? "} }\n" : "}\n");
	return 0;
}

/* ---- sign ---- */

static int
cmd_sign(int argc, char **argv)
{
	struct opt opts[] = {
		{ "key", 0, 1, NULL },
		{ "key-id", 0, 1, NULL },
		{ "version", 0, 1, NULL },
		{ "counter", 0, 1, NULL },
		{ "in", 0, 1, NULL },
		{ "output", 'o', 1, NULL },
		{ "test-key", 0, 0, NULL },
		{ NULL, 0, 0, NULL },
	};
	static const char *const required[] = { "key", "key-id", "version",
		"counter", "output" };
	uint8_t pub[ED25519_PUBKEY_SIZE];
	char digest[2 * SHA256_SIZE + 1];
	struct package_info info;
	struct package check;
	struct signer signer;
	const char *pos[1], *keypath, *in, *out;
	uint8_t *genome = NULL, *pkg = NULL;
	size_t glen, size = 0, total;
	EVP_PKEY *k;
	int n, rc;

	if ((rc = parse_args("sign", argc, argv, opts, pos, 0, &n)) != 0)
		return rc < 0 ? help() : rc;
	for (size_t i = 0; i < sizeof required / sizeof required[0]; i++)
		if ((rc = require("sign", opts, required[i])) != 0)
			return rc;
	if ((rc = parse_u32("sign", "key-id", opt_value(opts, "key-id"),
		 &info.key_id)) != 0 ||
	    (rc = parse_u32("sign", "version", opt_value(opts, "version"),
		 &info.genome_version)) != 0 ||
	    (rc = parse_u32("sign", "counter", opt_value(opts, "counter"),
		 &info.security_counter)) != 0)
		return rc;
	keypath = opt_value(opts, "key");
	in = opt_value(opts, "in");
	out = opt_value(opts, "output");

	if ((k = load_key(keypath, 0)) == NULL)
		return EXIT_REFUSED;
	rc = EXIT_REFUSED;
	if (raw_public(keypath, k, pub) != 0 ||
	    check_test_key(keypath, pub, opt_value(opts, "test-key") != NULL,
		"signing with it is") != 0)
		goto out;
	if (read_all(in, &genome, &glen) != 0)
		goto out;
	if (glen == 0) {
		say("%s: empty; a package carries at least one byte",
		    in != NULL ? in : "standard input");
		goto out;
	}
	if (glen > UINT32_MAX - PACKAGE_OVERHEAD) {
		say("%s: %zu bytes, more than a package's u32 payload_len holds",
		    in != NULL ? in : "standard input", glen);
		goto out;
	}
	total = package_size((uint32_t)glen);
	if ((pkg = malloc(total)) == NULL) {
		say("out of memory");
		goto out;
	}
	signer = (struct signer){ openssl_sign, k };
	if ((n = package_encode(pkg, total, &info, genome, (uint32_t)glen,
		 &signer, &size)) < 0) {
		say("sign: cannot encode the package: %s", cell_strerror(n));
		goto out;
	}
	/* The kernel's decoder and verifier must accept what was signed. */
	if ((n = package_decode(pkg, size, (uint32_t)glen, &check)) < 0 ||
	    (n = package_verify(&check, pub)) < 0) {
		say("sign: the package does not verify with the kernel's own "
		    "code (%s); nothing written",
		    cell_strerror(n));
		goto out;
	}
	if (outfile_write("cellos-sign", out, pkg, size) != 0)
		goto out;
	hex(digest, check.payload_sha256, SHA256_SIZE);
	printf(
	    "%s: package, key id %u, genome version %u, security counter %u, "
	    "payload %zu bytes sha256 %s\n",
	    out, info.key_id, info.genome_version, info.security_counter, glen,
	    digest);
	rc = 0;
out:
	EVP_PKEY_free(k);
	free(genome);
	free(pkg);
	return rc;
}

/* ---- verify ---- */

/* 64 hex digits into pub. 0 or EXIT_USAGE. */
static int
parse_pub(const char *cmd, const char *s, uint8_t pub[ED25519_PUBKEY_SIZE])
{
	if (strlen(s) != 2 * ED25519_PUBKEY_SIZE)
		goto bad;
	for (unsigned i = 0; i < 2 * ED25519_PUBKEY_SIZE; i++) {
		char c = s[i];
		int d = c >= '0' && c <= '9' ? c - '0' :
		    c >= 'a' && c <= 'f'     ? c - 'a' + 10 :
		    c >= 'A' && c <= 'F'     ? c - 'A' + 10 :
					       -1;

		if (d < 0)
			goto bad;
		if (i % 2 == 0)
			pub[i / 2] = (uint8_t)(d << 4);
		else
			pub[i / 2] |= (uint8_t)d;
	}
	return 0;
bad:
	return usage_error(
	    "%s: --pub: '%s' is not 64 hex digits (an "
	    "Ed25519 public key, as cellos-sign pubkey prints it)",
	    cmd, s);
}

/* The signature error of ed25519_verify, named for the file at sig_off. */
static void
say_signature(const char *path, size_t sig_off, int err, const char *pubhex)
{
	switch (-err) {
	case CELL_E_RANGE:
		say("%s: offset %zu (signature S): S is not below the group "
		    "order L (not canonical)",
		    path, sig_off + 32);
		break;
	case CELL_E_INVAL:
		say("%s: offset %zu (signature R): not a canonical point "
		    "encoding",
		    path, sig_off);
		break;
	default:
		say("%s: offset %zu (signature): does not verify under public "
		    "key %s",
		    path, sig_off, pubhex);
		break;
	}
}

/* The first non-zero reserved byte of a package header, for its message. */
static void
say_package_reserved(const char *path, const uint8_t *b)
{
	uint16_t r16 = le16_load(b + PACKAGE_OFF_RESERVED_U16);

	if (r16 != 0) {
		say("%s: offset %u (reserved_u16): 0x%04X, must be zero", path,
		    PACKAGE_OFF_RESERVED_U16, r16);
		return;
	}
	for (unsigned i = 0; i < PACKAGE_RESERVED_SIZE; i++)
		if (b[PACKAGE_OFF_RESERVED + i] != 0) {
			say("%s: offset %u (reserved): 0x%02X, must be zero",
			    path, PACKAGE_OFF_RESERVED + i,
			    b[PACKAGE_OFF_RESERVED + i]);
			return;
		}
}

/* verify for a package: the number of problems found (0: it verifies). */
static int
verify_package(const char *path, const uint8_t *b, size_t size,
    const uint8_t pub[ED25519_PUBKEY_SIZE], const char *pubhex,
    const char *idtext, uint32_t want_id)
{
	char got_hex[2 * SHA256_SIZE + 1], want_hex[2 * SHA256_SIZE + 1];
	uint8_t digest[SHA256_SIZE];
	struct package p;
	uint32_t len = 0, id;
	int rc, problems = 0;
	const char *tk;

	rc = package_decode(b, size, UINT32_MAX, &p);
	if (size >= PACKAGE_HDR_SIZE)
		len = le32_load(b + PACKAGE_OFF_PAYLOAD_LEN);
	switch (-rc) {
	case CELL_OK:
	case CELL_E_BADHASH:
		break;
	case CELL_E_TRUNCATED:
		if (size < PACKAGE_HDR_SIZE)
			say("%s: %zu bytes, shorter than the %u-byte package "
			    "header",
			    path, size, PACKAGE_HDR_SIZE);
		else
			say("%s: offset %u (payload_len): %u bytes of payload "
			    "make a %llu-byte package; the file has %zu",
			    path, PACKAGE_OFF_PAYLOAD_LEN, len,
			    (unsigned long long)len + PACKAGE_OVERHEAD, size);
		return 1;
	case CELL_E_MAGIC:
		say("%s: offset 0 (magic): 0x%08X, neither a package (\"CPKG\", "
		    "0x%08X) nor a rotation statement (\"CROT\", 0x%08X)",
		    path, le32_load(b), PACKAGE_MAGIC, ROTATION_MAGIC);
		return 1;
	case CELL_E_VERSION:
		say("%s: offset %u (format_version): %u, this tool reads "
		    "version %u",
		    path, PACKAGE_OFF_FORMAT_VERSION,
		    le16_load(b + PACKAGE_OFF_FORMAT_VERSION),
		    PACKAGE_FORMAT_VERSION);
		return 1;
	case CELL_E_RESERVED:
		say_package_reserved(path, b);
		return 1;
	case CELL_E_RANGE:
		say("%s: offset %u (payload_len): 0; a package carries at least "
		    "one byte",
		    path, PACKAGE_OFF_PAYLOAD_LEN);
		return 1;
	case CELL_E_LENGTH:
		say("%s: %zu bytes; payload_len %u (offset %u) makes the package "
		    "end at %llu, the file has %llu byte(s) more",
		    path, size, len, PACKAGE_OFF_PAYLOAD_LEN,
		    (unsigned long long)len + PACKAGE_OVERHEAD,
		    (unsigned long long)(size - len - PACKAGE_OVERHEAD));
		return 1;
	default:
		say("%s: %s", path, cell_strerror(rc));
		return 1;
	}
	if (rc == -CELL_E_BADHASH) {
		sha256(b + PACKAGE_HDR_SIZE, len, digest);
		hex(got_hex, digest, SHA256_SIZE);
		hex(want_hex, b + PACKAGE_OFF_PAYLOAD_SHA256, SHA256_SIZE);
		say("%s: offset %u (payload_sha256): the header says %s, the "
		    "payload's SHA-256 is %s",
		    path, PACKAGE_OFF_PAYLOAD_SHA256, want_hex, got_hex);
		problems++;
	}
	/* The signature covers the bytes as they are, digest right or not. */
	rc = ed25519_verify(b + PACKAGE_HDR_SIZE + len, b,
	    PACKAGE_HDR_SIZE + (size_t)len, pub);
	if (rc < 0) {
		say_signature(path, PACKAGE_HDR_SIZE + (size_t)len, rc, pubhex);
		problems++;
	}
	id = le32_load(b + PACKAGE_OFF_KEY_ID);
	if (idtext != NULL && id != want_id) {
		say("%s: offset %u (key_id): %u, expected %u", path,
		    PACKAGE_OFF_KEY_ID, id, want_id);
		problems++;
	}
	if (problems != 0)
		return problems;
	hex(got_hex, p.payload_sha256, SHA256_SIZE);
	tk = test_key_name(pub);
	printf("%s: package ok: key id %u, genome version %u, security counter "
	       "%u, payload %u bytes sha256 %s%s%s\n",
	    path, p.info.key_id, p.info.genome_version, p.info.security_counter,
	    p.payload_len, got_hex,
	    tk != NULL ? "; signed by the public test key " : "",
	    tk != NULL ? tk : "");
	return 0;
}

/* verify for a rotation statement: the number of problems found. */
static int
verify_rotation(const char *path, const uint8_t *b, size_t size,
    const uint8_t pub[ED25519_PUBKEY_SIZE], const char *pubhex)
{
	char newhex[2 * ED25519_PUBKEY_SIZE + 1];
	struct rotation r;
	int rc;
	const char *tk;

	rc = rotation_decode(b, size, &r);
	switch (-rc) {
	case CELL_OK:
		break;
	case CELL_E_TRUNCATED:
		say("%s: %zu bytes, shorter than a %u-byte rotation statement",
		    path, size, ROTATION_SIZE);
		return 1;
	case CELL_E_VERSION:
		say("%s: offset %u (format_version): %u, this tool reads "
		    "version %u",
		    path, ROTATION_OFF_FORMAT_VERSION,
		    le16_load(b + ROTATION_OFF_FORMAT_VERSION),
		    ROTATION_FORMAT_VERSION);
		return 1;
	case CELL_E_LENGTH:
		say("%s: %zu bytes; a rotation statement is %u, the file has "
		    "%zu byte(s) more",
		    path, size, ROTATION_SIZE, size - ROTATION_SIZE);
		return 1;
	case CELL_E_FLAGS:
		say("%s: offset %u (flags): 0x%04X has bits other than REVOKE "
		    "(0x%04X)",
		    path, ROTATION_OFF_FLAGS, le16_load(b + ROTATION_OFF_FLAGS),
		    ROTATION_F_REVOKE);
		return 1;
	case CELL_E_RESERVED:
		for (unsigned i = 0; i < ROTATION_RESERVED_SIZE; i++)
			if (b[ROTATION_OFF_RESERVED + i] != 0) {
				say("%s: offset %u (reserved): 0x%02X, must be "
				    "zero",
				    path, ROTATION_OFF_RESERVED + i,
				    b[ROTATION_OFF_RESERVED + i]);
				return 1;
			}
		say("%s: offset %u (revoke_id): %u without the REVOKE flag, "
		    "must be zero",
		    path, ROTATION_OFF_REVOKE_ID,
		    le32_load(b + ROTATION_OFF_REVOKE_ID));
		return 1;
	case CELL_E_RANGE:
		if (le32_load(b + ROTATION_OFF_STATEMENT_VERSION) == 0)
			say("%s: offset %u (statement_version): 0; statements "
			    "start at 1",
			    path, ROTATION_OFF_STATEMENT_VERSION);
		else
			say("%s: offset %u (revoke_id): %u, not older than the "
			    "key it introduces (new_key_id %u)",
			    path, ROTATION_OFF_REVOKE_ID,
			    le32_load(b + ROTATION_OFF_REVOKE_ID),
			    le32_load(b + ROTATION_OFF_NEW_KEY_ID));
		return 1;
	case CELL_E_INVAL:
	case CELL_E_WEAKKEY:
		say("%s: offset %u (new_pubkey): %s", path,
		    ROTATION_OFF_NEW_PUBKEY,
		    rc == -CELL_E_WEAKKEY ?
			"a point of small order (a weak key)" :
			"not the encoding of an Ed25519 public key");
		return 1;
	default:
		say("%s: %s", path, cell_strerror(rc));
		return 1;
	}
	if ((rc = rotation_verify(&r, pub)) < 0) {
		say_signature(path, ROTATION_BODY_SIZE, rc, pubhex);
		return 1;
	}
	hex(newhex, r.info.new_pubkey, sizeof r.info.new_pubkey);
	tk = test_key_name(pub);
	printf("%s: rotation statement ok: version %u, new active key id %u "
	       "public key %s",
	    path, r.info.statement_version, r.info.new_key_id, newhex);
	if (r.info.revokes)
		printf(", revokes key id %u", r.info.revoke_id);
	printf("%s%s\n", tk != NULL ? "; signed by the public test key " : "",
	    tk != NULL ? tk : "");
	return 0;
}

static int
cmd_verify(int argc, char **argv)
{
	struct opt opts[] = {
		{ "pub", 0, 1, NULL },
		{ "key", 0, 1, NULL },
		{ "key-id", 0, 1, NULL },
		{ NULL, 0, 0, NULL },
	};
	uint8_t pub[ED25519_PUBKEY_SIZE];
	char pubhex[2 * ED25519_PUBKEY_SIZE + 1];
	const char *pos[1], *pubtext, *keypath, *idtext;
	uint32_t want_id = 0;
	uint8_t *b;
	size_t size;
	int n, rc, problems;

	if ((rc = parse_args("verify", argc, argv, opts, pos, 1, &n)) != 0)
		return rc < 0 ? help() : rc;
	if (n != 1)
		return usage_error(
		    "verify: give one package or statement file");
	pubtext = opt_value(opts, "pub");
	keypath = opt_value(opts, "key");
	idtext = opt_value(opts, "key-id");
	if ((pubtext == NULL) == (keypath == NULL))
		return usage_error("verify: give one of --pub HEX and --key "
				   "KEY.pem");
	if (idtext != NULL &&
	    (rc = parse_u32("verify", "key-id", idtext, &want_id)) != 0)
		return rc;
	if (pubtext != NULL) {
		if ((rc = parse_pub("verify", pubtext, pub)) != 0)
			return rc;
	} else {
		EVP_PKEY *k = load_key(keypath, 1);

		if (k == NULL)
			return EXIT_REFUSED;
		rc = raw_public(keypath, k, pub);
		EVP_PKEY_free(k);
		if (rc != 0)
			return EXIT_REFUSED;
	}
	hex(pubhex, pub, sizeof pub);
	if ((rc = ed25519_pubkey_check(pub)) < 0) {
		say("verify: public key %s: %s", pubhex,
		    rc == -CELL_E_WEAKKEY ?
			"a point of small order (a weak key)" :
			"not the encoding of an Ed25519 public key");
		return EXIT_REFUSED;
	}
	if (read_all(pos[0], &b, &size) != 0)
		return EXIT_REFUSED;
	if (size >= 4 && le32_load(b) == ROTATION_MAGIC) {
		if (idtext != NULL) {
			free(b);
			return usage_error(
			    "verify: --key-id checks a package's "
			    "key id; %s is a rotation statement",
			    pos[0]);
		}
		problems = verify_rotation(pos[0], b, size, pub, pubhex);
	} else {
		problems = verify_package(pos[0], b, size, pub, pubhex, idtext,
		    want_id);
	}
	free(b);
	return problems == 0 ? 0 : EXIT_REFUSED;
}

/* ---- rotate ---- */

static int
cmd_rotate(int argc, char **argv)
{
	struct opt opts[] = {
		{ "key", 0, 1, NULL },
		{ "new", 0, 1, NULL },
		{ "new-id", 0, 1, NULL },
		{ "revoke", 0, 1, NULL },
		{ "version", 0, 1, NULL },
		{ "output", 'o', 1, NULL },
		{ "test-key", 0, 0, NULL },
		{ NULL, 0, 0, NULL },
	};
	static const char *const required[] = { "key", "new", "new-id",
		"version", "output" };
	uint8_t root_pub[ED25519_PUBKEY_SIZE], st[ROTATION_SIZE];
	char newhex[2 * ED25519_PUBKEY_SIZE + 1];
	struct rotation_info info = { 0 };
	struct rotation check;
	struct signer signer;
	const char *pos[1], *rootpath, *newpath, *out;
	EVP_PKEY *root = NULL, *next = NULL;
	int n, rc, test_ok;

	if ((rc = parse_args("rotate", argc, argv, opts, pos, 0, &n)) != 0)
		return rc < 0 ? help() : rc;
	for (size_t i = 0; i < sizeof required / sizeof required[0]; i++)
		if ((rc = require("rotate", opts, required[i])) != 0)
			return rc;
	if ((rc = parse_u32("rotate", "new-id", opt_value(opts, "new-id"),
		 &info.new_key_id)) != 0 ||
	    (rc = parse_u32("rotate", "version", opt_value(opts, "version"),
		 &info.statement_version)) != 0)
		return rc;
	if (opt_value(opts, "revoke") != NULL) {
		if ((rc = parse_u32("rotate", "revoke",
			 opt_value(opts, "revoke"), &info.revoke_id)) != 0)
			return rc;
		info.revokes = 1;
	}
	if (info.statement_version == 0)
		return usage_error(
		    "rotate: --version 0: statement versions "
		    "start at 1 (0 is the key set before any statement)");
	if (info.revokes && info.revoke_id >= info.new_key_id)
		return usage_error(
		    "rotate: --revoke %u: a statement revokes only "
		    "keys older than the one it introduces (--new-id %u)",
		    info.revoke_id, info.new_key_id);
	rootpath = opt_value(opts, "key");
	newpath = opt_value(opts, "new");
	out = opt_value(opts, "output");
	test_ok = opt_value(opts, "test-key") != NULL;

	rc = EXIT_REFUSED;
	if ((root = load_key(rootpath, 0)) == NULL ||
	    (next = load_key(newpath, 1)) == NULL ||
	    raw_public(rootpath, root, root_pub) != 0 ||
	    raw_public(newpath, next, info.new_pubkey) != 0)
		goto out;
	if (check_test_key(rootpath, root_pub, test_ok, "signing with it is") !=
		0 ||
	    check_test_key(newpath, info.new_pubkey, test_ok,
		"handing a device to it is") != 0)
		goto out;
	if (memcmp(root_pub, info.new_pubkey, ED25519_PUBKEY_SIZE) == 0) {
		say("%s: the same key as %s; a rotation introduces a new key",
		    newpath, rootpath);
		goto out;
	}
	signer = (struct signer){ openssl_sign, root };
	if ((n = rotation_encode(st, sizeof st, &info, &signer)) < 0) {
		say("rotate: cannot encode the statement: %s",
		    cell_strerror(n));
		goto out;
	}
	if ((n = rotation_decode(st, sizeof st, &check)) < 0 ||
	    (n = rotation_verify(&check, root_pub)) < 0) {
		say("rotate: the statement does not verify with the kernel's "
		    "own code (%s); nothing written",
		    cell_strerror(n));
		goto out;
	}
	if (outfile_write("cellos-sign", out, st, sizeof st) != 0)
		goto out;
	hex(newhex, info.new_pubkey, sizeof info.new_pubkey);
	printf(
	    "%s: rotation statement, version %u, new active key id %u public "
	    "key %s",
	    out, info.statement_version, info.new_key_id, newhex);
	if (info.revokes)
		printf(", revokes key id %u", info.revoke_id);
	printf("\n");
	rc = 0;
out:
	EVP_PKEY_free(root);
	EVP_PKEY_free(next);
	return rc;
}

/* ---- sign-image ---- */

/*
 * The CGF gene directory of the x86 disk image b[0..size) and where its
 * boot signature block goes, checked as stage2 checks it: the layout
 * table, the CGF header's CRC32C, the directory (version 1, its digest in
 * stage2's build record), and the SHA-256 of the kernel image and of its
 * phenotype against the directory, so only an image stage2 would accept
 * apart from the signature is signed. 0, or -1 after naming the problem.
 */
static int
image_directory(const char *path, const uint8_t *b, size_t size, size_t *dir_at,
    size_t *sig_at)
{
	const uint8_t *lt = b + LAYOUT_OFF, *blob, *dir, *rec;
	uint8_t sha[SHA256_SIZE], head[CGF_HEADER_SIZE];
	uint32_t klba, kbytes, clba, csec, off, dlen, poff, plen;
	size_t kat, cat, clen;

	if (size < SECTOR_BYTES || le32_load(lt + LT_MAGIC) != LAYOUT_MAGIC) {
		say("%s: offset %u (layout table magic): not a cell_os x86 disk "
		    "image (tools/disk-pack)",
		    path, LAYOUT_OFF + LT_MAGIC);
		return -1;
	}
	klba = le32_load(lt + LT_KERNEL_LBA);
	kbytes = le32_load(lt + LT_KERNEL_BYTES);
	clba = le32_load(lt + LT_CGF_LBA);
	csec = le16_load(lt + LT_CGF_SECTORS);
	if (clba == 0 || csec == 0) {
		say("%s: offset %u (layout table cgf_lba): no CGF blob; pack the "
		    "image with disk-pack --cgf",
		    path, LAYOUT_OFF + LT_CGF_LBA);
		return -1;
	}
	kat = (size_t)klba * SECTOR_BYTES;
	cat = (size_t)clba * SECTOR_BYTES;
	clen = (size_t)csec * SECTOR_BYTES;
	if (kat > size || kbytes > size - kat) {
		say("%s: offset %u (layout table kernel): %u bytes at LBA %u "
		    "run past the image's %zu bytes",
		    path, LAYOUT_OFF + LT_KERNEL_LBA, kbytes, klba, size);
		return -1;
	}
	if (cat > size || clen > size - cat || clen < CGF_HEADER_SIZE) {
		say("%s: offset %u (layout table cgf): %u sectors at LBA %u do "
		    "not fit the image or the 4096-byte header",
		    path, LAYOUT_OFF + LT_CGF_LBA, csec, clba);
		return -1;
	}
	blob = b + cat;
	memcpy(head, blob, CGF_HEADER_SIZE);
	memset(head + CGF_OFF_CRC, 0, 4);
	if (crc32c(0, head, CGF_HEADER_SIZE) != le32_load(blob + CGF_OFF_CRC)) {
		say("%s: offset %zu (CGF header crc32c): does not match the "
		    "header",
		    path, cat + CGF_OFF_CRC);
		return -1;
	}
	off = le32_load(blob + CGF_OFF_GENEDIR_OFF);
	dlen = le32_load(blob + CGF_OFF_GENEDIR_LEN);
	if (dlen != GENEDIR_SIZE || off < CGF_HEADER_SIZE || off > clen ||
	    dlen > clen - off) {
		say("%s: offset %zu (CGF genedir_off/len): %u bytes at +%u, not "
		    "a %u-byte directory inside the blob",
		    path, cat + CGF_OFF_GENEDIR_OFF, dlen, off, GENEDIR_SIZE);
		return -1;
	}
	if (BOOTSIG_SIZE > clen - off - dlen) {
		say("%s: offset %zu (CGF blob): %zu bytes, no room after the "
		    "gene directory for the %u-byte boot signature block",
		    path, cat, clen, BOOTSIG_SIZE);
		return -1;
	}
	dir = blob + off;
	if (le32_load(dir + GD_MAGIC) != GENEDIR_MAGIC ||
	    le32_load(dir + GD_VERSION) != GENEDIR_VERSION) {
		say("%s: offset %zu (gene directory magic/version): not a "
		    "version 1 gene directory",
		    path, cat + off);
		return -1;
	}
	rec = b + (size_t)STAGE2_LBA * SECTOR_BYTES + STAGE2_RECORD_OFF;
	sha256(dir, dlen, sha);
	if (le32_load(rec + S2R_MAGIC) != STAGE2_RECORD_MAGIC ||
	    memcmp(sha, rec + S2R_DIGEST, SHA256_SIZE) != 0) {
		say("%s: offset %u (stage2 build record digest): not the SHA-256 "
		    "of the gene directory",
		    path,
		    STAGE2_LBA * SECTOR_BYTES + STAGE2_RECORD_OFF + S2R_DIGEST);
		return -1;
	}
	poff = le32_load(dir + GD_PHENOTYPE_OFF);
	plen = le32_load(dir + GD_PHENOTYPE_LEN);
	if (le32_load(dir + GD_KERNEL_BYTES) != kbytes || poff > kbytes ||
	    plen > kbytes - poff) {
		say("%s: offset %zu (gene directory kernel_bytes/phenotype): "
		    "does not match the layout table's %u-byte kernel",
		    path, cat + off + GD_KERNEL_BYTES, kbytes);
		return -1;
	}
	sha256(b + kat, kbytes, sha);
	if (memcmp(sha, dir + GD_KERNEL_SHA256, SHA256_SIZE) != 0) {
		say("%s: offset %zu (gene directory kernel_sha256): not the "
		    "SHA-256 of the kernel image at LBA %u",
		    path, cat + off + GD_KERNEL_SHA256, klba);
		return -1;
	}
	sha256(b + kat + poff, plen, sha);
	if (memcmp(sha, dir + GD_PHENOTYPE_SHA256, SHA256_SIZE) != 0) {
		say("%s: offset %zu (gene directory phenotype_sha256): not the "
		    "SHA-256 of the phenotype in the kernel image",
		    path, cat + off + GD_PHENOTYPE_SHA256);
		return -1;
	}
	*dir_at = cat + off;
	*sig_at = cat + off + dlen;
	return 0;
}

static int
cmd_sign_image(int argc, char **argv)
{
	struct opt opts[] = {
		{ "key", 0, 1, NULL },
		{ "key-id", 0, 1, NULL },
		{ "pub", 0, 1, NULL },
		{ "in", 0, 1, NULL },
		{ "output", 'o', 1, NULL },
		{ "test-key", 0, 0, NULL },
		{ NULL, 0, 0, NULL },
	};
	static const char *const required[] = { "key", "key-id", "in",
		"output" };
	uint8_t pub[ED25519_PUBKEY_SIZE], want[ED25519_PUBKEY_SIZE];
	uint8_t msg[BOOTSIG_MSG_SIZE], *blk, *img = NULL;
	char pubhex[2 * ED25519_PUBKEY_SIZE + 1];
	const char *pos[1], *keypath, *in, *out;
	size_t size, dir_at, sig_at;
	uint32_t id;
	EVP_PKEY *k;
	int n, rc, had;

	if ((rc = parse_args("sign-image", argc, argv, opts, pos, 0, &n)) != 0)
		return rc < 0 ? help() : rc;
	for (size_t i = 0; i < sizeof required / sizeof required[0]; i++)
		if ((rc = require("sign-image", opts, required[i])) != 0)
			return rc;
	if ((rc = parse_u32("sign-image", "key-id", opt_value(opts, "key-id"),
		 &id)) != 0)
		return rc;
	if (opt_value(opts, "pub") != NULL &&
	    (rc = parse_pub("sign-image", opt_value(opts, "pub"), want)) != 0)
		return rc;
	keypath = opt_value(opts, "key");
	in = opt_value(opts, "in");
	out = opt_value(opts, "output");

	if ((k = load_key(keypath, 0)) == NULL)
		return EXIT_REFUSED;
	rc = EXIT_REFUSED;
	if (raw_public(keypath, k, pub) != 0 ||
	    check_test_key(keypath, pub, opt_value(opts, "test-key") != NULL,
		"signing with it is") != 0)
		goto out;
	hex(pubhex, pub, ED25519_PUBKEY_SIZE);
	if (opt_value(opts, "pub") != NULL &&
	    memcmp(pub, want, ED25519_PUBKEY_SIZE) != 0) {
		say("%s: public key %s, not the key --pub names (the root key "
		    "stage2 trusts): stage2 would refuse the image",
		    keypath, pubhex);
		goto out;
	}
	if (read_all(in, &img, &size) != 0 ||
	    image_directory(in, img, size, &dir_at, &sig_at) != 0)
		goto out;
	blk = img + sig_at;
	had = le32_load(blk + BS_MAGIC) == BOOTSIG_MAGIC;
	for (unsigned i = 0; i < BOOTSIG_SIZE && !had; i++)
		if (blk[i] != 0) {
			say("%s: offset %zu (boot signature block): holds "
			    "neither zeros nor a signature block",
			    in, sig_at + i);
			goto out;
		}
	memset(blk, 0, BOOTSIG_SIZE);
	le32_store(blk + BS_MAGIC, BOOTSIG_MAGIC);
	le16_store(blk + BS_VERSION, BOOTSIG_VERSION);
	le32_store(blk + BS_KEY_ID, id);
	memcpy(msg, img + dir_at, GENEDIR_SIZE);
	memcpy(msg + GENEDIR_SIZE, blk, BS_SIGNATURE);
	if (openssl_sign(k, msg, sizeof msg, blk + BS_SIGNATURE) != 0)
		goto out;
	/* stage2's own verifier must accept what was signed. */
	if ((n = ed25519_verify(blk + BS_SIGNATURE, msg, sizeof msg, pub)) !=
	    0) {
		say("sign-image: the signature does not verify with the "
		    "kernel's own code (%s); nothing written",
		    cell_strerror(n));
		goto out;
	}
	if (outfile_write("cellos-sign", out, img, size) != 0)
		goto out;
	printf("%s: boot image signed%s, key id %u, public key %s%s\n", out,
	    had ? " again (the old signature replaced)" : "", id, pubhex,
	    test_key_name(pub) != NULL ? " (a TEST-ONLY key)" : "");
	rc = 0;
out:
	EVP_PKEY_free(k);
	free(img);
	return rc;
}

/* ---- sign-phenotype ---- */

/*
 * The bytes of the .pbin b[0..size) before its signature section (all of
 * them when it has none), found by walking its header, channels,
 * adjacency and sections. -1 after naming the problem.
 */
static long
pbin_content(const char *path, const uint8_t *b, size_t size)
{
	size_t off, n, last = 0;
	uint32_t tag = 0;

	if (size < PBIN_HDR_SIZE || le32_load(b) != PBIN_MAGIC) {
		say("%s: offset 0 (header.magic): not a .pbin", path);
		return -1;
	}
	n = le32_load(b + PBIN_OFF_NUM_CHANNELS);
	if (n > 255) {
		say("%s: offset %u (header.num_channels): %zu", path,
		    PBIN_OFF_NUM_CHANNELS, n);
		return -1;
	}
	off = PBIN_HDR_SIZE + n * PBIN_QOS_SIZE + (n * n + 7) / 8;
	while (off < size) {
		uint32_t len;

		if (size - off < PBIN_SECTION_HDR_SIZE ||
		    (len = le32_load(b + off + 4)) >
			size - off - PBIN_SECTION_HDR_SIZE) {
			say("%s: offset %zu (sections): a section runs past the "
			    "end of the file",
			    path, off);
			return -1;
		}
		if (tag == PBIN_SEC_SIGNATURE) {
			say("%s: offset %zu (sections.signature): not the last "
			    "section",
			    path, last);
			return -1;
		}
		last = off;
		tag = le32_load(b + off);
		off += PBIN_SECTION_HDR_SIZE + len;
	}
	if (off != size) {
		say("%s: offset %zu: the file ends inside its channels or "
		    "adjacency",
		    path, size);
		return -1;
	}
	return (long)(tag == PBIN_SEC_SIGNATURE ? last : size);
}

static int
cmd_sign_phenotype(int argc, char **argv)
{
	struct opt opts[] = {
		{ "key", 0, 1, NULL },
		{ "key-id", 0, 1, NULL },
		{ "in", 0, 1, NULL },
		{ "output", 'o', 1, NULL },
		{ "test-key", 0, 0, NULL },
		{ NULL, 0, 0, NULL },
	};
	static const char *const required[] = { "key", "key-id", "in",
		"output" };
	uint8_t pub[ED25519_PUBKEY_SIZE], *in_bytes = NULL, *out_bytes = NULL;
	const char *pos[1], *keypath, *in, *out;
	struct pbin_writer w;
	struct signer signer;
	size_t size;
	long content;
	uint32_t id;
	EVP_PKEY *k;
	int n, rc;

	if ((rc = parse_args("sign-phenotype", argc, argv, opts, pos, 0, &n)) !=
	    0)
		return rc < 0 ? help() : rc;
	for (size_t i = 0; i < sizeof required / sizeof required[0]; i++)
		if ((rc = require("sign-phenotype", opts, required[i])) != 0)
			return rc;
	if ((rc = parse_u32("sign-phenotype", "key-id",
		 opt_value(opts, "key-id"), &id)) != 0)
		return rc;
	keypath = opt_value(opts, "key");
	in = opt_value(opts, "in");
	out = opt_value(opts, "output");
	if ((k = load_key(keypath, 0)) == NULL)
		return EXIT_REFUSED;
	rc = EXIT_REFUSED;
	if (raw_public(keypath, k, pub) != 0 ||
	    check_test_key(keypath, pub, opt_value(opts, "test-key") != NULL,
		"signing with it is") != 0)
		goto out;
	if (read_all(in, &in_bytes, &size) != 0 ||
	    (content = pbin_content(in, in_bytes, size)) < 0)
		goto out;
	if ((out_bytes = malloc((size_t)content + PBIN_SIGNATURE_SECTION)) ==
	    NULL) {
		say("out of memory");
		goto out;
	}
	memcpy(out_bytes, in_bytes, (size_t)content);
	pbin_writer_init(&w, out_bytes,
	    (size_t)content + PBIN_SIGNATURE_SECTION);
	w.len = (size_t)content;
	signer = (struct signer){ openssl_sign, k };
	if (pbin_put_signature(&w, id, &signer) != 0)
		goto out;
	if ((n = ed25519_verify(out_bytes + w.len - ED25519_SIG_SIZE, out_bytes,
		 w.len - ED25519_SIG_SIZE, pub)) != 0) {
		say("sign-phenotype: the signature does not verify with the "
		    "kernel's own code (%s); nothing written",
		    cell_strerror(n));
		goto out;
	}
	if (outfile_write("cellos-sign", out, out_bytes, w.len) != 0)
		goto out;
	printf("%s: phenotype signed, key id %u, %ld bytes before the "
	       "signature%s\n",
	    out, id, content,
	    (size_t)content != size ? " (its old signature replaced)" : "");
	rc = 0;
out:
	EVP_PKEY_free(k);
	free(in_bytes);
	free(out_bytes);
	return rc;
}

int
main(int argc, char **argv)
{
	static const struct {
		const char *name;
		int (*fn)(int, char **);
	} commands[] = {
		{ "keygen", cmd_keygen },
		{ "pubkey", cmd_pubkey },
		{ "sign", cmd_sign },
		{ "verify", cmd_verify },
		{ "rotate", cmd_rotate },
		{ "sign-image", cmd_sign_image },
		{ "sign-phenotype", cmd_sign_phenotype },
	};

	if (argc < 2)
		return usage_error("no command given");
	if (strcmp(argv[1], "-h") == 0 || strcmp(argv[1], "--help") == 0 ||
	    strcmp(argv[1], "help") == 0) {
		return help();
	}
	for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
		if (strcmp(argv[1], commands[i].name) == 0)
			return commands[i].fn(argc - 1, argv + 1);
	return usage_error("unknown command '%s'", argv[1]);
}
