/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Unit tests of the control socket server and the event loop under it.
 * The dispatcher is tested through nfv_ctl_handle_request() with a fake
 * command table; the socket is tested end to end on a temporary path, with
 * the loop driven from this thread by nfv_loop_run_once() while a
 * non-blocking client socket talks to it. No DPDK is involved.
 */
#include <errno.h>
#include <fcntl.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include <cmocka.h>
#include <jansson.h>

#include "ctl_server.h"
#include "loop.h"
#include "nfv_common.h"

/* Bound on loop iterations while waiting for something in a test. */
#define TEST_MAX_SPINS 1000

/*
 * A fake command table.
 */

static int
echo_handler(void *ctx, json_t *args, json_t **result, char *err)
{
	(void)ctx;
	(void)err;
	*result = json_deep_copy(args);
	return 0;
}

static int
fail_handler(void *ctx, json_t *args, json_t **result, char *err)
{
	(void)ctx;
	(void)result;
	snprintf(err, NFV_CTL_ERR_MAX, "thing '%s': no such thing",
		 json_string_value(json_object_get(args, "thing")));
	return -ENOENT;
}

static int
fail_quietly_handler(void *ctx, json_t *args, json_t **result, char *err)
{
	(void)ctx;
	(void)args;
	(void)result;
	(void)err;
	return -EIO;
}

static int
ping_handler(void *ctx, json_t *args, json_t **result, char *err)
{
	int *n_pings = ctx;

	(void)args;
	(void)result;
	(void)err;
	(*n_pings)++;
	return 0;
}

static int test_n_pings;

static const struct nfv_ctl_cmd test_cmds[] = {
	{
		.name = "echo",
		.usage = "TEXT [N]",
		.help = "return the arguments",
		.args = { "text", "n" },
		.min_args = 1,
		.max_args = 2,
		.handler = echo_handler,
	},
	{
		.name = "fail",
		.usage = "THING",
		.help = "always fails",
		.args = { "thing" },
		.min_args = 1,
		.max_args = 1,
		.changes_state = true,
		.handler = fail_handler,
	},
	{
		.name = "fail-quietly",
		.usage = "",
		.help = "fails without a message",
		.handler = fail_quietly_handler,
	},
	{
		.name = "ping",
		.usage = "",
		.help = "return null",
		.handler = ping_handler,
	},
};

static int
server_setup(void **state)
{
	struct nfv_ctl_server *s;

	test_n_pings = 0;
	assert_int_equal(nfv_ctl_server_create(&s), 0);
	assert_int_equal(nfv_ctl_register(s, test_cmds,
					  NFV_ARRAY_SIZE(test_cmds),
					  &test_n_pings), 0);
	*state = s;
	return 0;
}

static int
server_teardown(void **state)
{
	nfv_ctl_server_destroy(*state);
	return 0;
}

/* Sends 'req' and returns the parsed reply, checking that it is one line
 * of JSON with a boolean "ok". */
static json_t *
request(struct nfv_ctl_server *s, const char *req)
{
	json_error_t jerr;
	json_t *reply;
	char *text;

	text = nfv_ctl_handle_request(s, req, strlen(req));
	assert_non_null(text);
	assert_null(strchr(text, '\n'));
	reply = json_loads(text, 0, &jerr);
	if (reply == NULL)
		fail_msg("reply is not JSON: %s: %s", jerr.text, text);
	free(text);
	assert_true(json_is_boolean(json_object_get(reply, "ok")));
	return reply;
}

/* Checks that 'req' succeeds with the result 'expected' (JSON text). */
static void
assert_request_ok(struct nfv_ctl_server *s, const char *req,
		  const char *expected)
{
	json_t *reply = request(s, req);
	json_t *want = json_loads(expected, JSON_DECODE_ANY, NULL);

	assert_non_null(want);
	assert_true(json_is_true(json_object_get(reply, "ok")));
	assert_null(json_object_get(reply, "error"));
	if (!json_equal(json_object_get(reply, "result"), want)) {
		char *got = json_dumps(reply, JSON_COMPACT);

		fail_msg("%s: expected result %s, got %s", req, expected, got);
	}
	json_decref(want);
	json_decref(reply);
}

/* Checks that 'req' fails with exactly the message 'expected'. */
static void
assert_request_error(struct nfv_ctl_server *s, const char *req,
		     const char *expected)
{
	json_t *reply = request(s, req);

	assert_true(json_is_false(json_object_get(reply, "ok")));
	assert_null(json_object_get(reply, "result"));
	assert_string_equal(json_string_value(json_object_get(reply, "error")),
			    expected);
	json_decref(reply);
}

/*
 * The dispatcher.
 */

