/*
 * notify.h: the notifiers of the config's [notify "NAME"] sections.  The
 * router picks, as each poll commits, which notifiers get each new item
 * (outbox rows in the same transaction); delivery reads the outbox on
 * the loop and runs asynchronously: exec and mail through child
 * processes, webhooks through the HTTP engine (http.h).  A row leaves
 * the outbox only once delivered (at least once), backs off on failure,
 * and is parked after max_attempts until "notify.retry", which also
 * hurries the rows that wait.
 */
#ifndef FEEDD_NOTIFY_H
#define FEEDD_NOTIFY_H

#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

#include "store.h"

struct conf;
struct event_base;
struct http;
struct notify;
struct writer;

/* A test delivery ended: NULL, or why it failed. */
typedef void (*notify_test_cb)(const char *, void *);

struct notify_stats {
	uint64_t	delivered;
	uint64_t	retried;	/* attempts that failed and will retry */
	uint64_t	failed;		/* rows parked */
	uint64_t	match_limited;	/* texts that hit the match limits */
};

struct notify	*notify_new(struct event_base *, struct store *,
		    struct http *, struct writer *);
void		 notify_set_claimer(struct notify *, struct writer *);
void		 notify_set_conf(struct notify *, const struct conf *);
int		 notify_route(const struct store_route *, store_route_add,
		    void *, void *);
void		 notify_kick(struct notify *);
int		 notify_test(struct notify *, const char *, notify_test_cb,
		    void *, char **);
/* The outcome of notify_retry: how many parked and waiting rows are
 * due again, or an error. */
typedef void (*notify_retry_cb)(size_t, size_t, const char *, void *);

int		 notify_retry(struct notify *, const char *, notify_retry_cb,
		    void *, char **);
json_t		*notify_list(struct notify *, const char *, int, size_t,
		    char **);
json_t		*notify_status(struct notify *);
void		 notify_get_stats(struct notify *, struct notify_stats *);
void		 notify_stop(struct notify *);
void		 notify_free(struct notify *);

#endif /* FEEDD_NOTIFY_H */
