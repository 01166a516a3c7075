/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * OpenFlow connections: the transport under ofproto. A connection manager
 * owns the listeners ("ptcp:PORT[:ADDR]"), the connections they accept and
 * the active connections to controllers ("tcp:HOST:PORT"), all driven by
 * the control thread's event loop (loop.h) and never blocking it.
 *
 * Per connection it frames OpenFlow messages by the 8-byte header, bounds
 * the input (one message of up to 65535 bytes) and the output queue
 * (sends beyond it are dropped and counted), negotiates OpenFlow 1.3 with
 * HELLO (version bitmap), answers ECHO_REQUEST, probes a silent peer with
 * ECHO_REQUEST and drops it if it stays silent, and answers framing and
 * version errors with OpenFlow errors. Active connections reconnect with
 * exponential backoff. Everything else is delivered upward, one complete
 * message at a time, through the callbacks of nfv_ofp_connmgr_params; this
 * layer knows nothing of the messages' bodies (that is ofp_codec's job).
 *
 * Threads: control thread only, like the loop it runs on. Every function
 * here may be called from the callbacks, except nfv_ofp_connmgr_destroy().
 */
#ifndef NFV_OFP_CONN_H
#define NFV_OFP_CONN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "loop.h"

#define NFV_OFP_CONN_ERR_MAX 256        /* 'err' buffers, with the NUL */
#define NFV_OFP_CONN_NAME_MAX 288       /* connection names, with the NUL */
#define NFV_OFP_CONN_MAX_LISTENERS 8

/* Defaults, used where nfv_ofp_connmgr_params leaves a field 0. */
#define NFV_OFP_CONN_DEFAULT_MAX_PASSIVE 64
#define NFV_OFP_CONN_DEFAULT_OUT_MAX (1024 * 1024)      /* bytes */
#define NFV_OFP_CONN_DEFAULT_PROBE_MS 5000
#define NFV_OFP_CONN_DEFAULT_BACKOFF_MIN_MS 1000
#define NFV_OFP_CONN_DEFAULT_BACKOFF_MAX_MS 8000
#define NFV_OFP_CONN_DEFAULT_TICK_MS 100

enum nfv_ofp_conn_state {
	NFV_OFP_CONN_CONNECTING,        /* active: TCP connect in progress */
	NFV_OFP_CONN_HELLO,             /* TCP up, awaiting the peer's HELLO */
	NFV_OFP_CONN_CONNECTED,         /* OpenFlow 1.3 negotiated */
	NFV_OFP_CONN_CLOSING,           /* flushing last messages, then close */
	NFV_OFP_CONN_BACKOFF,           /* active: waiting to reconnect */
};

/* Counters of one connection; an active connection keeps them across
 * reconnections. */
struct nfv_ofp_conn_stats {
	uint64_t rx_msgs;               /* complete messages received */
	uint64_t rx_bytes;
	uint64_t tx_msgs;               /* messages queued for sending */
	uint64_t tx_bytes;
	uint64_t tx_dropped;            /* sends refused: output queue full */
	uint64_t errors;                /* peer's protocol errors (answered
					 * with an OpenFlow error unless it
					 * was one itself) */
	uint64_t echo_probes;           /* inactivity ECHO_REQUESTs sent */
	uint64_t connect_attempts;      /* active: TCP connects started */
	uint64_t connects;              /* HELLO negotiations that succeeded */
};

/* Counters of a manager. */
struct nfv_ofp_connmgr_stats {
	unsigned int n_passive;         /* accepted connections open now */
	unsigned int n_active;          /* configured controllers */
	unsigned int n_connected;       /* connections in CONNECTED now */
	uint64_t accepted;              /* passive connections taken */
	uint64_t refused;               /* closed at once: max_passive open */
	uint64_t accept_errors;         /* accept() failed (EMFILE...) */
};

struct nfv_ofp_conn;
struct nfv_ofp_connmgr;

