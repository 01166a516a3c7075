/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Configuration loader: turns the JSON config file into a struct nfv_config
 * and checks every value before main.c starts anything. Each JSON object is
 * described by a small table of key name -> parse function, so a new key is
 * one table entry and one function; config_object() walks an object, rejects
 * unknown keys and reports missing required ones. Every error is one line,
 * "<key path>: <what was expected>", e.g. "ports[1].devargs: expected
 * string, got integer". Also here: the mbuf pool sizing that main.c uses to
 * size pools and to check the memory given to EAL before it runs out.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include <jansson.h>

#include "config.h"
#include "config_priv.h"

/* Error messages end up on a terminal or in a JSON reply: keep them one
 * line even when they quote a key or a value taken from the file. */
static void
config_err_sanitize(char *err)
{
	for (; *err != '\0'; err++)
		if ((unsigned char)*err < 0x20 || *err == 0x7f)
			*err = '?';
}

/* Writes "<path>: <message>" into 'err'. Returns -EINVAL. */
int __attribute__((format(printf, 3, 4)))
config_err(char *err, const char *path, const char *fmt, ...)
{
	va_list ap;
	int n;

	n = snprintf(err, NFV_CONFIG_ERR_MAX, "%s: ", path);
	if (n >= 0 && n < NFV_CONFIG_ERR_MAX) {
		va_start(ap, fmt);
		vsnprintf(err + n, NFV_CONFIG_ERR_MAX - n, fmt, ap);
		va_end(ap);
	}
	config_err_sanitize(err);
	return -EINVAL;
}

int
config_nomem(char *err, const char *path)
{
	config_err(err, path, "%s", strerror(ENOMEM));
	return -ENOMEM;
}

const char *
config_type_name(const json_t *v)
{
	switch (json_typeof(v)) {
	case JSON_OBJECT:
		return "object";
	case JSON_ARRAY:
		return "array";
	case JSON_STRING:
		return "string";
	case JSON_INTEGER:
		return "integer";
	case JSON_REAL:
		return "real";
	case JSON_TRUE:
		return "true";
	case JSON_FALSE:
		return "false";
	default:
		return "null";
	}
}

/* Reads an integer 'min'..'max' into '*out'. Reals, booleans and strings
 * are rejected; jansson itself rejects numbers that do not fit a
 * json_int_t. 'what' names the value in the error ("integer"). */
int
config_int(const char *path, const json_t *v, json_int_t min, json_int_t max,
	   const char *what, json_int_t *out, char *err)
{
	json_int_t x;

	if (!json_is_integer(v))
		return config_err(err, path, "expected %s %" JSON_INTEGER_FORMAT
				  "..%" JSON_INTEGER_FORMAT ", got %s",
				  what, min, max, config_type_name(v));
	x = json_integer_value(v);
	if (x < min || x > max)
		return config_err(err, path, "expected %s %" JSON_INTEGER_FORMAT
				  "..%" JSON_INTEGER_FORMAT ", got %"
				  JSON_INTEGER_FORMAT, what, min, max, x);
	*out = x;
	return 0;
}

/* Points '*out' at the string 'v'; jansson rejects "\u0000" in strings. */
int
config_string(const char *path, const json_t *v, const char **out, char *err)
{
	if (!json_is_string(v))
		return config_err(err, path, "expected string, got %s",
				  config_type_name(v));
	*out = json_string_value(v);
	return 0;
}

int
config_nonempty_string(const char *path, const json_t *v, const char **out,
		       char *err)
{
	if (!json_is_string(v) || json_string_length(v) == 0)
		return config_err(err, path, "expected non-empty string, got %s",
				  json_is_string(v) ? "\"\"" :
				  config_type_name(v));
	*out = json_string_value(v);
	return 0;
}

int
config_strdup(const char *path, const char *s, char **out, char *err)
{
	*out = strdup(s);
	return *out != NULL ? 0 : config_nomem(err, path);
}

/* Checks that 'v' is an array of 'min'..'max' entries. */
int
config_array(const char *path, const json_t *v, size_t min, size_t max,
	     char *err)
{
	size_t n;

	if (!json_is_array(v))
		return config_err(err, path, "expected array, got %s",
				  config_type_name(v));
	n = json_array_size(v);
	if (n >= min && n <= max)
		return 0;
	if (min == 0)
		return config_err(err, path,
				  "expected at most %zu entries, got %zu",
				  max, n);
	return config_err(err, path, "expected %zu..%zu entries, got %zu",
			  min, max, n);
}

/* Copies an array of at most 'max' strings, each accepted by 'check' when
 * given, into a new NULL-terminated vector '*out' of '*n_out' strings. */
