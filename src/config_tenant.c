/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The tenant model of the config: networks with their subnets and DHCP
 * settings, routers with routes, endpoints known in advance, and the DHCP
 * state file, for the local-controller apps. Parsed with config.c's key
 * tables and helpers (config_priv.h), then cross-checked in
 * config_resolve() once the whole file is read, since JSON keys come in
 * any order.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config_priv.h"

/* Tenant model ------------------------------------------------------ */

/* "networks", "routers" and "endpoints" are parsed key by key like the
 * rest; what can be checked inside one object (a gateway inside its cidr,
 * a DHCP range) is checked right after the object, what needs the whole
 * array (unique names, overlapping subnets) right after the array, and
 * the names that refer to other parts of the file (ports, subnets) by
 * config_resolve() once the whole file is read, since JSON objects have
 * no order. */

#define CONFIG_IP_STR 16                /* "255.255.255.255" */
#define CONFIG_PREFIX_STR 32            /* "255.255.255.255/32", roomy for gcc */
#define CONFIG_LEASE_MIN 60
#define CONFIG_LEASE_MAX 31536000       /* a year */
#define CONFIG_DOMAIN_MAX 253

static uint32_t
config_mask(uint8_t prefix_len)
{
	return prefix_len == 0 ? 0 : UINT32_MAX << (32 - prefix_len);
}

static bool
config_prefix_has(uint32_t addr, uint8_t prefix_len, uint32_t ip)
{
	return ((ip ^ addr) & config_mask(prefix_len)) == 0;
}

static bool
config_subnets_overlap(const struct nfv_subnet_config *a,
		       const struct nfv_subnet_config *b)
{
	uint8_t len = a->prefix_len < b->prefix_len ? a->prefix_len :
		      b->prefix_len;

	return config_prefix_has(a->addr, len, b->addr);
}

static const char *
config_ip_str(uint32_t ip, char buf[CONFIG_IP_STR])
{
	snprintf(buf, CONFIG_IP_STR, "%u.%u.%u.%u", ip >> 24,
		 (ip >> 16) & 255, (ip >> 8) & 255, ip & 255);
	return buf;
}

static const char *
config_prefix_str(uint32_t addr, uint8_t prefix_len,
		  char buf[CONFIG_PREFIX_STR])
{
	char ip[CONFIG_IP_STR];

	snprintf(buf, CONFIG_PREFIX_STR, "%s/%u", config_ip_str(addr, ip),
		 (unsigned int)prefix_len);
	return buf;
}

/* Allocates 'n' zeroed entries of 'size' bytes; none (NULL) for 0. */
static int
config_calloc(const char *path, size_t n, size_t size, void **out, char *err)
{
	*out = NULL;
	if (n == 0)
		return 0;
	*out = calloc(n, size);
	return *out != NULL ? 0 : config_nomem(err, path);
}

/* A network, subnet or router name: like a port name, no other rules. */
static int
config_name(const char *path, const json_t *v, char *name, char *err)
{
	const char *s = NULL;
	size_t i, len;
	int ret;

	ret = config_string(path, v, &s, err);
	if (ret < 0)
		return ret;
	len = strlen(s);
	for (i = 0; i < len && config_port_name_char(s[i]); i++)
		;
	if (len == 0 || len >= NFV_CONFIG_NAME_MAX || i < len)
		return config_err(err, path,
				  "expected 1..%d characters of A-Z a-z 0-9 _ . -, got '%s'",
				  NFV_CONFIG_NAME_MAX - 1, s);
	memcpy(name, s, len + 1);
	return 0;
}

static int
config_ipv4(const char *path, const json_t *v, uint32_t *out, char *err)
{
	const char *s = NULL;
	struct in_addr addr;
	int ret;

	ret = config_string(path, v, &s, err);
	if (ret < 0)
		return ret;
	if (inet_pton(AF_INET, s, &addr) != 1)
		return config_err(err, path, "expected an IPv4 address a.b.c.d, got '%s'",
				  s);
	*out = ntohl(addr.s_addr);
	return 0;
}

