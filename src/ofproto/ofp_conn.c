/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * OpenFlow connections (see ofp_conn.h): listeners, accepted and active
 * TCP connections, framing, HELLO negotiation, ECHO and the inactivity
 * probe, on top of the control thread's event loop (loop.c).
 *
 * Every socket is non-blocking and registered with the loop; a connection
 * watches EPOLLIN while its output queue is below half its bound (so a peer
 * that sends requests but does not read the replies is not read either)
 * and EPOLLOUT while it has output. One periodic timerfd, also registered
 * with the loop, drives every deadline: connect and HELLO timeouts, the
 * inactivity probe, the flush bound of closing connections and reconnect
 * backoff. (A timerfd rather than nfv_loop_add_timer() because a loop
 * timer cannot be removed, and the manager can be destroyed before the
 * loop.)
 *
 * The callbacks may send on, close or iterate over any connection. So that
 * none of that frees memory under a caller's feet, every entry point from
 * the loop or from the upper layer brackets its work with conn_mgr_enter()
 * and conn_mgr_leave(): a passive connection that goes down is only marked
 * dead, and the outermost leave frees dead ones. Code that calls back up
 * checks the connection's 'gen' and state afterwards.
 *
 * Only the 8-byte header and the HELLO, ECHO and ERROR formats are known
 * here; the bytes are written by hand so that this file does not depend on
 * the codec.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <sys/timerfd.h>
#include <time.h>
#include <unistd.h>

#include "ofp_conn.h"

/* The few OpenFlow 1.3 constants this layer needs. */
enum {
	CONN_OFP_VERSION = 0x04,
	CONN_OFP_HEADER_LEN = 8,
	CONN_OFP_MSG_MAX = 65535,
};

enum conn_ofp_type {
	CONN_OFPT_HELLO = 0,
	CONN_OFPT_ERROR = 1,
	CONN_OFPT_ECHO_REQUEST = 2,
	CONN_OFPT_ECHO_REPLY = 3,
};

enum conn_ofp_error {
	CONN_OFPET_HELLO_FAILED = 0,
	CONN_OFPHFC_INCOMPATIBLE = 0,
	CONN_OFPET_BAD_REQUEST = 1,
	CONN_OFPBRC_BAD_VERSION = 0,
	CONN_OFPBRC_BAD_LEN = 6,
};

enum {
	CONN_OFPHET_VERSIONBITMAP = 1,
	CONN_HELLO_LEN = 16,            /* header + one 8-byte bitmap element */
	CONN_ERROR_DATA_MAX = 64,       /* bytes of a bad message echoed back */
	CONN_ERROR_LEN_MAX = 12 + 128,  /* header, type, code and data/text */
};

/* Input buffer: one message of CONN_OFP_MSG_MAX bytes always fits, so
 * there is always room to read. */
#define CONN_IN_SIZE 65536
/* Reads per wakeup and accepts per wakeup: a busy peer or a connection
 * storm cannot hold the control thread; epoll is level-triggered and
 * calls again. */
#define CONN_READ_BUDGET 4
#define CONN_OUT_KEEP (64 * 1024)       /* output buffer kept when empty */
#define CONN_ACCEPT_BUDGET 64
#define CONN_LISTEN_BACKLOG 128
#define CONN_DEFAULT_LISTEN_ADDR "127.0.0.1"
#define CONN_LISTENER_NAME_MAX 32       /* "ptcp:65535:255.255.255.255" */

struct conn_listener {
	struct nfv_ofp_connmgr *mgr;
	int fd;
	bool paused;            /* accept() hit a resource limit; until tick */
	char name[CONN_LISTENER_NAME_MAX];
};

struct nfv_ofp_conn {
	struct nfv_ofp_connmgr *mgr;
	struct nfv_ofp_conn *next;      /* in mgr->conns */
	bool active;
	bool dead;                      /* passive and closed: freed on leave */
	enum nfv_ofp_conn_state state;
	int fd;                         /* -1 in BACKOFF and once dead */
	uint32_t events;                /* what the loop watches on 'fd' */
	uint32_t gen;                   /* incremented when 'fd' goes */
	uint8_t version;                /* negotiated; 0 before */
	bool announced;                 /* on_connected, no on_disconnected */
	bool probe_sent;                /* ECHO_REQUEST out, at 'probe_ms' */
	bool wr_shut;                   /* CLOSING: flushed and shut down */

	/* CLOCK_MONOTONIC milliseconds. */
	uint64_t last_rx_ms;            /* last byte received, or TCP up */
	uint64_t probe_ms;
	uint64_t deadline_ms;           /* CONNECTING, HELLO, CLOSING: give
					 * up; BACKOFF: reconnect */
	uint64_t connected_ms;          /* negotiated at; 0 if not this time */
	unsigned int backoff_ms;
	struct sockaddr_in addr;        /* active: the resolved target */

	uint8_t *in;                    /* CONN_IN_SIZE bytes */
	size_t in_len;
	uint8_t *out;                   /* bytes [out_head, out_len) unsent */
	size_t out_head;
	size_t out_len;
	size_t out_cap;

	struct nfv_ofp_conn_stats stats;
	void *data;                     /* the upper layer's */
	char name[NFV_OFP_CONN_NAME_MAX];
	char last_error[NFV_OFP_CONN_ERR_MAX];
};

/* Control thread only, like everything in this file. */
struct nfv_ofp_connmgr {
	struct nfv_loop *loop;
	struct nfv_ofp_connmgr_params p;        /* defaults filled in */
	int timer_fd;
	struct conn_listener listeners[NFV_OFP_CONN_MAX_LISTENERS];
	unsigned int n_listeners;
	struct nfv_ofp_conn *conns;     /* passive and active; dead ones too
					 * until the outermost leave */
	unsigned int depth;             /* nested enters */
	uint32_t next_xid;              /* of our HELLOs and ECHO_REQUESTs */
	struct nfv_ofp_connmgr_stats stats;     /* n_* computed on demand,
						 * except n_passive */
};

static void conn_drop(struct nfv_ofp_conn *c, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
static void conn_start_close(struct nfv_ofp_conn *c, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/*
 * Small helpers.
 */

static uint64_t
conn_now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000u + (uint64_t)ts.tv_nsec / 1000000u;
}

static uint16_t
conn_get_be16(const uint8_t *p)
{
	return (uint16_t)(p[0] << 8 | p[1]);
}

static uint32_t
conn_get_be32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
	       (uint32_t)p[2] << 8 | p[3];
}