int
config_strings(const char *path, const json_t *v, size_t max,
	       config_str_check_fn *check, char ***out, size_t *n_out,
	       char *err)
{
	char epath[CONFIG_PATH_MAX];
	const char *s = NULL;
	char **vec;
	size_t i, n;
	int ret;

	ret = config_array(path, v, 0, max, err);
	if (ret < 0)
		return ret;
	n = json_array_size(v);
	vec = calloc(n + 1, sizeof(*vec));
	if (vec == NULL)
		return config_nomem(err, path);
	for (i = 0; i < n; i++) {
		snprintf(epath, sizeof(epath), "%s[%zu]", path, i);
		ret = config_string(epath, json_array_get(v, i), &s, err);
		if (ret == 0 && check != NULL)
			ret = check(epath, s, err);
		if (ret == 0)
			ret = config_strdup(epath, s, &vec[i], err);
		if (ret < 0)
			goto out_free_vec;
	}
	*out = vec;
	*n_out = n;
	return 0;

out_free_vec:
	for (i = 0; i < n; i++)
		free(vec[i]);
	free(vec);
	return ret;
}

/* Walks the JSON object 'v' found at 'path' (NULL for the top level) and
 * calls the parse function of each key in 'keys' on 'obj', in the order of
 * the file. Unknown keys and missing required keys are errors. */
int
config_object(const char *path, json_t *v, const struct config_key *keys,
	      size_t n_keys, void *obj, char *err)
{
	char kpath[CONFIG_PATH_MAX + 16];
	uint32_t seen = 0;      /* one bit per entry of 'keys' */
	const char *key;
	json_t *value;
	size_t i;
	int ret;

	if (!json_is_object(v))
		return config_err(err, path, "expected object, got %s",
				  config_type_name(v));
	json_object_foreach(v, key, value) {
		if (path != NULL)
			snprintf(kpath, sizeof(kpath), "%s.%s", path, key);
		else
			snprintf(kpath, sizeof(kpath), "%s", key);
		for (i = 0; i < n_keys; i++)
			if (strcmp(keys[i].name, key) == 0)
				break;
		if (i == n_keys)
			return config_err(err, kpath, "unknown key");
		ret = keys[i].parse(kpath, value, obj, err);
		if (ret < 0)
			return ret;
		seen |= UINT32_C(1) << i;
	}
	for (i = 0; i < n_keys; i++) {
		if (!keys[i].required || (seen & (UINT32_C(1) << i)))
			continue;
		if (path != NULL)
			snprintf(kpath, sizeof(kpath), "%s.%s", path,
				 keys[i].name);
		else
			snprintf(kpath, sizeof(kpath), "%s", keys[i].name);
		return config_err(err, kpath, "missing required key");
	}
	return 0;
}

/* Parses a TCP port number, 1..65535, from the 'len' chars at 's'.
 * Returns it, or -1. */
static int
config_tcp_port(const char *s, size_t len)
{
	unsigned int port = 0;
	size_t i;

	if (len == 0)
		return -1;
	for (i = 0; i < len; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		port = port * 10 + (s[i] - '0');
		if (port > 65535)
			return -1;
	}
	return port > 0 ? (int)port : -1;
}

/* "ptcp:PORT" or "ptcp:PORT:IPv4ADDR". */
static int
config_check_listen(const char *path, const char *s, char *err)
{
	const char *rest, *colon;
	struct in_addr addr;
	bool ok;

	ok = strncmp(s, "ptcp:", 5) == 0;
	if (ok) {
		rest = s + 5;
		colon = strchr(rest, ':');
		if (colon == NULL)
			ok = config_tcp_port(rest, strlen(rest)) > 0;
		else
			ok = config_tcp_port(rest, colon - rest) > 0 &&
			     inet_pton(AF_INET, colon + 1, &addr) == 1;
	}
	if (!ok)
		return config_err(err, path,
				  "expected ptcp:PORT[:IPv4ADDR] with PORT 1..65535, got '%s'",
				  s);
	return 0;
}

/* "tcp:HOST:PORT", HOST a host name or an IPv4 address. */
static int
config_check_controller(const char *path, const char *s, char *err)
{
	const char *host, *colon, *c;
	bool ok;

	ok = strncmp(s, "tcp:", 4) == 0;
	if (ok) {
		host = s + 4;
		colon = strrchr(host, ':');
		ok = colon != NULL && colon > host &&
		     config_tcp_port(colon + 1, strlen(colon + 1)) > 0;
		for (c = host; ok && c < colon; c++)
			ok = (*c >= 'a' && *c <= 'z') ||
			     (*c >= 'A' && *c <= 'Z') ||
			     (*c >= '0' && *c <= '9') || *c == '.' || *c == '-';
	}
	if (!ok)
		return config_err(err, path,
				  "expected tcp:HOST:PORT with PORT 1..65535, got '%s'",
				  s);
	return 0;
}