/* "a.b.c.d/n" with n 0..32 and the host bits zero. */
static int
config_prefix(const char *path, const json_t *v, uint32_t *addr,
	      uint8_t *prefix_len, char *err)
{
	char ip[CONFIG_IP_STR], pfx[CONFIG_PREFIX_STR];
	const char *s = NULL, *slash;
	struct in_addr in;
	unsigned int n = 0;
	size_t i;
	bool ok;
	int ret;

	ret = config_string(path, v, &s, err);
	if (ret < 0)
		return ret;
	slash = strchr(s, '/');
	ok = slash != NULL && slash - s < CONFIG_IP_STR &&
	     slash[1] != '\0' && strlen(slash + 1) <= 2;
	if (ok) {
		memcpy(ip, s, slash - s);
		ip[slash - s] = '\0';
		ok = inet_pton(AF_INET, ip, &in) == 1;
	}
	for (i = 1; ok && slash[i] != '\0'; i++) {
		ok = slash[i] >= '0' && slash[i] <= '9';
		n = n * 10 + (slash[i] - '0');
	}
	if (!ok || n > 32)
		return config_err(err, path, "expected an IPv4 prefix a.b.c.d/n with n 0..32, got '%s'",
				  s);
	*addr = ntohl(in.s_addr);
	*prefix_len = n;
	if ((*addr & ~config_mask(n)) != 0)
		return config_err(err, path, "'%s' has host bits set; the prefix is %s",
				  s, config_prefix_str(*addr & config_mask(n),
						       n, pfx));
	return 0;
}

/* "xx:xx:xx:xx:xx:xx", unicast and not all zeros. */
static int
config_mac(const char *path, const json_t *v, uint8_t mac[6], char *err)
{
	static const uint8_t zero[6];
	const char *s = NULL;
	int hi, lo, ret;
	unsigned int i;
	bool ok;

	ret = config_string(path, v, &s, err);
	if (ret < 0)
		return ret;
	ok = strlen(s) == 17;
	for (i = 0; ok && i < 6; i++) {
		hi = nfv_hex_digit(s[3 * i]);
		lo = nfv_hex_digit(s[3 * i + 1]);
		ok = hi >= 0 && lo >= 0 && (i == 5 || s[3 * i + 2] == ':');
		mac[i] = hi << 4 | lo;
	}
	if (!ok)
		return config_err(err, path, "expected a MAC address xx:xx:xx:xx:xx:xx, got '%s'",
				  s);
	if (mac[0] & 1)
		return config_err(err, path, "%s is a multicast address; expected a unicast MAC",
				  s);
	if (memcmp(mac, zero, sizeof(zero)) == 0)
		return config_err(err, path, "%s is not a usable MAC address",
				  s);
	return 0;
}

/* Checks that 'ip', found at 'path', is a host address of 'sn': inside
 * it, neither its network nor its broadcast address. */
static int
config_host_in(const char *path, uint32_t ip,
	       const struct nfv_subnet_config *sn, char *err)
{
	uint32_t mask = config_mask(sn->prefix_len);
	char ipb[CONFIG_IP_STR], pfx[CONFIG_PREFIX_STR];

	config_ip_str(ip, ipb);
	config_prefix_str(sn->addr, sn->prefix_len, pfx);
	if ((ip & mask) != sn->addr)
		return config_err(err, path, "%s is outside %s", ipb, pfx);
	if (ip == sn->addr)
		return config_err(err, path, "%s is the network address of %s",
				  ipb, pfx);
	if (ip == (sn->addr | ~mask))
		return config_err(err, path, "%s is the broadcast address of %s",
				  ipb, pfx);
	return 0;
}

/* "dhcp" of a subnet */

static int
config_parse_dhcp_enabled(const char *path, json_t *v, void *obj, char *err)
{
	struct nfv_dhcp_config *dhcp = obj;

	if (!json_is_boolean(v))
		return config_err(err, path, "expected true or false, got %s",
				  config_type_name(v));
	dhcp->enabled = json_is_true(v);
	return 0;
}

static int
config_parse_dhcp_range(const char *path, json_t *v, void *obj, char *err)
{
	struct nfv_dhcp_config *dhcp = obj;
	char epath[CONFIG_PATH_MAX];
	int ret;

	if (!json_is_array(v))
		return config_err(err, path, "expected [start, end], got %s",
				  config_type_name(v));
	if (json_array_size(v) != 2)
		return config_err(err, path, "expected [start, end], got %zu entries",
				  json_array_size(v));
	snprintf(epath, sizeof(epath), "%s[0]", path);
	ret = config_ipv4(epath, json_array_get(v, 0), &dhcp->range_start,
			  err);
	if (ret < 0)
		return ret;
	snprintf(epath, sizeof(epath), "%s[1]", path);
	ret = config_ipv4(epath, json_array_get(v, 1), &dhcp->range_end, err);
	if (ret < 0)
		return ret;
	dhcp->range_given = true;
	return 0;
}

