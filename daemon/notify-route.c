/*
 * notify-route.c: the router.  It runs on the writer thread, inside a
 * poll's transaction, and picks which notifiers get each new item
 * (outbox rows in the same transaction).  It reads an immutable snapshot
 * of the filters (struct routes) under notify's mutex; the loop swaps in
 * a new snapshot on a reload (notify_set_conf).
 */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "conf.h"
#include "item.h"
#include "log.h"
#include "match.h"
#include "notify-int.h"
#include "store.h"
#include "xmalloc.h"

/* The filters of one notifier, as the router sees them. */
struct route {
	char		 *name;
	char		**feeds;
	size_t		  nfeeds;
	char		**tags;
	size_t		  ntags;
	struct match	 *re;
	int		  re_limited;	/* a limit was hit, and logged */
	int		  skip_repeats;
	int		  notify_first_poll;
};

struct routes {
	struct route	*v;
	size_t		 n;
};

static int
notify_route_in_list(char *const *list, size_t n, const char *s)
{
	size_t	i;

	for (i = 0; i < n; i++)
		if (strcmp(list[i], s) == 0)
			return (1);
	return (0);
}

/*
 * Whether a text passes the route's expression.  One that costs too much
 * counts as not matching; the administrator hears of it once per notifier
 * (per configuration), and the metrics count each.
 */
static int
notify_route_match(struct notify *n, struct route *r, const char *text)
{
	int	rc;

	if (text == NULL)
		return (0);
	if ((rc = match_text(r->re, text, strlen(text))) != -1)
		return (rc);
	n->match_limited++;
	if (!r->re_limited) {
		r->re_limited = 1;
		log_warnx("notify %s: match: an item's text hit the matching "
		    "limits, counted as no match", r->name);
	}
	return (0);
}

/*
 * Whether the notifier's "feeds" name feed "f": by its URL, or by one a
 * permanent redirect moved it from (the config still says that one).
 */
static int
notify_route_names(const struct route *r, const struct store_feed *f)
{
	size_t	i;

	if (notify_route_in_list(r->feeds, r->nfeeds, f->url))
		return (1);
	for (i = 0; i < f->nold_urls; i++)
		if (notify_route_in_list(r->feeds, r->nfeeds, f->old_urls[i]))
			return (1);
	return (0);
}

/* 1: the notifier wants the item; 0: not; -1: the store failed. */
static int
notify_route_wants(struct notify *n, struct route *r,
    const struct store_route *rt)
{
	const struct feed_item	*it = rt->item;
	const struct store_feed	*f;
	size_t			 i;

	if (r->skip_repeats && rt->repeat)
		return (0);
	if (rt->first == STORE_FIRST_AGAIN || (rt->first == STORE_FIRST_QUIET &&
	    !r->notify_first_poll))
		return (0);
	if (r->nfeeds > 0 || r->ntags > 0) {
		if ((f = store_route_feed(rt)) == NULL)
			return (-1);
		if (r->nfeeds > 0 && !notify_route_names(r, f))
			return (0);
		for (i = 0; r->ntags > 0 && i < f->ntags; i++)
			if (notify_route_in_list(r->tags, r->ntags, f->tags[i]))
				break;
		if (r->ntags > 0 && i == f->ntags)
			return (0);
	}
	if (r->re != NULL && !notify_route_match(n, r, it->title) &&
	    !notify_route_match(n, r, it->summary))
		return (0);
	return (1);
}

/* store_route_cb: called by the writer for each new item. */
int
notify_route(const struct store_route *rt, store_route_add add, void *ctx,
    void *arg)
{
	struct notify	*n = arg;
	size_t		 i;
	int		 rc = 0;

	pthread_mutex_lock(&n->lock);
	for (i = 0; n->routes != NULL && i < n->routes->n && rc == 0; i++)
		if ((rc = notify_route_wants(n, &n->routes->v[i], rt)) == 1)
			rc = add(ctx, n->routes->v[i].name);
	pthread_mutex_unlock(&n->lock);
	return (rc);
}

void
notify_routes_free(struct routes *rs)
{
	size_t	i, k;

	if (rs == NULL)
		return;
	for (i = 0; i < rs->n; i++) {
		free(rs->v[i].name);
		for (k = 0; k < rs->v[i].nfeeds; k++)
			free(rs->v[i].feeds[k]);
		free(rs->v[i].feeds);
		for (k = 0; k < rs->v[i].ntags; k++)
			free(rs->v[i].tags[k]);
		free(rs->v[i].tags);
		match_free(rs->v[i].re);
	}
	free(rs->v);
	free(rs);
}

static char **
notify_route_list_copy(char *const *list, size_t n)
{
	char	**v = n ? xcalloc(n, sizeof(*v)) : NULL;
	size_t	  i;

	for (i = 0; i < n; i++)
		v[i] = xstrdup(list[i]);
	return (v);
}

struct routes *
notify_routes_make(const struct conf *c)
{
	struct routes		*rs = xcalloc(1, sizeof(*rs));
	const struct conf_notify *cn;
	struct route		*r;
	char			*cause;
	size_t			 i;

	rs->v = c->nnotifiers ? xcalloc(c->nnotifiers, sizeof(*rs->v)) : NULL;
	for (i = 0; i < c->nnotifiers; i++) {
		cn = &c->notifiers[i];
		r = &rs->v[rs->n];
		r->name = xstrdup(cn->name);
		r->feeds = notify_route_list_copy(cn->feeds, cn->nfeeds);
		r->nfeeds = cn->nfeeds;
		r->tags = notify_route_list_copy(cn->tags, cn->ntags);
		r->ntags = cn->ntags;
		r->skip_repeats = cn->skip_repeats;
		r->notify_first_poll = cn->notify_first_poll;
		/* conf.c compiled it once already: it is valid. */
		if (cn->match != NULL &&
		    (r->re = match_new(cn->match, &cause)) == NULL) {
			log_warnx("notify %s: match: %s", cn->name, cause);
			free(cause);
		}
		rs->n++;
	}
	return (rs);
}
