/*
 * store.c: the store's front door.  Picks the backend, keeps the notifier
 * router, and hands every call to the backend's table.
 */
#include <sys/file.h>

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <jansson.h>

#include "buf.h"
#include "conf.h"
#include "dedup.h"
#include "item.h"
#include "store-int.h"
#include "store.h"
#include "url.h"
#include "xmalloc.h"

/*
 * Creates "path" readable by its owner alone when it does not exist:
 * sqlite creates a database with 0644 less the umask, and its -wal and
 * -shm files with the database's mode, while feed URLs carry tokens.
 * Under systemd the unit's UMask says the same.
 */
int
store_create_private(const char *path, char **cause)
{
	int	fd;

	if (*path == '\0' || strncmp(path, ":memory:", 8) == 0 ||
	    strncmp(path, "file:", 5) == 0)
		return (0);	/* sqlite's own names, no file of ours */
	if ((fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC,
	    0600)) == -1) {
		if (errno == EEXIST)
			return (0);
		xasprintf(cause, "%s: %s", path, strerror(errno));
		return (-1);
	}
	close(fd);
	return (0);
}

/*
 * "path" or "sqlite:path": sqlite; a PostgreSQL connection string (a
 * postgresql:// URI or libpq's "key=value ..."): PostgreSQL.
 */
struct store *
store_open(const char *name, char **cause)
{
	if (strncmp(name, "sqlite:", 7) == 0)
		name += 7;
	else if (conf_database_is_pg(name))
		return (store_pg_open(name, cause));
	return (store_sqlite_open(name, cause));
}

/*
 * For --check-config: a PostgreSQL database is connected to and its
 * schema read (not migrated), so a wrong host, password or database is
 * found before the daemon starts; a sqlite path is opened at start.
 */
int
store_check(const char *name, char **cause)
{
	if (strncmp(name, "sqlite:", 7) != 0 && conf_database_is_pg(name))
		return (store_pg_check(name, cause));
	return (0);
}

/*
 * One daemon to a sqlite database: an exclusive flock(2) on the database
 * file, which the daemon keeps until it exits; "*fd" is its descriptor,
 * -1 on PostgreSQL, where several nodes share a database by design.
 * sqlite's own locks last a transaction, so a second feedd on the same
 * file would poll every feed again and deliver from the same outbox.
 * sqlite takes fcntl(2) locks, which flock locks leave alone on a local
 * file system, and this descriptor is closed only after the store.
 */
int
store_lock(const char *name, int *fd, char **cause)
{
	*fd = -1;
	if (strncmp(name, "sqlite:", 7) == 0)
		name += 7;
	else if (conf_database_is_pg(name))
		return (0);
	if (*name == '\0' || strcmp(name, ":memory:") == 0 ||
	    strncmp(name, "file:", 5) == 0)
		return (0);	/* no file of its own to lock */
	/* Made if it is not there, as the store makes it (0600: it may hold
	 * feeds' passwords); sqlite takes an empty file as a new one. */
	if ((*fd = open(name, O_RDONLY | O_CREAT | O_CLOEXEC, 0600)) == -1) {
		xasprintf(cause, "%s: %s", name, strerror(errno));
		return (-1);
	}
	if (flock(*fd, LOCK_EX | LOCK_NB) == -1) {
		if (errno == EWOULDBLOCK)
			xasprintf(cause, "%s: the database is in use by another "
			    "feedd (one daemon to a sqlite database; several "
			    "nodes share a PostgreSQL one)", name);
		else
			xasprintf(cause, "%s: locking: %s", name,
			    strerror(errno));
		close(*fd);
		*fd = -1;
		return (-1);
	}
	return (0);
}

/* A listener for other nodes' items; NULL on sqlite (no other nodes). */
struct store_listen *
store_listen_new(const char *name)
{
	if (strncmp(name, "sqlite:", 7) != 0 && conf_database_is_pg(name))
		return (store_pg_listen_new(name));
	return (NULL);
}

int
store_listen_fd(struct store_listen *l)
{
	return (store_pg_listen_fd(l));
}

int
store_listen_want(struct store_listen *l, int64_t *secs)
{
	return (store_pg_listen_want(l, secs));
}

/*
 * 1 when watchers should read the store again: another node committed
 * items up to "*max", or listening began again after a gap ("*max" 0:
 * any cursor may be behind); "timed_out": the wait ran out.
 */
int
store_listen_step(struct store_listen *l, int timed_out, int64_t *max)
{
	return (store_pg_listen_step(l, timed_out, max));
}

/*
 * The host slots other nodes' commits freed since the last call, a key
 * each (as the poller's claims give them, store_feeds_claim()), to free
 * with free(); "*all" when there were too many to list: any host may
 * have some.
 */
size_t
store_listen_hosts(struct store_listen *l, uint32_t **v, int *all)
{
	return (store_pg_listen_hosts(l, v, all));
}

/*
 * 1 when another node added feeds or changed their schedules (settings,
 * pause, resume) since the last call, or listening began again after a
 * gap: the poller arms what it lacks from the store.
 */
int
store_listen_feeds(struct store_listen *l)
{
	return (store_pg_listen_feeds(l));
}

