/*
 * server.c: the control socket, as OpenSMTPD and tmux keep theirs: refuse
 * to start when another daemon answers on the path, remove a stale socket
 * file otherwise, create it under a tight umask and then give it the
 * configured mode and group.  Each client is a bufferevent; each line is
 * one JSON-RPC request; each reply is written whole, so nothing ever
 * lands inside another message.  A line over the limit gets an error and
 * the connection closes once that is flushed.
 */
#include <sys/queue.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>

#include <errno.h>
#include <grp.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <event2/buffer.h>
#include <event2/bufferevent.h>
#include <event2/event.h>
#include <event2/listener.h>
#include <jansson.h>
#include <systemd/sd-daemon.h>

#include "log.h"
#include "proto.h"
#include "server.h"
#include "xmalloc.h"

struct server_conn {
	struct server		*server;
	struct bufferevent	*bev;
	uid_t			 uid;
	int			 closing;	/* flush, then close */
	int			 draining;	/* flushed: discard until EOF */
	int			 held;		/* a deferred request unanswered */
	int			 handling;	/* in the request callback */
	int			 answered;	/* ... which answered already */
	int			 eof;		/* the peer is done sending */
	struct event		*resume;	/* reads on after the answer */
	void			*data;		/* rpc's, e.g. a watcher */
	void			(*data_free)(void *);
	TAILQ_ENTRY(server_conn) entry;
};
TAILQ_HEAD(server_conns, server_conn);

struct server {
	struct event_base	*base;
	struct evconnlistener	*listener;
	struct event		*resume;	/* after EMFILE */
	char			*path;		/* unlinked at the end */
	int			 activated;	/* systemd's: never unlinked */
	size_t			 max_line;
	server_request_cb	 request_cb;
	void			*request_arg;
	server_gone_cb		 gone_cb;
	void			*gone_arg;
	struct server_conns	 conns;
	size_t			 nconns;
};

static void	server_conn_free(struct server_conn *);
static void	server_read_cb(struct bufferevent *, void *);

/* The listening socket systemd passed (feedd.socket), or -1. */
static int
server_systemd_fd(void)
{
	int	n = sd_listen_fds(1);

	if (n < 1)
		return (-1);
	if (n > 1)
		log_warnx("server: %d sockets from systemd; using the first",
		    n);
	return (SD_LISTEN_FDS_START);
}

/* Whether a daemon answers at "path" (with "*cause" saying so). */
static int
server_answering(const char *path, char **cause)
{
	struct sockaddr_un	 sun;
	int			 fd, answers;

	memset(&sun, 0, sizeof(sun));
	sun.sun_family = AF_UNIX;
	if (strlen(path) >= sizeof(sun.sun_path))
		return (0);
	strcpy(sun.sun_path, path);
	if ((fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0)) == -1)
		return (0);
	answers = connect(fd, (struct sockaddr *)&sun, sizeof(sun)) == 0;
	close(fd);
	if (answers)
		xasprintf(cause, "%s: another feedd is already running there",
		    path);
	return (answers);
}

static int
server_bind(const struct server_opts *o, char **cause)
{
	struct sockaddr_un	 sun;
	struct group		*gr;
	mode_t			 old;
	int			 fd;

	memset(&sun, 0, sizeof(sun));
	sun.sun_family = AF_UNIX;
	if (strlen(o->path) >= sizeof(sun.sun_path)) {
		xasprintf(cause, "%s: socket path too long", o->path);
		return (-1);
	}
	strcpy(sun.sun_path, o->path);
	/* Another feedd answering here: refuse, do not steal its socket. */
	if (server_answering(o->path, cause))
		return (-1);
	if (unlink(o->path) == -1 && errno != ENOENT) {
		xasprintf(cause, "%s: %s", o->path, strerror(errno));
		return (-1);
	}
	if ((fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC |
	    SOCK_NONBLOCK, 0)) == -1) {
		xasprintf(cause, "socket: %s", strerror(errno));
		return (-1);
	}
	old = umask(0177);
	if (bind(fd, (struct sockaddr *)&sun, sizeof(sun)) == -1) {
		umask(old);
		xasprintf(cause, "%s: %s", o->path, strerror(errno));
		close(fd);
		return (-1);
	}
	umask(old);
	if (o->group != NULL) {
		if ((gr = getgrnam(o->group)) == NULL) {
			xasprintf(cause, "%s: no group %s", o->path, o->group);
			goto fail;	/* gone since server_check() */
		}
		if (chown(o->path, (uid_t)-1, gr->gr_gid) == -1) {
			xasprintf(cause, "%s: chown: %s", o->path,
			    strerror(errno));
			goto fail;
		}
	}
	if (chmod(o->path, (mode_t)o->mode) == -1) {
		xasprintf(cause, "%s: chmod: %s", o->path, strerror(errno));
		goto fail;
	}
	/* A crowd connecting at once waits here, not refused (EAGAIN). */
	if (listen(fd, SOMAXCONN) == -1) {
		xasprintf(cause, "%s: listen: %s", o->path, strerror(errno));
		goto fail;
	}
	return (fd);
