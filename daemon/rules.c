/*
 * rules.c: what newsboat's ignore-article and miniflux's block and keep
 * rules do.  Every rule that applies to an item's feed (its feeds and
 * tags; none named: every feed) is tried on the item's fields (title and
 * content by default); the item is dropped when a "drop" rule matches or
 * a "keep" rule does not, else stored read when a "mark_read" rule
 * matches.  Patterns run in PCRE2 with match limits (match.h): one that
 * gives up counts as no match, and is counted.
 *
 * rules_filter() runs on the writer thread, so the rules in force are
 * swapped under a lock at reload and counted under it.  The last
 * decisions are kept for feedctl explain.
 *
 * A dropped item is not stored, so the feed brings it again at each poll
 * as long as the document holds it: the rules decide again (a changed
 * rule may keep it now), but an item dropped before is told apart
 * (STORE_FILTER_DROPPED) and not counted, noted or logged again.  What
 * was dropped is remembered as a hash of feed and key, for the rules in
 * force: a reload, and a full set, start over.
 */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "conf.h"
#include "item.h"
#include "log.h"
#include "match.h"
#include "rules.h"
#include "store.h"
#include "xmalloc.h"

#define RULES_RECENT	64	/* decisions kept for explain */
#define RULES_SEEN_MIN	256	/* slots of the dropped set, at first */
#define RULES_SEEN_MAX	(1 << 18)	/* and at most (2 MiB) */

#define RULE_DROP	0
#define RULE_KEEP	1
#define RULE_READ	2

#define FIELD_TITLE	0x01
#define FIELD_CONTENT	0x02
#define FIELD_AUTHOR	0x04
#define FIELD_CATS	0x08
#define FIELD_LINK	0x10

struct rule {
	char		 *name;
	int		  action;
	int		  fields;
	struct match	 *m;
	char		**feeds;
	size_t		  nfeeds;
	char		**tags;
	size_t		  ntags;
	uint64_t	  hits;		/* items it decided */
};

struct rules_decision {
	int64_t		 feed_id;
	char		*rule;
	int		 action;
	char		*title;
};

struct rules {
	pthread_mutex_t		 lock;
	struct rule		*v;
	size_t			 n;
	struct rules_stats	 stats;
	struct rules_decision	 recent[RULES_RECENT];
	size_t			 next;		/* in recent[], circular */
	uint64_t		*seen;		/* dropped: open addressing */
	size_t			 nseen;
	size_t			 seen_cap;	/* a power of two, or 0 */
};

static const char *const rules_actions[] = { "drop", "keep", "mark_read" };

static char **
rules_copy(char *const *list, size_t n)
{
	char	**v = xcalloc(n + 1, sizeof(*v));
	size_t	  i;

	for (i = 0; i < n; i++)
		v[i] = xstrdup(list[i]);
	return (v);
}

static void
rules_free_list(char **v, size_t n)
{
	size_t	i;

	for (i = 0; i < n; i++)
		free(v[i]);
	free(v);
}

static void
rules_clear(struct rule *v, size_t n)
{
	size_t	i;

	for (i = 0; i < n; i++) {
		free(v[i].name);
		match_free(v[i].m);
		rules_free_list(v[i].feeds, v[i].nfeeds);
		rules_free_list(v[i].tags, v[i].ntags);
	}
	free(v);
}

struct rules *
rules_new(void)
{
	struct rules	*rs = xcalloc(1, sizeof(*rs));

	pthread_mutex_init(&rs->lock, NULL);
	return (rs);
}

static int
rules_fields(const struct conf_rule *cr)
{
	int	f = 0;
	size_t	i;

	if (cr->nfields == 0)
		return (FIELD_TITLE | FIELD_CONTENT);
	for (i = 0; i < cr->nfields; i++) {
		if (strcmp(cr->fields[i], "title") == 0)
			f |= FIELD_TITLE;
		else if (strcmp(cr->fields[i], "content") == 0)
			f |= FIELD_CONTENT;
		else if (strcmp(cr->fields[i], "author") == 0)
			f |= FIELD_AUTHOR;
		else if (strcmp(cr->fields[i], "categories") == 0)
			f |= FIELD_CATS;
		else if (strcmp(cr->fields[i], "link") == 0)
			f |= FIELD_LINK;
	}
	return (f);
}

/* FNV-1a of the feed id and the item's key; 0 is an empty slot. */
static uint64_t
rules_seen_hash(int64_t feed_id, const char *key)
{
	uint64_t	h = UINT64_C(14695981039346656037);
	size_t		i;

	for (i = 0; i < sizeof(feed_id); i++) {
		h ^= (uint64_t)feed_id >> (8 * i) & 0xff;
		h *= UINT64_C(1099511628211);
	}
	for (; *key != '\0'; key++) {
		h ^= (unsigned char)*key;
		h *= UINT64_C(1099511628211);
	}
	return (h != 0 ? h : 1);
}

