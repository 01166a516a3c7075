/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Unit tests of the OpenFlow connection layer (ofp_conn.c). A manager
 * listens on 127.0.0.1 with a port picked by the kernel; the tests play
 * the peer with plain non-blocking sockets, writing OpenFlow bytes by hand,
 * and drive the loop from this thread with nfv_loop_run_once(). Every wait
 * is a bounded number of loop iterations, never a sleep. Active
 * connections are tested against a second manager on the same loop.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cmocka.h>

#include "loop.h"
#include "nfv_common.h"
#include "ofp_conn.h"

/* Bound on loop iterations while waiting for something. */
#define TEST_MAX_SPINS 2000
#define TEST_SPIN_MS 10
#define TEST_MAX_MSGS 16
#define TEST_MSG_MAX 4096
#define TEST_PEER_BUF 70000

enum {
	OFPT_HELLO = 0,
	OFPT_ERROR = 1,
	OFPT_ECHO_REQUEST = 2,
	OFPT_ECHO_REPLY = 3,
	OFPT_FEATURES_REQUEST = 5,
	OFPT_PACKET_IN = 10,
	OFPT_MULTIPART_REQUEST = 18,
};

/*
 * What the callbacks of one manager saw.
 */

struct record {
	unsigned int n_connected;
	unsigned int n_disconnected;
	unsigned int n_messages;
	struct nfv_ofp_conn *conn;      /* last connected, NULL once gone */
	uint8_t msgs[TEST_MAX_MSGS][TEST_MSG_MAX];
	size_t msg_lens[TEST_MAX_MSGS];
	int close_on_type;              /* on_message closes on it; -1: no */
	char last_error[NFV_OFP_CONN_ERR_MAX]; /* at the last disconnect */
};

static void
rec_connected(void *arg, struct nfv_ofp_conn *c)
{
	struct record *r = arg;

	r->n_connected++;
	r->conn = c;
}

static void
rec_disconnected(void *arg, struct nfv_ofp_conn *c)
{
	struct record *r = arg;

	r->n_disconnected++;
	snprintf(r->last_error, sizeof(r->last_error), "%s",
		 nfv_ofp_conn_last_error(c));
	if (r->conn == c)
		r->conn = NULL;
}

static void
rec_message(void *arg, struct nfv_ofp_conn *c, const uint8_t *msg,
	    size_t len)
{
	struct record *r = arg;

	if (r->n_messages < TEST_MAX_MSGS && len <= TEST_MSG_MAX) {
		memcpy(r->msgs[r->n_messages], msg, len);
		r->msg_lens[r->n_messages] = len;
	}
	r->n_messages++;
	if (r->close_on_type >= 0 && msg[1] == r->close_on_type)
		nfv_ofp_conn_close(c);
}

/*
 * Fixture: a loop, a listening manager and, for active connections, a
 * second manager.
 */

struct fixture {
	struct nfv_loop *loop;
	struct nfv_ofp_connmgr *mgr;
	uint16_t port;
	struct record rec;
	struct nfv_ofp_connmgr *mgr2;
	struct record rec2;
};

static struct nfv_ofp_connmgr_params
test_params(struct record *r)
{
	struct nfv_ofp_connmgr_params p = {
		.tick_ms = 10,
		.on_connected = rec_connected,
		.on_message = rec_message,
		.on_disconnected = rec_disconnected,
		.cb_arg = r,
	};

	r->close_on_type = -1;
	return p;
}

/* Creates the loop and a manager listening on a kernel-picked port,
 * with an inactivity probe of 'probe_ms' (0: the default). */
static int
fixture_create(void **state, unsigned int probe_ms)
{
	char err[NFV_OFP_CONN_ERR_MAX];
	struct nfv_ofp_connmgr_params p;
	struct fixture *f;

	f = calloc(1, sizeof(*f));
	assert_non_null(f);
	assert_int_equal(nfv_loop_create(&f->loop), 0);
	p = test_params(&f->rec);
	p.probe_interval_ms = probe_ms;
	assert_int_equal(nfv_ofp_connmgr_create(f->loop, &p, &f->mgr), 0);
	assert_int_equal(nfv_ofp_connmgr_listen(f->mgr, "ptcp:0", &f->port,
						err), 0);
	assert_true(f->port > 0);
	*state = f;
	return 0;
}

static int
fixture_setup(void **state)
{
	return fixture_create(state, 0);
}

/* A short inactivity probe: 100 ms. */
static int
fixture_setup_probe(void **state)
{
	return fixture_create(state, 100);
}

static int
fixture_teardown(void **state)
{
	struct fixture *f = *state;

	nfv_ofp_connmgr_destroy(f->mgr2);
	nfv_ofp_connmgr_destroy(f->mgr);
	nfv_loop_destroy(f->loop);
	free(f);
	return 0;
}

/* Creates the second manager (for active connections) with 'p' or, if
 * NULL, the test parameters with a short backoff. */
static void
fixture_add_mgr2(struct fixture *f, const struct nfv_ofp_connmgr_params *p)
{
	struct nfv_ofp_connmgr_params dp = test_params(&f->rec2);

	dp.backoff_min_ms = 20;
	dp.backoff_max_ms = 160;
	assert_int_equal(nfv_ofp_connmgr_create(f->loop, p ? p : &dp,
						&f->mgr2), 0);
}

static void
spin(struct fixture *f, unsigned int n)
{
	unsigned int i;

	for (i = 0; i < n; i++)
		assert_int_equal(nfv_loop_run_once(f->loop, 0), 0);
}

/* Runs the loop until '*counter' reaches 'value'. */
static void
spin_until(struct fixture *f, const unsigned int *counter,
	   unsigned int value)
{
	unsigned int i;

	for (i = 0; i < TEST_MAX_SPINS && *counter < value; i++)
		assert_int_equal(nfv_loop_run_once(f->loop, TEST_SPIN_MS), 0);
	assert_int_equal(*counter, value);
}

static struct nfv_ofp_connmgr_stats
mgr_stats(const struct nfv_ofp_connmgr *m)
{
	struct nfv_ofp_connmgr_stats s;

	nfv_ofp_connmgr_get_stats(m, &s);
	return s;
}