static int
config_parse_dhcp_dns(const char *path, json_t *v, void *obj, char *err)
{
	struct nfv_dhcp_config *dhcp = obj;
	char epath[CONFIG_PATH_MAX];
	unsigned int i;
	int ret;

	ret = config_array(path, v, 0, NFV_CONFIG_MAX_DNS, err);
	if (ret < 0)
		return ret;
	for (i = 0; i < json_array_size(v); i++) {
		snprintf(epath, sizeof(epath), "%s[%u]", path, i);
		ret = config_ipv4(epath, json_array_get(v, i), &dhcp->dns[i],
				  err);
		if (ret < 0)
			return ret;
	}
	dhcp->n_dns = i;
	return 0;
}

static int
config_parse_dhcp_domain(const char *path, json_t *v, void *obj, char *err)
{
	struct nfv_dhcp_config *dhcp = obj;
	const char *s = NULL;
	size_t i, len;
	int ret;

	ret = config_string(path, v, &s, err);
	if (ret < 0)
		return ret;
	len = strlen(s);
	for (i = 0; i < len; i++)
		if (!((s[i] >= 'a' && s[i] <= 'z') ||
		      (s[i] >= 'A' && s[i] <= 'Z') ||
		      (s[i] >= '0' && s[i] <= '9') || s[i] == '.' ||
		      s[i] == '-'))
			break;
	if (len == 0 || len > CONFIG_DOMAIN_MAX || i < len)
		return config_err(err, path,
				  "expected a domain name of 1..%d characters of A-Z a-z 0-9 . -, got '%s'",
				  CONFIG_DOMAIN_MAX, s);
	return config_strdup(path, s, &dhcp->domain, err);
}

static int
config_parse_dhcp_lease(const char *path, json_t *v, void *obj, char *err)
{
	struct nfv_dhcp_config *dhcp = obj;
	json_int_t n;
	int ret;

	ret = config_int(path, v, CONFIG_LEASE_MIN, CONFIG_LEASE_MAX,
			 "integer", &n, err);
	if (ret == 0)
		dhcp->lease_seconds = n;
	return ret;
}

static int
config_parse_dhcp_mtu(const char *path, json_t *v, void *obj, char *err)
{
	return config_mtu(path, v, &((struct nfv_dhcp_config *)obj)->mtu, err);
}

static const struct config_key config_dhcp_keys[] = {
	{ "dns", config_parse_dhcp_dns, false },
	{ "domain", config_parse_dhcp_domain, false },
	{ "enabled", config_parse_dhcp_enabled, false },
	{ "lease_seconds", config_parse_dhcp_lease, false },
	{ "mtu", config_parse_dhcp_mtu, false },
	{ "range", config_parse_dhcp_range, false },
};

/* Subnets */

static int
config_parse_subnet_name(const char *path, json_t *v, void *obj, char *err)
{
	return config_name(path, v, ((struct nfv_subnet_config *)obj)->name,
			   err);
}

static int
config_parse_subnet_cidr(const char *path, json_t *v, void *obj, char *err)
{
	struct nfv_subnet_config *sn = obj;

	return config_prefix(path, v, &sn->addr, &sn->prefix_len, err);
}

static int
config_parse_subnet_gateway(const char *path, json_t *v, void *obj,
			    char *err)
{
	return config_ipv4(path, v, &((struct nfv_subnet_config *)obj)->gateway,
			   err);
}

static int
config_parse_subnet_dhcp(const char *path, json_t *v, void *obj, char *err)
{
	struct nfv_subnet_config *sn = obj;

	return config_object(path, v, config_dhcp_keys,
			     NFV_ARRAY_SIZE(config_dhcp_keys), &sn->dhcp, err);
}

static const struct config_key config_subnet_keys[] = {
	{ "cidr", config_parse_subnet_cidr, true },
	{ "dhcp", config_parse_subnet_dhcp, false },
	{ "gateway", config_parse_subnet_gateway, true },
	{ "name", config_parse_subnet_name, true },
};

/* Checks the addresses of the parsed subnet 'sn', found at 'path',
 * against its cidr: they may come in any order in the file. */
