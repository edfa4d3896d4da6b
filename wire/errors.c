/* cell_strerror: names for the CELL_E_* codes. */
#include "cellos/errors.h"

static const char *const error_names[] = {
	[CELL_OK] = "ok",
	[CELL_E_INVAL] = "invalid argument",
	[CELL_E_TRUNCATED] = "truncated",
	[CELL_E_LENGTH] = "length mismatch",
	[CELL_E_FLAGS] = "unknown flags",
	[CELL_E_BADMAC] = "bad MAC",
	[CELL_E_MAGIC] = "bad magic",
	[CELL_E_VERSION] = "unsupported version",
	[CELL_E_RANGE] = "value out of range",
	[CELL_E_NOSPACE] = "no space",
	[CELL_E_NOENT] = "no such entry",
	[CELL_E_IO] = "I/O error",
	[CELL_E_BADHASH] = "bad hash",
	[CELL_E_ROLLBACK] = "rollback refused",
	[CELL_E_BUSY] = "busy",
	[CELL_E_DEAD] = "gene is dead",
	[CELL_E_ROUTE] = "no such route",
	[CELL_E_BUDGET] = "over budget",
	[CELL_E_NOSYS] = "not supported on this target",
	[CELL_E_CRC] = "bad CRC",
	[CELL_E_TOOLONG] = "too long",
	[CELL_E_EXISTS] = "already exists",
	[CELL_E_UNSUPPORTED] = "unsupported",
	[CELL_E_BADSIG] = "bad signature",
	[CELL_E_WEAKKEY] = "weak key",
	[CELL_E_REVOKED] = "revoked key",
	[CELL_E_RESERVED] = "reserved field not zero",
};

const char *
cell_strerror(int err)
{
	unsigned code = err < 0 ? (unsigned)-err : (unsigned)err;

	if (code < sizeof error_names / sizeof error_names[0] &&
	    error_names[code] != 0)
		return error_names[code];
	return "unknown error";
}
