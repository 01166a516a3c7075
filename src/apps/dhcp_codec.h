/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * DHCPv4 message codec for the DHCP app (RFC 2131, RFC 2132, RFC 3442).
 * Pure: it turns a UDP payload into a validated struct nfv_dhcp_msg or an
 * enum nfv_dhcp_err, builds a BOOTREPLY from a request and a reply spec,
 * and decides where a reply goes (RFC 2131 section 4.1). It knows nothing
 * about leases (lease_store.h) or packets and flows (the DHCP app).
 * All IPv4 addresses in the structs are in host byte order.
 */
#ifndef NFV_DHCP_CODEC_H
#define NFV_DHCP_CODEC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define NFV_DHCP_FIXED_LEN 236          /* BOOTP header up to 'options' */
#define NFV_DHCP_COOKIE 0x63825363      /* 99.130.83.99 */
#define NFV_DHCP_MIN_REPLY_LEN 300      /* BOOTP minimum, padded */
#define NFV_DHCP_CHADDR_LEN 16
#define NFV_DHCP_OPT_MAX 255            /* bytes of one (concatenated) option */
#define NFV_DHCP_DNS_MAX 4
#define NFV_DHCP_ROUTES_MAX 16
#define NFV_DHCP_SERVER_PORT 67
#define NFV_DHCP_CLIENT_PORT 68
#define NFV_DHCP_FLAG_BROADCAST 0x8000

enum nfv_dhcp_op {
	NFV_BOOTREQUEST = 1,
	NFV_BOOTREPLY = 2,
};

/* Option 53 values. */
enum nfv_dhcp_msg_type {
	NFV_DHCP_DISCOVER = 1,
	NFV_DHCP_OFFER = 2,
	NFV_DHCP_REQUEST = 3,
	NFV_DHCP_DECLINE = 4,
	NFV_DHCP_ACK = 5,
	NFV_DHCP_NAK = 6,
	NFV_DHCP_RELEASE = 7,
	NFV_DHCP_INFORM = 8,
};

/* Option codes the codec reads or writes. */
enum nfv_dhcp_opt {
	NFV_DHCP_OPT_PAD = 0,
	NFV_DHCP_OPT_SUBNET_MASK = 1,
	NFV_DHCP_OPT_ROUTER = 3,
	NFV_DHCP_OPT_DNS = 6,
	NFV_DHCP_OPT_HOSTNAME = 12,
	NFV_DHCP_OPT_DOMAIN_NAME = 15,
	NFV_DHCP_OPT_MTU = 26,
	NFV_DHCP_OPT_BROADCAST = 28,
	NFV_DHCP_OPT_REQUESTED_IP = 50,
	NFV_DHCP_OPT_LEASE_TIME = 51,
	NFV_DHCP_OPT_OVERLOAD = 52,
	NFV_DHCP_OPT_MSG_TYPE = 53,
	NFV_DHCP_OPT_SERVER_ID = 54,
	NFV_DHCP_OPT_PRL = 55,
	NFV_DHCP_OPT_MESSAGE = 56,
	NFV_DHCP_OPT_T1 = 58,
	NFV_DHCP_OPT_T2 = 59,
	NFV_DHCP_OPT_CLIENT_ID = 61,
	NFV_DHCP_OPT_CLASSLESS_ROUTES = 121,
	NFV_DHCP_OPT_END = 255,
};

/* Why a message was dropped; one counter each in the DHCP app. */
#define NFV_DHCP_ERRORS(X) \
	X(OK, "no error") \
	X(SHORT, "shorter than the 236-byte BOOTP header") \
	X(BAD_OP, "op is neither BOOTREQUEST nor BOOTREPLY") \
	X(BAD_HLEN, "hlen greater than 16") \
	X(NO_COOKIE, "no room for the magic cookie") \
	X(BAD_COOKIE, "magic cookie is not 99.130.83.99") \
	X(OPT_OVERRUN, "option length runs past the end of the message") \
	X(NO_END, "options not terminated by the end option") \
	X(OVERLOAD, "option overload (52) is not supported") \
	X(BAD_OPT_LEN, "option has an invalid length") \
	X(DUP_OPTION, "single-valued option appears twice") \
	X(NO_MSG_TYPE, "no DHCP message type option (53)") \
	X(BAD_MSG_TYPE, "DHCP message type out of range")

#define NFV_DHCP_ERR_ENUM(name, text) NFV_DHCP_ERR_##name,
enum nfv_dhcp_err {
	NFV_DHCP_ERRORS(NFV_DHCP_ERR_ENUM)
	NFV_DHCP_N_ERRORS
};
#undef NFV_DHCP_ERR_ENUM

/* A parsed DHCP message. Filled by nfv_dhcp_parse(); owned by the caller. */
struct nfv_dhcp_msg {
	uint8_t op;
	uint8_t htype;
	uint8_t hlen;
	uint8_t hops;
	uint32_t xid;
	uint16_t secs;
	uint16_t flags;                 /* NFV_DHCP_FLAG_BROADCAST */
	uint32_t ciaddr;
	uint32_t yiaddr;
	uint32_t siaddr;
	uint32_t giaddr;
	uint8_t chaddr[NFV_DHCP_CHADDR_LEN];
	uint8_t msg_type;               /* enum nfv_dhcp_msg_type */

	bool has_requested_ip;
	bool has_server_id;
	bool has_lease_time;
	uint32_t requested_ip;          /* option 50 */
	uint32_t server_id;             /* option 54 */
	uint32_t lease_time;            /* option 51, seconds */