void
store_listen_free(struct store_listen *l)
{
	store_pg_listen_free(l);
}

/* The database's name for messages: a password in it is masked. */
char *
store_display_name(const char *name)
{
	if (strncmp(name, "sqlite:", 7) != 0 && conf_database_is_pg(name))
		return (store_pg_mask(name));
	return (xstrdup(name));
}

/* Who decides which notifiers get each new item (notify-route.c). */
void
store_set_router(struct store *s, store_route_cb cb, void *arg)
{
	s->route = cb;
	s->route_arg = arg;
}

/* Who decides what becomes of each new item (rules.c). */
void
store_set_filter(struct store *s, store_filter_cb cb, void *arg)
{
	s->filter = cb;
	s->filter_arg = arg;
}

/* The routed item's feed, read once per poll; NULL on a store error. */
const struct store_feed *
store_route_feed(const struct store_route *rt)
{
	return (rt->load(rt->load_arg));
}

int
store_feed_add(struct store *s, const struct store_feed_conf *conf,
    int64_t *id, char **cause)
{
	struct store_feed_conf	 c = *conf;
	char			*norm;
	int			 rc;

	/* Stored in the form feeds are compared in (store_feed_find()). */
	if ((norm = url_normalize(NULL, conf->url, URL_FEED)) != NULL)
		c.url = norm;
	rc = s->ops->feed_add(s, &c, id, cause);
	free(norm);
	return (rc);
}

int
store_feed_update(struct store *s, int64_t id,
    const struct store_feed_conf *conf, char **cause)
{
	return (s->ops->feed_update(s, id, conf, cause));
}

int
store_feed_remove(struct store *s, int64_t id, char **cause)
{
	return (s->ops->feed_remove(s, id, cause));
}

/* feeds.edit: settings, and a new URL (NULL: kept), a resume. */
int
store_feed_edit(struct store *s, int64_t id,
    const struct store_feed_conf *conf, const char *url, int resume,
    char **cause)
{
	return (s->ops->feed_edit(s, id, conf, url, resume, cause));
}

/* The config let feed "id" go: 1 back to runtime, 0 remove it, -1. */
int
store_feed_release(struct store *s, int64_t id, char **cause)
{
	return (s->ops->feed_release(s, id, cause));
}

/* The feed's options as JSON (feedopt.h), or NULL for none. */
char *
store_feed_options(struct store *s, int64_t id)
{
	return (s->ops->feed_options(s, id));
}

struct store_feed *
store_feed_get(struct store *s, int64_t id)
{
	store_read_failed(s, NULL);
	return (s->ops->feed_get(s, id, NULL, 0));
}

/* A feed's state for polling, without its item counts (-1). */
struct store_feed *
store_feed_state(struct store *s, int64_t id)
{
	store_read_failed(s, NULL);
	return (s->ops->feed_get(s, id, NULL, 1));
}

struct store_feed *
store_feed_find(struct store *s, const char *url)
{
	struct store_feed	*f = NULL;
	char			*norm;

	/*
	 * "HTTP://X.EXAMPLE/a" is "http://x.example:80/a": feeds are stored
	 * normalised (feeds added before were normalised by a migration,
	 * but for one that would have become another's twin), so the
	 * normal form first, then the URL as given.
	 */
	store_read_failed(s, NULL);
	if ((norm = url_normalize(NULL, url, URL_FEED)) != NULL) {
		f = s->ops->feed_get(s, 0, norm, 0);
		free(norm);
	}
	if (f == NULL)
		f = s->ops->feed_get(s, 0, url, 0);
	return (f);
}

/*
 * After a getter (store_feed_get, _state, _find) returned NULL: why.
 * NULL means there is no such feed; a message, that the read failed
 * (a busy or broken database), which says nothing of the feed.
 */
const char *
store_read_error(struct store *s)
{
	return (s->read_error);
}

/* A backend's getter failed with "why" (NULL: clears it). */
void
store_read_failed(struct store *s, const char *why)
{
	free(s->read_error);
	s->read_error = why != NULL ? xstrdup(why) : NULL;
}

int
store_feeds_list(struct store *s, const char *tag, struct store_feed ***v,
    size_t *n)
{
	return (s->ops->feeds_list(s, tag, 0, v, n));
}

/*
 * Every feed's state without its item counts (-1): what scheduling and
 * config sync need, cheap however many items there are.
 */
int
store_feeds_states(struct store *s, struct store_feed ***v, size_t *n)
{
	return (s->ops->feeds_list(s, NULL, 1, v, n));
}

/*
 * The states of feeds ids[0..n-1], as store_feed_state() of each, in one
 * read where the backend can (a round trip for a batch of polls, not one
 * a feed): out[i] is NULL for a feed that is gone.  -1 when the read
 * failed, every out[i] NULL and store_read_error() saying why.
 */
int
store_feeds_state_of(struct store *s, size_t n, const int64_t *ids,
    struct store_feed **out)
{
	size_t	i, k;

