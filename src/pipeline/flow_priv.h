/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Shared only by flow_parse.c and flow_format.c: the names of the ovs-ofctl
 * flow syntax that the parser and the formatter must agree on (reserved
 * ports, shorthands such as "tcp", flow flags, TCP flags, ip_frag words),
 * the legacy names the formatter prints, and small helpers over field values
 * (union nfv_field_value) of the integer fields, whose tables are defined
 * in flow_format.c; then the parser's own types and the functions its
 * three files share.
 */
#ifndef NFV_FLOW_PRIV_H
#define NFV_FLOW_PRIV_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <strings.h>

#include "flow.h"

/* Reserved ports by name ("IN_PORT"), as printed; parsed in any case. */
struct nfv_flow_port_name {
	const char *name;
	uint32_t port;
	const char *no_output;  /* why it cannot be an output, or NULL */
};

extern const struct nfv_flow_port_name nfv_flow_port_names[];
extern const size_t nfv_flow_n_port_names;

/* "tcp" means eth_type=0x0800,ip_proto=6. */
struct nfv_flow_shorthand {
	const char *name;
	uint16_t eth_type;
	int16_t ip_proto;       /* -1: none */
};

extern const struct nfv_flow_shorthand nfv_flow_shorthands[];
extern const size_t nfv_flow_n_shorthands;

/* A named bit: flow flags (NFV_FF_*) and TCP flags ("syn"). */
struct nfv_flow_bit_name {
	const char *name;
	uint32_t bit;
};

extern const struct nfv_flow_bit_name nfv_flow_flag_names[];
extern const size_t nfv_flow_n_flag_names;
extern const struct nfv_flow_bit_name nfv_flow_tcp_flag_names[];
extern const size_t nfv_flow_n_tcp_flag_names;

#define NFV_FLOW_TCP_FLAGS_NAMED 0x1ff  /* bits that have a name */

/* ovs-ofctl's ip_frag words and the NFV_FRAG_* value/mask each means. */
struct nfv_flow_frag_name {
	const char *name;
	uint8_t value;
	uint8_t mask;
};

extern const struct nfv_flow_frag_name nfv_flow_frag_names[];
extern const size_t nfv_flow_n_frag_names;

/* The storage bits of 'f' (its storage_mask, or every bit of storage
 * narrower than 8 bytes; all ones for MACs and IPv6 addresses). */
static inline uint64_t
nfv_flow_field_bits(const struct nfv_field *f)
{
	if (f->storage_mask)
		return f->storage_mask;
	if (f->n_bytes >= 8)
		return UINT64_MAX;
	return (UINT64_C(1) << (8 * f->n_bytes)) - 1;
}

/* True if 'f' and 'g' use some of the same bits of the key (the same field,
 * or e.g. tcp_src and icmp_type; not vlan_vid and vlan_pcp). */
static inline bool
nfv_flow_fields_share(const struct nfv_field *f, const struct nfv_field *g)
{
	return f->offset == g->offset &&
	       (nfv_flow_field_bits(f) & nfv_flow_field_bits(g)) != 0;
}

/* The largest value of an integer field 'f'. */
static inline uint64_t
nfv_flow_field_max(const struct nfv_field *f)
{
	return f->n_bits >= 64 ? UINT64_MAX : (UINT64_C(1) << f->n_bits) - 1;
}

/* The value 'v' of an integer field (at most 8 bytes) as a number. */
static inline uint64_t
nfv_flow_value_u64(const struct nfv_field *f, const union nfv_field_value *v)
{
	unsigned int len = nfv_field_value_len(f);
	uint64_t x = 0;

	for (unsigned int i = 0; i < len && i < 8; i++)
		x = x << 8 | v->u8[i];
	return x;
}

static inline void
nfv_flow_value_from_u64(const struct nfv_field *f, union nfv_field_value *v,
			uint64_t x)
{
	unsigned int len = nfv_field_value_len(f);

	memset(v, 0, sizeof(*v));
	for (int i = (len < 8 ? len : 8) - 1; i >= 0; i--) {
		v->u8[i] = x & 0xff;
		x >>= 8;
	}
}

/* The mask that matches every bit of 'f' (what nfv_match_set() uses for an
 * exact match). */
static inline void
nfv_flow_full_mask(const struct nfv_field *f, union nfv_field_value *mask)
{
	unsigned int len = nfv_field_value_len(f);
	unsigned int spare = 8 * len - f->n_bits;

	memset(mask, 0, sizeof(*mask));
	memset(mask->u8, 0xff, len);
	if (spare)
		mask->u8[0] = 0xff >> spare;
}

static inline bool
nfv_flow_mask_is_full(const struct nfv_field *f,
		      const union nfv_field_value *mask)
{
	union nfv_field_value full;

	nfv_flow_full_mask(f, &full);
	return !memcmp(full.u8, mask->u8, nfv_field_value_len(f));
}

/* Reads field 'id' of 'm' as a number if it is matched exactly; else
 * returns false. */
