/*
 * bench-feeds.h: what bench/poll and bench/notify share: generated news
 * feeds (20-50 items of about 1.2 KB), nginx serving them on loopback
 * (Debian's package, started with its own config, stopped by PID), and
 * clocks.  Static inline: each benchmark is one program.
 */
#ifndef FEEDD_BENCH_FEEDS_H
#define FEEDD_BENCH_FEEDS_H

#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>

#include <netinet/in.h>
#include <arpa/inet.h>

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define NGINX		"/usr/sbin/nginx"

static uint64_t	rng __attribute__((__unused__)) = 0x2545f4914f6cdd1dULL;

static inline uint32_t
rnd(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return ((uint32_t)(rng >> 16));
}

static const char *const words[] __attribute__((__unused__)) = {
	"delegation", "military", "cooperation", "summit", "treaty",
	"security", "regional", "economic", "minister", "officials",
	"agreement", "report", "government", "capital", "visit", "talks",
	"analysts", "markets", "pressure", "sanctions", "defence", "allies",
	"ministry", "statement", "exchange", "university", "elite", "state",
};

static inline void
prose(FILE *f, int nwords)
{
	int	i;

	for (i = 0; i < nwords; i++)
		fprintf(f, "%s%s", i ? " " : "",
		    words[rnd() % (sizeof(words) / sizeof(*words))]);
}

/* One RSS 2.0 feed of 20-50 items, about 1.2 KB each; returns how many. */
static inline int
gen_feed(const char *path, size_t n)
{
	FILE	*f;
	int	 items = 20 + (int)(rnd() % 31), i;

	if ((f = fopen(path, "w")) == NULL) {
		perror(path);
		exit(1);
	}
	fprintf(f, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<rss version="
	    "\"2.0\" xmlns:dc=\"http://purl.org/dc/elements/1.1/\" "
	    "xmlns:content=\"http://purl.org/rss/1.0/modules/content/\">"
	    "<channel><title>Feed %zu</title><link>https://news%zu.example/"
	    "</link><description>Bench feed</description><ttl>60</ttl>\n",
	    n, n % 97);
	for (i = 0; i < items; i++) {
		fprintf(f, "<item><title>");
		prose(f, 8);
		fprintf(f, "</title><link>https://news%zu.example/%zu/%d</link>"
		    "<guid isPermaLink=\"false\">f%zu-i%d</guid>"
		    "<pubDate>Tue, 09 Jul 2024 %02d:%02d:00 +0530</pubDate>"
		    "<dc:creator>Desk %d</dc:creator><category>World</category>"
		    "<description>&lt;p&gt;", n % 97, n, i, n, i, i % 24,
		    (int)(rnd() % 60), i % 7);
		prose(f, 40);
		fprintf(f, "&lt;/p&gt;</description><content:encoded><![CDATA["
		    "<p>");
		prose(f, 60);
		fprintf(f, "</p><p>");
		prose(f, 40);
		fprintf(f, "</p>]]></content:encoded></item>\n");
	}
	fprintf(f, "</channel></rss>\n");
	fclose(f);
	return (items);
}

static inline int
free_port(void)
{
	struct sockaddr_in	sin;
	socklen_t		len = sizeof(sin);
	int			fd, port;

	fd = socket(AF_INET, SOCK_STREAM, 0);
	memset(&sin, 0, sizeof(sin));
	sin.sin_family = AF_INET;
	sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (bind(fd, (struct sockaddr *)&sin, sizeof(sin)) == -1 ||
	    getsockname(fd, (struct sockaddr *)&sin, &len) == -1) {
		perror("bench: port");
		exit(1);
	}
	port = ntohs(sin.sin_port);
	close(fd);
	return (port);
}

static inline int
port_open(int port)
{
	struct sockaddr_in	sin;
	int			fd, ok;

	fd = socket(AF_INET, SOCK_STREAM, 0);
	memset(&sin, 0, sizeof(sin));
	sin.sin_family = AF_INET;
	sin.sin_port = htons((uint16_t)port);
	sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	ok = connect(fd, (struct sockaddr *)&sin, sizeof(sin)) == 0;
	close(fd);
	return (ok);
}

/* nginx on 127.0.0.1:port, serving dir/www; returns its PID. */
static inline pid_t
nginx_start(const char *dir, int port)
{
	char	conf[512], path[600];
	FILE	*f;
	pid_t	 pid;
	int	 i;

	snprintf(conf, sizeof(conf), "%s/nginx.conf", dir);
	if ((f = fopen(conf, "w")) == NULL) {
		perror(conf);
		exit(1);
	}
	fprintf(f, "worker_processes 1;\npid %s/nginx.pid;\n"
	    "error_log %s/nginx.err warn;\nevents { worker_connections 4096; }\n"
	    "http {\n access_log off;\n sendfile on;\n etag on;\n"
	    " keepalive_requests 1000000;\n keepalive_timeout 60s;\n"
	    " client_body_temp_path %s/tmp;\n proxy_temp_path %s/tmp;\n"
	    " fastcgi_temp_path %s/tmp;\n uwsgi_temp_path %s/tmp;\n"
	    " scgi_temp_path %s/tmp;\n"
	    " types { application/rss+xml xml; }\n"
	    " server { listen 127.0.0.1:%d; root %s/www; }\n}\n",
	    dir, dir, dir, dir, dir, dir, dir, port, dir);
	fclose(f);
	snprintf(path, sizeof(path), "%s/tmp", dir);
	mkdir(path, 0700);
	if ((pid = fork()) == 0) {
		execl(NGINX, "nginx", "-c", conf, "-p", dir, "-g",
		    "daemon off;", (char *)NULL);
		perror(NGINX);
		_exit(127);
	}
	for (i = 0; i < 100 && !port_open(port); i++)
		usleep(50000);
	if (!port_open(port)) {
		fprintf(stderr, "bench: nginx did not start (see %s/nginx.err)\n",
		    dir);
		exit(1);
	}
	return (pid);
}

static inline double
now_s(void)
{
	struct timespec	ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ((double)ts.tv_sec + (double)ts.tv_nsec / 1e9);
}

static inline double
cpu_s(void)
{
	struct rusage	ru;

	getrusage(RUSAGE_SELF, &ru);
	return ((double)ru.ru_utime.tv_sec + ru.ru_utime.tv_usec / 1e6 +
	    (double)ru.ru_stime.tv_sec + ru.ru_stime.tv_usec / 1e6);
}

#endif /* FEEDD_BENCH_FEEDS_H */