static void
conn_put_be16(uint8_t *p, uint16_t v)
{
	p[0] = v >> 8;
	p[1] = v & 0xff;
}

static void
conn_put_be32(uint8_t *p, uint32_t v)
{
	p[0] = v >> 24;
	p[1] = (v >> 16) & 0xff;
	p[2] = (v >> 8) & 0xff;
	p[3] = v & 0xff;
}

static void
conn_put_header(uint8_t *p, uint8_t version, uint8_t type, uint16_t len,
		uint32_t xid)
{
	p[0] = version;
	p[1] = type;
	conn_put_be16(p + 2, len);
	conn_put_be32(p + 4, xid);
}

static void
conn_set_nodelay(int fd)
{
	int one = 1;

	/* Only latency depends on it: a failure is not worth a connection. */
	(void)setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
}

static void
conn_vset_error(struct nfv_ofp_conn *c, const char *fmt, va_list ap)
{
	vsnprintf(c->last_error, sizeof(c->last_error), fmt, ap);
}

static void __attribute__((format(printf, 2, 3)))
conn_set_error(struct nfv_ofp_conn *c, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	conn_vset_error(c, fmt, ap);
	va_end(ap);
}

static bool
conn_is_open(const struct nfv_ofp_conn *c)
{
	return !c->dead && (c->state == NFV_OFP_CONN_HELLO ||
			    c->state == NFV_OFP_CONN_CONNECTED);
}

static size_t
conn_pending(const struct nfv_ofp_conn *c)
{
	return c->out_len - c->out_head;
}

static void
conn_mgr_enter(struct nfv_ofp_connmgr *m)
{
	m->depth++;
}

static void
conn_free(struct nfv_ofp_conn *c)
{
	free(c->in);
	free(c->out);
	free(c);
}

/* Leaves what conn_mgr_enter() entered; the outermost leave frees the
 * connections that died meanwhile. */
static void
conn_mgr_leave(struct nfv_ofp_connmgr *m)
{
	struct nfv_ofp_conn **p, *c;

	if (--m->depth > 0)
		return;
	p = &m->conns;
	while ((c = *p) != NULL) {
		if (c->dead) {
			*p = c->next;
			conn_free(c);
		} else {
			p = &c->next;
		}
	}
}

/*
 * Output.
 */

/* Writes queued output until done or the socket would block. Returns 0 or
 * a negative errno if the connection is broken. */
static int
conn_flush(struct nfv_ofp_conn *c)
{
	ssize_t n;

	while (conn_pending(c) > 0) {
		n = send(c->fd, c->out + c->out_head, conn_pending(c),
			 MSG_NOSIGNAL | MSG_DONTWAIT);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			if (errno == EAGAIN || errno == EWOULDBLOCK)
				return 0;
			return -errno;
		}
		c->out_head += n;
	}
	c->out_head = 0;
	c->out_len = 0;
	if (c->out_cap > CONN_OUT_KEEP) {
		/* A burst (a slow peer, a large dump) is over: do not keep
		 * up to out_max per connection for ever. */
		free(c->out);
		c->out = NULL;
		c->out_cap = 0;
	}
	return 0;
}

/* Makes the loop watch what 'c' needs in its state. */
static void
conn_update_events(struct nfv_ofp_conn *c)
{
	size_t pending = conn_pending(c);
	uint32_t events = 0;

	if (c->fd < 0)
		return;
	switch (c->state) {
	case NFV_OFP_CONN_CONNECTING:
		events = EPOLLOUT;
		break;
	case NFV_OFP_CONN_HELLO:
	case NFV_OFP_CONN_CONNECTED:
		if (pending < c->mgr->p.out_max / 2)
			events |= EPOLLIN;
		if (pending > 0)
			events |= EPOLLOUT;
		break;
	case NFV_OFP_CONN_CLOSING:
		/* Input is read and discarded, to see the peer's EOF. */
		events = EPOLLIN;
		if (pending > 0)
			events |= EPOLLOUT;
		break;
	case NFV_OFP_CONN_BACKOFF:
		return;
	}
	if (events != c->events && nfv_loop_mod_fd(c->mgr->loop, c->fd,
						   events) == 0)
		c->events = events;
}

/* Appends 'head' and 'tail' (may be NULL) as one message to the output of
 * 'c' and tries to write it at once if nothing was waiting before it.
 * Returns 0, -ENOBUFS or -ENOMEM; either failure drops the message and
 * counts it. A write error is left for the loop to report (EPOLLOUT is
 * watched while output is pending). */
static int
conn_queue_bounded(struct nfv_ofp_conn *c, const uint8_t *head,
		   size_t head_len, const uint8_t *tail, size_t tail_len,
		   bool bounded)
{
	const size_t max = bounded ? c->mgr->p.out_max : SIZE_MAX / 2;
	size_t pending = conn_pending(c);
	size_t len = head_len + tail_len;

	if (len > max - pending) {
		c->stats.tx_dropped++;
		return -ENOBUFS;
	}
	if (len > c->out_cap - c->out_len) {
		if (c->out_head > 0) {
			memmove(c->out, c->out + c->out_head, pending);
			c->out_head = 0;
			c->out_len = pending;
		}
		if (len > c->out_cap - c->out_len) {
			size_t cap = c->out_cap ? c->out_cap : 4096;
			uint8_t *out;

			while (cap < pending + len)
				cap *= 2;
			if (cap > max)
				cap = max;
			out = realloc(c->out, cap);
			if (out == NULL) {
				c->stats.tx_dropped++;
				return -ENOMEM;
			}
			c->out = out;
			c->out_cap = cap;
		}
	}
	memcpy(c->out + c->out_len, head, head_len);
	if (tail_len > 0)
		memcpy(c->out + c->out_len + head_len, tail, tail_len);
	c->out_len += len;
	c->stats.tx_msgs++;
	c->stats.tx_bytes += len;

	if (pending == 0)
		(void)conn_flush(c);
	conn_update_events(c);
	return 0;
}

static int
conn_queue(struct nfv_ofp_conn *c, const uint8_t *head, size_t head_len,
	   const uint8_t *tail, size_t tail_len)
{
	return conn_queue_bounded(c, head, head_len, tail, tail_len, true);
}