static void
test_ctl_request_runs_command(void **state)
{
	struct nfv_ctl_server *s = *state;

	assert_request_ok(s, "{\"cmd\":\"echo\",\"args\":{\"text\":\"hi\"}}",
			  "{\"text\":\"hi\"}");
	/* Any key order, spaces allowed. */
	assert_request_ok(s,
			  "{\"args\": {\"n\": \"3\", \"text\": \"hi\"}, "
			  "\"cmd\": \"echo\"}",
			  "{\"text\":\"hi\",\"n\":\"3\"}");
}

static void
test_ctl_request_reply_is_compact_with_null_result(void **state)
{
	struct nfv_ctl_server *s = *state;
	const char *req = "{\"cmd\":\"ping\"}";
	char *text;

	text = nfv_ctl_handle_request(s, req, strlen(req));
	assert_string_equal(text, "{\"ok\":true,\"result\":null}");
	free(text);
	assert_int_equal(test_n_pings, 1);

	assert_request_ok(s, "{\"cmd\":\"ping\",\"args\":{}}", "null");
	assert_int_equal(test_n_pings, 2);
}

static void
test_ctl_request_needs_no_newline_or_nul(void **state)
{
	struct nfv_ctl_server *s = *state;
	const char req[] = "{\"cmd\":\"ping\"}GARBAGE";
	char *text;

	/* Only the first 'len' bytes count. */
	text = nfv_ctl_handle_request(s, req, strlen("{\"cmd\":\"ping\"}"));
	assert_string_equal(text, "{\"ok\":true,\"result\":null}");
	free(text);
}

static void
test_ctl_request_unknown_command(void **state)
{
	assert_request_error(*state, "{\"cmd\":\"foo\"}",
			     "unknown command 'foo' (try 'help')");
}

static void
test_ctl_request_missing_argument(void **state)
{
	assert_request_error(*state, "{\"cmd\":\"echo\"}",
			     "echo: missing argument 'text'");
	assert_request_error(*state, "{\"cmd\":\"echo\",\"args\":{\"n\":\"1\"}}",
			     "echo: missing argument 'text'");
}

static void
test_ctl_request_unknown_argument(void **state)
{
	assert_request_error(*state,
			     "{\"cmd\":\"echo\",\"args\":{\"text\":\"a\",\"x\":\"b\"}}",
			     "echo: unknown argument 'x'");
	assert_request_error(*state, "{\"cmd\":\"ping\",\"args\":{\"x\":\"b\"}}",
			     "ping: unknown argument 'x'");
	assert_int_equal(test_n_pings, 0);
}

static void
test_ctl_request_non_string_argument(void **state)
{
	static const char *const reqs[] = {
		"{\"cmd\":\"echo\",\"args\":{\"text\":5}}",
		"{\"cmd\":\"echo\",\"args\":{\"text\":null}}",
		"{\"cmd\":\"echo\",\"args\":{\"text\":[\"a\"]}}",
		"{\"cmd\":\"echo\",\"args\":{\"text\":{}}}",
		"{\"cmd\":\"echo\",\"args\":{\"text\":true}}",
	};
	unsigned int i;

	for (i = 0; i < NFV_ARRAY_SIZE(reqs); i++)
		assert_request_error(*state, reqs[i],
				     "echo: argument 'text' must be a string");
}

static void
test_ctl_request_malformed_json(void **state)
{
	static const char *const reqs[] = {
		"{",
		"{\"cmd\":\"ping\"",
		"{\"cmd\":\"ping\"}}",
		"{\"cmd\":\"ping\"} {\"cmd\":\"ping\"}",
		"{\"cmd\":\"ping\",\"cmd\":\"ping\"}",
		"cmd=ping",
		"{\"cmd\":\"\xff\"}",
	};
	unsigned int i;

	for (i = 0; i < NFV_ARRAY_SIZE(reqs); i++) {
		json_t *reply = request(*state, reqs[i]);
		const char *err;

		assert_true(json_is_false(json_object_get(reply, "ok")));
		err = json_string_value(json_object_get(reply, "error"));
		assert_non_null(err);
		if (strncmp(err, "malformed request: ", 19) != 0)
			fail_msg("%s: unexpected error '%s'", reqs[i], err);
		json_decref(reply);
	}
	assert_int_equal(test_n_pings, 0);
}

static void
test_ctl_request_not_an_object(void **state)
{
	static const char *const reqs[] = {
		"[\"ping\"]", "42", "\"ping\"", "null", "true",
	};
	unsigned int i;

	for (i = 0; i < NFV_ARRAY_SIZE(reqs); i++)
		assert_request_error(*state, reqs[i],
				     "malformed request: expected a JSON object");
}

static void
test_ctl_request_missing_cmd(void **state)
{
	assert_request_error(*state, "{}", "malformed request: missing 'cmd'");
	assert_request_error(*state, "{\"args\":{}}",
			     "malformed request: missing 'cmd'");
}

static void
test_ctl_request_cmd_not_a_string(void **state)
{
	assert_request_error(*state, "{\"cmd\":1}",
			     "malformed request: 'cmd' must be a string");
	assert_request_error(*state, "{\"cmd\":[\"ping\"]}",
			     "malformed request: 'cmd' must be a string");
}