static void
spin_until_passive(struct fixture *f, unsigned int n)
{
	unsigned int i;

	for (i = 0; i < TEST_MAX_SPINS && mgr_stats(f->mgr).n_passive != n;
	     i++)
		assert_int_equal(nfv_loop_run_once(f->loop, TEST_SPIN_MS), 0);
	assert_int_equal(mgr_stats(f->mgr).n_passive, n);
}

static struct nfv_ofp_conn_stats
conn_stats(const struct nfv_ofp_conn *c)
{
	struct nfv_ofp_conn_stats s;

	nfv_ofp_conn_get_stats(c, &s);
	return s;
}

/*
 * The peer: a plain socket speaking OpenFlow bytes written by hand.
 */

struct peer {
	int fd;
	uint8_t buf[TEST_PEER_BUF];
	size_t len;
};

static uint16_t
be16(const uint8_t *p)
{
	return (uint16_t)(p[0] << 8 | p[1]);
}

static uint32_t
be32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
	       (uint32_t)p[2] << 8 | p[3];
}

static void
put_be16(uint8_t *p, uint16_t v)
{
	p[0] = v >> 8;
	p[1] = v & 0xff;
}

static void
put_be32(uint8_t *p, uint32_t v)
{
	p[0] = v >> 24;
	p[1] = v >> 16;
	p[2] = v >> 8;
	p[3] = v;
}

/* Writes an OpenFlow header at 'p'; returns 'len' for chaining. */
static size_t
put_header(uint8_t *p, uint8_t version, uint8_t type, uint16_t len,
	   uint32_t xid)
{
	p[0] = version;
	p[1] = type;
	put_be16(p + 2, len);
	put_be32(p + 4, xid);
	return len;
}

/* Builds a message of 'len' bytes, version 0x04, body bytes counting up
 * from 'seed'. Returns 'len'. */
static size_t
make_msg(uint8_t *p, uint8_t type, uint16_t len, uint32_t xid, uint8_t seed)
{
	size_t i;

	put_header(p, 0x04, type, len, xid);
	for (i = 8; i < len; i++)
		p[i] = (uint8_t)(seed + i);
	return len;
}

static int
tcp_connect(uint16_t port)
{
	struct sockaddr_in addr = {
		.sin_family = AF_INET,
		.sin_port = htons(port),
		.sin_addr.s_addr = htonl(INADDR_LOOPBACK),
	};
	int fd;

	fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
	assert_true(fd >= 0);
	/* Completes in the kernel's backlog, before any accept(). */
	assert_int_equal(connect(fd, (struct sockaddr *)&addr, sizeof(addr)),
			 0);
	assert_int_equal(fcntl(fd, F_SETFL, O_NONBLOCK), 0);
	return fd;
}

static struct peer *
peer_connect(struct fixture *f)
{
	struct peer *p;

	p = calloc(1, sizeof(*p));
	assert_non_null(p);
	p->fd = tcp_connect(f->port);
	return p;
}

static void
peer_close(struct peer *p)
{
	if (p == NULL)
		return;
	close(p->fd);
	free(p);
}

static void
peer_write(struct peer *p, const void *buf, size_t len)
{
	assert_int_equal(send(p->fd, buf, len, MSG_NOSIGNAL), (ssize_t)len);
}

/* Takes one complete message out of the peer's buffer into 'msg'. Returns
 * its length, or 0 if there is none yet. */
static size_t
peer_take(struct peer *p, uint8_t *msg)
{
	size_t len;

	if (p->len < 8)
		return 0;
	len = be16(p->buf + 2);
	assert_true(len >= 8);
	if (p->len < len)
		return 0;
	memcpy(msg, p->buf, len);
	memmove(p->buf, p->buf + len, p->len - len);
	p->len -= len;
	return len;
}

/* Runs the loop until the peer has a complete message; returns its
 * length. 'msg' holds TEST_PEER_BUF bytes. */
static size_t
peer_recv(struct fixture *f, struct peer *p, uint8_t *msg)
{
	unsigned int i;
	size_t len;
	ssize_t n;

	for (i = 0; i < TEST_MAX_SPINS; i++) {
		len = peer_take(p, msg);
		if (len > 0)
			return len;
		n = recv(p->fd, p->buf + p->len, sizeof(p->buf) - p->len, 0);
		if (n > 0) {
			p->len += n;
			continue;
		}
		if (n == 0)
			fail_msg("peer: unexpected EOF");
		assert_true(errno == EAGAIN || errno == EWOULDBLOCK);
		assert_int_equal(nfv_loop_run_once(f->loop, TEST_SPIN_MS), 0);
	}
	fail_msg("peer: no message");
	return 0;
}

/* Runs the loop until the peer sees the connection end, with nothing
 * unread before it. */
static void
peer_expect_eof(struct fixture *f, struct peer *p)
{
	uint8_t byte;
	unsigned int i;
	ssize_t n;

	assert_int_equal(p->len, 0);
	for (i = 0; i < TEST_MAX_SPINS; i++) {
		n = recv(p->fd, &byte, 1, 0);
		if (n == 0 || (n < 0 && errno == ECONNRESET))
			return;
		assert_true(n < 0);
		assert_true(errno == EAGAIN || errno == EWOULDBLOCK);
		assert_int_equal(nfv_loop_run_once(f->loop, TEST_SPIN_MS), 0);
	}
	fail_msg("peer: no EOF");
}

/* Receives the switch's HELLO and checks it: version 0x04, one version
 * bitmap element with only OpenFlow 1.3. */
static void
peer_expect_hello(struct fixture *f, struct peer *p)
{
	static uint8_t msg[TEST_PEER_BUF];
	size_t len;

	len = peer_recv(f, p, msg);
	assert_int_equal(len, 16);
	assert_int_equal(msg[0], 0x04);
	assert_int_equal(msg[1], OFPT_HELLO);
	assert_int_equal(be16(msg + 2), 16);
	assert_int_equal(be16(msg + 8), 1);             /* VERSIONBITMAP */
	assert_int_equal(be16(msg + 10), 8);
	assert_int_equal(be32(msg + 12), 0x00000010);
}

/* Receives an OFPT_ERROR and checks its header version, xid, type and
 * code. Returns the data length; the data is at 'msg' + 12. */