static void
conn_send_hello(struct nfv_ofp_conn *c)
{
	uint8_t msg[CONN_HELLO_LEN];

	conn_put_header(msg, CONN_OFP_VERSION, CONN_OFPT_HELLO, sizeof(msg),
			c->mgr->next_xid++);
	conn_put_be16(msg + 8, CONN_OFPHET_VERSIONBITMAP);
	conn_put_be16(msg + 10, 8);
	conn_put_be32(msg + 12, UINT32_C(1) << CONN_OFP_VERSION);
	(void)conn_queue(c, msg, sizeof(msg), NULL, 0);
}

/* Queues an OFPT_ERROR of 'type' and 'code' with 'xid' and 'data_len'
 * bytes of 'data' (at most CONN_ERROR_LEN_MAX - 12) and counts it. */
static void
conn_send_error(struct nfv_ofp_conn *c, uint8_t version, uint32_t xid,
		uint16_t type, uint16_t code, const void *data,
		size_t data_len)
{
	uint8_t msg[CONN_ERROR_LEN_MAX];
	size_t len = 12 + data_len;

	conn_put_header(msg, version, CONN_OFPT_ERROR, len, xid);
	conn_put_be16(msg + 8, type);
	conn_put_be16(msg + 10, code);
	memcpy(msg + 12, data, data_len);
	c->stats.errors++;
	(void)conn_queue(c, msg, len, NULL, 0);
}

/* The version to put on an error answering a message of 'version': the
 * negotiated one, else the peer's if it is an older OpenFlow (so that it
 * can parse our HELLO_FAILED), else ours. */
static uint8_t
conn_error_version(const struct nfv_ofp_conn *c, uint8_t version)
{
	if (c->version != 0)
		return c->version;
	if (version >= 0x01 && version < CONN_OFP_VERSION)
		return version;
	return CONN_OFP_VERSION;
}

/*
 * Connection life cycle.
 */

static void
conn_call(nfv_ofp_conn_fn *fn, struct nfv_ofp_conn *c)
{
	if (fn != NULL)
		fn(c->mgr->p.cb_arg, c);
}

/* Stops watching and closes the socket of 'c' and forgets its buffers. */
static void
conn_release_fd(struct nfv_ofp_conn *c)
{
	if (c->fd >= 0) {
		nfv_loop_del_fd(c->mgr->loop, c->fd);
		close(c->fd);
	}
	c->fd = -1;
	c->events = 0;
	c->gen++;
	c->in_len = 0;
	c->out_head = 0;
	c->out_len = 0;
	c->version = 0;
	c->probe_sent = false;
	c->wr_shut = false;
}

/* Active 'c' failed or went down: waits before the next attempt, doubling
 * the wait after each failure, back to the minimum after a connection
 * that lasted at least the current wait (as OVS's rconn does). */
static void
conn_enter_backoff(struct nfv_ofp_conn *c, uint64_t now)
{
	const struct nfv_ofp_connmgr_params *p = &c->mgr->p;

	if (c->backoff_ms == 0 ||
	    (c->connected_ms != 0 && now - c->connected_ms >= c->backoff_ms))
		c->backoff_ms = p->backoff_min_ms;
	else if (c->backoff_ms < p->backoff_max_ms / 2)
		c->backoff_ms *= 2;
	else
		c->backoff_ms = p->backoff_max_ms;
	c->connected_ms = 0;
	c->state = NFV_OFP_CONN_BACKOFF;
	c->deadline_ms = now + c->backoff_ms;
}

/* Ends the TCP connection of 'c' at once. 'fmt' (NULL: keep the current
 * one) says why. A passive 'c' dies; an active one backs off. */
static void
conn_drop(struct nfv_ofp_conn *c, const char *fmt, ...)
{
	bool announced = c->announced;
	va_list ap;

	if (c->dead)
		return;
	if (fmt != NULL) {
		va_start(ap, fmt);
		conn_vset_error(c, fmt, ap);
		va_end(ap);
	}
	c->announced = false;
	conn_release_fd(c);
	if (c->active) {
		conn_enter_backoff(c, conn_now_ms());
	} else {
		c->state = NFV_OFP_CONN_CLOSING;
		c->dead = true;
		c->mgr->stats.n_passive--;
	}
	if (announced)
		conn_call(c->mgr->p.on_disconnected, c);
}

/* CLOSING: once the output is flushed, shuts down our side so that the
 * peer sees EOF after our last message. Returns 0 or a negative errno. */
static int
conn_closing_progress(struct nfv_ofp_conn *c)
{
	int ret;

	ret = conn_flush(c);
	if (ret < 0)
		return ret;
	if (conn_pending(c) == 0 && !c->wr_shut) {
		if (shutdown(c->fd, SHUT_WR) < 0)
			return -errno;
		c->wr_shut = true;
	}
	return 0;
}

/* Stops taking input on open 'c', flushes what is queued (a last error),
 * then closes; 'fmt' says why. */
static void
conn_start_close(struct nfv_ofp_conn *c, const char *fmt, ...)
{
	bool announced = c->announced;
	va_list ap;
	int ret;

	va_start(ap, fmt);
	conn_vset_error(c, fmt, ap);
	va_end(ap);

	c->announced = false;
	c->state = NFV_OFP_CONN_CLOSING;
	c->deadline_ms = conn_now_ms() + c->mgr->p.probe_interval_ms;
	c->in_len = 0;
	ret = conn_closing_progress(c);
	if (ret < 0)
		conn_drop(c, NULL);
	else
		conn_update_events(c);
	if (announced)
		conn_call(c->mgr->p.on_disconnected, c);
}

/* Queues an error for the bad message 'msg' and closes 'c' after it. */
static void
conn_error_close(struct nfv_ofp_conn *c, const uint8_t *msg, uint16_t type,
		 uint16_t code, const char *why)
{
	conn_send_error(c, conn_error_version(c, msg[0]),
			conn_get_be32(msg + 4), type, code, msg,
			CONN_OFP_HEADER_LEN);
	conn_start_close(c, "%s", why);
}

/* TCP is up on 'c': sends our HELLO and waits for the peer's. */
static void
conn_tcp_up(struct nfv_ofp_conn *c)
{
	c->state = NFV_OFP_CONN_HELLO;
	c->last_rx_ms = conn_now_ms();
	c->deadline_ms = c->last_rx_ms + c->mgr->p.probe_interval_ms;
	c->probe_sent = false;
	c->connected_ms = 0;
	conn_update_events(c);
	conn_send_hello(c);
}