static void
test_ctl_request_args_not_an_object(void **state)
{
	static const char *const reqs[] = {
		"{\"cmd\":\"ping\",\"args\":[]}",
		"{\"cmd\":\"ping\",\"args\":null}",
		"{\"cmd\":\"echo\",\"args\":\"hi\"}",
	};
	unsigned int i;

	for (i = 0; i < NFV_ARRAY_SIZE(reqs); i++)
		assert_request_error(*state, reqs[i],
				     "malformed request: 'args' must be an object");
}

static void
test_ctl_request_unknown_key(void **state)
{
	assert_request_error(*state, "{\"cmd\":\"ping\",\"id\":1}",
			     "malformed request: unknown key 'id' "
			     "(expected 'cmd' and 'args')");
}

static void
test_ctl_request_empty(void **state)
{
	assert_request_error(*state, "", "empty request");
	assert_request_error(*state, " \t\r", "empty request");
}

static void
test_ctl_request_handler_error(void **state)
{
	assert_request_error(*state,
			     "{\"cmd\":\"fail\",\"args\":{\"thing\":\"x\"}}",
			     "thing 'x': no such thing");
	assert_request_error(*state, "{\"cmd\":\"fail-quietly\"}",
			     "fail-quietly: Input/output error");
}

static void
test_ctl_request_long_error_is_cut_to_valid_json(void **state)
{
	char req[NFV_CTL_ERR_MAX * 2];
	const char *err;
	json_t *reply;
	size_t n;

	/* 2-byte characters, one of them cut in half by the truncation to
	 * NFV_CTL_ERR_MAX bytes (the 'x' makes the offset odd). */
	n = snprintf(req, sizeof(req), "{\"cmd\":\"x");
	while (n < NFV_CTL_ERR_MAX + 20)
		n += snprintf(req + n, sizeof(req) - n, "\xc3\xa9");
	snprintf(req + n, sizeof(req) - n, "\"}");

	reply = request(*state, req);
	assert_true(json_is_false(json_object_get(reply, "ok")));
	err = json_string_value(json_object_get(reply, "error"));
	assert_non_null(err);
	assert_true(strlen(err) < NFV_CTL_ERR_MAX);
	assert_memory_equal(err, "unknown command 'x", 18);
	json_decref(reply);
}

static void
test_ctl_help_lists_commands(void **state)
{
	json_t *reply = request(*state, "{\"cmd\":\"help\"}");
	json_t *list = json_object_get(reply, "result");
	json_t *entry;
	unsigned int i;

	/* The built-in first, then the test table in its order. */
	assert_int_equal(json_array_size(list), 1 + NFV_ARRAY_SIZE(test_cmds));
	entry = json_array_get(list, 0);
	assert_string_equal(json_string_value(json_object_get(entry, "name")),
			    "help");
	assert_int_equal(json_object_size(entry), 3);
	for (i = 0; i < NFV_ARRAY_SIZE(test_cmds); i++) {
		entry = json_array_get(list, i + 1);
		assert_int_equal(json_object_size(entry), 3);
		assert_string_equal(json_string_value(json_object_get(entry,
								      "name")),
				    test_cmds[i].name);
		assert_string_equal(json_string_value(json_object_get(entry,
								      "usage")),
				    test_cmds[i].usage);
		assert_string_equal(json_string_value(json_object_get(entry,
								      "help")),
				    test_cmds[i].help);
	}
	json_decref(reply);

	assert_request_error(*state,
			     "{\"cmd\":\"help\",\"args\":{\"cmd\":\"x\"}}",
			     "help: unknown argument 'cmd'");
}

static void
test_ctl_register_rejects_duplicates(void **state)
{
	static const struct nfv_ctl_cmd dup_of_builtin[] = {
		{ .name = "help", .handler = ping_handler },
	};
	static const struct nfv_ctl_cmd dup_in_table[] = {
		{ .name = "new", .handler = ping_handler },
		{ .name = "new", .handler = ping_handler },
	};
	struct nfv_ctl_server *s = *state;

	assert_int_equal(nfv_ctl_register(s, test_cmds, 1, NULL), -EEXIST);
	assert_int_equal(nfv_ctl_register(s, dup_of_builtin, 1, NULL),
			 -EEXIST);
	assert_int_equal(nfv_ctl_register(s, dup_in_table, 2, NULL), -EEXIST);
	/* A rejected table is not added in part. */
	assert_request_error(s, "{\"cmd\":\"new\"}",
			     "unknown command 'new' (try 'help')");
	assert_int_equal(nfv_ctl_register(s, dup_in_table, 1, &test_n_pings),
			 0);
	assert_request_ok(s, "{\"cmd\":\"new\"}", "null");
}

