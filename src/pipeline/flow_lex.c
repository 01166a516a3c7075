/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The lexical layer of the ovs-ofctl flow syntax parser (see flow.h and
 * flow_priv.h): a small tokenizer that splits the text into "key",
 * "key=value", "key:value" or "key(value)" tokens at commas and white space
 * outside parentheses and brackets; the syntax of values (numbers, ports,
 * MAC, IPv4 and IPv6 addresses, masks and prefix lengths, ip_frag and
 * tcp_flags words) by the formats of the field table; and one-line error
 * messages that quote the offending token. flow_parse.c and
 * flow_parse_actions.c build on it. Pure code: no DPDK, no threads, no
 * allocation.
 */

#include <arpa/inet.h>
#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "flow.h"
#include "flow_priv.h"

#define FLOW_MAX_DEPTH 16               /* () and [] nesting in one token */

/* What each prerequisite needs, for "field 'tcp_dst' needs ip_proto=6
 * (add 'tcp')". Indexed by enum nfv_prereq. */
static const struct {
	const char *needs;
	const char *add;
	const char *add6;               /* when the match is IPv6 */
} flow_prereq_texts[] = {
	[NFV_PRQ_NONE] = { "nothing", "", NULL },
	[NFV_PRQ_VLAN] = { "a VLAN tag",
			   "add 'dl_vlan=N' or 'vlan_vid=0x1000/0x1000'",
			   NULL },
	[NFV_PRQ_IP] = { "eth_type=0x0800 or 0x86dd", "add 'ip' or 'ipv6'",
			 NULL },
	[NFV_PRQ_IPV4] = { "eth_type=0x0800", "add 'ip'", NULL },
	[NFV_PRQ_IPV6] = { "eth_type=0x86dd", "add 'ipv6'", NULL },
	[NFV_PRQ_ARP] = { "eth_type=0x0806", "add 'arp'", NULL },
	[NFV_PRQ_TCP] = { "ip_proto=6", "add 'tcp'", "add 'tcp6'" },
	[NFV_PRQ_UDP] = { "ip_proto=17", "add 'udp'", "add 'udp6'" },
	[NFV_PRQ_SCTP] = { "ip_proto=132", "add 'sctp'", "add 'sctp6'" },
	[NFV_PRQ_ICMPV4] = { "eth_type=0x0800 and ip_proto=1", "add 'icmp'",
			     NULL },
	[NFV_PRQ_ICMPV6] = { "eth_type=0x86dd and ip_proto=58",
			     "add 'icmp6'", NULL },
	[NFV_PRQ_ND] = { "icmpv6_type=135 or 136",
			 "add 'icmp6,icmp_type=135' or 'icmp6,icmp_type=136'",
			 NULL },
	[NFV_PRQ_ND_NS] = { "icmpv6_type=135", "add 'icmp6,icmp_type=135'",
			    NULL },
	[NFV_PRQ_ND_NA] = { "icmpv6_type=136", "add 'icmp6,icmp_type=136'",
			    NULL },
};

_Static_assert(NFV_ARRAY_SIZE(flow_prereq_texts) == NFV_PRQ_ND_NA + 1,
	       "a text for every prerequisite");

/* Text handling. */

static bool
flow_is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' ||
	       c == '\v' || c == '\f';
}

/* Writes "TOKEN: message" (or just the message when 'tok' is NULL) into the
 * parser's error buffer as one line. Returns -EINVAL. */
