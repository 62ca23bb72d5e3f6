/*
 * test_sched.c: the next-poll rule (pure) and the per-feed timers on a
 * real event base.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <time.h>

#include <cmocka.h>
#include <event2/event.h>

#include "item.h"
#include "sched.h"
#include "store.h"

#define NOW	1720486560	/* Tue 2024-07-09 00:56:00 UTC */

static const struct sched_opts opts = {
	.default_interval = 3600,
	.min_interval = 300,
	.max_interval = 86400,
};

static struct sched_input
input(void)
{
	struct sched_input	in;

	memset(&in, 0, sizeof(in));
	in.now = NOW;
	in.interval = -1;
	in.item_rate = -1;
	in.max_age = -1;
	in.expires = DATE_NONE;
	in.retry_after = DATE_NONE;
	return (in);
}

static int64_t
next(const struct sched_input *in, char *reason)
{
	return (sched_next_poll(&opts, in, reason, SCHED_REASON_MAX));
}

static void
test_sched_default_interval_with_jitter(void **state)
{
	struct sched_input	in = input();
	char			reason[SCHED_REASON_MAX];
	int64_t			t, lo = INT64_MAX, hi = 0;
	uint32_t		j;

	for (j = 0; j < 2000; j += 7) {
		in.jitter = j * 2654435761U;
		t = next(&in, reason) - NOW;
		lo = t < lo ? t : lo;
		hi = t > hi ? t : hi;
	}
	assert_string_equal(reason, "default_interval");
	/* Within 10% of an hour, and really spread. */
	assert_true(lo >= 3240 && hi <= 3960);
	assert_true(hi - lo > 300);
}

static void
test_sched_feed_interval_is_the_users_word(void **state)
{
	struct sched_input	in = input();
	struct feed_hints	h = { .ttl = 7200, .update_period = -1 };
	char			reason[SCHED_REASON_MAX];

	in.interval = 900;
	in.hints = &h;
	assert_int_equal(next(&in, reason), NOW + 900);
	assert_string_equal(reason, "the feed's interval");
	/* Clamped all the same. */
	in.interval = 10;
	assert_int_equal(next(&in, reason), NOW + 300);
	assert_string_equal(reason, "min_interval");
}

static void
test_sched_hints_are_floors(void **state)
{
	struct sched_input	in = input();
	struct feed_hints	h = { .ttl = 7200, .update_period = -1 };
	char			reason[SCHED_REASON_MAX];

	in.hints = &h;
	assert_int_equal(next(&in, reason), NOW + 7200);
	assert_string_equal(reason, "the feed's ttl");
	h.ttl = 60;		/* below the default: the default stays */
	assert_int_equal(next(&in, reason), NOW + 3600);
	h.update_period = 86400 / 2;
	assert_int_equal(next(&in, reason), NOW + 43200);
	assert_string_equal(reason, "the feed's sy:updatePeriod");
	h.update_period = -1;
	in.max_age = 10800;
	assert_int_equal(next(&in, reason), NOW + 10800);
	assert_string_equal(reason, "Cache-Control max-age");
	in.max_age = -1;
	in.expires = NOW + 5 * 86400;	/* past max_interval: clamped */
	assert_int_equal(next(&in, reason), NOW + 86400);
	assert_string_equal(reason, "max_interval");
}

/*
 * Many jittered plans: each between "lo" and "hi" seconds from now, for
 * the reason "want", and spread over that whole range (the lowest and
 * the highest within 5% of its ends).
 */
static void
check_spread(struct sched_input *in, const char *want, int64_t lo,
    int64_t hi)
{
	char		reason[SCHED_REASON_MAX];
	int64_t		t, min = INT64_MAX, max = INT64_MIN, slack;
	uint32_t	j;

	for (j = 1; j < 20000; j++) {
		in->jitter = j * 2654435761U;
		t = next(in, reason) - NOW;
		assert_in_range(t, lo, hi);
		min = t < min ? t : min;
		max = t > max ? t : max;
		assert_string_equal(reason, want);
	}
	slack = (hi - lo) / 20;
	assert_true(min <= lo + slack);
	assert_true(max >= hi - slack);
}

/*
 * A hint is a floor the jitter never takes a poll under: it only adds
 * to it (up to 10%), so polls still spread.  Where the plan is above
 * the floor, the spread reaches down to the floor and no further.
 */