static inline bool
nfv_flow_match_exact(const struct nfv_match *m, enum nfv_field_id id,
		     uint64_t *value)
{
	const struct nfv_field *f = &nfv_fields[id];
	union nfv_field_value v, mask;

	if (!nfv_match_get(m, f, &v, &mask) || !nfv_flow_mask_is_full(f, &mask))
		return false;
	*value = nfv_flow_value_u64(f, &v);
	return true;
}

/* The TCP, UDP or SCTP port field ('dst': destination) that ovs-ofctl's
 * tp_src / tp_dst and mod_tp_src / mod_tp_dst mean in 'm', by its
 * ip_proto; NULL if 'm' does not match one of them. */
static inline const struct nfv_field *
nfv_flow_l4_port_field(const struct nfv_match *m, bool dst)
{
	static const struct {
		uint8_t ip_proto;
		enum nfv_field_id src, dst;
	} l4[] = {
		{ 6, NFV_F_TCP_SRC, NFV_F_TCP_DST },
		{ 17, NFV_F_UDP_SRC, NFV_F_UDP_DST },
		{ 132, NFV_F_SCTP_SRC, NFV_F_SCTP_DST },
	};
	uint64_t proto;

	if (!nfv_flow_match_exact(m, NFV_F_IP_PROTO, &proto))
		return NULL;
	for (size_t i = 0; i < sizeof(l4) / sizeof(l4[0]); i++)
		if (l4[i].ip_proto == proto)
			return &nfv_fields[dst ? l4[i].dst : l4[i].src];
	return NULL;
}

/* The parser's internals, shared by flow_lex.c (tokens, values, messages),
 * flow_parse.c (the match) and flow_parse_actions.c (the instructions). */

#define NFV_FLOW_QUOTE_MAX 64           /* longest quote in a message */
#define NFV_FLOW_ETH_TYPE_IPV6 0x86dd

/* A piece of the parsed text; not NUL-terminated. */
struct flow_slice {
	const char *s;
	size_t len;
};

struct flow_token {
	struct flow_slice text;         /* the whole token, for messages */
	struct flow_slice key;
	struct flow_slice value;        /* .s is NULL for a bare word */
	char sep;                       /* '=', ':' or '(' before the value */
};

struct flow_lexer {
	const char *what;               /* "field" or "action", for messages */
	const char *pos;                /* next character to read */
	const char *end;
	struct flow_slice prev;         /* last token read */
	unsigned int n_tokens;
};

/* Legacy fields whose field is known only once the whole match is read. */
enum flow_deferred {
	FLOW_DEFER_TP_SRC,              /* tcp_src, udp_src or sctp_src */
	FLOW_DEFER_TP_DST,
	FLOW_DEFER_ICMP_TYPE,           /* icmp_type or icmpv6_type */
	FLOW_DEFER_ICMP_CODE,
	FLOW_N_DEFERRED
};

/* The instructions in the order OpenFlow 1.3 (and ovs-ofctl) lists them;
 * the action list must follow it. */
enum flow_stage {
	FLOW_STAGE_APPLY,               /* plain actions: apply-actions */
	FLOW_STAGE_CLEAR,
	FLOW_STAGE_WRITE,
	FLOW_STAGE_METADATA,
	FLOW_STAGE_GOTO,
};

/* The state of one nfv_flow_parse() call. */
struct flow_parser {
	enum nfv_flow_parse_mode mode;
	nfv_port_by_name_fn *by_name;
	void *arg;
	struct nfv_flow_spec *spec;
	char *err;                      /* NFV_FLOW_ERR_MAX bytes */
	uint32_t seen_attrs;            /* bit i: flow_attrs[i] was given */
	uint32_t seen_flags;            /* NFV_FF_* named so far */
	/* Match fields: who set each one, in which order. */
	bool field_set[NFV_F_N];
	bool field_given[NFV_F_N];      /* by a field, not a shorthand */
	struct flow_slice field_name[NFV_F_N]; /* as written: "nw_src" */
	enum nfv_field_id field_order[NFV_F_N];
	unsigned int n_fields;
	bool deferred_set[FLOW_N_DEFERRED];
	struct flow_token deferred[FLOW_N_DEFERRED];
	bool has_actions_tok;
	struct flow_token actions_tok;
	/* Actions. */
	bool actions_only;              /* a bare action list: no match to
					 * check, no instructions */
	struct nfv_match state;         /* the match as the actions so far
					 * leave the packet (VLAN tags) */
	enum flow_stage stage;
	bool drop;                      /* the action list said "drop" */
};

enum flow_port_use {
	FLOW_PORT_MATCH,                /* in_port: a switch port */
	FLOW_PORT_OUTPUT,               /* output: or a reserved port that can
					 * take packets */
	FLOW_PORT_FILTER,               /* out_port: any port */
};

static inline struct flow_slice
flow_slice_of(const char *s)
{
	return (struct flow_slice){ s, strlen(s) };
}