static int
config_subnet_check(const char *path, const struct nfv_subnet_config *sn,
		    char *err)
{
	const struct nfv_dhcp_config *dhcp = &sn->dhcp;
	char kpath[CONFIG_PATH_MAX + 16];
	char a[CONFIG_IP_STR], b[CONFIG_IP_STR], gw[CONFIG_IP_STR];
	int ret;

	snprintf(kpath, sizeof(kpath), "%s.gateway", path);
	ret = config_host_in(kpath, sn->gateway, sn, err);
	if (ret < 0)
		return ret;
	snprintf(kpath, sizeof(kpath), "%s.dhcp.range", path);
	if (!dhcp->range_given) {
		if (dhcp->enabled)
			return config_err(err, kpath, "required when dhcp is enabled");
		return 0;
	}
	snprintf(kpath, sizeof(kpath), "%s.dhcp.range[0]", path);
	ret = config_host_in(kpath, dhcp->range_start, sn, err);
	if (ret < 0)
		return ret;
	snprintf(kpath, sizeof(kpath), "%s.dhcp.range[1]", path);
	ret = config_host_in(kpath, dhcp->range_end, sn, err);
	if (ret < 0)
		return ret;
	snprintf(kpath, sizeof(kpath), "%s.dhcp.range", path);
	config_ip_str(dhcp->range_start, a);
	config_ip_str(dhcp->range_end, b);
	if (dhcp->range_start > dhcp->range_end)
		return config_err(err, kpath, "start %s is after end %s", a, b);
	if (sn->gateway >= dhcp->range_start && sn->gateway <= dhcp->range_end)
		return config_err(err, kpath, "%s..%s includes the gateway %s",
				  a, b, config_ip_str(sn->gateway, gw));
	return 0;
}

/* Networks */

static int
config_parse_network_name(const char *path, json_t *v, void *obj, char *err)
{
	return config_name(path, v, ((struct nfv_network_config *)obj)->name,
			   err);
}

static int
config_parse_network_segment_id(const char *path, json_t *v, void *obj,
				char *err)
{
	struct nfv_network_config *net = obj;
	json_int_t n;
	int ret;

	ret = config_int(path, v, 0, NFV_CONFIG_SEGMENT_ID_MAX, "integer", &n,
			 err);
	if (ret == 0)
		net->segment_id = n;
	return ret;
}

/* Checks that 'v' is an array of at most 'max' strings (names that
 * config_resolve() looks up once the whole file is read) and allocates
 * 'n' slots of 'size' bytes for what they resolve to. */
static int
config_name_list(const char *path, json_t *v, unsigned int max, size_t size,
		 void **slots, unsigned int *n_out, char *err)
{
	char epath[CONFIG_PATH_MAX];
	const char *s = NULL;
	unsigned int i, n;
	int ret;

	ret = config_array(path, v, 0, max, err);
	if (ret < 0)
		return ret;
	n = json_array_size(v);
	for (i = 0; i < n; i++) {
		snprintf(epath, sizeof(epath), "%s[%u]", path, i);
		ret = config_string(epath, json_array_get(v, i), &s, err);
		if (ret < 0)
			return ret;
	}
	ret = config_calloc(path, n, size, slots, err);
	if (ret == 0)
		*n_out = n;
	return ret;
}

static int
config_parse_network_ports(const char *path, json_t *v, void *obj,
			   char *err)
{
	struct nfv_network_config *net = obj;

	return config_name_list(path, v, NFV_MAX_PORTS, sizeof(*net->ports),
				(void **)&net->ports, &net->n_ports, err);
}

static int
config_parse_network_subnets(const char *path, json_t *v, void *obj,
			     char *err)
{
	struct nfv_network_config *net = obj;
	char spath[CONFIG_PATH_MAX], kpath[CONFIG_PATH_MAX + 16];
	char pfx[CONFIG_PREFIX_STR];
	struct nfv_subnet_config *sn;
	unsigned int i, j, n;
	int ret;

	ret = config_array(path, v, 0, NFV_CONFIG_MAX_SUBNETS, err);
	if (ret < 0)
		return ret;
	n = json_array_size(v);
	ret = config_calloc(path, n, sizeof(*net->subnets),
			    (void **)&net->subnets, err);
	if (ret < 0)
		return ret;
	/* Set now so that nfv_config_fini() frees partly parsed subnets. */
	net->n_subnets = n;
	for (i = 0; i < n; i++) {
		sn = &net->subnets[i];
		sn->dhcp.lease_seconds = NFV_DHCP_DEFAULT_LEASE_SECONDS;
		snprintf(spath, sizeof(spath), "%s[%u]", path, i);
		ret = config_object(spath, json_array_get(v, i),
				    config_subnet_keys,
				    NFV_ARRAY_SIZE(config_subnet_keys), sn, err);
		if (ret == 0)
			ret = config_subnet_check(spath, sn, err);
		if (ret < 0)
			return ret;
		for (j = 0; j < i; j++) {
			if (!config_subnets_overlap(&net->subnets[j], sn))
				continue;
			snprintf(kpath, sizeof(kpath), "%s.cidr", spath);
			return config_err(err, kpath, "overlaps %s of subnet '%s' (%s[%u])",
					  config_prefix_str(net->subnets[j].addr,
							    net->subnets[j].prefix_len,
							    pfx),
					  net->subnets[j].name, path, j);
		}
	}
	return 0;
}

