/*
 * rpc-int.h: what the socket methods' files share: rpc.c's dispatch
 * calls a handler per method (rpc-feeds.c, rpc-items.c, rpc-consumer.c,
 * rpc-notify.c, rpc-opml.c, rpc-status.c, rpc-watch.c); rpc.c also has
 * the parameter helpers and the object of a request answered later.
 */
#ifndef FEEDD_RPC_INT_H
#define FEEDD_RPC_INT_H

#include <sys/queue.h>

#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

#include "buf.h"
#include "proto.h"
#include "rpc.h"
#include "server.h"
#include "store.h"

struct opml_outline;

/* A method: params, then a result or an error, or RPC_DEFERRED. */
typedef int (*rpc_handler)(struct rpc *, json_t *, json_t **, char **);

/*
 * A request that changes data.  The loop's connection only reads: the
 * change runs on the writer thread ("run", between poll commits), and
 * the answer goes out on the loop after the commit ("done"), so a later
 * request on the same connection (server.c holds it meanwhile) sees it.
 * The loop never waits for sqlite's write lock.  "params" is held, so
 * the strings the arguments point to live as long as the request.  The
 * same object carries every other request answered later: feeds.add
 * (its check and its first poll's commit), notify.test (its delivery), notify.retry, feeds.poll with
 * "wait" (its polls) and items.search (the indexer): one list of them,
 * and one way for a client that left to be forgotten (rpc_conn_gone).
 */
typedef int (*rpc_write_run)(struct store *, struct rpc_write *, char **);
typedef int (*rpc_write_done)(struct rpc_write *, json_t **, char **);

struct rpc_write {
	struct rpc		*rpc;
	struct server_conn	*conn;		/* NULL: the client left */
	json_t			*id;
	json_t			*params;
	rpc_write_run		 run;		/* on the writer */
	rpc_write_done		 done;		/* on the loop; NULL: none */
	int			 rc;		/* run's */
	char			*cause;		/* run's error */

	/* The arguments, and what "run" found. */
	int64_t			 feed_id;
	int64_t			 item_id;
	int64_t			*ids;
	size_t			 n;
	struct store_query	 q;
	struct store_consumer	 consumer;
	struct store_feed_conf	 sc;
	char			*feed_url;
	char			*url;
	char			*title;
	char			**tags;
	size_t			 ntags;
	char			*options;
	int			 read;
	int			 starred;
	int			 revive;
	size_t			 changed;
	int64_t			 cursor;
	const char		*notifier;
	struct store_item	*items;
	size_t			 nitems;
	struct opml_outline	*outlines;
	size_t			 noutlines;
	json_t			*result;
	struct buf		 text;		/* or a result written as text
						   (rpc_items_write()) */
	int			 droppable;	/* nothing else holds it: it
						   goes with its client */

	/* feeds.poll with "wait": set while its feeds poll. */
	json_t			*outcomes;
	int64_t			*polls;		/* still waited for */
	size_t			 npolls;
	size_t			 total;
	size_t			 errors;	/* held ones too, as answered */
	size_t			 held;		/* by Retry-After, not polled */
	size_t			 elsewhere;	/* by another node */
	int64_t			 held_until;	/* the last of their
						   Retry-Afters */

	/* items.search waiting for the indexer. */
	const char		*query;
	size_t			 limit;
	TAILQ_ENTRY(rpc_write)	 entry;
};

/* rpc.c: parameters */
int		 rpc_bad(char **, const char *, ...)
		    __attribute__((__format__(__printf__, 2, 3)));
int		 rpc_failed(char **, char *);
int		 rpc_int(json_t *, const char *, int64_t *, int64_t);
int		 rpc_str(json_t *, const char *, const char **);
int		 rpc_bool(json_t *, const char *, int *);
int		 rpc_limit(json_t *, int64_t *, char **);
int		 rpc_tags(json_t *, char ***, size_t *);
void		 rpc_tags_free(char **, size_t);
struct store_feed *rpc_feed(struct rpc *, json_t *);
int		 rpc_no_feed(struct rpc *, json_t *, char **);
int		 rpc_tag_unknown(struct rpc *, const char *, char **);
int		 rpc_store_failed(struct rpc *, const char *, char **);
void		 rpc_items_write(struct buf *, struct store_item *, size_t);
int		 rpc_answer_text(struct rpc *, struct buf *);

/* rpc.c: requests answered later */
struct rpc_write *rpc_write_new(struct rpc *, json_t *);
int		 rpc_write_submit(struct rpc_write *, rpc_write_run,
		    rpc_write_done);
void		 rpc_write_finish(struct rpc_write *, json_t *, const char *);

/* The methods (rpc_methods[] in rpc.c). */
int	rpc_consumer_ack(struct rpc *, json_t *, json_t **, char **);
int	rpc_consumer_fetch(struct rpc *, json_t *, json_t **, char **);
int	rpc_consumer_list(struct rpc *, json_t *, json_t **, char **);
int	rpc_consumer_remove(struct rpc *, json_t *, json_t **, char **);
int	rpc_feeds_add(struct rpc *, json_t *, json_t **, char **);
int	rpc_feeds_edit(struct rpc *, json_t *, json_t **, char **);
int	rpc_feeds_explain(struct rpc *, json_t *, json_t **, char **);
int	rpc_feeds_list(struct rpc *, json_t *, json_t **, char **);
int	rpc_feeds_poll(struct rpc *, json_t *, json_t **, char **);
int	rpc_feeds_remove(struct rpc *, json_t *, json_t **, char **);
int	rpc_items_get(struct rpc *, json_t *, json_t **, char **);
int	rpc_items_list(struct rpc *, json_t *, json_t **, char **);
int	rpc_items_mark(struct rpc *, json_t *, json_t **, char **);
int	rpc_items_search(struct rpc *, json_t *, json_t **, char **);
int	rpc_metrics(struct rpc *, json_t *, json_t **, char **);
int	rpc_notify_list(struct rpc *, json_t *, json_t **, char **);
int	rpc_notify_retry(struct rpc *, json_t *, json_t **, char **);
int	rpc_notify_test(struct rpc *, json_t *, json_t **, char **);
int	rpc_opml_export(struct rpc *, json_t *, json_t **, char **);
int	rpc_opml_import(struct rpc *, json_t *, json_t **, char **);
int	rpc_status(struct rpc *, json_t *, json_t **, char **);
int	rpc_watch(struct rpc *, json_t *, json_t **, char **);

#endif /* FEEDD_RPC_INT_H */
