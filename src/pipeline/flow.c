/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Parser and formatter of the ovs-ofctl flow syntax, and the comparisons that
 * add-flow and del-flows need. A small tokenizer splits the text into
 * "key", "key=value", "key:value" or "key(value)" tokens at commas and white
 * space outside parentheses and brackets; everything after "actions=" is the
 * action list, tokenized the same way. Match fields and actions are looked up
 * in tables, so supporting one more is one table entry (and one name less in
 * the matching "not supported yet" list). Pure code: no DPDK, no threads, no
 * allocation.
 */

#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "flow.h"

#define FLOW_DEFAULT_PRIORITY 32768     /* as in ovs-ofctl */
#define FLOW_MAX_DEPTH 16               /* () and [] nesting in one token */
#define FLOW_QUOTE_MAX 64               /* longest quote in a message */

/* A piece of the parsed text; not NUL-terminated. */
struct flow_slice {
	const char *s;
	size_t len;
};

struct flow_token {
	struct flow_slice text;         /* the whole token, for messages */
	struct flow_slice key;
	struct flow_slice value;        /* .s is NULL for a bare word */
};

struct flow_lexer {
	const char *what;               /* "field" or "action", for messages */
	const char *pos;                /* next character to read */
	const char *end;
	struct flow_slice prev;         /* last token read */
	unsigned int n_tokens;
};

struct flow_parser {
	enum nfv_flow_parse_mode mode;
	nfv_port_by_name_fn *by_name;
	void *arg;
	struct nfv_flow_spec *spec;
	char *err;                      /* NFV_FLOW_ERR_MAX bytes */
	uint64_t seen;                  /* bit i: flow_fields[i] was given */
	bool drop;                      /* the action list said "drop" */
};

/* Where nfv_flow_format_*() write; 'len' is what the full text needs. */
struct flow_out {
	char *buf;
	size_t size;
	size_t len;
	nfv_port_name_fn *name_of;
	void *arg;
};

typedef int flow_parse_fn(struct flow_parser *p, const struct flow_token *tok);
typedef void flow_format_fn(const struct nfv_flow_spec *spec,
			    struct flow_out *o);

struct flow_field {
	const char *name;               /* case-sensitive, as in ovs-ofctl */
	flow_parse_fn *parse;
	flow_format_fn *format;         /* NULL: not printed in the match */
};

struct flow_action {
	const char *name;               /* case-insensitive, as in ovs-ofctl */
	flow_parse_fn *parse;
};

struct flow_reserved_port {
	const char *name;               /* as printed; parsed in any case */
	uint32_t port;
	bool supported;                 /* usable as an output port today */
};

static const struct flow_reserved_port flow_reserved_ports[] = {
	{ "IN_PORT", NFV_OFPP_IN_PORT, true },
	{ "TABLE", NFV_OFPP_TABLE, false },
	{ "NORMAL", NFV_OFPP_NORMAL, false },
	{ "FLOOD", NFV_OFPP_FLOOD, true },
	{ "ALL", NFV_OFPP_ALL, true },
	{ "CONTROLLER", NFV_OFPP_CONTROLLER, false },
	{ "LOCAL", NFV_OFPP_LOCAL, false },
	{ "ANY", NFV_OFPP_ANY, false },
	{ "NONE", NFV_OFPP_ANY, false },
};

/* Match field names ovs-ofctl knows that nfvswitch does not parse yet. */
static const char *const flow_unsupported_fields[] = {
	"in_phy_port", "metadata", "tun_id", "tunnel_id", "out_port",
	"out_group", "dl_src", "eth_src", "dl_dst", "eth_dst", "dl_type",
	"eth_type", "dl_vlan", "vlan_vid", "dl_vlan_pcp", "vlan_pcp",
	"vlan_tci", "ip", "ipv6", "arp", "rarp", "icmp", "icmp6", "tcp",
	"tcp6", "udp", "udp6", "sctp", "sctp6", "nw_src", "ip_src", "nw_dst",
	"ip_dst", "nw_proto", "ip_proto", "nw_tos", "ip_dscp", "nw_ecn",
	"ip_ecn", "nw_ttl", "tp_src", "tp_dst", "tcp_src", "tcp_dst",
	"udp_src", "udp_dst", "sctp_src", "sctp_dst", "tcp_flags",
	"icmp_type", "icmp_code", "icmpv4_type", "icmpv4_code",
	"icmpv6_type", "icmpv6_code", "arp_op", "arp_spa", "arp_tpa",
	"arp_sha", "arp_tha", "ipv6_src", "ipv6_dst", "ipv6_label",
	"ipv6_exthdr", "nd_target", "nd_sll", "nd_tll", "mpls", "mpls_label",
	"mpls_tc", "mpls_bos", "pbb_isid",
};

