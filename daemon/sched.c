/*
 * sched.c: per-feed timers and the next-poll rule.  A feed idle between
 * polls costs one small entry here (its timer); everything else about
 * it, what the feed says of its own schedule included, stays in the
 * store, which outlives a restart or a pause.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <event2/event.h>
#include <event2/event_struct.h>

#include "item.h"
#include "sched.h"
#include "xmalloc.h"

struct sched_entry {
	int64_t			 feed_id;
	int64_t			 when;
	struct event		 ev;
	struct sched		*sched;
	struct sched_entry	*next;		/* hash chain */
	uint8_t			 busy;		/* a poll is under way */
	uint16_t		 store_errors;	/* polls not stored in a row */
};

struct sched {
	struct event_base	 *base;
	struct sched_opts	  opts;
	sched_fire_cb		  fire_cb;
	void			 *fire_arg;
	struct sched_entry	**buckets;
	size_t			  nbuckets;	/* a power of two */
	size_t			  count;
};

static int64_t
clamp(int64_t v, int64_t lo, int64_t hi)
{
	return (v < lo ? lo : v > hi ? hi : v);
}

/* Moves "t" past hours and weekdays the feed asks not to be polled in. */
static int64_t
sched_skip(const struct feed_hints *h, int64_t t, int *moved)
{
	struct tm	tm;
	time_t		tt;
	int64_t		orig = t;
	int		i;

	*moved = 0;
	if (h->skip_hours == 0 && h->skip_days == 0)
		return (t);
	/* At most a week of hours: a feed that skips everything is ignored. */
	for (i = 0; i < 24 * 7; i++) {
		tt = (time_t)t;
		gmtime_r(&tt, &tm);
		if (!(h->skip_hours & (1U << tm.tm_hour)) &&
		    !(h->skip_days & (1U << tm.tm_wday)))
			return (t);
		t += 3600 - (t % 3600);		/* the next full hour */
		*moved = 1;
	}
	*moved = 0;
	return (orig);
}

/*
 * The jitter: up to 10% either way of "iv", enough to spread a crowd,
 * too little to matter to one, but never under "lo", the floor a hint
 * sets: where the spread would reach under it, it goes no lower than
 * the floor (upwards only, 0 to +10%, when the floor is the interval).
 * "lo" <= "iv".
 */
static int64_t
sched_jitter(int64_t iv, int64_t lo, uint32_t jitter)
{
	int64_t	span = iv / 10, low;

	if (span <= 0 || jitter == 0)
		return (iv);
	low = iv - span > lo ? iv - span : lo;
	return (low + (int64_t)(jitter % (uint64_t)(iv + span - low + 1)));
}

/*
 * The next-poll rule.  Start from the feed's own interval, or, without
 * one, from how often the feed really has new items (about two polls per
 * new item), defaulting to default_interval.  The feed's and server's
 * hints (RSS ttl, sy:updatePeriod, Cache-Control max-age, Expires) are
 * floors under the rate and the default (polling sooner only fetches
 * the same thing), never under an interval set for the feed, which the
 * user asked for.  Clamp to [min, max], keep it after one error and
 * double it from the second consecutive error on, jitter
 * (sched_jitter(): never under a hint's floor) so thousands of feeds
 * never fire together, skip skipHours/skipDays, and never go before
 * Retry-After.  "reason" says which of these decided.
 */
