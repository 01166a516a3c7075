/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * libFuzzer target for control socket requests (src/ctl_server.c): every
 * input is one request line handled by a server with a small command
 * table. The reply must always be one JSON object with an "ok" member.
 */
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "ctl_server.h"

static int
echo(void *ctx, json_t *args, json_t **result, char *err)
{
	(void)ctx;
	(void)err;
	*result = json_copy(args);
	return 0;
}

static const struct nfv_ctl_cmd cmds[] = {
	{ "echo", "TEXT [N]", "echo", { "text", "n" }, 1, 2, false, echo },
};

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct nfv_ctl_server *s;
	json_t *reply;
	char *text;

	if (s == NULL && (nfv_ctl_server_create(&s) < 0 ||
			  nfv_ctl_register(s, cmds, 1, NULL) < 0))
		abort();
	text = nfv_ctl_handle_request(s, (const char *)data, size);
	if (text == NULL)
		return 0;
	reply = json_loads(text, 0, NULL);
	if (reply == NULL || !json_is_boolean(json_object_get(reply, "ok")) ||
	    strchr(text, '\n') != NULL)
		abort();
	json_decref(reply);
	free(text);
	return 0;
}