/* Action names ovs-ofctl knows that nfvswitch does not parse yet. */
static const char *const flow_unsupported_actions[] = {
	"normal", "controller", "local", "enqueue", "set_queue", "group",
	"set_field", "load", "move", "mod_dl_src", "mod_dl_dst",
	"mod_nw_src", "mod_nw_dst", "mod_nw_tos", "mod_nw_ecn", "mod_nw_ttl",
	"mod_tp_src", "mod_tp_dst", "mod_vlan_vid", "mod_vlan_pcp",
	"strip_vlan", "push_vlan", "pop_vlan", "push_mpls", "pop_mpls",
	"set_mpls_label", "set_mpls_tc", "set_mpls_ttl", "dec_mpls_ttl",
	"dec_ttl", "copy_ttl_in", "copy_ttl_out", "set_tunnel",
	"goto_table", "write_metadata", "write_actions", "clear_actions",
	"meter", "resubmit", "learn", "note", "ct", "exit",
};

/* Text handling. */

static bool
flow_is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' ||
	       c == '\v' || c == '\f';
}

static bool
flow_slice_eq(struct flow_slice sl, const char *s)
{
	return strlen(s) == sl.len && !memcmp(sl.s, s, sl.len);
}

static bool
flow_slice_caseeq(struct flow_slice sl, const char *s)
{
	return strlen(s) == sl.len && !strncasecmp(sl.s, s, sl.len);
}

/* Length of 's' to quote in a message. */
static int
flow_qlen(struct flow_slice s)
{
	return s.len < FLOW_QUOTE_MAX ? (int)s.len : FLOW_QUOTE_MAX;
}

static bool
flow_name_in(struct flow_slice sl, const char *const *names, size_t n,
	     bool any_case)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (any_case ? flow_slice_caseeq(sl, names[i]) :
			       flow_slice_eq(sl, names[i]))
			return true;
	return false;
}

/* Writes "TOKEN: message" (or just the message when 'tok' is NULL) into the
 * parser's error buffer as one line. Returns -EINVAL. */
static int __attribute__((format(printf, 3, 4)))
flow_error(struct flow_parser *p, const struct flow_token *tok,
	   const char *fmt, ...)
{
	size_t n = 0;
	va_list ap;
	char *c;

	if (tok) {
		n = snprintf(p->err, NFV_FLOW_ERR_MAX, "%.*s%s: ",
			     flow_qlen(tok->text), tok->text.s,
			     tok->text.len > FLOW_QUOTE_MAX ? "..." : "");
		if (n >= NFV_FLOW_ERR_MAX)
			n = NFV_FLOW_ERR_MAX - 1;
	}
	va_start(ap, fmt);
	vsnprintf(p->err + n, NFV_FLOW_ERR_MAX - n, fmt, ap);
	va_end(ap);
	/* Quoted text may span lines inside parentheses. */
	for (c = p->err; *c; c++)
		if ((unsigned char)*c < 0x20 || *c == 0x7f)
			*c = ' ';
	return -EINVAL;
}

/* Parses all of 'v' as a decimal or "0x" hexadecimal number. Returns 0,
 * -EINVAL if 'v' is not a number, or -ERANGE if it needs over 64 bits. */
static int
flow_number(struct flow_slice v, uint64_t *out)
{
	unsigned int base = 10;
	bool overflow = false;
	uint64_t n = 0;
	size_t i = 0;

	if (v.len >= 2 && v.s[0] == '0' && (v.s[1] == 'x' || v.s[1] == 'X')) {
		base = 16;
		i = 2;
	}
	if (i == v.len)
		return -EINVAL;
	for (; i < v.len; i++) {
		char c = v.s[i];
		unsigned int d;

		if (c >= '0' && c <= '9')
			d = c - '0';
		else if (base == 16 && c >= 'a' && c <= 'f')
			d = c - 'a' + 10;
		else if (base == 16 && c >= 'A' && c <= 'F')
			d = c - 'A' + 10;
		else
			return -EINVAL;
		if (n > (UINT64_MAX - d) / base)
			overflow = true;
		n = n * base + d;
	}
	*out = n;
	return overflow ? -ERANGE : 0;
}