static const struct config_key config_network_keys[] = {
	{ "name", config_parse_network_name, true },
	{ "ports", config_parse_network_ports, false },
	{ "segment_id", config_parse_network_segment_id, true },
	{ "subnets", config_parse_network_subnets, false },
};

/* Checks that network 'i', found at 'path', shares no name or segment id
 * with an earlier network, nor a subnet name with any earlier subnet. */
static int
config_network_unique(const struct nfv_config *cfg, unsigned int i,
		      const char *path, char *err)
{
	const struct nfv_network_config *net = &cfg->networks[i];
	char kpath[CONFIG_PATH_MAX + 32];
	unsigned int j, k, l, n;

	for (j = 0; j < i; j++) {
		if (strcmp(cfg->networks[j].name, net->name) == 0) {
			snprintf(kpath, sizeof(kpath), "%s.name", path);
			return config_err(err, kpath, "duplicate network name '%s' (also networks[%u])",
					  net->name, j);
		}
		if (cfg->networks[j].segment_id == net->segment_id) {
			snprintf(kpath, sizeof(kpath), "%s.segment_id", path);
			return config_err(err, kpath, "duplicate segment_id %" PRIu32 " (also networks[%u] '%s')",
					  net->segment_id, j,
					  cfg->networks[j].name);
		}
	}
	for (j = 0; j < net->n_subnets; j++) {
		for (k = 0; k <= i; k++) {
			n = k < i ? cfg->networks[k].n_subnets : j;
			for (l = 0; l < n; l++) {
				if (strcmp(cfg->networks[k].subnets[l].name,
					   net->subnets[j].name) != 0)
					continue;
				snprintf(kpath, sizeof(kpath),
					 "%s.subnets[%u].name", path, j);
				return config_err(err, kpath, "duplicate subnet name '%s' (also networks[%u].subnets[%u])",
						  net->subnets[j].name, k, l);
			}
		}
	}
	return 0;
}

int
config_parse_networks(const char *path, json_t *v, void *obj, char *err)
{
	struct nfv_config *cfg = obj;
	char npath[CONFIG_PATH_MAX];
	unsigned int i, n;
	int ret;

	ret = config_array(path, v, 0, NFV_CONFIG_MAX_NETWORKS, err);
	if (ret < 0)
		return ret;
	n = json_array_size(v);
	ret = config_calloc(path, n, sizeof(*cfg->networks),
			    (void **)&cfg->networks, err);
	if (ret < 0)
		return ret;
	cfg->n_networks = n;
	for (i = 0; i < n; i++) {
		snprintf(npath, sizeof(npath), "%s[%u]", path, i);
		ret = config_object(npath, json_array_get(v, i),
				    config_network_keys,
				    NFV_ARRAY_SIZE(config_network_keys),
				    &cfg->networks[i], err);
		if (ret == 0)
			ret = config_network_unique(cfg, i, npath, err);
		if (ret < 0)
			return ret;
	}
	return 0;
}

/* Routers */

static int
config_parse_route_cidr(const char *path, json_t *v, void *obj, char *err)
{
	struct nfv_route_config *rt = obj;

	return config_prefix(path, v, &rt->addr, &rt->prefix_len, err);
}

static int
config_parse_route_next_hop(const char *path, json_t *v, void *obj,
			    char *err)
{
	return config_ipv4(path, v, &((struct nfv_route_config *)obj)->next_hop,
			   err);
}

static const struct config_key config_route_keys[] = {
	{ "cidr", config_parse_route_cidr, true },
	{ "next_hop", config_parse_route_next_hop, true },
};

static int
config_parse_router_name(const char *path, json_t *v, void *obj, char *err)
{
	return config_name(path, v, ((struct nfv_router_config *)obj)->name,
			   err);
}

static int
config_parse_router_mac(const char *path, json_t *v, void *obj, char *err)
{
	return config_mac(path, v, ((struct nfv_router_config *)obj)->mac, err);
}

static int
config_parse_router_subnets(const char *path, json_t *v, void *obj,
			    char *err)
{
	struct nfv_router_config *r = obj;

	return config_name_list(path, v, NFV_CONFIG_MAX_ROUTER_SUBNETS,
				sizeof(*r->subnets), (void **)&r->subnets,
				&r->n_subnets, err);
}

