/*
 * writer.c: a thread that runs store_apply_polls() on its own connection.
 * The loop and the thread share one job slot under a mutex; the thread
 * wakes the loop through a pipe.  Nothing else crosses: the job's polls
 * and results belong to the thread from submit until the loop hears back.
 */
#include <sys/queue.h>

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <event2/event.h>

#include "log.h"
#include "loop.h"
#include "store.h"
#include "writer.h"
#include "xmalloc.h"

/* Seconds without commits after which the log is cut (store_checkpoint). */
#define WRITER_IDLE_SEC	5

struct writer_task {
	writer_task_run			 run;
	writer_task_done		 done;
	void				*arg;
	STAILQ_ENTRY(writer_task)	 entry;
};
STAILQ_HEAD(writer_tasks, writer_task);

struct writer {
	struct store		*store;		/* the thread's connection */
	pthread_t		 thread;
	pthread_mutex_t		 lock;
	pthread_cond_t		 cond;
	struct writer_job	*job;		/* submitted, not yet done */
	int			 working;
	int			 finished;	/* job done, loop not told */
	int			 quit;
	int			 pipe[2];
	struct event		*ev;
	writer_done_cb		 done_cb;
	void			*done_arg;
	struct writer_tasks	 tasks;		/* waiting for the thread */
	struct writer_tasks	 ran;		/* waiting for the loop */
	int			 tasking;	/* the thread runs tasks */
	writer_commit_hook	 hook;
	void			*hook_arg;
};

/* With the lock held; drops it while the tasks run. */
static void
writer_run_tasks(struct writer *w)
{
	struct writer_tasks	 todo;
	struct writer_task	*t;
	char			 c = 't';

	STAILQ_INIT(&todo);
	STAILQ_CONCAT(&todo, &w->tasks);
	w->tasking = 1;
	pthread_mutex_unlock(&w->lock);
	STAILQ_FOREACH(t, &todo, entry)
		t->run(w->store, t->arg);
	pthread_mutex_lock(&w->lock);
	STAILQ_CONCAT(&w->ran, &todo);
	w->tasking = 0;
	pthread_cond_broadcast(&w->cond);
	while (write(w->pipe[1], &c, 1) == -1 && errno == EINTR)
		;
}

static void *
writer_main(void *arg)
{
	struct writer		*w = arg;
	struct writer_job	*job;
	struct timespec		 ts;
	char			 c = 'd', *cause = NULL;
	int			 dirty = 0;	/* commits since the log was cut */

	/* Its CPU apart from the loop's in top -H, ps -L and /proc. */
	pthread_setname_np(pthread_self(), "feedd-writer");
	pthread_mutex_lock(&w->lock);
	for (;;) {
		/* A finished job stays in the slot until the loop takes it. */
		while ((w->job == NULL || w->finished) &&
		    STAILQ_EMPTY(&w->tasks) && !w->quit) {
			if (!dirty) {
				pthread_cond_wait(&w->cond, &w->lock);
				continue;
			}
			/*
			 * WRITER_IDLE_SEC without work after commits: the
			 * log is folded back and cut to nothing.
			 */
			clock_gettime(CLOCK_REALTIME, &ts);
			ts.tv_sec += WRITER_IDLE_SEC;
			if (pthread_cond_timedwait(&w->cond, &w->lock, &ts) !=
			    ETIMEDOUT)
				continue;
			pthread_mutex_unlock(&w->lock);
			/* 1: a reader in the way; the next pause again. */
			if ((dirty = store_checkpoint(w->store,
			    STORE_CHECKPOINT_IDLE, &cause)) == -1) {
				log_warnx("%s", cause);
				free(cause);
				cause = NULL;
				dirty = 0;
			}
			pthread_mutex_lock(&w->lock);
		}
		if (!STAILQ_EMPTY(&w->tasks)) {
			writer_run_tasks(w);
			continue;
		}
		if (w->job == NULL || w->finished)
			break;		/* quit */
		job = w->job;
		w->working = 1;
		pthread_mutex_unlock(&w->lock);

		store_apply_polls(w->store, job->n, job->feed_ids, job->polls,
		    job->res, job->causes);
		dirty = 1;
		if (w->hook != NULL)
			w->hook(job, w->hook_arg);

		pthread_mutex_lock(&w->lock);
		w->working = 0;
		w->finished = 1;
		pthread_cond_broadcast(&w->cond);
		/* The loop reads it; a full pipe means it already knows. */
		while (write(w->pipe[1], &c, 1) == -1 && errno == EINTR)
			;
		/* After the signal: the loop hears of the commit first. */
		pthread_mutex_unlock(&w->lock);
		if (store_checkpoint(w->store, STORE_CHECKPOINT_GROWN,
		    &cause) != 0) {
			log_warnx("%s", cause);
			free(cause);
			cause = NULL;
		}
		pthread_mutex_lock(&w->lock);
	}
	pthread_mutex_unlock(&w->lock);
	return (NULL);
}

