/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Log types of nfvswitch, one per module, registered at startup, and the
 * macros that add the prefix and the newline. Worker code logs only through
 * NFV_LOG_DP (compiled out at DPDK's default data-path level).
 */
#ifndef NFV_LOG_H
#define NFV_LOG_H

#include <rte_log.h>

extern int nfv_logtype_main;
extern int nfv_logtype_pmd;
extern int nfv_logtype_pipeline;
extern int nfv_logtype_ctl;

#define NFV_LOG_T(type, level, fmt, ...)                                    \
	rte_log(RTE_LOG_##level, type, "NFV: " fmt "\n", ##__VA_ARGS__)

#define NFV_LOG(level, fmt, ...)                                            \
	NFV_LOG_T(nfv_logtype_main, level, fmt, ##__VA_ARGS__)
#define PMD_LOG(level, fmt, ...)                                            \
	NFV_LOG_T(nfv_logtype_pmd, level, fmt, ##__VA_ARGS__)

#endif /* NFV_LOG_H */