fail:
	close(fd);
	unlink(o->path);
	return (-1);
}

static void
server_reply(struct server_conn *c, json_t *id, json_t *result, int code,
    const char *message)
{
	json_t	*msg;

	if (code == 0)
		msg = json_pack("{s:s, s:O, s:o}", "jsonrpc", "2.0", "id",
		    id != NULL ? id : json_null(), "result",
		    result != NULL ? result : json_null());
	else
		msg = json_pack("{s:s, s:O, s:{s:i, s:s}}", "jsonrpc", "2.0",
		    "id", id != NULL ? id : json_null(), "error", "code", code,
		    "message", message != NULL ? message : "error");
	server_send(c, msg);
}

void
server_set_gone(struct server *s, server_gone_cb cb, void *arg)
{
	s->gone_cb = cb;
	s->gone_arg = arg;
}

/*
 * The answer to a request a handler deferred (RPC_DEFERRED).  The
 * connection's later requests waited for it (answers come in the order
 * of the requests); they are read on from the loop, not from inside
 * the caller's callback.
 */
static void
server_answered(struct server_conn *c)
{
	if (c->handling)
		c->answered = 1;
	if (c->held) {
		c->held = 0;
		event_active(c->resume, EV_TIMEOUT, 0);
	}
}

void
server_answer(struct server_conn *c, json_t *id, json_t *result, int code,
    const char *message)
{
	server_reply(c, id, result, code, message);
	server_answered(c);
}

/*
 * server_answer() with a result already written as JSON text: a page
 * of items is written straight into a buffer, not built as a tree.  A
 * handler may answer so at once and return RPC_DEFERRED.
 */
void
server_answer_text(struct server_conn *c, json_t *id, const char *result,
    size_t len)
{
	char	*ids;

	ids = json_dumps(id != NULL ? id : json_null(),
	    JSON_COMPACT | JSON_ENCODE_ANY);
	if (ids != NULL && !c->closing) {
		bufferevent_write(c->bev, "{\"jsonrpc\":\"2.0\",\"id\":",
		    sizeof("{\"jsonrpc\":\"2.0\",\"id\":") - 1);
		bufferevent_write(c->bev, ids, strlen(ids));
		bufferevent_write(c->bev, ",\"result\":",
		    sizeof(",\"result\":") - 1);
		bufferevent_write(c->bev, result, len);
		bufferevent_write(c->bev, "}\n", 2);
	}
	free(ids);
	server_answered(c);
}

/* The deferred request is answered: the requests behind it, then EOF. */
static void
server_conn_resume_cb(evutil_socket_t fd, short what, void *arg)
{
	struct server_conn	*c = arg;

	server_read_cb(c->bev, c);
	if (!c->eof || c->held)
		return;
	if (server_conn_backlog(c) == 0)
		server_conn_free(c);
	else
		c->closing = 1;
}

/* Writes one message already written as compact JSON, as one line. */
void
server_send_text(struct server_conn *c, const char *msg, size_t len)
{
	if (c->closing)
		return;
	bufferevent_write(c->bev, msg, len);
	bufferevent_write(c->bev, "\n", 1);
}

