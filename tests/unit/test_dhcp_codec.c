/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Unit tests of the DHCP codec (src/apps/dhcp_codec.c): a request of each
 * message type built by hand and parsed field by field; a table of
 * malformed messages, each with its error; replies checked byte by byte
 * (header, essential options, parameter request list honouring, NAK and
 * INFORM contents, padding); RFC 3442 route encoding against the RFC's
 * examples; the RFC 2131 4.1 destination rules; random bytes and random
 * truncations that must never be read out of bounds.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "dhcp_codec.h"

#define MSG_MAX 1024
#define XID 0x3903f326
#define IP(a, b, c, d) ((uint32_t)(a) << 24 | (b) << 16 | (c) << 8 | (d))

static const uint8_t mac[6] = { 0x02, 0x00, 0x00, 0xaa, 0xbb, 0xcc };

/* ---- message builder ---- */

struct msg {
	uint8_t b[MSG_MAX];
	size_t len;
};

static void
put32(uint8_t *p, uint32_t v)
{
	p[0] = v >> 24;
	p[1] = v >> 16;
	p[2] = v >> 8;
	p[3] = v;
}

/* A BOOTREQUEST header and cookie, no options yet. */
static void
msg_init(struct msg *m)
{
	memset(m, 0, sizeof(*m));
	m->b[0] = NFV_BOOTREQUEST;
	m->b[1] = 1;
	m->b[2] = 6;
	put32(m->b + 4, XID);
	m->b[8] = 0;
	m->b[9] = 3;                    /* secs */
	memcpy(m->b + 28, mac, 6);
	put32(m->b + 236, NFV_DHCP_COOKIE);
	m->len = 240;
}

static void
msg_opt(struct msg *m, uint8_t code, const void *val, uint8_t len)
{
	m->b[m->len++] = code;
	m->b[m->len++] = len;
	memcpy(m->b + m->len, val, len);
	m->len += len;
}

static void
msg_opt_ip(struct msg *m, uint8_t code, uint32_t ip)
{
	uint8_t v[4];

	put32(v, ip);
	msg_opt(m, code, v, 4);
}

static void
msg_end(struct msg *m)
{
	m->b[m->len++] = NFV_DHCP_OPT_END;
}

/* A request of 'type' with a few options, ended and padded to 300. */
static void
msg_typical(struct msg *m, uint8_t type)
{
	static const uint8_t prl[] = { 1, 3, 6, 15, 121, 26 };
	static const uint8_t cid[] = { 1, 0x02, 0x00, 0x00, 0xaa, 0xbb, 0xcc };

	msg_init(m);
	msg_opt(m, NFV_DHCP_OPT_MSG_TYPE, &type, 1);
	msg_opt(m, NFV_DHCP_OPT_CLIENT_ID, cid, sizeof(cid));
	msg_opt(m, NFV_DHCP_OPT_HOSTNAME, "vm1", 3);
	msg_opt(m, NFV_DHCP_OPT_PRL, prl, sizeof(prl));
	m->b[m->len++] = NFV_DHCP_OPT_PAD;
	msg_end(m);
	m->len = 300;
}

/* ---- parsing good messages ---- */

static void
test_parse_discover(void **state)
{
	struct nfv_dhcp_msg d;
	struct msg m;

	(void)state;
	msg_typical(&m, NFV_DHCP_DISCOVER);
	assert_int_equal(nfv_dhcp_parse(m.b, m.len, &d), NFV_DHCP_ERR_OK);
	assert_int_equal(d.op, NFV_BOOTREQUEST);
	assert_int_equal(d.htype, 1);
	assert_int_equal(d.hlen, 6);
	assert_int_equal(d.xid, XID);
	assert_int_equal(d.secs, 3);
	assert_false(nfv_dhcp_wants_broadcast(&d));
	assert_memory_equal(d.chaddr, mac, 6);
	assert_int_equal(d.msg_type, NFV_DHCP_DISCOVER);
	assert_int_equal(d.n_prl, 6);
	assert_true(nfv_dhcp_prl_has(&d, 121));
	assert_false(nfv_dhcp_prl_has(&d, 28));
	assert_int_equal(d.client_id_len, 7);
	assert_int_equal(d.client_id[0], 1);
	assert_string_equal(d.hostname, "vm1");
	assert_int_equal(d.hostname_len, 3);
	assert_false(d.has_requested_ip);
	assert_false(d.has_server_id);
	assert_false(d.has_lease_time);
}

