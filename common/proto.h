/*
 * proto.h: the JSON-RPC 2.0 envelope of one request line (feedd-protocol(7) "The
 * socket protocol"): decoded and checked here, before any method sees it.
 */
#ifndef FEEDD_PROTO_H
#define FEEDD_PROTO_H

#include <stddef.h>

#include <jansson.h>

/* JSON-RPC 2.0 error codes (section 5.1). */
#define RPC_PARSE_ERROR		(-32700)
#define RPC_INVALID_REQUEST	(-32600)
#define RPC_METHOD_NOT_FOUND	(-32601)
#define RPC_INVALID_PARAMS	(-32602)
#define RPC_INTERNAL_ERROR	(-32603)
#define RPC_FAILED		(-32000)	/* the operation failed */

struct proto_request {
	json_t		*doc;		/* owns what the others point into */
	json_t		*id;		/* NULL: a notification */
	const char	*method;
	json_t		*params;	/* an object, or NULL */
};

int	proto_decode(const char *, size_t, struct proto_request *, char **);
void	proto_request_clear(struct proto_request *);

#endif /* FEEDD_PROTO_H */
