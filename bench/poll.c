/*
 * poll.c: how fast feedd polls a crowd of feeds, and what it costs.
 *
 * N generated feeds (20-50 items each) are served from loopback by nginx
 * (Debian's package, started here with its own config and stopped by
 * PID).  feedd's own poller, fetcher, parser and store (the daemon's
 * modules, not a model of them) run in a child process per N: a first
 * poll of every feed, then a second where every feed answers 304.  The
 * child prints wall and CPU seconds (both threads: the loop and the
 * store's writer), feeds/s, its peak RSS and its RSS
 * per subscribed feed once idle.  Figures only: nothing is asserted.
 * With --pg, each N runs a second time on that PostgreSQL database
 * (emptied first), side by side with sqlite.
 *
 *	bench/poll [--feeds N[,N...]] [--parallel P] [--keep] [--pg CONNINFO]
 */
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>

#include <netinet/in.h>
#include <arpa/inet.h>

#include <errno.h>
#include <inttypes.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <libpq-fe.h>

#include <curl/curl.h>
#include <event2/event.h>

#include "bench-feeds.h"
#include "fetch.h"
#include "indexer.h"
#include "item.h"
#include "loop.h"
#include "poller.h"
#include "sched.h"
#include "store.h"
#include "writer.h"
#include "xmalloc.h"


struct run {
	struct event_base	*base;
	struct indexer		*ix;
	size_t			 target;
	size_t			 done;
	size_t			 errors;
};

/* Resident set now, in KiB (/proc/self/statm). */
static long
rss_kib(void)
{
	FILE	*f = fopen("/proc/self/statm", "r");
	long	 size = 0, res = 0;

	if (f != NULL) {
		if (fscanf(f, "%ld %ld", &size, &res) != 2)
			res = 0;
		fclose(f);
	}
	return (res * (sysconf(_SC_PAGESIZE) / 1024));
}

static long
peak_kib(void)
{
	struct rusage	ru;

	getrusage(RUSAGE_SELF, &ru);
	return (ru.ru_maxrss);
}

static void
done_cb(int64_t id, const char *error, void *arg)
{
	struct run	*r = arg;

	r->done++;
	if (error != NULL)
		r->errors++;
	if (r->done == r->target)
		event_base_loopbreak(r->base);
}

/* As in feedd: each commit of new items kicks the search indexer. */
static void
announce_cb(int64_t feed_id, const int64_t *ids, size_t n, void *arg)
{
	indexer_kick(((struct run *)arg)->ix);
}

static void
indexed_cb(void *arg)
{
	event_base_loopbreak(((struct run *)arg)->base);
}

static void
report(size_t n, const char *what, double wall, double cpu, size_t errors,
    uint64_t items, uint64_t nm)
{
	printf("%6zu  %-8s %8.2f %7.2f %9.0f %9" PRIu64 " %7" PRIu64
	    " %6zu\n", n, what, wall, cpu, (double)n / wall, items, nm,
	    errors);
	fflush(stdout);
}

/* Empties the PostgreSQL database of a --pg run. */
static void
bench_pg_empty(const char *conninfo)
{
	PGconn		*conn = PQconnectdb(conninfo);
	PGresult	*res;

	if (PQstatus(conn) != CONNECTION_OK) {
		fprintf(stderr, "bench: %s", PQerrorMessage(conn));
		_exit(1);
	}
	res = PQexec(conn, "SET client_min_messages = warning; "
	    "DROP SCHEMA public CASCADE; CREATE SCHEMA public");
	if (PQresultStatus(res) != PGRES_COMMAND_OK) {
		fprintf(stderr, "bench: %s", PQresultErrorMessage(res));
		_exit(1);
	}
	PQclear(res);
	PQfinish(conn);
}

/*
 * The PostgreSQL server's side of a --pg run, from a connection of its
 * own: the CPU seconds of every server process (backends, WAL writer,
 * checkpointer: all of pg_stat_activity but this connection, read from
 * /proc, so the server must run on this machine) and the WAL bytes
 * written so far.
 */
