/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * MAC learning table (see mac_learn.h): open addressing over 4-entry
 * buckets; the key word packs the MAC, the VID and a valid bit, the value
 * word packs the port and the last-seen second. A full bucket replaces its
 * oldest entry.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "mac_learn.h"

#define MAC_WAYS 4

struct mac_entry {
	uint64_t key;           /* valid << 63 | vid << 48 | mac */
	uint64_t value;         /* port << 32 | last seen (s) */
};

struct nfv_mac_table {
	unsigned int n_buckets;
	struct mac_entry *entries;      /* n_buckets * MAC_WAYS */
};

int
nfv_mac_table_create(unsigned int n_entries, struct nfv_mac_table **out)
{
	struct nfv_mac_table *t = calloc(1, sizeof(*t));
	unsigned int n = MAC_WAYS;

	while (n < n_entries)
		n <<= 1;
	if (t == NULL)
		return -ENOMEM;
	t->n_buckets = n / MAC_WAYS;
	t->entries = calloc(n, sizeof(*t->entries));
	if (t->entries == NULL) {
		free(t);
		return -ENOMEM;
	}
	*out = t;
	return 0;
}

void
nfv_mac_table_destroy(struct nfv_mac_table *t)
{
	if (t == NULL)
		return;
	free(t->entries);
	free(t);
}

static uint64_t
mac_key(const uint8_t mac[6], uint16_t vid)
{
	uint64_t k = 0;

	for (int i = 0; i < 6; i++)
		k = k << 8 | mac[i];
	return UINT64_C(1) << 63 | (uint64_t)(vid & 0xfff) << 48 | k;
}

static struct mac_entry *
mac_bucket(const struct nfv_mac_table *t, uint64_t key)
{
	uint64_t h = key * UINT64_C(0x9e3779b97f4a7c15);

	return &t->entries[(h >> 32) % t->n_buckets * MAC_WAYS];
}

static bool
mac_fresh(uint64_t value, uint32_t now_s)
{
	return now_s - (uint32_t)value < NFV_MAC_AGING_S;
}

void
nfv_mac_learn(struct nfv_mac_table *t, const uint8_t mac[6], uint16_t vid,
	      uint32_t port, uint32_t now_s)
{
	uint64_t key = mac_key(mac, vid);
	uint64_t value = (uint64_t)port << 32 | now_s;
	struct mac_entry *b = mac_bucket(t, key), *victim = &b[0];

	if (mac[0] & 1)
		return;         /* never learn group addresses */
	for (int i = 0; i < MAC_WAYS; i++) {
		uint64_t k = __atomic_load_n(&b[i].key, __ATOMIC_RELAXED);
		uint64_t v = __atomic_load_n(&b[i].value, __ATOMIC_RELAXED);

		if (k == key) {
			if ((uint32_t)(v >> 32) != port || now_s != (uint32_t)v)
				__atomic_store_n(&b[i].value, value,
						 __ATOMIC_RELAXED);
			return;
		}
		if ((uint32_t)v < (uint32_t)victim->value)
			victim = &b[i];
	}
	__atomic_store_n(&victim->value, value, __ATOMIC_RELAXED);
	__atomic_store_n(&victim->key, key, __ATOMIC_RELEASE);
}

uint32_t
nfv_mac_lookup(const struct nfv_mac_table *t, const uint8_t mac[6],
	       uint16_t vid, uint32_t now_s)
{
	uint64_t key = mac_key(mac, vid);
	const struct mac_entry *b = mac_bucket(t, key);

	for (int i = 0; i < MAC_WAYS; i++) {
		if (__atomic_load_n(&b[i].key, __ATOMIC_ACQUIRE) == key) {
			uint64_t v = __atomic_load_n(&b[i].value,
						     __ATOMIC_RELAXED);

			return mac_fresh(v, now_s) ? (uint32_t)(v >> 32) : 0;
		}
	}
	return 0;
}

void
nfv_mac_table_dump(const struct nfv_mac_table *t, uint32_t now_s,
		   nfv_mac_visit_fn *fn, void *arg)
{
	for (unsigned int i = 0; i < t->n_buckets * MAC_WAYS; i++) {
		uint64_t k = __atomic_load_n(&t->entries[i].key,
					     __ATOMIC_ACQUIRE);
		uint64_t v = __atomic_load_n(&t->entries[i].value,
					     __ATOMIC_RELAXED);
		uint8_t mac[6];

		if (!(k >> 63) || !mac_fresh(v, now_s))
			continue;
		for (int b = 5; b >= 0; b--) {
			mac[b] = k & 0xff;
			k >>= 8;
		}
		fn(arg, mac, (uint16_t)(k & 0xfff), (uint32_t)(v >> 32),
		   now_s - (uint32_t)v);
	}
}

void
nfv_mac_table_flush(struct nfv_mac_table *t)
{
	for (unsigned int i = 0; i < t->n_buckets * MAC_WAYS; i++)
		__atomic_store_n(&t->entries[i].key, 0, __ATOMIC_RELAXED);
}