/*
 * Input.
 */

/* Answers the peer's HELLO 'msg' of 'len' bytes: OpenFlow 1.3 if the
 * peer's version bitmap has it or, without a bitmap, if the peer's version
 * is at least 1.3; otherwise HELLO_FAILED and close. */
static void
conn_negotiate(struct nfv_ofp_conn *c, const uint8_t *msg, size_t len)
{
	uint8_t peer_version = msg[0];
	bool has_bitmap = false;
	uint32_t bitmap = 0;
	size_t pos = CONN_OFP_HEADER_LEN;
	char why[CONN_ERROR_LEN_MAX - 12];
	bool ok;

	/* Elements: type, length (without padding), padded to 8 bytes. A
	 * malformed one ends the list, as if the rest were not there. */
	while (len - pos >= 4) {
		uint16_t type = conn_get_be16(msg + pos);
		uint16_t elen = conn_get_be16(msg + pos + 2);
		size_t step = ((size_t)elen + 7) / 8 * 8;

		if (elen < 4 || elen > len - pos)
			break;
		if (type == CONN_OFPHET_VERSIONBITMAP) {
			/* Version 4 is in the first 32-bit word. */
			has_bitmap = true;
			if (elen >= 8)
				bitmap = conn_get_be32(msg + pos + 4);
			break;
		}
		if (step > len - pos)
			break;
		pos += step;
	}

	if (has_bitmap)
		ok = (bitmap & (UINT32_C(1) << CONN_OFP_VERSION)) != 0;
	else
		ok = peer_version >= CONN_OFP_VERSION;
	if (!ok) {
		if (has_bitmap)
			snprintf(why, sizeof(why),
				 "no common OpenFlow version: ours 0x%02x, peer's bitmap 0x%08x",
				 CONN_OFP_VERSION, (unsigned int)bitmap);
		else
			snprintf(why, sizeof(why),
				 "no common OpenFlow version: ours 0x%02x, peer's 0x%02x",
				 CONN_OFP_VERSION, peer_version);
		conn_send_error(c, conn_error_version(c, peer_version),
				conn_get_be32(msg + 4), CONN_OFPET_HELLO_FAILED,
				CONN_OFPHFC_INCOMPATIBLE, why, strlen(why));
		conn_start_close(c, "%s", why);
		return;
	}

	c->version = CONN_OFP_VERSION;
	c->state = NFV_OFP_CONN_CONNECTED;
	c->connected_ms = conn_now_ms();
	c->stats.connects++;
	c->announced = true;
	conn_call(c->mgr->p.on_connected, c);
}

/* Handles one complete message 'msg' of 'len' bytes on open 'c'. */
static void
conn_handle_msg(struct nfv_ofp_conn *c, const uint8_t *msg, size_t len)
{
	char why[64];
	uint8_t type = msg[1];

	if (c->state == NFV_OFP_CONN_HELLO) {
		if (type == CONN_OFPT_HELLO) {
			conn_negotiate(c, msg, len);
			return;
		}
		snprintf(why, sizeof(why),
			 "expected HELLO, got message type %u", type);
		conn_send_error(c, conn_error_version(c, msg[0]),
				conn_get_be32(msg + 4), CONN_OFPET_HELLO_FAILED,
				CONN_OFPHFC_INCOMPATIBLE, why, strlen(why));
		conn_start_close(c, "%s", why);
		return;
	}

	if (msg[0] != c->version) {
		/* Never answer an error with an error: two confused peers
		 * would bounce them forever. */
		if (type == CONN_OFPT_ERROR)
			c->stats.errors++;
		else
			conn_send_error(c, c->version, conn_get_be32(msg + 4),
					CONN_OFPET_BAD_REQUEST,
					CONN_OFPBRC_BAD_VERSION, msg,
					len < CONN_ERROR_DATA_MAX ?
					len : CONN_ERROR_DATA_MAX);
		return;
	}

	switch (type) {
	case CONN_OFPT_HELLO:
		/* A repeated HELLO changes nothing. */
		break;
	case CONN_OFPT_ECHO_REQUEST: {
		uint8_t hdr[CONN_OFP_HEADER_LEN];

		memcpy(hdr, msg, sizeof(hdr));
		hdr[1] = CONN_OFPT_ECHO_REPLY;
		(void)conn_queue(c, hdr, sizeof(hdr), msg + sizeof(hdr),
				 len - sizeof(hdr));
		break;
	}
	case CONN_OFPT_ECHO_REPLY:
		/* Whatever it answers, the peer is alive ('last_rx_ms'). */
		break;
	default:
		if (c->mgr->p.on_message != NULL)
			c->mgr->p.on_message(c->mgr->p.cb_arg, c, msg, len);
		break;
	}
}

/* Hands every complete message in the input buffer of open 'c' to
 * conn_handle_msg() and keeps the partial one that follows. */
static void
conn_process_input(struct nfv_ofp_conn *c)
{
	uint32_t gen = c->gen;
	size_t pos = 0;

	while (c->in_len - pos >= CONN_OFP_HEADER_LEN) {
		const uint8_t *msg = c->in + pos;
		size_t len = conn_get_be16(msg + 2);
		char why[64];

		if (len < CONN_OFP_HEADER_LEN) {
			/* Nothing after this can be framed. */
			snprintf(why, sizeof(why),
				 "message length %zu is less than %d bytes",
				 len, CONN_OFP_HEADER_LEN);
			conn_error_close(c, msg, CONN_OFPET_BAD_REQUEST,
					 CONN_OFPBRC_BAD_LEN, why);
			return;
		}
		if (c->in_len - pos < len)
			break;
		pos += len;
		c->stats.rx_msgs++;
		c->stats.rx_bytes += len;
		/* 'msg' stays valid: buffers live as long as 'c'. */
		conn_handle_msg(c, msg, len);
		if (c->gen != gen || !conn_is_open(c))
			return;
	}
	memmove(c->in, c->in + pos, c->in_len - pos);
	c->in_len -= pos;
}

