/*
 * fuzz_proto.c: libFuzzer target for the socket's request decoder: any
 * line is a checked request or a JSON-RPC error code with a message.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "proto.h"

#define FUZZ_MAX_INPUT	(64 * 1024)

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct proto_request	 req;
	char			*message = NULL;
	int			 code;

	if (size > FUZZ_MAX_INPUT)
		return (0);
	code = proto_decode((const char *)data, size, &req, &message);
	if (code == 0) {
		/* A decoded request names its method and has no message. */
		if (req.method == NULL || message != NULL ||
		    (req.params != NULL && !json_is_object(req.params)))
			abort();
	} else if (message == NULL || (code != RPC_PARSE_ERROR &&
	    code != RPC_INVALID_REQUEST && code != RPC_INVALID_PARAMS))
		abort();
	free(message);
	proto_request_clear(&req);
	return (0);
}