/* Puts h in the table of "cap" slots; 0 when it was there already. */
static int
rules_seen_put(uint64_t *slots, size_t cap, uint64_t h)
{
	size_t	i;

	for (i = h & (cap - 1); slots[i] != 0; i = (i + 1) & (cap - 1))
		if (slots[i] == h)
			return (0);
	slots[i] = h;
	return (1);
}

/*
 * Notes a drop of the item "key" of a feed: 1 the first time, 0 when it
 * was dropped before under the rules in force.
 */
static int
rules_seen_add(struct rules *rs, int64_t feed_id, const char *key)
{
	uint64_t	*old = rs->seen, h = rules_seen_hash(feed_id, key);
	size_t		 i, cap = rs->seen_cap;

	if (cap == 0 || (rs->nseen + 1) * 4 > cap * 3) {
		if (cap >= RULES_SEEN_MAX) {
			/* Full: start over; each is counted once more. */
			memset(rs->seen, 0, cap * sizeof(*rs->seen));
			rs->nseen = 0;
		} else {
			rs->seen_cap = cap == 0 ? RULES_SEEN_MIN : cap * 2;
			rs->seen = xcalloc(rs->seen_cap, sizeof(*rs->seen));
			for (i = 0; i < cap; i++)
				if (old[i] != 0)
					rules_seen_put(rs->seen, rs->seen_cap,
					    old[i]);
			free(old);
		}
	}
	if (!rules_seen_put(rs->seen, rs->seen_cap, h))
		return (0);
	rs->nseen++;
	return (1);
}

/* The config's rules, compiled; the old ones go (SIGHUP). */
void
rules_set_conf(struct rules *rs, const struct conf *c)
{
	struct rule	*v, *old;
	size_t		 i, n = 0, nold;
	char		*cause = NULL;

	v = xcalloc(c->nrules + 1, sizeof(*v));
	for (i = 0; i < c->nrules; i++) {
		const struct conf_rule	*cr = &c->rules[i];
		struct rule		*r = &v[n];

		/* conf.c compiled it once already: it is valid. */
		if ((r->m = match_new(cr->match, &cause)) == NULL) {
			log_warnx("rule %s: %s", cr->name, cause);
			free(cause);
			cause = NULL;
			continue;
		}
		r->name = xstrdup(cr->name);
		r->action = strcmp(cr->action, "keep") == 0 ? RULE_KEEP :
		    strcmp(cr->action, "mark_read") == 0 ? RULE_READ :
		    RULE_DROP;
		r->fields = rules_fields(cr);
		r->feeds = rules_copy(cr->feeds, cr->nfeeds);
		r->nfeeds = cr->nfeeds;
		r->tags = rules_copy(cr->tags, cr->ntags);
		r->ntags = cr->ntags;
		n++;
	}
	pthread_mutex_lock(&rs->lock);
	old = rs->v;
	nold = rs->n;
	rs->v = v;
	rs->n = n;
	/* Other rules may decide otherwise: what they drop counts anew. */
	free(rs->seen);
	rs->seen = NULL;
	rs->nseen = rs->seen_cap = 0;
	pthread_mutex_unlock(&rs->lock);
	rules_clear(old, nold);
}

static int
rules_in(char *const *list, size_t n, const char *s)
{
	size_t	i;

	for (i = 0; s != NULL && i < n; i++)
		if (strcmp(list[i], s) == 0)
			return (1);
	return (0);
}

/* Whether rule "r" is for feed "f" (NULL: not known, then not). */
static int
rules_applies(const struct rule *r, const struct store_feed *f)
{
	size_t	i;

	if (r->nfeeds == 0 && r->ntags == 0)
		return (1);
	if (f == NULL)
		return (0);
	if (rules_in(r->feeds, r->nfeeds, f->url))
		return (1);
	/* The config may still name it by a URL it moved from. */
	for (i = 0; i < f->nold_urls; i++)
		if (rules_in(r->feeds, r->nfeeds, f->old_urls[i]))
			return (1);
	for (i = 0; i < f->ntags; i++)
		if (rules_in(r->tags, r->ntags, f->tags[i]))
			return (1);
	return (0);
}

