/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * libFuzzer target for the OpenFlow 1.3 codec (src/ofproto/ofp_codec*.c).
 * Every input is decoded twice: as it is (header checks), and with the
 * header's version and length fixed up to match the input, so the fuzzer
 * reaches the bodies without having to learn the framing. A message that
 * decodes must encode (every type ofp_decode() accepts can be encoded),
 * and that encoding must decode to a message that encodes to the same
 * bytes. A decode error must be one the codec can name. A FLOW_MOD must
 * also survive a trip through a flow stats reply. The input is also read
 * as a bare OXM match and as a multipart reply of flow stats (the
 * controller-side decoders). Any inconsistency abort()s.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "ofp_codec.h"

/* struct ofp_msg and the writer are large: not on the stack. */
static struct ofp_msg msg, again;
static struct ofp_flow_stats fs;
static struct ofp_mp_writer writer;
static uint8_t fixed[OFP_MSG_MAX];
static uint8_t out[64 * 1024], out2[64 * 1024];
static uint8_t stats[OFP_MSG_MAX];
static size_t stats_len;

static int
keep_reply(void *arg, const void *m, size_t len)
{
	(void)arg;
	if (len > sizeof(stats))
		abort();
	memcpy(stats, m, len);
	stats_len = len;
	return 0;
}

static void
check_error(struct ofp_error err)
{
	if (strcmp(ofp_error_code_name(err), "unknown") == 0)
		abort();
}

/* key & mask == key: what every decoded match must keep. */
static void
check_match(const struct nfv_match *m)
{
	const uint64_t *k = (const uint64_t *)&m->key;
	const uint64_t *mk = (const uint64_t *)&m->mask;

	for (unsigned int i = 0; i < NFV_KEY_WORDS; i++)
		if ((k[i] & mk[i]) != k[i])
			abort();
	if (!nfv_match_prereqs_ok(m, NULL))
		abort();
}

/* The decoded FLOW_MOD as a flow stats entry, decoded back. */
static void
check_flow_stats(const struct ofp_flow_mod *fm)
{
	struct ofp_mp_reply r;
	struct ofp_error err;
	const uint8_t *body;
	size_t len;

	memset(&fs, 0, offsetof(struct ofp_flow_stats, spec));
	fs.spec = fm->spec;
	fs.packet_count = 1;
	stats_len = 0;
	ofp_mp_writer_init(&writer, OFPMP_FLOW, msg.xid, keep_reply, NULL);
	if (ofp_mp_add_flow_stats(&writer, &fs) != 0 ||
	    ofp_mp_writer_finish(&writer) != 0)
		abort();
	if (ofp_decode_mp_reply(stats, stats_len, &r, &err) != 0 ||
	    r.flags != 0 || r.type != OFPMP_FLOW)
		abort();
	body = r.body;
	len = r.body_len;
	if (ofp_decode_flow_stats(&body, &len, &fs, &err) != 1 || len != 0)
		abort();
	if (memcmp(&fs.spec.match, &fm->spec.match, sizeof(fs.spec.match)) ||
	    fs.spec.n_actions != fm->spec.n_actions ||
	    fs.spec.n_write_actions != fm->spec.n_write_actions ||
	    fs.spec.has_goto != fm->spec.has_goto ||
	    fs.spec.priority != fm->spec.priority ||
	    fs.spec.cookie != fm->spec.cookie)
		abort();
}

static void
check_message(const uint8_t *data, size_t size)
{
	struct ofp_error err;
	int len, len2;

	if (ofp_decode(data, size, &msg, &err) != 0) {
		check_error(err);
		return;
	}
	if (msg.type == OFPT_FLOW_MOD) {
		check_match(&msg.u.flow_mod.spec.match);
		check_flow_stats(&msg.u.flow_mod);
	}
	len = ofp_encode(&msg, out, sizeof(out));
	if (len < OFP_HEADER_LEN || ofp_frame_len(out, len) != len)
		abort();
	if (ofp_decode(out, len, &again, &err) != 0)
		abort();
	if (again.type != msg.type || again.xid != msg.xid)
		abort();
	len2 = ofp_encode(&again, out2, sizeof(out2));
	if (len2 != len || memcmp(out, out2, len) != 0)
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct ofp_mp_reply r;
	struct ofp_error err;
	struct nfv_match m;
	const uint8_t *body;
	size_t mlen, blen;
	int n, ret;

	n = ofp_frame_len(data, size);
	if (size >= OFP_HEADER_LEN ? n == 0 : n != 0)
		abort();

	check_message(data, size);
	if (size >= OFP_HEADER_LEN && size <= OFP_MSG_MAX) {
		memcpy(fixed, data, size);
		fixed[0] = OFP_VERSION;
		fixed[2] = size >> 8;
		fixed[3] = size;
		check_message(fixed, size);
	}

	if (ofp_decode_match(data, size, &m, &mlen, &err) == 0) {
		if (mlen > size || mlen % 8)
			abort();
		check_match(&m);
	} else {
		check_error(err);
	}

	if (ofp_decode_mp_reply(data, size, &r, &err) == 0) {
		body = r.body;
		blen = r.body_len;
		while ((ret = ofp_decode_flow_stats(&body, &blen, &fs,
						    &err)) == 1)
			check_match(&fs.spec.match);
		if (ret < 0)
			check_error(err);
	}
	return 0;
}
