/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The control socket server (see ctl_server.h). Two halves:
 *
 * - The dispatcher: a registry of the modules' command tables, and
 *   nfv_ctl_handle_request(), which parses one request, checks it against
 *   the command's table (names, required arguments, string values) and only
 *   then calls the handler. Every outcome becomes a one-line JSON reply.
 *
 * - The socket: a non-blocking Unix stream listener and its clients, driven
 *   by the control thread's event loop (loop.c). Each client has a bounded
 *   input buffer split on newlines and an output buffer flushed when the
 *   socket is writable, so a slow or misbehaving client never blocks the
 *   thread; any error closes that client only.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include "ctl_server.h"
#include "nfv_common.h"

/* A client with this many reply bytes unsent is not read from until they
 * drain. Replies to requests already buffered may still be added, so the
 * output is bounded by this plus the replies to one input buffer. */
#define CTL_OUT_HIGH_WATER (1024 * 1024)

#define CTL_LISTEN_BACKLOG 16

struct ctl_cmd_entry {
	const struct nfv_ctl_cmd *cmd;
	void *ctx;
};

struct ctl_client {
	struct nfv_ctl_server *server;
	int fd;
	/* One request line of up to NFV_CTL_REQUEST_MAX bytes plus its
	 * newline. */
	char *in;
	size_t in_len;
	/* Replies: bytes [out_sent, out_len) are still to be written. */
	char *out;
	size_t out_len;
	size_t out_sent;
	size_t out_cap;
	bool closing;           /* EOF or fatal request: flush, then close */
};

/* Control thread only, like everything in this file. */
struct nfv_ctl_server {
	struct ctl_cmd_entry cmds[NFV_CTL_MAX_CMDS];
	unsigned int n_cmds;

	struct nfv_loop *loop;  /* set by nfv_ctl_server_listen() */
	int listen_fd;
	char *path;
	dev_t path_dev;         /* identity of the socket file we bound */
	ino_t path_ino;

	struct ctl_client *clients[NFV_CTL_MAX_CLIENTS];
	unsigned int n_clients;

	uint64_t n_requests;
	uint64_t n_errors;
};

/*
 * Command registry and built-in commands.
 */

static int
ctl_help(void *ctx, json_t *args, json_t **result, char *err)
{
	const struct nfv_ctl_server *s = ctx;
	json_t *list;
	unsigned int i;

	(void)args;
	list = json_array();
	if (list == NULL)
		goto out_nomem;
	for (i = 0; i < s->n_cmds; i++) {
		const struct nfv_ctl_cmd *cmd = s->cmds[i].cmd;
		json_t *entry;

		entry = json_pack("{s:s, s:s, s:s}", "name", cmd->name,
				  "usage", cmd->usage ? cmd->usage : "",
				  "help", cmd->help ? cmd->help : "");
		if (entry == NULL || json_array_append_new(list, entry) < 0)
			goto out_free_list;
	}
	*result = list;
	return 0;

out_free_list:
	json_decref(list);
out_nomem:
	snprintf(err, NFV_CTL_ERR_MAX, "help: %s", strerror(ENOMEM));
	return -ENOMEM;
}

static const struct nfv_ctl_cmd ctl_builtin_cmds[] = {
	{
		.name = "help",
		.usage = "",
		.help = "list the available commands",
		.handler = ctl_help,
	},
};

int
nfv_ctl_server_create(struct nfv_ctl_server **out)
{
	struct nfv_ctl_server *s;
	int ret;

	s = calloc(1, sizeof(*s));
	if (s == NULL)
		return -ENOMEM;
	s->listen_fd = -1;

	ret = nfv_ctl_register(s, ctl_builtin_cmds,
			       NFV_ARRAY_SIZE(ctl_builtin_cmds), s);
	if (ret < 0) {
		free(s);
		return ret;
	}
	*out = s;
	return 0;
}

static const struct ctl_cmd_entry *
ctl_cmd_lookup(const struct nfv_ctl_server *s, const char *name)
{
	unsigned int i;

	for (i = 0; i < s->n_cmds; i++)
		if (strcmp(s->cmds[i].cmd->name, name) == 0)
			return &s->cmds[i];
	return NULL;
}

static bool
ctl_cmd_valid(const struct nfv_ctl_cmd *cmd)
{
	unsigned int i;

	if (cmd->name == NULL || cmd->handler == NULL ||
	    cmd->max_args > NFV_CTL_MAX_ARGS || cmd->min_args > cmd->max_args)
		return false;
	for (i = 0; i < cmd->max_args; i++)
		if (cmd->args[i] == NULL)
			return false;
	return true;
}

