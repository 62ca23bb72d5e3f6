/*
 * store-int.h: what a store backend provides.  Each backend embeds
 * struct store first and fills in a struct store_ops; store.c dispatches
 * and keeps what is the same for every backend (the notifier router).
 */
#ifndef FEEDD_STORE_INT_H
#define FEEDD_STORE_INT_H

#include "store.h"

struct store_ops {
	const char	*name;
	int	(*feed_add)(struct store *, const struct store_feed_conf *,
		    int64_t *, char **);
	int	(*feed_update)(struct store *, int64_t,
		    const struct store_feed_conf *, char **);
	int	(*feed_remove)(struct store *, int64_t, char **);
	int	(*feed_edit)(struct store *, int64_t,
		    const struct store_feed_conf *, const char *, int, char **);
	int	(*feed_release)(struct store *, int64_t, char **);
	char	*(*feed_options)(struct store *, int64_t);
	struct store_feed *(*feed_get)(struct store *, int64_t, const char *,
		    int);
	int	(*feeds_list)(struct store *, const char *, int,
		    struct store_feed ***, size_t *);
	/* NULL: feed_get() for each. */
	int	(*feeds_state_of)(struct store *, size_t, const int64_t *,
		    struct store_feed **);
	/* NULL: one node per database, every due feed is this one's. */
	int	(*feed_claim)(struct store *, int64_t, int64_t, int, int64_t *,
		    char **);
	int	(*apply_polls)(struct store *, size_t, const int64_t *,
		    const struct store_poll *const *, struct store_poll_result *,
		    char **);
	int	(*items_list)(struct store *, const struct store_query *,
		    struct store_item **, size_t *, char **);
	int	(*items_get)(struct store *, const int64_t *, size_t,
		    struct store_item **, size_t *, char **);
	int	(*items_search)(struct store *, const char *, size_t,
		    struct store_item **, size_t *, char **);
	int	(*index_update)(struct store *, size_t, int *, char **);
	int	(*index_lag)(struct store *, int64_t *, char **);
	void	(*index_stop)(struct store *);
	int	(*items_mark)(struct store *, const int64_t *, size_t, int, int,
		    size_t *, char **);
	int	(*items_mark_where)(struct store *, const struct store_query *,
		    int, int, size_t *, char **);
	int	(*consumer_fetch)(struct store *, const struct store_consumer *,
		    struct store_item **, size_t *, char **);
	int	(*consumer_ack)(struct store *, const char *, int64_t,
		    int64_t *, char **);
	int	(*consumers_list)(struct store *,
		    struct store_consumer_info **, size_t *, char **);
	int	(*consumer_remove)(struct store *, const char *, char **);
	int	(*outbox_due)(struct store *, const char *, int64_t, size_t,
		    const int64_t *, size_t,
		    struct store_delivery **, size_t *, char **);
	int	(*outbox_done)(struct store *, const int64_t *, size_t, char **);
	int	(*outbox_retry)(struct store *, const int64_t *, size_t, int64_t,
		    int, const char *, char **);
	int	(*outbox_revive)(struct store *, const char *, int64_t, size_t *,
		    size_t *, char **);
	int	(*outbox_stats)(struct store *, const char *,
		    struct store_outbox_stats *, char **);
	int	(*outbox_next)(struct store *, const char *, int64_t,
		    const int64_t *, size_t, int64_t *, char **);
	int	(*outbox_list)(struct store *, const char *, int, size_t,
		    int64_t, struct store_outbox_row **, size_t *, char **);
	/* NULL: one node per database, nothing is under way elsewhere. */
	int	(*outbox_elsewhere)(struct store *, const char *, int64_t,
		    int64_t *, char **);
	int	(*outbox_prune)(struct store *, const char *const *, size_t,
		    size_t *, char **);
	int	(*retention_step)(struct store *, struct store_retention *,
		    size_t, char **);
	int	(*stats)(struct store *, struct store_stats *, char **);
	int	(*defer_checkpoints)(struct store *, char **);
	int	(*checkpoint)(struct store *, int, char **);
	int	(*set_cache)(struct store *, size_t, char **);
	void	(*close)(struct store *);
	int	(*set_readonly)(struct store *, char **);
	int	(*feeds_claim)(struct store *, size_t, const int64_t *,
		    const int *, int64_t, const struct store_host_bound *,
		    int *, int64_t *, uint32_t *, char **);
	/* NULL: every operation stays a transaction of its own. */
	int	(*batch_begin)(struct store *, char **);
	int	(*batch_end)(struct store *, char **);
	/* NULL: one node per database, and no "nodes" to list. */
	const char *(*node_id)(struct store *);
	void	(*set_node_id)(struct store *, const char *);
	int	(*node_beat)(struct store *, const char *, const char *,
		    int64_t, int64_t, char **);
	int	(*node_leave)(struct store *, const char *, char **);
	int	(*nodes_list)(struct store *, int64_t, struct store_node **,
		    size_t *, char **);
	/* NULL: a database in a file, never out of reach. */
	int	(*unreachable)(struct store *, int64_t *, char **);
};

