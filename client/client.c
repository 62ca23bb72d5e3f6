/*
 * client.c: the JSON-RPC client feedctl uses.
 */
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <jansson.h>

#include "client.h"
#include "conf.h"
#include "xmalloc.h"

#define CLIENT_LINE_MAX	(256 * 1024 * 1024)	/* a reply, at most */
#define CLIENT_SYSTEM_SOCKET	"/run/feedd/feedd.sock"

struct client {
	int		 fd;
	FILE		*in;
	char		*path;
	int		 next_id;
	client_notify_cb notify;
	void		*notify_arg;
};

static ssize_t	client_read_line(struct client *, char **, size_t *);

/*
 * When client_socket_path() had to guess, the sockets it looked for, for
 * client_open()'s message (feedctl does one thing at a time).
 */
static char	*client_guessed;
static char	*client_tried;

/*
 * No -s, $FEEDD_SOCKET or readable config: the user service's socket
 * ($XDG_RUNTIME_DIR/feedd/feedd.sock), else the system service's
 * (/run/feedd/feedd.sock), whichever exists; the system's when neither.
 */
static char *
client_guess_socket(void)
{
	struct stat	 st;
	const char	*rt = getenv("XDG_RUNTIME_DIR");
	char		*user = NULL, *path;

	if (rt != NULL && *rt == '/')
		xasprintf(&user, "%s/feedd/feedd.sock", rt);
	free(client_tried);
	if (user != NULL)
		xasprintf(&client_tried, "%s, %s", user, CLIENT_SYSTEM_SOCKET);
	else
		client_tried = xstrdup(CLIENT_SYSTEM_SOCKET);
	if (user != NULL && stat(user, &st) == 0 && S_ISSOCK(st.st_mode))
		path = user;
	else {
		free(user);
		path = xstrdup(CLIENT_SYSTEM_SOCKET);
	}
	free(client_guessed);
	client_guessed = xstrdup(path);
	return (path);
}

/*
 * The socket: -s, else $FEEDD_SOCKET, else the config's (-c, else
 * $FEEDD_CONFIG, else the system's), else the user or system service's.
 * A config without a socket key is one whose daemon puts it in its
 * service's runtime folder, so that case guesses as well.  A config the
 * user named that cannot be read is an error: falling back would reach
 * some other daemon.
 */
char *
client_socket_path(const char *opt_socket, const char *opt_config,
    char **cause)
{
	struct conf	*c;
	const char	*env, *path;
	char		*res, *why = NULL;
	int		 named;

	if (opt_socket != NULL)
		return (xstrdup(opt_socket));
	if ((env = getenv("FEEDD_SOCKET")) != NULL && *env != '\0')
		return (xstrdup(env));
	path = opt_config;
	if (path == NULL && (env = getenv("FEEDD_CONFIG")) != NULL &&
	    *env != '\0')
		path = env;
	named = path != NULL;
	if (!named)
		path = FEEDD_SYSCONFDIR "/feedd/feedd.conf";
	if (access(path, R_OK) != 0) {
		if (named) {	/* the default need not be there */
			xasprintf(cause, "%s: %s", path, strerror(errno));
			return (NULL);
		}
		return (client_guess_socket());
	}
	/*
	 * A config with an error (a daemon that refused to reload it runs
	 * on): say so, and use its socket all the same.
	 */
	if ((c = conf_load(path, &why)) == NULL) {
		fprintf(stderr, "feedctl: %s\n", why);
		free(why);
	} else
		conf_free(c);
	if ((res = conf_socket(path)) != NULL)
		return (res);
	return (client_guess_socket());
}

struct client *
client_open(const char *path, char **cause)
{
	struct sockaddr_un	 sun;
	struct client		*cl;
	int			 fd;

	memset(&sun, 0, sizeof(sun));
	sun.sun_family = AF_UNIX;
	if (strlen(path) >= sizeof(sun.sun_path)) {
		xasprintf(cause, "%s: socket path too long", path);
		return (NULL);
	}
	strcpy(sun.sun_path, path);
	if ((fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0)) == -1 ||
	    connect(fd, (struct sockaddr *)&sun, sizeof(sun)) == -1) {
		if (client_guessed != NULL && strcmp(path, client_guessed) ==
		    0)
			xasprintf(cause, "cannot reach feedd: no socket at %s "
			    "(%s); give one with -s, $FEEDD_SOCKET or a config",
			    client_tried, strerror(errno));
		else
			xasprintf(cause, "cannot reach feedd at %s: %s", path,
			    strerror(errno));
		if (fd != -1)
			close(fd);
		return (NULL);
	}
	cl = xcalloc(1, sizeof(*cl));
	cl->fd = fd;
	cl->path = xstrdup(path);
	if ((cl->in = fdopen(dup(fd), "r")) == NULL) {
		xasprintf(cause, "fdopen: %s", strerror(errno));
		client_close(cl);
		return (NULL);
	}
	return (cl);
}