static int
config_check_flow(const char *path, const char *s, char *err)
{
	if (s[0] == '\0')
		return config_err(err, path, "expected non-empty string, got \"\"");
	return 0;
}

/* Top level --------------------------------------------------------- */

static int
config_parse_eal(const char *path, json_t *v, void *obj, char *err)
{
	struct nfv_config *cfg = obj;
	size_t n;
	int ret;

	ret = config_strings(path, v, INT32_MAX, NULL, &cfg->eal_argv, &n,
			     err);
	if (ret == 0)
		cfg->eal_argc = n;
	return ret;
}

static int
config_parse_pmd_cores(const char *path, json_t *v, void *obj, char *err)
{
	struct nfv_config *cfg = obj;
	char epath[CONFIG_PATH_MAX];
	json_int_t core;
	size_t i, j;
	int ret;

	ret = config_array(path, v, 1, NFV_MAX_WORKERS, err);
	if (ret < 0)
		return ret;
	for (i = 0; i < json_array_size(v); i++) {
		snprintf(epath, sizeof(epath), "%s[%zu]", path, i);
		ret = config_int(epath, json_array_get(v, i), 0,
				 CONFIG_MAX_CORE_ID, "integer", &core, err);
		if (ret < 0)
			return ret;
		for (j = 0; j < i; j++)
			if (cfg->pmd_cores[j] == core)
				return config_err(err, epath,
						  "duplicate core %u (also %s[%zu])",
						  (unsigned int)core, path, j);
		cfg->pmd_cores[i] = core;
	}
	cfg->n_pmd_cores = i;
	return 0;
}

static int
config_parse_control_socket(const char *path, json_t *v, void *obj,
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
	if (strlen(s) >= CONFIG_SUN_PATH_MAX)
		return config_err(err, path, "expected a path shorter than %d characters, got %zu",
				  CONFIG_SUN_PATH_MAX, strlen(s));
	return config_strdup(path, s, &cfg->control_socket, err);
}

static int
config_parse_mbufs(const char *path, json_t *v, void *obj, char *err)
{
	struct nfv_config *cfg = obj;
	json_int_t n;
	int ret;

	ret = config_int(path, v, 1, UINT32_MAX, "integer", &n, err);
	if (ret == 0)
		cfg->n_mbufs = n;
	return ret;
}

static int
config_parse_flows(const char *path, json_t *v, void *obj, char *err)
{
	struct nfv_config *cfg = obj;
	size_t n;
	int ret;

	ret = config_strings(path, v, NFV_CONFIG_MAX_FLOWS, config_check_flow,
			     &cfg->flows, &n, err);
	if (ret == 0)
		cfg->n_flows = n;
	return ret;
}

/* Ports ------------------------------------------------------------- */

bool
config_port_name_char(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	       (c >= '0' && c <= '9') || c == '_' || c == '.' || c == '-';
}

/* Names that flow strings ("output:LOCAL") read as reserved ports. */
static const char *const config_reserved_port_names[] = {
	"IN_PORT", "TABLE", "NORMAL", "FLOOD", "ALL", "CONTROLLER", "LOCAL",
	"ANY", "NONE",
};

static int
config_parse_port_name(const char *path, json_t *v, void *obj, char *err)
{
	struct nfv_port_config *port = obj;
	bool digits = true;
	const char *s = NULL;
	size_t i, len;
	int ret;

	ret = config_string(path, v, &s, err);
	if (ret < 0)
		return ret;
	len = strlen(s);
	for (i = 0; i < len && config_port_name_char(s[i]); i++)
		digits = digits && s[i] >= '0' && s[i] <= '9';
	if (len == 0 || len >= NFV_PORT_NAME_MAX || i < len)
		return config_err(err, path,
				  "expected 1..%d characters of A-Z a-z 0-9 _ . -, got '%s'",
				  NFV_PORT_NAME_MAX - 1, s);
	/* Flow strings say "output:2" for OpenFlow port 2. */
	if (digits)
		return config_err(err, path,
				  "'%s' is all digits; numbers denote OpenFlow port numbers",
				  s);
	for (i = 0; i < NFV_ARRAY_SIZE(config_reserved_port_names); i++)
		if (strcasecmp(s, config_reserved_port_names[i]) == 0)
			return config_err(err, path, "'%s' is a reserved OpenFlow port name",
					  s);
	memcpy(port->name, s, len + 1);
	return 0;
}

static int
config_parse_port_devargs(const char *path, json_t *v, void *obj, char *err)
{
	struct nfv_port_config *port = obj;
	const char *s = NULL;
	int ret;

	ret = config_nonempty_string(path, v, &s, err);
	if (ret < 0)
		return ret;
	/* DPDK's generic "bus=...,class=..." form is not a device name; its
	 * 22.11 device iterator crashes on "bus=" strings. */
	if (memchr(s, '=', strcspn(s, ",")) != NULL)
		return config_err(err, path, "expected a device name first (a PCI address or a vdev such as net_ring0,...), got '%s'",
				  s);
	return config_strdup(path, s, &port->devargs, err);
}