/* On the loop: hand the finished job and tasks back to their owners. */
static void
writer_finish(struct writer *w)
{
	struct writer_job	*job = NULL;
	struct writer_tasks	 ran;
	struct writer_task	*t;

	STAILQ_INIT(&ran);
	pthread_mutex_lock(&w->lock);
	if (w->finished) {
		job = w->job;
		w->job = NULL;
		w->finished = 0;
	}
	STAILQ_CONCAT(&ran, &w->ran);
	pthread_mutex_unlock(&w->lock);
	while ((t = STAILQ_FIRST(&ran)) != NULL) {
		STAILQ_REMOVE_HEAD(&ran, entry);
		if (t->done != NULL)
			t->done(t->arg);
		free(t);
	}
	if (job != NULL && w->done_cb != NULL)
		w->done_cb(job->arg, w->done_arg);
}

void
writer_task(struct writer *w, writer_task_run run, writer_task_done done,
    void *arg)
{
	struct writer_task	*t = xcalloc(1, sizeof(*t));

	t->run = run;
	t->done = done;
	t->arg = arg;
	pthread_mutex_lock(&w->lock);
	STAILQ_INSERT_TAIL(&w->tasks, t, entry);
	pthread_cond_broadcast(&w->cond);
	pthread_mutex_unlock(&w->lock);
}

static void
writer_pipe_cb(evutil_socket_t fd, short what, void *arg)
{
	char	buf[64];

	while (read(fd, buf, sizeof(buf)) > 0)
		;
	writer_finish(arg);
}

struct writer *
writer_new(struct event_base *base, const char *path, writer_done_cb cb,
    void *arg, char **cause)
{
	struct writer	*w;
	int		 i;

	w = xcalloc(1, sizeof(*w));
	if ((w->store = store_open(path, cause)) == NULL) {
		free(w);
		return (NULL);
	}
	if (store_defer_checkpoints(w->store, cause) != 0) {
		store_close(w->store);
		free(w);
		return (NULL);
	}
	if (pipe(w->pipe) == -1)
		fatal("writer: pipe");
	for (i = 0; i < 2; i++) {
		fcntl(w->pipe[i], F_SETFL, fcntl(w->pipe[i], F_GETFL) |
		    O_NONBLOCK);
		fcntl(w->pipe[i], F_SETFD, FD_CLOEXEC);
	}
	w->done_cb = cb;
	w->done_arg = arg;
	STAILQ_INIT(&w->tasks);
	STAILQ_INIT(&w->ran);
	pthread_mutex_init(&w->lock, NULL);
	pthread_cond_init(&w->cond, NULL);
	w->ev = event_new(base, w->pipe[0], EV_READ | EV_PERSIST,
	    writer_pipe_cb, w);
	/* A commit is news for watchers and notifiers: hear it first. */
	event_priority_set(w->ev, LOOP_PRIO_URGENT);
	event_add(w->ev, NULL);
	if ((errno = pthread_create(&w->thread, NULL, writer_main, w)) != 0)
		fatal("writer: pthread_create");
	return (w);
}

/* Its connection, to set up before the first job (the router). */
struct store *
writer_store(struct writer *w)
{
	return (w->store);
}

int
writer_busy(struct writer *w)
{
	int	busy;

	pthread_mutex_lock(&w->lock);
	busy = w->job != NULL;
	pthread_mutex_unlock(&w->lock);
	return (busy);
}

/* Hands a job over; the caller checked that none is under way. */
void
writer_submit(struct writer *w, struct writer_job *job)
{
	pthread_mutex_lock(&w->lock);
	if (w->job != NULL)
		fatalx("writer: a job is already under way");
	w->job = job;
	pthread_cond_broadcast(&w->cond);
	pthread_mutex_unlock(&w->lock);
}

/* Blocks until the job and tasks under way are done, then reports them. */
void
writer_wait(struct writer *w)
{
	pthread_mutex_lock(&w->lock);
	while ((w->job != NULL && !w->finished) || !STAILQ_EMPTY(&w->tasks) ||
	    w->tasking)
		pthread_cond_wait(&w->cond, &w->lock);
	pthread_mutex_unlock(&w->lock);
	writer_finish(w);
}

/*
 * Who hears of committed batches (the poller, which main() hands the
 * writer to); NULL: nobody.  Called on the loop only.
 */
void
writer_set_done(struct writer *w, writer_done_cb cb, void *arg)
{
	w->done_cb = cb;
	w->done_arg = arg;
}

/* Set before the first job: the thread reads it unlocked. */
void
writer_set_commit_hook(struct writer *w, writer_commit_hook hook, void *arg)
{
	w->hook = hook;
	w->hook_arg = arg;
}

void
writer_free(struct writer *w)
{
	if (w == NULL)
		return;
	writer_wait(w);
	pthread_mutex_lock(&w->lock);
	w->quit = 1;
	pthread_cond_broadcast(&w->cond);
	pthread_mutex_unlock(&w->lock);
	pthread_join(w->thread, NULL);
	event_free(w->ev);
	close(w->pipe[0]);
	close(w->pipe[1]);
	pthread_mutex_destroy(&w->lock);
	pthread_cond_destroy(&w->cond);
	store_close(w->store);
	free(w);
}
