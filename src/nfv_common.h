/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Limits and small helpers shared by every part of nfvswitch. Nothing here
 * depends on DPDK so that codecs and parsers can be unit-tested without EAL.
 */
#ifndef NFV_COMMON_H
#define NFV_COMMON_H

#include <stddef.h>
#include <stdint.h>

#define NFV_VERSION "0.1.0"

#define NFV_MAX_PORTS 64        /* OpenFlow ports 1..NFV_MAX_PORTS */
#define NFV_MAX_WORKERS 16      /* PMD threads */
#define NFV_MAX_RXQ_PER_PORT 16
#define NFV_PORT_NAME_MAX 32    /* including the terminating NUL */
#define NFV_BURST_MAX 32
#define NFV_N_TABLES 254        /* OpenFlow tables 0..253 */

#define NFV_DEFAULT_SOCKET "/run/nfvswitch/nfvswitch.sock"
#define NFV_CTL_REQUEST_MAX (64 * 1024) /* bytes of one control request */

#define NFV_ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

/* The value of hex digit 'c', or -1. */
static inline int
nfv_hex_digit(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* OpenFlow 1.3 reserved port numbers (ofp_port_no). */
enum nfv_ofport {
	NFV_OFPP_MAX = 0xffffff00,
	NFV_OFPP_IN_PORT = 0xfffffff8,
	NFV_OFPP_TABLE = 0xfffffff9,
	NFV_OFPP_NORMAL = 0xfffffffa,
	NFV_OFPP_FLOOD = 0xfffffffb,
	NFV_OFPP_ALL = 0xfffffffc,
	NFV_OFPP_CONTROLLER = 0xfffffffd,
	NFV_OFPP_LOCAL = 0xfffffffe,
	NFV_OFPP_ANY = 0xffffffff,
};

#endif /* NFV_COMMON_H */
