/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The switch's configuration file: a JSON document read with jansson and
 * validated completely before anything starts. Every error names the key
 * path and what was expected ("ports[1].devargs: expected string"); unknown
 * keys are errors. The loader knows nothing about DPDK: checks that need a
 * running EAL (lcores, devices) live in main.c.
 */
#ifndef NFV_CONFIG_H
#define NFV_CONFIG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "nfv_common.h"

#define NFV_CONFIG_ERR_MAX 512
#define NFV_CONFIG_MAX_FLOWS 65536
#define NFV_CONFIG_MAX_LISTEN 8
#define NFV_CONFIG_MAX_CONTROLLERS 8

#define NFV_PORT_DEFAULT_RX_QUEUES 1
#define NFV_PORT_DEFAULT_RX_DESC 1024
#define NFV_PORT_DEFAULT_TX_DESC 1024
#define NFV_PORT_DEFAULT_MTU 1500

#define NFV_OPENFLOW_DEFAULT_LISTEN "ptcp:6653:127.0.0.1"
#define NFV_CONFIG_DEFAULT_EMC 8192
#define NFV_CONFIG_DEFAULT_MEGAFLOWS 8192
#define NFV_CONFIG_DEFAULT_MF_IDLE_MS 10000
#define NFV_CONFIG_DEFAULT_UPCALL_BUDGET 64
#define NFV_CONFIG_DEFAULT_PKTIN_RATE 1000
#define NFV_CONFIG_DEFAULT_PKTIN_BURST 100

/* Tenant model of the local-controller apps (ARP, DHCP, L3). */
#define NFV_CONFIG_NAME_MAX 32          /* network, subnet, router names */
#define NFV_CONFIG_MAX_NETWORKS 1024
#define NFV_CONFIG_MAX_SUBNETS 256      /* per network */
#define NFV_CONFIG_MAX_ROUTERS 256
#define NFV_CONFIG_MAX_ROUTER_SUBNETS 256
#define NFV_CONFIG_MAX_ROUTES 1024      /* per router */
#define NFV_CONFIG_MAX_ENDPOINTS 4096
#define NFV_CONFIG_MAX_DNS 4
#define NFV_CONFIG_SEGMENT_ID_MAX 16777215
#define NFV_DHCP_DEFAULT_LEASE_SECONDS 86400
#define NFV_DHCP_DEFAULT_STATE_FILE "/var/lib/nfvswitch/dhcp-leases"
#define NFV_APPS_DEFAULT_FLOW_IDLE 30   /* seconds */
#define NFV_APPS_DEFAULT_ARP_AGING 300  /* seconds */
#define NFV_APPS_DEFAULT_ARP_RETRIES 3

struct nfv_port_config {
	char name[NFV_PORT_NAME_MAX];   /* unique; [A-Za-z0-9_.-]+ */
	char *devargs;                  /* PCI address or vdev string */
	uint16_t rx_queues;             /* 1..NFV_MAX_RXQ_PER_PORT */
	uint16_t rx_desc;               /* rx ring size, power of two 64..16384 */
	uint16_t tx_desc;               /* tx ring size, power of two 64..16384 */
	uint16_t mtu;                   /* 68..9600 */
};

/* IPv4 addresses below are in host byte order; a prefix is 'addr' (host
 * bits zero) and 'prefix_len' 0..32. */

/* "networks[].subnets[].dhcp" */
struct nfv_dhcp_config {
	bool enabled;                   /* default false */
	bool range_given;               /* "range" present; required when
					 * enabled */
	uint32_t range_start;           /* inclusive, start <= end, both */
	uint32_t range_end;             /* host addresses, gateway outside */
	uint32_t dns[NFV_CONFIG_MAX_DNS];
	unsigned int n_dns;
	char *domain;                   /* NULL when absent */
	uint32_t lease_seconds;         /* 60..31536000 */
	uint16_t mtu;                   /* 68..9600; 0 = absent */
};

/* "networks[].subnets[]" */
struct nfv_subnet_config {
	char name[NFV_CONFIG_NAME_MAX]; /* unique across the whole file */
	uint32_t addr;                  /* "cidr", host bits zero */
	uint8_t prefix_len;
	uint32_t gateway;               /* host address inside the cidr */
	struct nfv_dhcp_config dhcp;
};

/* "networks[]": subnets of one network never overlap; subnets of
 * different networks may. */
struct nfv_network_config {
	char name[NFV_CONFIG_NAME_MAX]; /* unique */
	uint32_t segment_id;            /* 0..16777215, unique */
	unsigned int *ports;            /* indexes into nfv_config.ports; a
					 * port is in at most one network */
	unsigned int n_ports;
	struct nfv_subnet_config *subnets;
	unsigned int n_subnets;
};

/* A subnet named from outside its network: networks[network].
 * subnets[subnet]. */
struct nfv_subnet_ref {
	unsigned int network;
	unsigned int subnet;
};

/* "routers[].routes[]" */
struct nfv_route_config {
	uint32_t addr;                  /* "cidr", host bits zero */
	uint8_t prefix_len;
	uint32_t next_hop;
	unsigned int subnet;            /* index into the router's subnets
					 * of the one holding 'next_hop' */
};