/* Called when 'c' negotiated OpenFlow 1.3 (on_connected) or, for a
 * connection that had been reported connected, when it left CONNECTED for
 * any reason, including nfv_ofp_conn_close() and nfv_ofp_connmgr_destroy()
 * (on_disconnected). After on_disconnected, a passive 'c' is freed once
 * the callback returns to the loop: drop every pointer to it. */
typedef void nfv_ofp_conn_fn(void *arg, struct nfv_ofp_conn *c);
/* Called for each complete message of 'len' bytes (8..65535, header
 * included, version already checked) received on a connected 'c', except
 * HELLO, ECHO_REQUEST and ECHO_REPLY, which this layer handles. 'msg' is
 * valid only during the call. */
typedef void nfv_ofp_conn_msg_fn(void *arg, struct nfv_ofp_conn *c,
				 const uint8_t *msg, size_t len);

struct nfv_ofp_connmgr_params {
	/* Connections accepted at once over all listeners; more are accepted
	 * and closed at once, and counted as 'refused'. */
	unsigned int max_passive;
	size_t out_max;                 /* output queue bound, bytes */
	/* Silence after which the peer gets an ECHO_REQUEST, and again after
	 * which it is dropped. Also bounds TCP connect, the wait for the
	 * peer's HELLO and the flush of a closing connection. */
	unsigned int probe_interval_ms;
	/* Reconnect delay of active connections: min, doubling up to max. */
	unsigned int backoff_min_ms;
	unsigned int backoff_max_ms;
	unsigned int tick_ms;           /* granularity of the timers above */
	nfv_ofp_conn_fn *on_connected;
	nfv_ofp_conn_msg_fn *on_message;
	nfv_ofp_conn_fn *on_disconnected;
	void *cb_arg;                   /* first argument of the callbacks */
};

/* Creates a manager without listeners or connections on 'loop', with
 * 'params' (NULL or zero fields for the defaults; callbacks may be NULL).
 * Returns 0, -EINVAL (backoff_min_ms > backoff_max_ms) or -errno. */
int nfv_ofp_connmgr_create(struct nfv_loop *loop,
			   const struct nfv_ofp_connmgr_params *params,
			   struct nfv_ofp_connmgr **out);

/* Closes every listener and connection at once (no flush), calling
 * on_disconnected for those that were connected, and frees 'm'
 * (NULL-safe). Not from a callback of 'm'. */
void nfv_ofp_connmgr_destroy(struct nfv_ofp_connmgr *m);

/* Listens on 'target', "ptcp:PORT" (address 127.0.0.1) or
 * "ptcp:PORT:IPv4ADDR". PORT 0 picks a free port; the bound port is stored
 * in '*port' if 'port' is not NULL. Returns 0, or -EINVAL (syntax), -ENOSPC
 * (NFV_OFP_CONN_MAX_LISTENERS reached) or -errno from the socket calls,
 * with a message naming 'target' in 'err'. */
int nfv_ofp_connmgr_listen(struct nfv_ofp_connmgr *m, const char *target,
			   uint16_t *port, char *err);

/* Adds an active connection to 'target', "tcp:HOST:PORT", and starts
 * connecting at once; on failure it retries after the backoff, forever.
 * HOST is an IPv4 address or a name resolved here, once, with
 * getaddrinfo(), which may block: call this at startup (or reconfiguration),
 * not from a callback. Reconnections reuse the resolved address. The
 * connection is stored in '*out' if 'out' is not NULL; it lives until
 * nfv_ofp_connmgr_destroy(). Returns 0, or -EINVAL (syntax),
 * -EHOSTUNREACH (HOST not resolved to an IPv4 address) or -ENOMEM, with a
 * message naming 'target' in 'err'. */
int nfv_ofp_connmgr_connect(struct nfv_ofp_connmgr *m, const char *target,
			    struct nfv_ofp_conn **out, char *err);

/* Calls 'fn' for each CONNECTED connection of 'm' (broadcasts:
 * packet-in, port_status, flow_removed). 'fn' may send on or close any
 * connection; connections it closes are not visited afterwards. */