static int
config_parse_port_rx_queues(const char *path, json_t *v, void *obj,
			    char *err)
{
	struct nfv_port_config *port = obj;
	json_int_t n;
	int ret;

	ret = config_int(path, v, 1, NFV_MAX_RXQ_PER_PORT, "integer", &n, err);
	if (ret == 0)
		port->rx_queues = n;
	return ret;
}

/* A descriptor ring size: a power of two, as many PMDs require. */
static int
config_desc(const char *path, json_t *v, uint16_t *out, char *err)
{
	json_int_t n;
	int ret;

	ret = config_int(path, v, CONFIG_DESC_MIN, CONFIG_DESC_MAX,
			 "power of two", &n, err);
	if (ret < 0)
		return ret;
	if ((n & (n - 1)) != 0)
		return config_err(err, path, "expected power of two %d..%d, got %"
				  JSON_INTEGER_FORMAT, CONFIG_DESC_MIN,
				  CONFIG_DESC_MAX, n);
	*out = n;
	return 0;
}

static int
config_parse_port_rx_desc(const char *path, json_t *v, void *obj, char *err)
{
	struct nfv_port_config *port = obj;

	return config_desc(path, v, &port->rx_desc, err);
}

static int
config_parse_port_tx_desc(const char *path, json_t *v, void *obj, char *err)
{
	struct nfv_port_config *port = obj;

	return config_desc(path, v, &port->tx_desc, err);
}

int
config_mtu(const char *path, const json_t *v, uint16_t *mtu, char *err)
{
	json_int_t n;
	int ret;

	ret = config_int(path, v, CONFIG_MTU_MIN, CONFIG_MTU_MAX, "integer",
			 &n, err);
	if (ret == 0)
		*mtu = n;
	return ret;
}

static int
config_parse_port_mtu(const char *path, json_t *v, void *obj, char *err)
{
	return config_mtu(path, v, &((struct nfv_port_config *)obj)->mtu, err);
}

static const struct config_key config_port_keys[] = {
	{ "devargs", config_parse_port_devargs, true },
	{ "mtu", config_parse_port_mtu, false },
	{ "name", config_parse_port_name, true },
	{ "rx_desc", config_parse_port_rx_desc, false },
	{ "rx_queues", config_parse_port_rx_queues, false },
	{ "tx_desc", config_parse_port_tx_desc, false },
};

/* Checks that port 'i', found at 'path', shares no name or devargs with an
 * earlier port. */
static int
config_port_unique(const struct nfv_config *cfg, unsigned int i,
		   const char *path, char *err)
{
	const struct nfv_port_config *port = &cfg->ports[i];
	char kpath[CONFIG_PATH_MAX + 16];
	unsigned int j;

	for (j = 0; j < i; j++) {
		if (strcmp(cfg->ports[j].name, port->name) == 0) {
			snprintf(kpath, sizeof(kpath), "%s.name", path);
			return config_err(err, kpath, "duplicate port name '%s' (also ports[%u])",
					  port->name, j);
		}
		if (strcmp(cfg->ports[j].devargs, port->devargs) == 0) {
			snprintf(kpath, sizeof(kpath), "%s.devargs", path);
			return config_err(err, kpath, "duplicate devargs '%s' (also ports[%u])",
					  port->devargs, j);
		}
	}
	return 0;
}

static int
config_parse_ports(const char *path, json_t *v, void *obj, char *err)
{
	struct nfv_config *cfg = obj;
	char ppath[CONFIG_PATH_MAX];
	struct nfv_port_config *port;
	unsigned int i, n;
	int ret;

	ret = config_array(path, v, 1, NFV_MAX_PORTS, err);
	if (ret < 0)
		return ret;
	n = json_array_size(v);
	cfg->ports = calloc(n, sizeof(*cfg->ports));
	if (cfg->ports == NULL)
		return config_nomem(err, path);
	/* Set now so that nfv_config_fini() frees partly parsed ports. */
	cfg->n_ports = n;
	for (i = 0; i < n; i++) {
		port = &cfg->ports[i];
		port->rx_queues = NFV_PORT_DEFAULT_RX_QUEUES;
		port->rx_desc = NFV_PORT_DEFAULT_RX_DESC;
		port->tx_desc = NFV_PORT_DEFAULT_TX_DESC;
		port->mtu = NFV_PORT_DEFAULT_MTU;
		snprintf(ppath, sizeof(ppath), "%s[%u]", path, i);
		ret = config_object(ppath, json_array_get(v, i),
				    config_port_keys,
				    NFV_ARRAY_SIZE(config_port_keys), port,
				    err);
		if (ret < 0)
			return ret;
		ret = config_port_unique(cfg, i, ppath, err);
		if (ret < 0)
			return ret;
	}
	return 0;
}

