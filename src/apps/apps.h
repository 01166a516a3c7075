/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The local-controller apps (ARP responder, DHCP server, reactive L3
 * router) as the switch sees them: created from the tenant part of the
 * config, they install the proactive base pipeline, take the packet-ins
 * whose rule cookie is theirs, run their timers from the switch's tick and
 * register their nfvctl commands. Everything runs on the control thread;
 * flows go through the same pipeline calls as OpenFlow FLOW_MODs, packets
 * out through the same path as OpenFlow PACKET_OUTs.
 *
 * Cookies (what dump-flows shows): "NFV" (0x4e4656) in the top 24 bits,
 * then the app id: 0x4e46560002000000 is the ARP app's.
 */
#ifndef NFV_APPS_H
#define NFV_APPS_H

#include <stdbool.h>
#include <stdint.h>

#include <rte_mbuf.h>

struct nfv_switch;
struct nfv_apps;

/* Consumers of packet-ins: the apps, by the cookie of the rule that sent
 * the packet. Index 0 is "not an app" (an external controller). */
enum nfv_app_id {
	NFV_APP_NONE = 0,
	NFV_APP_BASE = 1,               /* base pipeline (sends nothing) */
	NFV_APP_ARP = 2,
	NFV_APP_DHCP = 3,
	NFV_APP_L3 = 4,
	NFV_APP_N
};

#define NFV_APP_COOKIE_TAG 0x4e465600u  /* "NFV", then the app id */
#define NFV_APP_COOKIE(app) \
	((uint64_t)NFV_APP_COOKIE_TAG << 32 | (uint64_t)(app) << 24)

/* The app whose rule carries 'cookie', or NFV_APP_NONE. Workers use it to
 * pick a packet-in rate limit; it is cheap. */
static inline enum nfv_app_id
nfv_app_of_cookie(uint64_t cookie)
{
	unsigned int app = (cookie >> 24) & 0xff;

	if ((cookie >> 32) != NFV_APP_COOKIE_TAG || app == 0 ||
	    app >= NFV_APP_N || (cookie & 0xffffff) != 0)
		return NFV_APP_NONE;
	return (enum nfv_app_id)app;
}

/* Builds the apps of 'sw's config (nothing when it has no networks):
 * loads the DHCP lease file, installs the base pipeline and commits.
 * Returns 0 or -errno with a message in 'err' (NFV_CONFIG_ERR_MAX). */
int nfv_apps_create(struct nfv_switch *sw, struct nfv_apps **out, char *err);

/* Saves the leases and frees everything (NULL-safe). Their flows stay in
 * the tables (the switch is going down anyway). */
void nfv_apps_destroy(struct nfv_apps *a);

/* Registers arp-show, dhcp-leases, route-show and app-stats. */
int nfv_apps_ctl_register(struct nfv_apps *a);

/* Takes packet-in 'm' if an app's rule sent it: returns true and owns
 * 'm' then; false leaves it to OpenFlow. NULL-safe. */
bool nfv_apps_packet_in(struct nfv_apps *a, struct rte_mbuf *m);

/* After a round of packet-ins: commits the flows the apps added and sends
 * the packets they held for them through the tables. NULL-safe. */
void nfv_apps_flush(struct nfv_apps *a);

/* Once a second: ARP retries and aging, lease expiry and saving, pending
 * packets that timed out. NULL-safe. */
void nfv_apps_tick(struct nfv_apps *a);

#endif /* NFV_APPS_H */
