/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * nfvctl, the operator's client for a running nfvswitch: it turns a command
 * line into one request on the control socket ({"cmd": ..., "args": {...}},
 * see src/ctl_server.h), waits for the one-line reply and prints the result
 * as tables and blocks shaped like ovs-ofctl and ovs-appctl output, or as
 * raw JSON with --json. It knows the daemon's commands only through the
 * table below (positional arguments to argument names, a printer for the
 * result); a command missing from it is still sent, without arguments, and
 * its result printed as JSON. Only libc and jansson: no DPDK here.
 */
#include <errno.h>
#include <getopt.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <sys/un.h>
#include <unistd.h>

#include <jansson.h>

#include "nfv_common.h"

#define NFVCTL_MAX_ARGS 4
#define NFVCTL_TIMEOUT_S 10
#define NFVCTL_REPLY_MAX (64u * 1024 * 1024)
#define NFVCTL_VALUE_MAX 256    /* one formatted value */

enum {
	NFVCTL_EXIT_USAGE = 2,  /* EXIT_FAILURE (1): the command failed */
};

/* Prints "nfvctl: MESSAGE" and a newline on stderr. */
static void __attribute__((format(printf, 1, 2)))
error_msg(const char *fmt, ...)
{
	va_list ap;

	fputs("nfvctl: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

/*
 * Formatting helpers. Every lookup tolerates a missing key or a value of
 * the wrong type and prints "-" instead, so that a daemon older or newer
 * than this client never crashes it.
 */

/* Formats any JSON value 'v' into 'buf', or returns a constant string;
 * "-" when 'v' is NULL or null. */
static const char *
fmt_value(const json_t *v, char *buf, size_t size)
{
	char *dump;

	if (v == NULL)
		return "-";
	switch (json_typeof(v)) {
	case JSON_STRING:
		return json_string_value(v);
	case JSON_INTEGER:
		snprintf(buf, size, "%" JSON_INTEGER_FORMAT,
			 json_integer_value(v));
		return buf;
	case JSON_REAL:
		snprintf(buf, size, "%.2f", json_real_value(v));
		return buf;
	case JSON_TRUE:
		return "true";
	case JSON_FALSE:
		return "false";
	case JSON_OBJECT:
	case JSON_ARRAY:
		dump = json_dumps(v, JSON_COMPACT);
		snprintf(buf, size, "%s", dump != NULL ? dump : "-");
		free(dump);
		return buf;
	case JSON_NULL:
	default:
		return "-";
	}
}

/* Formats member 'key' of 'obj' (any JSON value, or NULL). */
static const char *
fmt_field(const json_t *obj, const char *key, char *buf, size_t size)
{
	return fmt_value(json_object_get(obj, key), buf, size);
}

static bool
key_in(const char *key, const char *const *keys)
{
	for (; *keys != NULL; keys++)
		if (strcmp(key, *keys) == 0)
			return true;
	return false;
}

/* Prints "INDENTkey: value" for each member of 'obj' not in 'known'.
 * Returns how many it printed. */
static unsigned int
print_other_fields(json_t *obj, const char *const *known, const char *indent)
{
	char buf[NFVCTL_VALUE_MAX];
	unsigned int n = 0;
	const char *key;
	json_t *value;

	json_object_foreach(obj, key, value) {
		if (!key_in(key, known)) {
			printf("%s%s: %s\n", indent, key,
			       fmt_value(value, buf, sizeof(buf)));
			n++;
		}
	}
	return n;
}

/*
 * Tables: one row per object of a JSON array, one column per key.
 */

#define TABLE_MAX_COLS 16

struct table_col {
	const char *header;
	const char *key;
	bool number;            /* right-aligned */
	/* Formats the cell instead of fmt_field(); NULL for most columns. */
	const char *(*fmt)(const json_t *row, char *buf, size_t size);
};

static const char *
fmt_link(const json_t *row, char *buf, size_t size)
{
	const json_t *up = json_object_get(row, "link_up");

	(void)buf;
	(void)size;
	if (!json_is_boolean(up))
		return "-";
	return json_is_true(up) ? "up" : "down";
}

static const char *
table_cell(const struct table_col *col, const json_t *row, char *buf,
	   size_t size)
{
	if (col->fmt != NULL)
		return col->fmt(row, buf, size);
	return fmt_field(row, col->key, buf, size);
}

/* Prints the rows of array 'rows' under a header line, columns two spaces
 * apart; the last column is not padded so that it may be long. */
static void
print_table(json_t *rows, const struct table_col *cols, unsigned int n_cols)
{
	int widths[TABLE_MAX_COLS];
	char buf[NFVCTL_VALUE_MAX];
	const json_t *row;
	unsigned int c;
	size_t i;

	/* Column widths; the last column is not padded unless numeric. */
	for (c = 0; c < n_cols; c++)
		widths[c] = strlen(cols[c].header);
	json_array_foreach(rows, i, row) {
		for (c = 0; c < n_cols; c++) {
			int len = strlen(table_cell(&cols[c], row, buf,
						    sizeof(buf)));

			if (len > widths[c])
				widths[c] = len;
		}
	}
	if (!cols[n_cols - 1].number)
		widths[n_cols - 1] = 0;

	/* printf() pads on the left for a positive width, on the right for
	 * a negative one. */
	for (c = 0; c < n_cols; c++)
		printf("%s%*s", c ? "  " : "",
		       cols[c].number ? widths[c] : -widths[c],
		       cols[c].header);
	putchar('\n');
	json_array_foreach(rows, i, row) {
		for (c = 0; c < n_cols; c++)
			printf("%s%*s", c ? "  " : "",
			       cols[c].number ? widths[c] : -widths[c],
			       table_cell(&cols[c], row, buf, sizeof(buf)));
		putchar('\n');
	}
}

/*
 * Printers, one per command: each gets the "result" of a successful reply
 * (NULL if there was none).
 */

static void
print_version(json_t *result)
{
	char v[NFVCTL_VALUE_MAX], dpdk[NFVCTL_VALUE_MAX];

	printf("nfvswitch %s (%s)\n",
	       fmt_field(result, "version", v, sizeof(v)),
	       fmt_field(result, "dpdk", dpdk, sizeof(dpdk)));
}

static void
print_show(json_t *result)
{
	static const struct table_col port_cols[] = {
		{ "OFPORT", "ofport", true },
		{ "NAME", "name" },
		{ "DRIVER", "driver" },
		{ "LINK", NULL, false, fmt_link },
		{ "MTU", "mtu", true },
		{ "RXQ", "rx_queues", true },
		{ "TXQ", "tx_queues", true },
		{ "RX-PKTS", "rx_packets", true },
		{ "RX-DROP", "rx_dropped", true },
		{ "TX-PKTS", "tx_packets", true },
		{ "TX-DROP", "tx_dropped", true },
		{ "DEVARGS", "devargs" },
	};
	static const struct table_col pool_cols[] = {
		{ "NAME", "name" },
		{ "SOCKET", "socket", true },
		{ "SIZE", "size", true },
		{ "IN-USE", "in_use", true },
		{ "AVAIL", "avail", true },
	};
	static const char *const tables[] = { "ports", "pools", NULL };

	/* Switch-wide values first (datapath_id, workers, ...): whatever
	 * the daemon sends besides the tables. */
	if (print_other_fields(result, tables, "") > 0)
		putchar('\n');
	print_table(json_object_get(result, "ports"), port_cols,
		    NFV_ARRAY_SIZE(port_cols));
	putchar('\n');
	print_table(json_object_get(result, "pools"), pool_cols,
		    NFV_ARRAY_SIZE(pool_cols));
}

/* Prints "pkts=N, bytes=N, drop=N, errs=N" for direction 'dir'. */
static void
print_port_counters(const json_t *port, const char *dir)
{
	static const char *const labels[] = { "pkts", "bytes", "drop", "errs" };
	static const char *const keys[] = {
		"packets", "bytes", "dropped", "errors",
	};
	char key[32], buf[NFVCTL_VALUE_MAX];
	unsigned int i;

	for (i = 0; i < NFV_ARRAY_SIZE(keys); i++) {
		snprintf(key, sizeof(key), "%s_%s", dir, keys[i]);
		printf("%s%s=%s", i ? ", " : "", labels[i],
		       fmt_field(port, key, buf, sizeof(buf)));
	}
	putchar('\n');
}

static void
print_port_stats(json_t *result)
{
	char name[NFVCTL_VALUE_MAX], ofport[NFVCTL_VALUE_MAX];
	json_t *ports = json_object_get(result, "ports");
	json_t *port;
	size_t i;

	json_array_foreach(ports, i, port) {
		printf("  port %s (%s): rx ",
		       fmt_field(port, "name", name, sizeof(name)),
		       fmt_field(port, "ofport", ofport, sizeof(ofport)));
		print_port_counters(port, "rx");
		printf("           tx ");
		print_port_counters(port, "tx");
	}
}

/* Prints the "pmd thread numa_id N core_id N:" line of 'worker'. */
static void
print_worker_header(const json_t *worker)
{
	char numa[NFVCTL_VALUE_MAX], core[NFVCTL_VALUE_MAX];

	printf("pmd thread numa_id %s core_id %s:\n",
	       fmt_field(worker, "socket", numa, sizeof(numa)),
	       fmt_field(worker, "lcore", core, sizeof(core)));
}

/* Prints "  LABEL: N" and, when 'pct' is a percentage, " (P%)". */
static void
print_cycles(const char *label, const json_t *cycles, double pct)
{
	char buf[NFVCTL_VALUE_MAX];

	printf("  %s: %s", label, fmt_value(cycles, buf, sizeof(buf)));
	if (pct >= 0)
		printf(" (%.2f%%)", pct);
	putchar('\n');
}

/* Returns the share of busy cycles of worker 'w' in percent, or -1 if
 * unknown: the daemon's busy_pct if it sent one, else from the cycles. */
static double
worker_busy_pct(const json_t *w)
{
	const json_t *busy = json_object_get(w, "busy_cycles");
	const json_t *idle = json_object_get(w, "idle_cycles");
	const json_t *pct = json_object_get(w, "busy_pct");
	double total;

	if (json_is_number(pct))
		return json_number_value(pct);
	if (!json_is_integer(busy) || !json_is_integer(idle))
		return -1;
	total = json_number_value(busy) + json_number_value(idle);
	return total > 0 ? 100.0 * json_number_value(busy) / total : -1;
}

static void
print_worker_stats(json_t *w)
{
	static const char *const known[] = {
		"id", "lcore", "socket", "rx_packets", "tx_packets", "dropped",
		"busy_cycles", "idle_cycles", "cycles_per_packet", "busy_pct",
		"drops", NULL,
	};
	json_t *drops = json_object_get(w, "drops");
	double busy_pct = worker_busy_pct(w);
	char buf[NFVCTL_VALUE_MAX];
	const char *reason;
	json_t *count;

	print_worker_header(w);
	printf("  packets received: %s\n",
	       fmt_field(w, "rx_packets", buf, sizeof(buf)));
	printf("  packets sent: %s\n",
	       fmt_field(w, "tx_packets", buf, sizeof(buf)));
	printf("  packets dropped: %s\n",
	       fmt_field(w, "dropped", buf, sizeof(buf)));
	json_object_foreach(drops, reason, count) {
		if (json_is_integer(count) && json_integer_value(count) == 0)
			continue;
		printf("    %s: %s\n", reason,
		       fmt_value(count, buf, sizeof(buf)));
	}
	print_cycles("idle cycles", json_object_get(w, "idle_cycles"),
		     busy_pct >= 0 ? 100.0 - busy_pct : -1);
	print_cycles("processing cycles", json_object_get(w, "busy_cycles"),
		     busy_pct);
	printf("  avg cycles per packet: %s\n",
	       fmt_field(w, "cycles_per_packet", buf, sizeof(buf)));
	/* Counters added to the daemon later show up without a new client. */
	print_other_fields(w, known, "  ");
}

static void
print_pmd_stats(json_t *result)
{
	json_t *workers = json_object_get(result, "workers");
	json_t *worker;
	size_t i;

	json_array_foreach(workers, i, worker)
		print_worker_stats(worker);
}

static void
print_pmd_rxqs(json_t *result)
{
	char port[NFVCTL_VALUE_MAX], queue[NFVCTL_VALUE_MAX];
	json_t *workers = json_object_get(result, "workers");
	json_t *worker, *rxqs, *rxq;
	int width = 0;
	size_t i, j;

	/* Align the queue ids of all workers. */
	json_array_foreach(workers, i, worker) {
		rxqs = json_object_get(worker, "rxqs");
		json_array_foreach(rxqs, j, rxq) {
			int len = strlen(fmt_field(rxq, "port", port,
						   sizeof(port)));

			if (len > width)
				width = len;
		}
	}
	json_array_foreach(workers, i, worker) {
		print_worker_header(worker);
		rxqs = json_object_get(worker, "rxqs");
		json_array_foreach(rxqs, j, rxq)
			printf("  port: %-*s  queue-id: %s\n", width,
			       fmt_field(rxq, "port", port, sizeof(port)),
			       fmt_field(rxq, "queue", queue, sizeof(queue)));
	}
}

/* Prints the "text" of each element of every array in 'result' (flows,
 * megaflows, groups, MAC table entries). */
static void
print_flows(json_t *result)
{
	json_t *flows, *flow, *text;
	const char *key;
	char *dump;
	size_t i;

	json_object_foreach(result, key, flows) {
	json_array_foreach(flows, i, flow) {
		text = json_object_get(flow, "text");
		if (json_is_string(text)) {
			puts(json_string_value(text));
			continue;
		}
		/* Not what we expected, but better shown than lost. */
		dump = json_dumps(flow, JSON_COMPACT | JSON_ENCODE_ANY);
		puts(dump != NULL ? dump : "-");
		free(dump);
	}
	}
}

/* Formats "NAME USAGE" of help entry 'cmd' into 'buf'. Returns its
 * length. */
static int
fmt_help_synopsis(const json_t *cmd, char *buf, size_t size)
{
	char name[NFVCTL_VALUE_MAX], usage[NFVCTL_VALUE_MAX];
	const char *u = fmt_field(cmd, "usage", usage, sizeof(usage));

	if (!json_is_string(json_object_get(cmd, "usage")))
		u = "";
	return snprintf(buf, size, "%s%s%s",
			fmt_field(cmd, "name", name, sizeof(name)),
			u[0] != '\0' ? " " : "", u);
}

static void
print_help(json_t *result)
{
	char synopsis[2 * NFVCTL_VALUE_MAX], help[NFVCTL_VALUE_MAX];
	json_t *cmd;
	int width = 0;
	size_t i;

	json_array_foreach(result, i, cmd) {
		int len = fmt_help_synopsis(cmd, synopsis, sizeof(synopsis));

		if (len > width)
			width = len;
	}
	json_array_foreach(result, i, cmd) {
		fmt_help_synopsis(cmd, synopsis, sizeof(synopsis));
		printf("%-*s  - %s\n", width, synopsis,
		       fmt_field(cmd, "help", help, sizeof(help)));
	}
}

/* Prints nothing: for commands whose success says it all. */
/* controller-show: one line per OpenFlow connection. */
static void
print_controllers(json_t *result)
{
	json_t *conns = json_object_get(result, "connections"), *c;
	size_t i;

	printf("fail_mode: %s\n",
	       json_string_value(json_object_get(result, "fail_mode")) ?: "-");
	json_array_foreach(conns, i, c) {
		printf("%-40s %-10s role=%-6s rx=%" JSON_INTEGER_FORMAT
		       " tx=%" JSON_INTEGER_FORMAT " dropped=%" JSON_INTEGER_FORMAT
		       " errors=%" JSON_INTEGER_FORMAT "\n",
		       json_string_value(json_object_get(c, "name")) ?: "-",
		       json_string_value(json_object_get(c, "state")) ?: "-",
		       json_string_value(json_object_get(c, "role")) ?: "-",
		       json_integer_value(json_object_get(c, "rx_msgs")),
		       json_integer_value(json_object_get(c, "tx_msgs")),
		       json_integer_value(json_object_get(c, "tx_dropped")),
		       json_integer_value(json_object_get(c, "errors")));
	}
	if (json_array_size(conns) == 0)
		printf("no OpenFlow connections\n");
}

/* Local-controller apps. */

static void
print_arp(json_t *result)
{
	static const struct table_col cols[] = {
		{ "NETWORK", "network" },
		{ "IP", "ip" },
		{ "MAC", "mac" },
		{ "PORT", "port" },
		{ "SOURCE", "source" },
		{ "AGE", "age", true },
		{ "EXPIRES", "expires_in", true },
	};

	print_table(json_object_get(result, "bindings"), cols,
		    NFV_ARRAY_SIZE(cols));
}

static void
print_leases(json_t *result)
{
	static const struct table_col lease_cols[] = {
		{ "NETWORK", "network" },
		{ "SUBNET", "subnet" },
		{ "IP", "ip" },
		{ "MAC", "mac" },
		{ "STATE", "state" },
		{ "FIXED", "fixed" },
		{ "EXPIRES", "expires_in", true },
	};
	static const struct table_col pool_cols[] = {
		{ "NETWORK", "network" },
		{ "SUBNET", "subnet" },
		{ "RANGE", "range" },
		{ "SIZE", "size", true },
		{ "BOUND", "bound", true },
		{ "OFFERED", "offered", true },
		{ "DECLINED", "declined", true },
		{ "FULL", "full", true },
	};

	print_table(json_object_get(result, "leases"), lease_cols,
		    NFV_ARRAY_SIZE(lease_cols));
	putchar('\n');
	print_table(json_object_get(result, "pools"), pool_cols,
		    NFV_ARRAY_SIZE(pool_cols));
}

static void
print_routes(json_t *result)
{
	static const struct table_col conn_cols[] = {
		{ "ROUTER", "router" },
		{ "NETWORK", "network" },
		{ "SUBNET", "subnet" },
		{ "CIDR", "cidr" },
		{ "GATEWAY", "gateway" },
	};
	static const struct table_col route_cols[] = {
		{ "ROUTER", "router" },
		{ "CIDR", "cidr" },
		{ "NEXT-HOP", "next_hop" },
		{ "RESOLVED", "resolved" },
	};
	static const struct table_col flow_cols[] = {
		{ "ROUTER", "router" },
		{ "FROM", "network" },
		{ "DESTINATION", "dst" },
		{ "MAC", "mac" },
		{ "PORT", "port" },
		{ "IDLE-LEFT", "idle_left", true },
		{ "PACKETS", "packets", true },
	};
	static const struct table_col pending_cols[] = {
		{ "NETWORK", "network" },
		{ "WAITING-FOR", "ip" },
		{ "PACKETS", "packets", true },
		{ "TRIES", "tries", true },
	};
	json_t *conn = json_array(), *routes = json_array(), *r, *e;
	size_t i, j;

	/* Flatten the routers' lists into rows that name their router. */
	json_array_foreach(json_object_get(result, "routers"), i, r) {
		json_t *name = json_object_get(r, "name");

		json_array_foreach(json_object_get(r, "connected"), j, e) {
			json_t *row = json_deep_copy(e);

			json_object_set(row, "router", name);
			json_array_append_new(conn, row);
		}
		json_array_foreach(json_object_get(r, "routes"), j, e) {
			json_t *row = json_deep_copy(e);

			json_object_set(row, "router", name);
			json_array_append_new(routes, row);
		}
	}
	print_table(conn, conn_cols, NFV_ARRAY_SIZE(conn_cols));
	if (json_array_size(routes) > 0) {
		putchar('\n');
		print_table(routes, route_cols, NFV_ARRAY_SIZE(route_cols));
	}
	putchar('\n');
	print_table(json_object_get(result, "flows"), flow_cols,
		    NFV_ARRAY_SIZE(flow_cols));
	if (json_array_size(json_object_get(result, "pending")) > 0) {
		putchar('\n');
		print_table(json_object_get(result, "pending"), pending_cols,
			    NFV_ARRAY_SIZE(pending_cols));
	}
	json_decref(conn);
	json_decref(routes);
}

static void
print_app_stats(json_t *result)
{
	char buf[NFVCTL_VALUE_MAX];
	const char *app, *key;
	json_t *counters, *v;

	json_object_foreach(result, app, counters) {
		printf("%s:\n", app);
		json_object_foreach(counters, key, v)
			printf("  %s: %s\n", key, fmt_value(v, buf, sizeof(buf)));
	}
}

static void
print_nothing(json_t *result)
{
	(void)result;
}

/* For commands this client does not know: the result as JSON. */
static void
print_json(json_t *result)
{
	if (result == NULL || json_is_null(result))
		return;
	json_dumpf(result, stdout, JSON_INDENT(2) | JSON_ENCODE_ANY);
	putchar('\n');
}

/*
 * Commands.
 */

struct cli_cmd {
	const char *name;
	const char *usage;
	const char *help;
	/* Argument names for the positional arguments, in order; the first
	 * 'min_args' are required. */
	const char *args[NFVCTL_MAX_ARGS];
	unsigned int min_args;
	unsigned int max_args;
	void (*print)(json_t *result);
	bool strict_opt;        /* accepts a leading --strict */
};

static const struct cli_cmd cli_cmds[] = {
	{ "version", "", "show the versions of nfvswitch and DPDK",
	  { NULL }, 0, 0, print_version },
	{ "show", "", "show ports, links, counters and mbuf pools",
	  { NULL }, 0, 0, print_show },
	{ "port-stats", "[PORT]", "show port counters",
	  { "port" }, 0, 1, print_port_stats },
	{ "pmd-stats-show", "", "show per-worker packets, cycles and drops",
	  { NULL }, 0, 0, print_pmd_stats },
	{ "pmd-stats-clear", "", "reset per-worker counters",
	  { NULL }, 0, 0, print_nothing },
	{ "pmd-rxq-show", "", "show the rx queues of each worker",
	  { NULL }, 0, 0, print_pmd_rxqs },
	{ "dump-flows", "[FILTER]", "show OpenFlow flows",
	  { "filter" }, 0, 1, print_flows },
	{ "add-flow", "FLOW", "add an OpenFlow flow",
	  { "flow" }, 1, 1, print_nothing },
	{ "mod-flows", "[--strict] FLOW", "change the actions of flows",
	  { "flow" }, 1, 1, print_nothing, true },
	{ "del-flows", "[--strict] [FILTER]",
	  "delete OpenFlow flows (all without FILTER)",
	  { "filter" }, 0, 1, print_nothing, true },
	{ "dump-megaflows", "", "show each worker's cached megaflows",
	  { NULL }, 0, 0, print_flows },
	{ "add-group", "GROUP", "add a group (ovs-ofctl syntax)",
	  { "group" }, 1, 1, print_nothing },
	{ "mod-group", "GROUP", "replace a group's buckets",
	  { "group" }, 1, 1, print_nothing },
	{ "del-groups", "[GROUP]", "delete groups (all without GROUP)",
	  { "group" }, 0, 1, print_nothing },
	{ "dump-groups", "", "show groups and their counters",
	  { NULL }, 0, 0, print_flows },
	{ "fdb-show", "", "show the MAC table of the NORMAL action",
	  { NULL }, 0, 0, print_flows },
	{ "arp-show", "", "show the IP/MAC bindings of the ARP app",
	  { NULL }, 0, 0, print_arp },
	{ "dhcp-leases", "", "show DHCP leases and pools",
	  { NULL }, 0, 0, print_leases },
	{ "route-show", "", "show routers, routes and routed flows",
	  { NULL }, 0, 0, print_routes },
	{ "app-stats", "", "show the counters of the ARP, DHCP and L3 apps",
	  { NULL }, 0, 0, print_app_stats },
	{ "controller-show", "", "show OpenFlow connections and roles",
	  { NULL }, 0, 0, print_controllers },
	{ "shutdown", "", "stop nfvswitch",
	  { NULL }, 0, 0, print_nothing },
	{ "help", "", "list the commands nfvswitch knows",
	  { NULL }, 0, 0, print_help },
};

static const struct cli_cmd *
cli_cmd_lookup(const char *name)
{
	unsigned int i;

	for (i = 0; i < NFV_ARRAY_SIZE(cli_cmds); i++)
		if (strcmp(cli_cmds[i].name, name) == 0)
			return &cli_cmds[i];
	return NULL;
}

static void
usage(void)
{
	unsigned int i;

	printf("usage: nfvctl [-s SOCKET] [--json] COMMAND [ARGS...]\n"
	       "Sends COMMAND to a running nfvswitch and prints the result.\n"
	       "\n"
	       "Options:\n"
	       "  -s, --socket=SOCKET  control socket (default: $NFVCTL_SOCKET if set,\n"
	       "                       else %s)\n"
	       "      --json           print the result as JSON\n"
	       "  -h, --help           print this help and exit\n"
	       "  -V, --version        print the version and exit\n"
	       "\n"
	       "Commands:\n", NFV_DEFAULT_SOCKET);
	for (i = 0; i < NFV_ARRAY_SIZE(cli_cmds); i++) {
		char line[64];

		snprintf(line, sizeof(line), "%s %s", cli_cmds[i].name,
			 cli_cmds[i].usage);
		printf("  %-26s %s\n", line, cli_cmds[i].help);
	}
}

/* Builds the request line (with its newline) for 'cmd_name' and its
 * positional arguments 'argv', named by 'cmd'. Returns it (free() it), or
 * NULL after printing why. */
static char *
build_request(const char *cmd_name, const struct cli_cmd *cmd, char **argv,
	      unsigned int argc, bool strict)
{
	json_t *req, *name, *args, *value;
	char *text, *line;
	unsigned int i;

	req = json_object();
	if (req == NULL)
		goto out_nomem;
	name = json_string(cmd_name);
	if (name == NULL) {
		error_msg("command '%s' is not valid UTF-8", cmd_name);
		goto out_free_req;
	}
	/* json_object_set_new() takes the value even when it fails. */
	if (json_object_set_new(req, "cmd", name) < 0)
		goto out_nomem;
	args = json_object();
	if (json_object_set_new(req, "args", args) < 0)
		goto out_nomem;
	for (i = 0; i < argc; i++) {
		value = json_string(argv[i]);
		if (value == NULL) {
			error_msg("%s: argument '%s' is not valid UTF-8",
				  cmd_name, cmd->args[i]);
			goto out_free_req;
		}
		if (json_object_set_new(args, cmd->args[i], value) < 0)
			goto out_nomem;
	}

	if (strict && json_object_set_new(args, "strict", json_string("true")) < 0)
		goto out_nomem;

	text = json_dumps(req, JSON_COMPACT);
	json_decref(req);
	if (text == NULL || asprintf(&line, "%s\n", text) < 0)
		line = NULL;
	free(text);
	if (line == NULL)
		error_msg("%s", strerror(ENOMEM));
	return line;

out_nomem:
	error_msg("%s", strerror(ENOMEM));
out_free_req:
	json_decref(req);
	return NULL;
}

/*
 * The socket.
 */

/* Connects to 'path' with send and receive timeouts. Returns the socket,
 * or -1 after printing why. */
static int
ctl_connect(const char *path)
{
	struct timeval timeout = { .tv_sec = NFVCTL_TIMEOUT_S };
	struct sockaddr_un addr = { .sun_family = AF_UNIX };
	int fd;

	if (strlen(path) >= sizeof(addr.sun_path)) {
		error_msg("cannot connect to %s: path too long (max %zu bytes)",
			  path, sizeof(addr.sun_path) - 1);
		return -1;
	}
	memcpy(addr.sun_path, path, strlen(path) + 1);

	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0) {
		error_msg("socket: %s", strerror(errno));
		return -1;
	}
	if (setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout,
		       sizeof(timeout)) < 0 ||
	    setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &timeout,
		       sizeof(timeout)) < 0) {
		error_msg("setting socket timeouts: %s", strerror(errno));
		goto out_close;
	}
	if (connect(fd, (struct sockaddr *)&addr, sizeof(addr)) < 0) {
		error_msg("cannot connect to %s: %s (is nfvswitch running?)",
			  path, strerror(errno));
		goto out_close;
	}
	return fd;