/* OpenFlow ---------------------------------------------------------- */

static int
config_parse_of_listen(const char *path, json_t *v, void *obj, char *err)
{
	struct nfv_config *cfg = obj;
	char **vec;
	size_t n;
	int ret;

	ret = config_strings(path, v, NFV_CONFIG_MAX_LISTEN,
			     config_check_listen, &vec, &n, err);
	if (ret < 0)
		return ret;
	memcpy(cfg->openflow_listen, vec, n * sizeof(*vec));
	cfg->n_openflow_listen = n;
	free(vec);
	return 0;
}

static int
config_parse_of_controllers(const char *path, json_t *v, void *obj,
			    char *err)
{
	struct nfv_config *cfg = obj;
	char **vec;
	size_t n;
	int ret;

	ret = config_strings(path, v, NFV_CONFIG_MAX_CONTROLLERS,
			     config_check_controller, &vec, &n, err);
	if (ret < 0)
		return ret;
	memcpy(cfg->openflow_controllers, vec, n * sizeof(*vec));
	cfg->n_openflow_controllers = n;
	free(vec);
	return 0;
}

static int
config_parse_of_fail_mode(const char *path, json_t *v, void *obj, char *err)
{
	struct nfv_config *cfg = obj;
	const char *s = NULL;
	int ret;

	ret = config_string(path, v, &s, err);
	if (ret < 0)
		return ret;
	if (strcmp(s, "secure") != 0 && strcmp(s, "standalone") != 0)
		return config_err(err, path, "expected 'secure' or 'standalone', got '%s'",
				  s);
	return config_strdup(path, s, &cfg->fail_mode, err);
}

static int
config_parse_of_datapath_id(const char *path, json_t *v, void *obj,
			    char *err)
{
	struct nfv_config *cfg = obj;
	const char *s = NULL;
	char *end;
	int ret;

	ret = config_string(path, v, &s, err);
	if (ret < 0)
		return ret;
	errno = 0;
	cfg->datapath_id = strtoull(s, &end, 16);
	if (s[0] == '\0' || *end != '\0' || errno != 0 || s[0] == '-' ||
	    cfg->datapath_id == 0)
		return config_err(err, path, "expected a non-zero 64-bit hex number such as \"0x0000000000000001\", got '%s'",
				  s);
	return 0;
}

static const struct config_key config_openflow_keys[] = {
	{ "controllers", config_parse_of_controllers, false },
	{ "datapath_id", config_parse_of_datapath_id, false },
	{ "fail_mode", config_parse_of_fail_mode, false },
	{ "listen", config_parse_of_listen, false },
};

static int
config_parse_openflow(const char *path, json_t *v, void *obj, char *err)
{
	((struct nfv_config *)obj)->openflow_given = true;
	return config_object(path, v, config_openflow_keys,
			     NFV_ARRAY_SIZE(config_openflow_keys), obj, err);
}

/* "datapath" (the workers' caches and miss path) and "apps" (the
 * local-controller apps): objects of integer knobs. */
struct config_dp_int {
	const char *name;       /* full key path */
	size_t offset;          /* uint32_t member of struct nfv_config */
	json_int_t min, max;
};

static const struct config_dp_int config_dp_ints[] = {
	{ "datapath.emc_entries", offsetof(struct nfv_config, emc_entries), 16,
	  1 << 20 },
	{ "datapath.emc_insert_inv_prob",
	  offsetof(struct nfv_config, emc_insert_inv_prob), 0, 1000000 },
	{ "datapath.megaflow_idle_ms",
	  offsetof(struct nfv_config, megaflow_idle_ms), 100, 3600000 },
	{ "datapath.megaflows", offsetof(struct nfv_config, megaflows), 64,
	  1 << 20 },
	{ "datapath.pktin_burst", offsetof(struct nfv_config, pktin_burst), 1,
	  100000 },
	{ "datapath.pktin_rate", offsetof(struct nfv_config, pktin_rate), 1,
	  1000000 },
	{ "datapath.upcall_budget", offsetof(struct nfv_config, upcall_budget),
	  1, 4096 },
	{ "apps.arp_aging", offsetof(struct nfv_config, arp_aging), 10,
	  86400 },
	{ "apps.arp_retries", offsetof(struct nfv_config, arp_retries), 1, 10 },
	{ "apps.flow_idle_timeout",
	  offsetof(struct nfv_config, flow_idle_timeout), 1, 65535 },
	{ "apps.pktin_burst", offsetof(struct nfv_config, app_pktin_burst), 1,
	  100000 },
	{ "apps.pktin_rate", offsetof(struct nfv_config, app_pktin_rate), 1,
	  1000000 },
};