static void
bench_pg_sample(PGconn *conn, double *cpu, double *wal)
{
	PGresult	*res;
	FILE		*f;
	char		 path[64], *pids, *p, *end;
	unsigned long	 ut, st;
	long		 pid;

	*cpu = *wal = 0;
	res = PQexec(conn, "SELECT pg_wal_lsn_diff(pg_current_wal_lsn(), "
	    "'0/0'), string_agg(pid::text, ' ') FROM pg_stat_activity "
	    "WHERE pid <> pg_backend_pid()");
	if (PQresultStatus(res) != PGRES_TUPLES_OK || PQntuples(res) != 1) {
		PQclear(res);
		return;
	}
	*wal = strtod(PQgetvalue(res, 0, 0), NULL);
	pids = PQgetvalue(res, 0, 1);
	for (p = pids; *p != '\0'; p = end) {
		pid = strtol(p, &end, 10);
		if (end == p)
			break;
		snprintf(path, sizeof(path), "/proc/%ld/stat", pid);
		if ((f = fopen(path, "r")) == NULL)
			continue;
		/* Fields 14 and 15; the name (2) has no ")" of its own. */
		if (fscanf(f, "%*d (%*[^)]) %*c %*d %*d %*d %*d %*d %*u %*u "
		    "%*u %*u %*u %lu %lu", &ut, &st) == 2)
			*cpu += (double)(ut + st) / sysconf(_SC_CLK_TCK);
		fclose(f);
	}
	PQclear(res);
}

static void
bench_pg_report(size_t n, const char *what, PGconn *conn, double cpu0,
    double wal0)
{
	double	cpu, wal;

	if (conn == NULL)
		return;
	bench_pg_sample(conn, &cpu, &wal);
	printf("%6zu  %-8s server CPU %.2f s (%.0f us a feed), WAL %.1f MB "
	    "(%.1f KB a feed)\n", n, what, cpu - cpu0,
	    (cpu - cpu0) * 1e6 / (double)n, (wal - wal0) / 1e6,
	    (wal - wal0) / 1e3 / (double)n);
	fflush(stdout);
}