static int
flow_parse_uint(struct flow_parser *p, const struct flow_token *tok,
		struct flow_slice v, uint64_t max, uint64_t *out)
{
	int ret = flow_number(v, out);

	if (ret == -EINVAL)
		return flow_error(p, tok, "invalid number '%.*s'",
				  flow_qlen(v), v.s);
	if (ret < 0 || *out > max)
		return flow_error(p, tok, "value out of range 0..%" PRIu64,
				  max);
	return 0;
}

/* Resolves 'v' to a port: a number in 1..NFV_OFPP_MAX, a reserved port name
 * in any case when 'reserved', else a name through the by_name callback.
 * Returns 0, -ENOENT (error not set) if no port has that name, or -EINVAL
 * with the error set. */
static int
flow_lookup_port(struct flow_parser *p, const struct flow_token *tok,
		 struct flow_slice v, bool reserved, uint32_t *port)
{
	char name[NFV_PORT_NAME_MAX];
	uint64_t n;
	size_t i;
	int ret;

	ret = flow_number(v, &n);
	if (ret != -EINVAL) {
		if (ret < 0 || n < 1 || n > NFV_OFPP_MAX)
			return flow_error(p, tok,
					  "port number out of range 1..0x%" PRIx32,
					  (uint32_t)NFV_OFPP_MAX);
		*port = n;
		return 0;
	}
	for (i = 0; reserved && i < NFV_ARRAY_SIZE(flow_reserved_ports); i++) {
		const struct flow_reserved_port *r = &flow_reserved_ports[i];

		if (!flow_slice_caseeq(v, r->name))
			continue;
		if (!r->supported)
			return flow_error(p, tok,
					  "port '%.*s' is not supported yet",
					  flow_qlen(v), v.s);
		*port = r->port;
		return 0;
	}
	if (!p->by_name || v.len >= sizeof(name))
		return -ENOENT;
	memcpy(name, v.s, v.len);
	name[v.len] = '\0';
	ret = p->by_name(p->arg, name);
	if (ret <= 0 || (uint32_t)ret > NFV_OFPP_MAX)
		return -ENOENT;
	*port = ret;
	return 0;
}

static int
flow_parse_port(struct flow_parser *p, const struct flow_token *tok,
		struct flow_slice v, bool reserved, uint32_t *port)
{
	int ret = flow_lookup_port(p, tok, v, reserved, port);

	if (ret == -ENOENT)
		return flow_error(p, tok, "no such port '%.*s'",
				  flow_qlen(v), v.s);
	return ret;
}

/* Output buffer. */

static void
flow_out_init(struct flow_out *o, char *buf, size_t size,
	      nfv_port_name_fn *name_of, void *arg)
{
	o->buf = buf;
	o->size = size;
	o->len = 0;
	o->name_of = name_of;
	o->arg = arg;
	if (size)
		buf[0] = '\0';
}

static void __attribute__((format(printf, 2, 3)))
flow_out_printf(struct flow_out *o, const char *fmt, ...)
{
	size_t room = o->len < o->size ? o->size - o->len : 0;
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(room ? o->buf + o->len : NULL, room, fmt, ap);
	va_end(ap);
	if (n > 0)
		o->len += n;
}

/* Separates items with commas. */
static void
flow_out_sep(struct flow_out *o)
{
	if (o->len)
		flow_out_printf(o, ",");
}

static void
flow_out_port(struct flow_out *o, uint32_t port)
{
	const char *name = NULL;
	size_t i;

	for (i = 0; i < NFV_ARRAY_SIZE(flow_reserved_ports); i++) {
		if (flow_reserved_ports[i].port == port) {
			name = flow_reserved_ports[i].name;
			break;
		}
	}
	if (!name && o->name_of)
		name = o->name_of(o->arg, port);
	if (name)
		flow_out_printf(o, "%s", name);
	else
		flow_out_printf(o, "%" PRIu32, port);
}

static int
flow_out_len(const struct flow_out *o)
{
	return o->len < INT32_MAX ? (int)o->len : INT32_MAX;
}

/* Tokenizer. */

static void
flow_lexer_init(struct flow_lexer *lx, const char *what, const char *s,
		size_t len)
{
	memset(lx, 0, sizeof(*lx));
	lx->what = what;
	lx->pos = s;
	lx->end = s + len;
}