	store_read_failed(s, NULL);
	if (s->ops->feeds_state_of != NULL)
		return (s->ops->feeds_state_of(s, n, ids, out));
	memset(out, 0, n * sizeof(*out));
	for (i = 0; i < n; i++) {
		out[i] = s->ops->feed_get(s, ids[i], NULL, 1);
		if (out[i] == NULL && s->read_error != NULL) {
			for (k = 0; k < i; k++) {
				store_feed_free(out[k]);
				out[k] = NULL;
			}
			return (-1);
		}
	}
	return (0);
}

/*
 * Before polling feed "id" at "now": 1 when this node may poll it (it
 * holds the feed's lease until the poll is stored), 0 when another node
 * polls it or has polled it since ("*retry_at": when to look again), -1
 * on a store error.  "manual": asked for (feeds.poll), not due.  A
 * backend with one node per database has nothing to claim.
 */
int
store_feed_claim(struct store *s, int64_t id, int64_t now, int manual,
    int64_t *retry_at, char **cause)
{
	*retry_at = now;
	if (s->ops->feed_claim == NULL)
		return (1);
	return (s->ops->feed_claim(s, id, now, manual, retry_at, cause));
}

/*
 * Claims "n" feeds at once (store_feed_claim() for each, "manual" their
 * flags): claimed[i] is 1 for ours, else 0 with retry_at[i] when to look
 * again.  "bound" (NULL: none) bounds the feeds of one host that all the
 * nodes on the database poll at once, where a backend has several nodes;
 * one node's own fetcher keeps its own bound.  claimed[i] is
 * STORE_CLAIM_WAIT for a feed left for now (its host is at the bound, or
 * another node is claiming it this instant): look again at retry_at[i],
 * and a poll asked for is still to be made.  A backend may answer the
 * feeds' store_feed_state() and store_feed_options() that follow from
 * what it read while claiming.  host[i] (if "host" is not NULL) names
 * feed i's host for the bound: the same nonzero key for every feed of one
 * host, 0 where the backend bounds no host.
 */
int
store_feeds_claim(struct store *s, size_t n, const int64_t *ids,
    const int *manual, int64_t now, const struct store_host_bound *bound,
    int *claimed, int64_t *retry_at, uint32_t *host, char **cause)
{
	size_t	i;
	int	rc;

	if (host != NULL)
		memset(host, 0, n * sizeof(*host));
	if (s->ops->feeds_claim != NULL)
		return (s->ops->feeds_claim(s, n, ids, manual, now, bound,
		    claimed, retry_at, host, cause));
	for (i = 0; i < n; i++) {
		if ((rc = store_feed_claim(s, ids[i], now, manual[i],
		    &retry_at[i], cause)) < 0)
			return (-1);
		claimed[i] = rc;
	}
	return (0);
}

void
store_feed_free(struct store_feed *f)
{
	size_t	i;

	if (f == NULL)
		return;
	free(f->url);
	free(f->title);
	free(f->link);
	for (i = 0; i < f->ntags; i++)
		free(f->tags[i]);
	free(f->tags);
	free(f->etag);
	free(f->last_modified);
	free(f->last_error);
	free(f->next_poll_reason);
	for (i = 0; i < f->nold_urls; i++)
		free(f->old_urls[i]);
	free(f->old_urls);
	free(f);
}

/* The feed's old URLs from a column of them, one a line (or NULL). */
void
store_col_read_urls(struct store_feed *f, const char *col)
{
	const char	*p, *nl;

	for (p = col; p != NULL && *p != '\0'; p = nl != NULL ? nl + 1 :
	    NULL) {
		nl = strchr(p, '\n');
		f->old_urls = xreallocarray(f->old_urls, f->nold_urls + 1,
		    sizeof(*f->old_urls));
		f->old_urls[f->nold_urls++] = nl != NULL ?
		    xstrndup(p, (size_t)(nl - p)) : xstrdup(p);
	}
}

void
store_feeds_free(struct store_feed **v, size_t n)
{
	size_t	i;

	for (i = 0; i < n; i++)
		store_feed_free(v[i]);
	free(v);
}

int
store_apply_poll(struct store *s, int64_t feed_id, const struct store_poll *p,
    struct store_poll_result *r, char **cause)
{
	*cause = NULL;
	memset(r, 0, sizeof(*r));
	s->ops->apply_polls(s, 1, &feed_id, &p, r, cause);
	return (*cause != NULL ? -1 : 0);
}

/*
 * Several polls, committed together (each still all or nothing).
 * "causes[i]" is set for each poll that failed, NULL for the others.
 */
void
store_apply_polls(struct store *s, size_t n, const int64_t *feed_ids,
    const struct store_poll *const *polls, struct store_poll_result *res,
    char **causes)
{
	memset(res, 0, n * sizeof(*res));
	memset(causes, 0, n * sizeof(*causes));
	if (n > 0)
		s->ops->apply_polls(s, n, feed_ids, polls, res, causes);
}

void
store_poll_result_clear(struct store_poll_result *r)
{
	free(r->ids);
	memset(r, 0, sizeof(*r));
}

/*
 * 1 when new item "it" is old news to the item rate: dated (published,
 * else updated) more than a day before the feed's last successful poll
 * "last_success".  Such an item was new to feedd, not to the feed (a
 * GUID given anew, an archive page, a reordered feed), and says nothing
 * of how often the feed publishes.
 */
