/*
 * rpc.h: the socket's methods (feedd-protocol(7) "METHODS"),
 * as a sorted table; server.c hands each request here.
 */
#ifndef FEEDD_RPC_H
#define FEEDD_RPC_H

#include <sys/queue.h>

#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include <jansson.h>

struct conf;
struct event;
struct event_base;
struct indexer;
struct notify;
struct poller;
struct rules;
struct server_conn;
struct store;
struct writer;

#define RPC_PROTOCOL	1	/* "status" reports it; feedctl checks it */

struct rpc_watch;
TAILQ_HEAD(rpc_watches, rpc_watch);
struct rpc_write;
TAILQ_HEAD(rpc_writes, rpc_write);

struct rpc {
	struct event_base	*base;
	struct store		*store;		/* the loop's: read-only */
	struct writer		*writer;	/* every write goes here */
	struct poller		*poller;
	struct notify		*notify;
	struct rules		*rules;		/* NULL: none */
	struct indexer		*indexer;	/* NULL: search the index as is */
	const struct conf	*conf;
	time_t			 started;
	struct server_conn	*conn;		/* the request's, while it runs */
	json_t			*id;		/* and its id */
	struct rpc_watches	 watches;
	/*
	 * Every item id up to this one was announced here or heard of
	 * from another node: a poll's new items past a gap (another node's
	 * commit not heard of yet) are read from the store by the
	 * watchers, not pushed, so no cursor passes an item unseen.
	 */
	int64_t			 heard_max;
	struct rpc_writes	 writes;	/* answered later: a write, a
						   feeds.add's check, a test
						   delivery, a poll's or a
						   search's wait */
	char			*config_error;	/* the last reload's, if it
						   failed; NULL after one
						   that worked */
	time_t			 config_error_at;
	uint64_t		 reload_failures;
};

void		 rpc_init(struct rpc *);
void		 rpc_reloaded(struct rpc *, const char *);
void		 rpc_clear(struct rpc *);
int		 rpc_request(struct server_conn *, const char *, json_t *,
		    json_t *, json_t **, char **, void *);
void		 rpc_announce(int64_t, const int64_t *, size_t, void *);
void		 rpc_watch_heard(int64_t, void *);
void		 rpc_poll_done(int64_t, const char *, void *);
void		 rpc_poll_abort(struct rpc *);
void		 rpc_conn_gone(struct server_conn *, void *);
int		 rpc_check_params(const char *, json_t *, char **);
const char	*rpc_method_name(size_t);
const char	*rpc_method_params(size_t);
size_t		 rpc_method_count(void);

#endif /* FEEDD_RPC_H */