/* Reads and handles what open 'c' has received, within a budget. */
static void
conn_read(struct nfv_ofp_conn *c)
{
	static const char why[] = "connection closed by peer";
	uint32_t gen = c->gen;
	unsigned int i;
	ssize_t n;

	for (i = 0; i < CONN_READ_BUDGET; i++) {
		n = recv(c->fd, c->in + c->in_len, CONN_IN_SIZE - c->in_len,
			 MSG_DONTWAIT);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			if (errno != EAGAIN && errno != EWOULDBLOCK)
				conn_drop(c, "%s", strerror(errno));
			return;
		}
		if (n == 0) {
			/* Half-closed peers still get what we owe them. */
			if (conn_pending(c) > 0)
				conn_start_close(c, "%s", why);
			else
				conn_drop(c, "%s", why);
			return;
		}
		c->last_rx_ms = conn_now_ms();
		c->probe_sent = false;
		c->in_len += n;
		conn_process_input(c);
		if (c->gen != gen || !conn_is_open(c))
			return;
		if (conn_pending(c) >= c->mgr->p.out_max / 2)
			return;         /* it must read our replies first */
	}
}

/* CONNECTING: the TCP handshake ended, one way or the other. */
static void
conn_connect_done(struct nfv_ofp_conn *c, uint32_t events)
{
	socklen_t len = sizeof(int);
	int err = 0;

	if (getsockopt(c->fd, SOL_SOCKET, SO_ERROR, &err, &len) < 0)
		err = errno;
	if (err != 0) {
		conn_drop(c, "%s", strerror(err));
		return;
	}
	if (events & EPOLLOUT)
		conn_tcp_up(c);
	else if (events & (EPOLLHUP | EPOLLERR))
		conn_drop(c, "connection failed");
}

static void
conn_io_open(struct nfv_ofp_conn *c, uint32_t events)
{
	uint32_t gen = c->gen;
	int ret;

	ret = conn_flush(c);
	if (ret < 0) {
		conn_drop(c, "%s", strerror(-ret));
		return;
	}
	if ((c->events & EPOLLIN) &&
	    (events & (EPOLLIN | EPOLLHUP | EPOLLERR))) {
		conn_read(c);
		if (c->gen != gen || !conn_is_open(c))
			return;
	} else if (events & (EPOLLHUP | EPOLLERR)) {
		/* Not reading (backpressure) and the socket is gone. */
		conn_drop(c, "connection reset");
		return;
	}
	ret = conn_flush(c);
	if (ret < 0) {
		conn_drop(c, "%s", strerror(-ret));
		return;
	}
	conn_update_events(c);
}

/* CLOSING: flushes, discards input, and ends at the peer's EOF. */
static void
conn_io_closing(struct nfv_ofp_conn *c, uint32_t events)
{
	unsigned int i;
	ssize_t n;

	if (conn_closing_progress(c) < 0) {
		conn_drop(c, NULL);
		return;
	}
	if (events & (EPOLLIN | EPOLLHUP | EPOLLERR)) {
		for (i = 0; i < CONN_READ_BUDGET; i++) {
			n = recv(c->fd, c->in, CONN_IN_SIZE, MSG_DONTWAIT);
			if (n > 0)
				continue;
			if (n < 0 && errno == EINTR)
				continue;
			if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
				break;
			conn_drop(c, NULL);
			return;
		}
	}
	conn_update_events(c);
}

static void
conn_io(void *arg, int fd, uint32_t events)
{
	struct nfv_ofp_conn *c = arg;
	struct nfv_ofp_connmgr *m = c->mgr;

	(void)fd;
	conn_mgr_enter(m);
	switch (c->state) {
	case NFV_OFP_CONN_CONNECTING:
		conn_connect_done(c, events);
		break;
	case NFV_OFP_CONN_HELLO:
	case NFV_OFP_CONN_CONNECTED:
		conn_io_open(c, events);
		break;
	case NFV_OFP_CONN_CLOSING:
		conn_io_closing(c, events);
		break;
	case NFV_OFP_CONN_BACKOFF:
		break;
	}
	conn_mgr_leave(m);
}

/*
 * Creating connections.
 */

static struct nfv_ofp_conn *
conn_alloc(struct nfv_ofp_connmgr *m, bool active)
{
	struct nfv_ofp_conn *c;

	c = calloc(1, sizeof(*c));
	if (c == NULL)
		return NULL;
	c->in = malloc(CONN_IN_SIZE);
	if (c->in == NULL) {
		free(c);
		return NULL;
	}
	c->mgr = m;
	c->active = active;
	c->fd = -1;
	c->next = m->conns;
	m->conns = c;
	return c;
}

/* Starts a TCP connect of active 'c' (in BACKOFF, no socket). */
static void
conn_start_connect(struct nfv_ofp_conn *c, uint64_t now)
{
	struct nfv_ofp_connmgr *m = c->mgr;
	int fd, ret;

	c->stats.connect_attempts++;
	fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (fd < 0) {
		conn_set_error(c, "%s", strerror(errno));
		conn_enter_backoff(c, now);
		return;
	}
	conn_set_nodelay(fd);
	ret = connect(fd, (const struct sockaddr *)&c->addr, sizeof(c->addr));
	if (ret < 0 && errno != EINPROGRESS) {
		conn_set_error(c, "%s", strerror(errno));
		close(fd);
		conn_enter_backoff(c, now);
		return;
	}
	ret = nfv_loop_add_fd(m->loop, fd, EPOLLOUT, conn_io, c);
	if (ret < 0) {
		conn_set_error(c, "%s", strerror(-ret));
		close(fd);
		conn_enter_backoff(c, now);
		return;
	}
	c->fd = fd;
	c->events = EPOLLOUT;
	c->state = NFV_OFP_CONN_CONNECTING;
	c->deadline_ms = now + m->p.probe_interval_ms;
	/* A connect that completed at once is still reported writable. */
}

static int
conn_passive_create(struct conn_listener *l, int fd,
		    const struct sockaddr_in *peer)
{
	struct nfv_ofp_connmgr *m = l->mgr;
	char addr[INET_ADDRSTRLEN];
	struct nfv_ofp_conn *c;
	int ret;

	c = conn_alloc(m, false);
	if (c == NULL)
		return -ENOMEM;
	ret = nfv_loop_add_fd(m->loop, fd, EPOLLIN, conn_io, c);
	if (ret < 0) {
		/* Unlinked and freed by the caller's leave. */
		c->dead = true;
		return ret;
	}
	c->fd = fd;
	c->events = EPOLLIN;
	if (inet_ntop(AF_INET, &peer->sin_addr, addr, sizeof(addr)) == NULL)
		snprintf(addr, sizeof(addr), "?");
	snprintf(c->name, sizeof(c->name), "%s <- %s:%u", l->name, addr,
		 ntohs(peer->sin_port));
	conn_set_nodelay(fd);
	m->stats.n_passive++;
	m->stats.accepted++;
	conn_tcp_up(c);
	return 0;
}