static void
test_parse_each_message_type(void **state)
{
	struct nfv_dhcp_msg d;
	struct msg m;
	uint8_t t;

	(void)state;
	for (t = NFV_DHCP_DISCOVER; t <= NFV_DHCP_INFORM; t++) {
		msg_typical(&m, t);
		assert_int_equal(nfv_dhcp_parse(m.b, m.len, &d),
				 NFV_DHCP_ERR_OK);
		assert_int_equal(d.msg_type, t);
		assert_string_not_equal(nfv_dhcp_msg_type_str(t), "?");
	}
	assert_string_equal(nfv_dhcp_msg_type_str(3), "REQUEST");
	assert_string_equal(nfv_dhcp_msg_type_str(9), "?");
}

static void
test_parse_request_fields(void **state)
{
	uint8_t type = NFV_DHCP_REQUEST;
	struct nfv_dhcp_msg d;
	struct msg m;

	(void)state;
	msg_init(&m);
	m.b[10] = 0x80;                 /* broadcast flag */
	put32(m.b + 12, IP(10, 0, 0, 9));
	put32(m.b + 24, IP(10, 0, 0, 1));
	msg_opt(&m, NFV_DHCP_OPT_MSG_TYPE, &type, 1);
	msg_opt_ip(&m, NFV_DHCP_OPT_REQUESTED_IP, IP(10, 0, 0, 50));
	msg_opt_ip(&m, NFV_DHCP_OPT_SERVER_ID, IP(10, 0, 0, 254));
	msg_opt_ip(&m, NFV_DHCP_OPT_LEASE_TIME, 7200);
	msg_opt(&m, 200, "xyz", 3);     /* unknown: ignored */
	msg_end(&m);
	assert_int_equal(nfv_dhcp_parse(m.b, m.len, &d), NFV_DHCP_ERR_OK);
	assert_true(nfv_dhcp_wants_broadcast(&d));
	assert_int_equal(d.ciaddr, IP(10, 0, 0, 9));
	assert_int_equal(d.giaddr, IP(10, 0, 0, 1));
	assert_true(d.has_requested_ip);
	assert_int_equal(d.requested_ip, IP(10, 0, 0, 50));
	assert_true(d.has_server_id);
	assert_int_equal(d.server_id, IP(10, 0, 0, 254));
	assert_true(d.has_lease_time);
	assert_int_equal(d.lease_time, 7200);
	assert_int_equal(d.n_prl, 0);
}

static void
test_parse_concatenates_split_options(void **state)
{
	uint8_t type = NFV_DHCP_DISCOVER, a[] = { 1, 3 }, b[] = { 6 };
	struct nfv_dhcp_msg d;
	struct msg m;

	(void)state;
	msg_init(&m);
	msg_opt(&m, NFV_DHCP_OPT_MSG_TYPE, &type, 1);
	msg_opt(&m, NFV_DHCP_OPT_PRL, a, 2);
	msg_opt(&m, NFV_DHCP_OPT_PRL, b, 1);
	msg_end(&m);
	assert_int_equal(nfv_dhcp_parse(m.b, m.len, &d), NFV_DHCP_ERR_OK);
	assert_int_equal(d.n_prl, 3);
	assert_int_equal(d.prl[2], 6);
}

static void
test_parse_accepts_end_at_last_byte(void **state)
{
	uint8_t type = NFV_DHCP_DISCOVER;
	struct nfv_dhcp_msg d;
	struct msg m;

	(void)state;
	msg_init(&m);
	msg_opt(&m, NFV_DHCP_OPT_MSG_TYPE, &type, 1);
	msg_end(&m);
	assert_int_equal(nfv_dhcp_parse(m.b, m.len, &d), NFV_DHCP_ERR_OK);
}

/* ---- malformed table ---- */

enum bad_kind {
	BAD_TRUNCATE,                   /* cut a good message to 'arg' bytes */
	BAD_BYTE,                       /* set byte 'off' to 'arg' */
	BAD_OPTS,                       /* replace options by 'opts' */
};

struct bad_case {
	const char *name;
	enum bad_kind kind;
	size_t off;
	size_t arg;
	uint8_t opts[16];
	size_t n_opts;
	enum nfv_dhcp_err err;
};

