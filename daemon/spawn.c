/*
 * spawn.c: children on the loop.  posix_spawn (vfork-like in glibc)
 * rather than fork: feedd has a writer thread, and after fork only
 * async-signal-safe calls would be allowed.  Children are reaped from a
 * SIGCHLD event; each runs in its own process group so a timeout kills
 * what it started too.
 */
#include <sys/queue.h>
#include <sys/types.h>
#include <sys/wait.h>

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <event2/event.h>

#include "log.h"
#include "spawn.h"
#include "xmalloc.h"

#define SPAWN_ERR_KEEP	1024	/* stderr bytes kept: the end of it */

extern char **environ;

struct spawn {
	struct spawner		*sp;
	pid_t			 pid;
	int			 in_fd;		/* -1 once all written */
	int			 err_fd;
	struct event		*in_ev;
	struct event		*err_ev;
	struct event		*timer;
	char			*in;
	size_t			 inlen;
	size_t			 inoff;
	char			 err[SPAWN_ERR_KEEP + 1];
	size_t			 errlen;
	int			 timed_out;
	spawn_done_cb		 cb;
	void			*arg;
	LIST_ENTRY(spawn)	 entry;
};

struct spawner {
	struct event_base	*base;
	struct event		*sigchld;
	LIST_HEAD(, spawn)	 children;
	size_t			 n;
};

static void	spawn_reap_cb(evutil_socket_t, short, void *);

struct spawner *
spawner_new(struct event_base *base)
{
	struct spawner	*sp;

	sp = xcalloc(1, sizeof(*sp));
	sp->base = base;
	LIST_INIT(&sp->children);
	sp->sigchld = evsignal_new(base, SIGCHLD, spawn_reap_cb, sp);
	event_add(sp->sigchld, NULL);
	return (sp);
}

static void
spawn_close_in(struct spawn *s)
{
	if (s->in_fd == -1)
		return;
	event_free(s->in_ev);
	s->in_ev = NULL;
	close(s->in_fd);
	s->in_fd = -1;
}

static void
spawn_free(struct spawn *s)
{
	spawn_close_in(s);
	if (s->err_ev != NULL)
		event_free(s->err_ev);
	if (s->err_fd != -1)
		close(s->err_fd);
	if (s->timer != NULL)
		event_free(s->timer);
	free(s->in);
	free(s);
}

static void
spawn_in_cb(evutil_socket_t fd, short what, void *arg)
{
	struct spawn	*s = arg;
	ssize_t		 n;

	while (s->inoff < s->inlen) {
		n = write(fd, s->in + s->inoff, s->inlen - s->inoff);
		if (n == -1 && errno == EINTR)
			continue;
		if (n == -1 && errno == EAGAIN)
			return;
		if (n <= 0)
			break;		/* EPIPE: it did not want it all */
		s->inoff += (size_t)n;
	}
	spawn_close_in(s);
}