/* The measured part, in its own process so its peak RSS is its own. */
static void
bench_child(const char *dir, int port, size_t n, unsigned parallel,
    const char *pg)
{
	struct store_feed_conf	 conf;
	struct fetch_opts	 fo;
	struct sched_opts	 so;
	struct poller_stats	 st0, st1;
	struct run		 r;
	struct store		*s;
	struct poller		*p;
	struct writer		*wr;
	struct fetcher		*fetcher;
	char			 db[512], url[128], *cause = NULL;
	long			 rss1;
	double			 w, c, w0, c0, pcpu, pwal;
	PGconn			*mon = NULL;
	int64_t			 id, *ids, lag;
	size_t			 i;

	curl_global_init(CURL_GLOBAL_DEFAULT);
	snprintf(db, sizeof(db), "%s/feedd-%zu.db", dir, n);
	unlink(db);
	if (pg != NULL) {
		snprintf(db, sizeof(db), "%s", pg);
		bench_pg_empty(pg);
	}
	if ((s = store_open(db, &cause)) == NULL) {
		fprintf(stderr, "bench: %s\n", cause);
		_exit(1);
	}
	ids = xcalloc(n, sizeof(*ids));
	for (i = 0; i < n; i++) {
		memset(&conf, 0, sizeof(conf));
		snprintf(url, sizeof(url), "http://127.0.0.1:%d/f/%05zu.xml",
		    port, i % 10000);
		if (i >= 10000)
			snprintf(url, sizeof(url), "http://127.0.0.1:%d/f/"
			    "%05zu.xml?%zu", port, i % 10000, i);
		conf.url = url;
		conf.interval = -1;
		conf.enabled = 1;
		conf.origin = STORE_ORIGIN_CONFIG;
		if (store_feed_add(s, &conf, &id, &cause) != 0) {
			fprintf(stderr, "bench: %s\n", cause);
			_exit(1);
		}
		ids[i] = id;
	}

	memset(&r, 0, sizeof(r));
	r.base = loop_new();		/* as feedd.c */
	memset(&fo, 0, sizeof(fo));
	fo.user_agent = "feedd-bench";
	fo.max_parallel = parallel;
	fo.max_per_host = parallel;	/* every feed is on one host here */
	fo.timeout = 60;
	fo.max_size = 16 * 1024 * 1024;
	so.default_interval = 3600;
	so.min_interval = 300;
	so.max_interval = 86400;
	if ((wr = writer_new(r.base, db, NULL, NULL, &cause)) == NULL) {
		fprintf(stderr, "bench: %s\n", cause);
		_exit(1);
	}
	fetcher = fetch_new(r.base, &fo, NULL, NULL);
	if ((p = poller_new(r.base, s, wr, fetcher, &so, &cause)) == NULL) {
		fprintf(stderr, "bench: %s\n", cause);
		_exit(1);
	}
	poller_set_done(p, done_cb, &r);
	if ((r.ix = indexer_new(r.base, db, &cause)) == NULL) {
		fprintf(stderr, "bench: %s\n", cause);
		_exit(1);
	}
	poller_set_announce(p, announce_cb, &r);

	if (pg != NULL && PQstatus(mon = PQconnectdb(pg)) != CONNECTION_OK) {
		fprintf(stderr, "bench: %s", PQerrorMessage(mon));
		_exit(1);
	}
	bench_pg_sample(mon, &pcpu, &pwal);

	/* First poll: every feed new, every body parsed and stored. */
	r.target = n;
	w0 = now_s();
	c0 = cpu_s();
	poller_start(p);
	event_base_dispatch(r.base);
	w = now_s() - w0;
	c = cpu_s() - c0;
	poller_get_stats(p, &st0);
	report(n, pg != NULL ? "pg first" : "first", w, c, r.errors, st0.new_items, st0.not_modified);
	bench_pg_report(n, "pg first", mon, pcpu, pwal);
	/*
	 * The same, until searches find every item: the index follows.  A
	 * wait also ends after 2 s with the index as it is: wait again.
	 */
	do {
		indexer_wait(r.ix, indexed_cb, &r);
		event_base_dispatch(r.base);
		if (store_index_lag(s, &lag, &cause) != 0) {
			fprintf(stderr, "bench: %s\n", cause);
			_exit(1);
		}
	} while (lag > 0);
	report(n, pg != NULL ? "pg +srch" : "+search", now_s() - w0, cpu_s() - c0, r.errors,
	    st0.new_items, st0.not_modified);

	/* Second poll: every feed answers 304 to its validators. */
	if (mon != NULL)
		bench_pg_sample(mon, &pcpu, &pwal);
	r.done = 0;
	r.errors = 0;
	w = now_s();
	c = cpu_s();
	for (i = 0; i < n; i++)
		poller_poll_now(p, ids[i], 1);
	event_base_dispatch(r.base);
	w = now_s() - w;
	c = cpu_s() - c;
	poller_get_stats(p, &st1);
	report(n, pg != NULL ? "pg 304" : "all-304", w, c, r.errors, st1.new_items - st0.new_items,
	    st1.not_modified - st0.not_modified);
	bench_pg_report(n, "pg 304", mon, pcpu, pwal);
	if (mon != NULL)
		PQfinish(mon);

	rss1 = rss_kib();
	printf("%6zu  peak RSS %.1f MiB; idle RSS %.1f MiB after both polls\n",
	    n, peak_kib() / 1024.0, rss1 / 1024.0);
	fflush(stdout);
	/* For the parent: the per-feed slope between two sizes. */
	fprintf(stderr, "idle-kib %zu %ld\n", n, rss1);
	indexer_free(r.ix);
	poller_free(p);
	writer_free(wr);
	fetch_free(fetcher);
	store_close(s);
	event_base_free(r.base);
	free(ids);
	curl_global_cleanup();
	_exit(0);
}

/* Passes the child's stderr through, keeping its "idle-kib" lines. */
static void
bench_read_idle(int fd, long idle[][2], size_t *nidle)
{
	char	 line[512];
	FILE	*f = fdopen(dup(fd), "r");
	long	 n, kib;

	if (f == NULL)
		return;
	while (fgets(line, sizeof(line), f) != NULL) {
		if (sscanf(line, "idle-kib %ld %ld", &n, &kib) == 2) {
			if (*nidle < 16) {
				idle[*nidle][0] = n;
				idle[*nidle][1] = kib;
				(*nidle)++;
			}
		} else
			fputs(line, stderr);
	}
	fclose(f);
}

