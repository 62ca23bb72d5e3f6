/*
 * writer.h: the store's writer thread.  Polls commit on their own sqlite
 * connection in a second thread, so fetching and parsing (the loop) and
 * committing (sqlite, FTS) use both cores; bench/poll measured the store
 * at half of a first poll's CPU time.  One batch at a time: the loop
 * hands a batch over, and hears back on the loop when it is committed.
 */
#ifndef FEEDD_WRITER_H
#define FEEDD_WRITER_H

#include <stddef.h>
#include <stdint.h>

struct event_base;
struct store;
struct store_poll;
struct store_poll_result;
struct writer;

/* A batch is committed; called on the loop with the submitted "arg". */
typedef void (*writer_done_cb)(void *, void *);

struct writer_job {
	size_t				 n;
	const int64_t			*feed_ids;
	const struct store_poll *const	*polls;
	struct store_poll_result	*res;		/* filled in */
	char				**causes;	/* filled in */
	void				*arg;
};

/*
 * Other work for the writer's connection (the notifier outbox): "run"
 * on the writer thread, between batches, in the order given; then
 * "done" on the loop.  The loop never waits for the write lock.
 */
typedef void (*writer_task_run)(struct store *, void *);
typedef void (*writer_task_done)(void *);

/* Called on the writer thread right after a batch commits (bench/). */
typedef void (*writer_commit_hook)(const struct writer_job *, void *);

struct writer	*writer_new(struct event_base *, const char *,
		    writer_done_cb, void *, char **);
struct store	*writer_store(struct writer *);
int		 writer_busy(struct writer *);
void		 writer_submit(struct writer *, struct writer_job *);
void		 writer_task(struct writer *, writer_task_run,
		    writer_task_done, void *);
void		 writer_wait(struct writer *);
void		 writer_set_commit_hook(struct writer *, writer_commit_hook,
		    void *);
void		 writer_set_done(struct writer *, writer_done_cb, void *);
void		 writer_free(struct writer *);

#endif /* FEEDD_WRITER_H */