static int
config_parse_router_routes(const char *path, json_t *v, void *obj,
			   char *err)
{
	struct nfv_router_config *r = obj;
	char rpath[CONFIG_PATH_MAX], kpath[CONFIG_PATH_MAX + 16];
	char pfx[CONFIG_PREFIX_STR];
	struct nfv_route_config *rt;
	unsigned int i, j, n;
	int ret;

	ret = config_array(path, v, 0, NFV_CONFIG_MAX_ROUTES, err);
	if (ret < 0)
		return ret;
	n = json_array_size(v);
	ret = config_calloc(path, n, sizeof(*r->routes), (void **)&r->routes,
			    err);
	if (ret < 0)
		return ret;
	r->n_routes = n;
	for (i = 0; i < n; i++) {
		rt = &r->routes[i];
		snprintf(rpath, sizeof(rpath), "%s[%u]", path, i);
		ret = config_object(rpath, json_array_get(v, i),
				    config_route_keys,
				    NFV_ARRAY_SIZE(config_route_keys), rt, err);
		if (ret < 0)
			return ret;
		for (j = 0; j < i; j++) {
			if (r->routes[j].addr != rt->addr ||
			    r->routes[j].prefix_len != rt->prefix_len)
				continue;
			snprintf(kpath, sizeof(kpath), "%s.cidr", rpath);
			return config_err(err, kpath, "duplicate route %s (also %s[%u])",
					  config_prefix_str(rt->addr,
							    rt->prefix_len, pfx),
					  path, j);
		}
	}
	return 0;
}

static const struct config_key config_router_keys[] = {
	{ "mac", config_parse_router_mac, true },
	{ "name", config_parse_router_name, true },
	{ "routes", config_parse_router_routes, false },
	{ "subnets", config_parse_router_subnets, false },
};

int
config_parse_routers(const char *path, json_t *v, void *obj, char *err)
{
	struct nfv_config *cfg = obj;
	char rpath[CONFIG_PATH_MAX], kpath[CONFIG_PATH_MAX + 16];
	unsigned int i, j, n;
	int ret;

	ret = config_array(path, v, 0, NFV_CONFIG_MAX_ROUTERS, err);
	if (ret < 0)
		return ret;
	n = json_array_size(v);
	ret = config_calloc(path, n, sizeof(*cfg->routers),
			    (void **)&cfg->routers, err);
	if (ret < 0)
		return ret;
	cfg->n_routers = n;
	for (i = 0; i < n; i++) {
		snprintf(rpath, sizeof(rpath), "%s[%u]", path, i);
		ret = config_object(rpath, json_array_get(v, i),
				    config_router_keys,
				    NFV_ARRAY_SIZE(config_router_keys),
				    &cfg->routers[i], err);
		if (ret < 0)
			return ret;
		for (j = 0; j < i; j++) {
			if (strcmp(cfg->routers[j].name,
				   cfg->routers[i].name) != 0)
				continue;
			snprintf(kpath, sizeof(kpath), "%s.name", rpath);
			return config_err(err, kpath, "duplicate router name '%s' (also routers[%u])",
					  cfg->routers[i].name, j);
		}
	}
	return 0;
}

/* Endpoints */

/* Only the type here; config_resolve() looks the port up. */
static int
config_parse_endpoint_port(const char *path, json_t *v, void *obj,
			   char *err)
{
	const char *s = NULL;

	(void)obj;
	return config_string(path, v, &s, err);
}

static int
config_parse_endpoint_mac(const char *path, json_t *v, void *obj, char *err)
{
	return config_mac(path, v, ((struct nfv_endpoint_config *)obj)->mac,
			  err);
}

static int
config_parse_endpoint_ip(const char *path, json_t *v, void *obj, char *err)
{
	return config_ipv4(path, v, &((struct nfv_endpoint_config *)obj)->ip,
			   err);
}

static const struct config_key config_endpoint_keys[] = {
	{ "ip", config_parse_endpoint_ip, true },
	{ "mac", config_parse_endpoint_mac, true },
	{ "port", config_parse_endpoint_port, true },
};

int
config_parse_endpoints(const char *path, json_t *v, void *obj, char *err)
{
	struct nfv_config *cfg = obj;
	char epath[CONFIG_PATH_MAX], kpath[CONFIG_PATH_MAX + 16];
	const uint8_t *mac;
	unsigned int i, j, n;
	int ret;

	ret = config_array(path, v, 0, NFV_CONFIG_MAX_ENDPOINTS, err);
	if (ret < 0)
		return ret;
	n = json_array_size(v);
	ret = config_calloc(path, n, sizeof(*cfg->endpoints),
			    (void **)&cfg->endpoints, err);
	if (ret < 0)
		return ret;
	cfg->n_endpoints = n;
	for (i = 0; i < n; i++) {
		snprintf(epath, sizeof(epath), "%s[%u]", path, i);
		ret = config_object(epath, json_array_get(v, i),
				    config_endpoint_keys,
				    NFV_ARRAY_SIZE(config_endpoint_keys),
				    &cfg->endpoints[i], err);
		if (ret < 0)
			return ret;
		mac = cfg->endpoints[i].mac;
		for (j = 0; j < i; j++) {
			if (memcmp(cfg->endpoints[j].mac, mac, 6) != 0)
				continue;
			snprintf(kpath, sizeof(kpath), "%s.mac", epath);
			return config_err(err, kpath, "duplicate MAC %02x:%02x:%02x:%02x:%02x:%02x (also endpoints[%u])",
					  mac[0], mac[1], mac[2], mac[3],
					  mac[4], mac[5], j);
		}
	}
	return 0;
}