	uint16_t n_prl;                 /* option 55; 0 if absent */
	uint8_t prl[NFV_DHCP_OPT_MAX];
	uint16_t client_id_len;         /* option 61; 0 if absent */
	uint8_t client_id[NFV_DHCP_OPT_MAX];
	uint16_t hostname_len;          /* option 12; 0 if absent */
	char hostname[NFV_DHCP_OPT_MAX + 1];    /* NUL-terminated copy */
};

/* One classless static route (option 121). */
struct nfv_dhcp_route {
	uint32_t dst;
	uint8_t prefix_len;             /* 0..32 */
	uint32_t gateway;
};

/*
 * What to answer. Zero means "not configured" for router, broadcast and
 * mtu; t1 and t2 of zero mean 0.5 and 0.875 of 'lease_time'. Options 1, 3,
 * 53, 54 and (for OFFER and ACK to a non-INFORM) 51 are always sent; DNS,
 * domain name, MTU, broadcast, T1, T2 and classless routes only when the
 * client's parameter request list asks for them. A NAK carries 53, 54, the
 * client identifier and 'message' (option 56) if not NULL, nothing else.
 */
struct nfv_dhcp_reply_spec {
	uint8_t msg_type;               /* OFFER, ACK or NAK */
	uint32_t yiaddr;
	uint32_t server_id;
	uint32_t subnet_mask;
	uint32_t router;
	uint32_t dns[NFV_DHCP_DNS_MAX];
	uint8_t n_dns;
	const char *domain_name;        /* NULL or "" for none */
	uint32_t lease_time;
	uint32_t t1;
	uint32_t t2;
	uint16_t mtu;
	uint32_t broadcast;
	struct nfv_dhcp_route routes[NFV_DHCP_ROUTES_MAX];
	uint8_t n_routes;
	const char *message;            /* NAK only; NULL for none */
};

/* Where a reply goes (RFC 2131 section 4.1). */
enum nfv_dhcp_dest_kind {
	NFV_DHCP_DEST_RELAY,            /* unicast to giaddr, port 67 */
	NFV_DHCP_DEST_CIADDR,           /* unicast to ciaddr, port 68 */
	NFV_DHCP_DEST_BROADCAST,        /* 255.255.255.255, L2 broadcast */
	NFV_DHCP_DEST_YIADDR,           /* unicast to yiaddr at chaddr */
};

struct nfv_dhcp_dest {
	enum nfv_dhcp_dest_kind kind;
	uint32_t ip;
	uint16_t port;
	bool l2_broadcast;              /* else chaddr (or giaddr's next hop) */
};

/*
 * Parses the UDP payload 'data' of 'len' bytes into 'msg'. Never reads
 * past 'data + len'. Returns NFV_DHCP_ERR_OK or the reason the message is
 * malformed ('msg' is then partially filled and must not be used).
 * Any thread.
 */
enum nfv_dhcp_err nfv_dhcp_parse(const uint8_t *data, size_t len,
				 struct nfv_dhcp_msg *msg);

/* Returns a one-line description of 'err' for logs and nfvctl. */
const char *nfv_dhcp_err_str(enum nfv_dhcp_err err);

/* Returns the name of DHCP message type 'type' ("DISCOVER"...), or "?". */
const char *nfv_dhcp_msg_type_str(uint8_t type);

/* Returns true if 'msg' has the broadcast flag set. */
static inline bool
nfv_dhcp_wants_broadcast(const struct nfv_dhcp_msg *msg)
{
	return (msg->flags & NFV_DHCP_FLAG_BROADCAST) != 0;
}

/* Returns true if 'msg' lists option 'code' in its parameter request list. */
bool nfv_dhcp_prl_has(const struct nfv_dhcp_msg *msg, uint8_t code);

/*
 * Writes the reply to 'req' described by 'spec' into 'buf' ('buf_size'
 * bytes): BOOTREPLY header, cookie, options, end, padded to at least
 * NFV_DHCP_MIN_REPLY_LEN. Stores the length in '*len'. Returns 0, -EINVAL
 * if 'spec' is invalid (message type, route prefix, domain name length) or
 * -ENOSPC if 'buf' is too small. Any thread.
 */
int nfv_dhcp_build_reply(const struct nfv_dhcp_msg *req,
			 const struct nfv_dhcp_reply_spec *spec,
			 uint8_t *buf, size_t buf_size, size_t *len);

/*
 * Encodes 'n' classless static routes as the value of option 121 (RFC
 * 3442) into 'buf' ('buf_size' bytes). Returns the number of bytes written,
 * -EINVAL for a prefix length over 32 or -ENOSPC. Any thread.
 */
int nfv_dhcp_encode_routes(const struct nfv_dhcp_route *routes, size_t n,
			   uint8_t *buf, size_t buf_size);

/*
 * Decides where the reply of type 'reply_type' to 'req' is sent, per RFC
 * 2131 section 4.1: to the relay if giaddr is set; a NAK is otherwise
 * always broadcast; else to ciaddr if set; else broadcast if the client
 * asked for it; else unicast to 'yiaddr' at chaddr. Any thread.
 */
void nfv_dhcp_reply_dest(const struct nfv_dhcp_msg *req, uint8_t reply_type,
			 uint32_t yiaddr, struct nfv_dhcp_dest *dest);

#endif /* NFV_DHCP_CODEC_H */
