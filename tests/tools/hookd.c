/*
 * hookd.c: a loopback webhook receiver for feedd's notifier tests and
 * bench/notify.
 *
 *	hookd --dir DIR --port-file FILE
 *
 * Binds 127.0.0.1 on a port the kernel picks and writes the port to
 * FILE once it listens.  Every request is kept as DIR/req-N (the request
 * line, the headers, a blank line, the body) and logged to DIR/log as
 * "N METHOD URI STATUS MICROSECONDS" (the wall clock at arrival).  How it
 * answers is read from DIR/mode at each request: absent or "ok": 200;
 * "500", "429 SECONDS" (with Retry-After), "404": that status; "hang":
 * no answer at all (the client times out).
 */
#include <sys/queue.h>
#include <sys/time.h>

#include <netinet/in.h>

#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <event2/buffer.h>
#include <event2/event.h>
#include <event2/http.h>
#include <event2/keyvalq_struct.h>

struct hookd {
	const char	*dir;
	unsigned long	 n;
	FILE		*log;
};

static void
hookd_mode(const struct hookd *h, char *mode, size_t len)
{
	char	 path[4096];
	FILE	*f;

	snprintf(mode, len, "ok");
	snprintf(path, sizeof(path), "%s/mode", h->dir);
	if ((f = fopen(path, "r")) == NULL)
		return;
	if (fgets(mode, (int)len, f) == NULL)
		snprintf(mode, len, "ok");
	mode[strcspn(mode, "\r\n")] = '\0';
	fclose(f);
}

static const char *
hookd_method(enum evhttp_cmd_type t)
{
	switch (t) {
	case EVHTTP_REQ_GET:
		return ("GET");
	case EVHTTP_REQ_POST:
		return ("POST");
	case EVHTTP_REQ_PUT:
		return ("PUT");
	default:
		return ("OTHER");
	}
}

static void
hookd_request(struct evhttp_request *req, void *arg)
{
	struct hookd		*h = arg;
	struct evkeyvalq	*hdrs = evhttp_request_get_input_headers(req);
	struct evbuffer		*in = evhttp_request_get_input_buffer(req);
	struct evkeyval		*kv;
	struct timeval		 tv;
	char			 path[4096], tmp[4096], mode[64];
	size_t			 len = evbuffer_get_length(in);
	unsigned char		*body;
	FILE			*f;
	int			 status = 200;
	unsigned long		 n = ++h->n;
	long			 retry = -1;

	gettimeofday(&tv, NULL);
	hookd_mode(h, mode, sizeof(mode));
	if (strcmp(mode, "hang") == 0)
		status = 0;
	else if (strcmp(mode, "ok") != 0 && sscanf(mode, "%d %ld", &status,
	    &retry) < 1)
		status = 200;

	snprintf(tmp, sizeof(tmp), "%s/.req-%lu", h->dir, n);
	snprintf(path, sizeof(path), "%s/req-%lu", h->dir, n);
	if ((f = fopen(tmp, "w")) != NULL) {
		fprintf(f, "%s %s\n", hookd_method(evhttp_request_get_command(
		    req)), evhttp_request_get_uri(req));
		TAILQ_FOREACH(kv, hdrs, next)
			fprintf(f, "%s: %s\n", kv->key, kv->value);
		fputc('\n', f);
		body = evbuffer_pullup(in, -1);
		if (len > 0)
			fwrite(body, 1, len, f);
		fclose(f);
		rename(tmp, path);
	}
	fprintf(h->log, "%lu %s %s %d %lld\n", n,
	    hookd_method(evhttp_request_get_command(req)),
	    evhttp_request_get_uri(req), status,
	    (long long)tv.tv_sec * 1000000 + tv.tv_usec);
	fflush(h->log);
	if (status == 0)
		return;		/* "hang": evhttp frees it with the connection */
	if (retry >= 0) {
		snprintf(tmp, sizeof(tmp), "%ld", retry);
		evhttp_add_header(evhttp_request_get_output_headers(req),
		    "Retry-After", tmp);
	}
	evbuffer_add_printf(evhttp_request_get_output_buffer(req),
	    "{\"hookd\":%d}", status);
	evhttp_send_reply(req, status, status < 300 ? "OK" : "Error", NULL);
}

static void
hookd_stop(evutil_socket_t sig, short what, void *arg)
{
	event_base_loopbreak(arg);
}

int
main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "dir", required_argument, NULL, 'd' },
		{ "port-file", required_argument, NULL, 'p' },
		{ NULL, 0, NULL, 0 }
	};
	struct hookd			 h;
	struct event_base		*base;
	struct evhttp			*http;
	struct evhttp_bound_socket	*bs;
	struct event			*sig;
	struct sockaddr_storage		 ss;
	socklen_t			 sl = sizeof(ss);
	const char			*portfile = NULL;
	char				 path[4096], tmp[4096];
	FILE				*f;
	int				 ch;

	memset(&h, 0, sizeof(h));
	while ((ch = getopt_long(argc, argv, "d:p:", longopts, NULL)) != -1) {
		switch (ch) {
		case 'd':
			h.dir = optarg;
			break;
		case 'p':
			portfile = optarg;
			break;
		default:
			fprintf(stderr, "usage: hookd --dir DIR --port-file "
			    "FILE\n");
			return (2);
		}
	}
	if (h.dir == NULL || portfile == NULL) {
		fprintf(stderr, "usage: hookd --dir DIR --port-file FILE\n");
		return (2);
	}
	signal(SIGPIPE, SIG_IGN);
	snprintf(path, sizeof(path), "%s/log", h.dir);
	if ((h.log = fopen(path, "a")) == NULL) {
		fprintf(stderr, "hookd: %s: %s\n", path, strerror(errno));
		return (1);
	}
	base = event_base_new();
	http = evhttp_new(base);
	evhttp_set_allowed_methods(http, EVHTTP_REQ_GET | EVHTTP_REQ_POST |
	    EVHTTP_REQ_PUT);
	evhttp_set_gencb(http, hookd_request, &h);
	if ((bs = evhttp_bind_socket_with_handle(http, "127.0.0.1", 0)) ==
	    NULL) {
		fprintf(stderr, "hookd: cannot bind 127.0.0.1\n");
		return (1);
	}
	getsockname(evhttp_bound_socket_get_fd(bs), (struct sockaddr *)&ss,
	    &sl);
	snprintf(tmp, sizeof(tmp), "%s.tmp", portfile);
	if ((f = fopen(tmp, "w")) == NULL)
		return (1);
	fprintf(f, "%d\n", ntohs(((struct sockaddr_in *)&ss)->sin_port));
	fclose(f);
	rename(tmp, portfile);
	sig = evsignal_new(base, SIGTERM, hookd_stop, base);
	event_add(sig, NULL);
	event_base_dispatch(base);
	event_free(sig);
	evhttp_free(http);
	event_base_free(base);
	fclose(h.log);
	return (0);
}