static size_t
peer_expect_error(struct fixture *f, struct peer *p, uint8_t *msg,
		  uint8_t version, uint32_t xid, uint16_t type, uint16_t code)
{
	size_t len;

	len = peer_recv(f, p, msg);
	assert_true(len >= 12);
	assert_int_equal(msg[0], version);
	assert_int_equal(msg[1], OFPT_ERROR);
	assert_int_equal(be32(msg + 4), xid);
	assert_int_equal(be16(msg + 8), type);
	assert_int_equal(be16(msg + 10), code);
	return len - 12;
}

static void
assert_ascii(const uint8_t *s, size_t len)
{
	size_t i;

	assert_true(len > 0);
	for (i = 0; i < len; i++)
		assert_true(s[i] >= 0x20 && s[i] < 0x7f);
}

/* Connects a peer and completes the HELLO exchange (bitmap with 1.3). */
static struct peer *
peer_connect_negotiated(struct fixture *f)
{
	unsigned int n = f->rec.n_connected;
	uint8_t hello[16];
	struct peer *p;

	p = peer_connect(f);
	peer_expect_hello(f, p);
	put_header(hello, 0x04, OFPT_HELLO, 16, 1);
	put_be16(hello + 8, 1);
	put_be16(hello + 10, 8);
	put_be32(hello + 12, 0x10);
	peer_write(p, hello, sizeof(hello));
	spin_until(f, &f->rec.n_connected, n + 1);
	return p;
}

/* A free port where nobody listens (bound, then released). */
static uint16_t
dead_port(void)
{
	struct sockaddr_in addr = {
		.sin_family = AF_INET,
		.sin_addr.s_addr = htonl(INADDR_LOOPBACK),
	};
	socklen_t len = sizeof(addr);
	int fd;

	fd = socket(AF_INET, SOCK_STREAM, 0);
	assert_true(fd >= 0);
	assert_int_equal(bind(fd, (struct sockaddr *)&addr, sizeof(addr)), 0);
	assert_int_equal(getsockname(fd, (struct sockaddr *)&addr, &len), 0);
	close(fd);
	return ntohs(addr.sin_port);
}

/*
 * Version negotiation.
 */

static void
test_ofp_hello_with_bitmap_negotiates_1_3(void **state)
{
	struct fixture *f = *state;
	uint8_t hello[32], msg[8];
	struct nfv_ofp_conn *c;
	struct peer *p;

	p = peer_connect(f);
	peer_expect_hello(f, p);

	/* Version 0x06 header; an unknown element (length 5, padded to 8)
	 * before a two-word bitmap offering 1.0 and 1.3. */
	put_header(hello, 0x06, OFPT_HELLO, sizeof(hello), 77);
	put_be16(hello + 8, 0x7777);
	put_be16(hello + 10, 5);
	memset(hello + 12, 0xee, 4);
	put_be16(hello + 16, 1);
	put_be16(hello + 18, 12);
	put_be32(hello + 20, 0x00000012);
	put_be32(hello + 24, 0);
	memset(hello + 28, 0, 4);
	peer_write(p, hello, sizeof(hello));
	spin_until(f, &f->rec.n_connected, 1);

	c = f->rec.conn;
	assert_non_null(c);
	assert_int_equal(nfv_ofp_conn_state(c), NFV_OFP_CONN_CONNECTED);
	assert_int_equal(nfv_ofp_conn_version(c), 0x04);
	assert_false(nfv_ofp_conn_is_active(c));
	assert_int_equal(mgr_stats(f->mgr).n_connected, 1);

	/* HELLO is not delivered; the next message is. */
	assert_int_equal(f->rec.n_messages, 0);
	make_msg(msg, OFPT_FEATURES_REQUEST, 8, 5, 0);
	peer_write(p, msg, sizeof(msg));
	spin_until(f, &f->rec.n_messages, 1);
	assert_int_equal(f->rec.msg_lens[0], 8);
	assert_memory_equal(f->rec.msgs[0], msg, 8);
	assert_int_equal(conn_stats(c).rx_msgs, 2);
	assert_int_equal(conn_stats(c).connects, 1);
	peer_close(p);
}

static void
test_ofp_hello_bitmap_without_1_3_fails(void **state)
{
	struct fixture *f = *state;
	static uint8_t msg[TEST_PEER_BUF];
	uint8_t hello[16];
	struct peer *p;
	size_t n;

	p = peer_connect(f);
	peer_expect_hello(f, p);
	put_header(hello, 0x04, OFPT_HELLO, 16, 9);
	put_be16(hello + 8, 1);
	put_be16(hello + 10, 8);
	put_be32(hello + 12, 0x00000002);       /* 1.0 only */
	peer_write(p, hello, sizeof(hello));

	n = peer_expect_error(f, p, msg, 0x04, 9, 0, 0);
	assert_ascii(msg + 12, n);
	peer_expect_eof(f, p);
	assert_int_equal(f->rec.n_connected, 0);
	assert_int_equal(f->rec.n_disconnected, 0);
	peer_close(p);
	spin_until_passive(f, 0);
}

static void
test_ofp_hello_without_bitmap_1_3_peer(void **state)
{
	struct fixture *f = *state;
	uint8_t hello[8];
	struct peer *p, *q;

	p = peer_connect(f);
	peer_expect_hello(f, p);
	put_header(hello, 0x04, OFPT_HELLO, 8, 1);
	peer_write(p, hello, sizeof(hello));
	spin_until(f, &f->rec.n_connected, 1);
	assert_int_equal(nfv_ofp_conn_version(f->rec.conn), 0x04);

	/* A newer peer without a bitmap: min(0x04, 0x05). */
	q = peer_connect(f);
	peer_expect_hello(f, q);
	put_header(hello, 0x05, OFPT_HELLO, 8, 1);
	peer_write(q, hello, sizeof(hello));
	spin_until(f, &f->rec.n_connected, 2);
	assert_int_equal(nfv_ofp_conn_version(f->rec.conn), 0x04);
	peer_close(p);
	peer_close(q);
}