static const struct bad_case bad_cases[] = {
	{ "empty", BAD_TRUNCATE, 0, 0, {}, 0, NFV_DHCP_ERR_SHORT },
	{ "short header", BAD_TRUNCATE, 0, 235, {}, 0, NFV_DHCP_ERR_SHORT },
	{ "plain bootp", BAD_TRUNCATE, 0, 236, {}, 0, NFV_DHCP_ERR_NO_COOKIE },
	{ "cut cookie", BAD_TRUNCATE, 0, 239, {}, 0, NFV_DHCP_ERR_NO_COOKIE },
	{ "cookie only", BAD_TRUNCATE, 0, 240, {}, 0, NFV_DHCP_ERR_NO_END },
	{ "cut option value", BAD_TRUNCATE, 0, 242, {}, 0,
	  NFV_DHCP_ERR_OPT_OVERRUN },
	{ "cut option length", BAD_TRUNCATE, 0, 241, {}, 0,
	  NFV_DHCP_ERR_OPT_OVERRUN },
	{ "op 0", BAD_BYTE, 0, 0, {}, 0, NFV_DHCP_ERR_BAD_OP },
	{ "op 3", BAD_BYTE, 0, 3, {}, 0, NFV_DHCP_ERR_BAD_OP },
	{ "hlen 17", BAD_BYTE, 2, 17, {}, 0, NFV_DHCP_ERR_BAD_HLEN },
	{ "hlen 255", BAD_BYTE, 2, 255, {}, 0, NFV_DHCP_ERR_BAD_HLEN },
	{ "bad cookie", BAD_BYTE, 239, 0x64, {}, 0, NFV_DHCP_ERR_BAD_COOKIE },
	{ "option overrun", BAD_OPTS, 0, 0, { 53, 1, 1, 12, 200, 'a' }, 6,
	  NFV_DHCP_ERR_OPT_OVERRUN },
	{ "missing end", BAD_OPTS, 0, 0, { 53, 1, 1 }, 3, NFV_DHCP_ERR_NO_END },
	{ "missing end after pad", BAD_OPTS, 0, 0, { 53, 1, 1, 0, 0 }, 5,
	  NFV_DHCP_ERR_NO_END },
	{ "overload", BAD_OPTS, 0, 0, { 53, 1, 1, 52, 1, 3, 255 }, 7,
	  NFV_DHCP_ERR_OVERLOAD },
	{ "no message type", BAD_OPTS, 0, 0, { 12, 1, 'a', 255 }, 4,
	  NFV_DHCP_ERR_NO_MSG_TYPE },
	{ "message type 0", BAD_OPTS, 0, 0, { 53, 1, 0, 255 }, 4,
	  NFV_DHCP_ERR_BAD_MSG_TYPE },
	{ "message type 9", BAD_OPTS, 0, 0, { 53, 1, 9, 255 }, 4,
	  NFV_DHCP_ERR_BAD_MSG_TYPE },
	{ "message type length 2", BAD_OPTS, 0, 0, { 53, 2, 1, 1, 255 }, 5,
	  NFV_DHCP_ERR_BAD_OPT_LEN },
	{ "two message types", BAD_OPTS, 0, 0, { 53, 1, 1, 53, 1, 3, 255 }, 7,
	  NFV_DHCP_ERR_DUP_OPTION },
	{ "requested ip length 3", BAD_OPTS, 0, 0,
	  { 53, 1, 3, 50, 3, 10, 0, 0, 255 }, 9, NFV_DHCP_ERR_BAD_OPT_LEN },
	{ "server id length 5", BAD_OPTS, 0, 0,
	  { 53, 1, 3, 54, 5, 10, 0, 0, 1, 1, 255 }, 11,
	  NFV_DHCP_ERR_BAD_OPT_LEN },
	{ "lease time length 0", BAD_OPTS, 0, 0, { 53, 1, 3, 51, 0, 255 }, 6,
	  NFV_DHCP_ERR_BAD_OPT_LEN },
	{ "empty prl", BAD_OPTS, 0, 0, { 53, 1, 1, 55, 0, 255 }, 6,
	  NFV_DHCP_ERR_BAD_OPT_LEN },
	{ "client id length 1", BAD_OPTS, 0, 0, { 53, 1, 1, 61, 1, 1, 255 }, 7,
	  NFV_DHCP_ERR_BAD_OPT_LEN },
	{ "empty hostname", BAD_OPTS, 0, 0, { 53, 1, 1, 12, 0, 255 }, 6,
	  NFV_DHCP_ERR_BAD_OPT_LEN },
};

