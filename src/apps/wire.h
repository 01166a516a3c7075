/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Big-endian reads and writes of 16- and 32-bit fields at any alignment,
 * for the apps' codecs (ARP, DHCP, frame builders), which stay free of
 * DPDK so that they are unit-tested and fuzzed on their own.
 */
#ifndef NFV_WIRE_H
#define NFV_WIRE_H

#include <stdint.h>

static inline uint16_t
get_be16(const uint8_t *p)
{
	return (uint16_t)(p[0] << 8 | p[1]);
}

static inline uint32_t
get_be32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
	       (uint32_t)p[2] << 8 | p[3];
}

static inline void
put_be16(uint8_t *p, uint16_t v)
{
	p[0] = v >> 8;
	p[1] = v;
}

static inline void
put_be32(uint8_t *p, uint32_t v)
{
	p[0] = v >> 24;
	p[1] = v >> 16;
	p[2] = v >> 8;
	p[3] = v;
}

#endif /* NFV_WIRE_H */