static void
test_ctl_register_rejects_bad_tables(void **state)
{
	static const struct nfv_ctl_cmd no_handler[] = {
		{ .name = "x" },
	};
	static const struct nfv_ctl_cmd min_above_max[] = {
		{ .name = "x", .args = { "a" }, .min_args = 1,
		  .handler = ping_handler },
	};
	static const struct nfv_ctl_cmd unnamed_arg[] = {
		{ .name = "x", .max_args = 1, .handler = ping_handler },
	};

	assert_int_equal(nfv_ctl_register(*state, no_handler, 1, NULL),
			 -EINVAL);
	assert_int_equal(nfv_ctl_register(*state, min_above_max, 1, NULL),
			 -EINVAL);
	assert_int_equal(nfv_ctl_register(*state, unnamed_arg, 1, NULL),
			 -EINVAL);
}

static void
test_ctl_register_full_is_enospc(void **state)
{
	static struct nfv_ctl_cmd many[NFV_CTL_MAX_CMDS];
	static char names[NFV_CTL_MAX_CMDS][16];
	unsigned int i;

	for (i = 0; i < NFV_CTL_MAX_CMDS; i++) {
		snprintf(names[i], sizeof(names[i]), "cmd%u", i);
		many[i].name = names[i];
		many[i].handler = ping_handler;
	}
	/* 'help' and the test table already take some slots. */
	assert_int_equal(nfv_ctl_register(*state, many, NFV_CTL_MAX_CMDS,
					  NULL), -ENOSPC);
	assert_int_equal(nfv_ctl_register(*state, many,
					  NFV_CTL_MAX_CMDS - 1 -
					  NFV_ARRAY_SIZE(test_cmds), NULL), 0);
	assert_int_equal(nfv_ctl_register(*state, &many[NFV_CTL_MAX_CMDS - 1],
					  1, NULL), -ENOSPC);
}

static void
test_ctl_counters_count_requests_and_errors(void **state)
{
	struct nfv_ctl_server *s = *state;
	uint64_t n_requests, n_errors;

	assert_request_ok(s, "{\"cmd\":\"ping\"}", "null");
	assert_request_error(s, "{\"cmd\":\"foo\"}",
			     "unknown command 'foo' (try 'help')");
	assert_request_error(s, "{\"cmd\":1}",
			     "malformed request: 'cmd' must be a string");
	assert_request_error(s, "{\"cmd\":\"fail\",\"args\":{\"thing\":\"x\"}}",
			     "thing 'x': no such thing");
	nfv_ctl_server_counters(s, &n_requests, &n_errors);
	assert_int_equal(n_requests, 4);
	assert_int_equal(n_errors, 3);
}

/*
 * The event loop.
 */

static void
count_timer(void *arg)
{
	(*(unsigned int *)arg)++;
}

static void
test_loop_timer_fires(void **state)
{
	struct nfv_loop *loop;
	unsigned int n_fired = 0;
	unsigned int i;

	(void)state;
	assert_int_equal(nfv_loop_create(&loop), 0);
	assert_int_equal(nfv_loop_add_timer(loop, 10, count_timer, &n_fired),
			 0);
	for (i = 0; i < 20 && n_fired == 0; i++)
		assert_int_equal(nfv_loop_run_once(loop, 50), 0);
	assert_true(n_fired >= 1);
	assert_int_equal(nfv_loop_add_timer(loop, 0, count_timer, &n_fired),
			 -EINVAL);
	nfv_loop_destroy(loop);
}

struct del_other {
	struct nfv_loop *loop;
	int other_fd;
	unsigned int n_calls;
};

static void
del_other_fd(void *arg, int fd, uint32_t events)
{
	struct del_other *d = arg;

	(void)fd;
	(void)events;
	d->n_calls++;
	nfv_loop_del_fd(d->loop, d->other_fd);
}

static void
test_loop_del_fd_in_callback_skips_its_events(void **state)
{
	struct del_other a, b;
	struct nfv_loop *loop;
	int pa[2], pb[2];

	(void)state;
	assert_int_equal(nfv_loop_create(&loop), 0);
	assert_int_equal(pipe(pa), 0);
	assert_int_equal(pipe(pb), 0);
	assert_int_equal(write(pa[1], "x", 1), 1);
	assert_int_equal(write(pb[1], "x", 1), 1);

	/* Both are ready in the same batch; whichever runs first deletes
	 * the other, whose event must then be skipped. */
	a = (struct del_other){ .loop = loop, .other_fd = pb[0] };
	b = (struct del_other){ .loop = loop, .other_fd = pa[0] };
	assert_int_equal(nfv_loop_add_fd(loop, pa[0], EPOLLIN, del_other_fd,
					 &a), 0);
	assert_int_equal(nfv_loop_add_fd(loop, pb[0], EPOLLIN, del_other_fd,
					 &b), 0);
	assert_int_equal(nfv_loop_add_fd(loop, pa[0], EPOLLIN, del_other_fd,
					 &a), -EEXIST);
	assert_int_equal(nfv_loop_run_once(loop, 0), 0);
	assert_int_equal(a.n_calls + b.n_calls, 1);

	/* The survivor keeps firing; the deleted one never does. */
	assert_int_equal(nfv_loop_run_once(loop, 0), 0);
	assert_int_equal(a.n_calls + b.n_calls, 2);
	assert_true(a.n_calls == 2 || b.n_calls == 2);

	nfv_loop_destroy(loop);
	close(pa[0]);
	close(pa[1]);
	close(pb[0]);
	close(pb[1]);
}