int
nfv_ctl_register(struct nfv_ctl_server *s, const struct nfv_ctl_cmd *cmds,
		 unsigned int n, void *ctx)
{
	unsigned int i, j;

	/* Check the whole table first so that it is added entirely or not
	 * at all. */
	if (n > NFV_CTL_MAX_CMDS - s->n_cmds)
		return -ENOSPC;
	for (i = 0; i < n; i++) {
		if (!ctl_cmd_valid(&cmds[i]))
			return -EINVAL;
		if (ctl_cmd_lookup(s, cmds[i].name) != NULL)
			return -EEXIST;
		for (j = 0; j < i; j++)
			if (strcmp(cmds[i].name, cmds[j].name) == 0)
				return -EEXIST;
	}

	for (i = 0; i < n; i++) {
		s->cmds[s->n_cmds].cmd = &cmds[i];
		s->cmds[s->n_cmds].ctx = ctx;
		s->n_cmds++;
	}
	return 0;
}

void
nfv_ctl_server_counters(const struct nfv_ctl_server *s, uint64_t *n_requests,
			uint64_t *n_errors)
{
	*n_requests = s->n_requests;
	*n_errors = s->n_errors;
}

/*
 * Requests and replies.
 */

static bool
ctl_arg_declared(const struct nfv_ctl_cmd *cmd, const char *name)
{
	unsigned int i;

	for (i = 0; i < cmd->max_args; i++)
		if (strcmp(cmd->args[i], name) == 0)
			return true;
	return false;
}

/* Checks 'args' against the table of 'cmd'. Returns 0, or -EINVAL with a
 * message in 'err'. */
static int
ctl_check_args(const struct nfv_ctl_cmd *cmd, json_t *args, char *err)
{
	const char *name;
	json_t *value;
	unsigned int i;

	json_object_foreach(args, name, value) {
		if (!ctl_arg_declared(cmd, name)) {
			snprintf(err, NFV_CTL_ERR_MAX,
				 "%s: unknown argument '%s'", cmd->name, name);
			return -EINVAL;
		}
		if (!json_is_string(value)) {
			snprintf(err, NFV_CTL_ERR_MAX,
				 "%s: argument '%s' must be a string",
				 cmd->name, name);
			return -EINVAL;
		}
	}
	for (i = 0; i < cmd->min_args; i++) {
		if (json_object_get(args, cmd->args[i]) == NULL) {
			snprintf(err, NFV_CTL_ERR_MAX,
				 "%s: missing argument '%s'",
				 cmd->name, cmd->args[i]);
			return -EINVAL;
		}
	}
	return 0;
}

static bool
ctl_is_blank(const char *req, size_t len)
{
	size_t i;

	for (i = 0; i < len; i++)
		if (req[i] != ' ' && req[i] != '\t' && req[i] != '\r' &&
		    req[i] != '\n')
			return false;
	return true;
}

/* Parses request 'req' of 'len' bytes. Returns the request object with
 * "cmd" a string and "args" an object (added if absent), or NULL with a
 * message in 'err'. */
static json_t *
ctl_parse_request(const char *req, size_t len, char *err)
{
	json_t *root, *cmd, *args, *value;
	json_error_t jerr;
	const char *key;

	if (ctl_is_blank(req, len)) {
		snprintf(err, NFV_CTL_ERR_MAX, "empty request");
		return NULL;
	}
	root = json_loadb(req, len, JSON_DECODE_ANY | JSON_REJECT_DUPLICATES,
			  &jerr);
	if (root == NULL) {
		snprintf(err, NFV_CTL_ERR_MAX,
			 "malformed request: %s (at byte %d)",
			 jerr.text, jerr.position);
		return NULL;
	}
	if (!json_is_object(root)) {
		snprintf(err, NFV_CTL_ERR_MAX,
			 "malformed request: expected a JSON object");
		goto out_free_root;
	}
	json_object_foreach(root, key, value) {
		if (strcmp(key, "cmd") == 0 || strcmp(key, "args") == 0)
			continue;
		snprintf(err, NFV_CTL_ERR_MAX,
			 "malformed request: unknown key '%s' (expected 'cmd' and 'args')",
			 key);
		goto out_free_root;
	}

	cmd = json_object_get(root, "cmd");
	if (cmd == NULL) {
		snprintf(err, NFV_CTL_ERR_MAX,
			 "malformed request: missing 'cmd'");
		goto out_free_root;
	}
	if (!json_is_string(cmd)) {
		snprintf(err, NFV_CTL_ERR_MAX,
			 "malformed request: 'cmd' must be a string");
		goto out_free_root;
	}

	args = json_object_get(root, "args");
	if (args == NULL) {
		if (json_object_set_new(root, "args", json_object()) < 0) {
			snprintf(err, NFV_CTL_ERR_MAX, "%s", strerror(ENOMEM));
			goto out_free_root;
		}
	} else if (!json_is_object(args)) {
		snprintf(err, NFV_CTL_ERR_MAX,
			 "malformed request: 'args' must be an object");
		goto out_free_root;
	}
	return root;

out_free_root:
	json_decref(root);
	return NULL;
}