/* store_prep_new(): per item of a document, in its order. */
/*
 * A feed whose interval of its own was set lower
 * (feeds.edit, a reload) is next polled on it, from its last poll, not
 * at the time its old interval planned; the jitter's tenth of slack
 * leaves a plan that fits alone.  A backoff after errors and a server's
 * Retry-After still win, and a raised interval keeps the plan it has (a
 * poll sooner than the new interval says, once).  The reason, as SQL
 * text, is the one sched.c gives such a plan.
 */
#define STORE_INTERVAL_REASON_SQL	"the feed''s interval"

struct store_prep {
	size_t		  n;
	char		**canon;	/* url_canonical() of the link */
	int64_t		 *hashes;	/* dedup_hash() */
	char		**cats;		/* store_col_categories(), or NULL */
	char		**encs;		/* store_col_enclosures(), or NULL */
};

/* The categories and enclosures columns: JSON arrays, NULL for none. */
char	*store_col_categories(const struct feed_item *);
char	*store_col_enclosures(const struct feed_item *);
void	 store_col_read_lists(struct feed_item *, const char *,
	    const char *);
/*
 * The feeds' hints column: "ttl=S period=S skip_hours=MASK
 * skip_days=MASK", each part only when the feed says it, "" when it says
 * nothing; NULL (no document stored since) reads as nothing known.
 */
char	*store_col_hints(const struct feed_hints *);
void	 store_col_read_hints(struct feed_hints *, const char *);
void	 store_col_read_urls(struct store_feed *, const char *);

/*
 * SQL both backends share.  STORE_SQL_CONSUMER_FEED: the feed consumer
 * "c" takes, by its URL (a feed that moved found by its old one) or,
 * kept from before URLs were, its id; NULL for every feed, or when its
 * feed is no longer subscribed.  STORE_SQL_CONSUMER_TAKES(f): whether
 * consumer "c" takes the items of feed "f" (a parameter).
 */
#define STORE_SQL_CONSUMER_FEED \
	"CASE WHEN c.feed_url IS NOT NULL THEN COALESCE((SELECT id FROM " \
	"feeds WHERE url = c.feed_url), (SELECT feed_id FROM feed_urls " \
	"WHERE url = c.feed_url ORDER BY replaced DESC LIMIT 1)) " \
	"WHEN c.feed_id IS NOT NULL THEN (SELECT id FROM feeds " \
	"WHERE id = c.feed_id) END"
#define STORE_SQL_CONSUMER_TAKES(f) \
	"((c.feed_url IS NULL AND c.feed_id IS NULL) OR " \
	STORE_SQL_CONSUMER_FEED " = " f ") AND (c.tag IS NULL OR EXISTS " \
	"(SELECT 1 FROM feed_tags t WHERE t.feed_id = " f " AND " \
	"t.tag = c.tag))"

struct store {
	const struct store_ops	 *ops;
	store_route_cb		  route;
	void			 *route_arg;
	store_filter_cb		  filter;
	void			 *filter_arg;
	char			 *read_error;	/* the last getter's, or NULL */
};

void		 store_read_failed(struct store *, const char *);

struct store	*store_sqlite_open(const char *, char **);
int		 store_create_private(const char *, char **);
struct store	*store_pg_open(const char *, char **);
int		 store_pg_check(const char *, char **);
char		*store_pg_mask(const char *);
char		*store_pg_tsquery(const char *, char **);
struct store_listen *store_pg_listen_new(const char *);
int		 store_pg_listen_fd(struct store_listen *);
int		 store_pg_listen_want(struct store_listen *, int64_t *);
int		 store_pg_listen_step(struct store_listen *, int, int64_t *);
size_t		 store_pg_listen_hosts(struct store_listen *, uint32_t **, int *);
int		 store_pg_listen_feeds(struct store_listen *);
void		 store_pg_listen_free(struct store_listen *);

#endif /* FEEDD_STORE_INT_H */