static void
test_parse_rejects_malformed(void **state)
{
	struct nfv_dhcp_msg d;
	struct msg m;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(bad_cases) / sizeof(bad_cases[0]); i++) {
		const struct bad_case *c = &bad_cases[i];
		enum nfv_dhcp_err err;
		uint8_t *copy;

		msg_typical(&m, NFV_DHCP_DISCOVER);
		switch (c->kind) {
		case BAD_TRUNCATE:
			m.len = c->arg;
			break;
		case BAD_BYTE:
			m.b[c->off] = (uint8_t)c->arg;
			break;
		case BAD_OPTS:
			memcpy(m.b + 240, c->opts, c->n_opts);
			m.len = 240 + c->n_opts;
			break;
		}
		/* An exact-size heap copy so ASan sees any overread. */
		copy = malloc(m.len ? m.len : 1);
		assert_non_null(copy);
		memcpy(copy, m.b, m.len);
		err = nfv_dhcp_parse(copy, m.len, &d);
		free(copy);
		if (err != c->err)
			fail_msg("case '%s': got %s, expected %s", c->name,
				 nfv_dhcp_err_str(err),
				 nfv_dhcp_err_str(c->err));
	}
}

static void
test_parse_rejects_oversized_prl(void **state)
{
	uint8_t type = NFV_DHCP_DISCOVER, prl[255];
	struct nfv_dhcp_msg d;
	struct msg m;

	(void)state;
	memset(prl, 1, sizeof(prl));
	msg_init(&m);
	msg_opt(&m, NFV_DHCP_OPT_MSG_TYPE, &type, 1);
	msg_opt(&m, NFV_DHCP_OPT_PRL, prl, 255);
	msg_opt(&m, NFV_DHCP_OPT_PRL, prl, 1);
	msg_end(&m);
	assert_int_equal(nfv_dhcp_parse(m.b, m.len, &d),
			 NFV_DHCP_ERR_BAD_OPT_LEN);
}

static void
test_parse_every_truncation_is_clean(void **state)
{
	struct nfv_dhcp_msg d;
	struct msg m;
	size_t len;

	(void)state;
	msg_typical(&m, NFV_DHCP_REQUEST);
	for (len = 0; len < 300; len++) {
		uint8_t *copy = malloc(len ? len : 1);
		enum nfv_dhcp_err err;

		assert_non_null(copy);
		memcpy(copy, m.b, len);
		err = nfv_dhcp_parse(copy, len, &d);
		free(copy);
		assert_true(err < NFV_DHCP_N_ERRORS);
		/* The end option is byte 266: anything shorter fails. */
		if (len <= 266)
			assert_int_not_equal(err, NFV_DHCP_ERR_OK);
		else
			assert_int_equal(err, NFV_DHCP_ERR_OK);
	}
}

static void
test_parse_random_bytes(void **state)
{
	struct nfv_dhcp_msg d;
	uint8_t *buf;
	unsigned int i;
	size_t len, j;

	(void)state;
	srand(1);
	for (i = 0; i < 20000; i++) {
		len = 236 + (size_t)rand() % 120;
		buf = malloc(len);
		assert_non_null(buf);
		for (j = 0; j < len; j++)
			buf[j] = (uint8_t)rand();
		buf[0] = 1;
		buf[2] = 6;
		if (len >= 240)
			put32(buf + 236, NFV_DHCP_COOKIE);
		assert_true(nfv_dhcp_parse(buf, len, &d) < NFV_DHCP_N_ERRORS);
		free(buf);
	}
	for (i = 0; i < NFV_DHCP_N_ERRORS; i++)
		assert_non_null(nfv_dhcp_err_str(i));
	assert_string_equal(nfv_dhcp_err_str(NFV_DHCP_N_ERRORS),
			    "unknown error");
}

/* ---- reply building ---- */

static void
spec_default(struct nfv_dhcp_reply_spec *s, uint8_t type)
{
	memset(s, 0, sizeof(*s));
	s->msg_type = type;
	s->yiaddr = IP(10, 0, 0, 100);
	s->server_id = IP(10, 0, 0, 1);
	s->subnet_mask = IP(255, 255, 255, 0);
	s->router = IP(10, 0, 0, 1);
	s->dns[0] = IP(10, 0, 0, 2);
	s->dns[1] = IP(10, 0, 0, 3);
	s->n_dns = 2;
	s->domain_name = "lab.example";
	s->lease_time = 3600;
	s->mtu = 1450;
	s->broadcast = IP(10, 0, 0, 255);
	s->routes[0] = (struct nfv_dhcp_route){ IP(192, 168, 0, 0), 16,
						IP(10, 0, 0, 254) };
	s->n_routes = 1;
}

