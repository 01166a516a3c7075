/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * What the two halves of the config loader share: config.c (the file,
 * the switch's own keys, sizing) and config_tenant.c (networks, subnets,
 * routers, endpoints for the local-controller apps). Only these two files
 * include it.
 */
#ifndef NFV_CONFIG_PRIV_H
#define NFV_CONFIG_PRIV_H

#include <stdbool.h>
#include <stddef.h>

#include <jansson.h>

#include "config.h"

#define CONFIG_PATH_MAX 128             /* "openflow.controllers[7]" etc. */
#define CONFIG_FILE_MAX (64u << 20)     /* refuse to read more than this */
#define CONFIG_MAX_CORE_ID 1023         /* main.c checks the EAL's limit */
#define CONFIG_SUN_PATH_MAX 108         /* sizeof(sockaddr_un.sun_path) */
#define CONFIG_DESC_MIN 64
#define CONFIG_DESC_MAX 16384
#define CONFIG_MTU_MIN 68
#define CONFIG_MTU_MAX 9600

/* Parses 'v', found at key path 'path', into 'obj' (the struct the key
 * belongs to). Returns 0 or a negative errno with 'err' filled. */
typedef int config_key_fn(const char *path, json_t *v, void *obj, char *err);

/* Checks one string of a string array; returns like config_key_fn. */
typedef int config_str_check_fn(const char *path, const char *s, char *err);

/* One key of a JSON object; a table of these describes the object. */
struct config_key {
	const char *name;
	config_key_fn *parse;
	bool required;
};

/* Helpers of config.c (see there for what each checks). Each returns 0
 * or a negative errno with "<path>: <message>" in 'err'. */
int config_err(char *err, const char *path, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
int config_nomem(char *err, const char *path);
const char *config_type_name(const json_t *v);
int config_int(const char *path, const json_t *v, json_int_t min,
	       json_int_t max, const char *what, json_int_t *out, char *err);
int config_string(const char *path, const json_t *v, const char **out,
		  char *err);
int config_nonempty_string(const char *path, const json_t *v,
			   const char **out, char *err);
int config_strdup(const char *path, const char *s, char **out, char *err);
int config_array(const char *path, const json_t *v, size_t min, size_t max,
		 char *err);
int config_strings(const char *path, const json_t *v, size_t max,
		   config_str_check_fn *check, char ***out, size_t *n_out,
		   char *err);
int config_object(const char *path, json_t *v, const struct config_key *keys,
		  size_t n_keys, void *obj, char *err);
/* An MTU, CONFIG_MTU_MIN..CONFIG_MTU_MAX. */
int config_mtu(const char *path, const json_t *v, uint16_t *mtu, char *err);
/* True if 'c' may appear in a port (or network, router...) name. */
bool config_port_name_char(char c);

/* Tenant keys and the cross-reference pass of config_tenant.c. */
int config_parse_networks(const char *path, json_t *v, void *obj, char *err);
int config_parse_routers(const char *path, json_t *v, void *obj, char *err);
int config_parse_endpoints(const char *path, json_t *v, void *obj, char *err);
int config_parse_dhcp_state_file(const char *path, json_t *v, void *obj,
				 char *err);
int config_resolve(const json_t *root, struct nfv_config *cfg, char *err);

#endif /* NFV_CONFIG_PRIV_H */