out_close:
	close(fd);
	return -1;
}

/* Sends all of 'buf'. Returns true, or false after printing why. */
static bool
ctl_send(int fd, const char *buf, size_t len)
{
	ssize_t n;

	while (len > 0) {
		n = send(fd, buf, len, MSG_NOSIGNAL);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			if (errno == EAGAIN || errno == EWOULDBLOCK)
				error_msg("nfvswitch did not take the request within %d s",
					  NFVCTL_TIMEOUT_S);
			else
				error_msg("cannot send the request: %s",
					  strerror(errno));
			return false;
		}
		buf += n;
		len -= n;
	}
	return true;
}

/* Receives one reply line and returns it NUL-terminated without its
 * newline (free() it), or NULL after printing why. */
static char *
ctl_receive(int fd)
{
	size_t len = 0, cap = 0;
	char *buf = NULL, *nl;
	ssize_t n;

	for (;;) {
		if (cap - len < 4096) {
			char *bigger;

			cap = cap ? cap * 2 : 65536;
			if (cap > NFVCTL_REPLY_MAX + 1) {
				error_msg("reply too large (max %u bytes)",
					  NFVCTL_REPLY_MAX);
				goto out_free;
			}
			bigger = realloc(buf, cap);
			if (bigger == NULL) {
				error_msg("%s", strerror(ENOMEM));
				goto out_free;
			}
			buf = bigger;
		}
		n = recv(fd, buf + len, cap - len - 1, 0);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			if (errno == EAGAIN || errno == EWOULDBLOCK)
				error_msg("no reply from nfvswitch within %d s",
					  NFVCTL_TIMEOUT_S);
			else
				error_msg("cannot receive the reply: %s",
					  strerror(errno));
			goto out_free;
		}
		if (n == 0) {
			error_msg("nfvswitch closed the connection without a complete reply");
			goto out_free;
		}
		nl = memchr(buf + len, '\n', n);
		len += n;
		if (nl != NULL) {
			*nl = '\0';
			return buf;
		}
	}

