/*
 * subscribe.c: what feedctl add does in the daemon.  The URL is fetched
 * through the poller's fetcher (its limits and private-address rules, as
 * an untrusted feed), so "add" fails at once on a typo, a dead host or
 * a page with no feed, instead of a feed that errors forever.  An HTML
 * page leads to the feeds its <link rel="alternate"> name, or, when it
 * names none, to the common paths; several feeds on a page are listed
 * and the client picks one.
 *
 * The check's fetch is not thrown away: it becomes the feed's first poll
 * (poller_adopt), so subscribing costs one GET, not two.  The answer
 * waits for that poll's commit: a script that adds a feed and then lists
 * its items finds them all, as feedd-protocol(7) promises of a request
 * answered after its commits.
 */
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "discover.h"
#include "feedopt.h"
#include "fetch.h"
#include "log.h"
#include "poller.h"
#include "store-json.h"
#include "store.h"
#include "subscribe.h"
#include "url.h"
#include "writer.h"
#include "xmalloc.h"

enum subscribe_phase {
	SUBSCRIBE_DIRECT,	/* the URL as given */
	SUBSCRIBE_LINK,		/* a feed the page names */
	SUBSCRIBE_COMMON,	/* a common path on the page's host */
};

struct subscribe {
	struct store		*store;		/* the loop's: reads */
	struct writer		*writer;	/* the add */
	struct poller		*poller;
	subscribe_done_cb	 cb;
	void			*arg;
	char			*url;		/* normalised, as given */
	char			*title;
	char			**tags;
	size_t			 ntags;
	int64_t			 interval;
	int64_t			 pick;
	char			*options;
	enum subscribe_phase	 phase;
	char			*page;		/* the HTML page, if any */
	char			**cand;		/* SUBSCRIBE_COMMON: to try */
	size_t			 ncand;
	size_t			 next;
	char			*trying;	/* the URL being fetched */
	int64_t			 page_feed;	/* subscribe_page_feed() */

	/* The add on the writer: its arguments and outcome. */
	char			*adding;
	char			*moved_from;	/* what moved to "adding" */
	struct fetch_result	*first;		/* the check's, or NULL */
	int64_t			 added;
	int			 add_rc;
	char			*add_cause;
};

static void	subscribe_fetched_cb(struct fetch_result *, void *);

static void
subscribe_free(struct subscribe *s)
{
	size_t	i;

	for (i = 0; i < s->ntags; i++)
		free(s->tags[i]);
	free(s->tags);
	discover_free(s->cand, s->ncand);
	free(s->url);
	free(s->options);
	free(s->title);
	free(s->page);
	free(s->trying);
	free(s->adding);
	free(s->moved_from);
	free(s->add_cause);
	free(s);
}

static void
subscribe_fail(struct subscribe *s, const char *fmt, ...)
    __attribute__((__format__(__printf__, 2, 3)));

static void
subscribe_fail(struct subscribe *s, const char *fmt, ...)
{
	va_list	 ap;
	char	*msg;

	va_start(ap, fmt);
	if (vasprintf(&msg, fmt, ap) < 0)
		msg = NULL;
	va_end(ap);
	s->cb(NULL, msg != NULL ? msg : "out of memory", s->arg);
	free(msg);
	subscribe_free(s);
}

/* Answers with the feed, "already" telling whether it was there before. */
static void
subscribe_answer(struct subscribe *s, const struct store_feed *f,
    int already)
{
	json_t	*j = store_json_feed(f);
	char	*o;

	o = store_feed_options(s->store, f->id);
	json_object_set_new(j, "options", feedopt_public_json(o));
	free(o);
	json_object_set_new(j, "already", json_boolean(already));
	/* Always there, as feedd-protocol(7) has it: null for none. */
	json_object_set_new(j, "found_on", s->page != NULL &&
	    strcmp(s->page, f->url) != 0 ? json_string(s->page) :
	    json_null());
	if (s->page_feed != 0 && s->page_feed != f->id)
		json_object_set_new(j, "page_feed", json_integer(s->page_feed));
	s->cb(j, NULL, s->arg);
	subscribe_free(s);
}

/*
 * 1 and the answer sent when "url" is subscribed already; but for the
 * page feed (subscribe_page_feed()), whose page is looked at again.
 */
static int
subscribe_known(struct subscribe *s, const char *url)
{
	struct store_feed	*f;

	if ((f = store_feed_find(s->store, url)) == NULL)
		return (0);
	if (f->id == s->page_feed) {
		store_feed_free(f);
		return (0);
	}
	subscribe_answer(s, f, 1);
	store_feed_free(f);
	return (1);
}

/*
 * A feed subscribed to "url" that never worked because the URL is an
 * HTML page (an import takes a site's address as given): 0, or its id.
 * Adding the page again then finds the feeds the page names, rather
 * than answering "already subscribed" with the broken one.
 */