static int
config_parse_dp_int(const char *path, json_t *v, void *obj, char *err)
{
	for (size_t i = 0; i < NFV_ARRAY_SIZE(config_dp_ints); i++) {
		const struct config_dp_int *d = &config_dp_ints[i];
		json_int_t n;
		int ret;

		if (strcmp(d->name, path) != 0)
			continue;
		ret = config_int(path, v, d->min, d->max, "integer", &n, err);
		if (ret == 0)
			*(uint32_t *)((char *)obj + d->offset) = n;
		return ret;
	}
	return config_err(err, path, "unknown key");
}

static const struct config_key config_datapath_keys[] = {
	{ "emc_entries", config_parse_dp_int, false },
	{ "emc_insert_inv_prob", config_parse_dp_int, false },
	{ "megaflow_idle_ms", config_parse_dp_int, false },
	{ "megaflows", config_parse_dp_int, false },
	{ "pktin_burst", config_parse_dp_int, false },
	{ "pktin_rate", config_parse_dp_int, false },
	{ "upcall_budget", config_parse_dp_int, false },
};

static int
config_parse_datapath(const char *path, json_t *v, void *obj, char *err)
{
	return config_object(path, v, config_datapath_keys,
			     NFV_ARRAY_SIZE(config_datapath_keys), obj, err);
}

static const struct config_key config_apps_keys[] = {
	{ "arp_aging", config_parse_dp_int, false },
	{ "arp_retries", config_parse_dp_int, false },
	{ "flow_idle_timeout", config_parse_dp_int, false },
	{ "pktin_burst", config_parse_dp_int, false },
	{ "pktin_rate", config_parse_dp_int, false },
};

static int
config_parse_apps(const char *path, json_t *v, void *obj, char *err)
{
	return config_object(path, v, config_apps_keys,
			     NFV_ARRAY_SIZE(config_apps_keys), obj, err);
}
static const struct config_key config_top_keys[] = {
	{ "apps", config_parse_apps, false },
	{ "control_socket", config_parse_control_socket, false },
	{ "datapath", config_parse_datapath, false },
	{ "dhcp_state_file", config_parse_dhcp_state_file, false },
	{ "eal", config_parse_eal, false },
	{ "endpoints", config_parse_endpoints, false },
	{ "flows", config_parse_flows, false },
	{ "mbufs", config_parse_mbufs, false },
	{ "networks", config_parse_networks, false },
	{ "openflow", config_parse_openflow, false },
	{ "pmd_cores", config_parse_pmd_cores, false },
	{ "ports", config_parse_ports, true },
	{ "routers", config_parse_routers, false },
};

/* Fills in what the file left out. */
static int
config_apply_defaults(struct nfv_config *cfg, char *err)
{
	int ret = 0;

	if (cfg->n_pmd_cores == 0) {
		cfg->pmd_cores[0] = 1;
		cfg->n_pmd_cores = 1;
	}
	if (cfg->emc_entries == 0)
		cfg->emc_entries = NFV_CONFIG_DEFAULT_EMC;
	if (cfg->megaflows == 0)
		cfg->megaflows = NFV_CONFIG_DEFAULT_MEGAFLOWS;
	if (cfg->megaflow_idle_ms == 0)
		cfg->megaflow_idle_ms = NFV_CONFIG_DEFAULT_MF_IDLE_MS;
	if (cfg->upcall_budget == 0)
		cfg->upcall_budget = NFV_CONFIG_DEFAULT_UPCALL_BUDGET;
	if (cfg->pktin_rate == 0)
		cfg->pktin_rate = NFV_CONFIG_DEFAULT_PKTIN_RATE;
	if (cfg->app_pktin_rate == 0)
		cfg->app_pktin_rate = NFV_CONFIG_DEFAULT_PKTIN_RATE;
	if (cfg->app_pktin_burst == 0)
		cfg->app_pktin_burst = NFV_CONFIG_DEFAULT_PKTIN_BURST;
	if (cfg->flow_idle_timeout == 0)
		cfg->flow_idle_timeout = NFV_APPS_DEFAULT_FLOW_IDLE;
	if (cfg->arp_aging == 0)
		cfg->arp_aging = NFV_APPS_DEFAULT_ARP_AGING;
	if (cfg->arp_retries == 0)
		cfg->arp_retries = NFV_APPS_DEFAULT_ARP_RETRIES;
	if (cfg->pktin_burst == 0)
		cfg->pktin_burst = NFV_CONFIG_DEFAULT_PKTIN_BURST;
	if (cfg->control_socket == NULL)
		ret = config_strdup("control_socket", NFV_DEFAULT_SOCKET,
				    &cfg->control_socket, err);
	/* Without an "openflow" object, ovs-ofctl finds the switch where it
	 * looks by default; "openflow": {} means no OpenFlow at all. */
	if (ret == 0 && !cfg->openflow_given) {
		ret = config_strdup("openflow.listen", NFV_OPENFLOW_DEFAULT_LISTEN,
				    &cfg->openflow_listen[0], err);
		if (ret == 0)
			cfg->n_openflow_listen = 1;
	}
	if (ret == 0 && cfg->fail_mode == NULL)
		ret = config_strdup("openflow.fail_mode", "secure",
				    &cfg->fail_mode, err);
	if (ret == 0 && cfg->dhcp_state_file == NULL)
		ret = config_strdup("dhcp_state_file",
				    NFV_DHCP_DEFAULT_STATE_FILE,
				    &cfg->dhcp_state_file, err);
	return ret;
}