static void
test_sched_jitter_keeps_to_hints(void **state)
{
	struct sched_input	in = input();
	struct feed_hints	h = { .ttl = 7200, .update_period = -1 };

	in.hints = &h;
	check_spread(&in, "the feed's ttl", 7200, 7920);
	h.ttl = -1;
	h.update_period = 43200;
	check_spread(&in, "the feed's sy:updatePeriod", 43200, 47520);
	h.update_period = -1;
	in.max_age = 7200;
	check_spread(&in, "Cache-Control max-age", 7200, 7920);
	in.max_age = -1;
	in.expires = NOW + 7200;
	check_spread(&in, "Expires", 7200, 7920);
	in.expires = DATE_NONE;
	/* Planned from the item rate a little above a ttl: down to it. */
	h.ttl = 3000;
	in.item_rate = 86400.0 / (2 * 3200);	/* every 3200 s */
	check_spread(&in, "the feed's item rate", 3000, 3520);
	/* Well above the floor: the whole +-10%, as without hints. */
	h.ttl = 600;
	check_spread(&in, "the feed's item rate", 2880, 3520);
	/* A hint under min_interval is still a floor of its spread. */
	h.ttl = -1;
	in.item_rate = 1000;
	in.max_age = 290;
	check_spread(&in, "min_interval", 290, 330);
	/* A hint past max_interval: max_interval, and upwards only. */
	in.item_rate = -1;
	in.max_age = -1;
	in.expires = NOW + 5 * 86400;
	check_spread(&in, "max_interval", 86400, 95040);
	in.expires = DATE_NONE;
	/* The user's interval is no hint's to raise: +-10% around it. */
	in.item_rate = -1;
	in.max_age = 7200;
	in.interval = 3600;
	check_spread(&in, "the feed's interval", 3240, 3960);
}

static void
test_sched_item_rate(void **state)
{
	struct sched_input	in = input();
	char			reason[SCHED_REASON_MAX];

	in.item_rate = 48;	/* a new item every 30 min: poll every 15 */
	assert_int_equal(next(&in, reason), NOW + 900);
	assert_string_equal(reason, "the feed's item rate");
	in.item_rate = 0.5;	/* one every two days: capped at a day */
	assert_int_equal(next(&in, reason), NOW + 86400);
	in.item_rate = 1000;	/* floods: min_interval */
	assert_int_equal(next(&in, reason), NOW + 300);
	in.item_rate = 1e-16;	/* nearly dead: no overflow to min */
	assert_int_equal(next(&in, reason), NOW + 86400);
}

/* The interval (no jitter) planned from "rate" at "now". */
static int64_t
rate_iv(double rate, char *reason)
{
	struct sched_input	in = input();

	in.item_rate = rate;
	return (next(&in, reason) - NOW);
}

/*
 * A poll asked for 5 s after the feed's first (its archive), finding 3
 * new items: it once made 51,840 items a day and polls every
 * min_interval.  The sample spans the hour planned, and the interval at
 * most halves, planned from the rate with those items in it.
 */
static void
test_sched_rate_short_gap(void **state)
{
	char	reason[SCHED_REASON_MAX];
	double	rate;
	int64_t	iv, gap = 3600;		/* planned: default_interval */

	rate = store_item_rate(-1, NOW, NOW + 5, 3, gap);
	iv = rate_iv(rate, reason);
	assert_int_equal(iv, 1800);
	assert_string_equal(reason, "the feed's item rate");
	/* A feed giving 3 "new" items each poll comes down step by step. */
	rate = store_item_rate(rate, NOW + 5, NOW + 10, 3, iv);
	assert_int_equal(rate_iv(rate, reason), 900);
	/* Without a planned gap, the seconds since the last poll it is. */
	assert_true(store_item_rate(-1, NOW, NOW + 5, 3, 0) > 50000);
}

/*
 * A 304 never plans a shorter interval than the poll before it, whatever
 * that poll found and however soon the 304 comes; nor do 304s in a row,
 * down to a rate of 0, which is the longest interval (as the default
 * it was an hour after a day).
 */
static void
test_sched_304_never_shortens(void **state)
{
	char		reason[SCHED_REASON_MAX];
	const size_t	nnew[] = { 0, 1, 3, 20, 500 };
	const int64_t	gaps[] = { 5, 300, 3600, 86400 };
	double		rate, start;
	int64_t		iv, iv304, t;
	size_t		i, k, n;

	for (start = -1; start < 2000; start = start < 0 ? 0.01 : start * 7) {
		for (i = 0; i < sizeof(nnew) / sizeof(nnew[0]); i++) {
			for (k = 0; k < sizeof(gaps) / sizeof(gaps[0]); k++) {
				t = NOW + gaps[k];
				rate = store_item_rate(start, NOW, t, nnew[i],
				    3600);
				iv = rate_iv(rate, reason);
				for (n = 0; n < 40; n++) {
					rate = store_item_rate(rate, t, t + 5,
					    0, iv);
					t += 5;
					iv304 = rate_iv(rate, reason);
					assert_true(iv304 >= iv);
					iv = iv304;
				}
				/* Nothing new ever: no rate, the default. */
				assert_int_equal(iv, start < 0 &&
				    nnew[i] == 0 ? 3600 : 86400);
			}
		}
	}
	assert_int_equal(rate_iv(0, reason), 86400);
	assert_string_equal(reason, "the feed's item rate");
}

/*
 * A feed that posts every 10 minutes, polled when planned: from the
 * default hour down to under 10 minutes within a few polls (the interval
 * halving each), and it stays there, near min_interval (two polls per
 * item would be 5 minutes).
 */
