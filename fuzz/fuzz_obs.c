/*
 * OBS records and the log reader. The first byte picks the target: the
 * record decoder on the rest as a payload, or the obs-replay/verify-proofs
 * log reader on the rest as a captured console log (its "#P" lines go
 * through hex, parcel and record decoding, E8 and E10 are recomputed).
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "obs_codec.h"
#include "prooflog.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void
visit(void *ctx, const struct plog_obs_visit *v, const void *record)
{
	(void)ctx;
	if (record == NULL && v->error == 0)
		abort(); /* a failure must say why */
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct obs_record r;
	struct plog log;
	unsigned problems = 0;
	uint32_t entries, hash;

	if (size == 0)
		return 0;
	if (data[0] & 1) {
		if (obs_decode(data + 1, size - 1, &r) == 0 &&
		    (r.len > OBS_PAYLOAD_MAX ||
			r.payload + r.len > data + size))
			abort(); /* it read past the record */
		return 0;
	}
	memset(&log, 0, sizeof log);
	log.path = "fuzz.log";
	log.quiet = 1;
	log.text = malloc(size);
	memcpy(log.text, data + 1, size - 1);
	log.text[size - 1] = '\0';
	log.len = size - 1;
	plog_index(&log, &problems);
	plog_each_obs(&log, 0, visit, NULL);
	(void)plog_recompute_e8(&log, &entries, &hash);
	(void)plog_recompute_e10(&log);
	plog_free(&log);
	return 0;
}
