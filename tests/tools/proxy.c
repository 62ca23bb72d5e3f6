/*
 * proxy.c: a loopback HTTP forward proxy for feedd's per-feed proxy
 * tests.
 *
 *	proxy --port-file FILE --log FILE
 *
 * Binds 127.0.0.1 on a port the kernel picks and writes the port to
 * FILE once it listens.  A GET for an absolute URL on 127.0.0.1 is
 * fetched (with curl, blocking: one test client at a time) and relayed
 * with its status, Content-Type and body; anything else gets a 403.
 * Each request is logged as "URI<TAB>Proxy-Authorization" ("-" when
 * there is none), so a test sees that the feed went through the proxy
 * and with which credentials.  SIGTERM stops it.
 */
#include <sys/socket.h>

#include <netinet/in.h>

#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <curl/curl.h>
#include <event2/buffer.h>
#include <event2/event.h>
#include <event2/http.h>
#include <event2/keyvalq_struct.h>

struct proxy {
	FILE	*log;
};

static size_t
proxy_body_cb(char *data, size_t size, size_t n, void *arg)
{
	evbuffer_add(arg, data, size * n);
	return (size * n);
}

static void
proxy_request(struct evhttp_request *req, void *arg)
{
	struct proxy		*px = arg;
	struct evkeyvalq	*in = evhttp_request_get_input_headers(req);
	struct evbuffer		*out = evhttp_request_get_output_buffer(req);
	struct curl_slist	*hdrs = NULL;
	const char		*uri = evhttp_request_get_uri(req);
	const char		*auth, *ua;
	char			*ctype = NULL, line[1024];
	long			 status = 502;
	CURL			*e;

	auth = evhttp_find_header(in, "Proxy-Authorization");
	fprintf(px->log, "%s\t%s\n", uri, auth != NULL ? auth : "-");
	fflush(px->log);
	if (evhttp_request_get_command(req) != EVHTTP_REQ_GET ||
	    strncasecmp(uri, "http://127.0.0.1:", 17) != 0) {
		evhttp_send_reply(req, 403, "Forbidden", NULL);
		return;
	}
	if ((e = curl_easy_init()) == NULL) {
		evhttp_send_reply(req, 500, "Error", NULL);
		return;
	}
	/* The client's own headers go on, as a proxy passes them. */
	if ((ua = evhttp_find_header(in, "User-Agent")) != NULL)
		curl_easy_setopt(e, CURLOPT_USERAGENT, ua);
	if ((ua = evhttp_find_header(in, "Authorization")) != NULL) {
		snprintf(line, sizeof(line), "Authorization: %s", ua);
		hdrs = curl_slist_append(hdrs, line);
	}
	curl_easy_setopt(e, CURLOPT_URL, uri);
	curl_easy_setopt(e, CURLOPT_PROXY, "");
	curl_easy_setopt(e, CURLOPT_HTTPHEADER, hdrs);
	curl_easy_setopt(e, CURLOPT_TIMEOUT, 10L);
	curl_easy_setopt(e, CURLOPT_WRITEFUNCTION, proxy_body_cb);
	curl_easy_setopt(e, CURLOPT_WRITEDATA, out);
	if (curl_easy_perform(e) == CURLE_OK) {
		curl_easy_getinfo(e, CURLINFO_RESPONSE_CODE, &status);
		curl_easy_getinfo(e, CURLINFO_CONTENT_TYPE, &ctype);
		if (ctype != NULL)
			evhttp_add_header(evhttp_request_get_output_headers(
			    req), "Content-Type", ctype);
	}
	evhttp_send_reply(req, (int)status, status < 400 ? "OK" : "Error",
	    NULL);
	curl_slist_free_all(hdrs);
	curl_easy_cleanup(e);
}

static void
proxy_stop(evutil_socket_t sig, short what, void *arg)
{
	event_base_loopbreak(arg);
}

int
main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "port-file", required_argument, NULL, 'p' },
		{ "log", required_argument, NULL, 'l' },
		{ NULL, 0, NULL, 0 }
	};
	struct proxy			 px;
	struct event_base		*base;
	struct evhttp			*http;
	struct evhttp_bound_socket	*bs;
	struct event			*sig;
	struct sockaddr_storage		 ss;
	socklen_t			 sl = sizeof(ss);
	const char			*portfile = NULL, *logfile = NULL;
	char				 tmp[4096];
	FILE				*f;
	int				 ch;

	while ((ch = getopt_long(argc, argv, "p:l:", longopts, NULL)) != -1) {
		switch (ch) {
		case 'p':
			portfile = optarg;
			break;
		case 'l':
			logfile = optarg;
			break;
		default:
			goto usage;
		}
	}
	if (portfile == NULL || logfile == NULL)
		goto usage;
	signal(SIGPIPE, SIG_IGN);
	if ((px.log = fopen(logfile, "a")) == NULL) {
		perror(logfile);
		return (1);
	}
	curl_global_init(CURL_GLOBAL_DEFAULT);
	base = event_base_new();
	http = evhttp_new(base);
	evhttp_set_gencb(http, proxy_request, &px);
	if ((bs = evhttp_bind_socket_with_handle(http, "127.0.0.1", 0)) ==
	    NULL) {
		fprintf(stderr, "proxy: cannot bind 127.0.0.1\n");
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
	sig = evsignal_new(base, SIGTERM, proxy_stop, base);
	event_add(sig, NULL);
	event_base_dispatch(base);
	event_free(sig);
	evhttp_free(http);
	event_base_free(base);
	curl_global_cleanup();
	fclose(px.log);
	return (0);
usage:
	fprintf(stderr, "usage: proxy --port-file FILE --log FILE\n");
	return (2);
}
