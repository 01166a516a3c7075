/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * DHCPv4 codec (see dhcp_codec.h): bounds-checked parsing of BOOTP
 * requests and their options, reply building that honours the parameter
 * request list, RFC 3442 route encoding and the reply destination rules
 * of RFC 2131 section 4.1. Used by the DHCP app; no DPDK, no state.
 */
#include <errno.h>
#include <string.h>

#include "dhcp_codec.h"
#include "wire.h"
#include "nfv_common.h"

/* Offsets in the BOOTP fixed header. */
#define OFF_OP 0
#define OFF_HTYPE 1
#define OFF_HLEN 2
#define OFF_HOPS 3
#define OFF_XID 4
#define OFF_SECS 8
#define OFF_FLAGS 10
#define OFF_CIADDR 12
#define OFF_YIADDR 16
#define OFF_SIADDR 20
#define OFF_GIADDR 24
#define OFF_CHADDR 28
#define OFF_COOKIE NFV_DHCP_FIXED_LEN
#define OFF_OPTIONS (NFV_DHCP_FIXED_LEN + 4)

static const char *const err_strs[] = {
#define ERR_STR(name, text) text,
	NFV_DHCP_ERRORS(ERR_STR)
#undef ERR_STR
};

static const char *const msg_type_strs[] = {
	"?", "DISCOVER", "OFFER", "REQUEST", "DECLINE",
	"ACK", "NAK", "RELEASE", "INFORM",
};

const char *
nfv_dhcp_err_str(enum nfv_dhcp_err err)
{
	if ((unsigned int)err >= NFV_DHCP_N_ERRORS)
		return "unknown error";
	return err_strs[err];
}

const char *
nfv_dhcp_msg_type_str(uint8_t type)
{
	if (type >= NFV_ARRAY_SIZE(msg_type_strs))
		return "?";
	return msg_type_strs[type];
}

/*
 * Appends 'len' bytes of a variable-length option to 'dst' (RFC 3396
 * allows a long option to be split into several instances, which are
 * concatenated). Returns false if the result would exceed the maximum.
 */
static bool
opt_append(uint8_t *dst, uint16_t *dst_len, const uint8_t *val, uint8_t len)
{
	if (*dst_len + len > NFV_DHCP_OPT_MAX)
		return false;
	memcpy(dst + *dst_len, val, len);
	*dst_len += len;
	return true;
}

/* Reads a 4-byte single-valued option into '*out'. */
static enum nfv_dhcp_err
opt_get_u32(const uint8_t *val, uint8_t len, bool *seen, uint32_t *out)
{
	if (len != 4)
		return NFV_DHCP_ERR_BAD_OPT_LEN;
	if (*seen)
		return NFV_DHCP_ERR_DUP_OPTION;
	*seen = true;
	*out = get_be32(val);
	return NFV_DHCP_ERR_OK;
}

static enum nfv_dhcp_err
parse_option(uint8_t code, const uint8_t *val, uint8_t len,
	     struct nfv_dhcp_msg *msg)
{
	switch (code) {
	case NFV_DHCP_OPT_MSG_TYPE:
		if (len != 1)
			return NFV_DHCP_ERR_BAD_OPT_LEN;
		if (msg->msg_type != 0)
			return NFV_DHCP_ERR_DUP_OPTION;
		if (val[0] < NFV_DHCP_DISCOVER || val[0] > NFV_DHCP_INFORM)
			return NFV_DHCP_ERR_BAD_MSG_TYPE;
		msg->msg_type = val[0];
		return NFV_DHCP_ERR_OK;
	case NFV_DHCP_OPT_REQUESTED_IP:
		return opt_get_u32(val, len, &msg->has_requested_ip,
				   &msg->requested_ip);
	case NFV_DHCP_OPT_SERVER_ID:
		return opt_get_u32(val, len, &msg->has_server_id,
				   &msg->server_id);
	case NFV_DHCP_OPT_LEASE_TIME:
		return opt_get_u32(val, len, &msg->has_lease_time,
				   &msg->lease_time);
	case NFV_DHCP_OPT_OVERLOAD:
		return NFV_DHCP_ERR_OVERLOAD;
	case NFV_DHCP_OPT_PRL:
		if (len == 0)
			return NFV_DHCP_ERR_BAD_OPT_LEN;
		if (!opt_append(msg->prl, &msg->n_prl, val, len))
			return NFV_DHCP_ERR_BAD_OPT_LEN;
		return NFV_DHCP_ERR_OK;
	case NFV_DHCP_OPT_CLIENT_ID:
		/* RFC 2132 9.14: type byte plus at least one byte. */
		if (len < 2 && msg->client_id_len == 0)
			return NFV_DHCP_ERR_BAD_OPT_LEN;
		if (!opt_append(msg->client_id, &msg->client_id_len, val, len))
			return NFV_DHCP_ERR_BAD_OPT_LEN;
		return NFV_DHCP_ERR_OK;
	case NFV_DHCP_OPT_HOSTNAME:
		if (len == 0)
			return NFV_DHCP_ERR_BAD_OPT_LEN;
		if (!opt_append((uint8_t *)msg->hostname, &msg->hostname_len,
				val, len))
			return NFV_DHCP_ERR_BAD_OPT_LEN;
		msg->hostname[msg->hostname_len] = '\0';
		return NFV_DHCP_ERR_OK;
	default:
		return NFV_DHCP_ERR_OK;         /* ignored */
	}
}

