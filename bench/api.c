/*
 * api.c: the socket API under load, against the real feedd binary.
 *
 * A database of N items (default 1,000,000) is filled through the store,
 * then feedd serves it.  Printed: items.list pages of 100 (a random
 * cursor each) with 1 and with 50 clients at once, requests/s and
 * p50/p99 latency; search latency; and watch fan-out: 100 watchers, then
 * a poll that stores 5,000 new items, new items/s delivered to them all.
 * Then the open loop: pages asked for at a fixed rate over 50
 * connections, whatever the answers do, and "status" at a fixed rate
 * while feedd starts on the store with 1,000 feeds to poll from nginx and
 * a retention pass that deletes 100,000 items.  Figures only: nothing is
 * asserted.
 *
 *	bench/api [--items N] [--feedd PATH] [--rate N[,N...]] [--no-load]
 *
 * Several rates (--rate 250,500,1000) run the open loop at each in turn
 * on the same store: where the latency turns up is the daemon's knee.
 */
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "bench-feeds.h"
#include "item.h"
#include "store.h"
#include "xmalloc.h"
#include "stats.h"

#define FEEDS		100
#define PER_POLL	50
#define CLIENTS		50
#define WATCHERS	100
#define FANOUT_ITEMS	5000
#define OPEN_SECS	10	/* each open-loop run */
#define LOAD_FEEDS	1000
#define LOAD_DELETE	100000	/* items the retention pass removes */
#define RATES_MAX	8	/* --rate's list */
#define LOAD_RATE	200	/* status requests a second */
#define LOAD_SECS	20

static char	dir[] = "/tmp/feedd-bench-api-XXXXXX";
static char	sock[100];
static int64_t	nitems = 1000000;

/* One connection of the open loop: what it still has to write, and when
 * each request it has sent was due (answers come back in order). */
struct open_conn {
	int	 fd;
	char	 out[4096];
	size_t	 outlen;
	double	*due;
	size_t	 head, tail;
};