static const char *
flow_skip_space(const char *s, const char *end)
{
	while (s < end && flow_is_space(*s))
		s++;
	return s;
}

/* Finds the end of the token at 's': the first comma or white space outside
 * parentheses and brackets. Sets '*first_close' to the closing character of
 * the first group (NULL if none). Returns 0 or -EINVAL. */
static int
flow_scan_token(struct flow_parser *p, const char *s, const char *end,
		const char **token_end, const char **first_close)
{
	char closers[FLOW_MAX_DEPTH];
	unsigned int depth = 0;
	const char *e;

	*first_close = NULL;
	for (e = s; e < end; e++) {
		char c = *e;

		if (c == '(' || c == '[') {
			if (depth == FLOW_MAX_DEPTH) {
				struct flow_slice t = { s, e + 1 - s };

				return flow_error(p, NULL,
						  "nested too deeply: '%.*s'",
						  flow_qlen(t), s);
			}
			closers[depth++] = c == '(' ? ')' : ']';
		} else if (c == ')' || c == ']') {
			if (!depth || closers[depth - 1] != c) {
				struct flow_slice t = { s, e + 1 - s };

				return flow_error(p, NULL,
						  "unbalanced '%c' in '%.*s'",
						  c, flow_qlen(t), s);
			}
			if (--depth == 0 && !*first_close)
				*first_close = e;
		} else if (!depth && (c == ',' || flow_is_space(c))) {
			break;
		}
	}
	if (depth) {
		struct flow_slice t = { s, e - s };

		return flow_error(p, NULL, "unbalanced '%c' in '%.*s'",
				  closers[0] == ')' ? '(' : '[',
				  flow_qlen(t), s);
	}
	*token_end = e;
	return 0;
}

/* Reads the next token of the list into 'tok'. Tokens are separated by one
 * comma and/or white space; an empty token is an error. If the key is
 * 'rest_key' (may be NULL) followed by '=' or ':', the value is the rest of
 * the text, which is how ovs-ofctl reads "actions=". Returns 1 with a token,
 * 0 at the end of the list, or -EINVAL with the error set. */
static int
flow_lex_next(struct flow_parser *p, struct flow_lexer *lx,
	      const char *rest_key, struct flow_token *tok)
{
	const char *s = flow_skip_space(lx->pos, lx->end);
	const char *key_end, *e = NULL, *first_close = NULL;
	int ret;

	if (s < lx->end && *s == ',') {
		if (!lx->n_tokens)
			return flow_error(p, NULL, "empty %s at start",
					  lx->what);
		s = flow_skip_space(s + 1, lx->end);
		if (s == lx->end || *s == ',')
			return flow_error(p, NULL, "empty %s after '%.*s'",
					  lx->what, flow_qlen(lx->prev),
					  lx->prev.s);
	}
	if (s == lx->end) {
		lx->pos = s;
		return 0;
	}

	memset(tok, 0, sizeof(*tok));
	for (key_end = s; key_end < lx->end; key_end++)
		if (strchr("=:()[],", *key_end) || flow_is_space(*key_end))
			break;
	tok->key = (struct flow_slice){ s, key_end - s };

	if (rest_key && key_end < lx->end &&
	    (*key_end == '=' || *key_end == ':') &&
	    flow_slice_eq(tok->key, rest_key)) {
		e = lx->end;
		while (e > key_end + 1 && flow_is_space(e[-1]))
			e--;
		tok->value = (struct flow_slice){ key_end + 1,
						  e - key_end - 1 };
		goto out;
	}

	ret = flow_scan_token(p, s, lx->end, &e, &first_close);
	if (ret < 0)
		return ret;
	tok->text = (struct flow_slice){ s, e - s };
	if (key_end == s)
		return flow_error(p, NULL, "missing %s name in '%.*s'",
				  lx->what, flow_qlen(tok->text), s);
	if (key_end == e)
		goto out;
	switch (*key_end) {
	case '=':
	case ':':
		tok->value = (struct flow_slice){ key_end + 1,
						  e - key_end - 1 };
		break;
	case '(':
		if (first_close != e - 1)
			return flow_error(p, NULL,
					  "unexpected text after ')' in '%.*s'",
					  flow_qlen(tok->text), s);
		tok->value = (struct flow_slice){ key_end + 1,
						  e - key_end - 2 };
		break;
	default:
		return flow_error(p, NULL, "invalid %s name in '%.*s'",
				  lx->what, flow_qlen(tok->text), s);
	}

out:
	tok->text = (struct flow_slice){ s, e - s };
	lx->pos = e;
	lx->prev = tok->text;
	lx->n_tokens++;
	return 1;
}