int
nfv_flow_error(struct flow_parser *p, const struct flow_token *tok,
	       const char *fmt, ...)
{
	size_t n = 0;
	va_list ap;
	char *c;

	if (tok) {
		n = snprintf(p->err, NFV_FLOW_ERR_MAX, "%.*s%s: ",
			     flow_qlen(tok->text), tok->text.s,
			     tok->text.len > NFV_FLOW_QUOTE_MAX ? "..." : "");
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

int
nfv_flow_prereq_error(struct flow_parser *p, const struct flow_token *tok,
		      const struct flow_slice *field, enum nfv_prereq prereq,
		      const struct nfv_match *m)
{
	uint64_t eth_type;
	const char *add = flow_prereq_texts[prereq].add;

	if (flow_prereq_texts[prereq].add6 &&
	    nfv_flow_match_exact(m, NFV_F_ETH_TYPE, &eth_type) &&
	    eth_type == NFV_FLOW_ETH_TYPE_IPV6)
		add = flow_prereq_texts[prereq].add6;
	if (!field)
		return nfv_flow_error(p, tok, "needs %s (%s)",
				      flow_prereq_texts[prereq].needs, add);
	return nfv_flow_error(p, tok, "field '%.*s' needs %s (%s)",
			      flow_qlen(*field), field->s,
			      flow_prereq_texts[prereq].needs, add);
}

/* Numbers and ports. */

int
nfv_parse_number(const char *s, size_t len, uint64_t *out)
{
	unsigned int base = 10;
	bool overflow = false;
	uint64_t n = 0;
	size_t i = 0;

	if (len >= 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
		base = 16;
		i = 2;
	}
	if (i == len)
		return -EINVAL;
	for (; i < len; i++) {
		char c = s[i];
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
flow_number(struct flow_slice v, uint64_t *out)
{
	return nfv_parse_number(v.s, v.len, out);
}

int
nfv_flow_parse_uint(struct flow_parser *p, const struct flow_token *tok,
		    struct flow_slice v, uint64_t max, uint64_t *out)
{
	int ret = flow_number(v, out);

	if (ret == -EINVAL)
		return nfv_flow_error(p, tok, "invalid number '%.*s'",
				      flow_qlen(v), v.s);
	if (ret < 0 || *out > max)
		return nfv_flow_error(p, tok, "value out of range 0..%" PRIu64,
				      max);
	return 0;
}

/* Resolves 'v' to a port: a number in 1..NFV_OFPP_MAX, a reserved port name
 * in any case (unless 'use' is FLOW_PORT_MATCH), else a name through the
 * by_name callback. Returns 0, -ENOENT (error not set) if no port has that
 * name, or -EINVAL with the error set. */
int
nfv_flow_lookup_port(struct flow_parser *p, const struct flow_token *tok,
		     struct flow_slice v, enum flow_port_use use,
		     uint32_t *port)
{
	char name[NFV_PORT_NAME_MAX];
	uint64_t n;
	size_t i;
	int ret;

	ret = flow_number(v, &n);
	if (ret != -EINVAL) {
		if (ret < 0 || n < 1 || n > NFV_OFPP_MAX)
			return nfv_flow_error(p, tok,
					      "port number out of range 1..0x%" PRIx32,
					      (uint32_t)NFV_OFPP_MAX);
		*port = n;
		return 0;
	}
	for (i = 0; use != FLOW_PORT_MATCH && i < nfv_flow_n_port_names;
	     i++) {
		const struct nfv_flow_port_name *r = &nfv_flow_port_names[i];

		if (!flow_slice_caseeq(v, r->name))
			continue;
		if (use == FLOW_PORT_OUTPUT && r->no_output)
			return nfv_flow_error(p, tok, "port '%.*s' %s",
					      flow_qlen(v), v.s, r->no_output);
		*port = r->port;
		return 0;
	}
	if (!p->by_name || !flow_slice_cstr(v, name, sizeof(name)))
		return -ENOENT;
	ret = p->by_name(p->arg, name);
	if (ret <= 0 || (uint32_t)ret > NFV_OFPP_MAX)
		return -ENOENT;
	*port = ret;
	return 0;
}

int
nfv_flow_parse_port(struct flow_parser *p, const struct flow_token *tok,
		    struct flow_slice v, enum flow_port_use use, uint32_t *port)
{
	int ret = nfv_flow_lookup_port(p, tok, v, use, port);

	if (ret == -ENOENT)
		return nfv_flow_error(p, tok, "no such port '%.*s'",
				      flow_qlen(v), v.s);
	return ret;
}

/* Tokenizer. */

void
nfv_flow_lexer_init(struct flow_lexer *lx, const char *what, const char *s,
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

				return nfv_flow_error(p, NULL,
						      "nested too deeply: '%.*s'",
						      flow_qlen(t), s);
			}
			closers[depth++] = c == '(' ? ')' : ']';
		} else if (c == ')' || c == ']') {
			if (!depth || closers[depth - 1] != c) {
				struct flow_slice t = { s, e + 1 - s };

				return nfv_flow_error(p, NULL,
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

		return nfv_flow_error(p, NULL, "unbalanced '%c' in '%.*s'",
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
int
nfv_flow_lex_next(struct flow_parser *p, struct flow_lexer *lx,
		  const char *rest_key, struct flow_token *tok)
{
	const char *s = flow_skip_space(lx->pos, lx->end);
	const char *key_end, *e = NULL, *first_close = NULL;
	int ret;

	if (s < lx->end && *s == ',') {
		if (!lx->n_tokens)
			return nfv_flow_error(p, NULL, "empty %s at start",
					      lx->what);
		s = flow_skip_space(s + 1, lx->end);
		if (s == lx->end || *s == ',')
			return nfv_flow_error(p, NULL, "empty %s after '%.*s'",
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
		tok->sep = *key_end;
		tok->value = (struct flow_slice){ key_end + 1,
						  e - key_end - 1 };
		goto out;
	}

	ret = flow_scan_token(p, s, lx->end, &e, &first_close);
	if (ret < 0)
		return ret;
	tok->text = (struct flow_slice){ s, e - s };
	if (key_end == s)
		return nfv_flow_error(p, NULL, "missing %s name in '%.*s'",
				      lx->what, flow_qlen(tok->text), s);
	if (key_end == e)
		goto out;
	tok->sep = *key_end;
	switch (*key_end) {
	case '=':
	case ':':
		tok->value = (struct flow_slice){ key_end + 1,
						  e - key_end - 1 };
		break;
	case '(':
		if (first_close != e - 1)
			return nfv_flow_error(p, NULL,
					      "unexpected text after ')' in '%.*s'",
					      flow_qlen(tok->text), s);
		tok->value = (struct flow_slice){ key_end + 1,
						  e - key_end - 2 };
		break;
	default:
		return nfv_flow_error(p, NULL, "invalid %s name in '%.*s'",
				      lx->what, flow_qlen(tok->text), s);
	}

out:
	tok->text = (struct flow_slice){ s, e - s };
	lx->pos = e;
	lx->prev = tok->text;
	lx->n_tokens++;
	return 1;
}

/* Field values. */

/* "aa:bb:cc:dd:ee:ff" (one or two hex digits per byte). */
static bool
flow_mac(struct flow_slice v, uint8_t mac[6])
{
	size_t i = 0;

	for (unsigned int b = 0; b < 6; b++) {
		unsigned int x = 0, digits = 0;

		if (b && (i == v.len || v.s[i++] != ':'))
			return false;
		while (i < v.len && digits < 2 && nfv_hex_digit(v.s[i]) >= 0) {
			x = x << 4 | nfv_hex_digit(v.s[i++]);
			digits++;
		}
		if (!digits)
			return false;
		mac[b] = x;
	}
	return i == v.len;
}

/* A CIDR prefix length in 0..'max' (all decimal digits). Returns 1 with
 * '*len', 0 if 'v' is not all digits, or -EINVAL (error set). */
static int
flow_prefix_len(struct flow_parser *p, const struct flow_token *tok,
		struct flow_slice v, unsigned int max, unsigned int *len)
{
	uint64_t n;

	for (size_t i = 0; i < v.len; i++)
		if (v.s[i] < '0' || v.s[i] > '9')
			return 0;
	if (!v.len)
		return 0;
	if (flow_number(v, &n) < 0 || n > max)
		return nfv_flow_error(p, tok,
				      "invalid prefix length '%.*s' (0..%u)",
				      flow_qlen(v), v.s, max);
	*len = n;
	return 1;
}

static const char *
flow_fmt_name(enum nfv_field_fmt fmt)
{
	switch (fmt) {
	case NFV_FMT_MAC:
		return "Ethernet address";
	case NFV_FMT_IPV4:
		return "IPv4 address";
	case NFV_FMT_IPV6:
		return "IPv6 address";
	default:
		return "number";
	}
}

/* Parses 'text' as a value (or mask, 'what') of field 'f' into 'v'. */
int
nfv_flow_parse_value(struct flow_parser *p, const struct flow_token *tok,
		     const struct nfv_field *f, struct flow_slice text,
		     const char *what, union nfv_field_value *v)
{
	char buf[INET6_ADDRSTRLEN + 1];
	uint64_t x, max;
	uint32_t port;
	int ret;

	memset(v, 0, sizeof(*v));
	switch (f->fmt) {
	case NFV_FMT_DEC:
	case NFV_FMT_HEX:
		max = nfv_flow_field_max(f);
		ret = flow_number(text, &x);
		if (ret == -EINVAL)
			break;
		if (ret < 0 || x > max) {
			if (f->fmt == NFV_FMT_HEX)
				return nfv_flow_error(p, tok,
						      "%s out of range 0..0x%" PRIx64,
						      what, max);
			return nfv_flow_error(p, tok,
					      "%s out of range 0..%" PRIu64,
					      what, max);
		}
		nfv_flow_value_from_u64(f, v, x);
		return 0;
	case NFV_FMT_MAC:
		if (flow_mac(text, v->u8))
			return 0;
		break;
	case NFV_FMT_IPV4:
		if (flow_slice_cstr(text, buf, sizeof(buf)) &&
		    inet_pton(AF_INET, buf, v->u8) == 1)
			return 0;
		break;
	case NFV_FMT_IPV6:
		if (flow_slice_cstr(text, buf, sizeof(buf)) &&
		    inet_pton(AF_INET6, buf, v->u8) == 1)
			return 0;
		break;
	case NFV_FMT_PORT:
		ret = nfv_flow_parse_port(p, tok, text, FLOW_PORT_MATCH, &port);
		if (ret < 0)
			return ret;
		nfv_flow_value_from_u64(f, v, port);
		return 0;
	}
	return nfv_flow_error(p, tok, "invalid %s '%.*s'",
			      flow_fmt_name(f->fmt), flow_qlen(text), text.s);
}

/* A mask of the 'len' leading bits of an address of 'n_bytes'. */
static void
flow_prefix_mask(union nfv_field_value *mask, unsigned int n_bytes,
		 unsigned int len)
{
	memset(mask, 0, sizeof(*mask));
	for (unsigned int i = 0; i < n_bytes && len; i++) {
		unsigned int bits = len < 8 ? len : 8;

		mask->u8[i] = 0xff << (8 - bits);
		len -= bits;
	}
}

/* ip_frag=no|yes|first|later|not_later (ovs-ofctl's words). Returns 1 with
 * the value and mask, 0 if 'text' is not one of them. */
static int
flow_parse_frag_word(struct flow_slice text, const struct nfv_field *f,
		     union nfv_field_value *v, union nfv_field_value *mask)
{
	for (size_t i = 0; i < nfv_flow_n_frag_names; i++) {
		const struct nfv_flow_frag_name *w = &nfv_flow_frag_names[i];

		if (!flow_slice_eq(text, w->name))
			continue;
		nfv_flow_value_from_u64(f, v, w->value);
		nfv_flow_value_from_u64(f, mask, w->mask);
		return 1;
	}
	return 0;
}

const struct nfv_flow_bit_name *
nfv_flow_bit_by_name(const struct nfv_flow_bit_name *names, size_t n,
		     struct flow_slice name)
{
	for (size_t i = 0; i < n; i++)
		if (flow_slice_eq(name, names[i].name))
			return &names[i];
	return NULL;
}

/* tcp_flags=+syn-ack (the named flags must be set or clear, the others are
 * wildcarded) or tcp_flags=syn|ack (exactly these flags). Numbers go
 * through the generic path. */
static int
flow_parse_tcp_flag_words(struct flow_parser *p, const struct flow_token *tok,
			  const struct nfv_field *f, struct flow_slice text,
			  union nfv_field_value *v,
			  union nfv_field_value *mask)
{
	bool is_signed = text.s[0] == '+' || text.s[0] == '-';
	uint32_t value = 0, bits = 0;
	size_t i = 0;

	while (i < text.len) {
		const struct nfv_flow_bit_name *flag;
		struct flow_slice name;
		char sign = '+';

		if (is_signed) {
			sign = text.s[i];
			if (sign != '+' && sign != '-')
				return nfv_flow_error(p, tok,
						      "expected '+' or '-' before a TCP flag");
			i++;
		} else if (i > 0 && text.s[i++] != '|') {
			return nfv_flow_error(p, tok,
					      "expected '|' between TCP flags");
		}
		name.s = text.s + i;
		while (i < text.len && text.s[i] >= 'a' && text.s[i] <= 'z')
			i++;
		name.len = text.s + i - name.s;
		flag = nfv_flow_bit_by_name(nfv_flow_tcp_flag_names,
					    nfv_flow_n_tcp_flag_names, name);
		if (!flag)
			return nfv_flow_error(p, tok, "unknown TCP flag '%.*s'",
					      flow_qlen(name), name.s);
		if (bits & flag->bit)
			return nfv_flow_error(p, tok,
					      "TCP flag '%s' given twice",
					      flag->name);
		bits |= flag->bit;
		if (sign == '+')
			value |= flag->bit;
	}
	nfv_flow_value_from_u64(f, v, value);
	if (is_signed)
		nfv_flow_value_from_u64(f, mask, bits);
	else
		nfv_flow_full_mask(f, mask);
	return 0;
}

/* Parses "VALUE[/MASK]" of field 'f' (as named by the token's key) into
 * 'v' and 'mask' (the full mask when 'text' has none). IPv4 and IPv6
 * masks may be prefix lengths. */
int
nfv_flow_parse_masked(struct flow_parser *p, const struct flow_token *tok,
		      const struct nfv_field *f, struct flow_slice text,
		      union nfv_field_value *v, union nfv_field_value *mask)
{
	struct flow_slice value, m;
	unsigned int len = 0;
	int ret;

	if (f == &nfv_fields[NFV_F_IP_FRAG] && text.len &&
	    (text.s[0] < '0' || text.s[0] > '9')) {
		if (flow_parse_frag_word(text, f, v, mask))
			return 0;
		return nfv_flow_error(p, tok,
				      "expected no, yes, first, later or not_later");
	}
	if (f == &nfv_fields[NFV_F_TCP_FLAGS] && text.len &&
	    (text.s[0] < '0' || text.s[0] > '9'))
		return flow_parse_tcp_flag_words(p, tok, f, text, v, mask);
	if (!flow_slice_split(text, "/", &value, &m)) {
		nfv_flow_full_mask(f, mask);
		return nfv_flow_parse_value(p, tok, f, text, "value", v);
	}
	if (!f->maskable)
		return nfv_flow_error(p, tok, "field '%.*s' cannot be masked",
				      flow_qlen(tok->key), tok->key.s);
	ret = nfv_flow_parse_value(p, tok, f, value, "value", v);
	if (ret < 0)
		return ret;
	if (f->fmt == NFV_FMT_IPV4 || f->fmt == NFV_FMT_IPV6) {
		ret = flow_prefix_len(p, tok, m, f->n_bits, &len);
		if (ret < 0)
			return ret;
		if (ret) {
			flow_prefix_mask(mask, f->n_bits / 8, len);
			return 0;
		}
	}
	return nfv_flow_parse_value(p, tok, f, m, "mask", mask);
}
