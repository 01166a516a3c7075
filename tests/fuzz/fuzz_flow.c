/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * libFuzzer target for the ovs-ofctl flow syntax (src/pipeline/flow_*.c):
 * every input is one flow string, parsed in add and in filter mode. A flow
 * that parses must format to text that parses back to the same match and
 * priority (the round trip nfvctl dump-flows relies on).
 */
#include <stdlib.h>
#include <string.h>

#include "flow.h"

static int
by_name(void *arg, const char *name)
{
	(void)arg;
	if (strcmp(name, "p1") == 0)
		return 1;
	if (strcmp(name, "p2") == 0)
		return 2;
	return -1;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *text = malloc(size + 1);
	char err[NFV_FLOW_ERR_MAX], buf[NFV_FLOW_STR_MAX];
	struct nfv_flow_spec spec, again;

	if (text == NULL)
		return 0;
	memcpy(text, data, size);
	text[size] = '\0';
	nfv_flow_parse(text, NFV_FLOW_PARSE_MATCH, by_name, NULL, &spec, err);
	if (nfv_flow_parse(text, NFV_FLOW_PARSE_ADD, by_name, NULL, &spec,
			   err) == 0) {
		nfv_flow_format_match(&spec, NULL, NULL, buf, sizeof(buf));
		if (nfv_flow_parse(buf, NFV_FLOW_PARSE_MATCH, by_name, NULL,
				   &again, err) != 0 ||
		    !nfv_flow_same_match(&spec, &again))
			abort();
	}
	free(text);
	return 0;
}