int64_t
sched_next_poll(const struct sched_opts *o, const struct sched_input *in,
    char *reason, size_t len)
{
	const struct feed_hints	*h = in->hints;
	int64_t			 iv, floor = 0, t;
	const char		*why;
	int			 moved, shift;

	if (in->interval > 0) {
		iv = in->interval;
		why = "the feed's interval";
	} else if (in->item_rate >= 0) {
		/*
		 * Clamped as a double: a tiny rate must not overflow.  No
		 * item at all is the longest interval, as a tiny rate is:
		 * were it the default, the 304 that took the rate to 0
		 * would poll sooner than the one before it.
		 */
		double	d = in->item_rate > 0 ?
		    86400.0 / (in->item_rate * 2.0) : (double)o->max_interval;

		iv = d >= (double)o->max_interval ? o->max_interval :
		    (int64_t)d;
		why = "the feed's item rate";
	} else {
		iv = o->default_interval;
		why = "default_interval";
	}
	if (h != NULL && h->ttl > floor) {
		floor = h->ttl;
		if (floor > iv && in->interval <= 0)
			why = "the feed's ttl";
	}
	if (h != NULL && h->update_period > floor) {
		floor = h->update_period;
		if (floor > iv && in->interval <= 0)
			why = "the feed's sy:updatePeriod";
	}
	if (in->max_age > floor) {
		floor = in->max_age;
		if (floor > iv && in->interval <= 0)
			why = "Cache-Control max-age";
	}
	if (in->expires != DATE_NONE && in->expires - in->now > floor) {
		floor = in->expires - in->now;
		if (floor > iv && in->interval <= 0)
			why = "Expires";
	}
	/* An interval set for this feed is the user's word; hints are not. */
	if (in->interval <= 0 && floor > iv)
		iv = floor;
	if (iv < o->min_interval)
		why = "min_interval";
	else if (iv > o->max_interval)
		why = "max_interval";
	iv = clamp(iv, o->min_interval, o->max_interval);

	/*
	 * One error may be a blip: the next poll keeps the interval, and
	 * the reason says so, lest "backoff" suggest a longer wait.
	 */
	if (in->errors == 1)
		snprintf(reason, len, "1 error: interval kept, backoff from "
		    "the second");
	else if (in->errors > 1) {
		shift = in->errors - 1 > 16 ? 16 : in->errors - 1;
		iv = clamp(iv << shift, o->min_interval, o->max_interval);
		snprintf(reason, len, "backoff after %d errors", in->errors);
	} else
		snprintf(reason, len, "%s", why);

	/*
	 * The floor the jitter keeps to: none under the user's interval,
	 * and max_interval where that cut a hint down.
	 */
	if (in->interval > 0)
		floor = 0;
	else if (floor > iv)
		floor = iv;
	iv = sched_jitter(iv, floor, in->jitter);
	t = in->now + (iv > 0 ? iv : 1);

	if (h != NULL) {
		t = sched_skip(h, t, &moved);
		if (moved)
			snprintf(reason, len, "skipHours/skipDays");
	}
	if (in->retry_after != DATE_NONE && in->retry_after > t) {
		t = in->retry_after;
		snprintf(reason, len, "Retry-After");
	}
	return (t);
}

/* --- timers --- */

static size_t
sched_bucket(const struct sched *s, int64_t id)
{
	uint64_t	h = (uint64_t)id * 0x9e3779b97f4a7c15ULL;

	return ((size_t)(h >> 32) & (s->nbuckets - 1));
}

static struct sched_entry *
sched_find(const struct sched *s, int64_t id)
{
	struct sched_entry	*e;

	for (e = s->buckets[sched_bucket(s, id)]; e != NULL; e = e->next)
		if (e->feed_id == id)
			return (e);
	return (NULL);
}

static void
sched_grow(struct sched *s)
{
	struct sched_entry	**old = s->buckets, *e, *next;
	size_t			  n = s->nbuckets, i, b;

	s->nbuckets *= 2;
	s->buckets = xcalloc(s->nbuckets, sizeof(*s->buckets));
	for (i = 0; i < n; i++) {
		for (e = old[i]; e != NULL; e = next) {
			next = e->next;
			b = sched_bucket(s, e->feed_id);
			e->next = s->buckets[b];
			s->buckets[b] = e;
		}
	}
	free(old);
}

static void
sched_fire_ev(evutil_socket_t fd, short what, void *arg)
{
	struct sched_entry	*e = arg;

	e->when = DATE_NONE;
	e->sched->fire_cb(e->feed_id, e->sched->fire_arg);
}