/* Writes one message, compact, as one line. */
void
server_send(struct server_conn *c, json_t *msg)
{
	char	*s;

	if (msg == NULL)
		return;
	s = json_dumps(msg, JSON_COMPACT);
	json_decref(msg);
	if (s == NULL || c->closing)
		goto done;
	bufferevent_write(c->bev, s, strlen(s));
	bufferevent_write(c->bev, "\n", 1);
done:
	free(s);
}

/* One request line: decode, check the envelope, dispatch, reply. */
static void
server_line(struct server_conn *c, const char *line, size_t len)
{
	struct proto_request	 req;
	json_t			*result = NULL;
	char			*message = NULL;
	int			 code;

	if ((code = proto_decode(line, len, &req, &message)) != 0) {
		server_reply(c, req.id, NULL, code, message);
		free(message);
		proto_request_clear(&req);
		return;
	}
	c->handling = 1;
	c->answered = 0;
	code = c->server->request_cb(c, req.method, req.id, req.params,
	    &result, &message, c->server->request_arg);
	c->handling = 0;
	/*
	 * A request without an id is a notification: no answer.  While a
	 * request's answer is deferred, the connection's next requests
	 * wait in its buffer, as tmux holds a client's command queue.
	 */
	if (req.id != NULL && code != RPC_DEFERRED)
		server_reply(c, req.id, result, code, message);
	else
		json_decref(result);
	if (req.id != NULL && code == RPC_DEFERRED && !c->answered)
		c->held = 1;
	free(message);
	proto_request_clear(&req);
}

static void
server_read_cb(struct bufferevent *bev, void *arg)
{
	struct server_conn	*c = arg;
	struct evbuffer		*in = bufferevent_get_input(bev);
	struct evbuffer_ptr	 eol;
	size_t			 len;
	char			*line;

	if (c->draining) {
		evbuffer_drain(in, evbuffer_get_length(in));
		return;
	}
	while (!c->closing && !c->held) {
		eol = evbuffer_search_eol(in, NULL, &len, EVBUFFER_EOL_LF);
		if (eol.pos == -1) {
			if (evbuffer_get_length(in) > c->server->max_line) {
				server_reply(c, NULL, NULL,
				    RPC_INVALID_REQUEST, "request line too "
				    "long; closing");
				c->closing = 1;
				evbuffer_drain(in, evbuffer_get_length(in));
			}
			return;
		}
		if ((size_t)eol.pos > c->server->max_line) {
			evbuffer_drain(in, (size_t)eol.pos + 1);
			server_reply(c, NULL, NULL, RPC_INVALID_REQUEST,
			    "request line too long; closing");
			c->closing = 1;
			return;
		}
		line = xmalloc((size_t)eol.pos + 1);
		evbuffer_remove(in, line, (size_t)eol.pos);
		evbuffer_drain(in, 1);
		len = (size_t)eol.pos;
		if (len > 0 && line[len - 1] == '\r')
			len--;
		if (len > 0)
			server_line(c, line, len);
		free(line);
	}
}

/*
 * Output drained: a connection flagged closing stops writing, then reads
 * and discards until the client closes (or 2 s pass).  Closing at once
 * with its unread request still in the socket would reset the
 * connection and could lose the error it was just sent.
 */
static void
server_write_cb(struct bufferevent *bev, void *arg)
{
	struct server_conn	*c = arg;
	struct timeval		 tv = { 2, 0 };

	if (!c->closing || c->draining)
		return;
	c->draining = 1;
	shutdown(bufferevent_getfd(bev), SHUT_WR);
	evbuffer_drain(bufferevent_get_input(bev),
	    evbuffer_get_length(bufferevent_get_input(bev)));
	bufferevent_set_timeouts(bev, &tv, NULL);
	bufferevent_enable(bev, EV_READ);
}

/*
 * The client hung up (or half-closed after its last request, as
 * "socat -" does): answers still queued go out first.  bufferevent_free
 * is safe inside the bufferevent's own callbacks (libevent defers it).
 */