/* Returns a pointer to option 'code' in reply 'b' of 'len', or NULL. */
static const uint8_t *
find_opt(const uint8_t *b, size_t len, uint8_t code)
{
	size_t off = 240;

	while (off < len && b[off] != NFV_DHCP_OPT_END) {
		if (b[off] == NFV_DHCP_OPT_PAD) {
			off++;
			continue;
		}
		if (b[off] == code)
			return b + off;
		off += 2 + b[off + 1];
	}
	return NULL;
}

static void
request_with_prl(struct nfv_dhcp_msg *req, uint8_t type,
		 const uint8_t *prl, size_t n_prl)
{
	memset(req, 0, sizeof(*req));
	req->op = NFV_BOOTREQUEST;
	req->htype = 1;
	req->hlen = 6;
	req->xid = XID;
	req->flags = NFV_DHCP_FLAG_BROADCAST;
	req->ciaddr = IP(10, 0, 0, 77);
	memcpy(req->chaddr, mac, 6);
	req->msg_type = type;
	memcpy(req->prl, prl, n_prl);
	req->n_prl = (uint16_t)n_prl;
}

static void
test_build_offer_header_and_essentials(void **state)
{
	static const uint8_t exp_head[] = {
		2, 1, 6, 0, 0x39, 0x03, 0xf3, 0x26, 0, 0, 0x80, 0,
		0, 0, 0, 0,             /* ciaddr: 0 in an OFFER */
		10, 0, 0, 100,          /* yiaddr */
		0, 0, 0, 0, 0, 0, 0, 0,
		0x02, 0x00, 0x00, 0xaa, 0xbb, 0xcc,
	};
	static const uint8_t exp_opts[] = {
		53, 1, 2,
		54, 4, 10, 0, 0, 1,
		51, 4, 0, 0, 0x0e, 0x10,
		1, 4, 255, 255, 255, 0,
		3, 4, 10, 0, 0, 1,
		255,
	};
	struct nfv_dhcp_reply_spec spec;
	struct nfv_dhcp_msg req, back;
	uint8_t buf[576];
	size_t len, i;

	(void)state;
	request_with_prl(&req, NFV_DHCP_DISCOVER, NULL, 0);
	spec_default(&spec, NFV_DHCP_OFFER);
	assert_int_equal(nfv_dhcp_build_reply(&req, &spec, buf, sizeof(buf),
					      &len), 0);
	assert_int_equal(len, NFV_DHCP_MIN_REPLY_LEN);
	assert_memory_equal(buf, exp_head, sizeof(exp_head));
	for (i = sizeof(exp_head); i < 236; i++)
		assert_int_equal(buf[i], 0);
	assert_memory_equal(buf + 236, "\x63\x82\x53\x63", 4);
	assert_memory_equal(buf + 240, exp_opts, sizeof(exp_opts));
	for (i = 240 + sizeof(exp_opts); i < len; i++)
		assert_int_equal(buf[i], 0);

	/* The reply is itself a well-formed DHCP message. */
	assert_int_equal(nfv_dhcp_parse(buf, len, &back), NFV_DHCP_ERR_OK);
	assert_int_equal(back.op, NFV_BOOTREPLY);
	assert_int_equal(back.msg_type, NFV_DHCP_OFFER);
	assert_int_equal(back.lease_time, 3600);
}

static void
test_build_ack_honours_prl(void **state)
{
	static const uint8_t prl[] = { 121, 6, 1, 15, 26, 58, 6 };
	static const uint8_t exp_tail[] = {
		121, 7, 16, 192, 168, 10, 0, 0, 254,
		6, 8, 10, 0, 0, 2, 10, 0, 0, 3,
		15, 11, 'l', 'a', 'b', '.', 'e', 'x', 'a', 'm', 'p', 'l', 'e',
		26, 2, 0x05, 0xaa,
		58, 4, 0, 0, 0x07, 0x08,
		255,
	};
	struct nfv_dhcp_reply_spec spec;
	struct nfv_dhcp_msg req;
	uint8_t buf[576];
	const uint8_t *p;
	size_t len;

	(void)state;
	request_with_prl(&req, NFV_DHCP_REQUEST, prl, sizeof(prl));
	spec_default(&spec, NFV_DHCP_ACK);
	assert_int_equal(nfv_dhcp_build_reply(&req, &spec, buf, sizeof(buf),
					      &len), 0);
	/* ciaddr echoed in an ACK. */
	assert_memory_equal(buf + 12, "\x0a\x00\x00\x4d", 4);
	p = find_opt(buf, len, NFV_DHCP_OPT_ROUTER);
	assert_non_null(p);
	/* Requested options follow the essentials in the client's order. */
	assert_memory_equal(p + 6, exp_tail, sizeof(exp_tail));
	/* Not requested: broadcast, T2. */
	assert_null(find_opt(buf, len, NFV_DHCP_OPT_BROADCAST));
	assert_null(find_opt(buf, len, NFV_DHCP_OPT_T2));
}