static void
test_loop_stop_sets_flag(void **state)
{
	struct nfv_loop *loop;

	(void)state;
	assert_int_equal(nfv_loop_create(&loop), 0);
	assert_false(nfv_loop_stopped(loop));
	nfv_loop_stop(loop);
	assert_true(nfv_loop_stopped(loop));
	nfv_loop_destroy(loop);
	nfv_loop_destroy(NULL);
}

/*
 * The socket.
 */

struct sock_fixture {
	struct nfv_loop *loop;
	struct nfv_ctl_server *server;
	char base[48];          /* created by the test */
	char dir[80];           /* created by the server */
	char path[100];
};

struct test_client {
	int fd;
	char *buf;              /* what the server sent */
	size_t len;
	size_t cap;
	bool closed;            /* EOF or reset */
};

static int
sock_setup(void **state)
{
	struct sock_fixture *f;

	f = calloc(1, sizeof(*f));
	assert_non_null(f);
	snprintf(f->base, sizeof(f->base), "/tmp/nfv-test-ctl-%d", getpid());
	snprintf(f->dir, sizeof(f->dir), "%s/run/nfvswitch", f->base);
	snprintf(f->path, sizeof(f->path), "%s/ctl.sock", f->dir);
	assert_int_equal(mkdir(f->base, 0700), 0);

	assert_int_equal(nfv_loop_create(&f->loop), 0);
	server_setup((void **)&f->server);
	*state = f;
	return 0;
}

static int
sock_teardown(void **state)
{
	struct sock_fixture *f = *state;
	char run[128];

	nfv_ctl_server_destroy(f->server);
	nfv_loop_destroy(f->loop);
	unlink(f->path);
	rmdir(f->dir);
	snprintf(run, sizeof(run), "%s/run", f->base);
	rmdir(run);
	rmdir(f->base);
	free(f);
	return 0;
}

static void
sock_listen(struct sock_fixture *f)
{
	char err[NFV_CTL_ERR_MAX] = "";

	if (nfv_ctl_server_listen(f->server, f->loop, f->path, err) < 0)
		fail_msg("listen: %s", err);
}

static void
client_connect(struct test_client *c, const char *path)
{
	struct sockaddr_un addr = { .sun_family = AF_UNIX };

	memset(c, 0, sizeof(*c));
	snprintf(addr.sun_path, sizeof(addr.sun_path), "%s", path);
	c->fd = socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK, 0);
	assert_true(c->fd >= 0);
	assert_int_equal(connect(c->fd, (struct sockaddr *)&addr,
				 sizeof(addr)), 0);
}

static void
client_close(struct test_client *c)
{
	close(c->fd);
	free(c->buf);
}

/* Reads what the server sent so far without blocking. */
static void
client_read(struct test_client *c)
{
	ssize_t n;

	while (!c->closed) {
		if (c->cap - c->len < 4096) {
			c->cap = c->cap ? c->cap * 2 : 65536;
			c->buf = realloc(c->buf, c->cap);
			assert_non_null(c->buf);
			c->buf[c->len] = '\0';
		}
		n = read(c->fd, c->buf + c->len, c->cap - c->len - 1);
		if (n > 0) {
			c->len += n;
			c->buf[c->len] = '\0';
		} else if (n == 0 || errno == ECONNRESET) {
			c->closed = true;
		} else {
			assert_int_equal(errno, EAGAIN);
			return;
		}
	}
}

/* Sends 'len' bytes of 'data', running the loop whenever the socket is
 * full. Stops early if the server hangs up. Returns the bytes sent. */
static size_t
client_send(struct sock_fixture *f, struct test_client *c, const char *data,
	    size_t len)
{
	unsigned int spins = 0;
	size_t sent = 0;
	ssize_t n;

	while (sent < len) {
		n = send(c->fd, data + sent, len - sent, MSG_NOSIGNAL);
		if (n > 0) {
			sent += n;
			continue;
		}
		if (errno == EPIPE || errno == ECONNRESET)
			break;
		assert_int_equal(errno, EAGAIN);
		assert_true(++spins < TEST_MAX_SPINS);
		assert_int_equal(nfv_loop_run_once(f->loop, 10), 0);
		client_read(c);
	}
	return sent;
}

static unsigned int
count_lines(const struct test_client *c)
{
	unsigned int n = 0;
	size_t i;

	for (i = 0; i < c->len; i++)
		n += c->buf[i] == '\n';
	return n;
}