/* "routers[]" */
struct nfv_router_config {
	char name[NFV_CONFIG_NAME_MAX]; /* unique */
	uint8_t mac[6];                 /* unicast */
	struct nfv_subnet_ref *subnets; /* a subnet is on at most one
					 * router */
	unsigned int n_subnets;
	struct nfv_route_config *routes;
	unsigned int n_routes;
};

/* "endpoints[]": a static MAC/IP binding on a port. */
struct nfv_endpoint_config {
	unsigned int port;              /* index into nfv_config.ports */
	uint8_t mac[6];                 /* unicast, unique */
	uint32_t ip;                    /* unique within the network */
	unsigned int network;           /* the port's network */
	unsigned int subnet;            /* index into that network's
					 * subnets of the one holding 'ip' */
};

struct nfv_config {
	char **eal_argv;        /* "eal" array; NULL when absent */
	int eal_argc;
	unsigned int pmd_cores[NFV_MAX_WORKERS]; /* lcore ids, unique */
	unsigned int n_pmd_cores;       /* >= 1; default [1] when absent */
	char *control_socket;   /* default NFV_DEFAULT_SOCKET */
	uint32_t n_mbufs;       /* "mbufs": per pool; 0 = computed */
	struct nfv_port_config *ports;
	unsigned int n_ports;   /* 1..NFV_MAX_PORTS; OpenFlow port = index + 1 */
	char **flows;           /* ovs-ofctl flow strings, parsed later */
	unsigned int n_flows;
	char *openflow_listen[NFV_CONFIG_MAX_LISTEN]; /* "openflow.listen" */
	unsigned int n_openflow_listen;
	/* "openflow.controllers": "tcp:HOST:PORT" strings */
	char *openflow_controllers[NFV_CONFIG_MAX_CONTROLLERS];
	unsigned int n_openflow_controllers;
	char *fail_mode;        /* "secure" (default) or "standalone" */
	bool openflow_given;    /* the file has an "openflow" object */
	uint64_t datapath_id;   /* "openflow.datapath_id"; 0 = derived */
	/* "datapath": per-worker caches and miss path. */
	uint32_t emc_entries;           /* per worker */
	uint32_t emc_insert_inv_prob;   /* 0 = adaptive */
	uint32_t megaflows;             /* per worker */
	uint32_t megaflow_idle_ms;
	uint32_t upcall_budget;         /* table walks per iteration */
	uint32_t pktin_rate;            /* packet-ins/s per worker */
	uint32_t pktin_burst;
	/* Tenant model; every reference is resolved to an index. */
	struct nfv_network_config *networks;
	unsigned int n_networks;
	struct nfv_router_config *routers;
	unsigned int n_routers;
	struct nfv_endpoint_config *endpoints;
	unsigned int n_endpoints;
	char *dhcp_state_file;  /* default NFV_DHCP_DEFAULT_STATE_FILE */
	/* "apps": knobs of the local-controller apps. */
	uint32_t flow_idle_timeout;     /* reactive L3 flows, seconds */
	uint32_t arp_aging;             /* learned bindings, seconds */
	uint32_t arp_retries;           /* ARP requests before unreachable */
	uint32_t app_pktin_rate;        /* packet-ins/s per app per worker */
	uint32_t app_pktin_burst;
};

/* Parses and validates the JSON text 'text' of 'len' bytes into 'cfg'.
 * On error returns -EINVAL and writes a one-line message naming the key
 * path into 'err' (NFV_CONFIG_ERR_MAX bytes); 'cfg' is left empty.
 * Returns 0 on success. Any thread. */
int nfv_config_parse(const char *text, size_t len, struct nfv_config *cfg,
		     char *err);

/* Like nfv_config_parse() on the contents of 'path'; a missing or
 * unreadable file is an error naming the path and the errno text; JSON
 * syntax errors give line and column. */
int nfv_config_load(const char *path, struct nfv_config *cfg, char *err);

/* Frees everything 'cfg' owns and zeroes it. NULL-safe. */
void nfv_config_fini(struct nfv_config *cfg);

/* Number of mbufs that the ports of 'cfg' need for 'n_txq' tx queues per
 * port: every rx and tx descriptor filled, plus bursts in flight on every
 * worker and the per-lcore mempool caches. Used to size the pools. */
uint32_t nfv_config_mbufs_needed(const struct nfv_config *cfg,
				 unsigned int n_txq);

/* Bytes one mbuf takes in a pool (headers, headroom, data room for the
 * largest port MTU of 'cfg'). */
size_t nfv_config_mbuf_size(const struct nfv_config *cfg);

/* Checks that 'mem_mb' megabytes given to EAL ("-m") cover the mbufs and a
 * fixed reserve for EAL itself. On shortage returns -ENOMEM and says in
 * 'err' how much is needed and how much was given. */
int nfv_config_check_memory(const struct nfv_config *cfg, unsigned int n_txq,
			    uint64_t mem_mb, char *err);

/* Returns the index of the port named 'name' in 'cfg', or -1. */
int nfv_config_port_index(const struct nfv_config *cfg, const char *name);

#endif /* NFV_CONFIG_H */