/* Parses 'req', checks it and runs its command. On success stores the
 * handler's result (NULL for JSON null) in '*result' and returns 0; on
 * failure returns a negative errno with a message in 'err'. */
static int
ctl_dispatch(struct nfv_ctl_server *s, const char *req, size_t len,
	     json_t **result, char *err)
{
	const struct ctl_cmd_entry *entry;
	const struct nfv_ctl_cmd *cmd;
	const char *name;
	json_t *root, *args;
	int ret;

	root = ctl_parse_request(req, len, err);
	if (root == NULL)
		return -EINVAL;
	name = json_string_value(json_object_get(root, "cmd"));
	args = json_object_get(root, "args");

	entry = ctl_cmd_lookup(s, name);
	if (entry == NULL) {
		snprintf(err, NFV_CTL_ERR_MAX,
			 "unknown command '%s' (try 'help')", name);
		ret = -EINVAL;
		goto out_free_root;
	}
	cmd = entry->cmd;
	ret = ctl_check_args(cmd, args, err);
	if (ret < 0)
		goto out_free_root;

	/* cmd->changes_state marks the commands that change the dataplane;
	 * this is where they will be audit-logged. */
	*result = NULL;
	err[0] = '\0';
	ret = cmd->handler(entry->ctx, args, result, err);
	if (ret < 0) {
		json_decref(*result);
		*result = NULL;
		if (err[0] == '\0')
			snprintf(err, NFV_CTL_ERR_MAX, "%s: %s", cmd->name,
				 strerror(-ret));
	} else {
		ret = 0;
	}

out_free_root:
	json_decref(root);
	return ret;
}

/* Returns 'msg' as a JSON string. snprintf() may have cut a multi-byte
 * character in half, which jansson rejects; such a message is sent with
 * its non-ASCII bytes replaced rather than not at all. */
static json_t *
ctl_error_string(const char *msg)
{
	char ascii[NFV_CTL_ERR_MAX];
	json_t *str;
	size_t i;

	str = json_string(msg);
	if (str != NULL)
		return str;
	snprintf(ascii, sizeof(ascii), "%s", msg);
	for (i = 0; ascii[i] != '\0'; i++)
		if ((unsigned char)ascii[i] >= 0x80)
			ascii[i] = '?';
	return json_string(ascii);
}

/* Builds the reply text for an error message. */
static char *
ctl_error_reply(struct nfv_ctl_server *s, const char *msg)
{
	json_t *reply;
	char *text;

	s->n_errors++;
	reply = json_pack("{s:b, s:o}", "ok", 0, "error",
			  ctl_error_string(msg));
	if (reply == NULL)
		return NULL;
	text = json_dumps(reply, JSON_COMPACT);
	json_decref(reply);
	return text;
}

char *
nfv_ctl_handle_request(struct nfv_ctl_server *s, const char *req, size_t len)
{
	char err[NFV_CTL_ERR_MAX];
	json_t *result = NULL;
	json_t *reply;
	char *text;

	s->n_requests++;
	if (ctl_dispatch(s, req, len, &result, err) < 0)
		return ctl_error_reply(s, err);

	reply = json_pack("{s:b, s:o}", "ok", 1, "result",
			  result != NULL ? result : json_null());
	if (reply == NULL)
		return ctl_error_reply(s, strerror(ENOMEM));
	text = json_dumps(reply, JSON_COMPACT);
	json_decref(reply);
	if (text == NULL)
		return ctl_error_reply(s, "cannot encode the reply");
	return text;
}

/*
 * Clients.
 */