out_free:
	free(buf);
	return NULL;
}

/* Sends 'request' to the daemon at 'path' and returns its reply line, or
 * NULL after printing why. */
static char *
ctl_exchange(const char *path, const char *request)
{
	char *reply = NULL;
	int fd;

	fd = ctl_connect(path);
	if (fd < 0)
		return NULL;
	if (ctl_send(fd, request, strlen(request)))
		reply = ctl_receive(fd);
	close(fd);
	return reply;
}

/* Prints the reply 'text' of 'cmd' (NULL: not in our table). Returns the
 * exit status. */
static int
print_reply(const char *text, const struct cli_cmd *cmd, bool as_json)
{
	json_t *reply, *ok, *result;
	json_error_t jerr;
	int status = EXIT_FAILURE;

	reply = json_loads(text, 0, &jerr);
	if (reply == NULL) {
		error_msg("malformed reply from nfvswitch: %s", jerr.text);
		return EXIT_FAILURE;
	}
	ok = json_object_get(reply, "ok");
	if (!json_is_boolean(ok)) {
		error_msg("malformed reply from nfvswitch: no 'ok'");
		goto out_free_reply;
	}
	if (json_is_false(ok)) {
		const json_t *err = json_object_get(reply, "error");

		error_msg("%s", json_is_string(err) ? json_string_value(err) :
				"command failed");
		goto out_free_reply;
	}

	result = json_object_get(reply, "result");
	if (as_json) {
		json_dumpf(result != NULL ? result : json_null(), stdout,
			   JSON_INDENT(2) | JSON_ENCODE_ANY);
		putchar('\n');
	} else if (cmd != NULL) {
		cmd->print(result);
	} else {
		print_json(result);
	}
	status = EXIT_SUCCESS;

out_free_reply:
	json_decref(reply);
	return status;
}

