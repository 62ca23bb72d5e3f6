/*
 * sched.h: when each feed is polled next.  One libevent timer per feed,
 * and the rule that sets it: the feed's interval adjusted by what the
 * feed and the server say and by how often it really has new items,
 * clamped, jittered, backed off after errors, never before Retry-After.
 */
#ifndef FEEDD_SCHED_H
#define FEEDD_SCHED_H

#include <stddef.h>
#include <stdint.h>

struct event_base;
struct feed_hints;
struct sched;

typedef void (*sched_fire_cb)(int64_t, void *);

struct sched_opts {
	int64_t		default_interval;
	int64_t		min_interval;
	int64_t		max_interval;
};

/* Everything the next-poll rule looks at. */
struct sched_input {
	int64_t			 now;
	int64_t			 interval;	/* the feed's own, or -1 */
	double			 item_rate;	/* new items a day, or < 0 */
	const struct feed_hints	*hints;		/* NULL: none known */
	int64_t			 max_age;	/* Cache-Control, or -1 */
	int64_t			 expires;	/* absolute, or DATE_NONE */
	int			 errors;	/* consecutive, this one included */
	int64_t			 retry_after;	/* absolute, or DATE_NONE */
	uint32_t		 jitter;	/* random bits; 0: none */
};

#define SCHED_REASON_MAX	96

int64_t		 sched_next_poll(const struct sched_opts *,
		    const struct sched_input *, char *, size_t);

struct sched	*sched_new(struct event_base *, const struct sched_opts *,
		    sched_fire_cb, void *);
void		 sched_set_opts(struct sched *, const struct sched_opts *);
const struct sched_opts *sched_get_opts(const struct sched *);
void		 sched_at(struct sched *, int64_t, int64_t);
void		 sched_remove(struct sched *, int64_t);
int64_t		 sched_when(const struct sched *, int64_t);
int		 sched_busy(struct sched *, int64_t, int);
int		 sched_store_errors(struct sched *, int64_t, int);
size_t		 sched_count(const struct sched *);
void		 sched_free(struct sched *);

#endif /* FEEDD_SCHED_H */