int
store_item_old_news(const struct feed_item *it, int64_t last_success)
{
	int64_t	date = it->published != DATE_NONE ? it->published :
		    it->updated;

	return (last_success != DATE_NONE && date != DATE_NONE &&
	    date < last_success - STORE_OLD_NEWS);
}

/*
 * The feed's item rate (new items a day) after a successful poll that
 * found "nnew" new items (old news left out: store_item_old_news()), from the rate before it ("old", < 0: none
 * yet).  One poll is a small sample and can mislead: a poll asked for
 * seconds after the last one finds what was published over the whole
 * interval before it, and a feed that gives old items new GUIDs has
 * "new" items at every poll.  Taken over the seconds since the last
 * poll, either looked like thousands of items a day.  So a sample spans
 * at least "min_gap" (the interval planned at the last poll: what those
 * items were published over), it weighs 0.3 against the rate before,
 * and one poll at most doubles that rate.  The first new items start
 * from the rate the planned interval stands for (sched_next_poll()
 * polls twice per new item), so they move it no more than any later
 * ones.  A poll without a new item decays the rate by 0.7, or leaves
 * it unknown: a quiet feed keeps to the default interval and its
 * hints, as one never polled does.  store-pg.c's pg_apply_simple()
 * does this in SQL, so the two change together.
 */
double
store_item_rate(double old, int64_t last_success, int64_t now, size_t nnew,
    int64_t min_gap)
{
	double	gap, sample, rate;

	if (last_success == DATE_NONE || now <= last_success ||
	    (old < 0 && nnew == 0))
		return (old);
	gap = (double)(now - last_success);
	if (gap < (double)min_gap)
		gap = (double)min_gap;
	sample = (double)nnew * 86400.0 / gap;
	if (old < 0 && min_gap > 0)
		old = 43200.0 / (double)min_gap;
	if (old < 0)
		rate = sample;
	else {
		rate = 0.7 * old + 0.3 * sample;
		if (old > 0 && rate > 2.0 * old)
			rate = 2.0 * old;
	}
	/* Below one item in ~3 years is none; it stops decaying at 0. */
	return (rate < 1e-3 ? 0 : rate);
}

int
store_items_list(struct store *s, const struct store_query *q,
    struct store_item **v, size_t *n, char **cause)
{
	return (s->ops->items_list(s, q, v, n, cause));
}

int
store_items_get(struct store *s, const int64_t *ids, size_t nids,
    struct store_item **v, size_t *n, char **cause)
{
	return (s->ops->items_get(s, ids, nids, v, n, cause));
}

/*
 * A query with none of the search syntax's operators (quotes,
 * parentheses, "title:", a prefix "*", AND, OR, NOT, NEAR) as a phrase
 * per word; NULL for one with operators.  People type words like
 * "covid-19" or "north's", which the syntax would read as a column or
 * a broken string; as phrases they match what they say.  So is a query
 * with an odd number of quotes ('printf("hello'), without them: a lone
 * quote cannot be syntax, and no word holds one.  A blank query is NULL
 * too.
 */
static char *
store_search_words(const char *query)
{
	struct buf	 b = { NULL, 0, 0 };
	const char	*p = query, *q;
	size_t		 len, quotes = 0;

	for (q = query; (q = strchr(q, '"')) != NULL; q++)
		quotes++;
	if (quotes % 2 == 0 && strpbrk(query, "\"():*^") != NULL)
		return (NULL);
	for (;;) {
		p += strspn(p, " \t\r\n");
		if (*p == '\0')
			break;
		len = strcspn(p, " \t\r\n");
		if ((len == 3 && (strncmp(p, "AND", 3) == 0 ||
		    strncmp(p, "NOT", 3) == 0)) || (len == 2 &&
		    strncmp(p, "OR", 2) == 0) || (len == 4 &&
		    strncmp(p, "NEAR", 4) == 0)) {
			buf_free(&b);
			return (NULL);
		}
		if (b.len != 0)
			buf_addc(&b, ' ');
		buf_addc(&b, '"');
		for (q = p; q < p + len; q++)
			if (*q != '"')
				buf_addc(&b, *q);
		buf_addc(&b, '"');
		p += len;
	}
	return (b.data);
}

static int
store_search_is_op(const char *p, size_t len)
{
	return ((len == 3 && (strncmp(p, "AND", 3) == 0 ||
	    strncmp(p, "NOT", 3) == 0)) || (len == 2 &&
	    strncmp(p, "OR", 2) == 0) || (len == 4 &&
	    strncmp(p, "NEAR", 4) == 0));
}

/*
 * What is wrong with a query in the search syntax, said for people, or
 * NULL when nothing common is: both backends' own messages ("fts5:
 * syntax error near \"\"") name neither the mistake nor the way out.
 */