/* Match fields and flow attributes. */

static int
flow_parse_table(struct flow_parser *p, const struct flow_token *tok)
{
	uint64_t v;
	int ret;

	ret = flow_parse_uint(p, tok, tok->value, NFV_N_TABLES - 1, &v);
	if (ret < 0)
		return ret;
	p->spec->table_id = v;
	p->spec->has_table = true;
	return 0;
}

static int
flow_parse_priority(struct flow_parser *p, const struct flow_token *tok)
{
	uint64_t v;
	int ret;

	ret = flow_parse_uint(p, tok, tok->value, UINT16_MAX, &v);
	if (ret < 0)
		return ret;
	p->spec->priority = v;
	p->spec->has_priority = true;
	return 0;
}

/* "cookie=V" sets the cookie of a new flow, or selects flows whose cookie
 * is V; "cookie=V/M" selects flows whose cookie matches V under mask M. */
static int
flow_parse_cookie(struct flow_parser *p, const struct flow_token *tok)
{
	struct flow_slice v = tok->value;
	const char *slash = memchr(v.s, '/', v.len);
	uint64_t cookie, mask = UINT64_MAX;
	int ret;

	if (slash) {
		struct flow_slice m = { slash + 1, v.s + v.len - slash - 1 };

		if (p->mode != NFV_FLOW_PARSE_MATCH)
			return flow_error(p, tok,
					  "cookie mask is only allowed when matching flows");
		ret = flow_parse_uint(p, tok, m, UINT64_MAX, &mask);
		if (ret < 0)
			return ret;
		v.len = slash - v.s;
	}
	ret = flow_parse_uint(p, tok, v, UINT64_MAX, &cookie);
	if (ret < 0)
		return ret;
	p->spec->cookie = cookie;
	if (p->mode == NFV_FLOW_PARSE_MATCH)
		p->spec->cookie_mask = mask;
	return 0;
}

static int
flow_parse_idle_timeout(struct flow_parser *p, const struct flow_token *tok)
{
	uint64_t v;
	int ret;

	ret = flow_parse_uint(p, tok, tok->value, UINT16_MAX, &v);
	if (ret < 0)
		return ret;
	p->spec->idle_timeout = v;
	return 0;
}

static int
flow_parse_hard_timeout(struct flow_parser *p, const struct flow_token *tok)
{
	uint64_t v;
	int ret;

	ret = flow_parse_uint(p, tok, tok->value, UINT16_MAX, &v);
	if (ret < 0)
		return ret;
	p->spec->hard_timeout = v;
	return 0;
}

static int
flow_parse_in_port(struct flow_parser *p, const struct flow_token *tok)
{
	uint32_t port;
	int ret;

	ret = flow_parse_port(p, tok, tok->value, false, &port);
	if (ret < 0)
		return ret;
	p->spec->match.key.in_port = port;
	p->spec->match.mask.in_port = UINT32_MAX;
	return 0;
}

static void
flow_format_in_port(const struct nfv_flow_spec *spec, struct flow_out *o)
{
	if (!spec->match.mask.in_port)
		return;
	flow_out_sep(o);
	flow_out_printf(o, "in_port=");
	flow_out_port(o, spec->match.key.in_port);
}

/* In the order nfv_flow_format_match() prints them. */
static const struct flow_field flow_fields[] = {
	{ "table", flow_parse_table, NULL },
	{ "priority", flow_parse_priority, NULL },
	{ "cookie", flow_parse_cookie, NULL },
	{ "idle_timeout", flow_parse_idle_timeout, NULL },
	{ "hard_timeout", flow_parse_hard_timeout, NULL },
	{ "in_port", flow_parse_in_port, flow_format_in_port },
};

_Static_assert(NFV_ARRAY_SIZE(flow_fields) <= 64,
	       "flow_parser.seen has one bit per field");