static void
ctl_client_close(struct ctl_client *c)
{
	struct nfv_ctl_server *s = c->server;
	unsigned int i;

	for (i = 0; i < s->n_clients; i++) {
		if (s->clients[i] == c) {
			s->clients[i] = s->clients[--s->n_clients];
			break;
		}
	}
	nfv_loop_del_fd(s->loop, c->fd);
	close(c->fd);
	free(c->in);
	free(c->out);
	free(c);
}

/* Appends 'reply' and a newline to the output of 'c', and frees 'reply'
 * (NULL means building it failed). Returns 0 or -ENOMEM. */
static int
ctl_client_queue(struct ctl_client *c, char *reply)
{
	size_t len, need;
	int ret = 0;

	if (reply == NULL)
		return -ENOMEM;
	len = strlen(reply);

	if (c->out_sent > 0) {
		memmove(c->out, c->out + c->out_sent, c->out_len - c->out_sent);
		c->out_len -= c->out_sent;
		c->out_sent = 0;
	}
	need = c->out_len + len + 1;
	if (need > c->out_cap) {
		size_t cap = c->out_cap ? c->out_cap : 4096;
		char *out;

		while (cap < need)
			cap *= 2;
		out = realloc(c->out, cap);
		if (out == NULL) {
			ret = -ENOMEM;
			goto out_free_reply;
		}
		c->out = out;
		c->out_cap = cap;
	}
	memcpy(c->out + c->out_len, reply, len);
	c->out[c->out_len + len] = '\n';
	c->out_len += len + 1;

out_free_reply:
	free(reply);
	return ret;
}

/* Answers one request line (without its newline). */
static int
ctl_client_request(struct ctl_client *c, const char *line, size_t len)
{
	return ctl_client_queue(c, nfv_ctl_handle_request(c->server, line,
							  len));
}

static int
ctl_client_reject_too_large(struct ctl_client *c)
{
	char msg[64];

	snprintf(msg, sizeof(msg), "request too large (max %d bytes)",
		 NFV_CTL_REQUEST_MAX);
	c->server->n_requests++;
	return ctl_client_queue(c, ctl_error_reply(c->server, msg));
}

/* Answers every complete line in the input buffer and keeps the rest. */
static int
ctl_client_process_lines(struct ctl_client *c)
{
	size_t start = 0;
	char *nl;
	int ret;

	while ((nl = memchr(c->in + start, '\n', c->in_len - start)) != NULL) {
		ret = ctl_client_request(c, c->in + start,
					 nl - (c->in + start));
		if (ret < 0)
			return ret;
		start = nl - c->in + 1;
	}
	memmove(c->in, c->in + start, c->in_len - start);
	c->in_len -= start;
	return 0;
}

/* Reads what the socket has. Returns 0 (including would-block and EOF,
 * which sets 'closing') or a negative errno if the client must go. */
static int
ctl_client_read(struct ctl_client *c)
{
	const size_t cap = NFV_CTL_REQUEST_MAX + 1;
	ssize_t n;
	int ret;

	while (!c->closing && c->out_len - c->out_sent < CTL_OUT_HIGH_WATER) {
		n = read(c->fd, c->in + c->in_len, cap - c->in_len);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			if (errno == EAGAIN || errno == EWOULDBLOCK)
				return 0;
			return -errno;
		}
		if (n == 0) {
			/* A last request without its newline still counts. */
			c->closing = true;
			if (c->in_len > 0)
				return ctl_client_request(c, c->in, c->in_len);
			return 0;
		}
		c->in_len += n;
		ret = ctl_client_process_lines(c);
		if (ret < 0)
			return ret;
		if (c->in_len == cap) {
			/* The rest of this line cannot be framed: answer
			 * and hang up. */
			c->closing = true;
			return ctl_client_reject_too_large(c);
		}
	}
	return 0;
}

/* Writes queued replies until done or the socket would block. Returns 0
 * or a negative errno if the client must go. */
static int
ctl_client_flush(struct ctl_client *c)
{
	ssize_t n;

	while (c->out_sent < c->out_len) {
		n = send(c->fd, c->out + c->out_sent, c->out_len - c->out_sent,
			 MSG_NOSIGNAL);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			if (errno == EAGAIN || errno == EWOULDBLOCK)
				return 0;
			return -errno;
		}
		c->out_sent += n;
	}
	return 0;
}

/* Watches what 'c' needs next; closes it when it has nothing left to do.
 * Returns 0, or a negative errno if the client must go. */