static double
now_ms(void)
{
	struct timespec	ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ((double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6);
}

static void
report(const char *what, double *lat, size_t n, double wall_ms,
    size_t bytes)
{
	qsort(lat, n, sizeof(*lat), cmp_double);
	printf("  %-34s %8.0f req/s  p50 %.3f ms  p99 %.3f ms  max %.3f ms",
	    what, (double)n / (wall_ms / 1e3), lat[n / 2], lat[n * 99 / 100],
	    lat[n - 1]);
	if (bytes > 0)
		printf("  %.1f KB an answer", (double)bytes / (double)n / 1e3);
	printf("\n");
}

/* The database: N items in polls of 50 over FEEDS feeds. */
static void
fill(const char *db)
{
	struct store_feed_conf		 conf;
	struct store_poll		 polls[20];
	const struct store_poll		*pp[20];
	struct store_poll_result	 res[20];
	struct feed_doc			*docs[20];
	struct feed_item		*it;
	struct store			*s;
	int64_t				 ids[FEEDS], fids[20], made = 0;
	char				 buf[256], *causes[20], *cause = NULL;
	int				 f, k, j, more;

	if ((s = store_open(db, &cause)) == NULL) {
		fprintf(stderr, "bench/api: %s\n", cause);
		exit(1);
	}
	for (f = 0; f < FEEDS; f++) {
		memset(&conf, 0, sizeof(conf));
		snprintf(buf, sizeof(buf), "https://api.example/%d", f);
		conf.url = buf;
		conf.interval = -1;
		conf.enabled = 0;	/* never polled: served only */
		/* Added over the socket, as far as feedd knows: a feed of
		 * config origin missing from the config is removed at start,
		 * items and all, and the bench would read an empty store. */
		conf.origin = STORE_ORIGIN_RUNTIME;
		if (store_feed_add(s, &conf, &ids[f], &cause) != 0) {
			fprintf(stderr, "bench/api: %s\n", cause);
			exit(1);
		}
	}
	while (made < nitems) {
		for (k = 0; k < 20; k++) {
			docs[k] = feed_doc_new();
			for (j = 0; j < PER_POLL; j++, made++) {
				it = feed_item_new();
				snprintf(buf, sizeof(buf), "i%lld",
				    (long long)made);
				it->guid = xstrdup(buf);
				snprintf(buf, sizeof(buf), "Report %lld on "
				    "regional security talks and markets",
				    (long long)made);
				it->title = xstrdup(buf);
				it->summary = xstrdup("<p>Officials met for "
				    "talks on trade, defence and the economy; "
				    "analysts expect a statement.</p>");
				it->published = 1720486560 + made;
				it->key = feed_item_key(it, NULL);
				feed_doc_add_item(docs[k], it);
			}
			memset(&polls[k], 0, sizeof(polls[k]));
			polls[k].now = 1720486560;
			polls[k].doc = docs[k];
			polls[k].http_status = 200;
			polls[k].next_poll = DATE_NONE;
			polls[k].retry_after = DATE_NONE;
			pp[k] = &polls[k];
			fids[k] = ids[(made / PER_POLL) % FEEDS];
		}
		store_apply_polls(s, 20, fids, pp, res, causes);
		for (k = 0; k < 20; k++) {
			if (causes[k] != NULL) {
				fprintf(stderr, "bench/api: %s\n", causes[k]);
				exit(1);
			}
			store_poll_result_clear(&res[k]);
			feed_doc_free(docs[k]);
		}
	}
	/* Indexed now, in passes as feedd's indexer goes, so it has
	 * nothing left to do. */
	do {
		if (store_index_update(s, 10000, &more, &cause) != 0) {
			fprintf(stderr, "bench/api: %s\n", cause);
			exit(1);
		}
	} while (more);
	store_close(s);
}

static void	open_request(char *, size_t, const char *, int);

static int
connect_sock(void)
{
	struct sockaddr_un	sun;
	int			fd;

	memset(&sun, 0, sizeof(sun));
	sun.sun_family = AF_UNIX;
	snprintf(sun.sun_path, sizeof(sun.sun_path), "%s", sock);
	if ((fd = socket(AF_UNIX, SOCK_STREAM, 0)) == -1 ||
	    connect(fd, (struct sockaddr *)&sun, sizeof(sun)) == -1)
		return (-1);
	return (fd);
}

/*
 * Reads one answer (a line) from fd into buf; its length, or -1.  A
 * client has one request out at a time and the answer is the only line
 * that comes, so reading in large chunks until one ends in a newline
 * never takes the start of another; a byte at a time would cost the
 * client far more than feedd spends on a page.
 */
static ssize_t
read_line(int fd, char **buf, size_t *cap)
{
	size_t	len = 0;
	ssize_t	n;

	for (;;) {
		if (len + 65536 > *cap) {
			*cap = (*cap + 65536) * 2;
			*buf = xreallocarray(*buf, 1, *cap);
		}
		if ((n = read(fd, *buf + len, *cap - len)) <= 0)
			return (-1);
		len += (size_t)n;
		if ((*buf)[len - 1] == '\n')
			return ((ssize_t)len);
	}
}

/*
 * One client: "n" requests, one at a time; latencies into lat[].  The
 * bytes of the answers, so a page that came back short would show.
 */
static size_t
client_run(int fd, int n, const char *kind, double *lat)
{
	char	req[256], *buf = NULL;
	size_t	cap = 0, bytes = 0;
	ssize_t	len;
	int	i;

	for (i = 0; i < n; i++) {
		if (strcmp(kind, "page") == 0)
			snprintf(req, sizeof(req), "{\"jsonrpc\":\"2.0\","
			    "\"id\":%d,\"method\":\"items.list\",\"params\":"
			    "{\"since\":%lld,\"limit\":100}}\n", i,
			    (long long)(random() % (nitems - 100)));
		else if (strcmp(kind, "status") == 0)
			open_request(req, sizeof(req), kind, i);
		else
			snprintf(req, sizeof(req), "{\"jsonrpc\":\"2.0\","
			    "\"id\":%d,\"method\":\"items.search\",\"params\":"
			    "{\"query\":\"report %ld\",\"limit\":20}}\n", i,
			    random() % nitems);
		lat[i] = now_ms();
		if (write(fd, req, strlen(req)) < 0 ||
		    (len = read_line(fd, &buf, &cap)) < 0) {
			fprintf(stderr, "bench/api: the daemon hung up\n");
			exit(1);
		}
		lat[i] = now_ms() - lat[i];
		bytes += (size_t)len;
	}
	free(buf);
	return (bytes);
}

/* 50 clients in 50 processes; their latencies come back over a pipe. */
static void
concurrent(int per, double *lat, double *wall)
{
	pid_t	pids[CLIENTS];
	int	p[2], c, fd, status;
	double	start;

	if (pipe(p) == -1)
		exit(1);
	start = now_ms();
	for (c = 0; c < CLIENTS; c++) {
		if ((pids[c] = fork()) == 0) {
			double	*mine = xcalloc((size_t)per, sizeof(*mine));

			close(p[0]);
			srandom((unsigned int)getpid());
			if ((fd = connect_sock()) == -1)
				_exit(1);
			client_run(fd, per, "page", mine);
			if (write(p[1], mine, (size_t)per * sizeof(*mine)) < 0)
				_exit(1);
			_exit(0);
		}
	}
	close(p[1]);
	for (c = 0; c < CLIENTS * per; ) {
		ssize_t	n = read(p[0], (char *)lat + (size_t)c * sizeof(*lat),
		    (size_t)(CLIENTS * per - c) * sizeof(*lat));

		if (n <= 0)
			break;
		c += (int)(n / (ssize_t)sizeof(*lat));
	}
	*wall = now_ms() - start;
	for (c = 0; c < CLIENTS; c++)
		waitpid(pids[c], &status, 0);
	close(p[0]);
}

static void
open_request(char *req, size_t len, const char *kind, int id)
{
	if (strcmp(kind, "page") == 0)
		snprintf(req, len, "{\"jsonrpc\":\"2.0\",\"id\":%d,\"method\":"
		    "\"items.list\",\"params\":{\"since\":%lld,\"limit\":100}}"
		    "\n", id, (long long)(random() % (nitems - 100)));
	else
		snprintf(req, len, "{\"jsonrpc\":\"2.0\",\"id\":%d,\"method\":"
		    "\"status\"}\n", id);
}

static void
open_flush(struct open_conn *c)
{
	ssize_t	n;

	while (c->outlen > 0) {
		if ((n = write(c->fd, c->out, c->outlen)) <= 0) {
			if (n == -1 && errno == EAGAIN)
				return;
			fprintf(stderr, "bench/api: the daemon hung up\n");
			exit(1);
		}
		memmove(c->out, c->out + n, c->outlen - (size_t)n);
		c->outlen -= (size_t)n;
	}
}

/*
 * The open loop: request k is due at start + k / rate and goes out on
 * connection k % nconn at that time, whether or not earlier answers have
 * come; its latency runs from when it was due to when its answer ends.
 * A closed loop (send, wait, send) slows down with the server and so
 * hides a stall; here a stall is latency (coordinated omission).
 */
static void
open_loop(const char *what, const char *kind, double rate, double secs,
    int nconn)
{
	struct open_conn	*conns;
	struct pollfd		*pfd;
	struct timespec		 ts;
	size_t			 total = (size_t)(rate * secs), sent = 0;
	size_t			 done = 0, i;
	double			*lat, start, t, wait;
	char			 buf[65536], *nl, *p;
	ssize_t			 n;
	int			 c;

	conns = xcalloc((size_t)nconn, sizeof(*conns));
	pfd = xcalloc((size_t)nconn, sizeof(*pfd));
	lat = xcalloc(total, sizeof(*lat));
	for (c = 0; c < nconn; c++) {
		if ((conns[c].fd = connect_sock()) == -1)
			exit(1);
		fcntl(conns[c].fd, F_SETFL, O_NONBLOCK);
		conns[c].due = xcalloc(total / (size_t)nconn + 2,
		    sizeof(double));
		pfd[c].fd = conns[c].fd;
	}
	start = now_ms();
	while (done < total && now_ms() - start < secs * 1e3 + 60000) {
		t = now_ms();
		for (; sent < total && start + (double)sent * 1e3 / rate <= t;
		    sent++) {
			struct open_conn	*oc = &conns[sent % (size_t)nconn];

			if (oc->outlen + 256 > sizeof(oc->out)) {
				fprintf(stderr, "bench/api: %s: the daemon "
				    "stopped reading\n", what);
				exit(1);
			}
			open_request(oc->out + oc->outlen, 256, kind,
			    (int)sent);
			oc->outlen += strlen(oc->out + oc->outlen);
			oc->due[oc->tail++] = start + (double)sent * 1e3 /
			    rate;
			open_flush(oc);
		}
		for (c = 0; c < nconn; c++)
			pfd[c].events = POLLIN |
			    (conns[c].outlen > 0 ? POLLOUT : 0);
		wait = sent < total ? start + (double)sent * 1e3 / rate -
		    now_ms() : 100;
		if (wait < 0)
			wait = 0;
		ts.tv_sec = (time_t)(wait / 1e3);
		ts.tv_nsec = (long)((wait - (double)ts.tv_sec * 1e3) * 1e6);
		if (ppoll(pfd, (nfds_t)nconn, &ts, NULL) <= 0)
			continue;
		for (c = 0; c < nconn; c++) {
			if (pfd[c].revents & POLLOUT)
				open_flush(&conns[c]);
			if (!(pfd[c].revents & (POLLIN | POLLHUP)))
				continue;
			while ((n = read(conns[c].fd, buf, sizeof(buf))) > 0) {
				t = now_ms();
				for (p = buf; (nl = memchr(p, '\n',
				    (size_t)(buf + n - p))) != NULL;
				    p = nl + 1) {
					if (conns[c].head == conns[c].tail)
						continue;
					lat[done++] = t -
					    conns[c].due[conns[c].head++];
				}
			}
			if (n == 0) {
				fprintf(stderr, "bench/api: the daemon hung "
				    "up\n");
				exit(1);
			}
		}
	}
	if (done == 0)
		printf("  %-34s no answer\n", what);
	else {
		qsort(lat, done, sizeof(*lat), cmp_double);
		printf("  %-34s %6.0f/s offered, %zu of %zu answered  p50 "
		    "%.3f ms  p99 %.3f ms  max %.3f ms\n", what, rate, done,
		    total, lat[done / 2], lat[done * 99 / 100], lat[done - 1]);
	}
	for (i = 0; i < (size_t)nconn; i++) {
		close(conns[i].fd);
		free(conns[i].due);
	}
	free(conns);
	free(pfd);
	free(lat);
}

static pid_t
feedd_start(const char *feedd, const char *conf, const char *log)
{
	pid_t	pid;
	int	fd, i;

	if ((pid = fork()) == 0) {
		if (log != NULL && (fd = open(log, O_WRONLY | O_CREAT |
		    O_TRUNC, 0600)) != -1) {
			dup2(fd, 2);
			close(fd);
		}
		execl(feedd, "feedd", "-v", "-c", conf, (char *)NULL);
		_exit(127);
	}
	/* At a million items feedd's start (counting items) takes a while;
	 * a connect that the kernel takes before the loop runs counts. */
	for (i = 0; i < 1200 && (fd = connect_sock()) == -1; i++)
		usleep(100000);
	if (fd == -1) {
		fprintf(stderr, "bench/api: feedd did not start\n");
		kill(pid, SIGTERM);
		waitpid(pid, NULL, 0);
		exit(1);
	}
	close(fd);
	return (pid);
}

static void
feedd_stop(pid_t pid)
{
	int	status;

	kill(pid, SIGTERM);
	waitpid(pid, &status, 0);
}

/*
 * "status" at LOAD_RATE a second while feedd starts on the store with
 * LOAD_FEEDS feeds never polled (nginx on loopback) and a retention
 * limit that removes LOAD_DELETE items: what a client sees while the
 * daemon is at its busiest.
 */
static void
under_load(const char *feedd, const char *db)
{
	char	 path[400], conf[400], log[400], line[512];
	FILE	*f;
	pid_t	 nginx, pid;
	int	 port, i, per;

	snprintf(path, sizeof(path), "%s/www", dir);
	mkdir(path, 0755);
	for (i = 0; i < LOAD_FEEDS; i++) {
		snprintf(path, sizeof(path), "%s/www/f%d.xml", dir, i);
		gen_feed(path, (size_t)i);
	}
	port = free_port();
	nginx = nginx_start(dir, port);
	per = (int)((nitems - LOAD_DELETE) / FEEDS);
	snprintf(conf, sizeof(conf), "%s/load.conf", dir);
	snprintf(log, sizeof(log), "%s/load.log", dir);
	if ((f = fopen(conf, "w")) == NULL)
		exit(1);
	fprintf(f, "[daemon]\ndatabase = %s\nsocket = %s\nretention = %d\n"
	    "allow_private = yes\nmax_parallel = 64\n", db, sock, per);
	for (i = 0; i < LOAD_FEEDS; i++)
		fprintf(f, "[feed \"http://127.0.0.1:%d/f%d.xml\"]\n", port, i);
	fclose(f);
	pid = feedd_start(feedd, conf, log);
	open_loop("status, first poll + retention", "status", LOAD_RATE,
	    LOAD_SECS, 10);
	feedd_stop(pid);
	kill(nginx, SIGTERM);
	waitpid(nginx, NULL, 0);
	if ((f = fopen(log, "r")) != NULL) {
		while (fgets(line, sizeof(line), f) != NULL)
			if (strstr(line, "retention:") != NULL)
				printf("    feedd: %s", strchr(line, 'r'));
		fclose(f);
	}
}

static void
write_feed(const char *path, int n)
{
	FILE	*f = fopen(path, "w");
	int	 i;

	if (f == NULL)
		exit(1);
	fprintf(f, "<?xml version=\"1.0\"?><rss version=\"2.0\"><channel>"
	    "<title>Fan-out</title>\n");
	for (i = 0; i < n; i++)
		fprintf(f, "<item><title>Fan-out %d</title><guid>fan-%d</guid>"
		    "<description>Item %d for the watchers.</description>"
		    "</item>\n", i, i, i);
	fprintf(f, "</channel></rss>\n");
	fclose(f);
}

/* 100 watchers; one poll stores 5,000 items; time until all have them. */
static void
fanout(const char *feed)
{
	struct pollfd	 pfd[WATCHERS];
	char		 req[256], buf[65536];
	long		 got[WATCHERS], total = 0;
	double		 start;
	int		 w, i, c;
	ssize_t		 n;

	for (w = 0; w < WATCHERS; w++) {
		if ((pfd[w].fd = connect_sock()) == -1)
			exit(1);
		pfd[w].events = POLLIN;
		snprintf(req, sizeof(req), "{\"jsonrpc\":\"2.0\",\"id\":1,"
		    "\"method\":\"watch\",\"params\":{\"feed\":%d}}\n",
		    FEEDS + 1);
		if (write(pfd[w].fd, req, strlen(req)) < 0)
			exit(1);
		got[w] = -1;	/* the watch answer is not an item */
	}
	sleep(1);
	write_feed(feed, FANOUT_ITEMS + 1);
	if ((c = connect_sock()) == -1)
		exit(1);
	snprintf(req, sizeof(req), "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":"
	    "\"feeds.poll\",\"params\":{\"feeds\":[%d],\"force\":true}}\n",
	    FEEDS + 1);
	start = now_ms();
	if (write(c, req, strlen(req)) < 0)
		exit(1);
	while (total < (long)WATCHERS * FANOUT_ITEMS &&
	    now_ms() - start < 120000) {
		if (poll(pfd, WATCHERS, 1000) <= 0)
			continue;
		for (w = 0; w < WATCHERS; w++) {
			if (!(pfd[w].revents & POLLIN))
				continue;
			if ((n = read(pfd[w].fd, buf, sizeof(buf))) <= 0)
				continue;
			for (i = 0; i < n; i++)
				if (buf[i] == '\n') {
					got[w]++;
					if (got[w] > 0)
						total++;
				}
		}
	}
	printf("  watch fan-out: %ld items to %d watchers in %.0f ms = %.0f "
	    "items/s delivered\n", total, WATCHERS, now_ms() - start,
	    (double)total / ((now_ms() - start) / 1e3));
	for (w = 0; w < WATCHERS; w++)
		close(pfd[w].fd);
	close(c);
}

int
main(int argc, char **argv)
{
	const char	*feedd = "build/cc/feedd";
	char		 db[300], conf[300], feed[300], cmd[700];
	double		*lat, wall, rates[RATES_MAX] = { 1000 };
	char		*p, *end;
	FILE		*f;
	pid_t		 pid;
	size_t		 bytes, nrates = 1, r;
	int		 a, fd, load = 1;

	for (a = 1; a < argc; a++) {
		if (strcmp(argv[a], "--items") == 0 && a + 1 < argc)
			nitems = atoll(argv[++a]);
		else if (strcmp(argv[a], "--feedd") == 0 && a + 1 < argc)
			feedd = argv[++a];
		else if (strcmp(argv[a], "--rate") == 0 && a + 1 < argc) {
			for (nrates = 0, p = argv[++a]; nrates < RATES_MAX;
			    p = end + 1) {
				rates[nrates] = strtod(p, &end);
				if (end == p || rates[nrates++] <= 0)
					nrates = RATES_MAX + 1;
				if (*end != ',')
					break;
			}
			if (nrates > RATES_MAX || *end != '\0') {
				fprintf(stderr, "bench/api: --rate: up to %d "
				    "positive numbers, comma-separated\n",
				    RATES_MAX);
				return (2);
			}
		}
		else if (strcmp(argv[a], "--no-load") == 0)
			load = 0;
		else {
			fprintf(stderr, "usage: bench/api [--items N] "
			    "[--feedd PATH] [--rate N[,N...]] [--no-load]\n");
			return (2);
		}
	}
	if (nitems < 2 * LOAD_DELETE || access(feedd, X_OK) != 0) {
		fprintf(stderr, "bench/api: need --items >= %d and %s\n",
		    2 * LOAD_DELETE, feedd);
		return (2);
	}
	if (mkdtemp(dir) == NULL)
		return (1);
	snprintf(db, sizeof(db), "%s/feedd.db", dir);
	snprintf(conf, sizeof(conf), "%s/feedd.conf", dir);
	snprintf(feed, sizeof(feed), "%s/fanout.xml", dir);
	snprintf(sock, sizeof(sock), "%s/feedd.sock", dir);
	fprintf(stderr, "bench/api: filling %lld items\n", (long long)nitems);
	wall = now_ms();
	fill(db);
	fprintf(stderr, "bench/api: filled in %.0f s\n",
	    (now_ms() - wall) / 1e3);
	write_feed(feed, 1);
	if ((f = fopen(conf, "w")) == NULL)
		return (1);
	fprintf(f, "[daemon]\ndatabase = %s\nsocket = %s\nmin_interval = 1h\n"
	    "default_interval = 1d\n[feed \"file://%s\"]\ninterval = 1d\n",
	    db, sock, feed);
	fclose(f);
	snprintf(cmd, sizeof(cmd), "%s/feedd.log", dir);
	pid = feedd_start(feedd, conf, cmd);
	if ((fd = connect_sock()) == -1)
		return (1);
	sleep(2);	/* its first poll of the fan-out feed */

	printf("feedd's socket at %lld items (real feedd, Unix socket, "
	    "newline JSON-RPC):\n", (long long)nitems);
	lat = xcalloc(CLIENTS * 400, sizeof(*lat));
	srandom(1);
	wall = now_ms();
	bytes = client_run(fd, 2000, "page", lat);
	report("items.list 100, 1 client", lat, 2000, now_ms() - wall, bytes);
	concurrent(400, lat, &wall);
	report("items.list 100, 50 clients", lat, CLIENTS * 400, wall, 0);
	wall = now_ms();
	bytes = client_run(fd, 200, "search", lat);
	report("items.search, 1 client", lat, 200, now_ms() - wall, bytes);
	wall = now_ms();
	bytes = client_run(fd, 200, "status", lat);
	report("status, 1 client", lat, 200, now_ms() - wall, bytes);
	close(fd);
	fanout(feed);
	free(lat);
	printf("open loop (requests at fixed times, latency from when each "
	    "was due):\n");
	for (r = 0; r < nrates; r++)
		open_loop("items.list 100, 50 connections", "page", rates[r],
		    OPEN_SECS, CLIENTS);
	feedd_stop(pid);
	if (load && access(NGINX, X_OK) == 0)
		under_load(feedd, db);
	else if (load)
		printf("  (no %s: the run under load is left out)\n", NGINX);
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	if (system(cmd) != 0)
		fprintf(stderr, "bench/api: could not remove %s\n", dir);
	return (0);
}
