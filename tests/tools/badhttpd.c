/*
 * badhttpd.c: a loopback server that answers the way hostile or broken
 * feed servers do, for the fault matrix (tests/integration/faults.sh):
 *
 *	badhttpd --port-file FILE
 *
 * It binds 127.0.0.1 on a port the kernel picks, writes the port to FILE
 * once it accepts, and serves each connection on a thread of its own,
 * raw, so it can break HTTP in ways a real server library will not:
 *
 *	/slowloris	the status line, then a header byte a second, never
 *			the end of the headers
 *	/endless	200, chunked, an RSS document that never ends
 *	/lying		Content-Length: 1000000, 300 bytes, then the close
 *	/gzip-bomb	200, Content-Encoding: gzip, zeros for ever (about
 *			1,000 to 1 on the wire)
 *	/deflate-bomb	the same with Content-Encoding: deflate
 *	/loop		302 to itself
 *	/big-headers	200 with 1 MB of headers
 *	/bad-status	a status line that is not HTTP
 *	/reset		Content-Length and half the body, then a TCP reset
 *	/retry-huge	429 with a Retry-After of 10^20 seconds
 *	/moved-ctl	301 to a URL with a control character (0x01)
 *	/moved-tab	301 to a URL with a TAB and a space
 *
 * SIGTERM ends it (exit 0).  Only ever 127.0.0.1.
 */
#include <sys/socket.h>

#include <netinet/in.h>

#include <arpa/inet.h>
#include <pthread.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <zlib.h>

#define BAD_REQ_MAX	8192

static int
bad_write(int fd, const void *p, size_t len)
{
	const char	*s = p;
	ssize_t		 n;

	while (len > 0) {
		if ((n = write(fd, s, len)) <= 0)
			return (-1);
		s += n;
		len -= (size_t)n;
	}
	return (0);
}

static int
bad_puts(int fd, const char *s)
{
	return (bad_write(fd, s, strlen(s)));
}

/* Zeros through zlib for ever: "gzip" (windowBits 31) or "deflate". */
static void
bad_bomb(int fd, int gzip)
{
	static const char	 zeros[65536];
	unsigned char		 out[65536];
	z_stream		 z;
	char			 head[128];
	size_t			 n;

	snprintf(head, sizeof(head), "HTTP/1.1 200 OK\r\nContent-Type: "
	    "application/rss+xml\r\nContent-Encoding: %s\r\nConnection: "
	    "close\r\n\r\n", gzip ? "gzip" : "deflate");
	if (bad_puts(fd, head) == -1)
		return;
	memset(&z, 0, sizeof(z));
	if (deflateInit2(&z, 9, Z_DEFLATED, gzip ? 31 : 15, 9,
	    Z_DEFAULT_STRATEGY) != Z_OK)
		return;
	for (;;) {
		z.next_in = (unsigned char *)zeros;
		z.avail_in = sizeof(zeros);
		do {
			z.next_out = out;
			z.avail_out = sizeof(out);
			deflate(&z, Z_NO_FLUSH);
			n = sizeof(out) - z.avail_out;
			if (n > 0 && bad_write(fd, out, n) == -1) {
				deflateEnd(&z);
				return;
			}
		} while (z.avail_in > 0);
	}
}