int
nfv_config_parse(const char *text, size_t len, struct nfv_config *cfg,
		 char *err)
{
	struct nfv_config tmp;
	json_error_t jerr;
	json_t *root;
	int ret;

	memset(cfg, 0, sizeof(*cfg));
	memset(&tmp, 0, sizeof(tmp));
	err[0] = '\0';
	/* JSON_DECODE_ANY so that "[]" or "1" get our own message. */
	root = json_loadb(text, len, JSON_REJECT_DUPLICATES | JSON_DECODE_ANY,
			  &jerr);
	if (root == NULL) {
		snprintf(err, NFV_CONFIG_ERR_MAX, "line %d, column %d: %s",
			 jerr.line, jerr.column, jerr.text);
		config_err_sanitize(err);
		return -EINVAL;
	}
	if (!json_is_object(root)) {
		ret = config_err(err, "config", "expected a JSON object, got %s",
				 config_type_name(root));
		goto out_decref;
	}
	ret = config_object(NULL, root, config_top_keys,
			    NFV_ARRAY_SIZE(config_top_keys), &tmp, err);
	if (ret == 0)
		ret = config_resolve(root, &tmp, err);
	if (ret == 0)
		ret = config_apply_defaults(&tmp, err);
	if (ret == 0)
		*cfg = tmp;
	else
		nfv_config_fini(&tmp);

out_decref:
	json_decref(root);
	return ret;
}

/* Reads all of 'path' (a file, a pipe, ...) into a new buffer '*textp'. */
static int
config_read_file(const char *path, char **textp, size_t *lenp)
{
	size_t len = 0, size = 16384;
	char *text, *bigger;
	ssize_t n;
	int fd, ret;

	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	text = malloc(size);
	if (text == NULL) {
		ret = -ENOMEM;
		goto out_close;
	}
	for (;;) {
		if (len == size) {
			if (size >= CONFIG_FILE_MAX) {
				ret = -EFBIG;
				goto out_free_text;
			}
			size *= 2;
			bigger = realloc(text, size);
			if (bigger == NULL) {
				ret = -ENOMEM;
				goto out_free_text;
			}
			text = bigger;
		}
		n = read(fd, text + len, size - len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			ret = -errno;
			goto out_free_text;
		}
		if (n == 0)
			break;
		len += n;
	}
	close(fd);
	*textp = text;
	*lenp = len;
	return 0;

out_free_text:
	free(text);
out_close:
	close(fd);
	return ret;
}

int
nfv_config_load(const char *path, struct nfv_config *cfg, char *err)
{
	char msg[NFV_CONFIG_ERR_MAX];
	char *text = NULL;
	size_t len = 0;
	int ret;

	memset(cfg, 0, sizeof(*cfg));
	ret = config_read_file(path, &text, &len);
	if (ret < 0) {
		config_err(err, path, "%s", strerror(-ret));
		return ret;
	}
	ret = nfv_config_parse(text, len, cfg, msg);
	free(text);
	if (ret < 0)
		config_err(err, path, "%s", msg);
	return ret;
}

void
nfv_config_fini(struct nfv_config *cfg)
{
	struct nfv_network_config *net;
	unsigned int i, k;
	int j;

	if (cfg == NULL)
		return;
	for (j = 0; cfg->eal_argv != NULL && j < cfg->eal_argc; j++)
		free(cfg->eal_argv[j]);
	free(cfg->eal_argv);
	free(cfg->control_socket);
	for (i = 0; cfg->ports != NULL && i < cfg->n_ports; i++)
		free(cfg->ports[i].devargs);
	free(cfg->ports);
	for (i = 0; cfg->flows != NULL && i < cfg->n_flows; i++)
		free(cfg->flows[i]);
	free(cfg->flows);
	for (i = 0; i < cfg->n_openflow_listen; i++)
		free(cfg->openflow_listen[i]);
	for (i = 0; i < cfg->n_openflow_controllers; i++)
		free(cfg->openflow_controllers[i]);
	free(cfg->fail_mode);
	for (i = 0; cfg->networks != NULL && i < cfg->n_networks; i++) {
		net = &cfg->networks[i];
		free(net->ports);
		for (k = 0; net->subnets != NULL && k < net->n_subnets; k++)
			free(net->subnets[k].dhcp.domain);
		free(net->subnets);
	}
	free(cfg->networks);
	for (i = 0; cfg->routers != NULL && i < cfg->n_routers; i++) {
		free(cfg->routers[i].subnets);
		free(cfg->routers[i].routes);
	}
	free(cfg->routers);
	free(cfg->endpoints);
	free(cfg->dhcp_state_file);
	memset(cfg, 0, sizeof(*cfg));
}

