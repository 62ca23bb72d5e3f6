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
 * (emptied first), side by side with sqlite, and a third time on K
 * nodes (--nodes, 2 by default) sharing it, each node a process.
 *
 * Then the same N from the user's side: the real feedd started on a
 * config with one [feed] section per feed, timed from its process start
 * until "feedctl poll --wait" returns with every item stored, and an
 * all-304 "feedctl poll --force --wait"; feedd's CPU and peak RSS come
 * from /proc.
 *
 *	bench/poll [--feeds N[,N...]] [--parallel P] [--keep] [--pg CONNINFO]
 *	    [--nodes K] [--only in-process|daemon] [--feedd PATH[,PATH...]]
 *	    [--feedctl PATH] [--runs N] [--first-only]
 */
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>

#include <netinet/in.h>
#include <arpa/inet.h>

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <libpq-fe.h>
#include <sqlite3.h>

#include <curl/curl.h>
#include <event2/event.h>

#include "bench-feeds.h"
#include "fetch.h"
#include "http.h"
#include "indexer.h"
#include "item.h"
#include "loop.h"
#include "peers.h"
#include "poller.h"
#include "sched.h"
#include "store.h"
#include "writer.h"
#include "xmalloc.h"
#include "stats.h"


struct run {
	struct event_base	*base;
	struct indexer		*ix;
	size_t			 target;	/* 0: a cluster's node */
	size_t			 done;
	size_t			 errors;
	int			 done_fd;	/* a node's: a byte a poll */
};

/* feedd's modules on one event loop, put together as feedd.c does. */
struct node {
	struct run		 r;
	struct store		*s;
	struct writer		*wr;
	struct writer		*claimer;	/* PostgreSQL's, else NULL */
	struct http		*http;
	struct fetcher		*fetcher;
	struct poller		*p;
	struct peers		*peers;		/* PostgreSQL's, else NULL */
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

	/* A cluster's node reports its own polls, not the others'. */
	if (r->done_fd != -1 && error != NULL &&
	    strcmp(error, POLLER_POLLED_ELSEWHERE) == 0)
		return;
	r->done++;
	if (error != NULL)
		r->errors++;
	if (error != NULL && r->errors <= 3)
		fprintf(stderr, "bench: feed %" PRId64 ": %s\n", id, error);
	if (r->done_fd != -1 && write(r->done_fd, error != NULL ? "e" : "d",
	    1) != 1)
		_exit(1);	/* the run is over: its parent is gone */
	if (r->target != 0 && r->done == r->target)
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

static void
bench_fail(const char *cause)
{
	fprintf(stderr, "bench: %s\n", cause);
	_exit(1);
}

/*
 * The store of a run, emptied, with its "n" feeds added ("ids" gets
 * their ids): a sqlite file in "dir", or the PostgreSQL database "pg".
 */
static struct store *
bench_feeds(const char *dir, const char *pg, int port, size_t n,
    int64_t *ids, char *db, size_t dbsize)
{
	struct store_feed_conf	 conf;
	struct store		*s;
	char			 url[128], *cause = NULL;
	size_t			 i;

	snprintf(db, dbsize, "%s/feedd-%zu.db", dir, n);
	unlink(db);
	if (pg != NULL) {
		snprintf(db, dbsize, "%s", pg);
		bench_pg_empty(pg);
	}
	if ((s = store_open(db, &cause)) == NULL)
		bench_fail(cause);
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
		if (store_feed_add(s, &conf, &ids[i], &cause) != 0)
			bench_fail(cause);
	}
	return (s);
}

/*
 * A node on store "s" (database "db"): its writer, fetcher, poller, the
 * claimer on PostgreSQL and the indexer, as in feedd.
 */