/* Keeps the last SPAWN_ERR_KEEP bytes of what it writes to stderr. */
static void
spawn_err_read(struct spawn *s)
{
	char	buf[4096];
	ssize_t	n;
	size_t	k, drop;

	for (;;) {
		n = read(s->err_fd, buf, sizeof(buf));
		if (n == -1 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		k = (size_t)n;
		if (k > SPAWN_ERR_KEEP) {
			memcpy(s->err, buf + k - SPAWN_ERR_KEEP,
			    SPAWN_ERR_KEEP);
			s->errlen = SPAWN_ERR_KEEP;
			continue;
		}
		if (s->errlen + k > SPAWN_ERR_KEEP) {
			drop = s->errlen + k - SPAWN_ERR_KEEP;
			memmove(s->err, s->err + drop, s->errlen - drop);
			s->errlen -= drop;
		}
		memcpy(s->err + s->errlen, buf, k);
		s->errlen += k;
	}
	if (n == 0) {		/* EOF: no need to watch any more */
		event_del(s->err_ev);
	}
}

static void
spawn_err_cb(evutil_socket_t fd, short what, void *arg)
{
	spawn_err_read(arg);
}

static void
spawn_timeout_cb(evutil_socket_t fd, short what, void *arg)
{
	struct spawn	*s = arg;

	s->timed_out = 1;
	/* The group: a shell script's own children go too. */
	if (kill(-s->pid, SIGKILL) == -1)
		(void)kill(s->pid, SIGKILL);
}

/* The last non-empty line of what it wrote to stderr. */
static const char *
spawn_err_line(struct spawn *s)
{
	char	*p;
	size_t	 i;

	for (i = 0; i < s->errlen; i++)
		if (s->err[i] == '\0')
			s->err[i] = ' ';	/* would cut the line short */
	s->err[s->errlen] = '\0';
	while (s->errlen > 0 && (s->err[s->errlen - 1] == '\n' ||
	    s->err[s->errlen - 1] == '\r' || s->err[s->errlen - 1] == ' '))
		s->err[--s->errlen] = '\0';
	p = strrchr(s->err, '\n');
	return (p != NULL ? p + 1 : s->err);
}

static void
spawn_reap_cb(evutil_socket_t sig, short what, void *arg)
{
	struct spawner		*sp = arg;
	struct spawn		*s, *next;
	struct spawn_result	 r;
	int			 st;
	pid_t			 pid;

	for (s = LIST_FIRST(&sp->children); s != NULL; s = next) {
		next = LIST_NEXT(s, entry);
		pid = waitpid(s->pid, &st, WNOHANG);
		if (pid == 0 || (pid == -1 && errno == EINTR))
			continue;
		LIST_REMOVE(s, entry);
		sp->n--;
		spawn_err_read(s);
		memset(&r, 0, sizeof(r));
		r.code = -1;
		if (pid > 0 && WIFEXITED(st))
			r.code = WEXITSTATUS(st);
		else if (pid > 0 && WIFSIGNALED(st))
			r.signal = WTERMSIG(st);
		r.timed_out = s->timed_out;
		r.err = spawn_err_line(s);
		if (s->cb != NULL)
			s->cb(&r, s->arg);
		spawn_free(s);
	}
}

/* environ with "add" (NAME=value strings) in front, replacing its own. */
static char **
spawn_env(char *const *add)
{
	char	**env;
	size_t	  n = 0, k = 0, i, j, len;
	int	  dup;

	for (i = 0; environ[i] != NULL; i++)
		n++;
	for (j = 0; add != NULL && add[j] != NULL; j++)
		n++;
	env = xcalloc(n + 1, sizeof(*env));
	for (j = 0; add != NULL && add[j] != NULL; j++)
		env[k++] = add[j];
	for (i = 0; environ[i] != NULL; i++) {
		dup = 0;
		for (j = 0; add != NULL && add[j] != NULL && !dup; j++) {
			len = strcspn(add[j], "=") + 1;
			dup = strncmp(environ[i], add[j], len) == 0;
		}
		if (!dup)
			env[k++] = environ[i];
	}
	return (env);
}

/*
 * Starts argv[0] (a path, or a name looked up in PATH) with "env" added
 * to feedd's environment and "in" on its stdin; its stdout goes to
 * /dev/null.  A timeout of 0 means none.
 */
struct spawn *
spawn_start(struct spawner *sp, char *const *argv, char *const *env,
    const void *in, size_t inlen, int64_t timeout, spawn_done_cb cb,
    void *arg, char **cause)
{
	posix_spawn_file_actions_t	 fa;
	posix_spawnattr_t		 attr;
	struct spawn			*s;
	struct timeval			 tv;
	sigset_t			 none, dflt;
	char				**envp;
	int				 inp[2], errp[2], rc;

	if (pipe2(inp, O_CLOEXEC) == -1) {
		xasprintf(cause, "pipe: %s", strerror(errno));
		return (NULL);
	}
	if (pipe2(errp, O_CLOEXEC) == -1) {
		xasprintf(cause, "pipe: %s", strerror(errno));
		close(inp[0]);
		close(inp[1]);
		return (NULL);
	}
	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_adddup2(&fa, inp[0], 0);
	posix_spawn_file_actions_addopen(&fa, 1, "/dev/null", O_WRONLY, 0);
	posix_spawn_file_actions_adddup2(&fa, errp[1], 2);
	posix_spawnattr_init(&attr);
	/* feedd ignores SIGPIPE; ignored signals survive exec. */
	sigemptyset(&none);
	sigemptyset(&dflt);
	sigaddset(&dflt, SIGPIPE);
	sigaddset(&dflt, SIGCHLD);
	posix_spawnattr_setsigmask(&attr, &none);
	posix_spawnattr_setsigdefault(&attr, &dflt);
	posix_spawnattr_setpgroup(&attr, 0);
	posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETSIGMASK |
	    POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETPGROUP);

	s = xcalloc(1, sizeof(*s));
	s->sp = sp;
	s->in_fd = inp[1];
	s->err_fd = errp[0];
	envp = spawn_env(env);
	rc = (strchr(argv[0], '/') != NULL ? posix_spawn : posix_spawnp)(
	    &s->pid, argv[0], &fa, &attr, argv, envp);
	free(envp);
	posix_spawn_file_actions_destroy(&fa);
	posix_spawnattr_destroy(&attr);
	close(inp[0]);
	close(errp[1]);
	if (rc != 0) {
		xasprintf(cause, "%s: %s", argv[0], strerror(rc));
		close(s->in_fd);
		close(s->err_fd);
		free(s);
		return (NULL);
	}

	evutil_make_socket_nonblocking(s->in_fd);
	evutil_make_socket_nonblocking(s->err_fd);
	s->in = xmalloc(inlen + 1);
	if (inlen > 0)
		memcpy(s->in, in, inlen);
	s->inlen = inlen;
	s->cb = cb;
	s->arg = arg;
	s->in_ev = event_new(sp->base, s->in_fd, EV_WRITE | EV_PERSIST,
	    spawn_in_cb, s);
	event_add(s->in_ev, NULL);
	s->err_ev = event_new(sp->base, s->err_fd, EV_READ | EV_PERSIST,
	    spawn_err_cb, s);
	event_add(s->err_ev, NULL);
	if (timeout > 0) {
		s->timer = evtimer_new(sp->base, spawn_timeout_cb, s);
		tv.tv_sec = (time_t)timeout;
		tv.tv_usec = 0;
		evtimer_add(s->timer, &tv);
	}
	LIST_INSERT_HEAD(&sp->children, s, entry);
	sp->n++;
	log_debug("spawn: %s: pid %ld", argv[0], (long)s->pid);
	return (s);
}