static void
test_sched_rate_often_still_short(void **state)
{
	char	reason[SCHED_REASON_MAX];
	double	rate = -1, posted = 0;
	int64_t	t = NOW, iv = 3600, at = -1;
	size_t	nnew;
	int	n;

	for (n = 0; n < 30; n++) {
		posted += (double)iv / 600;	/* published since the last */
		nnew = (size_t)posted;
		posted -= (double)nnew;
		rate = store_item_rate(rate, t, t + iv, nnew, iv);
		t += iv;
		iv = rate_iv(rate, reason);
		if (iv <= 600 && at < 0)
			at = n;
		if (at >= 0)
			assert_true(iv <= 600);
	}
	assert_true(at >= 0 && at <= 4);
	assert_true(rate > 80 && rate < 200);
}

static void
test_sched_errors_back_off(void **state)
{
	struct sched_input	in = input();
	char			reason[SCHED_REASON_MAX];

	in.interval = 600;
	in.errors = 1;		/* a blip: the interval is kept, and said so */
	assert_int_equal(next(&in, reason), NOW + 600);
	assert_string_equal(reason,
	    "1 error: interval kept, backoff from the second");
	in.errors = 2;
	assert_int_equal(next(&in, reason), NOW + 1200);
	assert_string_equal(reason, "backoff after 2 errors");
	in.errors = 4;
	assert_int_equal(next(&in, reason), NOW + 4800);
	assert_string_equal(reason, "backoff after 4 errors");
	in.errors = 40;		/* never past max_interval, never stops */
	assert_int_equal(next(&in, reason), NOW + 86400);
}

static void
test_sched_retry_after_wins(void **state)
{
	struct sched_input	in = input();
	char			reason[SCHED_REASON_MAX];

	in.interval = 600;
	in.errors = 1;
	in.retry_after = NOW + 7200;
	assert_int_equal(next(&in, reason), NOW + 7200);
	assert_string_equal(reason, "Retry-After");
	in.retry_after = NOW + 60;	/* sooner than the backoff: ignored */
	assert_int_equal(next(&in, reason), NOW + 600);
}

static void
test_sched_skip_hours_and_days(void **state)
{
	struct sched_input	in = input();
	struct feed_hints	h = { .ttl = -1, .update_period = -1 };
	char			reason[SCHED_REASON_MAX];

	in.interval = 600;		/* 01:06 UTC on a Tuesday */
	in.hints = &h;
	h.skip_hours = (1U << 1) | (1U << 2);
	assert_int_equal(next(&in, reason), NOW + 600 - 360 + 2 * 3600);
	assert_string_equal(reason, "skipHours/skipDays");
	h.skip_hours = 0;
	h.skip_days = 1U << 2;		/* Tuesday: to Wednesday 00:00 */
	assert_int_equal(next(&in, reason), 1720569600);
	h.skip_hours = 0xffffff;	/* everything: ignored */
	h.skip_days = 0;
	assert_int_equal(next(&in, reason), NOW + 600);
}

static int	fired;
static int64_t	fired_id;

static void
fire(int64_t id, void *arg)
{
	fired++;
	fired_id = id;
	event_base_loopbreak(arg);
}

static void
test_sched_timers_fire_and_go(void **state)
{
	struct event_base	*base = event_base_new();
	struct sched		*s;
	int64_t			 i;

	s = sched_new(base, &opts, fire, base);
	/* Many feeds: the table grows; one timer each. */
	for (i = 1; i <= 5000; i++)
		sched_at(s, i, time(NULL) + 3600);
	assert_int_equal(sched_count(s), 5000);
	assert_true(sched_when(s, 4999) >= time(NULL) + 3599);
	sched_remove(s, 4999);
	assert_int_equal(sched_when(s, 4999), DATE_NONE);
	assert_int_equal(sched_count(s), 4999);

	assert_false(sched_busy(s, 42, -1));
	sched_busy(s, 42, 1);
	assert_true(sched_busy(s, 42, -1));

	sched_at(s, 42, time(NULL));	/* now: the next loop turn */
	event_base_dispatch(base);
	assert_int_equal(fired, 1);
	assert_int_equal(fired_id, 42);
	assert_int_equal(sched_when(s, 42), DATE_NONE);
	sched_free(s);
	event_base_free(base);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_sched_default_interval_with_jitter),
		cmocka_unit_test(test_sched_feed_interval_is_the_users_word),
		cmocka_unit_test(test_sched_hints_are_floors),
		cmocka_unit_test(test_sched_jitter_keeps_to_hints),
		cmocka_unit_test(test_sched_item_rate),
		cmocka_unit_test(test_sched_rate_short_gap),
		cmocka_unit_test(test_sched_304_never_shortens),
		cmocka_unit_test(test_sched_rate_often_still_short),
		cmocka_unit_test(test_sched_errors_back_off),
		cmocka_unit_test(test_sched_retry_after_wins),
		cmocka_unit_test(test_sched_skip_hours_and_days),
		cmocka_unit_test(test_sched_timers_fire_and_go),
	};

	return (cmocka_run_group_tests(tests, NULL, NULL));
}
