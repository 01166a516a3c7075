/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * libFuzzer target for the DHCP codec (src/apps/dhcp_codec.c): every input
 * is a UDP payload. Parsing must return a known error or a message; a
 * parsed request must then build a reply that fits, ends with the end
 * option and parses back. Never a crash or an out-of-bounds read.
 */
#include <stdlib.h>
#include <string.h>

#include "dhcp_codec.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct nfv_dhcp_reply_spec spec;
	struct nfv_dhcp_msg msg, back;
	struct nfv_dhcp_dest dest;
	enum nfv_dhcp_err err;
	uint8_t buf[1500];
	size_t len;

	err = nfv_dhcp_parse(data, size, &msg);
	if (err >= NFV_DHCP_N_ERRORS || nfv_dhcp_err_str(err) == NULL)
		abort();
	if (err != NFV_DHCP_ERR_OK)
		return 0;

	memset(&spec, 0, sizeof(spec));
	spec.msg_type = msg.msg_type == NFV_DHCP_DISCOVER ? NFV_DHCP_OFFER :
			(msg.xid & 1) ? NFV_DHCP_ACK : NFV_DHCP_NAK;
	spec.yiaddr = 0x0a000064;
	spec.server_id = 0x0a000001;
	spec.subnet_mask = 0xffffff00;
	spec.router = 0x0a000001;
	spec.dns[0] = 0x0a000002;
	spec.n_dns = 1;
	spec.domain_name = "fuzz.example";
	spec.lease_time = msg.xid;
	spec.mtu = 1500;
	spec.broadcast = 0x0a0000ff;
	spec.routes[0].dst = msg.ciaddr;
	spec.routes[0].prefix_len = msg.secs % 33;
	spec.routes[0].gateway = 0x0a000001;
	spec.n_routes = 1;
	spec.message = msg.hostname_len ? msg.hostname : NULL;
	if (nfv_dhcp_build_reply(&msg, &spec, buf, sizeof(buf), &len) != 0)
		abort();
	if (len < NFV_DHCP_MIN_REPLY_LEN || len > sizeof(buf))
		abort();
	if (nfv_dhcp_parse(buf, len, &back) != NFV_DHCP_ERR_OK ||
	    back.msg_type != spec.msg_type || back.xid != msg.xid)
		abort();
	nfv_dhcp_reply_dest(&msg, spec.msg_type, spec.yiaddr, &dest);
	return 0;
}