static void
node_open(struct node *nd, struct store *s, const char *db,
    unsigned parallel)
{
	struct fetch_opts	 fo;
	struct sched_opts	 so;
	char			*cause = NULL;

	memset(nd, 0, sizeof(*nd));
	nd->s = s;
	nd->r.base = loop_new();		/* as feedd.c */
	nd->r.done_fd = -1;
	memset(&fo, 0, sizeof(fo));
	fo.user_agent = "feedd-bench";
	fo.max_parallel = parallel;
	fo.max_per_host = parallel;	/* every feed is on one host here */
	fo.timeout = 60;
	fo.max_size = 16 * 1024 * 1024;
	so.default_interval = 3600;
	so.min_interval = 300;
	so.max_interval = 86400;
	if ((nd->wr = writer_new(nd->r.base, db, NULL, NULL, &cause)) == NULL)
		bench_fail(cause);
	nd->http = http_new(nd->r.base);
	nd->fetcher = fetch_new(nd->r.base, nd->http, &fo, NULL, NULL);
	if ((nd->p = poller_new(nd->r.base, s, nd->wr, nd->fetcher, &so,
	    &cause)) == NULL)
		bench_fail(cause);
	/* As feedd(8) does: claims on a thread of their own. */
	if (store_node_id(s) != NULL) {
		store_set_node_id(writer_store(nd->wr), store_node_id(s));
		if ((nd->claimer = writer_new(nd->r.base, db, NULL, NULL,
		    &cause)) == NULL)
			bench_fail(cause);
		store_set_node_id(writer_store(nd->claimer),
		    store_node_id(s));
		poller_set_claimer(nd->p, nd->claimer);
	}
	poller_set_done(nd->p, done_cb, &nd->r);
	/* As feedd(8) does: the host slots other nodes free. */
	nd->peers = peers_new(nd->r.base, db);
	peers_on_hosts(nd->peers, poller_hosts_freed, nd->p);
	if ((nd->r.ix = indexer_new(nd->r.base, db, store_node_id(s),
	    &cause)) == NULL)
		bench_fail(cause);
	poller_set_announce(nd->p, announce_cb, &nd->r);
}

static void
node_close(struct node *nd)
{
	indexer_free(nd->r.ix);
	peers_free(nd->peers);
	poller_free(nd->p);
	writer_free(nd->claimer);
	writer_free(nd->wr);
	fetch_free(nd->fetcher);
	http_free(nd->http);
	store_close(nd->s);
	event_base_free(nd->r.base);
}

