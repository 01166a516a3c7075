/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The control socket: a Unix stream socket served by the control thread
 * through the event loop, never blocking it. Protocol: each request is one
 * JSON object on one line, {"cmd": "NAME", "args": {...}}; each reply is one
 * JSON object on one line, {"ok": true, "result": ...} or
 * {"ok": false, "error": "..."}. Requests are bounded (NFV_CTL_REQUEST_MAX
 * bytes); a malformed request gets an error reply and the server keeps going.
 *
 * Modules own their commands: a static table of struct nfv_ctl_cmd that they
 * register at init. The dispatcher checks the arguments against the table
 * before any handler runs, so handlers only see the arguments they declared,
 * each a JSON string, required ones always present.
 */
#ifndef NFV_CTL_SERVER_H
#define NFV_CTL_SERVER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

#include "loop.h"

#define NFV_CTL_MAX_ARGS 4
#define NFV_CTL_MAX_CMDS 128
#define NFV_CTL_MAX_CLIENTS 64
#define NFV_CTL_ERR_MAX 256

/* Runs a command. 'args' is the request's "args" object (never NULL, holds
 * only declared names, string values). On success stores a new reference in
 * '*result' (any JSON value; NULL means JSON null) and returns 0. On failure
 * returns a negative errno and writes a message that names the object and
 * the cause into 'err' (NFV_CTL_ERR_MAX bytes), e.g. "port 'vm9': no such
 * port". Control thread. */
typedef int nfv_ctl_handler_fn(void *ctx, json_t *args, json_t **result,
			       char *err);

struct nfv_ctl_cmd {
	const char *name;       /* "port-stats" */
	const char *usage;      /* "[PORT]": shown by "help" */
	const char *help;       /* one line */
	/* Argument names in positional order; the first 'min_args' are
	 * required, up to 'max_args' may be given. */
	const char *args[NFV_CTL_MAX_ARGS];
	unsigned int min_args;
	unsigned int max_args;
	bool changes_state;     /* changes dataplane state (logged) */
	nfv_ctl_handler_fn *handler;
};

struct nfv_ctl_server;

/* Creates the server without a socket (for tests and for registering
 * commands before listening). Built-in command: "help". Returns 0 or
 * -ENOMEM. */
int nfv_ctl_server_create(struct nfv_ctl_server **out);

/* Destroys 's' (NULL-safe): closes clients and the socket, unlinks it. */
void nfv_ctl_server_destroy(struct nfv_ctl_server *s);

/* Registers 'n' commands of 'cmds' (a static table) with context 'ctx'.
 * Returns 0, -EEXIST on a duplicate name, -ENOSPC when full. */
int nfv_ctl_register(struct nfv_ctl_server *s, const struct nfv_ctl_cmd *cmds,
		     unsigned int n, void *ctx);

/* Binds the Unix socket at 'path' (parent directory created, mode 0660),
 * and adds it to 'loop'. A stale socket left by a dead daemon is replaced;
 * a live one (something accepts connections on it) is refused with -EADDRINUSE.
 * Returns 0 or -errno with a message in 'err'. */
int nfv_ctl_server_listen(struct nfv_ctl_server *s, struct nfv_loop *loop,
			  const char *path, char *err);

/* Handles one request 'req' of 'len' bytes (no newline needed) and returns
 * the reply as a newly allocated NUL-terminated string without newline
 * (free() it). Never returns NULL except on allocation failure. This is
 * what the socket path calls for each line; tests call it directly. */
char *nfv_ctl_handle_request(struct nfv_ctl_server *s, const char *req,
			     size_t len);

/* Counters: requests served, requests rejected (malformed or failed). */
void nfv_ctl_server_counters(const struct nfv_ctl_server *s,
			     uint64_t *n_requests, uint64_t *n_errors);

#endif /* NFV_CTL_SERVER_H */