int
main(int argc, char **argv)
{
	static const struct option options[] = {
		{ "socket", required_argument, NULL, 's' },
		{ "json", no_argument, NULL, 'j' },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 },
	};
	const char *path = getenv("NFVCTL_SOCKET");
	const struct cli_cmd *cmd;
	const char *cmd_name;
	char *request, *reply;
	bool as_json = false, strict = false;
	unsigned int n_args;
	int opt, status;

	if (path == NULL || path[0] == '\0')
		path = NFV_DEFAULT_SOCKET;

	/* '+': options end at the command; ':': report a missing value. */
	opterr = 0;
	while ((opt = getopt_long(argc, argv, "+:s:hV", options, NULL)) != -1) {
		switch (opt) {
		case 's':
			path = optarg;
			break;
		case 'j':
			as_json = true;
			break;
		case 'h':
			usage();
			return EXIT_SUCCESS;
		case 'V':
			printf("nfvctl %s\n", NFV_VERSION);
			return EXIT_SUCCESS;
		case ':':
			error_msg("option '%s' needs a value (try 'nfvctl --help')",
				  argv[optind - 1]);
			return NFVCTL_EXIT_USAGE;
		default:
			if (optopt != 0)
				error_msg("unknown option '-%c' (try 'nfvctl --help')",
					  optopt);
			else
				error_msg("unknown option '%s' (try 'nfvctl --help')",
					  argv[optind - 1]);
			return NFVCTL_EXIT_USAGE;
		}
	}
	if (optind >= argc) {
		error_msg("missing command (try 'nfvctl --help')");
		return NFVCTL_EXIT_USAGE;
	}

	cmd_name = argv[optind];
	cmd = cli_cmd_lookup(cmd_name);
	if (cmd != NULL && cmd->strict_opt && optind + 1 < argc &&
	    strcmp(argv[optind + 1], "--strict") == 0) {
		strict = true;
		/* Drop the option so the rest are positional arguments. */
		argv[optind + 1] = argv[optind];
		optind++;
	}
	n_args = argc - optind - 1;
	if (cmd == NULL && n_args > 0) {
		/* Without the table we cannot name the arguments. */
		error_msg("%s: nfvctl does not know the arguments of this command",
			  cmd_name);
		return NFVCTL_EXIT_USAGE;
	}
	if (cmd != NULL && n_args > cmd->max_args) {
		error_msg("%s: too many arguments", cmd_name);
		return NFVCTL_EXIT_USAGE;
	}
	if (cmd != NULL && n_args < cmd->min_args) {
		error_msg("%s: missing argument '%s' (usage: nfvctl %s %s)",
			  cmd_name, cmd->args[n_args], cmd_name, cmd->usage);
		return NFVCTL_EXIT_USAGE;
	}

	request = build_request(cmd_name, cmd, &argv[optind + 1], n_args,
				strict);
	if (request == NULL)
		return NFVCTL_EXIT_USAGE;
	reply = ctl_exchange(path, request);
	free(request);
	if (reply == NULL)
		return EXIT_FAILURE;
	status = print_reply(reply, cmd, as_json);
	free(reply);

	if (fflush(stdout) != 0 || ferror(stdout)) {
		error_msg("writing the output: %s", strerror(errno));
		return EXIT_FAILURE;
	}
	return status;
}