static void
test_ofp_message_in_same_write_as_hello_is_delivered(void **state)
{
	struct fixture *f = *state;
	uint8_t buf[8 + 8];
	struct peer *p;

	p = peer_connect(f);
	put_header(buf, 0x04, OFPT_HELLO, 8, 1);
	make_msg(buf + 8, OFPT_FEATURES_REQUEST, 8, 2, 0);
	peer_write(p, buf, sizeof(buf));
	spin_until(f, &f->rec.n_messages, 1);
	assert_int_equal(f->rec.n_connected, 1);
	assert_memory_equal(f->rec.msgs[0], buf + 8, 8);
	peer_expect_hello(f, p);
	peer_close(p);
}

static void
test_ofp_hello_without_bitmap_1_0_peer_fails(void **state)
{
	struct fixture *f = *state;
	static uint8_t msg[TEST_PEER_BUF];
	uint8_t hello[8];
	struct peer *p;
	size_t n;

	p = peer_connect(f);
	peer_expect_hello(f, p);
	put_header(hello, 0x01, OFPT_HELLO, 8, 0x1234);
	peer_write(p, hello, sizeof(hello));

	/* In the peer's own version, so that a 1.0 parser reads it. */
	n = peer_expect_error(f, p, msg, 0x01, 0x1234, 0, 0);
	assert_ascii(msg + 12, n);
	peer_expect_eof(f, p);
	assert_int_equal(f->rec.n_connected, 0);
	peer_close(p);
	spin_until_passive(f, 0);
}

static void
test_ofp_message_before_hello_is_error(void **state)
{
	struct fixture *f = *state;
	static uint8_t msg[TEST_PEER_BUF];
	uint8_t req[8];
	struct peer *p;
	size_t n;

	p = peer_connect(f);
	make_msg(req, OFPT_FEATURES_REQUEST, 8, 42, 0);
	peer_write(p, req, sizeof(req));
	peer_expect_hello(f, p);
	n = peer_expect_error(f, p, msg, 0x04, 42, 0, 0);
	assert_ascii(msg + 12, n);
	peer_expect_eof(f, p);
	assert_int_equal(f->rec.n_connected, 0);
	assert_int_equal(f->rec.n_messages, 0);
	peer_close(p);
}

static void
test_ofp_peer_silent_before_hello_is_dropped(void **state)
{
	struct fixture *f = *state;
	struct peer *p;

	p = peer_connect(f);
	peer_expect_hello(f, p);
	peer_expect_eof(f, p);          /* probe interval: 100 ms */
	assert_int_equal(f->rec.n_connected, 0);
	spin_until_passive(f, 0);
	peer_close(p);
}

/*
 * Framing.
 */

static void
test_ofp_framing_one_byte_at_a_time(void **state)
{
	struct fixture *f = *state;
	uint8_t msgs[8 + 40];
	struct peer *p;
	size_t i;

	p = peer_connect_negotiated(f);
	make_msg(msgs, OFPT_FEATURES_REQUEST, 8, 1, 0);
	make_msg(msgs + 8, OFPT_MULTIPART_REQUEST, 40, 2, 3);
	for (i = 0; i < sizeof(msgs); i++) {
		peer_write(p, msgs + i, 1);
		spin(f, 2);
	}
	spin_until(f, &f->rec.n_messages, 2);
	assert_int_equal(f->rec.msg_lens[0], 8);
	assert_memory_equal(f->rec.msgs[0], msgs, 8);
	assert_int_equal(f->rec.msg_lens[1], 40);
	assert_memory_equal(f->rec.msgs[1], msgs + 8, 40);
	peer_close(p);
}

static void
test_ofp_framing_several_messages_in_one_write(void **state)
{
	struct fixture *f = *state;
	static uint8_t reply[TEST_PEER_BUF];
	uint8_t buf[8 + 100 + 12 + 3000];
	size_t off = 0;
	struct peer *p;

	p = peer_connect_negotiated(f);
	off += make_msg(buf + off, OFPT_FEATURES_REQUEST, 8, 1, 0);
	off += make_msg(buf + off, OFPT_MULTIPART_REQUEST, 100, 2, 7);
	off += make_msg(buf + off, OFPT_ECHO_REQUEST, 12, 3, 9);
	off += make_msg(buf + off, OFPT_PACKET_IN, 3000, 4, 11);
	peer_write(p, buf, off);

	spin_until(f, &f->rec.n_messages, 3);
	assert_int_equal(f->rec.msg_lens[0], 8);
	assert_memory_equal(f->rec.msgs[0], buf, 8);
	assert_int_equal(f->rec.msg_lens[1], 100);
	assert_memory_equal(f->rec.msgs[1], buf + 8, 100);
	assert_int_equal(f->rec.msg_lens[2], 3000);
	assert_memory_equal(f->rec.msgs[2], buf + 120, 3000);

	/* The echo in the middle was answered, not delivered. */
	assert_int_equal(peer_recv(f, p, reply), 12);
	assert_int_equal(reply[1], OFPT_ECHO_REPLY);
	assert_memory_equal(reply + 4, buf + 108 + 4, 8);
	peer_close(p);
}

static void
test_ofp_short_length_is_bad_len_and_close(void **state)
{
	struct fixture *f = *state;
	static uint8_t msg[TEST_PEER_BUF];
	uint8_t bad[16];
	struct peer *p;

	p = peer_connect_negotiated(f);
	put_header(bad, 0x04, OFPT_FEATURES_REQUEST, 4, 0xabcd);
	memset(bad + 8, 0x55, 8);
	peer_write(p, bad, sizeof(bad));

	/* OFPET_BAD_REQUEST / OFPBRC_BAD_LEN with the header. */
	assert_int_equal(peer_expect_error(f, p, msg, 0x04, 0xabcd, 1, 6), 8);
	assert_memory_equal(msg + 12, bad, 8);
	peer_expect_eof(f, p);
	assert_int_equal(f->rec.n_disconnected, 1);
	assert_non_null(strstr(f->rec.last_error, "length 4"));
	assert_int_equal(f->rec.n_messages, 0);
	peer_close(p);
	spin_until_passive(f, 0);
}

