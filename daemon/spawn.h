/*
 * spawn.h: running a program on the event loop, without a shell: bytes
 * fed to its standard input, the tail of its standard error kept, a
 * timeout that kills it (and what it started), and its end reported.
 * The exec and mail notifiers use it.
 */
#ifndef FEEDD_SPAWN_H
#define FEEDD_SPAWN_H

#include <stddef.h>
#include <stdint.h>

struct event_base;
struct spawner;
struct spawn;

struct spawn_result {
	int		 code;		/* exit status, or -1 */
	int		 signal;	/* the signal that ended it, or 0 */
	int		 timed_out;	/* killed at the timeout */
	const char	*err;		/* its last stderr line, or "" */
};

/* A child ended; the spawn is freed after this returns. */
typedef void (*spawn_done_cb)(const struct spawn_result *, void *);

struct spawner	*spawner_new(struct event_base *);
struct spawn	*spawn_start(struct spawner *, char *const *, char *const *,
		    const void *, size_t, int64_t, spawn_done_cb, void *,
		    char **);
void		 spawn_abandon(struct spawn *);
size_t		 spawner_running(const struct spawner *);
void		 spawner_free(struct spawner *);
char		*spawn_describe(const struct spawn_result *, int64_t);
int		 spawn_findable(const char *);

#endif /* FEEDD_SPAWN_H */