static int64_t
subscribe_page_feed(struct subscribe *s, const char *url)
{
	struct store_feed	*f;
	int64_t			 id = 0;

	if ((f = store_feed_find(s->store, url)) == NULL)
		return (0);
	if (f->last_success == DATE_NONE && f->last_error != NULL &&
	    strstr(f->last_error, "not a feed: an HTML page") != NULL)
		id = f->id;
	store_feed_free(f);
	return (id);
}

/* On the writer thread: the feed goes into the store. */
static void
subscribe_add_run(struct store *store, void *arg)
{
	struct subscribe	*s = arg;
	struct store_feed_conf	 sc;

	memset(&sc, 0, sizeof(sc));
	sc.url = s->adding;
	sc.title = s->title;
	sc.tags = (const char *const *)s->tags;
	sc.ntags = s->ntags;
	sc.interval = s->interval;
	sc.enabled = 1;
	sc.origin = STORE_ORIGIN_RUNTIME;
	sc.options = s->options;
	sc.moved_from = s->moved_from;
	s->add_rc = store_feed_add(store, &sc, &s->added, &s->add_cause);
}

/* Answers with feed "id" as the store has it now. */
static void
subscribe_added(struct subscribe *s, int64_t id)
{
	struct store_feed	*f;

	if ((f = store_feed_get(s->store, id)) == NULL) {
		if (store_read_error(s->store) != NULL)
			subscribe_fail(s, "subscribed to %s (feed %" PRId64
			    "), but it cannot be read back: %s", s->adding, id,
			    store_read_error(s->store));
		else
			subscribe_fail(s, "feed %" PRId64 " vanished", id);
		return;
	}
	subscribe_answer(s, f, 0);
	store_feed_free(f);
}

/*
 * The first poll is over: committed ("cause" NULL), and the answer
 * shows the feed with its items stored; or not stored, and the client
 * hears it as an error, the feed being subscribed all the same (it is
 * polled again as after any failed poll, or at the next start).
 */
static void
subscribe_first_cb(int64_t id, const char *cause, void *arg)
{
	struct subscribe	*s = arg;

	if (cause != NULL) {
		subscribe_fail(s, "subscribed to %s (feed %" PRId64 "), but "
		    "its first poll was not stored: %s", s->adding, id, cause);
		return;
	}
	subscribe_added(s, id);
}

/*
 * Back on the loop, after the feed's commit: its first poll goes to the
 * writer, and the answer waits for that; or, with no check's fetch to
 * adopt (no_check), it is scheduled and the answer goes now.
 */
static void
subscribe_add_done(void *arg)
{
	struct subscribe	*s = arg;
	struct fetch_result	*r = s->first;
	int64_t			 id = s->added;

	s->first = NULL;
	if (s->add_rc != 0) {
		fetch_result_free(r);
		/* Another client added it while this one checked. */
		if (!subscribe_known(s, s->adding))
			subscribe_fail(s, "%s", s->add_cause);
		return;
	}
	log_info("feeds: subscribed to %s (feed %" PRId64 ")", s->adding, id);
	if (r != NULL) {
		poller_adopt(s->poller, id, r, subscribe_first_cb, s);
		return;
	}
	poller_feed_changed(s->poller, id);
	subscribe_added(s, id);
}

/*
 * Subscribes to "url"; "r", the check's fetch, is its first poll.  The
 * write goes to the writer thread; the answer comes after its commit and
 * that of the first poll.
 */
static void
subscribe_add(struct subscribe *s, const char *url, struct fetch_result *r)
{
	free(s->adding);
	s->adding = xstrdup(url);
	s->first = r;
	writer_task(s->writer, subscribe_add_run, subscribe_add_done, s);
}

static void
subscribe_try(struct subscribe *s, const char *url)
{
	if (subscribe_known(s, url))
		return;
	free(s->trying);
	s->trying = xstrdup(url);
	poller_check(s->poller, url, s->options, subscribe_fetched_cb, s);
}

static void
subscribe_next_common(struct subscribe *s)
{
	struct buf	b = { NULL, 0, 0 };
	size_t		i;

	if (s->next < s->ncand) {
		subscribe_try(s, s->cand[s->next++]);
		return;
	}
	for (i = 0; i < s->ncand; i++) {
		buf_adds(&b, i == 0 ? "" : ", ");
		buf_adds(&b, s->cand[i]);
	}
	subscribe_fail(s, "%s is an HTML page that names no feed, and there "
	    "is none at the common places (%s)", s->page,
	    b.data != NULL ? b.data : "none");
	buf_free(&b);
}

