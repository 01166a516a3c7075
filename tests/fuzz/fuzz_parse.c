/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * libFuzzer target for the packet parser (src/pipeline/parse.c): every input
 * is one frame given to nfv_parse_buf(). Build with
 * clang -fsanitize=fuzzer,address so that any read past the input is
 * caught; besides that, the target aborts when a parse breaks one of the
 * parser's promises: the key is fully written (the same result over two
 * differently prefilled keys), padding and metadata are zero, the return
 * value matches the flags, and the header offsets lie inside the headers.
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "parse.h"

#define IN_PORT 3

static void
check(bool cond)
{
	if (!cond)
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const uint8_t zero[sizeof(((struct nfv_flow_key *)0)->pad)];
	struct nfv_flow_key key, key2;
	struct nfv_pkt_meta meta, meta2;
	uint32_t len = size > UINT32_MAX ? UINT32_MAX : (uint32_t)size;
	uint32_t max = len < NFV_PARSE_HDR_MAX ? len : NFV_PARSE_HDR_MAX;
	bool ok;

	memset(&key, 0x00, sizeof(key));
	memset(&key2, 0xff, sizeof(key2));
	memset(&meta2, 0xff, sizeof(meta2));
	ok = nfv_parse_buf(data, len, IN_PORT, &key, &meta);
	check(nfv_parse_buf(data, len, IN_PORT, &key2, &meta2) == ok);
	check(memcmp(&key, &key2, sizeof(key)) == 0);
	check(memcmp(&meta, &meta2, sizeof(meta)) == 0);

	check(ok == (meta.flags == 0));
	check(meta.flags == 0 || meta.flags == NFV_PARSE_TRUNCATED ||
	      meta.flags == NFV_PARSE_MALFORMED);
	check(key.in_port == IN_PORT && key.metadata == 0);
	check(memcmp(key.pad, zero, sizeof(zero)) == 0);
	check(meta.n_vlans <= 2);
	check(meta.vlan_ofs == (meta.n_vlans ? 12 : 0));
	check(meta.l3_ofs == 0 || (meta.l3_ofs >= 14 && meta.l3_ofs < max));
	check(meta.l4_ofs == 0 || (meta.l3_ofs != 0 &&
				   meta.l4_ofs > meta.l3_ofs &&
				   meta.l4_ofs < max));
	check((key.ip_frag & NFV_FRAG_LATER) == 0 || meta.l4_ofs == 0);
	check(key.ipv6_exthdr < 0x200);
	return 0;
}