/* Its owner is going away: no callback; the child is killed and reaped. */
void
spawn_abandon(struct spawn *s)
{
	s->cb = NULL;
	(void)kill(-s->pid, SIGKILL);
}

size_t
spawner_running(const struct spawner *sp)
{
	return (sp->n);
}

/* What happened, for a log line or an outbox error. */
char *
spawn_describe(const struct spawn_result *r, int64_t timeout)
{
	char	*s;

	if (r->timed_out)
		xasprintf(&s, "killed after the %" PRId64 "s timeout", timeout);
	else if (r->signal != 0)
		xasprintf(&s, "killed by signal %d", r->signal);
	else
		xasprintf(&s, "exit status %d", r->code);
	if (*r->err != '\0') {
		char	*t;

		xasprintf(&t, "%s: %.300s", s, r->err);
		free(s);
		s = t;
	}
	return (s);
}

/* Children still running are killed and waited for: none outlives feedd. */
void
spawner_free(struct spawner *sp)
{
	struct spawn	*s;
	int		 st;

	if (sp == NULL)
		return;
	while ((s = LIST_FIRST(&sp->children)) != NULL) {
		LIST_REMOVE(s, entry);
		(void)kill(-s->pid, SIGKILL);
		while (waitpid(s->pid, &st, 0) == -1 && errno == EINTR)
			;
		spawn_free(s);
	}
	event_free(sp->sigchld);
	free(sp);
}

/*
 * Whether spawn_start() would find "prog" as it looks for it: a name
 * with a slash as it is, else in the daemon's PATH (posix_spawnp's
 * default when unset).  0, or the errno its start would fail with, so
 * --check-config can say so before the first delivery does.
 */
int
spawn_findable(const char *prog)
{
	const char	*path, *p, *end;
	char		*file;
	int		 err = ENOENT;

	if (strchr(prog, '/') != NULL)
		return (access(prog, X_OK) == 0 ? 0 : errno);
	if ((path = getenv("PATH")) == NULL)
		path = "/bin:/usr/bin";
	for (p = path; ; p = end + 1) {
		end = strchrnul(p, ':');
		/* An empty entry is the current folder, as for execvp(). */
		if (end == p)
			xasprintf(&file, "./%s", prog);
		else
			xasprintf(&file, "%.*s/%s", (int)(end - p), p, prog);
		if (access(file, X_OK) == 0) {
			free(file);
			return (0);
		}
		if (errno != ENOENT)
			err = errno;
		free(file);
		if (*end == '\0')
			break;
	}
	return (err);
}