static void
test_ofp_wrong_version_is_bad_version_and_stays_up(void **state)
{
	struct fixture *f = *state;
	static uint8_t msg[TEST_PEER_BUF];
	uint8_t bad[100], good[8];
	struct nfv_ofp_conn *c;
	struct peer *p;

	p = peer_connect_negotiated(f);
	c = f->rec.conn;
	make_msg(bad, OFPT_FEATURES_REQUEST, sizeof(bad), 0x55, 1);
	bad[0] = 0x01;
	peer_write(p, bad, sizeof(bad));

	/* OFPET_BAD_REQUEST / OFPBRC_BAD_VERSION with the first 64 bytes. */
	assert_int_equal(peer_expect_error(f, p, msg, 0x04, 0x55, 1, 0), 64);
	assert_memory_equal(msg + 12, bad, 64);
	assert_int_equal(conn_stats(c).errors, 1);

	make_msg(good, OFPT_FEATURES_REQUEST, 8, 0x56, 0);
	peer_write(p, good, sizeof(good));
	spin_until(f, &f->rec.n_messages, 1);
	assert_memory_equal(f->rec.msgs[0], good, 8);
	assert_int_equal(nfv_ofp_conn_state(c), NFV_OFP_CONN_CONNECTED);
	assert_int_equal(f->rec.n_disconnected, 0);
	peer_close(p);
}

static void
test_ofp_message_of_max_length_is_delivered(void **state)
{
	struct fixture *f = *state;
	static uint8_t big[65535];
	struct peer *p;

	p = peer_connect_negotiated(f);
	make_msg(big, OFPT_PACKET_IN, sizeof(big), 8, 1);
	peer_write(p, big, sizeof(big));
	spin_until(f, &f->rec.n_messages, 1);
	assert_int_equal(conn_stats(f->rec.conn).rx_bytes, 16 + 65535);
	peer_close(p);
}

/*
 * Echo and the inactivity probe.
 */

static void
test_ofp_echo_request_answered(void **state)
{
	struct fixture *f = *state;
	static uint8_t reply[TEST_PEER_BUF];
	uint8_t echo[12];
	struct peer *p;

	p = peer_connect_negotiated(f);
	put_header(echo, 0x04, OFPT_ECHO_REQUEST, 12, 0x11223344);
	memcpy(echo + 8, "ping", 4);
	peer_write(p, echo, sizeof(echo));

	assert_int_equal(peer_recv(f, p, reply), 12);
	assert_int_equal(reply[0], 0x04);
	assert_int_equal(reply[1], OFPT_ECHO_REPLY);
	assert_int_equal(be16(reply + 2), 12);
	assert_int_equal(be32(reply + 4), 0x11223344);
	assert_memory_equal(reply + 8, "ping", 4);
	assert_int_equal(f->rec.n_messages, 0);
	peer_close(p);
}

static void
test_ofp_probe_sends_echo_then_drops_silent_peer(void **state)
{
	struct fixture *f = *state;
	static uint8_t msg[TEST_PEER_BUF];
	struct peer *p;

	p = peer_connect_negotiated(f);
	assert_int_equal(peer_recv(f, p, msg), 8);
	assert_int_equal(msg[0], 0x04);
	assert_int_equal(msg[1], OFPT_ECHO_REQUEST);
	assert_int_equal(conn_stats(f->rec.conn).echo_probes, 1);

	peer_expect_eof(f, p);
	assert_int_equal(f->rec.n_disconnected, 1);
	assert_non_null(strstr(f->rec.last_error, "inactivity"));
	spin_until_passive(f, 0);
	peer_close(p);
}

static void
test_ofp_probe_answered_keeps_connection(void **state)
{
	struct fixture *f = *state;
	static uint8_t msg[TEST_PEER_BUF];
	struct peer *p;
	int i;

	p = peer_connect_negotiated(f);
	for (i = 0; i < 4; i++) {
		assert_int_equal(peer_recv(f, p, msg), 8);
		assert_int_equal(msg[1], OFPT_ECHO_REQUEST);
		msg[1] = OFPT_ECHO_REPLY;
		peer_write(p, msg, 8);
	}
	assert_int_equal(f->rec.n_disconnected, 0);
	assert_int_equal(nfv_ofp_conn_state(f->rec.conn),
			 NFV_OFP_CONN_CONNECTED);
	assert_int_equal(conn_stats(f->rec.conn).echo_probes, 4);
	assert_int_equal(f->rec.n_messages, 0);
	peer_close(p);
}

/*
 * Output.
 */

static void
test_ofp_send_checks_length_and_state(void **state)
{
	struct fixture *f = *state;
	uint8_t msg[16];
	struct nfv_ofp_conn *c;
	struct peer *p;

	p = peer_connect_negotiated(f);
	c = f->rec.conn;
	make_msg(msg, OFPT_PACKET_IN, 16, 1, 0);
	assert_int_equal(nfv_ofp_conn_send(c, msg, 7), -EINVAL);
	assert_int_equal(nfv_ofp_conn_send(c, msg, 15), -EINVAL);
	assert_int_equal(nfv_ofp_conn_send(c, msg, 16), 0);
	nfv_ofp_conn_close(c);
	assert_int_equal(f->rec.n_disconnected, 1);
	assert_int_equal(nfv_ofp_conn_state(c), NFV_OFP_CONN_CLOSING);
	assert_int_equal(nfv_ofp_conn_send(c, msg, 16), -ENOTCONN);
	peer_close(p);
	spin_until_passive(f, 0);
}

static void
test_ofp_close_flushes_then_closes(void **state)
{
	struct fixture *f = *state;
	static uint8_t got[TEST_PEER_BUF];
	static uint8_t msg[3000];
	struct nfv_ofp_conn *c;
	struct peer *p;
	int i;

	p = peer_connect_negotiated(f);
	c = f->rec.conn;
	for (i = 0; i < 3; i++) {
		make_msg(msg, OFPT_PACKET_IN, sizeof(msg), i, i);
		assert_int_equal(nfv_ofp_conn_send(c, msg, sizeof(msg)), 0);
	}
	nfv_ofp_conn_close(c);
	for (i = 0; i < 3; i++) {
		make_msg(msg, OFPT_PACKET_IN, sizeof(msg), i, i);
		assert_int_equal(peer_recv(f, p, got), sizeof(msg));
		assert_memory_equal(got, msg, sizeof(msg));
	}
	peer_expect_eof(f, p);
	peer_close(p);
	spin_until_passive(f, 0);
}