static void
conn_listener_pause(struct conn_listener *l, bool paused)
{
	if (nfv_loop_mod_fd(l->mgr->loop, l->fd, paused ? 0 : EPOLLIN) == 0)
		l->paused = paused;
}

static void
conn_accept(void *arg, int fd, uint32_t events)
{
	struct conn_listener *l = arg;
	struct nfv_ofp_connmgr *m = l->mgr;
	struct sockaddr_in peer;
	socklen_t peer_len;
	unsigned int i;
	int cfd;

	(void)events;
	conn_mgr_enter(m);
	for (i = 0; i < CONN_ACCEPT_BUDGET; i++) {
		peer_len = sizeof(peer);
		cfd = accept4(fd, (struct sockaddr *)&peer, &peer_len,
			      SOCK_NONBLOCK | SOCK_CLOEXEC);
		if (cfd < 0) {
			if (errno == EINTR || errno == ECONNABORTED)
				continue;
			if (errno != EAGAIN && errno != EWOULDBLOCK) {
				/* EMFILE and the like: epoll would call
				 * again at once, so rest until the tick. */
				m->stats.accept_errors++;
				conn_listener_pause(l, true);
			}
			break;
		}
		if (m->stats.n_passive >= m->p.max_passive) {
			m->stats.refused++;
			close(cfd);
			continue;
		}
		if (conn_passive_create(l, cfd, &peer) < 0) {
			m->stats.accept_errors++;
			close(cfd);
		}
	}
	conn_mgr_leave(m);
}

/*
 * Timers.
 */

static void
conn_timeouts(struct nfv_ofp_conn *c, uint64_t now)
{
	const unsigned int probe = c->mgr->p.probe_interval_ms;
	uint8_t msg[CONN_OFP_HEADER_LEN];

	switch (c->state) {
	case NFV_OFP_CONN_CONNECTING:
		if (now >= c->deadline_ms)
			conn_drop(c, "connection timed out");
		break;
	case NFV_OFP_CONN_HELLO:
		/* From TCP up, however slowly the bytes trickle in. */
		if (now >= c->deadline_ms)
			conn_drop(c, "no HELLO from peer within %u ms", probe);
		break;
	case NFV_OFP_CONN_CONNECTED:
		if (c->probe_sent) {
			if (now - c->probe_ms >= probe)
				conn_drop(c, "inactivity probe timed out after %u ms",
					  probe);
		} else if (now - c->last_rx_ms >= probe) {
			conn_put_header(msg, c->version, CONN_OFPT_ECHO_REQUEST,
					sizeof(msg), c->mgr->next_xid++);
			c->probe_sent = true;
			c->probe_ms = now;
			c->stats.echo_probes++;
			(void)conn_queue(c, msg, sizeof(msg), NULL, 0);
		}
		break;
	case NFV_OFP_CONN_CLOSING:
		if (now >= c->deadline_ms)
			conn_drop(c, NULL);
		break;
	case NFV_OFP_CONN_BACKOFF:
		if (now >= c->deadline_ms)
			conn_start_connect(c, now);
		break;
	}
}

static void
conn_tick(void *arg, int fd, uint32_t events)
{
	struct nfv_ofp_connmgr *m = arg;
	struct nfv_ofp_conn *c;
	uint64_t expirations;
	unsigned int i;
	uint64_t now;

	(void)events;
	/* Only to rearm the readiness; the count does not matter. */
	if (read(fd, &expirations, sizeof(expirations)) < 0)
		expirations = 0;

	conn_mgr_enter(m);
	for (i = 0; i < m->n_listeners; i++)
		if (m->listeners[i].paused)
			conn_listener_pause(&m->listeners[i], false);
	now = conn_now_ms();
	/* Connections added meanwhile go to the head: not visited. */
	for (c = m->conns; c != NULL; c = c->next)
		if (!c->dead)
			conn_timeouts(c, now);
	conn_mgr_leave(m);
}

/*
 * The manager.
 */

int
nfv_ofp_connmgr_create(struct nfv_loop *loop,
		       const struct nfv_ofp_connmgr_params *params,
		       struct nfv_ofp_connmgr **out)
{
	struct itimerspec its = { { 0, 0 }, { 0, 0 } };
	struct nfv_ofp_connmgr_params *p;
	struct nfv_ofp_connmgr *m;
	int ret;

	m = calloc(1, sizeof(*m));
	if (m == NULL)
		return -ENOMEM;
	m->loop = loop;
	m->next_xid = 1;
	p = &m->p;
	if (params != NULL)
		*p = *params;
	if (p->max_passive == 0)
		p->max_passive = NFV_OFP_CONN_DEFAULT_MAX_PASSIVE;
	if (p->out_max == 0)
		p->out_max = NFV_OFP_CONN_DEFAULT_OUT_MAX;
	if (p->probe_interval_ms == 0)
		p->probe_interval_ms = NFV_OFP_CONN_DEFAULT_PROBE_MS;
	if (p->backoff_min_ms == 0)
		p->backoff_min_ms = NFV_OFP_CONN_DEFAULT_BACKOFF_MIN_MS;
	if (p->backoff_max_ms == 0)
		p->backoff_max_ms = NFV_OFP_CONN_DEFAULT_BACKOFF_MAX_MS;
	if (p->tick_ms == 0)
		p->tick_ms = NFV_OFP_CONN_DEFAULT_TICK_MS;
	/* Any single message must fit an empty queue. */
	if (p->backoff_min_ms > p->backoff_max_ms ||
	    p->out_max < CONN_OFP_MSG_MAX) {
		ret = -EINVAL;
		goto out_free_mgr;
	}