static void
test_build_t1_t2_defaults_and_overrides(void **state)
{
	static const uint8_t prl[] = { 58, 59, 28 };
	struct nfv_dhcp_reply_spec spec;
	struct nfv_dhcp_msg req;
	uint8_t buf[576];
	const uint8_t *p;
	size_t len;

	(void)state;
	request_with_prl(&req, NFV_DHCP_REQUEST, prl, sizeof(prl));
	spec_default(&spec, NFV_DHCP_ACK);
	spec.lease_time = 1000;
	assert_int_equal(nfv_dhcp_build_reply(&req, &spec, buf, sizeof(buf),
					      &len), 0);
	p = find_opt(buf, len, NFV_DHCP_OPT_T1);
	assert_memory_equal(p, "\x3a\x04\x00\x00\x01\xf4", 6);  /* 500 */
	p = find_opt(buf, len, NFV_DHCP_OPT_T2);
	assert_memory_equal(p, "\x3b\x04\x00\x00\x03\x6b", 6);  /* 875 */
	p = find_opt(buf, len, NFV_DHCP_OPT_BROADCAST);
	assert_memory_equal(p, "\x1c\x04\x0a\x00\x00\xff", 6);

	spec.t1 = 100;
	spec.t2 = 200;
	assert_int_equal(nfv_dhcp_build_reply(&req, &spec, buf, sizeof(buf),
					      &len), 0);
	p = find_opt(buf, len, NFV_DHCP_OPT_T1);
	assert_memory_equal(p, "\x3a\x04\x00\x00\x00\x64", 6);
	p = find_opt(buf, len, NFV_DHCP_OPT_T2);
	assert_memory_equal(p, "\x3b\x04\x00\x00\x00\xc8", 6);
}

static void
test_build_skips_unconfigured_options(void **state)
{
	static const uint8_t prl[] = { 3, 6, 15, 26, 28, 121 };
	struct nfv_dhcp_reply_spec spec;
	struct nfv_dhcp_msg req;
	uint8_t buf[576];
	size_t len;

	(void)state;
	request_with_prl(&req, NFV_DHCP_DISCOVER, prl, sizeof(prl));
	memset(&spec, 0, sizeof(spec));
	spec.msg_type = NFV_DHCP_OFFER;
	spec.yiaddr = IP(10, 0, 0, 5);
	spec.server_id = IP(10, 0, 0, 1);
	spec.subnet_mask = IP(255, 255, 255, 0);
	spec.lease_time = 60;
	assert_int_equal(nfv_dhcp_build_reply(&req, &spec, buf, sizeof(buf),
					      &len), 0);
	assert_null(find_opt(buf, len, NFV_DHCP_OPT_ROUTER));
	assert_null(find_opt(buf, len, NFV_DHCP_OPT_DNS));
	assert_null(find_opt(buf, len, NFV_DHCP_OPT_DOMAIN_NAME));
	assert_null(find_opt(buf, len, NFV_DHCP_OPT_MTU));
	assert_null(find_opt(buf, len, NFV_DHCP_OPT_BROADCAST));
	assert_null(find_opt(buf, len, NFV_DHCP_OPT_CLASSLESS_ROUTES));
	assert_non_null(find_opt(buf, len, NFV_DHCP_OPT_SUBNET_MASK));
}