static const char *
store_search_mistake(const char *query)
{
	const char	*p = query, *colon;
	size_t		 len;
	int		 depth = 0, operand = 0;

	for (;;) {
		p += strspn(p, " \t\r\n");
		if (*p == '\0')
			break;
		if (*p == '(') {
			if (operand)
				return ("a ( after a word needs AND, OR or NOT "
				    "before it");
			depth++;
			p++;
			continue;
		}
		if (*p == ')') {
			if (--depth < 0)
				return ("a ) without its (");
			if (!operand)
				return ("( ) holds nothing to search for");
			p++;
			continue;
		}
		if (*p == '"') {
			/* Quotes come in pairs here (store_search_words). */
			if ((colon = strchr(p + 1, '"')) == NULL)
				break;
			p = colon + 1;
			p += *p == '*';
			operand = 1;
			continue;
		}
		len = strcspn(p, " \t\r\n()\"");
		if (store_search_is_op(p, len)) {
			if (!operand)
				return (strncmp(p, "NOT", len) == 0 ?
				    "NOT needs a word before it (a NOT b: "
				    "a without b)" : "AND, OR and NEAR need "
				    "a word on each side");
			operand = 0;
			p += len;
			continue;
		}
		if (*p == '*')
			return ("a * goes at the end of a word, for a prefix "
			    "(netw*)");
		colon = memchr(p, ':', len);
		if (colon != NULL && !((colon - p == 5 &&
		    strncmp(p, "title", 5) == 0) || (colon - p == 7 &&
		    (strncmp(p, "summary", 7) == 0 || strncmp(p, "content",
		    7) == 0))))
			return ("the columns are title:, summary: and "
			    "content:; quote a word with a colon "
			    "(\"covid:19\")");
		operand = colon == NULL || colon + 1 < p + len ||
		    p[len] == '"' ? 1 : 0;
		p += len;
		if (!operand && *p != '"')
			return ("a column needs a word or \"a phrase\" "
			    "right after it (title:word)");
	}
	if (depth > 0)
		return ("a ( without its )");
	if (!operand)
		return ("AND, OR, NOT and NEAR need a word after them");
	return (NULL);
}

int
store_items_search(struct store *s, const char *query, size_t limit,
    struct store_item **v, size_t *n, char **cause)
{
	const char	*why;
	char		*words;
	int		 rc;

	if ((words = store_search_words(query)) == NULL) {
		if ((why = store_search_mistake(query)) != NULL) {
			xasprintf(cause, "bad search query: %s", why);
			return (-1);
		}
		return (s->ops->items_search(s, query, limit, v, n, cause));
	}
	rc = s->ops->items_search(s, words, limit, v, n, cause);
	free(words);
	return (rc);
}

/*
 * Brings the full-text index up to date with what is committed, at most
 * "max_items" new items at a time (0: all); "*more" says some are left.
 * Searches see an item once an update has indexed it.
 */
int
store_index_update(struct store *s, size_t max_items, int *more,
    char **cause)
{
	return (s->ops->index_update(s, max_items, more, cause));
}

/*
 * Thread-safe: a store_index_update() under way on this store gives up
 * (rolled back) and so does every later one: for a quick shutdown.
 */
void
store_index_stop(struct store *s)
{
	s->ops->index_stop(s);
}

/* Items and changes committed and not yet in the index. */
int
store_index_lag(struct store *s, int64_t *lag, char **cause)
{
	return (s->ops->index_lag(s, lag, cause));
}

int
store_items_mark(struct store *s, const int64_t *ids, size_t n, int read,
    int starred, size_t *changed, char **cause)
{
	return (s->ops->items_mark(s, ids, n, read, starred, changed, cause));
}

/*
 * Marks every item "q" selects (feed_id, tag, before; the others are
 * ignored) read or unread, starred or not (-1: leave as is).
 */
int
store_items_mark_where(struct store *s, const struct store_query *q,
    int read, int starred, size_t *changed, char **cause)
{
	return (s->ops->items_mark_where(s, q, read, starred, changed,
	    cause));
}

void
store_items_free(struct store_item *v, size_t n)
{
	size_t	i;

	for (i = 0; i < n; i++)
		feed_item_free(v[i].item);
	free(v);
}

int
store_consumer_fetch(struct store *s, const struct store_consumer *c,
    struct store_item **v, size_t *n, char **cause)
{
	return (s->ops->consumer_fetch(s, c, v, n, cause));
}

/* An error for a consumer that its first fetch has not made. */
int
store_consumer_ack(struct store *s, const char *name, int64_t id,
    int64_t *cursor, char **cause)
{
	return (s->ops->consumer_ack(s, name, id, cursor, cause));
}

int
store_consumers_list(struct store *s, struct store_consumer_info **v,
    size_t *n, char **cause)
{
	return (s->ops->consumers_list(s, v, n, cause));
}

void
store_consumers_free(struct store_consumer_info *v, size_t n)
{
	size_t	i;

	for (i = 0; i < n; i++) {
		free(v[i].name);
		free(v[i].feed);
		free(v[i].tag);
	}
	free(v);
}

/*
 * Forgets a consumer (an error when there is none): retention no longer
 * keeps the items it had still to acknowledge.
 */
int
store_consumer_remove(struct store *s, const char *name, char **cause)
{
	return (s->ops->consumer_remove(s, name, cause));
}