static inline bool
flow_slice_eq(struct flow_slice sl, const char *s)
{
	return strlen(s) == sl.len && !memcmp(sl.s, s, sl.len);
}

static inline bool
flow_slice_caseeq(struct flow_slice sl, const char *s)
{
	return strlen(s) == sl.len && !strncasecmp(sl.s, s, sl.len);
}

static inline bool
flow_slices_eq(struct flow_slice a, struct flow_slice b)
{
	return a.len == b.len && !memcmp(a.s, b.s, a.len);
}

/* Splits 'sl' at the first 'sep': '*left' is before it, '*right' after
 * it. Returns false if 'sep' does not occur. */
static inline bool
flow_slice_split(struct flow_slice sl, const char *sep,
		 struct flow_slice *left, struct flow_slice *right)
{
	size_t sep_len = strlen(sep);

	for (size_t i = 0; i + sep_len <= sl.len; i++) {
		if (memcmp(sl.s + i, sep, sep_len))
			continue;
		*left = (struct flow_slice){ sl.s, i };
		*right = (struct flow_slice){ sl.s + i + sep_len,
					      sl.len - i - sep_len };
		return true;
	}
	return false;
}

/* Copies 'sl' into 'buf' of 'size' bytes as a C string. Returns false if
 * it does not fit. */
static inline bool
flow_slice_cstr(struct flow_slice sl, char *buf, size_t size)
{
	if (sl.len >= size)
		return false;
	memcpy(buf, sl.s, sl.len);
	buf[sl.len] = '\0';
	return true;
}

/* Length of 's' to quote in a message. */
static inline int
flow_qlen(struct flow_slice s)
{
	return s.len < NFV_FLOW_QUOTE_MAX ? (int)s.len : NFV_FLOW_QUOTE_MAX;
}

static inline bool
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
int nfv_flow_error(struct flow_parser *p, const struct flow_token *tok,
		   const char *fmt, ...) __attribute__((format(printf, 3, 4)));

/* "field 'tcp_dst' needs ip_proto=6 (add 'tcp')" ('field' NULL: "needs
 * ..."), with the IPv6 hint when 'm' is IPv6. Returns -EINVAL. */
int nfv_flow_prereq_error(struct flow_parser *p, const struct flow_token *tok,
			  const struct flow_slice *field,
			  enum nfv_prereq prereq, const struct nfv_match *m);

/* Tokens of the list 'len' chars at 's'; 'what' ("field", "action") names
 * them in messages. */
void nfv_flow_lexer_init(struct flow_lexer *lx, const char *what,
			 const char *s, size_t len);

/* Reads the next token into 'tok'. If its key is 'rest_key' (may be NULL)
 * followed by '=' or ':', the value is the rest of the text. Returns 1 with
 * a token, 0 at the end of the list, or -EINVAL with the error set. */
int nfv_flow_lex_next(struct flow_parser *p, struct flow_lexer *lx,
		      const char *rest_key, struct flow_token *tok);

/* A decimal or 0x number in 0..'max'. Returns 0 or -EINVAL (error set). */
int nfv_flow_parse_uint(struct flow_parser *p, const struct flow_token *tok,
			struct flow_slice v, uint64_t max, uint64_t *out);

/* A port number or name; reserved names as 'use' allows. Returns 0,
 * -ENOENT (error not set) if there is no such port, or -EINVAL. */
int nfv_flow_lookup_port(struct flow_parser *p, const struct flow_token *tok,
			 struct flow_slice v, enum flow_port_use use,
			 uint32_t *port);

/* As nfv_flow_lookup_port(), with "no such port" for -ENOENT. */
int nfv_flow_parse_port(struct flow_parser *p, const struct flow_token *tok,
			struct flow_slice v, enum flow_port_use use,
			uint32_t *port);

/* A value (or mask: 'what' says which, for messages) of field 'f' in its
 * format. Returns 0 or -EINVAL (error set). */
int nfv_flow_parse_value(struct flow_parser *p, const struct flow_token *tok,
			 const struct nfv_field *f, struct flow_slice text,
			 const char *what, union nfv_field_value *v);

/* "VALUE[/MASK]" of field 'f' as the token's key names it: prefix lengths
 * for addresses, ip_frag and tcp_flags words. Returns 0 or -EINVAL. */
int nfv_flow_parse_masked(struct flow_parser *p, const struct flow_token *tok,
			  const struct nfv_field *f, struct flow_slice text,
			  union nfv_field_value *v,
			  union nfv_field_value *mask);

/* The entry of 'names' (of 'n') called 'name', or NULL. */
const struct nfv_flow_bit_name *
nfv_flow_bit_by_name(const struct nfv_flow_bit_name *names, size_t n,
		     struct flow_slice name);

/* Parses the "actions=" token (the value is the whole list) into the
 * instructions of the spec, against its complete match. Returns 0 or
 * -EINVAL (error set). */
int nfv_flow_parse_actions(struct flow_parser *p,
			   const struct flow_token *tok);

#endif /* NFV_FLOW_PRIV_H */