	m->timer_fd = timerfd_create(CLOCK_MONOTONIC,
				     TFD_NONBLOCK | TFD_CLOEXEC);
	if (m->timer_fd < 0) {
		ret = -errno;
		goto out_free_mgr;
	}
	its.it_interval.tv_sec = p->tick_ms / 1000;
	its.it_interval.tv_nsec = (long)(p->tick_ms % 1000) * 1000000;
	its.it_value = its.it_interval;
	if (timerfd_settime(m->timer_fd, 0, &its, NULL) < 0) {
		ret = -errno;
		goto out_close_timer;
	}
	ret = nfv_loop_add_fd(loop, m->timer_fd, EPOLLIN, conn_tick, m);
	if (ret < 0)
		goto out_close_timer;
	*out = m;
	return 0;

out_close_timer:
	close(m->timer_fd);
out_free_mgr:
	free(m);
	return ret;
}

void
nfv_ofp_connmgr_destroy(struct nfv_ofp_connmgr *m)
{
	struct nfv_ofp_conn *c, *next;
	unsigned int i;

	if (m == NULL)
		return;
	/* Nothing is freed until every callback has run. */
	m->depth++;
	for (c = m->conns; c != NULL; c = c->next) {
		conn_release_fd(c);
		c->state = c->active ? NFV_OFP_CONN_BACKOFF :
				       NFV_OFP_CONN_CLOSING;
	}
	for (c = m->conns; c != NULL; c = c->next) {
		if (c->announced && !c->dead) {
			c->announced = false;
			conn_call(m->p.on_disconnected, c);
		}
	}
	for (c = m->conns; c != NULL; c = next) {
		next = c->next;
		conn_free(c);
	}
	for (i = 0; i < m->n_listeners; i++) {
		nfv_loop_del_fd(m->loop, m->listeners[i].fd);
		close(m->listeners[i].fd);
	}
	nfv_loop_del_fd(m->loop, m->timer_fd);
	close(m->timer_fd);
	free(m);
}

/* Parses a TCP port, 0..65535, from the 'len' chars at 's'. Returns it,
 * or -1. */
static int
conn_parse_port(const char *s, size_t len)
{
	unsigned int port = 0;
	size_t i;

	if (len == 0 || len > 5)
		return -1;
	for (i = 0; i < len; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		port = port * 10 + (s[i] - '0');
	}
	return port <= 65535 ? (int)port : -1;
}

int
nfv_ofp_connmgr_listen(struct nfv_ofp_connmgr *m, const char *target,
		       uint16_t *port, char *err)
{
	struct sockaddr_in addr = { .sin_family = AF_INET };
	socklen_t addr_len = sizeof(addr);
	const char *rest, *colon, *host;
	struct conn_listener *l;
	int fd, ret, one = 1;
	int bind_port;

	if (strncmp(target, "ptcp:", 5) != 0)
		goto out_syntax;
	rest = target + 5;
	colon = strchr(rest, ':');
	bind_port = conn_parse_port(rest, colon ? (size_t)(colon - rest) :
					       strlen(rest));
	host = colon ? colon + 1 : CONN_DEFAULT_LISTEN_ADDR;
	if (bind_port < 0 || inet_pton(AF_INET, host, &addr.sin_addr) != 1)
		goto out_syntax;
	addr.sin_port = htons(bind_port);
	if (m->n_listeners == NFV_OFP_CONN_MAX_LISTENERS) {
		snprintf(err, NFV_OFP_CONN_ERR_MAX,
			 "%s: too many listeners (max %d)", target,
			 NFV_OFP_CONN_MAX_LISTENERS);
		return -ENOSPC;
	}

	fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (fd < 0) {
		ret = -errno;
		snprintf(err, NFV_OFP_CONN_ERR_MAX, "%s: socket: %s", target,
			 strerror(-ret));
		return ret;
	}
	/* A restarted switch must not wait for TIME_WAIT to pass. */
	(void)setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	if (bind(fd, (const struct sockaddr *)&addr, sizeof(addr)) < 0 ||
	    listen(fd, CONN_LISTEN_BACKLOG) < 0 ||
	    getsockname(fd, (struct sockaddr *)&addr, &addr_len) < 0) {
		ret = -errno;
		snprintf(err, NFV_OFP_CONN_ERR_MAX, "%s: cannot listen: %s",
			 target, strerror(-ret));
		goto out_close;
	}

	l = &m->listeners[m->n_listeners];
	l->mgr = m;
	l->fd = fd;
	l->paused = false;
	if (colon != NULL)
		snprintf(l->name, sizeof(l->name), "ptcp:%u:%s",
			 ntohs(addr.sin_port), host);
	else
		snprintf(l->name, sizeof(l->name), "ptcp:%u",
			 ntohs(addr.sin_port));
	ret = nfv_loop_add_fd(m->loop, fd, EPOLLIN, conn_accept, l);
	if (ret < 0) {
		snprintf(err, NFV_OFP_CONN_ERR_MAX, "%s: %s", target,
			 strerror(-ret));
		goto out_close;
	}
	m->n_listeners++;
	if (port != NULL)
		*port = ntohs(addr.sin_port);
	return 0;

out_close:
	close(fd);
	return ret;

out_syntax:
	snprintf(err, NFV_OFP_CONN_ERR_MAX,
		 "expected ptcp:PORT[:IPv4ADDR], got '%s'", target);
	return -EINVAL;
}

/* Resolves 'host' to an IPv4 address in 'addr'. Returns 0 or -EHOSTUNREACH
 * with a message in 'err'. May block (DNS) unless 'host' is numeric. */
static int
conn_resolve(const char *target, const char *host, struct in_addr *addr,
	     char *err)
{
	struct addrinfo hints = {
		.ai_family = AF_INET,
		.ai_socktype = SOCK_STREAM,
	};
	struct addrinfo *res;
	int ret;

	if (inet_pton(AF_INET, host, addr) == 1)
		return 0;
	ret = getaddrinfo(host, NULL, &hints, &res);
	if (ret != 0) {
		snprintf(err, NFV_OFP_CONN_ERR_MAX,
			 "%s: cannot resolve the host name: %s", target,
			 gai_strerror(ret));
		return -EHOSTUNREACH;
	}
	*addr = ((const struct sockaddr_in *)res->ai_addr)->sin_addr;
	freeaddrinfo(res);
	return 0;
}

int
nfv_ofp_connmgr_connect(struct nfv_ofp_connmgr *m, const char *target,
			struct nfv_ofp_conn **out, char *err)
{
	char host[NFV_OFP_CONN_NAME_MAX];
	struct in_addr addr;
	const char *colon;
	struct nfv_ofp_conn *c;
	int port, ret;