enum nfv_dhcp_err
nfv_dhcp_parse(const uint8_t *data, size_t len, struct nfv_dhcp_msg *msg)
{
	enum nfv_dhcp_err err;
	size_t off;

	memset(msg, 0, sizeof(*msg));
	if (len < NFV_DHCP_FIXED_LEN)
		return NFV_DHCP_ERR_SHORT;
	msg->op = data[OFF_OP];
	if (msg->op != NFV_BOOTREQUEST && msg->op != NFV_BOOTREPLY)
		return NFV_DHCP_ERR_BAD_OP;
	msg->htype = data[OFF_HTYPE];
	msg->hlen = data[OFF_HLEN];
	if (msg->hlen > NFV_DHCP_CHADDR_LEN)
		return NFV_DHCP_ERR_BAD_HLEN;
	msg->hops = data[OFF_HOPS];
	msg->xid = get_be32(data + OFF_XID);
	msg->secs = get_be16(data + OFF_SECS);
	msg->flags = get_be16(data + OFF_FLAGS);
	msg->ciaddr = get_be32(data + OFF_CIADDR);
	msg->yiaddr = get_be32(data + OFF_YIADDR);
	msg->siaddr = get_be32(data + OFF_SIADDR);
	msg->giaddr = get_be32(data + OFF_GIADDR);
	memcpy(msg->chaddr, data + OFF_CHADDR, NFV_DHCP_CHADDR_LEN);

	if (len < OFF_OPTIONS)
		return NFV_DHCP_ERR_NO_COOKIE;
	if (get_be32(data + OFF_COOKIE) != NFV_DHCP_COOKIE)
		return NFV_DHCP_ERR_BAD_COOKIE;

	off = OFF_OPTIONS;
	for (;;) {
		uint8_t code, opt_len;

		if (off >= len)
			return NFV_DHCP_ERR_NO_END;
		code = data[off++];
		if (code == NFV_DHCP_OPT_PAD)
			continue;
		if (code == NFV_DHCP_OPT_END)
			break;
		if (off >= len)
			return NFV_DHCP_ERR_OPT_OVERRUN;
		opt_len = data[off++];
		if (opt_len > len - off)
			return NFV_DHCP_ERR_OPT_OVERRUN;
		err = parse_option(code, data + off, opt_len, msg);
		if (err != NFV_DHCP_ERR_OK)
			return err;
		off += opt_len;
	}

	/* Whatever follows the end option is padding and is ignored. */
	if (msg->msg_type == 0)
		return NFV_DHCP_ERR_NO_MSG_TYPE;
	return NFV_DHCP_ERR_OK;
}

bool
nfv_dhcp_prl_has(const struct nfv_dhcp_msg *msg, uint8_t code)
{
	return memchr(msg->prl, code, msg->n_prl) != NULL;
}

int
nfv_dhcp_encode_routes(const struct nfv_dhcp_route *routes, size_t n,
		       uint8_t *buf, size_t buf_size)
{
	size_t i, off = 0;

	for (i = 0; i < n; i++) {
		const struct nfv_dhcp_route *r = &routes[i];
		size_t n_octets = (r->prefix_len + 7) / 8;
		uint32_t dst;
		uint8_t dst_be[4];

		if (r->prefix_len > 32)
			return -EINVAL;
		if (buf_size - off < 1 + n_octets + 4)
			return -ENOSPC;
		/* Only the significant octets are sent; host bits must be 0. */
		dst = r->prefix_len == 0 ? 0 :
		      r->dst & (0xffffffffu << (32 - r->prefix_len));
		put_be32(dst_be, dst);
		buf[off++] = r->prefix_len;
		memcpy(buf + off, dst_be, n_octets);
		off += n_octets;
		put_be32(buf + off, r->gateway);
		off += 4;
	}
	return (int)off;
}

/* A cursor over the options area of a reply being built. */
struct opt_writer {
	uint8_t *buf;
	size_t size;
	size_t off;
	bool overflow;
};