static void
test_build_nak_carries_only_id_and_message(void **state)
{
	static const uint8_t prl[] = { 1, 3, 6, 121 };
	static const uint8_t exp_opts[] = {
		53, 1, 6,
		54, 4, 10, 0, 0, 1,
		61, 3, 1, 0xaa, 0xbb,
		56, 6, 'b', 'a', 'd', ' ', 'i', 'p',
		255,
	};
	struct nfv_dhcp_reply_spec spec;
	struct nfv_dhcp_msg req;
	uint8_t buf[576];
	size_t len;

	(void)state;
	request_with_prl(&req, NFV_DHCP_REQUEST, prl, sizeof(prl));
	memcpy(req.client_id, "\x01\xaa\xbb", 3);
	req.client_id_len = 3;
	req.flags = 0;
	req.giaddr = IP(10, 1, 0, 1);
	spec_default(&spec, NFV_DHCP_NAK);
	spec.message = "bad ip";
	assert_int_equal(nfv_dhcp_build_reply(&req, &spec, buf, sizeof(buf),
					      &len), 0);
	assert_memory_equal(buf + 12, "\0\0\0\0\0\0\0\0", 8); /* ci/yiaddr */
	assert_int_equal(buf[10], 0x80);        /* relay must broadcast */
	assert_memory_equal(buf + 24, "\x0a\x01\x00\x01", 4);
	assert_memory_equal(buf + 240, exp_opts, sizeof(exp_opts));
	assert_int_equal(len, NFV_DHCP_MIN_REPLY_LEN);
}

static void
test_build_inform_ack_has_no_lease_time(void **state)
{
	static const uint8_t prl[] = { 6, 58, 59 };
	struct nfv_dhcp_reply_spec spec;
	struct nfv_dhcp_msg req;
	uint8_t buf[576];
	size_t len;

	(void)state;
	request_with_prl(&req, NFV_DHCP_INFORM, prl, sizeof(prl));
	spec_default(&spec, NFV_DHCP_ACK);
	spec.yiaddr = 0;
	assert_int_equal(nfv_dhcp_build_reply(&req, &spec, buf, sizeof(buf),
					      &len), 0);
	assert_null(find_opt(buf, len, NFV_DHCP_OPT_LEASE_TIME));
	assert_null(find_opt(buf, len, NFV_DHCP_OPT_T1));
	assert_null(find_opt(buf, len, NFV_DHCP_OPT_T2));
	assert_non_null(find_opt(buf, len, NFV_DHCP_OPT_DNS));
	assert_memory_equal(buf + 16, "\0\0\0\0", 4);
}

static void
test_build_rejects_bad_spec_and_small_buffer(void **state)
{
	static const uint8_t prl[] = { 121, 15 };
	struct nfv_dhcp_reply_spec spec;
	struct nfv_dhcp_msg req;
	char long_name[300];
	uint8_t buf[576];
	size_t len;

	(void)state;
	request_with_prl(&req, NFV_DHCP_REQUEST, prl, sizeof(prl));
	spec_default(&spec, NFV_DHCP_REQUEST);
	assert_int_equal(nfv_dhcp_build_reply(&req, &spec, buf, sizeof(buf),
					      &len), -EINVAL);
	spec_default(&spec, NFV_DHCP_ACK);
	assert_int_equal(nfv_dhcp_build_reply(&req, &spec, buf, 299, &len),
			 -ENOSPC);
	spec.routes[0].prefix_len = 33;
	assert_int_equal(nfv_dhcp_build_reply(&req, &spec, buf, sizeof(buf),
					      &len), -EINVAL);
	spec_default(&spec, NFV_DHCP_ACK);
	memset(long_name, 'a', sizeof(long_name) - 1);
	long_name[sizeof(long_name) - 1] = '\0';
	spec.domain_name = long_name;
	assert_int_equal(nfv_dhcp_build_reply(&req, &spec, buf, sizeof(buf),
					      &len), -EINVAL);
	/* Fits 300 bytes only without the 250-byte domain name. */
	long_name[250] = '\0';
	assert_int_equal(nfv_dhcp_build_reply(&req, &spec, buf, 300, &len),
			 -ENOSPC);
	assert_int_equal(nfv_dhcp_build_reply(&req, &spec, buf, sizeof(buf),
					      &len), 0);
	assert_true(len > 300);
	assert_int_equal(buf[len - 1], NFV_DHCP_OPT_END);
}

/* ---- classless static routes (RFC 3442) ---- */