	if (strncmp(target, "tcp:", 4) != 0 ||
	    strlen(target) >= NFV_OFP_CONN_NAME_MAX)
		goto out_syntax;
	colon = strrchr(target + 4, ':');
	if (colon == NULL || colon == target + 4)
		goto out_syntax;
	port = conn_parse_port(colon + 1, strlen(colon + 1));
	if (port <= 0)
		goto out_syntax;
	memcpy(host, target + 4, colon - (target + 4));
	host[colon - (target + 4)] = '\0';

	ret = conn_resolve(target, host, &addr, err);
	if (ret < 0)
		return ret;

	c = conn_alloc(m, true);
	if (c == NULL) {
		snprintf(err, NFV_OFP_CONN_ERR_MAX, "%s: %s", target,
			 strerror(ENOMEM));
		return -ENOMEM;
	}
	c->addr.sin_family = AF_INET;
	c->addr.sin_addr = addr;
	c->addr.sin_port = htons(port);
	snprintf(c->name, sizeof(c->name), "%s", target);
	c->state = NFV_OFP_CONN_BACKOFF;
	conn_mgr_enter(m);
	conn_start_connect(c, conn_now_ms());
	conn_mgr_leave(m);
	if (out != NULL)
		*out = c;
	return 0;

out_syntax:
	snprintf(err, NFV_OFP_CONN_ERR_MAX,
		 "expected tcp:HOST:PORT with PORT 1..65535, got '%s'",
		 target);
	return -EINVAL;
}

static void
conn_foreach(struct nfv_ofp_connmgr *m, bool connected_only,
	     nfv_ofp_conn_fn *fn, void *arg)
{
	struct nfv_ofp_conn *c;

	conn_mgr_enter(m);
	for (c = m->conns; c != NULL; c = c->next) {
		if (c->dead)
			continue;
		if (connected_only && c->state != NFV_OFP_CONN_CONNECTED)
			continue;
		fn(arg, c);
	}
	conn_mgr_leave(m);
}

void
nfv_ofp_connmgr_foreach(struct nfv_ofp_connmgr *m, nfv_ofp_conn_fn *fn,
			void *arg)
{
	conn_foreach(m, true, fn, arg);
}

void
nfv_ofp_connmgr_foreach_all(struct nfv_ofp_connmgr *m, nfv_ofp_conn_fn *fn,
			    void *arg)
{
	conn_foreach(m, false, fn, arg);
}

void
nfv_ofp_connmgr_get_stats(const struct nfv_ofp_connmgr *m,
			  struct nfv_ofp_connmgr_stats *stats)
{
	const struct nfv_ofp_conn *c;

	*stats = m->stats;
	stats->n_active = 0;
	stats->n_connected = 0;
	for (c = m->conns; c != NULL; c = c->next) {
		if (c->dead)
			continue;
		if (c->active)
			stats->n_active++;
		if (c->state == NFV_OFP_CONN_CONNECTED)
			stats->n_connected++;
	}
}

/*
 * One connection.
 */

int
nfv_ofp_conn_send(struct nfv_ofp_conn *c, const uint8_t *msg, size_t len)
{
	if (len < CONN_OFP_HEADER_LEN || len > CONN_OFP_MSG_MAX ||
	    conn_get_be16(msg + 2) != len)
		return -EINVAL;
	if (c->dead || c->state != NFV_OFP_CONN_CONNECTED)
		return -ENOTCONN;
	return conn_queue(c, msg, len, NULL, 0);
}

int
nfv_ofp_conn_send_reply(struct nfv_ofp_conn *c, const uint8_t *msg,
			size_t len)
{
	if (len < CONN_OFP_HEADER_LEN || len > CONN_OFP_MSG_MAX ||
	    conn_get_be16(msg + 2) != len)
		return -EINVAL;
	if (c->dead || c->state != NFV_OFP_CONN_CONNECTED)
		return -ENOTCONN;
	return conn_queue_bounded(c, msg, len, NULL, 0, false);
}

void
nfv_ofp_conn_close(struct nfv_ofp_conn *c)
{
	struct nfv_ofp_connmgr *m = c->mgr;

	if (c->dead)
		return;
	conn_mgr_enter(m);
	switch (c->state) {
	case NFV_OFP_CONN_CONNECTING:
		conn_drop(c, "closed locally");
		break;
	case NFV_OFP_CONN_HELLO:
	case NFV_OFP_CONN_CONNECTED:
		conn_start_close(c, "closed locally");
		break;
	case NFV_OFP_CONN_CLOSING:
	case NFV_OFP_CONN_BACKOFF:
		break;
	}
	conn_mgr_leave(m);
}

const char *
nfv_ofp_conn_name(const struct nfv_ofp_conn *c)
{
	return c->name;
}

enum nfv_ofp_conn_state
nfv_ofp_conn_state(const struct nfv_ofp_conn *c)
{
	return c->state;
}

const char *
nfv_ofp_conn_state_name(enum nfv_ofp_conn_state state)
{
	switch (state) {
	case NFV_OFP_CONN_CONNECTING:
		return "CONNECTING";
	case NFV_OFP_CONN_HELLO:
		return "HELLO";
	case NFV_OFP_CONN_CONNECTED:
		return "CONNECTED";
	case NFV_OFP_CONN_CLOSING:
		return "CLOSING";
	case NFV_OFP_CONN_BACKOFF:
		return "BACKOFF";
	}
	return "?";
}

bool
nfv_ofp_conn_is_active(const struct nfv_ofp_conn *c)
{
	return c->active;
}

uint8_t
nfv_ofp_conn_version(const struct nfv_ofp_conn *c)
{
	return c->version;
}

size_t
nfv_ofp_conn_out_pending(const struct nfv_ofp_conn *c)
{
	return conn_pending(c);
}

unsigned int
nfv_ofp_conn_backoff_ms(const struct nfv_ofp_conn *c)
{
	return c->backoff_ms;
}

const char *
nfv_ofp_conn_last_error(const struct nfv_ofp_conn *c)
{
	return c->last_error;
}

void
nfv_ofp_conn_get_stats(const struct nfv_ofp_conn *c,
		       struct nfv_ofp_conn_stats *stats)
{
	*stats = c->stats;
}

void
nfv_ofp_conn_set_data(struct nfv_ofp_conn *c, void *data)
{
	c->data = data;
}

void *
nfv_ofp_conn_data(const struct nfv_ofp_conn *c)
{
	return c->data;
}