static void
test_ofp_peer_that_never_reads_gets_sends_dropped(void **state)
{
	struct fixture *f = *state;
	static uint8_t msg[4096];
	static uint8_t got[TEST_PEER_BUF];
	struct nfv_ofp_conn_stats s;
	struct nfv_ofp_conn *c;
	unsigned int n_dropped = 0;
	uint64_t received = 0, base;
	struct peer *p;
	int i, ret;

	p = peer_connect_negotiated(f);
	c = f->rec.conn;
	base = conn_stats(c).tx_bytes;          /* the HELLO, already read */
	make_msg(msg, OFPT_PACKET_IN, sizeof(msg), 0, 0);

	/* Fill the socket buffers, then the queue. The loop keeps running
	 * and each iteration returns: nothing waits for the peer. */
	for (i = 0; i < 100000 && n_dropped < 10; i++) {
		ret = nfv_ofp_conn_send(c, msg, sizeof(msg));
		if (ret == -ENOBUFS)
			n_dropped++;
		else
			assert_int_equal(ret, 0);
		if (i % 16 == 0)
			spin(f, 1);
		assert_true(nfv_ofp_conn_out_pending(c) <=
			    NFV_OFP_CONN_DEFAULT_OUT_MAX);
	}
	assert_int_equal(n_dropped, 10);
	spin(f, 100);
	s = conn_stats(c);
	assert_int_equal(s.tx_dropped, 10);
	assert_true(nfv_ofp_conn_out_pending(c) >
		    NFV_OFP_CONN_DEFAULT_OUT_MAX - sizeof(msg));
	assert_int_equal(nfv_ofp_conn_state(c), NFV_OFP_CONN_CONNECTED);

	/* The peer wakes up: everything queued arrives, intact. */
	while (received < s.tx_bytes - base) {
		size_t len = peer_recv(f, p, got);

		if (got[1] == OFPT_PACKET_IN) {
			assert_int_equal(len, sizeof(msg));
			assert_memory_equal(got, msg, sizeof(msg));
		}
		received += len;
	}
	assert_int_equal(received, s.tx_bytes - base);
	assert_int_equal(nfv_ofp_conn_out_pending(c), 0);
	assert_int_equal(nfv_ofp_conn_send(c, msg, sizeof(msg)), 0);
	peer_close(p);
}

/*
 * The upper layer's calls from callbacks.
 */

static void
test_ofp_callback_may_close_its_connection(void **state)
{
	struct fixture *f = *state;
	uint8_t buf[24];
	struct peer *p;

	p = peer_connect_negotiated(f);
	f->rec.close_on_type = OFPT_FEATURES_REQUEST;
	make_msg(buf, OFPT_MULTIPART_REQUEST, 8, 1, 0);
	make_msg(buf + 8, OFPT_FEATURES_REQUEST, 8, 2, 0);
	make_msg(buf + 16, OFPT_MULTIPART_REQUEST, 8, 3, 0);
	peer_write(p, buf, sizeof(buf));
	spin_until(f, &f->rec.n_disconnected, 1);
	assert_int_equal(f->rec.n_messages, 2);
	assert_null(f->rec.conn);
	peer_expect_eof(f, p);
	peer_close(p);
	spin_until_passive(f, 0);
}

static unsigned int test_n_visited;

static void
count_conn(void *arg, struct nfv_ofp_conn *c)
{
	(void)arg;
	(void)c;
	test_n_visited++;
}

static void
close_conn(void *arg, struct nfv_ofp_conn *c)
{
	(void)arg;
	test_n_visited++;
	nfv_ofp_conn_close(c);
}

static void
test_ofp_foreach_visits_connected_and_may_close(void **state)
{
	struct fixture *f = *state;
	struct peer *p[3], *q;
	int i;

	for (i = 0; i < 3; i++)
		p[i] = peer_connect_negotiated(f);
	q = peer_connect(f);            /* still in HELLO */
	peer_expect_hello(f, q);

	test_n_visited = 0;
	nfv_ofp_connmgr_foreach(f->mgr, count_conn, NULL);
	assert_int_equal(test_n_visited, 3);
	test_n_visited = 0;
	nfv_ofp_connmgr_foreach_all(f->mgr, count_conn, NULL);
	assert_int_equal(test_n_visited, 4);

	test_n_visited = 0;
	nfv_ofp_connmgr_foreach(f->mgr, close_conn, NULL);
	assert_int_equal(test_n_visited, 3);
	assert_int_equal(f->rec.n_disconnected, 3);
	test_n_visited = 0;
	nfv_ofp_connmgr_foreach(f->mgr, count_conn, NULL);
	assert_int_equal(test_n_visited, 0);
	for (i = 0; i < 3; i++) {
		peer_expect_eof(f, p[i]);
		peer_close(p[i]);
	}
	spin_until_passive(f, 1);
	peer_close(q);
}

static void
test_ofp_data_pointer_and_name(void **state)
{
	struct fixture *f = *state;
	char prefix[64];
	struct nfv_ofp_conn *c;
	struct peer *p;
	int x;

	p = peer_connect_negotiated(f);
	c = f->rec.conn;
	assert_null(nfv_ofp_conn_data(c));
	nfv_ofp_conn_set_data(c, &x);
	assert_ptr_equal(nfv_ofp_conn_data(c), &x);
	snprintf(prefix, sizeof(prefix), "ptcp:%u <- 127.0.0.1:", f->port);
	assert_int_equal(strncmp(nfv_ofp_conn_name(c), prefix,
				 strlen(prefix)), 0);
	assert_string_equal(nfv_ofp_conn_state_name(nfv_ofp_conn_state(c)),
			    "CONNECTED");
	peer_close(p);
}

static void
test_ofp_peer_eof_disconnects(void **state)
{
	struct fixture *f = *state;
	struct peer *p;

	p = peer_connect_negotiated(f);
	peer_close(p);
	spin_until(f, &f->rec.n_disconnected, 1);
	assert_non_null(strstr(f->rec.last_error, "closed by peer"));
	spin_until_passive(f, 0);
}