/* A whole pass at once, for callers that may hold the store that long. */
int
store_retention(struct store *s, int64_t max_age, int64_t max_items,
    int64_t now, size_t *removed, char **cause)
{
	struct store_retention	r;

	memset(&r, 0, sizeof(r));
	r.max_age = max_age;
	r.max_items = max_items;
	r.now = now;
	while (!r.done)
		if (store_retention_step(s, &r, STORE_RETENTION_CHUNK,
		    cause) != 0)
			return (-1);
	*removed = r.removed;
	return (0);
}

int
store_retention_step(struct store *s, struct store_retention *r,
    size_t limit, char **cause)
{
	return (s->ops->retention_step(s, r, limit, cause));
}

int
store_stats(struct store *s, struct store_stats *st, char **cause)
{
	memset(st, 0, sizeof(*st));
	return (s->ops->stats(s, st, cause));
}

/*
 * Whether this store's connection to its database server is lost (the
 * server is down or out of reach), as the last call found it: then 1,
 * "*why" saying so ("the database at HOST is unreachable: ...") and
 * "*since" when this process first found it so (DATE_NONE: not known).
 * 0 for a store that is connected, or that has no server (sqlite).
 */
int
store_unreachable(struct store *s, int64_t *since, char **why)
{
	*since = DATE_NONE;
	*why = NULL;
	if (s->ops->unreachable == NULL)
		return (0);
	return (s->ops->unreachable(s, since, why));
}

/*
 * The id this store's leases carry when nodes share the database; NULL
 * when one node has it to itself (sqlite), which has no nodes to list.
 */
const char *
store_node_id(struct store *s)
{
	if (s->ops->node_id == NULL)
		return (NULL);
	return (s->ops->node_id(s));
}

/*
 * This connection takes its leases in the name of node "id" (another
 * connection's store_node_id()): a second connection of the same node,
 * whose claims "status" counts as the node's.  Set before its first
 * claim.  Where one node has the database to itself, nothing to do.
 */
void
store_set_node_id(struct store *s, const char *id)
{
	if (s->ops->set_node_id != NULL && id != NULL)
		s->ops->set_node_id(s, id);
}

/*
 * Node "owner" (this process's store_node_id()) running "version" since
 * "started" is alive at "now"; rows dead past STORE_NODE_PRUNE go.
 */
int
store_node_beat(struct store *s, const char *owner, const char *version,
    int64_t started, int64_t now, char **cause)
{
	if (s->ops->node_beat == NULL)
		return (0);
	return (s->ops->node_beat(s, owner, version, started, now, cause));
}

/* Node "owner" stops cleanly: its row goes. */
int
store_node_leave(struct store *s, const char *owner, char **cause)
{
	if (s->ops->node_leave == NULL)
		return (0);
	return (s->ops->node_leave(s, owner, cause));
}

/* The nodes, oldest first, with the leases each holds at "now". */
int
store_nodes_list(struct store *s, int64_t now, struct store_node **v,
    size_t *n, char **cause)
{
	*v = NULL;
	*n = 0;
	if (s->ops->nodes_list == NULL)
		return (0);
	return (s->ops->nodes_list(s, now, v, n, cause));
}

void
store_nodes_free(struct store_node *v, size_t n)
{
	size_t	i;

	for (i = 0; i < n; i++) {
		free(v[i].owner);
		free(v[i].host);
		free(v[i].version);
	}
	free(v);
}

void
store_close(struct store *s)
{
	if (s == NULL)
		return;
	free(s->read_error);
	s->ops->close(s);
}

/*
 * Up to "limit" rows of "notifier" due by "now", in delivery order, with
 * their items; rows whose ids are in "skip" (the caller holds them) are
 * passed over and do not count against the limit.
 */
int
store_outbox_due(struct store *s, const char *notifier, int64_t now,
    size_t limit, const int64_t *skip, size_t nskip,
    struct store_delivery **v, size_t *n, char **cause)
{
	return (s->ops->outbox_due(s, notifier, now, limit, skip, nskip, v, n,
	    cause));
}

void
store_deliveries_free(struct store_delivery *v, size_t n)
{
	size_t	i;

	for (i = 0; i < n; i++) {
		free(v[i].feed_url);
		free(v[i].feed_title);
		feed_item_free(v[i].item.item);
	}
	free(v);
}

int
store_outbox_done(struct store *s, const int64_t *ids, size_t n,
    char **cause)
{
	return (n == 0 ? 0 : s->ops->outbox_done(s, ids, n, cause));
}

/* Another failed attempt; "max_attempts" reached parks the rows. */
int
store_outbox_retry(struct store *s, const int64_t *ids, size_t n,
    int64_t next_attempt, int max_attempts, const char *error, char **cause)
{
	return (n == 0 ? 0 : s->ops->outbox_retry(s, ids, n, next_attempt,
	    max_attempts, error, cause));
}

/*
 * A notifier's rows become due at "now": the parked ones with fresh
 * attempts, the waiting ones (held for a retry or a Retry-After) with
 * the attempts they have made; how many of each.  One transaction.
 */