static int
ctl_client_update(struct ctl_client *c)
{
	size_t pending = c->out_len - c->out_sent;
	uint32_t events = 0;

	if (!c->closing && pending < CTL_OUT_HIGH_WATER)
		events |= EPOLLIN;
	if (pending > 0)
		events |= EPOLLOUT;
	if (events == 0)
		return -ECONNRESET;     /* closing and flushed: done */
	return nfv_loop_mod_fd(c->server->loop, c->fd, events);
}

static void
ctl_client_io(void *arg, int fd, uint32_t events)
{
	struct ctl_client *c = arg;
	int ret = 0;

	(void)fd;
	if (events & (EPOLLIN | EPOLLHUP | EPOLLERR))
		ret = ctl_client_read(c);
	if (ret == 0)
		ret = ctl_client_flush(c);
	if (ret == 0)
		ret = ctl_client_update(c);
	if (ret < 0)
		ctl_client_close(c);
}

static void
ctl_accept(void *arg, int fd, uint32_t events)
{
	struct nfv_ctl_server *s = arg;
	struct ctl_client *c;
	int cfd;

	(void)events;
	for (;;) {
		cfd = accept4(fd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);
		if (cfd < 0) {
			if (errno == EINTR || errno == ECONNABORTED)
				continue;
			/* EAGAIN: all accepted. Anything else (EMFILE...) is
			 * retried on the next wakeup. */
			return;
		}
		if (s->n_clients == NFV_CTL_MAX_CLIENTS)
			goto out_close;

		c = calloc(1, sizeof(*c));
		if (c == NULL)
			goto out_close;
		c->in = malloc(NFV_CTL_REQUEST_MAX + 1);
		if (c->in == NULL)
			goto out_free_client;
		c->server = s;
		c->fd = cfd;
		if (nfv_loop_add_fd(s->loop, cfd, EPOLLIN, ctl_client_io, c))
			goto out_free_in;
		s->clients[s->n_clients++] = c;
		continue;

out_free_in:
		free(c->in);
out_free_client:
		free(c);
out_close:
		close(cfd);
	}
}

/*
 * The listening socket.
 */

/* Creates the directories leading to socket 'path' (mode 0755), like
 * mkdir -p on its dirname. Returns 0 or -errno with a message in 'err'. */
static int
ctl_make_parent_dirs(const char *path, char *err)
{
	char dir[sizeof(((struct sockaddr_un *)NULL)->sun_path)];
	struct stat st;
	char *p;

	/* The caller checked that 'path' fits in sun_path. */
	snprintf(dir, sizeof(dir), "%s", path);
	p = strrchr(dir, '/');
	if (p == NULL || p == dir)
		return 0;
	*p = '\0';

	for (p = strchr(dir + 1, '/'); ; p = strchr(p + 1, '/')) {
		if (p != NULL)
			*p = '\0';
		if (mkdir(dir, 0755) < 0 && errno != EEXIST) {
			int ret = -errno;

			snprintf(err, NFV_CTL_ERR_MAX,
				 "control socket %s: cannot create directory %s: %s",
				 path, dir, strerror(-ret));
			return ret;
		}
		if (p == NULL)
			break;
		*p = '/';
	}
	if (stat(dir, &st) < 0 || !S_ISDIR(st.st_mode)) {
		snprintf(err, NFV_CTL_ERR_MAX,
			 "control socket %s: %s is not a directory", path, dir);
		return -ENOTDIR;
	}
	return 0;
}

/* Deals with whatever already exists at 'path': nothing, a stale socket
 * (removed), a live one or something else (refused). Returns 0 or -errno
 * with a message in 'err'. */
static int
ctl_claim_path(const char *path, const struct sockaddr_un *addr, char *err)
{
	struct stat st;
	int fd, ret;

	if (lstat(path, &st) < 0) {
		if (errno == ENOENT)
			return 0;
		ret = -errno;
		snprintf(err, NFV_CTL_ERR_MAX, "control socket %s: %s",
			 path, strerror(-ret));
		return ret;
	}
	if (!S_ISSOCK(st.st_mode)) {
		snprintf(err, NFV_CTL_ERR_MAX,
			 "control socket %s exists and is not a socket", path);
		return -EEXIST;
	}

	/* Non-blocking, so that a live daemon with a full backlog answers
	 * EAGAIN instead of blocking us. */
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (fd < 0) {
		ret = -errno;
		snprintf(err, NFV_CTL_ERR_MAX, "control socket %s: %s",
			 path, strerror(-ret));
		return ret;
	}
	ret = connect(fd, (const struct sockaddr *)addr, sizeof(*addr));
	ret = ret < 0 ? -errno : 0;
	close(fd);

	if (ret == 0 || ret == -EAGAIN) {
		snprintf(err, NFV_CTL_ERR_MAX,
			 "control socket %s is in use by a running nfvswitch",
			 path);
		return -EADDRINUSE;
	}
	if (ret != -ECONNREFUSED) {
		snprintf(err, NFV_CTL_ERR_MAX,
			 "control socket %s: cannot check whether it is in use: %s",
			 path, strerror(-ret));
		return ret;
	}
	if (unlink(path) < 0 && errno != ENOENT) {
		ret = -errno;
		snprintf(err, NFV_CTL_ERR_MAX,
			 "control socket %s: cannot remove stale socket: %s",
			 path, strerror(-ret));
		return ret;
	}
	return 0;
}

