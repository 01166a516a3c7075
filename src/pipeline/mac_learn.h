/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The MAC learning table behind the NORMAL action: (VLAN, MAC) -> port with
 * aging, shared by all workers, as in a hybrid OpenFlow switch.
 *
 * Threads: every worker learns and looks up concurrently without locks.
 * An entry is two 64-bit words (key, value) each stored atomically; a
 * reader may briefly pair a new key with an old value, which sends one
 * frame to the port a MAC was on a moment ago — what any learning switch
 * does while a station moves. The control thread only reads (dump) and
 * flushes.
 */
#ifndef NFV_MAC_LEARN_H
#define NFV_MAC_LEARN_H

#include <stdbool.h>
#include <stdint.h>

#define NFV_MAC_DEFAULT_ENTRIES 16384
#define NFV_MAC_AGING_S 300

struct nfv_mac_table;

/* Creates a table of 'n_entries' (power of two) entries. 0 or -ENOMEM. */
int nfv_mac_table_create(unsigned int n_entries, struct nfv_mac_table **out);
void nfv_mac_table_destroy(struct nfv_mac_table *t);

/* Worker: records that 'mac' on VLAN 'vid' was seen on 'port' at 'now_s'
 * (seconds, any monotonic clock). Writes only when something changed or
 * the entry is more than a second old, so steady traffic stays read-only. */
void nfv_mac_learn(struct nfv_mac_table *t, const uint8_t mac[6], uint16_t vid,
		   uint32_t port, uint32_t now_s);

/* Worker: the port 'mac' on 'vid' was last seen on, or 0 if unknown or
 * older than the aging time. */
uint32_t nfv_mac_lookup(const struct nfv_mac_table *t, const uint8_t mac[6],
			uint16_t vid, uint32_t now_s);

/* Control thread: calls 'fn' for each live entry; forgets everything. */
typedef void nfv_mac_visit_fn(void *arg, const uint8_t mac[6], uint16_t vid,
			      uint32_t port, uint32_t age_s);
void nfv_mac_table_dump(const struct nfv_mac_table *t, uint32_t now_s,
			nfv_mac_visit_fn *fn, void *arg);
void nfv_mac_table_flush(struct nfv_mac_table *t);

#endif /* NFV_MAC_LEARN_H */