/* Runs the loop until the client has 'n_lines' reply lines, or the
 * connection is closed too if 'closed'. */
static void
client_wait(struct sock_fixture *f, struct test_client *c,
	    unsigned int n_lines, bool closed)
{
	unsigned int spins;

	for (spins = 0; spins < TEST_MAX_SPINS; spins++) {
		client_read(c);
		if (count_lines(c) >= n_lines && (!closed || c->closed))
			return;
		if (c->closed)
			break;
		assert_int_equal(nfv_loop_run_once(f->loop, 10), 0);
	}
	fail_msg("expected %u lines%s, got %u%s: %.200s", n_lines,
		 closed ? " and EOF" : "", count_lines(c),
		 c->closed ? " and EOF" : "", c->buf ? c->buf : "");
}

/* Returns reply line 'i' (from 0) of what the client received, parsed. */
static json_t *
client_reply(const struct test_client *c, unsigned int i)
{
	const char *line = c->buf;
	const char *nl;
	json_t *reply;

	while (i-- > 0)
		line = strchr(line, '\n') + 1;
	nl = strchr(line, '\n');
	assert_non_null(nl);
	reply = json_loadb(line, nl - line, 0, NULL);
	assert_non_null(reply);
	return reply;
}

static void
assert_reply_error(const struct test_client *c, unsigned int i,
		   const char *expected)
{
	json_t *reply = client_reply(c, i);

	assert_true(json_is_false(json_object_get(reply, "ok")));
	assert_string_equal(json_string_value(json_object_get(reply, "error")),
			    expected);
	json_decref(reply);
}

/* Returns the length of "text" in the result of echo reply 'i'. */
static size_t
reply_text_len(const struct test_client *c, unsigned int i)
{
	json_t *reply = client_reply(c, i);
	json_t *result = json_object_get(reply, "result");
	size_t len;

	assert_true(json_is_true(json_object_get(reply, "ok")));
	len = json_string_length(json_object_get(result, "text"));
	json_decref(reply);
	return len;
}

static void
assert_reply_text(const struct test_client *c, unsigned int i,
		  const char *expected)
{
	json_t *reply = client_reply(c, i);
	json_t *result = json_object_get(reply, "result");

	assert_true(json_is_true(json_object_get(reply, "ok")));
	assert_string_equal(json_string_value(json_object_get(result, "text")),
			    expected);
	json_decref(reply);
}

#define ECHO_PREFIX "{\"cmd\":\"echo\",\"args\":{\"text\":\""
#define ECHO_SUFFIX "\"}}"

/* Returns an echo request line of 'len' bytes plus its newline, its text
 * made of 'fill' (free() it). */
static char *
make_echo_request(size_t len, char fill)
{
	char *req = malloc(len + 1);

	assert_non_null(req);
	assert_true(len > strlen(ECHO_PREFIX ECHO_SUFFIX));
	memset(req, fill, len);
	memcpy(req, ECHO_PREFIX, strlen(ECHO_PREFIX));
	memcpy(req + len - strlen(ECHO_SUFFIX), ECHO_SUFFIX,
	       strlen(ECHO_SUFFIX));
	req[len] = '\n';
	return req;
}

/* Length of the text in an echo request line of 'len' bytes. */
static size_t
echo_text_len(size_t len)
{
	return len - strlen(ECHO_PREFIX ECHO_SUFFIX);
}

static void
test_ctl_socket_is_created_with_mode_0660(void **state)
{
	struct sock_fixture *f = *state;
	struct stat st;

	sock_listen(f);
	assert_int_equal(stat(f->dir, &st), 0);
	assert_true(S_ISDIR(st.st_mode));
	assert_int_equal(lstat(f->path, &st), 0);
	assert_true(S_ISSOCK(st.st_mode));
	assert_int_equal(st.st_mode & 07777, 0660);

	nfv_ctl_server_destroy(f->server);
	f->server = NULL;
	assert_int_equal(lstat(f->path, &st), -1);
	assert_int_equal(errno, ENOENT);
}

static void
test_ctl_socket_answers_requests_in_order(void **state)
{
	static const char reqs[] =
		"{\"cmd\":\"echo\",\"args\":{\"text\":\"one\"}}\n"
		"{\"cmd\":\"echo\",\"args\":{\"text\":\"two\"}}\r\n";
	struct sock_fixture *f = *state;
	size_t big_len = NFV_CTL_REQUEST_MAX + 1000;
	struct test_client c;
	char *big;

	sock_listen(f);
	client_connect(&c, f->path);
	assert_int_equal(client_send(f, &c, reqs, strlen(reqs)), strlen(reqs));
	client_wait(f, &c, 2, false);
	assert_reply_text(&c, 0, "one");
	assert_reply_text(&c, 1, "two");
	assert_false(c.closed);

	/* A third, oversized request on the same connection is answered
	 * and the connection closed. */
	big = make_echo_request(big_len, 'a');
	client_send(f, &c, big, big_len + 1);
	client_wait(f, &c, 3, true);
	assert_reply_error(&c, 2, "request too large (max 65536 bytes)");
	assert_int_equal(count_lines(&c), 3);
	free(big);
	client_close(&c);

	/* The server carries on with other clients. */
	client_connect(&c, f->path);
	client_send(f, &c, "{\"cmd\":\"ping\"}\n", 15);
	client_wait(f, &c, 1, false);
	assert_string_equal(c.buf, "{\"ok\":true,\"result\":null}\n");
	client_close(&c);
}