int
nfv_ctl_server_listen(struct nfv_ctl_server *s, struct nfv_loop *loop,
		      const char *path, char *err)
{
	struct sockaddr_un addr = { .sun_family = AF_UNIX };
	struct stat st;
	int fd, ret;

	if (s->listen_fd >= 0) {
		snprintf(err, NFV_CTL_ERR_MAX,
			 "control socket %s: already listening on %s",
			 path, s->path);
		return -EBUSY;
	}
	if (path[0] == '\0' || strlen(path) >= sizeof(addr.sun_path)) {
		snprintf(err, NFV_CTL_ERR_MAX,
			 "control socket '%s': path must be 1 to %zu bytes",
			 path, sizeof(addr.sun_path) - 1);
		return -ENAMETOOLONG;
	}
	memcpy(addr.sun_path, path, strlen(path) + 1);

	ret = ctl_make_parent_dirs(path, err);
	if (ret < 0)
		return ret;
	ret = ctl_claim_path(path, &addr, err);
	if (ret < 0)
		return ret;

	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (fd < 0) {
		ret = -errno;
		snprintf(err, NFV_CTL_ERR_MAX, "control socket %s: %s",
			 path, strerror(-ret));
		return ret;
	}
	if (bind(fd, (struct sockaddr *)&addr, sizeof(addr)) < 0) {
		ret = -errno;
		snprintf(err, NFV_CTL_ERR_MAX,
			 "control socket %s: cannot bind: %s",
			 path, strerror(-ret));
		goto out_close;
	}
	if (chmod(path, 0660) < 0 || lstat(path, &st) < 0) {
		ret = -errno;
		snprintf(err, NFV_CTL_ERR_MAX,
			 "control socket %s: cannot set mode 0660: %s",
			 path, strerror(-ret));
		goto out_unlink;
	}
	if (listen(fd, CTL_LISTEN_BACKLOG) < 0) {
		ret = -errno;
		snprintf(err, NFV_CTL_ERR_MAX,
			 "control socket %s: cannot listen: %s",
			 path, strerror(-ret));
		goto out_unlink;
	}
	s->path = strdup(path);
	if (s->path == NULL) {
		ret = -ENOMEM;
		snprintf(err, NFV_CTL_ERR_MAX, "control socket %s: %s",
			 path, strerror(-ret));
		goto out_unlink;
	}
	ret = nfv_loop_add_fd(loop, fd, EPOLLIN, ctl_accept, s);
	if (ret < 0) {
		snprintf(err, NFV_CTL_ERR_MAX,
			 "control socket %s: cannot watch it: %s",
			 path, strerror(-ret));
		goto out_free_path;
	}

	s->loop = loop;
	s->listen_fd = fd;
	s->path_dev = st.st_dev;
	s->path_ino = st.st_ino;
	return 0;

out_free_path:
	free(s->path);
	s->path = NULL;
out_unlink:
	unlink(path);
out_close:
	close(fd);
	return ret;
}

void
nfv_ctl_server_destroy(struct nfv_ctl_server *s)
{
	struct stat st;

	if (s == NULL)
		return;
	while (s->n_clients > 0)
		ctl_client_close(s->clients[0]);
	if (s->listen_fd >= 0) {
		nfv_loop_del_fd(s->loop, s->listen_fd);
		close(s->listen_fd);
		/* Only remove the file if it is still ours: a new daemon may
		 * have replaced it after finding it stale. */
		if (lstat(s->path, &st) == 0 && st.st_dev == s->path_dev &&
		    st.st_ino == s->path_ino)
			unlink(s->path);
	}
	free(s->path);
	free(s);
}
