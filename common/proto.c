/*
 * proto.c: one request line into a checked JSON-RPC envelope.
 */
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "proto.h"
#include "xmalloc.h"

/*
 * Returns 0 with "req" filled, or a JSON-RPC error code with "*message"
 * set (the caller frees it); "req->id" is then the id to answer with, if
 * the line had a usable one.
 */
int
proto_decode(const char *line, size_t len, struct proto_request *req,
    char **message)
{
	json_error_t	 err;
	json_t		*method, *params, *version;

	memset(req, 0, sizeof(*req));
	*message = NULL;
	if ((req->doc = json_loadb(line, len, 0, &err)) == NULL) {
		xasprintf(message, "parse error: %s", err.text);
		return (RPC_PARSE_ERROR);
	}
	if (!json_is_object(req->doc)) {
		*message = xstrdup("invalid request: want an object");
		return (RPC_INVALID_REQUEST);
	}
	req->id = json_object_get(req->doc, "id");
	if (req->id != NULL && !json_is_string(req->id) &&
	    !json_is_integer(req->id) && !json_is_null(req->id)) {
		req->id = NULL;
		*message = xstrdup("invalid request: the id must be a string "
		    "or an integer");
		return (RPC_INVALID_REQUEST);
	}
	/* Left out it is taken as 2.0; another version is not ours. */
	version = json_object_get(req->doc, "jsonrpc");
	if (version != NULL && (!json_is_string(version) ||
	    strcmp(json_string_value(version), "2.0") != 0)) {
		*message = xstrdup("invalid request: \"jsonrpc\" must be "
		    "\"2.0\"");
		return (RPC_INVALID_REQUEST);
	}
	method = json_object_get(req->doc, "method");
	if (!json_is_string(method) ||
	    strlen(json_string_value(method)) != json_string_length(method)) {
		*message = xstrdup("invalid request: want \"method\", a "
		    "string");
		return (RPC_INVALID_REQUEST);
	}
	req->method = json_string_value(method);
	params = json_object_get(req->doc, "params");
	if (params != NULL && !json_is_object(params) && !json_is_null(params)) {
		*message = xstrdup("params must be an object");
		return (RPC_INVALID_PARAMS);
	}
	req->params = json_is_object(params) ? params : NULL;
	return (0);
}

void
proto_request_clear(struct proto_request *req)
{
	json_decref(req->doc);
	memset(req, 0, sizeof(*req));
}