int
config_parse_dhcp_state_file(const char *path, json_t *v, void *obj,
			     char *err)
{
	struct nfv_config *cfg = obj;
	const char *s = NULL;
	int ret;

	ret = config_nonempty_string(path, v, &s, err);
	if (ret < 0)
		return ret;
	if (s[0] != '/')
		return config_err(err, path, "expected an absolute path, got '%s'",
				  s);
	return config_strdup(path, s, &cfg->dhcp_state_file, err);
}

/* Cross references -------------------------------------------------- */

/* Finds the subnet named 'name' in any network. */
static bool
config_subnet_lookup(const struct nfv_config *cfg, const char *name,
		     struct nfv_subnet_ref *ref)
{
	unsigned int i, j;

	for (i = 0; i < cfg->n_networks; i++)
		for (j = 0; j < cfg->networks[i].n_subnets; j++)
			if (strcmp(cfg->networks[i].subnets[j].name,
				   name) == 0) {
				ref->network = i;
				ref->subnet = j;
				return true;
			}
	return false;
}

static const struct nfv_subnet_config *
config_subnet_of(const struct nfv_config *cfg, struct nfv_subnet_ref ref)
{
	return &cfg->networks[ref.network].subnets[ref.subnet];
}

/* Looks up the ports of each network in "networks" ('v') and records in
 * 'port_net' the network of each port (-1 for none). */
static int
config_resolve_network_ports(const json_t *v, struct nfv_config *cfg,
			     int *port_net, char *err)
{
	char path[CONFIG_PATH_MAX];
	struct nfv_network_config *net;
	const json_t *ports;
	const char *name;
	unsigned int i, j;
	int idx;

	for (i = 0; i < cfg->n_ports; i++)
		port_net[i] = -1;
	for (i = 0; i < cfg->n_networks; i++) {
		net = &cfg->networks[i];
		ports = json_object_get(json_array_get(v, i), "ports");
		for (j = 0; j < net->n_ports; j++) {
			name = json_string_value(json_array_get(ports, j));
			snprintf(path, sizeof(path), "networks[%u].ports[%u]",
				 i, j);
			idx = nfv_config_port_index(cfg, name);
			if (idx < 0)
				return config_err(err, path, "no such port '%s'",
						  name);
			if (port_net[idx] >= 0)
				return config_err(err, path, "port '%s' is already in network '%s'",
						  name,
						  cfg->networks[port_net[idx]].name);
			port_net[idx] = i;
			net->ports[j] = idx;
		}
	}
	return 0;
}

