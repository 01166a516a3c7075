/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Registration of nfvswitch's log types (nfv.main, nfv.pmd, ...). Levels
 * can be changed with EAL's --log-level=nfv.*:debug or at run time.
 */
#include "nfv_log.h"

RTE_LOG_REGISTER(nfv_logtype_main, nfv.main, INFO);
RTE_LOG_REGISTER(nfv_logtype_pmd, nfv.pmd, INFO);
RTE_LOG_REGISTER(nfv_logtype_pipeline, nfv.pipeline, INFO);
RTE_LOG_REGISTER(nfv_logtype_ctl, nfv.ctl, INFO);