static void
test_ctl_socket_accepts_request_of_max_size(void **state)
{
	struct sock_fixture *f = *state;
	size_t len = NFV_CTL_REQUEST_MAX;
	struct test_client c;
	char *req;

	/* Exactly NFV_CTL_REQUEST_MAX bytes before the newline. */
	req = make_echo_request(len, 'b');

	sock_listen(f);
	client_connect(&c, f->path);
	assert_int_equal(client_send(f, &c, req, len + 1), len + 1);
	client_wait(f, &c, 1, false);
	assert_int_equal(reply_text_len(&c, 0), echo_text_len(len));
	client_close(&c);
	free(req);
}

static void
test_ctl_socket_answers_last_request_without_newline(void **state)
{
	struct sock_fixture *f = *state;
	struct test_client c;

	sock_listen(f);
	client_connect(&c, f->path);
	client_send(f, &c, "\n{\"cmd\":\"ping\"}", 15);
	assert_int_equal(shutdown(c.fd, SHUT_WR), 0);
	client_wait(f, &c, 2, true);
	assert_reply_error(&c, 0, "empty request");
	assert_string_equal(strchr(c.buf, '\n') + 1,
			    "{\"ok\":true,\"result\":null}\n");
	client_close(&c);
}

static void
test_ctl_socket_queues_replies_that_do_not_fit(void **state)
{
	enum { N_REQS = 8, LINE_LEN = 60000 };
	const size_t req_len = LINE_LEN + 1;
	struct sock_fixture *f = *state;
	struct test_client c;
	char *req, *reqs;
	unsigned int i;

	/* Replies larger than the socket buffer, sent before the client
	 * reads any: the server must wait for EPOLLOUT, not block. */
	req = make_echo_request(LINE_LEN, 'c');
	reqs = malloc(N_REQS * req_len);
	assert_non_null(reqs);
	for (i = 0; i < N_REQS; i++)
		memcpy(reqs + i * req_len, req, req_len);

	sock_listen(f);
	client_connect(&c, f->path);
	assert_int_equal(client_send(f, &c, reqs, N_REQS * req_len),
			 N_REQS * req_len);
	client_wait(f, &c, N_REQS, false);
	for (i = 0; i < N_REQS; i++)
		assert_int_equal(reply_text_len(&c, i), echo_text_len(LINE_LEN));
	client_close(&c);
	free(req);
	free(reqs);
}

static void
test_ctl_socket_refuses_clients_beyond_max(void **state)
{
	struct test_client clients[NFV_CTL_MAX_CLIENTS + 1];
	struct test_client *extra = &clients[NFV_CTL_MAX_CLIENTS];
	struct sock_fixture *f = *state;
	unsigned int i;

	sock_listen(f);
	for (i = 0; i < NFV_CTL_MAX_CLIENTS; i++) {
		client_connect(&clients[i], f->path);
		client_send(f, &clients[i], "{\"cmd\":\"ping\"}\n", 15);
		client_wait(f, &clients[i], 1, false);
	}
	client_connect(extra, f->path);
	client_wait(f, extra, 0, true);
	assert_int_equal(extra->len, 0);

	/* A slot freed is a slot available, once the server has seen the
	 * hangup (which is ready as soon as close() returns). */
	client_close(&clients[0]);
	client_close(extra);
	assert_int_equal(nfv_loop_run_once(f->loop, 0), 0);
	client_connect(extra, f->path);
	client_send(f, extra, "{\"cmd\":\"ping\"}\n", 15);
	client_wait(f, extra, 1, false);
	for (i = 1; i <= NFV_CTL_MAX_CLIENTS; i++)
		client_close(&clients[i]);
}

static void
test_ctl_socket_refuses_live_socket(void **state)
{
	struct sock_fixture *f = *state;
	struct nfv_ctl_server *second;
	char err[NFV_CTL_ERR_MAX];
	char expected[256];
	struct test_client c;

	sock_listen(f);
	assert_int_equal(nfv_ctl_server_create(&second), 0);
	assert_int_equal(nfv_ctl_server_listen(second, f->loop, f->path, err),
			 -EADDRINUSE);
	snprintf(expected, sizeof(expected),
		 "control socket %s is in use by a running nfvswitch",
		 f->path);
	assert_string_equal(err, expected);
	nfv_ctl_server_destroy(second);

	/* The first server still owns a working socket. */
	client_connect(&c, f->path);
	client_send(f, &c, "{\"cmd\":\"ping\"}\n", 15);
	client_wait(f, &c, 1, false);
	client_close(&c);
}