static void
put_opt(struct opt_writer *w, uint8_t code, const void *val, size_t len)
{
	if (len > NFV_DHCP_OPT_MAX || w->size - w->off < 2 + len) {
		w->overflow = true;
		return;
	}
	w->buf[w->off++] = code;
	w->buf[w->off++] = (uint8_t)len;
	memcpy(w->buf + w->off, val, len);
	w->off += len;
}

static void
put_opt_u32(struct opt_writer *w, uint8_t code, uint32_t v)
{
	uint8_t be[4];

	put_be32(be, v);
	put_opt(w, code, be, 4);
}

/*
 * Writes option 'code' from 'spec' if it is configured. Returns -EINVAL for
 * a bad value in 'spec', else 0.
 */
static int
put_spec_opt(struct opt_writer *w, uint8_t code,
	     const struct nfv_dhcp_reply_spec *spec)
{
	uint8_t val[NFV_DHCP_OPT_MAX];
	size_t i, len;
	int n;

	switch (code) {
	case NFV_DHCP_OPT_SUBNET_MASK:
		if (spec->subnet_mask != 0)
			put_opt_u32(w, code, spec->subnet_mask);
		break;
	case NFV_DHCP_OPT_ROUTER:
		if (spec->router != 0)
			put_opt_u32(w, code, spec->router);
		break;
	case NFV_DHCP_OPT_DNS:
		if (spec->n_dns > NFV_DHCP_DNS_MAX)
			return -EINVAL;
		for (i = 0; i < spec->n_dns; i++)
			put_be32(val + 4 * i, spec->dns[i]);
		if (spec->n_dns > 0)
			put_opt(w, code, val, 4 * spec->n_dns);
		break;
	case NFV_DHCP_OPT_DOMAIN_NAME:
		if (spec->domain_name == NULL || spec->domain_name[0] == '\0')
			break;
		len = strlen(spec->domain_name);
		if (len > NFV_DHCP_OPT_MAX)
			return -EINVAL;
		put_opt(w, code, spec->domain_name, len);
		break;
	case NFV_DHCP_OPT_MTU:
		if (spec->mtu == 0)
			break;
		if (spec->mtu < 68)     /* RFC 2132 5.1 minimum */
			return -EINVAL;
		put_be16(val, spec->mtu);
		put_opt(w, code, val, 2);
		break;
	case NFV_DHCP_OPT_BROADCAST:
		if (spec->broadcast != 0)
			put_opt_u32(w, code, spec->broadcast);
		break;
	case NFV_DHCP_OPT_T1:
		put_opt_u32(w, code, spec->t1 != 0 ? spec->t1 :
			    spec->lease_time / 2);
		break;
	case NFV_DHCP_OPT_T2:
		put_opt_u32(w, code, spec->t2 != 0 ? spec->t2 :
			    (uint32_t)((uint64_t)spec->lease_time * 7 / 8));
		break;
	case NFV_DHCP_OPT_CLASSLESS_ROUTES:
		if (spec->n_routes == 0)
			break;
		if (spec->n_routes > NFV_DHCP_ROUTES_MAX)
			return -EINVAL;
		n = nfv_dhcp_encode_routes(spec->routes, spec->n_routes,
					   val, sizeof(val));
		if (n < 0)
			return n;
		put_opt(w, code, val, (size_t)n);
		break;
	default:
		break;
	}
	return 0;
}

/* Options sent only when the parameter request list names them. */
static bool
is_optional(uint8_t code)
{
	switch (code) {
	case NFV_DHCP_OPT_DNS:
	case NFV_DHCP_OPT_DOMAIN_NAME:
	case NFV_DHCP_OPT_MTU:
	case NFV_DHCP_OPT_BROADCAST:
	case NFV_DHCP_OPT_T1:
	case NFV_DHCP_OPT_T2:
	case NFV_DHCP_OPT_CLASSLESS_ROUTES:
		return true;
	default:
		return false;
	}
}

static void
build_header(const struct nfv_dhcp_msg *req,
	     const struct nfv_dhcp_reply_spec *spec, uint8_t *buf)
{
	uint16_t flags = req->flags & NFV_DHCP_FLAG_BROADCAST;

	memset(buf, 0, OFF_OPTIONS);
	buf[OFF_OP] = NFV_BOOTREPLY;
	buf[OFF_HTYPE] = req->htype;
	buf[OFF_HLEN] = req->hlen;
	put_be32(buf + OFF_XID, req->xid);
	if (spec->msg_type == NFV_DHCP_NAK) {
		/* RFC 2131 4.3.2: a relay must broadcast a NAK. */
		if (req->giaddr != 0)
			flags |= NFV_DHCP_FLAG_BROADCAST;
	} else {
		/* Table 3: ciaddr echoed in an ACK, 0 in an OFFER. */
		if (spec->msg_type == NFV_DHCP_ACK)
			put_be32(buf + OFF_CIADDR, req->ciaddr);
		put_be32(buf + OFF_YIADDR, spec->yiaddr);
	}
	put_be16(buf + OFF_FLAGS, flags);
	put_be32(buf + OFF_GIADDR, req->giaddr);
	memcpy(buf + OFF_CHADDR, req->chaddr, NFV_DHCP_CHADDR_LEN);
	put_be32(buf + OFF_COOKIE, NFV_DHCP_COOKIE);
}