static int
flow_parse_field(struct flow_parser *p, const struct flow_token *tok)
{
	size_t i;

	for (i = 0; i < NFV_ARRAY_SIZE(flow_fields); i++)
		if (flow_slice_eq(tok->key, flow_fields[i].name))
			break;
	if (i == NFV_ARRAY_SIZE(flow_fields)) {
		if (flow_name_in(tok->key, flow_unsupported_fields,
				 NFV_ARRAY_SIZE(flow_unsupported_fields),
				 false))
			return flow_error(p, NULL,
					  "field '%.*s' is not supported yet",
					  flow_qlen(tok->key), tok->key.s);
		return flow_error(p, NULL, "unknown field '%.*s'",
				  flow_qlen(tok->key), tok->key.s);
	}
	if (p->seen & (UINT64_C(1) << i))
		return flow_error(p, NULL, "field '%s' given twice",
				  flow_fields[i].name);
	p->seen |= UINT64_C(1) << i;
	if (!tok->value.len)
		return flow_error(p, tok, "missing value");
	return flow_fields[i].parse(p, tok);
}

/* Actions. */

static int
flow_add_output(struct flow_parser *p, const struct flow_token *tok,
		uint32_t port)
{
	struct nfv_flow_spec *spec = p->spec;
	struct nfv_action *a;

	if (spec->n_actions == NFV_FLOW_MAX_ACTIONS)
		return flow_error(p, tok, "too many actions (at most %d)",
				  NFV_FLOW_MAX_ACTIONS);
	a = &spec->actions[spec->n_actions++];
	a->type = NFV_ACT_OUTPUT;
	a->arg.port = port;
	return 0;
}

static int
flow_parse_output(struct flow_parser *p, const struct flow_token *tok)
{
	uint32_t port;
	int ret;

	if (!tok->value.len)
		return flow_error(p, tok, "missing port");
	ret = flow_parse_port(p, tok, tok->value, true, &port);
	if (ret < 0)
		return ret;
	return flow_add_output(p, tok, port);
}

static int
flow_parse_drop(struct flow_parser *p, const struct flow_token *tok)
{
	if (tok->value.s)
		return flow_error(p, tok, "unexpected argument");
	p->drop = true;
	return 0;
}

/* A bare port ("2", "p1", "IN_PORT") outputs to that port. */
static int
flow_parse_port_action(struct flow_parser *p, const struct flow_token *tok)
{
	uint32_t port;
	int ret;

	ret = flow_lookup_port(p, tok, tok->key, true, &port);
	if (ret == -ENOENT)
		return flow_error(p, NULL, "unknown action '%.*s'",
				  flow_qlen(tok->key), tok->key.s);
	if (ret < 0)
		return ret;
	if (tok->value.s)
		return flow_error(p, tok, "unexpected argument");
	return flow_add_output(p, tok, port);
}

static const struct flow_action flow_actions[] = {
	{ "drop", flow_parse_drop },
	{ "output", flow_parse_output },
};

static int
flow_parse_action(struct flow_parser *p, const struct flow_token *tok)
{
	size_t i;

	for (i = 0; i < NFV_ARRAY_SIZE(flow_actions); i++)
		if (flow_slice_caseeq(tok->key, flow_actions[i].name))
			return flow_actions[i].parse(p, tok);
	if (flow_name_in(tok->key, flow_unsupported_actions,
			 NFV_ARRAY_SIZE(flow_unsupported_actions), true))
		return flow_error(p, NULL, "action '%.*s' is not supported yet",
				  flow_qlen(tok->key), tok->key.s);
	return flow_parse_port_action(p, tok);
}

/* The "actions=" field: the value is the whole action list. */
static int
flow_parse_actions(struct flow_parser *p, const struct flow_token *tok)
{
	struct flow_lexer lx;
	struct flow_token act;
	int ret;

	if (p->mode != NFV_FLOW_PARSE_ADD)
		return flow_error(p, NULL,
				  "actions are not allowed when matching flows");
	if (p->spec->has_actions)
		return flow_error(p, NULL, "field 'actions' given twice");
	p->spec->has_actions = true;

	flow_lexer_init(&lx, "action", tok->value.s ? tok->value.s : "",
			tok->value.len);
	while ((ret = flow_lex_next(p, &lx, NULL, &act)) > 0) {
		ret = flow_parse_action(p, &act);
		if (ret < 0)
			return ret;
	}
	if (ret < 0)
		return ret;
	if (!lx.n_tokens)
		return flow_error(p, tok,
				  "empty action list; use actions=drop to drop packets");
	if (p->drop && lx.n_tokens > 1)
		return flow_error(p, NULL,
				  "'drop' must not be combined with other actions");
	return 0;
}