int
store_outbox_revive(struct store *s, const char *notifier, int64_t now,
    size_t *parked, size_t *waiting, char **cause)
{
	*parked = *waiting = 0;
	return (s->ops->outbox_revive(s, notifier, now, parked, waiting,
	    cause));
}

int
store_outbox_stats(struct store *s, const char *notifier,
    struct store_outbox_stats *st, char **cause)
{
	return (s->ops->outbox_stats(s, notifier, st, cause));
}

/*
 * When the first of a notifier's queued rows that is not under way goes:
 * the earliest next attempt of its rows that are not parked, not in
 * "skip" (the caller's, under way) and, where nodes share the database,
 * not leased at "now" by another; DATE_NONE when there is none.  A read.
 */
int
store_outbox_next(struct store *s, const char *notifier, int64_t now,
    const int64_t *skip, size_t nskip, int64_t *next, char **cause)
{
	*next = DATE_NONE;
	return (s->ops->outbox_next(s, notifier, now, skip, nskip, next,
	    cause));
}

/*
 * Up to "limit" (0: STORE_DEFAULT_LIMIT) of a notifier's queued rows,
 * oldest first, each with its item's id and title, and whether another
 * node has it under way at "now"; only the parked ones with "parked".
 * A read.
 */
int
store_outbox_list(struct store *s, const char *notifier, int parked,
    size_t limit, int64_t now, struct store_outbox_row **v, size_t *n,
    char **cause)
{
	*v = NULL;
	*n = 0;
	if (limit == 0)
		limit = STORE_DEFAULT_LIMIT;
	return (s->ops->outbox_list(s, notifier, parked, limit, now, v, n,
	    cause));
}

/*
 * How many of a notifier's rows other nodes on the database have under
 * way at "now" (their leases): "status" counts them in flight with this
 * node's own.  A read.
 */
int
store_outbox_elsewhere(struct store *s, const char *notifier, int64_t now,
    int64_t *count, char **cause)
{
	*count = 0;
	if (s->ops->outbox_elsewhere == NULL)
		return (0);
	return (s->ops->outbox_elsewhere(s, notifier, now, count, cause));
}

void
store_outbox_rows_free(struct store_outbox_row *v, size_t n)
{
	size_t	i;

	for (i = 0; i < n; i++) {
		free(v[i].title);
		free(v[i].last_error);
	}
	free(v);
}

/* Rows of notifiers not among "keep" (gone from the config) are dropped. */
int
store_outbox_prune(struct store *s, const char *const *keep, size_t nkeep,
    size_t *dropped, char **cause)
{
	return (s->ops->outbox_prune(s, keep, nkeep, dropped, cause));
}

/* The log is folded back into the database only in store_checkpoint(). */
int
store_defer_checkpoints(struct store *s, char **cause)
{
	return (s->ops->defer_checkpoints(s, cause));
}

/*
 * Folds the log back (STORE_CHECKPOINT_*): GROWN when this connection's
 * commits have grown it, cheap when they have not; IDLE: the writer has
 * nothing to do, so all of it and the file truncated, 1 when a reader was
 * in the way (try again later).
 */
int
store_checkpoint(struct store *s, int mode, char **cause)
{
	return (s->ops->checkpoint(s, mode, cause));
}

/*
 * What the store works out from each item before it looks anything up
 * (its canonical link and content hash) or writes it (its categories and
 * enclosures as the columns hold them), made where the document was
 * parsed and handed in with the poll (store_poll.prep): the thread that
 * commits is the one a first poll waits for, so it does not spend its
 * time there.
 */
struct store_prep *
store_prep_new(const struct feed_doc *doc)
{
	struct store_prep	*pp;
	size_t			 i;

	if (doc == NULL || doc->nitems == 0)
		return (NULL);
	pp = xcalloc(1, sizeof(*pp));
	pp->n = doc->nitems;
	pp->canon = xcalloc(pp->n, sizeof(*pp->canon));
	pp->hashes = xcalloc(pp->n, sizeof(*pp->hashes));
	pp->cats = xcalloc(pp->n, sizeof(*pp->cats));
	pp->encs = xcalloc(pp->n, sizeof(*pp->encs));
	for (i = 0; i < pp->n; i++) {
		pp->canon[i] = url_canonical(doc->items[i]->link);
		pp->hashes[i] = dedup_hash(doc->items[i]);
		pp->cats[i] = store_col_categories(doc->items[i]);
		pp->encs[i] = store_col_enclosures(doc->items[i]);
	}
	return (pp);
}

void
store_prep_free(struct store_prep *pp)
{
	size_t	i;

	if (pp == NULL)
		return;
	for (i = 0; i < pp->n; i++) {
		free(pp->canon[i]);
		free(pp->cats[i]);
		free(pp->encs[i]);
	}
	free(pp->canon);
	free(pp->hashes);
	free(pp->cats);
	free(pp->encs);
	free(pp);
}

char *
store_col_categories(const struct feed_item *it)
{
	json_t	*a;
	char	*s;
	size_t	 i;

	if (it->ncategories == 0)
		return (NULL);
	a = json_array();
	for (i = 0; i < it->ncategories; i++)
		json_array_append_new(a, json_string(it->categories[i]));
	s = json_dumps(a, JSON_COMPACT);
	json_decref(a);
	return (s);
}

