/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * libFuzzer target for the config loader (src/config.c): every input is a
 * config document. It must be accepted or rejected with a one-line message,
 * never crash or leak (LeakSanitizer runs with the target).
 */
#include <stdlib.h>
#include <string.h>

#include "config.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char err[NFV_CONFIG_ERR_MAX];
	struct nfv_config cfg;

	if (nfv_config_parse((const char *)data, size, &cfg, err) == 0)
		nfv_config_fini(&cfg);
	else if (err[0] == '\0' || strchr(err, '\n') != NULL)
		abort();
	return 0;
}