static void
test_ofp_destroy_closes_everything(void **state)
{
	struct fixture *f = *state;
	struct peer *p, *q;

	p = peer_connect_negotiated(f);
	q = peer_connect_negotiated(f);
	nfv_ofp_connmgr_destroy(f->mgr);
	f->mgr = NULL;
	assert_int_equal(f->rec.n_disconnected, 2);
	/* The loop no longer knows the sockets: EOF is already there. */
	peer_expect_eof(f, p);
	peer_expect_eof(f, q);
	peer_close(p);
	peer_close(q);
}

/*
 * Limits.
 */

static void
test_ofp_accepts_64_and_refuses_65th(void **state)
{
	struct fixture *f = *state;
	struct peer *p[NFV_OFP_CONN_DEFAULT_MAX_PASSIVE + 1], *q;
	struct nfv_ofp_connmgr_stats s;
	unsigned int i;

	for (i = 0; i < NFV_OFP_CONN_DEFAULT_MAX_PASSIVE + 1; i++) {
		p[i] = peer_connect(f);
		spin(f, 2);
	}
	spin_until_passive(f, NFV_OFP_CONN_DEFAULT_MAX_PASSIVE);
	for (i = 0; i < NFV_OFP_CONN_DEFAULT_MAX_PASSIVE; i++)
		peer_expect_hello(f, p[i]);
	peer_expect_eof(f, p[NFV_OFP_CONN_DEFAULT_MAX_PASSIVE]);
	s = mgr_stats(f->mgr);
	assert_int_equal(s.n_passive, NFV_OFP_CONN_DEFAULT_MAX_PASSIVE);
	assert_int_equal(s.accepted, NFV_OFP_CONN_DEFAULT_MAX_PASSIVE);
	assert_int_equal(s.refused, 1);

	/* A place freed is a place taken. */
	peer_close(p[0]);
	spin_until_passive(f, NFV_OFP_CONN_DEFAULT_MAX_PASSIVE - 1);
	q = peer_connect(f);
	peer_expect_hello(f, q);
	assert_int_equal(mgr_stats(f->mgr).refused, 1);
	peer_close(q);
	for (i = 1; i < NFV_OFP_CONN_DEFAULT_MAX_PASSIVE + 1; i++)
		peer_close(p[i]);
}

/*
 * Active connections.
 */

static void
test_ofp_active_connects_negotiates_and_delivers(void **state)
{
	struct fixture *f = *state;
	char err[NFV_OFP_CONN_ERR_MAX], target[64];
	struct nfv_ofp_conn *a, *b;
	uint8_t msg[64];

	fixture_add_mgr2(f, NULL);
	snprintf(target, sizeof(target), "tcp:127.0.0.1:%u", f->port);
	assert_int_equal(nfv_ofp_connmgr_connect(f->mgr2, target, &a, err), 0);
	assert_true(nfv_ofp_conn_is_active(a));
	assert_string_equal(nfv_ofp_conn_name(a), target);
	assert_int_equal(conn_stats(a).connect_attempts, 1);
	spin_until(f, &f->rec2.n_connected, 1);
	spin_until(f, &f->rec.n_connected, 1);
	assert_ptr_equal(f->rec2.conn, a);
	assert_int_equal(nfv_ofp_conn_state(a), NFV_OFP_CONN_CONNECTED);
	assert_int_equal(nfv_ofp_conn_version(a), 0x04);
	assert_int_equal(mgr_stats(f->mgr2).n_active, 1);
	b = f->rec.conn;

	make_msg(msg, OFPT_PACKET_IN, sizeof(msg), 7, 1);
	assert_int_equal(nfv_ofp_conn_send(a, msg, sizeof(msg)), 0);
	spin_until(f, &f->rec.n_messages, 1);
	assert_memory_equal(f->rec.msgs[0], msg, sizeof(msg));
	make_msg(msg, OFPT_FEATURES_REQUEST, 8, 8, 0);
	assert_int_equal(nfv_ofp_conn_send(b, msg, 8), 0);
	spin_until(f, &f->rec2.n_messages, 1);
	assert_memory_equal(f->rec2.msgs[0], msg, 8);

	/* The controller hangs up: the switch backs off and comes back. */
	nfv_ofp_conn_close(b);
	spin_until(f, &f->rec2.n_disconnected, 1);
	assert_int_equal(nfv_ofp_conn_state(a), NFV_OFP_CONN_BACKOFF);
	assert_int_equal(nfv_ofp_conn_backoff_ms(a), 20);
	spin_until(f, &f->rec2.n_connected, 2);
	assert_int_equal(conn_stats(a).connect_attempts, 2);
	assert_int_equal(conn_stats(a).connects, 2);
	spin_until(f, &f->rec.n_connected, 2);
}

static void
test_ofp_active_backs_off_when_nobody_listens(void **state)
{
	static const unsigned int expected[] = { 20, 40, 80, 160, 160 };
	struct fixture *f = *state;
	char err[NFV_OFP_CONN_ERR_MAX], target[64];
	struct nfv_ofp_conn *a;
	unsigned int i, k;

	fixture_add_mgr2(f, NULL);
	snprintf(target, sizeof(target), "tcp:127.0.0.1:%u", dead_port());
	assert_int_equal(nfv_ofp_connmgr_connect(f->mgr2, target, &a, err), 0);

	/* After attempt k fails, the wait is expected[k - 1]. */
	for (k = 1; k <= NFV_ARRAY_SIZE(expected); k++) {
		for (i = 0; i < TEST_MAX_SPINS; i++) {
			if (conn_stats(a).connect_attempts == k &&
			    nfv_ofp_conn_state(a) == NFV_OFP_CONN_BACKOFF)
				break;
			assert_int_equal(nfv_loop_run_once(f->loop, 5), 0);
		}
		assert_int_equal(conn_stats(a).connect_attempts, k);
		assert_int_equal(nfv_ofp_conn_state(a), NFV_OFP_CONN_BACKOFF);
		assert_int_equal(nfv_ofp_conn_backoff_ms(a), expected[k - 1]);
	}
	assert_non_null(strstr(nfv_ofp_conn_last_error(a), "refused"));
	assert_int_equal(f->rec2.n_connected, 0);
	assert_int_equal(f->rec2.n_disconnected, 0);
	assert_int_equal(mgr_stats(f->mgr2).n_connected, 0);
}