int
nfv_config_port_index(const struct nfv_config *cfg, const char *name)
{
	unsigned int i;

	for (i = 0; cfg != NULL && name != NULL && i < cfg->n_ports; i++)
		if (strcmp(cfg->ports[i].name, name) == 0)
			return i;
	return -1;
}

/* Memory ------------------------------------------------------------ */

#define CONFIG_MBUF_HDR 128             /* struct rte_mbuf */
#define CONFIG_MBUF_HEADROOM 128        /* RTE_PKTMBUF_HEADROOM */
#define CONFIG_MEMPOOL_OBJ_OVERHEAD 64  /* mempool object header/trailer */
#define CONFIG_MIN_DATA_ROOM 2048
#define CONFIG_L2_OVERHEAD (14 + 4 + 8) /* Ethernet, FCS, two VLAN tags */
#define CONFIG_MEMPOOL_CACHE 256
#define CONFIG_MBUF_SLACK 1024
#define CONFIG_EAL_RESERVE_MB 64
#define CONFIG_MB (UINT64_C(1) << 20)

size_t
nfv_config_mbuf_size(const struct nfv_config *cfg)
{
	size_t room = CONFIG_MIN_DATA_ROOM, frame;
	unsigned int i;

	for (i = 0; i < cfg->n_ports; i++) {
		frame = (size_t)cfg->ports[i].mtu + CONFIG_L2_OVERHEAD;
		if (frame > room)
			room = frame;
	}
	room = (room + 63) & ~(size_t)63;
	return CONFIG_MBUF_HDR + CONFIG_MBUF_HEADROOM + room +
	       CONFIG_MEMPOOL_OBJ_OVERHEAD;
}

uint32_t
nfv_config_mbufs_needed(const struct nfv_config *cfg, unsigned int n_txq)
{
	const struct nfv_port_config *port;
	uint64_t n = 0;
	unsigned int i;

	/* Every rx and tx descriptor may hold an mbuf. */
	for (i = 0; i < cfg->n_ports; i++) {
		port = &cfg->ports[i];
		n += (uint64_t)port->rx_queues * port->rx_desc;
		n += (uint64_t)n_txq * port->tx_desc;
	}
	/* Bursts being worked on and tx buffers, on each worker. */
	n += (uint64_t)cfg->n_pmd_cores * NFV_BURST_MAX * 4;
	/* Per-lcore mempool caches (workers and the control thread), counted
	 * twice: a cache can hold more than its size while it flushes. */
	n += (uint64_t)(cfg->n_pmd_cores + 1) * CONFIG_MEMPOOL_CACHE * 2;
	n += CONFIG_MBUF_SLACK;
	if (cfg->n_mbufs > n)
		n = cfg->n_mbufs;
	return n > UINT32_MAX ? UINT32_MAX : n;
}

int
nfv_config_check_memory(const struct nfv_config *cfg, unsigned int n_txq,
			uint64_t mem_mb, char *err)
{
	uint32_t n_mbufs = nfv_config_mbufs_needed(cfg, n_txq);
	size_t mbuf_size = nfv_config_mbuf_size(cfg);
	uint64_t need, need_mb;

	need = (uint64_t)n_mbufs * mbuf_size +
	       CONFIG_EAL_RESERVE_MB * CONFIG_MB;
	need_mb = (need + CONFIG_MB - 1) / CONFIG_MB;
	/* Compare in MB: 'mem_mb' * 1 MiB could overflow. */
	if (mem_mb >= need_mb)
		return 0;
	snprintf(err, NFV_CONFIG_ERR_MAX,
		 "not enough memory for mbufs: need %" PRIu64 " MB (%" PRIu32 " mbufs of %zu bytes for %u port%s, plus %d MB for EAL), EAL was given %" PRIu64 " MB (-m); raise \"-m\" or lower rx_desc/tx_desc/rx_queues",
		 need_mb, n_mbufs, mbuf_size, cfg->n_ports,
		 cfg->n_ports == 1 ? "" : "s", CONFIG_EAL_RESERVE_MB, mem_mb);
	return -ENOMEM;
}