int
nfv_flow_parse(const char *text, enum nfv_flow_parse_mode mode,
	       nfv_port_by_name_fn *by_name, void *arg,
	       struct nfv_flow_spec *spec, char *err)
{
	char scratch[NFV_FLOW_ERR_MAX];
	struct flow_parser p = {
		.mode = mode,
		.by_name = by_name,
		.arg = arg,
		.spec = spec,
		.err = err ? err : scratch,
	};
	struct flow_lexer lx;
	struct flow_token tok;
	int ret;

	memset(spec, 0, sizeof(*spec));
	spec->priority = FLOW_DEFAULT_PRIORITY;
	p.err[0] = '\0';
	if (!text)
		return flow_error(&p, NULL, "no flow given");

	flow_lexer_init(&lx, "field", text, strlen(text));
	while ((ret = flow_lex_next(&p, &lx, "actions", &tok)) > 0) {
		if (flow_slice_eq(tok.key, "actions"))
			ret = flow_parse_actions(&p, &tok);
		else
			ret = flow_parse_field(&p, &tok);
		if (ret < 0)
			return ret;
	}
	if (ret < 0)
		return ret;
	if (mode == NFV_FLOW_PARSE_ADD && !spec->has_actions)
		return flow_error(&p, NULL, "missing actions=");
	return 0;
}

/* Formatting. */

int
nfv_flow_format_match(const struct nfv_flow_spec *spec,
		      nfv_port_name_fn *name_of, void *arg,
		      char *buf, size_t size)
{
	struct flow_out o;
	size_t i;

	flow_out_init(&o, buf, size, name_of, arg);
	if (spec->priority != FLOW_DEFAULT_PRIORITY)
		flow_out_printf(&o, "priority=%u", spec->priority);
	for (i = 0; i < NFV_ARRAY_SIZE(flow_fields); i++)
		if (flow_fields[i].format)
			flow_fields[i].format(spec, &o);
	return flow_out_len(&o);
}

int
nfv_flow_format_actions(const struct nfv_flow_spec *spec,
			nfv_port_name_fn *name_of, void *arg,
			char *buf, size_t size)
{
	struct flow_out o;
	unsigned int i;

	flow_out_init(&o, buf, size, name_of, arg);
	if (!spec->n_actions)
		flow_out_printf(&o, "drop");
	for (i = 0; i < spec->n_actions; i++) {
		const struct nfv_action *a = &spec->actions[i];

		flow_out_sep(&o);
		switch (a->type) {
		case NFV_ACT_OUTPUT:
			/* ovs-ofctl prints reserved ports bare: "IN_PORT". */
			if (a->arg.port <= NFV_OFPP_MAX)
				flow_out_printf(&o, "output:");
			flow_out_port(&o, a->arg.port);
			break;
		default:
			break;
		}
	}
	return flow_out_len(&o);
}

/* Comparisons. */

_Static_assert(sizeof(struct nfv_flow_key) % sizeof(uint32_t) == 0,
	       "flow keys are compared as 32-bit words");

static uint32_t
flow_key_word(const struct nfv_flow_key *key, size_t i)
{
	uint32_t w;

	memcpy(&w, (const char *)key + i * sizeof(w), sizeof(w));
	return w;
}

bool
nfv_flow_filter_selects(const struct nfv_flow_spec *filter,
			const struct nfv_flow_spec *rule)
{
	const struct nfv_match *f = &filter->match;
	const struct nfv_match *r = &rule->match;
	size_t i;

	if (filter->has_table && filter->table_id != rule->table_id)
		return false;
	if ((filter->cookie ^ rule->cookie) & filter->cookie_mask)
		return false;
	for (i = 0; i < sizeof(struct nfv_flow_key) / sizeof(uint32_t); i++) {
		uint32_t fm = flow_key_word(&f->mask, i);

		if ((flow_key_word(&r->mask, i) & fm) != fm)
			return false;
		if ((flow_key_word(&r->key, i) ^ flow_key_word(&f->key, i)) &
		    fm)
			return false;
	}
	return true;
}

bool
nfv_flow_same_match(const struct nfv_flow_spec *a,
		    const struct nfv_flow_spec *b)
{
	return a->table_id == b->table_id && a->priority == b->priority &&
	       !memcmp(&a->match, &b->match, sizeof(a->match));
}