static int
client_write_all(int fd, const char *s, size_t len)
{
	ssize_t	n;

	while (len > 0) {
		/* A daemon that went away is an error to report, not SIGPIPE. */
		if ((n = send(fd, s, len, MSG_NOSIGNAL)) == -1) {
			if (errno == EINTR)
				continue;
			return (-1);
		}
		s += n;
		len -= (size_t)n;
	}
	return (0);
}

/*
 * Calls "method"; 0 with "*result" (owned by the caller), -1 with "*cause"
 * from the daemon's error, -2 when the connection failed.
 */
int
client_call(struct client *cl, const char *method, json_t *params,
    json_t **result, char **cause)
{
	json_t	*req, *msg, *err;
	char	*s, *line = NULL;
	size_t	 cap = 0, len = 0;
	ssize_t	 n;
	int	 id = ++cl->next_id, rc = -2;

	req = json_pack("{s:s, s:i, s:s, s:o}", "jsonrpc", "2.0", "id", id,
	    "method", method, "params", params != NULL ? json_incref(params) :
	    json_object());
	s = json_dumps(req, JSON_COMPACT);
	json_decref(req);
	if (s != NULL) {
		len = strlen(s);
		s = xreallocarray(s, len + 2, 1);
		memcpy(s + len, "\n", 2);	/* one line, sent whole */
	}
	if (s == NULL || client_write_all(cl->fd, s, len + 1) != 0) {
		if (s != NULL && (errno == EPIPE || errno == ECONNRESET))
			xasprintf(cause, "%s: the daemon closed the "
			    "connection", cl->path);
		else
			xasprintf(cause, "%s: write: %s", cl->path,
			    strerror(errno));
		free(s);
		return (-2);
	}
	free(s);
	for (;;) {
		if ((n = client_read_line(cl, &line, &cap)) == -1) {
			xasprintf(cause, "%s: a reply of over %d MiB: not "
			    "feedd, or a broken one", cl->path,
			    CLIENT_LINE_MAX / (1024 * 1024));
			break;
		}
		if (n == 0) {
			xasprintf(cause, "%s: the daemon closed the "
			    "connection", cl->path);
			break;
		}
		if ((msg = json_loadb(line, (size_t)n, 0, NULL)) == NULL)
			continue;
		/* Notifications (no id) go to the caller, if it listens. */
		if (json_object_get(msg, "id") == NULL && cl->notify != NULL)
			cl->notify(msg, cl->notify_arg);
		if (json_integer_value(json_object_get(msg, "id")) != id) {
			json_decref(msg);
			continue;
		}
		if ((err = json_object_get(msg, "error")) != NULL) {
			*cause = xstrdup(json_string_value(json_object_get(err,
			    "message")) != NULL ? json_string_value(
			    json_object_get(err, "message")) : "error");
			rc = -1;
		} else {
			*result = json_incref(json_object_get(msg, "result"));
			rc = 0;
		}
		json_decref(msg);
		break;
	}
	free(line);
	return (rc);
}

/*
 * One line from the daemon, its newline included: its length, 0 at the
 * end of the stream, -1 past CLIENT_LINE_MAX.  The daemon's largest
 * answer is far below the limit, so a longer line is a broken peer, and
 * reading it on would only take the machine's memory.
 */
static ssize_t
client_read_line(struct client *cl, char **line, size_t *cap)
{
	size_t	len = 0, room;

	for (;;) {
		if (*cap - len < 2) {
			*cap = *cap == 0 ? 65536 : *cap * 2;
			if (*cap > CLIENT_LINE_MAX + 2)
				*cap = CLIENT_LINE_MAX + 2;
			*line = xreallocarray(*line, 1, *cap);
		}
		room = *cap - len;
		if (room > INT_MAX)
			room = INT_MAX;
		if (fgets(*line + len, (int)room, cl->in) == NULL)
			return ((ssize_t)len);
		len += strlen(*line + len);
		if (len > 0 && (*line)[len - 1] == '\n')
			return ((ssize_t)len);
		if (len > CLIENT_LINE_MAX)
			return (-1);
	}
}

/* Who hears the notifications that come while waiting for an answer. */
void
client_set_notify(struct client *cl, client_notify_cb cb, void *arg)
{
	cl->notify = cb;
	cl->notify_arg = arg;
}

/* The next message the daemon sends (a notification); -1 at the end. */
int
client_next(struct client *cl, json_t **msg)
{
	char	*line = NULL;
	size_t	 cap = 0;
	ssize_t	 n;

	*msg = NULL;
	while (*msg == NULL) {
		if ((n = client_read_line(cl, &line, &cap)) <= 0) {
			free(line);
			return (-1);
		}
		*msg = json_loadb(line, (size_t)n, 0, NULL);
	}
	free(line);
	return (0);
}

void
client_close(struct client *cl)
{
	if (cl == NULL)
		return;
	if (cl->in != NULL)
		fclose(cl->in);
	close(cl->fd);
	free(cl->path);
	free(cl);
}