/* The two columns read back into the item; what is not JSON is left. */
void
store_col_read_lists(struct feed_item *it, const char *cats,
    const char *encs)
{
	struct feed_enclosure	*e;
	json_t			*a, *v;
	size_t			 i;

	if (cats != NULL && (a = json_loads(cats, 0, NULL)) != NULL) {
		json_array_foreach(a, i, v)
			if (json_is_string(v))
				feed_item_add_category(it, json_string_value(v));
		json_decref(a);
	}
	if (encs != NULL && (a = json_loads(encs, 0, NULL)) != NULL) {
		json_array_foreach(a, i, v) {
			if (!json_is_string(json_array_get(v, 0)))
				continue;
			e = feed_item_add_enclosure(it,
			    json_string_value(json_array_get(v, 0)),
			    json_string_value(json_array_get(v, 1)),
			    json_integer_value(json_array_get(v, 2)));
			/* Rows before durations have three members. */
			if (json_is_integer(json_array_get(v, 3)))
				e->duration = json_integer_value(
				    json_array_get(v, 3));
		}
		json_decref(a);
	}
}

/* [url, type or null, length, duration] per enclosure. */
char *
store_col_enclosures(const struct feed_item *it)
{
	json_t	*a;
	char	*s;
	size_t	 i;

	if (it->nenclosures == 0)
		return (NULL);
	a = json_array();
	for (i = 0; i < it->nenclosures; i++)
		json_array_append_new(a, json_pack("[s, s?, I, I]",
		    it->enclosures[i].url, it->enclosures[i].type,
		    (json_int_t)it->enclosures[i].length,
		    (json_int_t)it->enclosures[i].duration));
	s = json_dumps(a, JSON_COMPACT);
	json_decref(a);
	return (s);
}

char *
store_col_hints(const struct feed_hints *h)
{
	char	s[160];
	size_t	n = 0;

	/* Each part starts with a space; the first one's is not returned. */
	s[0] = s[1] = '\0';
	if (h->ttl > 0)
		n += (size_t)snprintf(s + n, sizeof(s) - n, " ttl=%" PRId64,
		    h->ttl);
	if (h->update_period > 0)
		n += (size_t)snprintf(s + n, sizeof(s) - n, " period=%" PRId64,
		    h->update_period);
	if (h->skip_hours != 0)
		n += (size_t)snprintf(s + n, sizeof(s) - n,
		    " skip_hours=%" PRIu32, h->skip_hours);
	if (h->skip_days != 0)
		snprintf(s + n, sizeof(s) - n, " skip_days=%u",
		    (unsigned int)h->skip_days);
	return (xstrdup(s + 1));
}

/*
 * The column read back.  A part not understood is left out rather than
 * failing the feed's row: hints only ever make polls rarer.
 */
void
store_col_read_hints(struct feed_hints *h, const char *s)
{
	const char	*name;
	char		*end;
	long long	 v;
	size_t		 len;

	h->ttl = -1;
	h->update_period = -1;
	h->skip_hours = 0;
	h->skip_days = 0;
	while (s != NULL && *(s += strspn(s, " ")) != '\0') {
		name = s;
		len = strcspn(s, "= ");
		s += len;
		if (*s != '=')
			continue;
		errno = 0;
		v = strtoll(s + 1, &end, 10);
		s = end + strcspn(end, " ");
		if (end == name + len + 1 || end != s || errno != 0 || v <= 0)
			continue;
		if (len == 3 && strncmp(name, "ttl", len) == 0)
			h->ttl = v;
		else if (len == 6 && strncmp(name, "period", len) == 0)
			h->update_period = v;
		else if (len == 10 && strncmp(name, "skip_hours", len) == 0)
			h->skip_hours = (uint32_t)(v & 0xffffff);
		else if (len == 9 && strncmp(name, "skip_days", len) == 0)
			h->skip_days = (uint8_t)(v & 0x7f);
	}
}

/*
 * Many feed operations in one transaction (the config's feeds at start):
 * each still all or nothing on its own, but one commit for all of them.
 * What failed inside is undone alone; store_batch_end() commits the rest.
 */
int
store_batch_begin(struct store *s, char **cause)
{
	if (s->ops->batch_begin == NULL)
		return (0);
	return (s->ops->batch_begin(s, cause));
}

int
store_batch_end(struct store *s, char **cause)
{
	if (s->ops->batch_end == NULL)
		return (0);
	return (s->ops->batch_end(s, cause));
}

/* How much of the database this connection keeps in memory. */
int
store_set_cache(struct store *s, size_t bytes, char **cause)
{
	return (s->ops->set_cache(s, bytes, cause));
}

/*
 * From now on this connection only reads: the loop's, so that a write
 * that creeps onto it fails at once instead of waiting for the write
 * lock.  Writes belong to the writer thread's connection (and, where
 * nodes share the database, the claims to the claimer's).
 */
int
store_set_readonly(struct store *s, char **cause)
{
	if (s->ops->set_readonly == NULL)
		return (0);
	return (s->ops->set_readonly(s, cause));
}