/* The URL was an HTML page: its feeds, or the common paths. */
static void
subscribe_discover(struct subscribe *s, struct fetch_result *r)
{
	struct buf		  b = { NULL, 0, 0 };
	struct store_feed	 *f;
	char			**links, **labels, line[64];
	size_t			  n, i;

	s->page = xstrdup(r->final_url != NULL ? r->final_url : s->url);
	n = discover_links(r->body, r->body_len, s->page, &links, &labels);
	fetch_result_free(r);
	if (n == 0) {
		s->phase = SUBSCRIBE_COMMON;
		s->ncand = discover_common(s->page, &s->cand);
		subscribe_next_common(s);
		discover_free(links, n);
		discover_free(labels, n);
		return;
	}
	if (n == 1 || (s->pick >= 1 && (size_t)s->pick <= n)) {
		s->phase = SUBSCRIBE_LINK;
		subscribe_try(s, links[n == 1 ? 0 : s->pick - 1]);
		discover_free(links, n);
		discover_free(labels, n);
		return;
	}
	/* What tells them apart, and the ones subscribed already. */
	for (i = 0; i < n; i++) {
		snprintf(line, sizeof(line), "\n  %zu. ", i + 1);
		buf_adds(&b, line);
		buf_adds(&b, labels[i]);
		buf_adds(&b, ": ");
		buf_adds(&b, links[i]);
		if ((f = store_feed_find(s->store, links[i])) != NULL) {
			snprintf(line, sizeof(line), " (subscribed: feed %"
			    PRId64 ")", f->id);
			buf_adds(&b, line);
			store_feed_free(f);
		}
	}
	discover_free(labels, n);
	if (s->pick != 0)
		subscribe_fail(s, "--pick %" PRId64 ": %s names %zu feeds:%s",
		    s->pick, s->page, n, b.data);
	else
		subscribe_fail(s, "%s names %zu feeds; choose one with --pick "
		    "N or give its URL:%s", s->page, n, b.data);
	buf_free(&b);
	discover_free(links, n);
}

static void
subscribe_fetched_cb(struct fetch_result *r, void *arg)
{
	struct subscribe	*s = arg;
	char			*url;

	if (r->aborted) {
		fetch_result_free(r);
		subscribe_fail(s, "the daemon is shutting down");
		return;
	}
	if (r->doc != NULL) {
		/* A 301 to a feed already here is that feed. */
		if (r->moved_to != NULL && subscribe_known(s, r->moved_to)) {
			fetch_result_free(r);
			return;
		}
		url = xstrdup(r->moved_to != NULL ? r->moved_to : s->trying);
		/* The URL given stays a name of the feed, as after a move. */
		free(s->moved_from);
		s->moved_from = r->moved_to != NULL ? xstrdup(s->trying) :
		    NULL;
		subscribe_add(s, url, r);
		free(url);
		return;
	}
	if (s->phase == SUBSCRIBE_DIRECT && r->body != NULL &&
	    r->status >= 200 && r->status <= 299 &&
	    discover_is_html(r->content_type, r->body, r->body_len)) {
		subscribe_discover(s, r);
		return;
	}
	if (s->phase == SUBSCRIBE_COMMON) {
		log_debug("feeds: %s: %s", s->trying, r->error != NULL ?
		    r->error : "no feed");
		fetch_result_free(r);
		subscribe_next_common(s);
		return;
	}
	if (s->phase == SUBSCRIBE_LINK)
		subscribe_fail(s, "%s names the feed %s, but: %s", s->page,
		    s->trying, r->error != NULL ? r->error : "no feed there");
	else
		subscribe_fail(s, "no feed at %s: %s", s->trying,
		    r->error != NULL ? r->error : "no feed there");
	fetch_result_free(r);
}

void
subscribe_start(struct store *store, struct writer *writer,
    struct poller *poller, const struct subscribe_req *req,
    subscribe_done_cb cb, void *arg)
{
	struct subscribe	*s;
	size_t			 i;

	s = xcalloc(1, sizeof(*s));
	s->store = store;
	s->writer = writer;
	s->poller = poller;
	s->cb = cb;
	s->arg = arg;
	s->title = req->title != NULL ? xstrdup(req->title) : NULL;
	s->tags = xcalloc(req->ntags + 1, sizeof(*s->tags));
	for (i = 0; i < req->ntags; i++)
		s->tags[s->ntags++] = xstrdup(req->tags[i]);
	s->interval = req->interval;
	s->pick = req->pick;
	s->options = req->options != NULL ? xstrdup(req->options) : NULL;
	if ((s->url = url_normalize(NULL, req->url, URL_FEED)) == NULL) {
		subscribe_fail(s, "%s: not an absolute http:// or https:// URL",
		    req->url);
		return;
	}
	if (req->check)
		s->page_feed = subscribe_page_feed(s, s->url);
	/* Stored before URLs were normalised: the URL as given too. */
	if (subscribe_known(s, s->url))
		return;
	if (strcmp(s->url, req->url) != 0 && subscribe_known(s, req->url))
		return;
	if (!req->check) {
		subscribe_add(s, s->url, NULL);
		return;
	}
	subscribe_try(s, s->url);
}