static void
bad_serve(int fd, const char *path)
{
	static const char	 item[] = "<item><title>more</title>"
	    "<guid>x</guid></item>";
	struct linger		 lg = { 1, 0 };
	char			 buf[256], pad[1025];
	int			 i;

	if (strcmp(path, "/slowloris") == 0) {
		if (bad_puts(fd, "HTTP/1.1 200 OK\r\nX-Slow: ") == -1)
			return;
		while (bad_puts(fd, "a") == 0)
			sleep(1);
	} else if (strcmp(path, "/endless") == 0) {
		if (bad_puts(fd, "HTTP/1.1 200 OK\r\nContent-Type: "
		    "application/rss+xml\r\nTransfer-Encoding: chunked\r\n\r\n"
		    "1e\r\n<rss><channel><title>t</title>\r\n") == -1)
			return;
		snprintf(buf, sizeof(buf), "%zx\r\n%s\r\n", sizeof(item) - 1,
		    item);
		while (bad_puts(fd, buf) == 0)
			;
	} else if (strcmp(path, "/lying") == 0) {
		if (bad_puts(fd, "HTTP/1.1 200 OK\r\nContent-Type: "
		    "application/rss+xml\r\nContent-Length: 1000000\r\n\r\n"
		    "<rss><channel><title>t</title>") == -1)
			return;
		for (i = 0; i < 12; i++)
			if (bad_puts(fd, item) == -1)
				return;
	} else if (strcmp(path, "/gzip-bomb") == 0)
		bad_bomb(fd, 1);
	else if (strcmp(path, "/deflate-bomb") == 0)
		bad_bomb(fd, 0);
	else if (strcmp(path, "/loop") == 0)
		(void)bad_puts(fd, "HTTP/1.1 302 Found\r\nLocation: /loop\r\n"
		    "Content-Length: 0\r\nConnection: close\r\n\r\n");
	else if (strcmp(path, "/big-headers") == 0) {
		memset(pad, 'x', sizeof(pad) - 1);
		pad[sizeof(pad) - 1] = '\0';
		if (bad_puts(fd, "HTTP/1.1 200 OK\r\n") == -1)
			return;
		for (i = 0; i < 1024; i++) {
			snprintf(buf, sizeof(buf), "X-Pad-%d: ", i);
			if (bad_puts(fd, buf) == -1 || bad_puts(fd, pad) == -1 ||
			    bad_puts(fd, "\r\n") == -1)
				return;
		}
		(void)bad_puts(fd, "Content-Length: 0\r\n\r\n");
	} else if (strcmp(path, "/bad-status") == 0)
		(void)bad_puts(fd, "SPDY/9 two hundred maybe\r\n\r\n<rss/>");
	else if (strcmp(path, "/reset") == 0) {
		if (bad_puts(fd, "HTTP/1.1 200 OK\r\nContent-Type: "
		    "application/rss+xml\r\nContent-Length: 4000\r\n\r\n"
		    "<rss><channel><title>t</title>") == -1)
			return;
		for (i = 0; i < 20; i++)
			if (bad_puts(fd, item) == -1)
				return;
		usleep(100000);
		/* Linger 0: the close sends RST, not FIN. */
		setsockopt(fd, SOL_SOCKET, SO_LINGER, &lg, sizeof(lg));
	} else if (strcmp(path, "/retry-huge") == 0)
		(void)bad_puts(fd, "HTTP/1.1 429 Too Many Requests\r\n"
		    "Retry-After: 100000000000000000000\r\nContent-Length: 0\r\n"
		    "Connection: close\r\n\r\n");
	else if (strcmp(path, "/moved-ctl") == 0)
		(void)bad_puts(fd, "HTTP/1.1 301 Moved Permanently\r\n"
		    "Location: /new\001feed\r\nContent-Length: 0\r\n"
		    "Connection: close\r\n\r\n");
	else if (strcmp(path, "/moved-tab") == 0)
		(void)bad_puts(fd, "HTTP/1.1 301 Moved Permanently\r\n"
		    "Location: /new\tfeed here\r\nContent-Length: 0\r\n"
		    "Connection: close\r\n\r\n");
	else
		(void)bad_puts(fd, "HTTP/1.1 404 Not Found\r\nContent-Length: "
		    "0\r\nConnection: close\r\n\r\n");
}

static void *
bad_conn(void *arg)
{
	char	 req[BAD_REQ_MAX + 1], path[256];
	size_t	 len = 0;
	ssize_t	 n;
	int	 fd = (int)(intptr_t)arg;

	/* The request head; what it asks beyond the path does not matter. */
	while (len < BAD_REQ_MAX) {
		if ((n = read(fd, req + len, BAD_REQ_MAX - len)) <= 0)
			goto done;
		len += (size_t)n;
		req[len] = '\0';
		if (strstr(req, "\r\n\r\n") != NULL)
			break;
	}
	req[len] = '\0';
	if (sscanf(req, "%*s %255s", path) == 1)
		bad_serve(fd, path);
done:
	close(fd);
	return (NULL);
}

int
main(int argc, char **argv)
{
	struct sockaddr_in	 sin;
	socklen_t		 slen = sizeof(sin);
	pthread_attr_t		 attr;
	pthread_t		 t;
	FILE			*f;
	char			 tmp[4096];
	int			 s, c, one = 1;

	if (argc != 3 || strcmp(argv[1], "--port-file") != 0) {
		fprintf(stderr, "usage: badhttpd --port-file FILE\n");
		return (2);
	}
	signal(SIGPIPE, SIG_IGN);
	memset(&sin, 0, sizeof(sin));
	sin.sin_family = AF_INET;
	sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if ((s = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0)) == -1 ||
	    setsockopt(s, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)) == -1 ||
	    bind(s, (struct sockaddr *)&sin, sizeof(sin)) == -1 ||
	    listen(s, 128) == -1 ||
	    getsockname(s, (struct sockaddr *)&sin, &slen) == -1) {
		perror("badhttpd");
		return (1);
	}
	snprintf(tmp, sizeof(tmp), "%s.tmp", argv[2]);
	if ((f = fopen(tmp, "w")) == NULL) {
		perror(tmp);
		return (1);
	}
	fprintf(f, "%u\n", ntohs(sin.sin_port));
	if (fclose(f) != 0 || rename(tmp, argv[2]) == -1) {
		perror(argv[2]);
		return (1);
	}
	pthread_attr_init(&attr);
	pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
	for (;;) {
		if ((c = accept4(s, NULL, NULL, SOCK_CLOEXEC)) == -1)
			continue;
		if (pthread_create(&t, &attr, bad_conn, (void *)(intptr_t)c) !=
		    0)
			close(c);
	}
}