static void
server_event_cb(struct bufferevent *bev, short what, void *arg)
{
	struct server_conn	*c = arg;

	/*
	 * Requests still to answer (one deferred, or read but held behind
	 * it, its answer just in): answer them, then close.
	 */
	if ((what & BEV_EVENT_EOF) && !(what & BEV_EVENT_ERROR) &&
	    !c->draining && !c->closing && (c->held ||
	    evbuffer_get_length(bufferevent_get_input(bev)) > 0)) {
		c->eof = 1;
		bufferevent_disable(bev, EV_READ);
		if (!c->held)
			event_active(c->resume, EV_TIMEOUT, 0);
		return;
	}
	if ((what & BEV_EVENT_EOF) && !(what & BEV_EVENT_ERROR) &&
	    !c->draining &&
	    evbuffer_get_length(bufferevent_get_output(bev)) > 0) {
		c->closing = 1;
		bufferevent_disable(bev, EV_READ);
		return;
	}
	if (what & (BEV_EVENT_EOF | BEV_EVENT_ERROR | BEV_EVENT_TIMEOUT))
		server_conn_free(c);
}

static void
server_conn_free(struct server_conn *c)
{
	struct server	*s = c->server;

	TAILQ_REMOVE(&s->conns, c, entry);
	s->nconns--;
	if (s->gone_cb != NULL)
		s->gone_cb(c, s->gone_arg);
	if (c->data_free != NULL)
		c->data_free(c->data);
	event_free(c->resume);
	bufferevent_free(c->bev);
	free(c);
}

/* Attaches rpc's state to a connection; "fn" frees it with the conn. */
void
server_conn_set_data(struct server_conn *c, void *data, void (*fn)(void *))
{
	c->data = data;
	c->data_free = fn;
}

void *
server_conn_get_data(const struct server_conn *c)
{
	return (c->data);
}

/* Bytes waiting to be written to this client. */
size_t
server_conn_backlog(const struct server_conn *c)
{
	return (evbuffer_get_length(bufferevent_get_output(c->bev)));
}

/* Sends what is queued, then closes (a watcher too far behind). */
void
server_conn_close(struct server_conn *c)
{
	c->closing = 1;
	bufferevent_disable(c->bev, EV_READ);
}

static void
server_accept_cb(struct evconnlistener *l, evutil_socket_t fd,
    struct sockaddr *sa, int salen, void *arg)
{
	struct server		*s = arg;
	struct server_conn	*c;
	struct ucred		 cred;
	socklen_t		 len = sizeof(cred);

	c = xcalloc(1, sizeof(*c));
	c->server = s;
	c->uid = (uid_t)-1;
	if (getsockopt(fd, SOL_SOCKET, SO_PEERCRED, &cred, &len) == 0)
		c->uid = cred.uid;
	log_debug("server: client uid %ld connected", (long)c->uid);
	c->bev = bufferevent_socket_new(s->base, fd, BEV_OPT_CLOSE_ON_FREE);
	c->resume = event_new(s->base, -1, 0, server_conn_resume_cb, c);
	bufferevent_setcb(c->bev, server_read_cb, server_write_cb,
	    server_event_cb, c);
	bufferevent_enable(c->bev, EV_READ | EV_WRITE);
	TAILQ_INSERT_TAIL(&s->conns, c, entry);
	s->nconns++;
}

static void
server_resume_cb(evutil_socket_t fd, short what, void *arg)
{
	struct server	*s = arg;

	evconnlistener_enable(s->listener);
}

/* EMFILE and friends: stop accepting for a second instead of spinning. */
static void
server_accept_error_cb(struct evconnlistener *l, void *arg)
{
	struct server	*s = arg;
	struct timeval	 tv = { 1, 0 };
	int		 e = EVUTIL_SOCKET_ERROR();

	log_warnx("server: accept: %s; pausing 1 s",
	    evutil_socket_error_to_string(e));
	evconnlistener_disable(l);
	evtimer_add(s->resume, &tv);
}

/*
 * What the socket's options need from the system, checked before the
 * daemon makes anything (and by --check-config): the socket_group.
 */
int
server_check(const struct server_opts *o, char **cause)
{
	if (o->group != NULL && getgrnam(o->group) == NULL) {
		xasprintf(cause, "socket_group: no group %s", o->group);
		return (-1);
	}
	return (0);
}

