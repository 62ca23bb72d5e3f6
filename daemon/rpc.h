/*
 * rpc.h: the socket's methods (DESIGN.md "Socket methods and params"),
 * as a sorted table; server.c hands each request here.
 */
#ifndef FEEDD_RPC_H
#define FEEDD_RPC_H

#include <stddef.h>
#include <time.h>

#include <jansson.h>

struct conf;
struct poller;
struct server_conn;
struct store;

#define RPC_PROTOCOL	1	/* "status" reports it; feedctl checks it */

struct rpc {
	struct store		*store;
	struct poller		*poller;
	const struct conf	*conf;
	time_t			 started;
};

int		 rpc_request(struct server_conn *, const char *, json_t *,
		    json_t **, char **, void *);
const char	*rpc_method_name(size_t);
size_t		 rpc_method_count(void);

#endif /* FEEDD_RPC_H */