static void
test_ctl_socket_replaces_stale_socket(void **state)
{
	struct sock_fixture *f = *state;
	struct sockaddr_un addr = { .sun_family = AF_UNIX };
	struct test_client c;
	struct stat st;
	int fd;

	/* A dead daemon's socket: bound, closed, never unlinked. */
	snprintf(addr.sun_path, sizeof(addr.sun_path), "%s/run", f->base);
	assert_int_equal(mkdir(addr.sun_path, 0755), 0);
	assert_int_equal(mkdir(f->dir, 0755), 0);
	snprintf(addr.sun_path, sizeof(addr.sun_path), "%s", f->path);
	fd = socket(AF_UNIX, SOCK_STREAM, 0);
	assert_true(fd >= 0);
	assert_int_equal(bind(fd, (struct sockaddr *)&addr, sizeof(addr)), 0);
	close(fd);
	assert_int_equal(lstat(f->path, &st), 0);

	sock_listen(f);
	client_connect(&c, f->path);
	client_send(f, &c, "{\"cmd\":\"ping\"}\n", 15);
	client_wait(f, &c, 1, false);
	client_close(&c);
}

static void
test_ctl_socket_refuses_non_socket(void **state)
{
	struct sock_fixture *f = *state;
	char err[NFV_CTL_ERR_MAX];
	char expected[256];
	struct stat st;
	int fd;

	snprintf(f->path, sizeof(f->path), "%s/not-a-socket", f->base);
	fd = open(f->path, O_CREAT | O_WRONLY, 0600);
	assert_true(fd >= 0);
	close(fd);

	assert_int_equal(nfv_ctl_server_listen(f->server, f->loop, f->path,
					       err), -EEXIST);
	snprintf(expected, sizeof(expected),
		 "control socket %s exists and is not a socket", f->path);
	assert_string_equal(err, expected);
	assert_int_equal(lstat(f->path, &st), 0);
	assert_true(S_ISREG(st.st_mode));
}

int
main(void)
{
	const struct CMUnitTest dispatcher_tests[] = {
#define T(name) cmocka_unit_test_setup_teardown(name, server_setup, \
						 server_teardown)
		T(test_ctl_request_runs_command),
		T(test_ctl_request_reply_is_compact_with_null_result),
		T(test_ctl_request_needs_no_newline_or_nul),
		T(test_ctl_request_unknown_command),
		T(test_ctl_request_missing_argument),
		T(test_ctl_request_unknown_argument),
		T(test_ctl_request_non_string_argument),
		T(test_ctl_request_malformed_json),
		T(test_ctl_request_not_an_object),
		T(test_ctl_request_missing_cmd),
		T(test_ctl_request_cmd_not_a_string),
		T(test_ctl_request_args_not_an_object),
		T(test_ctl_request_unknown_key),
		T(test_ctl_request_empty),
		T(test_ctl_request_handler_error),
		T(test_ctl_request_long_error_is_cut_to_valid_json),
		T(test_ctl_help_lists_commands),
		T(test_ctl_register_rejects_duplicates),
		T(test_ctl_register_rejects_bad_tables),
		T(test_ctl_register_full_is_enospc),
		T(test_ctl_counters_count_requests_and_errors),
#undef T
	};
	const struct CMUnitTest loop_tests[] = {
		cmocka_unit_test(test_loop_timer_fires),
		cmocka_unit_test(test_loop_del_fd_in_callback_skips_its_events),
		cmocka_unit_test(test_loop_stop_sets_flag),
	};
	const struct CMUnitTest socket_tests[] = {
#define T(name) cmocka_unit_test_setup_teardown(name, sock_setup, \
						 sock_teardown)
		T(test_ctl_socket_is_created_with_mode_0660),
		T(test_ctl_socket_answers_requests_in_order),
		T(test_ctl_socket_accepts_request_of_max_size),
		T(test_ctl_socket_answers_last_request_without_newline),
		T(test_ctl_socket_queues_replies_that_do_not_fit),
		T(test_ctl_socket_refuses_clients_beyond_max),
		T(test_ctl_socket_refuses_live_socket),
		T(test_ctl_socket_replaces_stale_socket),
		T(test_ctl_socket_refuses_non_socket),
#undef T
	};
	int failed = 0;

	failed += cmocka_run_group_tests_name("ctl dispatcher",
					      dispatcher_tests, NULL, NULL);
	failed += cmocka_run_group_tests_name("loop", loop_tests, NULL, NULL);
	failed += cmocka_run_group_tests_name("ctl socket", socket_tests,
					      NULL, NULL);
	return failed != 0;
}