static void
test_ofp_active_default_backoff_is_1s_up_to_8s(void **state)
{
	struct nfv_ofp_connmgr_params p;
	struct fixture *f = *state;
	char err[NFV_OFP_CONN_ERR_MAX], target[64];
	struct nfv_ofp_conn *a;
	unsigned int i;

	p = test_params(&f->rec2);
	fixture_add_mgr2(f, &p);
	snprintf(target, sizeof(target), "tcp:127.0.0.1:%u", dead_port());
	assert_int_equal(nfv_ofp_connmgr_connect(f->mgr2, target, &a, err), 0);
	for (i = 0; i < TEST_MAX_SPINS; i++) {
		if (nfv_ofp_conn_state(a) == NFV_OFP_CONN_BACKOFF)
			break;
		assert_int_equal(nfv_loop_run_once(f->loop, 5), 0);
	}
	assert_int_equal(nfv_ofp_conn_state(a), NFV_OFP_CONN_BACKOFF);
	assert_int_equal(nfv_ofp_conn_backoff_ms(a),
			 NFV_OFP_CONN_DEFAULT_BACKOFF_MIN_MS);
	assert_int_equal(NFV_OFP_CONN_DEFAULT_BACKOFF_MAX_MS, 8000);
	/* No second attempt within the first second. */
	spin(f, 10);
	assert_int_equal(conn_stats(a).connect_attempts, 1);
}

static void
test_ofp_active_resolves_names(void **state)
{
	struct fixture *f = *state;
	char err[NFV_OFP_CONN_ERR_MAX], target[64];
	struct nfv_ofp_conn *a;

	fixture_add_mgr2(f, NULL);
	snprintf(target, sizeof(target), "tcp:localhost:%u", f->port);
	assert_int_equal(nfv_ofp_connmgr_connect(f->mgr2, target, &a, err), 0);
	spin_until(f, &f->rec2.n_connected, 1);
	assert_string_equal(nfv_ofp_conn_name(a), target);
}

/*
 * Arguments.
 */

static void
test_ofp_targets_are_checked(void **state)
{
	static const char *const bad_listen[] = {
		"ptcp:", "ptcp:x", "ptcp:70000", "ptcp:0:1.2.3", "ptcp:0:",
		"tcp:127.0.0.1:1", "6653",
	};
	static const char *const bad_connect[] = {
		"tcp:127.0.0.1", "tcp::6653", "tcp:127.0.0.1:0",
		"tcp:127.0.0.1:99999", "ptcp:6653", "tcp:127.0.0.1:x",
	};
	struct fixture *f = *state;
	char err[NFV_OFP_CONN_ERR_MAX], target[32];
	struct nfv_ofp_connmgr_params p = { .backoff_min_ms = 2000,
					    .backoff_max_ms = 1000 };
	struct nfv_ofp_connmgr *m;
	unsigned int i;
	uint16_t port;

	for (i = 0; i < NFV_ARRAY_SIZE(bad_listen); i++) {
		err[0] = '\0';
		assert_int_equal(nfv_ofp_connmgr_listen(f->mgr, bad_listen[i],
							NULL, err), -EINVAL);
		assert_non_null(strstr(err, bad_listen[i]));
	}
	for (i = 0; i < NFV_ARRAY_SIZE(bad_connect); i++) {
		err[0] = '\0';
		assert_int_equal(nfv_ofp_connmgr_connect(f->mgr, bad_connect[i],
							 NULL, err), -EINVAL);
		assert_non_null(strstr(err, bad_connect[i]));
	}
	assert_int_equal(nfv_ofp_connmgr_listen(f->mgr, "ptcp:0:127.0.0.1",
						&port, err), 0);
	assert_true(port > 0 && port != f->port);
	/* The port is taken now. */
	snprintf(target, sizeof(target), "ptcp:%u", port);
	assert_int_equal(nfv_ofp_connmgr_listen(f->mgr, target, NULL, err),
			 -EADDRINUSE);
	assert_int_equal(nfv_ofp_connmgr_create(f->loop, &p, &m), -EINVAL);
	p = (struct nfv_ofp_connmgr_params){ .out_max = 1000 };
	assert_int_equal(nfv_ofp_connmgr_create(f->loop, &p, &m), -EINVAL);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
#define T(name) cmocka_unit_test_setup_teardown(name, fixture_setup, \
						 fixture_teardown)
		T(test_ofp_hello_with_bitmap_negotiates_1_3),
		T(test_ofp_hello_bitmap_without_1_3_fails),
		T(test_ofp_hello_without_bitmap_1_3_peer),
		T(test_ofp_message_in_same_write_as_hello_is_delivered),
		T(test_ofp_hello_without_bitmap_1_0_peer_fails),
		T(test_ofp_message_before_hello_is_error),
		T(test_ofp_framing_one_byte_at_a_time),
		T(test_ofp_framing_several_messages_in_one_write),
		T(test_ofp_short_length_is_bad_len_and_close),
		T(test_ofp_wrong_version_is_bad_version_and_stays_up),
		T(test_ofp_message_of_max_length_is_delivered),
		T(test_ofp_echo_request_answered),
		T(test_ofp_send_checks_length_and_state),
		T(test_ofp_close_flushes_then_closes),
		T(test_ofp_peer_that_never_reads_gets_sends_dropped),
		T(test_ofp_callback_may_close_its_connection),
		T(test_ofp_foreach_visits_connected_and_may_close),
		T(test_ofp_data_pointer_and_name),
		T(test_ofp_peer_eof_disconnects),
		T(test_ofp_destroy_closes_everything),
		T(test_ofp_accepts_64_and_refuses_65th),
		T(test_ofp_active_connects_negotiates_and_delivers),
		T(test_ofp_active_backs_off_when_nobody_listens),
		T(test_ofp_active_default_backoff_is_1s_up_to_8s),
		T(test_ofp_active_resolves_names),
		T(test_ofp_targets_are_checked),
#undef T
#define T(name) cmocka_unit_test_setup_teardown(name, fixture_setup_probe, \
						 fixture_teardown)
		T(test_ofp_peer_silent_before_hello_is_dropped),
		T(test_ofp_probe_sends_echo_then_drops_silent_peer),
		T(test_ofp_probe_answered_keeps_connection),
#undef T
	};

	return cmocka_run_group_tests_name("ofp_conn", tests, NULL, NULL);
}