/* 1 when one of the rule's fields of the item matches. */
static int
rules_match(struct rules *rs, const struct rule *r,
    const struct feed_item *it)
{
	const char	*v[5];
	size_t		 n = 0, i;
	int		 rc;

	if (r->fields & FIELD_TITLE)
		v[n++] = it->title;
	if (r->fields & FIELD_CONTENT) {
		v[n++] = it->summary;
		v[n++] = it->content;
	}
	if (r->fields & FIELD_AUTHOR)
		v[n++] = it->author;
	if (r->fields & FIELD_LINK)
		v[n++] = it->link;
	for (i = 0; i < n; i++) {
		if (v[i] == NULL)
			continue;
		if ((rc = match_text(r->m, v[i], strlen(v[i]))) == 1)
			return (1);
		if (rc < 0)
			rs->stats.limit_hits++;
	}
	for (i = 0; (r->fields & FIELD_CATS) && i < it->ncategories; i++) {
		if ((rc = match_text(r->m, it->categories[i],
		    strlen(it->categories[i]))) == 1)
			return (1);
		if (rc < 0)
			rs->stats.limit_hits++;
	}
	return (0);
}

static void
rules_note(struct rules *rs, int64_t feed_id, const struct rule *r,
    const struct feed_item *it)
{
	struct rules_decision	*d = &rs->recent[rs->next];

	free(d->rule);
	free(d->title);
	d->feed_id = feed_id;
	d->rule = xstrdup(r->name);
	d->action = r->action;
	d->title = it->title != NULL ? xstrdup(it->title) : NULL;
	rs->next = (rs->next + 1) % RULES_RECENT;
}

/* store_filter_cb: STORE_FILTER_* for a new item. */
int
rules_filter(const struct store_route *rt, void *arg)
{
	struct rules		*rs = arg;
	const struct store_feed	*f = NULL;
	const struct rule	*read = NULL;
	size_t			 i;
	int			 loaded = 0, verdict = STORE_FILTER_STORE;

	pthread_mutex_lock(&rs->lock);
	for (i = 0; i < rs->n; i++) {
		struct rule	*r = &rs->v[i];

		if ((r->nfeeds > 0 || r->ntags > 0) && !loaded) {
			f = store_route_feed(rt);
			loaded = 1;
		}
		if (!rules_applies(r, f))
			continue;
		if (r->action == RULE_READ) {
			if (read == NULL && rules_match(rs, r, rt->item))
				read = r;
			continue;
		}
		if (rules_match(rs, r, rt->item) == (r->action == RULE_DROP)) {
			if (!loaded) {
				f = store_route_feed(rt);
				loaded = 1;
			}
			verdict = STORE_FILTER_DROPPED;
			if (rt->item->key == NULL || rules_seen_add(rs,
			    f != NULL ? f->id : 0, rt->item->key)) {
				r->hits++;
				rs->stats.dropped++;
				rules_note(rs, f != NULL ? f->id : 0, r,
				    rt->item);
				verdict = STORE_FILTER_DROP;
			}
			break;
		}
	}
	if (verdict == STORE_FILTER_STORE && read != NULL) {
		((struct rule *)read)->hits++;
		rs->stats.marked_read++;
		if (!loaded)
			f = store_route_feed(rt);
		rules_note(rs, f != NULL ? f->id : 0, read, rt->item);
		verdict = STORE_FILTER_READ;
	}
	pthread_mutex_unlock(&rs->lock);
	return (verdict);
}

/* For feeds.explain: the rules for this feed, and what they did lately. */
json_t *
rules_explain(struct rules *rs, const struct store_feed *f)
{
	json_t			*a = json_array(), *d = json_array();
	struct rules_decision	*x;
	size_t			 i, k;

	pthread_mutex_lock(&rs->lock);
	for (i = 0; i < rs->n; i++)
		if (rules_applies(&rs->v[i], f))
			json_array_append_new(a, json_pack("{s:s, s:s, s:I}",
			    "rule", rs->v[i].name, "action",
			    rules_actions[rs->v[i].action], "items",
			    (json_int_t)rs->v[i].hits));
	for (k = 0; k < RULES_RECENT; k++) {
		x = &rs->recent[(rs->next + k) % RULES_RECENT];
		if (x->rule == NULL || x->feed_id != f->id)
			continue;
		json_array_append_new(d, json_pack("{s:s, s:s, s:s?}", "rule",
		    x->rule, "action", x->action == RULE_READ ? "marked read" :
		    "dropped", "title", x->title));
	}
	pthread_mutex_unlock(&rs->lock);
	return (json_pack("{s:o, s:o}", "rules", a, "decisions", d));
}

void
rules_get_stats(struct rules *rs, struct rules_stats *st)
{
	pthread_mutex_lock(&rs->lock);
	*st = rs->stats;
	pthread_mutex_unlock(&rs->lock);
}

void
rules_free(struct rules *rs)
{
	size_t	i;

	if (rs == NULL)
		return;
	rules_clear(rs->v, rs->n);
	for (i = 0; i < RULES_RECENT; i++) {
		free(rs->recent[i].rule);
		free(rs->recent[i].title);
	}
	free(rs->seen);
	pthread_mutex_destroy(&rs->lock);
	free(rs);
}