/* Looks up the subnets of router 'i' (JSON 'v') and checks its routes. */
static int
config_resolve_router(const json_t *v, struct nfv_config *cfg,
		      unsigned int i, char *err)
{
	struct nfv_router_config *r = &cfg->routers[i];
	const struct nfv_subnet_config *sn = NULL, *other;
	char path[CONFIG_PATH_MAX], pfx[CONFIG_PREFIX_STR];
	char ip[CONFIG_IP_STR];
	struct nfv_route_config *rt;
	const json_t *names;
	const char *name;
	unsigned int j, k, l, n;
	int ret;

	names = json_object_get(v, "subnets");
	for (j = 0; j < r->n_subnets; j++) {
		name = json_string_value(json_array_get(names, j));
		snprintf(path, sizeof(path), "routers[%u].subnets[%u]", i, j);
		if (!config_subnet_lookup(cfg, name, &r->subnets[j]))
			return config_err(err, path, "no such subnet '%s'",
					  name);
		sn = config_subnet_of(cfg, r->subnets[j]);
		for (k = 0; k <= i; k++) {
			n = k < i ? cfg->routers[k].n_subnets : j;
			for (l = 0; l < n; l++)
				if (cfg->routers[k].subnets[l].network ==
				    r->subnets[j].network &&
				    cfg->routers[k].subnets[l].subnet ==
				    r->subnets[j].subnet)
					return config_err(err, path, "subnet '%s' is already on router '%s'",
							  name,
							  cfg->routers[k].name);
		}
		/* A router cannot route between two copies of one range. */
		for (l = 0; l < j; l++) {
			other = config_subnet_of(cfg, r->subnets[l]);
			if (config_subnets_overlap(other, sn))
				return config_err(err, path, "subnet '%s' (%s) overlaps subnet '%s' on the same router",
						  name,
						  config_prefix_str(sn->addr,
								    sn->prefix_len,
								    pfx),
						  other->name);
		}
	}
	for (j = 0; j < r->n_routes; j++) {
		rt = &r->routes[j];
		snprintf(path, sizeof(path), "routers[%u].routes[%u].next_hop",
			 i, j);
		for (k = 0; k < r->n_subnets; k++) {
			sn = config_subnet_of(cfg, r->subnets[k]);
			if (config_prefix_has(sn->addr, sn->prefix_len,
					      rt->next_hop))
				break;
		}
		config_ip_str(rt->next_hop, ip);
		if (k == r->n_subnets)
			return config_err(err, path, "%s is not in a subnet of router '%s'",
					  ip, r->name);
		ret = config_host_in(path, rt->next_hop, sn, err);
		if (ret < 0)
			return ret;
		if (rt->next_hop == sn->gateway)
			return config_err(err, path, "%s is the router's own address on subnet '%s'",
					  ip, sn->name);
		rt->subnet = k;
	}
	return 0;
}

/* Looks up the port of endpoint 'i' (JSON 'v'), finds the subnet of its
 * address in the port's network and checks that no other endpoint of
 * that network has the address. */
static int
config_resolve_endpoint(const json_t *v, struct nfv_config *cfg,
			const int *port_net, unsigned int i, char *err)
{
	struct nfv_endpoint_config *ep = &cfg->endpoints[i];
	const struct nfv_network_config *net;
	const struct nfv_subnet_config *sn = NULL;
	char path[CONFIG_PATH_MAX], ip[CONFIG_IP_STR];
	const char *name;
	unsigned int j;
	int idx, ret;

	name = json_string_value(json_object_get(v, "port"));
	snprintf(path, sizeof(path), "endpoints[%u].port", i);
	idx = nfv_config_port_index(cfg, name);
	if (idx < 0)
		return config_err(err, path, "no such port '%s'", name);
	if (port_net[idx] < 0)
		return config_err(err, path, "port '%s' is in no network", name);
	ep->port = idx;
	ep->network = port_net[idx];
	net = &cfg->networks[ep->network];

	snprintf(path, sizeof(path), "endpoints[%u].ip", i);
	config_ip_str(ep->ip, ip);
	for (j = 0; j < net->n_subnets; j++) {
		sn = &net->subnets[j];
		if (config_prefix_has(sn->addr, sn->prefix_len, ep->ip))
			break;
	}
	if (j == net->n_subnets)
		return config_err(err, path, "%s is not in a subnet of network '%s'",
				  ip, net->name);
	ret = config_host_in(path, ep->ip, sn, err);
	if (ret < 0)
		return ret;
	if (ep->ip == sn->gateway)
		return config_err(err, path, "%s is the gateway of subnet '%s'",
				  ip, sn->name);
	ep->subnet = j;
	for (j = 0; j < i; j++)
		if (cfg->endpoints[j].network == ep->network &&
		    cfg->endpoints[j].ip == ep->ip)
			return config_err(err, path, "%s is already used by endpoints[%u] in network '%s'",
					  ip, j, net->name);
	return 0;
}

/* Resolves the names by which networks, routers and endpoints refer to
 * ports and subnets, now that the whole file ('root') is parsed. */
int
config_resolve(const json_t *root, struct nfv_config *cfg, char *err)
{
	int port_net[NFV_MAX_PORTS];
	const json_t *v;
	unsigned int i;
	int ret;

	ret = config_resolve_network_ports(json_object_get(root, "networks"),
					   cfg, port_net, err);
	if (ret < 0)
		return ret;
	v = json_object_get(root, "routers");
	for (i = 0; i < cfg->n_routers; i++) {
		ret = config_resolve_router(json_array_get(v, i), cfg, i, err);
		if (ret < 0)
			return ret;
	}
	v = json_object_get(root, "endpoints");
	for (i = 0; i < cfg->n_endpoints; i++) {
		ret = config_resolve_endpoint(json_array_get(v, i), cfg,
					      port_net, i, err);
		if (ret < 0)
			return ret;
	}
	return 0;
}