int
nfv_dhcp_build_reply(const struct nfv_dhcp_msg *req,
		     const struct nfv_dhcp_reply_spec *spec,
		     uint8_t *buf, size_t buf_size, size_t *len)
{
	struct opt_writer w;
	uint8_t sent[256 / 8] = { 0 };
	bool inform = req->msg_type == NFV_DHCP_INFORM;
	uint16_t i;
	int ret;

	if (spec->msg_type != NFV_DHCP_OFFER &&
	    spec->msg_type != NFV_DHCP_ACK && spec->msg_type != NFV_DHCP_NAK)
		return -EINVAL;
	if (buf_size < NFV_DHCP_MIN_REPLY_LEN)
		return -ENOSPC;
	build_header(req, spec, buf);

	w.buf = buf;
	w.size = buf_size - 1;          /* room for the end option */
	w.off = OFF_OPTIONS;
	w.overflow = false;

	put_opt(&w, NFV_DHCP_OPT_MSG_TYPE, &spec->msg_type, 1);
	put_opt_u32(&w, NFV_DHCP_OPT_SERVER_ID, spec->server_id);
	/* RFC 6842: the client identifier is echoed in every reply. */
	if (req->client_id_len > 0)
		put_opt(&w, NFV_DHCP_OPT_CLIENT_ID, req->client_id,
			req->client_id_len);
	if (spec->msg_type == NFV_DHCP_NAK) {
		if (spec->message != NULL && spec->message[0] != '\0')
			put_opt(&w, NFV_DHCP_OPT_MESSAGE, spec->message,
				strnlen(spec->message, NFV_DHCP_OPT_MAX));
		goto out_end;
	}

	/* The essentials, whether asked for or not. */
	if (!inform)
		put_opt_u32(&w, NFV_DHCP_OPT_LEASE_TIME, spec->lease_time);
	ret = put_spec_opt(&w, NFV_DHCP_OPT_SUBNET_MASK, spec);
	if (ret == 0)
		ret = put_spec_opt(&w, NFV_DHCP_OPT_ROUTER, spec);
	if (ret < 0)
		return ret;

	/* The rest in the client's order, each once. */
	for (i = 0; i < req->n_prl; i++) {
		uint8_t code = req->prl[i];

		if (!is_optional(code) || (sent[code / 8] & (1u << code % 8)))
			continue;
		if (inform && (code == NFV_DHCP_OPT_T1 ||
			       code == NFV_DHCP_OPT_T2))
			continue;
		sent[code / 8] |= 1u << code % 8;
		ret = put_spec_opt(&w, code, spec);
		if (ret < 0)
			return ret;
	}

out_end:
	if (w.overflow)
		return -ENOSPC;
	buf[w.off++] = NFV_DHCP_OPT_END;
	if (w.off < NFV_DHCP_MIN_REPLY_LEN) {
		memset(buf + w.off, 0, NFV_DHCP_MIN_REPLY_LEN - w.off);
		w.off = NFV_DHCP_MIN_REPLY_LEN;
	}
	*len = w.off;
	return 0;
}

void
nfv_dhcp_reply_dest(const struct nfv_dhcp_msg *req, uint8_t reply_type,
		    uint32_t yiaddr, struct nfv_dhcp_dest *dest)
{
	memset(dest, 0, sizeof(*dest));
	if (req->giaddr != 0) {
		dest->kind = NFV_DHCP_DEST_RELAY;
		dest->ip = req->giaddr;
		dest->port = NFV_DHCP_SERVER_PORT;
		return;
	}
	dest->port = NFV_DHCP_CLIENT_PORT;
	if (reply_type == NFV_DHCP_NAK) {
		dest->kind = NFV_DHCP_DEST_BROADCAST;
		dest->ip = 0xffffffff;
		dest->l2_broadcast = true;
	} else if (req->ciaddr != 0) {
		dest->kind = NFV_DHCP_DEST_CIADDR;
		dest->ip = req->ciaddr;
	} else if (nfv_dhcp_wants_broadcast(req) || yiaddr == 0) {
		dest->kind = NFV_DHCP_DEST_BROADCAST;
		dest->ip = 0xffffffff;
		dest->l2_broadcast = true;
	} else {
		dest->kind = NFV_DHCP_DEST_YIADDR;
		dest->ip = yiaddr;
	}
}