void nfv_ofp_connmgr_foreach(struct nfv_ofp_connmgr *m, nfv_ofp_conn_fn *fn,
			     void *arg);
/* Like nfv_ofp_connmgr_foreach() over every connection whatever its state
 * (status display), closing ones and those in BACKOFF included. */
void nfv_ofp_connmgr_foreach_all(struct nfv_ofp_connmgr *m,
				 nfv_ofp_conn_fn *fn, void *arg);

/* Fills 'stats' with the counters of 'm'. */
void nfv_ofp_connmgr_get_stats(const struct nfv_ofp_connmgr *m,
			       struct nfv_ofp_connmgr_stats *stats);

/* Queues message 'msg' of 'len' bytes on 'c'; it is written when the
 * socket takes it. The header's length field must equal 'len'. Returns 0,
 * -EINVAL (bad length), -ENOTCONN ('c' is not CONNECTED), -ENOBUFS (the
 * output queue cannot take 'len' more bytes) or -ENOMEM; on the last two
 * the message is dropped and counted in tx_dropped. Never blocks. */
int nfv_ofp_conn_send(struct nfv_ofp_conn *c, const uint8_t *msg, size_t len);

/* Closes 'c' after its queued output is flushed (bounded by the probe
 * interval); on_disconnected is called now if 'c' was connected. A passive
 * 'c' is then freed; an active one reconnects after its backoff. No effect
 * on a connection already closing or in BACKOFF. */
/* Like nfv_ofp_conn_send() for a part of the reply to a request that the
 * peer sent: never dropped for a full output queue (a dropped part would
 * leave the reply unfinished). What bounds it is that a connection is not
 * read while its queue is over half full, so a peer that does not read
 * cannot make the switch answer more requests. */
int nfv_ofp_conn_send_reply(struct nfv_ofp_conn *c, const uint8_t *msg,
			    size_t len);

void nfv_ofp_conn_close(struct nfv_ofp_conn *c);

/* "ptcp:6653 <- 127.0.0.1:53412" for an accepted connection, the target
 * ("tcp:127.0.0.1:6633") for an active one. */
const char *nfv_ofp_conn_name(const struct nfv_ofp_conn *c);
enum nfv_ofp_conn_state nfv_ofp_conn_state(const struct nfv_ofp_conn *c);
/* Returns "CONNECTING", "HELLO", "CONNECTED", "CLOSING" or "BACKOFF". */
const char *nfv_ofp_conn_state_name(enum nfv_ofp_conn_state state);
/* True for a connection made by nfv_ofp_connmgr_connect(). */
bool nfv_ofp_conn_is_active(const struct nfv_ofp_conn *c);
/* The negotiated OpenFlow version (0x04), or 0 before negotiation. */
uint8_t nfv_ofp_conn_version(const struct nfv_ofp_conn *c);
/* Bytes queued and not yet written. */
size_t nfv_ofp_conn_out_pending(const struct nfv_ofp_conn *c);
/* Active: the delay before the current (or next) reconnection; 0 before
 * the first failure. Always 0 for a passive connection. */
unsigned int nfv_ofp_conn_backoff_ms(const struct nfv_ofp_conn *c);
/* Why the connection last went down ("connection refused", "inactivity
 * probe timed out"...), or "" if it never did. */
const char *nfv_ofp_conn_last_error(const struct nfv_ofp_conn *c);
/* Copies the counters of 'c' into 'stats'. */
void nfv_ofp_conn_get_stats(const struct nfv_ofp_conn *c,
			    struct nfv_ofp_conn_stats *stats);

/* The upper layer's pointer (role, async config...): NULL until set; this
 * layer never touches what it points to. */
void nfv_ofp_conn_set_data(struct nfv_ofp_conn *c, void *data);
void *nfv_ofp_conn_data(const struct nfv_ofp_conn *c);

#endif /* NFV_OFP_CONN_H */