/*
 * At a start, before the database is made: the socket can be bound
 * where it is asked for (its folder is there, its path fits), unless
 * systemd passes one.  Not at --check-config: a RuntimeDirectory= is made
 * only when the service starts.
 */
int
server_check_path(const struct server_opts *o, char **cause)
{
	struct sockaddr_un	 sun;
	struct stat		 sb;
	char			*copy, *dir;
	int			 rc = 0;

	if (sd_listen_fds(0) > 0)
		return (0);
	if (strlen(o->path) >= sizeof(sun.sun_path)) {
		xasprintf(cause, "%s: socket path too long", o->path);
		return (-1);
	}
	if (server_answering(o->path, cause))
		return (-1);
	copy = xstrdup(o->path);
	dir = dirname(copy);
	if (stat(dir, &sb) == -1) {
		xasprintf(cause, "%s: the socket's folder %s: %s", o->path, dir,
		    strerror(errno));
		rc = -1;
	} else if (!S_ISDIR(sb.st_mode)) {
		xasprintf(cause, "%s: %s is not a folder", o->path, dir);
		rc = -1;
	}
	free(copy);
	return (rc);
}

struct server *
server_new(struct event_base *base, const struct server_opts *o,
    server_request_cb cb, void *arg, char **cause)
{
	struct server	*s;
	int		 fd, activated = 0;

	if ((fd = server_systemd_fd()) == -1) {
		if ((fd = server_bind(o, cause)) == -1)
			return (NULL);
	} else {
		evutil_make_socket_nonblocking(fd);
		activated = 1;
	}
	s = xcalloc(1, sizeof(*s));
	s->activated = activated;
	s->base = base;
	s->max_line = o->max_line > 0 ? o->max_line : 1024 * 1024;
	s->request_cb = cb;
	s->request_arg = arg;
	s->path = xstrdup(o->path);
	TAILQ_INIT(&s->conns);
	s->resume = evtimer_new(base, server_resume_cb, s);
	/*
	 * Backlog 0: the socket listens already (SOMAXCONN here, systemd's
	 * Backlog= when activated); -1 would make libevent listen again
	 * with 128, and a burst of clients past it failed with EAGAIN.
	 */
	s->listener = evconnlistener_new(base, server_accept_cb, s,
	    LEV_OPT_CLOSE_ON_FREE | LEV_OPT_CLOSE_ON_EXEC, 0, fd);
	if (s->listener == NULL)
		fatalx("server: evconnlistener_new failed");
	evconnlistener_set_error_cb(s->listener, server_accept_error_cb);
	return (s);
}

uid_t
server_conn_uid(const struct server_conn *c)
{
	return (c->uid);
}

size_t
server_clients(const struct server *s)
{
	return (s->nconns);
}

/*
 * Answers given while stopping (an add waiting for its first poll hears
 * how it went) go out now, in one write that does not wait: a socket's
 * buffer takes an answer, and a client that reads nothing does not hold
 * the stop.  A socket bufferevent keeps its output's start frozen but
 * while it writes, as this does.
 */
static void
server_conn_flush(struct server_conn *c)
{
	struct evbuffer	*out = bufferevent_get_output(c->bev);

	if (evbuffer_get_length(out) == 0)
		return;
	evbuffer_unfreeze(out, 1);
	if (evbuffer_write(out, bufferevent_getfd(c->bev)) < 0)
		log_debug("server: a last answer was not sent: %s",
		    strerror(errno));
	evbuffer_freeze(out, 1);
}

void
server_free(struct server *s)
{
	struct server_conn	*c;

	if (s == NULL)
		return;
	TAILQ_FOREACH(c, &s->conns, entry)
		server_conn_flush(c);
	while ((c = TAILQ_FIRST(&s->conns)) != NULL)
		server_conn_free(c);
	evconnlistener_free(s->listener);
	event_free(s->resume);
	/*
	 * A socket systemd passed stays (feedd.socket listens on between
	 * runs).  sd_listen_fds(1) cleared $LISTEN_FDS, so ask the flag.
	 */
	if (!s->activated)
		unlink(s->path);
	free(s->path);
	free(s);
}