int
main(int argc, char **argv)
{
	char		 dir[] = "/tmp/feedd-bench-poll-XXXXXX", path[600];
	char		 cmd[700], *list = "1000,10000", *tok;
	const char	*pg = NULL;
	unsigned	 parallel = 64;
	size_t		 n, i, nmax = 0;
	pid_t		 nginx, pid;
	long		 idle[16][2];
	long		 pgidle[16][2];
	size_t		 nidle = 0, npg = 0;
	int		 port, status, keep = 0, a, b, fds[2];

	for (a = 1; a < argc; a++) {
		if (strcmp(argv[a], "--feeds") == 0 && a + 1 < argc)
			list = argv[++a];
		else if (strcmp(argv[a], "--parallel") == 0 && a + 1 < argc)
			parallel = (unsigned)atoi(argv[++a]);
		else if (strcmp(argv[a], "--keep") == 0)
			keep = 1;
		else if (strcmp(argv[a], "--pg") == 0 && a + 1 < argc)
			pg = argv[++a];
		else {
			fprintf(stderr, "usage: bench/poll [--feeds N[,N...]] "
			    "[--parallel P] [--keep] [--pg CONNINFO]\n");
			return (2);
		}
	}
	if (access(NGINX, X_OK) != 0) {
		fprintf(stderr, "bench/poll: %s not found; install Debian's "
		    "nginx package (make bench installs it as root)\n", NGINX);
		return (1);
	}
	if (mkdtemp(dir) == NULL) {
		perror("mkdtemp");
		return (1);
	}
	chmod(dir, 0755);	/* nginx's worker is www-data */
	snprintf(cmd, sizeof(cmd), "%s", list);
	for (tok = strtok(cmd, ","); tok != NULL; tok = strtok(NULL, ","))
		if ((n = strtoul(tok, NULL, 10)) > nmax)
			nmax = n;
	/* Up to 10,000 distinct documents; more feeds reuse them. */
	snprintf(path, sizeof(path), "%s/www", dir);
	mkdir(path, 0755);
	snprintf(path, sizeof(path), "%s/www/f", dir);
	mkdir(path, 0755);
	fprintf(stderr, "bench/poll: generating %zu feeds in %s\n",
	    nmax < 10000 ? nmax : 10000, dir);
	for (i = 0; i < nmax && i < 10000; i++) {
		snprintf(path, sizeof(path), "%s/www/f/%05zu.xml", dir, i);
		gen_feed(path, i);
	}
	port = free_port();
	nginx = nginx_start(dir, port);

	printf("feedd's poller, fetcher, parser and store against nginx on "
	    "loopback;\nmax_parallel = max_per_host = %u (one host), one "
	    "sqlite transaction per feed.\n\n", parallel);
	printf(" feeds  poll         wall s   cpu s   feeds/s     items    "
	    "304s errors\n");
	fflush(stdout);
	snprintf(cmd, sizeof(cmd), "%s", list);
	for (tok = strtok(cmd, ","); tok != NULL; tok = strtok(NULL, ",")) {
		n = strtoul(tok, NULL, 10);
		for (b = 0; b < (pg != NULL ? 2 : 1); b++) {
			if (pipe(fds) == -1) {
				perror("pipe");
				return (1);
			}
			if ((pid = fork()) == 0) {
				dup2(fds[1], STDERR_FILENO);
				close(fds[0]);
				close(fds[1]);
				bench_child(dir, port, n, parallel,
				    b == 1 ? pg : NULL);
			}
			close(fds[1]);
			/* The RSS slope is sqlite's runs'. */
			bench_read_idle(fds[0], b == 0 ? idle : pgidle,
			    b == 0 ? &nidle : &npg);
			close(fds[0]);
			waitpid(pid, &status, 0);
			if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
				fprintf(stderr, "bench/poll: run with %zu "
				    "feeds failed\n", n);
		}
	}
	/*
	 * What one more subscribed feed costs once idle: the slope of idle
	 * RSS between the smallest and the largest run (fixed costs such
	 * as sqlite's page cache and the heap's high-water mark cancel).
	 */
	if (nidle >= 2 && idle[nidle - 1][0] > idle[0][0])
		printf("\nRSS per subscribed feed, idle: %.2f KiB (from %ld to "
		    "%ld feeds)\n", (double)(idle[nidle - 1][1] - idle[0][1]) /
		    (double)(idle[nidle - 1][0] - idle[0][0]), idle[0][0],
		    idle[nidle - 1][0]);

	kill(nginx, SIGTERM);
	waitpid(nginx, &status, 0);
	if (!keep) {
		snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
		if (system(cmd) != 0)
			fprintf(stderr, "bench/poll: could not remove %s\n",
			    dir);
	} else
		printf("kept %s\n", dir);
	return (0);
}