/* The measured part, in its own process so its peak RSS is its own. */
static void
bench_child(const char *dir, int port, size_t n, unsigned parallel,
    const char *pg)
{
	struct poller_stats	 st0, st1;
	struct node		 nd;
	struct run		*r = &nd.r;
	struct store		*s;
	struct poller		*p;
	char			 db[512], *cause = NULL;
	long			 rss1;
	double			 w, c, w0, c0, pcpu, pwal;
	PGconn			*mon = NULL;
	int64_t			 *ids, lag;
	size_t			 i;

	curl_global_init(CURL_GLOBAL_DEFAULT);
	ids = xcalloc(n, sizeof(*ids));
	s = bench_feeds(dir, pg, port, n, ids, db, sizeof(db));
	node_open(&nd, s, db, parallel);
	p = nd.p;

	if (pg != NULL && PQstatus(mon = PQconnectdb(pg)) != CONNECTION_OK) {
		fprintf(stderr, "bench: %s", PQerrorMessage(mon));
		_exit(1);
	}
	bench_pg_sample(mon, &pcpu, &pwal);

	/* First poll: every feed new, every body parsed and stored. */
	r->target = n;
	w0 = now_s();
	c0 = cpu_s();
	poller_start(p);
	event_base_dispatch(r->base);
	w = now_s() - w0;
	c = cpu_s() - c0;
	poller_get_stats(p, &st0);
	report(n, pg != NULL ? "pg first" : "first", w, c, r->errors, st0.new_items, st0.not_modified);
	bench_pg_report(n, "pg first", mon, pcpu, pwal);
	/*
	 * The same, until searches find every item: the index follows.  A
	 * wait also ends after 2 s with the index as it is: wait again.
	 */
	do {
		indexer_wait(r->ix, indexed_cb, r);
		event_base_dispatch(r->base);
		if (store_index_lag(s, &lag, &cause) != 0) {
			fprintf(stderr, "bench: %s\n", cause);
			_exit(1);
		}
	} while (lag > 0);
	report(n, pg != NULL ? "pg +srch" : "+search", now_s() - w0, cpu_s() - c0, r->errors,
	    st0.new_items, st0.not_modified);

	/* Second poll: every feed answers 304 to its validators. */
	if (mon != NULL)
		bench_pg_sample(mon, &pcpu, &pwal);
	r->done = 0;
	r->errors = 0;
	w = now_s();
	c = cpu_s();
	for (i = 0; i < n; i++)
		poller_poll_now(p, ids[i], DATE_NONE, 1);
	event_base_dispatch(r->base);
	w = now_s() - w;
	c = cpu_s() - c;
	poller_get_stats(p, &st1);
	report(n, pg != NULL ? "pg 304" : "all-304", w, c, r->errors, st1.new_items - st0.new_items,
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
	node_close(&nd);
	free(ids);
	curl_global_cleanup();
	_exit(0);
}

/*
 * CPU seconds of a running process: all of it and its writer, indexer
 * and claimer threads (by the names feedd gives them); peak RSS in KiB.
 */
struct usage {
	double	cpu;
	double	writer;
	double	indexer;
	double	claimer;
	long	peak;
};

static double
proc_stat_cpu(const char *path, char *comm, size_t commsz)
{
	char		 line[512], *p, *q;
	unsigned long	 ut = 0, st = 0;
	FILE		*f;

	if ((f = fopen(path, "r")) == NULL)
		return (0);
	if (fgets(line, sizeof(line), f) == NULL ||
	    (p = strchr(line, '(')) == NULL || (q = strrchr(line, ')')) ==
	    NULL) {
		fclose(f);
		return (0);
	}
	fclose(f);
	*q = '\0';
	snprintf(comm, commsz, "%s", p + 1);
	/* The fields after the command's closing parenthesis. */
	if (sscanf(q + 2, "%*c %*d %*d %*d %*d %*d %*u %*u %*u %*u %*u %lu "
	    "%lu", &ut, &st) != 2)
		return (0);
	return ((double)(ut + st) / (double)sysconf(_SC_CLK_TCK));
}

static void
proc_usage(pid_t pid, struct usage *u)
{
	char		 path[300], line[256], comm[64];
	struct dirent	*de;
	DIR		*d;
	FILE		*f;
	double		 c;

	memset(u, 0, sizeof(*u));
	snprintf(path, sizeof(path), "/proc/%d/stat", (int)pid);
	u->cpu = proc_stat_cpu(path, comm, sizeof(comm));
	snprintf(path, sizeof(path), "/proc/%d/task", (int)pid);
	if ((d = opendir(path)) != NULL) {
		while ((de = readdir(d)) != NULL) {
			if (de->d_name[0] == '.')
				continue;
			snprintf(path, sizeof(path), "/proc/%d/task/%s/stat",
			    (int)pid, de->d_name);
			c = proc_stat_cpu(path, comm, sizeof(comm));
			if (strcmp(comm, "feedd-writer") == 0)
				u->writer += c;
			else if (strcmp(comm, "feedd-index") == 0)
				u->indexer += c;
			else if (strcmp(comm, "feedd-claimer") == 0)
				u->claimer += c;
		}
		closedir(d);
	}
	snprintf(path, sizeof(path), "/proc/%d/status", (int)pid);
	if ((f = fopen(path, "r")) != NULL) {
		while (fgets(line, sizeof(line), f) != NULL)
			if (sscanf(line, "VmHWM: %ld", &u->peak) == 1)
				break;
		fclose(f);
	}
}

/* Runs a command to its end with stdout and stderr into LOG; its status. */
static int
run_wait(const char *log, char *const argv[])
{
	pid_t	pid;
	int	status, fd;

	if ((pid = fork()) == 0) {
		if ((fd = open(log, O_WRONLY | O_CREAT | O_APPEND, 0644)) != -1) {
			dup2(fd, STDOUT_FILENO);
			dup2(fd, STDERR_FILENO);
		}
		execv(argv[0], argv);
		_exit(127);
	}
	if (pid == -1 || waitpid(pid, &status, 0) == -1)
		return (-1);
	return (WIFEXITED(status) ? WEXITSTATUS(status) : -1);
}

static int64_t
db_items(const char *db)
{
	sqlite3		*h;
	sqlite3_stmt	*st;
	int64_t		 n = -1;

	if (sqlite3_open_v2(db, &h, SQLITE_OPEN_READONLY, NULL) == SQLITE_OK &&
	    sqlite3_prepare_v2(h, "SELECT count(*) FROM items", -1, &st,
	    NULL) == SQLITE_OK) {
		if (sqlite3_step(st) == SQLITE_ROW)
			n = sqlite3_column_int64(st, 0);
		sqlite3_finalize(st);
	}
	sqlite3_close(h);
	return (n);
}

/* Waits (at most 300 s) for "search_lag":0 in feedctl's status. */
static int
daemon_searchable(const char *feedctl, const char *sock, double t0,
    double *at)
{
	char	 cmd[1200], out[4096];
	size_t	 len;
	FILE	*f;

	snprintf(cmd, sizeof(cmd), "'%s' -s '%s' --json status", feedctl,
	    sock);
	while (now_s() - t0 < 300) {
		if ((f = popen(cmd, "r")) == NULL)
			return (-1);
		len = fread(out, 1, sizeof(out) - 1, f);
		out[len] = '\0';
		if (pclose(f) == 0 && strstr(out, "\"search_lag\":0") !=
		    NULL) {
			*at = now_s() - t0;
			return (0);
		}
		usleep(100000);
	}
	return (-1);
}

/*
 * The user's view: feedd started on a config of N feeds, timed from its
 * process start until "feedctl poll --wait" returns with every item
 * stored; then an all-304 "feedctl poll --force --wait".
 */
/* --first-only: the daemon's first poll alone, for A/B runs of it. */
static int	first_only;

/*
 * One daemon run: the first poll from process start, then (unless
 * first_only) the wait for search and the all-304 re-poll.  The first
 * poll's wall and CPU seconds go to *wall and *cpu.
 */
static int
bench_daemon(const char *dir, int port, size_t n, unsigned parallel,
    const char *feedd, const char *feedctl, int64_t want, double *wall,
    double *cpu)
{
	static const char *const db_files[] = { "", "-wal", "-shm", "-search",
	    "-search-wal", "-search-shm" };
	struct sockaddr_un	 sun;
	char			 conf[600], db[600], log[600], path[620];
	struct usage		 u0, u1;
	double			 t0, up, w;
	int64_t			 got;
	size_t			 i;
	pid_t			 pid;
	FILE			*f;
	int			 fd, rc, status, failed = 0;

	snprintf(conf, sizeof(conf), "%s/daemon-%zu.conf", dir, n);
	snprintf(db, sizeof(db), "%s/daemon-%zu.db", dir, n);
	snprintf(log, sizeof(log), "%s/daemon-%zu.log", dir, n);
	memset(&sun, 0, sizeof(sun));
	sun.sun_family = AF_UNIX;
	snprintf(sun.sun_path, sizeof(sun.sun_path), "%s/d%zu.sock", dir, n);
	/*
	 * Each run starts from nothing: a search index left by the last
	 * run belongs to another database, and emptying it (349,000 items
	 * at 10,000 feeds) cost the next run's indexer up to a CPU-second.
	 */
	for (i = 0; i < sizeof(db_files) / sizeof(*db_files); i++) {
		snprintf(path, sizeof(path), "%s%s", db, db_files[i]);
		unlink(path);
	}
	unlink(sun.sun_path);
	if ((f = fopen(conf, "w")) == NULL) {
		perror(conf);
		return (-1);
	}
	fprintf(f, "[daemon]\ndatabase = %s\nsocket = %s\nallow_private = yes\n"
	    "max_parallel = %u\nmax_per_host = %u\nuser_agent = feedd-bench\n"
	    "timeout = 60s\n", db, sun.sun_path, parallel, parallel);
	for (i = 0; i < n; i++) {
		if (i < 10000)
			fprintf(f, "[feed \"http://127.0.0.1:%d/f/%05zu.xml\"]\n",
			    port, i);
		else
			fprintf(f, "[feed \"http://127.0.0.1:%d/f/%05zu.xml?%zu"
			    "\"]\n", port, i % 10000, i);
	}
	fclose(f);

	/*
	 * A run writes about 100 KiB per feed; the last run's writeback
	 * must not land in this one's time.
	 */
	sync();
	sleep(1);
	t0 = now_s();
	if ((pid = fork()) == 0) {
		if ((fd = open(log, O_WRONLY | O_CREAT | O_TRUNC, 0644)) != -1) {
			dup2(fd, STDOUT_FILENO);
			dup2(fd, STDERR_FILENO);
		}
		execl(feedd, feedd, "-c", conf, (char *)NULL);
		_exit(127);
	}
	/* The socket answers once the config is synced and polls start. */
	for (;;) {
		if ((fd = socket(AF_UNIX, SOCK_STREAM, 0)) == -1)
			return (-1);
		rc = connect(fd, (struct sockaddr *)&sun, sizeof(sun));
		close(fd);
		if (rc == 0)
			break;
		if (waitpid(pid, &status, WNOHANG) == pid ||
		    now_s() - t0 > 120) {
			fprintf(stderr, "bench/poll: feedd did not start; see "
			    "%s\n", log);
			return (-1);
		}
		usleep(1000);
	}
	up = now_s() - t0;
	rc = run_wait(log, (char *const[]){ (char *)feedctl, "-s",
	    sun.sun_path, "poll", "--wait", NULL });
	w = now_s() - t0;
	proc_usage(pid, &u0);
	got = db_items(db);
	if (rc != 0 || got != want) {
		fprintf(stderr, "bench/poll: daemon: poll --wait exited %d, "
		    "%" PRId64 " items stored of %" PRId64 "; see %s\n", rc, got,
		    want, log);
		failed = 1;
	}
	printf("%6zu  %-8s %8.2f %7.2f %9.0f %9" PRId64 " %7s %6s  "
	    "(socket up at %.2f s; CPU s: writer %.2f, indexer %.2f, "
	    "claimer %.2f, the loop %.2f)\n", n, "daemon", w, u0.cpu,
	    (double)n / w, got, "-", rc == 0 ? "0" : "some", up, u0.writer,
	    u0.indexer, u0.claimer,
	    u0.cpu - u0.writer - u0.indexer - u0.claimer);
	fflush(stdout);
	*wall = w;
	*cpu = u0.cpu;

	if (first_only) {
		printf("%6zu  daemon peak RSS %.1f MiB\n", n, u0.peak / 1024.0);
		kill(pid, SIGTERM);
		waitpid(pid, &status, 0);
		return (failed ? -1 : 0);
	}
	/*
	 * The search index catches up after the burst; the re-poll is
	 * timed once it has, so it does not share the CPU with the indexer.
	 */
	if (daemon_searchable(feedctl, sun.sun_path, t0, &up) == 0)
		printf("%6zu  daemon searchable %.2f s after process start\n",
		    n, up);
	proc_usage(pid, &u0);
	w = now_s();
	rc = run_wait(log, (char *const[]){ (char *)feedctl, "-s",
	    sun.sun_path, "poll", "--force", "--wait", NULL });
	w = now_s() - w;
	proc_usage(pid, &u1);
	if (rc != 0 || db_items(db) != want) {
		fprintf(stderr, "bench/poll: daemon: poll --force --wait "
		    "exited %d; see %s\n", rc, log);
		failed = 1;
	}
	printf("%6zu  %-8s %8.2f %7.2f %9.0f %9s %7s %6s\n", n, "d 304", w,
	    u1.cpu - u0.cpu, (double)n / w, "0", "-", rc == 0 ? "0" : "some");
	printf("%6zu  daemon peak RSS %.1f MiB\n", n, u1.peak / 1024.0);
	fflush(stdout);
	kill(pid, SIGTERM);
	waitpid(pid, &status, 0);
	return (failed ? -1 : 0);
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

/*
 * The median of the runs that did not fail (-1); -1 when all did.  The
 * runs that did are moved to the front of v.
 */
static double
median_of_runs(double *v, size_t n)
{
	size_t	i, m = 0;

	for (i = 0; i < n; i++)
		if (v[i] >= 0)
			v[m++] = v[i];
	return (m > 0 ? median(v, m) : -1);
}

/*
 * The daemon's runs, interleaved by run, size and build, so that the
 * machine's drift over a set lands on every size and every build alike;
 * then each build's medians by size, and how the first poll's time
 * grows from the smallest size to the largest.
 */
static void
bench_daemons(const char *dir, int port, const size_t *sizes, size_t nsizes,
    unsigned parallel, char *const *bins, size_t nbins, const char *feedctl,
    size_t runs, const int *per_feed)
{
	double	*walls, *cpus, mw[8], mc[8];
	int64_t	 want[8];
	size_t	 run, z, k, i, at, lo = 0, hi = 0;

	if (nsizes == 0 || runs == 0)
		return;
	if ((walls = calloc(nsizes * nbins * runs, sizeof(*walls))) == NULL ||
	    (cpus = calloc(nsizes * nbins * runs, sizeof(*cpus))) == NULL) {
		perror("calloc");
		exit(1);
	}
	for (z = 0; z < nsizes; z++) {
		for (want[z] = 0, i = 0; i < sizes[z]; i++)
			want[z] += per_feed[i % 10000];
		if (sizes[z] < sizes[lo])
			lo = z;
		if (sizes[z] > sizes[hi])
			hi = z;
	}
	for (run = 0; run < runs; run++)
		for (z = 0; z < nsizes; z++)
			for (k = 0; k < nbins; k++) {
				if (nbins > 1)
					printf("%6s  %s\n", "", bins[k]);
				at = (z * nbins + k) * runs + run;
				if (bench_daemon(dir, port, sizes[z], parallel,
				    bins[k], feedctl, want[z], &walls[at],
				    &cpus[at]) != 0) {
					fprintf(stderr, "bench/poll: daemon run "
					    "with %zu feeds failed\n", sizes[z]);
					walls[at] = cpus[at] = -1;
				}
			}
	printf("\nthe daemon's first poll from process start, the median of "
	    "%zu run%s:\n", runs, runs == 1 ? "" : "s");
	for (k = 0; k < nbins; k++) {
		if (nbins > 1)
			printf("%s\n", bins[k]);
		for (z = 0; z < nsizes; z++) {
			at = (z * nbins + k) * runs;
			mw[z] = median_of_runs(&walls[at], runs);
			mc[z] = median_of_runs(&cpus[at], runs);
			printf("%6zu feeds: %.2f s, %.0f feeds/s, %.2f CPU s\n",
			    sizes[z], mw[z], mw[z] > 0 ? sizes[z] / mw[z] : 0,
			    mc[z]);
		}
		if (sizes[hi] > sizes[lo] && mw[lo] > 0 && mc[lo] > 0)
			printf("%6zu feeds took %.1f times as long as %zu (CPU: "
			    "%.1f times)\n", sizes[hi], mw[hi] / mw[lo],
			    sizes[lo], mc[hi] / mc[lo]);
	}
	free(walls);
	free(cpus);
}

/* A node of a cluster run reads its orders from its parent: go, 304, quit. */
struct cluster_node {
	struct node	 nd;
	const int64_t	*ids;
	size_t		 n;
	unsigned	 k, me;
};

static void
cluster_order_cb(evutil_socket_t fd, short what, void *arg)
{
	struct cluster_node	*c = arg;
	char			 order;
	size_t			 i;

	if (read(fd, &order, 1) != 1 || order == 'q') {
		event_base_loopbreak(c->nd.r.base);
		return;
	}
	if (order == 'g')
		poller_start(c->nd.p);
	else if (order == '3')
		/* Its share, as "feedctl poll --force" on each node would. */
		for (i = c->me; i < c->n; i += c->k)
			poller_poll_now(c->nd.p, c->ids[i], DATE_NONE, 1);
}

static void
cluster_node(const char *pg, unsigned parallel, const int64_t *ids, size_t n,
    unsigned k, unsigned me, int order_fd, int done_fd)
{
	struct cluster_node	 c;
	struct store		*s;
	struct event		*ev;
	char			*cause = NULL;

	curl_global_init(CURL_GLOBAL_DEFAULT);
	if ((s = store_open(pg, &cause)) == NULL)
		bench_fail(cause);
	node_open(&c.nd, s, pg, parallel);
	c.nd.r.done_fd = done_fd;
	c.ids = ids;
	c.n = n;
	c.k = k;
	c.me = me;
	ev = event_new(c.nd.r.base, order_fd, EV_READ | EV_PERSIST,
	    cluster_order_cb, &c);
	event_add(ev, NULL);
	if (write(done_fd, "r", 1) != 1)
		_exit(1);
	event_base_dispatch(c.nd.r.base);
	event_free(ev);
	node_close(&c.nd);
	curl_global_cleanup();
	_exit(0);
}

/* Reads "want" bytes of the nodes' reports; the errors ('e') among them. */
static size_t
cluster_wait(int fd, size_t want)
{
	char	 buf[256];
	size_t	 got = 0, errors = 0;
	ssize_t	 r, i;

	while (got < want) {
		r = read(fd, buf, want - got < sizeof(buf) ? want - got :
		    sizeof(buf));
		if (r <= 0) {
			fprintf(stderr, "bench: a node died (%zu of %zu polls "
			    "reported)\n", got, want);
			_exit(1);
		}
		for (i = 0; i < r; i++)
			errors += buf[i] == 'e';
		got += (size_t)r;
	}
	return (errors);
}

static double
cluster_cpu(const pid_t *pids, unsigned k, long *peak)
{
	struct usage	u;
	double		cpu = 0;
	unsigned	i;

	for (i = 0; i < k; i++) {
		proc_usage(pids[i], &u);
		cpu += u.cpu;
		if (peak != NULL && u.peak > *peak)
			*peak = u.peak;
	}
	return (cpu);
}

/* The same order to every node. */
static void
cluster_order(const int *order, unsigned k, char what)
{
	unsigned	i;

	for (i = 0; i < k; i++)
		if (write(order[i], &what, 1) != 1)
			bench_fail("a node is gone");
}

/* One number from a query on the monitor's connection; -1 on error. */
static long long
cluster_count(PGconn *mon, const char *sql)
{
	PGresult	*res = PQexec(mon, sql);
	long long	 v = -1;

	if (PQresultStatus(res) == PGRES_TUPLES_OK && PQntuples(res) == 1)
		v = strtoll(PQgetvalue(res, 0, 0), NULL, 10);
	PQclear(res);
	return (v);
}

/*
 * "k" nodes on the PostgreSQL database "pg", each a process with the
 * modules of one feedd (node_open()), as k feedd on k machines: the
 * feeds are added once, every node starts its poller at the same time,
 * and their claims share the feeds out.  Each node writes a byte to a
 * shared pipe per poll it ends; the parent times the first poll until
 * the cluster has ended n polls, the search index until it has caught
 * up, and an all-304 in which each node is asked to poll its share of
 * the feeds, and reads the nodes' CPU from /proc.  What the database
 * holds after each poll (items, feeds answered 304) is counted there,
 * so a feed polled twice or an item stored twice would show.
 */
static void
bench_cluster(const char *dir, int port, size_t n, unsigned parallel,
    const char *pg, unsigned k)
{
	struct store	*s;
	PGconn		*mon;
	pid_t		 pids[16];
	int		 order[16], done[2], fds[2], status;
	int64_t		*ids = xcalloc(n, sizeof(*ids)), lag;
	char		 db[512], what[16], *cause = NULL;
	double		 w0, c0, pcpu, pwal;
	size_t		 errors;
	long long	 items0;
	long		 peak = 0;
	unsigned	 i;

	if (k > 16)
		k = 16;
	s = bench_feeds(dir, pg, port, n, ids, db, sizeof(db));
	store_close(s);
	if (PQstatus(mon = PQconnectdb(pg)) != CONNECTION_OK)
		bench_fail(PQerrorMessage(mon));
	if (pipe(done) == -1) {
		perror("pipe");
		_exit(1);
	}
	fflush(stdout);
	for (i = 0; i < k; i++) {
		if (pipe(fds) == -1 || (pids[i] = fork()) == -1) {
			perror("bench");
			_exit(1);
		}
		if (pids[i] == 0) {
			close(fds[1]);
			close(done[0]);
			cluster_node(pg, parallel, ids, n, k, i, fds[0],
			    done[1]);
		}
		close(fds[0]);
		order[i] = fds[1];
	}
	close(done[1]);
	cluster_wait(done[0], k);		/* every node ready */
	if ((s = store_open(pg, &cause)) == NULL)
		bench_fail(cause);

	bench_pg_sample(mon, &pcpu, &pwal);
	c0 = cluster_cpu(pids, k, NULL);
	w0 = now_s();
	cluster_order(order, k, 'g');
	errors = cluster_wait(done[0], n);
	snprintf(what, sizeof(what), "pg%u first", k);
	report(n, what, now_s() - w0, cluster_cpu(pids, k, NULL) - c0, errors,
	    (uint64_t)cluster_count(mon, "SELECT count(*) FROM items"), 0);
	bench_pg_report(n, what, mon, pcpu, pwal);
	do {
		usleep(20000);
		if (store_index_lag(s, &lag, &cause) != 0)
			bench_fail(cause);
	} while (lag > 0);
	items0 = cluster_count(mon, "SELECT count(*) FROM items");
	snprintf(what, sizeof(what), "pg%u +srch", k);
	report(n, what, now_s() - w0, cluster_cpu(pids, k, NULL) - c0, errors,
	    (uint64_t)items0, 0);

	if (!first_only) {
		bench_pg_sample(mon, &pcpu, &pwal);
		c0 = cluster_cpu(pids, k, NULL);
		w0 = now_s();
		cluster_order(order, k, '3');
		errors = cluster_wait(done[0], n);
		snprintf(what, sizeof(what), "pg%u 304", k);
		report(n, what, now_s() - w0, cluster_cpu(pids, k, NULL) - c0,
		    errors, (uint64_t)(cluster_count(mon, "SELECT count(*) "
		    "FROM items") - items0), (uint64_t)cluster_count(mon,
		    "SELECT count(*) FROM feeds WHERE last_status = 304"));
		bench_pg_report(n, what, mon, pcpu, pwal);
	}
	cluster_cpu(pids, k, &peak);
	cluster_order(order, k, 'q');
	for (i = 0; i < k; i++)
		close(order[i]);
	for (i = 0; i < k; i++)
		waitpid(pids[i], &status, 0);
	printf("%6zu  %u nodes: peak RSS %.1f MiB the largest node\n", n, k,
	    peak / 1024.0);
	fflush(stdout);
	close(done[0]);
	store_close(s);
	PQfinish(mon);
	free(ids);
}

int
main(int argc, char **argv)
{
	char		 dir[] = "/tmp/feedd-bench-poll-XXXXXX", path[600];
	char		 cmd[700], *list = "1000,10000", *tok, *slash;
	char		 feedd[760], feedctl[760], *bins[8], *binlist;
	size_t		 nbins = 0, runs = 1, nsizes = 0;
	size_t		 sizes[8];
	const char	*pg = NULL, *only = NULL;
	int		 per_feed[10000];
	unsigned	 parallel = 64, nodes = 2;
	size_t		 n, i, nmax = 0;
	pid_t		 nginx, pid;
	long		 idle[16][2];
	long		 pgidle[16][2];
	size_t		 nidle = 0, npg = 0;
	int		 port, status, keep = 0, a, b, fds[2];

	/* The daemon and client built beside this bench (build/cc). */
	snprintf(cmd, sizeof(cmd), "%s", argv[0]);
	if ((slash = strrchr(cmd, '/')) != NULL)
		*slash = '\0';
	else
		snprintf(cmd, sizeof(cmd), ".");
	snprintf(feedd, sizeof(feedd), "%s/../feedd", cmd);
	snprintf(feedctl, sizeof(feedctl), "%s/../feedctl", cmd);
	for (a = 1; a < argc; a++) {
		if (strcmp(argv[a], "--feeds") == 0 && a + 1 < argc)
			list = argv[++a];
		else if (strcmp(argv[a], "--parallel") == 0 && a + 1 < argc)
			parallel = (unsigned)atoi(argv[++a]);
		else if (strcmp(argv[a], "--keep") == 0)
			keep = 1;
		else if (strcmp(argv[a], "--pg") == 0 && a + 1 < argc)
			pg = argv[++a];
		else if (strcmp(argv[a], "--only") == 0 && a + 1 < argc &&
		    (strcmp(argv[a + 1], "in-process") == 0 ||
		    strcmp(argv[a + 1], "daemon") == 0))
			only = argv[++a];
		else if (strcmp(argv[a], "--feedd") == 0 && a + 1 < argc) {
			binlist = argv[++a];
			for (tok = strtok(binlist, ","); tok != NULL &&
			    nbins < 8; tok = strtok(NULL, ","))
				bins[nbins++] = tok;
		} else if (strcmp(argv[a], "--runs") == 0 && a + 1 < argc)
			runs = strtoul(argv[++a], NULL, 10);
		else if (strcmp(argv[a], "--first-only") == 0)
			first_only = 1;
		else if (strcmp(argv[a], "--nodes") == 0 && a + 1 < argc &&
		    atoi(argv[a + 1]) >= 1 && atoi(argv[a + 1]) <= 16)
			nodes = (unsigned)atoi(argv[++a]);
		else if (strcmp(argv[a], "--feedctl") == 0 && a + 1 < argc)
			snprintf(feedctl, sizeof(feedctl), "%s", argv[++a]);
		else {
			fprintf(stderr, "usage: bench/poll [--feeds N[,N...]] "
			    "[--parallel P] [--keep] [--pg CONNINFO]\n"
			    "    [--nodes K] [--only in-process|daemon] "
			    "[--feedd PATH[,PATH...]]\n    [--feedctl PATH] "
			    "[--runs N] [--first-only]\n");
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
		per_feed[i] = gen_feed(path, i);
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
		for (b = 0; b < (pg != NULL ? 2 : 1) && (only == NULL ||
		    strcmp(only, "in-process") == 0); b++) {
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
		/* The same on K nodes sharing the database. */
		if (pg != NULL && nodes >= 2 && (only == NULL ||
		    strcmp(only, "in-process") == 0)) {
			if ((pid = fork()) == 0) {
				bench_cluster(dir, port, n, parallel, pg,
				    nodes);
				_exit(0);
			}
			waitpid(pid, &status, 0);
			if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
				fprintf(stderr, "bench/poll: %u nodes with %zu "
				    "feeds failed\n", nodes, n);
		}
		if (nsizes < sizeof(sizes) / sizeof(*sizes))
			sizes[nsizes++] = n;
	}
	if (nbins == 0)
		bins[nbins++] = feedd;
	if (only == NULL || strcmp(only, "daemon") == 0)
		bench_daemons(dir, port, sizes, nsizes, parallel, bins, nbins,
		    feedctl, runs, per_feed);
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