static void
test_routes_encoding_rfc3442_examples(void **state)
{
	static const struct nfv_dhcp_route routes[] = {
		{ IP(0, 0, 0, 0), 0, IP(10, 0, 0, 1) },
		{ IP(10, 0, 0, 0), 8, IP(10, 0, 0, 2) },
		{ IP(10, 17, 0, 0), 16, IP(10, 0, 0, 3) },
		{ IP(10, 27, 129, 0), 24, IP(10, 0, 0, 4) },
		{ IP(10, 229, 0, 128), 25, IP(10, 0, 0, 5) },
		{ IP(10, 198, 122, 47), 32, IP(10, 0, 0, 6) },
		{ IP(10, 16, 255, 255), 12, IP(10, 0, 0, 7) },
	};
	static const uint8_t exp[] = {
		0, 10, 0, 0, 1,
		8, 10, 10, 0, 0, 2,
		16, 10, 17, 10, 0, 0, 3,
		24, 10, 27, 129, 10, 0, 0, 4,
		25, 10, 229, 0, 128, 10, 0, 0, 5,
		32, 10, 198, 122, 47, 10, 0, 0, 6,
		12, 10, 16, 10, 0, 0, 7,        /* host bits cleared */
	};
	uint8_t buf[128];

	(void)state;
	assert_int_equal(nfv_dhcp_encode_routes(routes, 7, buf, sizeof(buf)),
			 sizeof(exp));
	assert_memory_equal(buf, exp, sizeof(exp));
	assert_int_equal(nfv_dhcp_encode_routes(routes, 7, buf, 20), -ENOSPC);
	assert_int_equal(nfv_dhcp_encode_routes(routes, 0, buf, 0), 0);
}

/* ---- reply destination (RFC 2131 4.1) ---- */

static void
test_reply_dest_rules(void **state)
{
	struct nfv_dhcp_dest d;
	struct nfv_dhcp_msg req;
	const uint32_t yi = IP(10, 0, 0, 100);

	(void)state;
	memset(&req, 0, sizeof(req));
	nfv_dhcp_reply_dest(&req, NFV_DHCP_OFFER, yi, &d);
	assert_int_equal(d.kind, NFV_DHCP_DEST_YIADDR);
	assert_int_equal(d.ip, yi);
	assert_int_equal(d.port, 68);
	assert_false(d.l2_broadcast);

	req.flags = NFV_DHCP_FLAG_BROADCAST;
	nfv_dhcp_reply_dest(&req, NFV_DHCP_OFFER, yi, &d);
	assert_int_equal(d.kind, NFV_DHCP_DEST_BROADCAST);
	assert_int_equal(d.ip, 0xffffffff);
	assert_true(d.l2_broadcast);

	req.flags = 0;
	req.ciaddr = IP(10, 0, 0, 77);
	nfv_dhcp_reply_dest(&req, NFV_DHCP_ACK, yi, &d);
	assert_int_equal(d.kind, NFV_DHCP_DEST_CIADDR);
	assert_int_equal(d.ip, IP(10, 0, 0, 77));

	nfv_dhcp_reply_dest(&req, NFV_DHCP_NAK, 0, &d);
	assert_int_equal(d.kind, NFV_DHCP_DEST_BROADCAST);

	req.giaddr = IP(10, 1, 0, 1);
	nfv_dhcp_reply_dest(&req, NFV_DHCP_NAK, 0, &d);
	assert_int_equal(d.kind, NFV_DHCP_DEST_RELAY);
	assert_int_equal(d.ip, IP(10, 1, 0, 1));
	assert_int_equal(d.port, 67);
	nfv_dhcp_reply_dest(&req, NFV_DHCP_ACK, yi, &d);
	assert_int_equal(d.kind, NFV_DHCP_DEST_RELAY);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse_discover),
		cmocka_unit_test(test_parse_each_message_type),
		cmocka_unit_test(test_parse_request_fields),
		cmocka_unit_test(test_parse_concatenates_split_options),
		cmocka_unit_test(test_parse_accepts_end_at_last_byte),
		cmocka_unit_test(test_parse_rejects_malformed),
		cmocka_unit_test(test_parse_rejects_oversized_prl),
		cmocka_unit_test(test_parse_every_truncation_is_clean),
		cmocka_unit_test(test_parse_random_bytes),
		cmocka_unit_test(test_build_offer_header_and_essentials),
		cmocka_unit_test(test_build_ack_honours_prl),
		cmocka_unit_test(test_build_t1_t2_defaults_and_overrides),
		cmocka_unit_test(test_build_skips_unconfigured_options),
		cmocka_unit_test(test_build_nak_carries_only_id_and_message),
		cmocka_unit_test(test_build_inform_ack_has_no_lease_time),
		cmocka_unit_test(test_build_rejects_bad_spec_and_small_buffer),
		cmocka_unit_test(test_routes_encoding_rfc3442_examples),
		cmocka_unit_test(test_reply_dest_rules),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