struct sched *
sched_new(struct event_base *base, const struct sched_opts *o,
    sched_fire_cb cb, void *arg)
{
	struct sched	*s;

	s = xcalloc(1, sizeof(*s));
	s->base = base;
	s->opts = *o;
	s->fire_cb = cb;
	s->fire_arg = arg;
	s->nbuckets = 256;
	s->buckets = xcalloc(s->nbuckets, sizeof(*s->buckets));
	return (s);
}

void
sched_set_opts(struct sched *s, const struct sched_opts *o)
{
	s->opts = *o;
}

const struct sched_opts *
sched_get_opts(const struct sched *s)
{
	return (&s->opts);
}

static struct sched_entry *
sched_entry_get(struct sched *s, int64_t id)
{
	struct sched_entry	*e;
	size_t			 b;

	if ((e = sched_find(s, id)) != NULL)
		return (e);
	if (s->count >= s->nbuckets)
		sched_grow(s);
	e = xcalloc(1, sizeof(*e));
	e->feed_id = id;
	e->when = DATE_NONE;
	e->sched = s;
	evtimer_assign(&e->ev, s->base, sched_fire_ev, e);
	b = sched_bucket(s, id);
	e->next = s->buckets[b];
	s->buckets[b] = e;
	s->count++;
	return (e);
}

/* Arms feed "id" for absolute time "when" (now or past: next turn). */
void
sched_at(struct sched *s, int64_t id, int64_t when)
{
	struct sched_entry	*e = sched_entry_get(s, id);
	struct timeval		 tv;
	int64_t			 now = (int64_t)time(NULL);

	evtimer_del(&e->ev);
	e->when = when;
	tv.tv_sec = when > now ? (time_t)(when - now) : 0;
	tv.tv_usec = 0;
	evtimer_add(&e->ev, &tv);
}

int64_t
sched_when(const struct sched *s, int64_t id)
{
	struct sched_entry	*e = sched_find(s, id);

	return (e != NULL ? e->when : DATE_NONE);
}

void
sched_remove(struct sched *s, int64_t id)
{
	struct sched_entry	**pp, *e;

	for (pp = &s->buckets[sched_bucket(s, id)]; (e = *pp) != NULL;
	    pp = &e->next) {
		if (e->feed_id == id) {
			*pp = e->next;
			evtimer_del(&e->ev);
			free(e);
			s->count--;
			return;
		}
	}
}

/* Whether a poll of feed "id" is under way; "busy" >= 0 sets it. */
int
sched_busy(struct sched *s, int64_t id, int busy)
{
	struct sched_entry	*e;

	if (busy < 0)
		return ((e = sched_find(s, id)) != NULL && e->busy);
	e = sched_entry_get(s, id);
	e->busy = busy != 0;
	return (e->busy);
}

/*
 * Polls of feed "id" in a row that the store could not record (the disk
 * is full): the feed's own error count cannot grow meanwhile, so this one
 * backs it off.  "n" >= 0 sets it.
 */
int
sched_store_errors(struct sched *s, int64_t id, int n)
{
	struct sched_entry	*e;

	if (n < 0)
		return ((e = sched_find(s, id)) != NULL ? e->store_errors : 0);
	e = sched_entry_get(s, id);
	e->store_errors = n > UINT16_MAX ? UINT16_MAX : (uint16_t)n;
	return (e->store_errors);
}

size_t
sched_count(const struct sched *s)
{
	return (s->count);
}

void
sched_free(struct sched *s)
{
	struct sched_entry	*e, *next;
	size_t			 i;

	if (s == NULL)
		return;
	for (i = 0; i < s->nbuckets; i++) {
		for (e = s->buckets[i]; e != NULL; e = next) {
			next = e->next;
			evtimer_del(&e->ev);
			free(e);
		}
	}
	free(s->buckets);
	free(s);
}
