/*
 * notify.c: what notifiers cost while feeds are polled.
 *
 * 1,000 generated feeds (bench-feeds.h) served by nginx on loopback get
 * a first poll by feedd's own poller, fetcher, parser and store, with the
 * daemon's notifier module (notify.c) wired as feedd wires it: the
 * router on the writer's connection, deliveries on the loop through the
 * HTTP engine's curl multi.  A webhook receiver runs in a child process
 * (libevent's evhttp on 127.0.0.1) and notes when each item arrives.
 * Three runs, each in its own process with a fresh database:
 *
 *	none	no notifier: the baseline poll
 *	some	a json webhook for 50 of the 1,000 feeds
 *	all	a json webhook for every item
 *
 * After "all", a steady part: one feed in 20 gets one new item and those
 * feeds are polled one every 20 ms, as a daemon whose feeds are spread
 * over their intervals polls them; its deliveries are measured the same
 * way.
 *
 * Last, the floor: as many webhook requests as "some" delivered, alone
 * (floor_child()).
 *
 * For each: the poll's wall time and feeds/s, then for the webhook runs
 * the time from each item's commit (taken on the writer thread as the
 * transaction ends) to its arrival at the receiver (p50, p99, max), and
 * deliveries/s from the first commit to the last arrival; and the CPU
 * time the machine used during the poll, and feedd (and its loop thread)
 * and the receiver until all was delivered.  With several runs, a
 * summary: the median of each pair's some/none poll throughput and of
 * the p99s, and the floor's CPU time against a "none" poll's.  Figures
 * only: nothing is asserted.  Each run's process is named n-none,
 * n-some, n-all or n-floor, for perf --comm.
 *
 *	bench/notify [--feeds N] [--runs N] [--no-all] [--keep]
 */
#include <sys/prctl.h>
#include <sys/types.h>
#include <sys/wait.h>

#include <errno.h>
#include <inttypes.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <curl/curl.h>
#include <event2/buffer.h>
#include <event2/event.h>
#include <event2/http.h>

#include "bench-feeds.h"
#include "conf.h"
#include "fetch.h"
#include "http.h"
#include "indexer.h"
#include "item.h"
#include "loop.h"
#include "notify.h"
#include "poller.h"
#include "sched.h"
#include "store.h"
#include "writer.h"
#include "xmalloc.h"
#include "stats.h"

/* --- the receiver (a child process) --- */

struct arrival {
	int64_t		id;
	int64_t		usec;		/* CLOCK_REALTIME */
};

struct receiver {
	struct arrival	*v;
	size_t		 n;
	size_t		 cap;
	const char	*dir;
	unsigned	 dumps;
};

static int64_t
real_usec(void)
{
	struct timespec	ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return ((int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000);
}

/*
 * The CPU time the whole machine has used (every core, every process;
 * /proc/stat's busy fields: user, nice, system, irq, softirq, steal).
 */
static double
machine_cpu_s(void)
{
	unsigned long long	 v[8];
	FILE			*f;
	int			 n;

	if ((f = fopen("/proc/stat", "r")) == NULL)
		return (0);
	n = fscanf(f, "cpu %llu %llu %llu %llu %llu %llu %llu %llu", &v[0],
	    &v[1], &v[2], &v[3], &v[4], &v[5], &v[6], &v[7]);
	fclose(f);
	if (n != 8)
		return (0);
	return ((double)(v[0] + v[1] + v[2] + v[5] + v[6] + v[7]) /
	    (double)sysconf(_SC_CLK_TCK));
}

static void
recv_request(struct evhttp_request *req, void *arg)
{
	struct receiver	*r = arg;
	const char	*h;

	h = evhttp_find_header(evhttp_request_get_input_headers(req),
	    "X-Feedd-Item");
	if (r->n == r->cap) {
		r->cap = r->cap ? r->cap * 2 : 65536;
		r->v = xreallocarray(r->v, r->cap, sizeof(*r->v));
	}
	r->v[r->n].id = h != NULL ? strtoll(h, NULL, 10) : 0;
	r->v[r->n++].usec = real_usec();
	evhttp_send_reply(req, 200, "OK", NULL);
}

/* SIGUSR1: what arrived so far goes to DIR/arrivals-N; then it starts
 * over.  Written whole, then renamed: the reader never sees half. */
static void
recv_dump(evutil_socket_t sig, short what, void *arg)
{
	struct receiver	*r = arg;
	char		 path[600], tmp[600];
	FILE		*f;
	size_t		 i;

	snprintf(tmp, sizeof(tmp), "%s/.arrivals", r->dir);
	snprintf(path, sizeof(path), "%s/arrivals-%u", r->dir, r->dumps++);
	if ((f = fopen(tmp, "w")) == NULL)
		return;
	for (i = 0; i < r->n; i++)
		fprintf(f, "%" PRId64 " %" PRId64 "\n", r->v[i].id,
		    r->v[i].usec);
	fclose(f);
	rename(tmp, path);
	r->n = 0;
}

static void
recv_stop(evutil_socket_t sig, short what, void *arg)
{
	event_base_loopbreak(arg);
}

static void
receiver_main(const char *dir, int port)
{
	struct receiver	 r;
	struct event_base *base = event_base_new();
	struct evhttp	*http = evhttp_new(base);
	struct event	*usr1, *term;

	memset(&r, 0, sizeof(r));
	r.dir = dir;
	evhttp_set_gencb(http, recv_request, &r);
	if (evhttp_bind_socket(http, "127.0.0.1", (uint16_t)port) != 0) {
		fprintf(stderr, "bench/notify: receiver cannot bind\n");
		_exit(1);
	}
	usr1 = evsignal_new(base, SIGUSR1, recv_dump, &r);
	term = evsignal_new(base, SIGTERM, recv_stop, base);
	event_add(usr1, NULL);
	event_add(term, NULL);
	event_base_dispatch(base);
	_exit(0);
}

/* --- the measured poll (a child process per run) --- */

struct run {
	struct event_base	*base;
	struct poller		*poller;
	int64_t			*feeds;		/* ids, in generation order */
	size_t			 nsteady;	/* steady polls started */
	struct event		*steady_ev;
	struct store		*store;
	struct notify		*notify;
	struct indexer		*ix;
	size_t			 target;
	size_t			 done;
	size_t			 errors;
	double			 poll_end;
	double			 poll_machine;	/* CPU s, all of it */
	int64_t			*commit;	/* by item id, realtime usec */
	size_t			 ncommit;
	int64_t			 first_commit;
	struct event		*check;
};

/*
 * On the writer thread, right after a batch commits: the commit time of
 * each new item.  Only that thread writes "commit" until the run is
 * over.
 */
static void
commit_hook(const struct writer_job *job, void *arg)
{
	struct run	*r = arg;
	int64_t		 t = real_usec();
	size_t		 i, k, id, grow;

	for (i = 0; i < job->n; i++) {
		for (k = 0; k < job->res[i].nids; k++) {
			id = (size_t)job->res[i].ids[k];
			if (id >= r->ncommit) {
				grow = id * 2 + 1024;
				r->commit = xreallocarray(r->commit, grow,
				    sizeof(*r->commit));
				memset(r->commit + r->ncommit, 0, (grow -
				    r->ncommit) * sizeof(*r->commit));
				r->ncommit = grow;
			}
			r->commit[id] = t;
			if (r->first_commit == 0)
				r->first_commit = t;
		}
	}
}

static void
announce_cb(int64_t feed, const int64_t *ids, size_t n, void *arg)
{
	struct run	*r = arg;

	if (r->notify != NULL)
		notify_kick(r->notify);
	indexer_kick(r->ix);	/* as in feedd */
}

static void
done_cb(int64_t id, const char *error, void *arg)
{
	struct run	*r = arg;

	if (error != NULL)
		r->errors++;
	if (++r->done == r->target) {
		r->poll_end = now_s();
		r->poll_machine = machine_cpu_s();
	}
}

/* Every 20 ms: the poll is over and the outbox is empty. */
static void
check_cb(evutil_socket_t fd, short what, void *arg)
{
	struct run		*r = arg;
	struct store_stats	 st;
	char			*cause = NULL;

	if (r->done < r->target)
		return;
	if (r->notify != NULL) {
		if (store_stats(r->store, &st, &cause) != 0) {
			free(cause);
			return;
		}
		if (st.outbox_pending > 0)
			return;
	}
	event_base_loopbreak(r->base);
}

/*
 * The steady part: with the first poll over, one feed in 20 gets one new
 * item, and those feeds are polled one every 20 ms, as feeds spread over
 * their intervals are: the latency of a delivery when the loop is not
 * saturated.
 */
#define STEADY_EVERY	20
#define STEADY_GAP_US	20000

static void
steady_doc(const char *dir, size_t n)
{
	char	 path[600];
	FILE	*f;

	snprintf(path, sizeof(path), "%s/www/f/%05zu.xml", dir, n);
	if ((f = fopen(path, "w")) == NULL) {
		perror(path);
		exit(1);
	}
	fprintf(f, "<?xml version=\"1.0\"?>\n<rss version=\"2.0\"><channel>"
	    "<title>Feed %zu</title><item><title>Late news %zu</title>"
	    "<link>https://late%zu.example/</link><guid>late-%zu</guid>"
	    "<description>One more item.</description></item></channel>"
	    "</rss>\n", n, n, n, n);
	fclose(f);
}

static void
steady_cb(evutil_socket_t fd, short what, void *arg)
{
	struct run	*r = arg;
	struct timeval	 tv = { 0, STEADY_GAP_US };

	poller_poll_now(r->poller, r->feeds[r->nsteady * STEADY_EVERY],
	    DATE_NONE, 1);
	if (++r->nsteady < r->target)
		evtimer_add(r->steady_ev, &tv);
}

static int
cmp_i64(const void *a, const void *b)
{
	int64_t	x = *(const int64_t *)a, y = *(const int64_t *)b;

	return (x < y ? -1 : x > y);
}

/*
 * The receiver's arrivals against the commit times; "p50" and "p99" get
 * theirs in ms (-1: none arrived).
 */
static size_t
report_latency(struct run *r, const char *dir, unsigned dump,
    pid_t receiver, double *p50, double *p99)
{
	char		 path[600];
	FILE		*f = NULL;
	int64_t		 id, usec, *lat = NULL, last = 0;
	size_t		 n = 0, cap = 0, dups = 0, early = 0;
	unsigned char	*seen;
	int		 tries;

	*p50 = *p99 = -1;
	kill(receiver, SIGUSR1);
	snprintf(path, sizeof(path), "%s/arrivals-%u", dir, dump);
	for (tries = 0; tries < 500 && (f = fopen(path, "r")) == NULL;
	    tries++)
		usleep(10000);
	if (f == NULL) {
		fprintf(stderr, "bench/notify: no arrivals from the "
		    "receiver\n");
		return (0);
	}
	seen = xcalloc(r->ncommit + 1, 1);
	while (fscanf(f, "%" SCNd64 " %" SCNd64, &id, &usec) == 2) {
		if (id <= 0 || (size_t)id >= r->ncommit || r->commit[id] == 0)
			continue;
		if (seen[id]++) {
			dups++;
			continue;
		}
		if (n == cap) {
			cap = cap ? cap * 2 : 4096;
			lat = xreallocarray(lat, cap, sizeof(*lat));
		}
		/* The writer thread can lose the CPU between its COMMIT
		 * and its clock read: an arrival "before" is 0. */
		lat[n++] = usec > r->commit[id] ? usec - r->commit[id] : 0;
		if (usec < r->commit[id])
			early++;
		if (usec > last)
			last = usec;
	}
	fclose(f);
	free(seen);
	if (n == 0) {
		printf("        no deliveries\n");
		return (0);
	}
	qsort(lat, n, sizeof(*lat), cmp_i64);
	*p50 = lat[n / 2] / 1000.0;
	*p99 = lat[(n * 99) / 100] / 1000.0;
	printf("        %zu deliveries (%zu duplicates); commit to arrival "
	    "p50 %.1f ms, p99 %.1f ms, max %.1f ms; %.0f deliveries/s\n", n,
	    dups, *p50, *p99, lat[n - 1] / 1000.0, (double)n / ((double)(last -
	    r->first_commit) / 1e6));
	if (early > 0)
		printf("        (%zu arrived before the writer thread read the "
		    "clock after its commit: counted as 0 ms)\n", early);
	free(lat);
	return (n);
}

/* The calling thread's CPU time. */
static double
thread_cpu_s(void)
{
	struct timespec	ts;

	clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
	return ((double)ts.tv_sec + (double)ts.tv_nsec / 1e9);
}

/* A child's CPU time so far (user and system), from /proc. */
static double
proc_cpu_s(pid_t pid)
{
	char		 path[64], line[1024], *p;
	unsigned long	 ut = 0, st = 0;
	FILE		*f;
	int		 i;

	snprintf(path, sizeof(path), "/proc/%d/stat", (int)pid);
	if ((f = fopen(path, "r")) == NULL)
		return (0);
	p = fgets(line, sizeof(line), f);
	fclose(f);
	/* After "(comm)": state is field 3, utime and stime 14 and 15. */
	if (p == NULL || (p = strrchr(line, ')')) == NULL)
		return (0);
	for (i = 0; i < 12 && p != NULL; i++)
		p = strchr(p + 1, ' ');
	if (p == NULL || sscanf(p, "%lu %lu", &ut, &st) != 2)
		return (0);
	return ((double)(ut + st) / (double)sysconf(_SC_CLK_TCK));
}


/*
 * One line per run for the summary: mode, poll seconds, p50, p99, the
 * deliveries, and the machine's CPU seconds during the poll.
 */
static void
result_add(const char *dir, const char *mode, double secs, double p50,
    double p99, size_t n, double machine)
{
	char	 path[600];
	FILE	*f;

	snprintf(path, sizeof(path), "%s/results", dir);
	if ((f = fopen(path, "a")) == NULL)
		return;
	fprintf(f, "%s %.6f %.3f %.3f %zu %.3f\n", mode, secs, p50, p99, n,
	    machine);
	fclose(f);
}

static void
bench_child(const char *dir, int nginx_port, int hook_port, size_t nfeeds,
    const char *mode, unsigned dump, pid_t receiver)
{
	struct store_feed_conf	 fc;
	struct fetch_opts	 fo;
	struct sched_opts	 so;
	struct poller_stats	 st;
	struct run		 r;
	struct poller		*p;
	struct writer		*wr;
	struct http		*http;
	struct fetcher		*fetcher;
	struct conf		*conf = NULL;
	struct timeval		 tv = { 0, 20000 };
	char			 db[512], url[128], *cause = NULL, *text;
	static const char *const tag[] = { "probe" };
	double			 w, cpu0, loop0, receiver_cpu0, machine0;
	double			 p50 = -1, p99 = -1;
	size_t			 ndelivered = 0;
	int64_t			 id;
	size_t			 i;

	snprintf(url, sizeof(url), "n-%s", mode);
	prctl(PR_SET_NAME, url);
	curl_global_init(CURL_GLOBAL_DEFAULT);
	memset(&r, 0, sizeof(r));
	snprintf(db, sizeof(db), "%s/notify-%s.db", dir, mode);
	unlink(db);
	if ((r.store = store_open(db, &cause)) == NULL) {
		fprintf(stderr, "bench: %s\n", cause);
		_exit(1);
	}
	for (i = 0; i < nfeeds; i++) {
		memset(&fc, 0, sizeof(fc));
		snprintf(url, sizeof(url), "http://127.0.0.1:%d/f/%05zu.xml",
		    nginx_port, i);
		fc.url = url;
		/* "some": every 20th feed, tagged for the notifier. */
		fc.tags = i % 20 == 0 ? tag : NULL;
		fc.ntags = i % 20 == 0 ? 1 : 0;
		fc.interval = -1;
		fc.enabled = 1;
		fc.origin = STORE_ORIGIN_CONFIG;
		if (store_feed_add(r.store, &fc, &id, &cause) != 0) {
			fprintf(stderr, "bench: %s\n", cause);
			_exit(1);
		}
		r.feeds = xreallocarray(r.feeds, i + 1, sizeof(*r.feeds));
		r.feeds[i] = id;
	}
	r.base = loop_new();		/* as feedd.c */
	memset(&fo, 0, sizeof(fo));
	fo.user_agent = "feedd-bench";
	fo.max_parallel = 64;
	fo.max_per_host = 64;
	fo.timeout = 60;
	fo.max_size = 16 * 1024 * 1024;
	so.default_interval = 3600;
	so.min_interval = 300;
	so.max_interval = 86400;
	if ((wr = writer_new(r.base, db, NULL, NULL, &cause)) == NULL) {
		fprintf(stderr, "bench: %s\n", cause);
		_exit(1);
	}
	http = http_new(r.base);
	fetcher = fetch_new(r.base, http, &fo, NULL, NULL);
	if ((p = poller_new(r.base, r.store, wr, fetcher, &so,
	    &cause)) == NULL) {
		fprintf(stderr, "bench: %s\n", cause);
		_exit(1);
	}
	if (strcmp(mode, "none") != 0) {
		/* Each poll here is a feed's first: notified all the same. */
		xasprintf(&text, "[notify \"bench\"]\ntype = webhook\n"
		    "url = http://127.0.0.1:%d/hook\nnotify_first_poll = yes\n"
		    "%s\n", hook_port,
		    strcmp(mode, "some") == 0 ? "tags = probe" : "");
		if ((conf = conf_load_string(text, NULL, &cause)) == NULL) {
			fprintf(stderr, "bench: %s\n", cause);
			_exit(1);
		}
		free(text);
		r.notify = notify_new(r.base, r.store, http, wr);
		store_set_router(writer_store(wr), notify_route, r.notify);
		notify_set_conf(r.notify, conf);
	}
	if ((r.ix = indexer_new(r.base, db, NULL, &cause)) == NULL) {
		fprintf(stderr, "bench: %s\n", cause);
		_exit(1);
	}
	writer_set_commit_hook(wr, commit_hook, &r);
	poller_set_announce(p, announce_cb, &r);
	poller_set_done(p, done_cb, &r);
	r.check = event_new(r.base, -1, EV_PERSIST, check_cb, &r);
	event_add(r.check, &tv);

	r.target = nfeeds;
	cpu0 = cpu_s();
	loop0 = thread_cpu_s();
	receiver_cpu0 = proc_cpu_s(receiver);
	machine0 = machine_cpu_s();
	w = now_s();
	poller_start(p);
	event_base_dispatch(r.base);
	poller_get_stats(p, &st);
	r.poll_machine -= machine0;
	printf("  %-5s first poll of %zu feeds: %.2f s, %.0f feeds/s, %" PRIu64
	    " new items, %zu errors\n", mode, nfeeds, r.poll_end - w,
	    (double)nfeeds / (r.poll_end - w), st.new_items, r.errors);
	printf("        CPU: the machine %.2f s during the poll (%.2f s of "
	    "wall on %ld cores); until all\n        was delivered, feedd %.2f "
	    "s (its loop thread %.2f s)", r.poll_machine, r.poll_end - w,
	    sysconf(_SC_NPROCESSORS_ONLN), cpu_s() - cpu0,
	    thread_cpu_s() - loop0);
	if (r.notify != NULL)
		printf(", the receiver %.2f s", proc_cpu_s(receiver) -
		    receiver_cpu0);
	printf("\n");
	fflush(stdout);
	if (r.notify != NULL)
		ndelivered = report_latency(&r, dir, dump, receiver, &p50,
		    &p99);
	result_add(dir, mode, r.poll_end - w, p50, p99, ndelivered,
	    r.poll_machine);
	fflush(stdout);
	if (r.notify != NULL && strcmp(mode, "all") == 0) {
		for (i = 0; i < nfeeds; i += STEADY_EVERY)
			steady_doc(dir, i);
		r.poller = p;
		r.done = 0;
		r.target = (nfeeds + STEADY_EVERY - 1) / STEADY_EVERY;
		r.first_commit = 0;
		r.steady_ev = evtimer_new(r.base, steady_cb, &r);
		steady_cb(-1, 0, &r);
		event_base_dispatch(r.base);
		printf("  steady: %zu feeds polled one every %d ms, one new "
		    "item each, a webhook for every item:\n", r.target,
		    STEADY_GAP_US / 1000);
		report_latency(&r, dir, dump + 1, receiver, &p50, &p99);
		event_free(r.steady_ev);
	}
	fflush(stdout);
	free(r.feeds);
	event_free(r.check);
	notify_free(r.notify);
	indexer_free(r.ix);
	poller_free(p);
	writer_free(wr);
	fetch_free(fetcher);
	http_free(http);
	store_close(r.store);
	conf_free(conf);
	event_base_free(r.base);
	free(r.commit);
	curl_global_cleanup();
	_exit(0);
}

/*
 * The floor: as many json webhook requests as a "some" run delivered,
 * alone, through the HTTP engine on a loop_new() loop to the same receiver, 16
 * at a time as a json notifier sends them, their bodies built once: what
 * the HTTP exchange itself costs on this machine (curl, the kernel, the
 * receiver), without feedd's reading of rows, building of bodies and
 * recording of outcomes, and without a poll.
 */
#define FLOOR_PARALLEL	16
#define FLOOR_BODY	1700	/* about a bench item's record */

struct floor_run {
	struct event_base	*base;
	struct http		*http;
	struct curl_slist	*headers;
	char			*body;
	char			 url[128];
	size_t			 n;
	size_t			 started;
	size_t			 done;
	size_t			 errors;
};

static void	floor_start(struct floor_run *);

static void
floor_done_cb(void *easy, int code, void *arg)
{
	struct floor_run	*fr = arg;
	long			 status = 0;

	curl_easy_getinfo(easy, CURLINFO_RESPONSE_CODE, &status);
	curl_easy_cleanup(easy);
	if (code != CURLE_OK || status != 200)
		fr->errors++;
	if (++fr->done == fr->n)
		event_base_loopbreak(fr->base);
	else if (fr->started < fr->n)
		floor_start(fr);
}

static void
floor_start(struct floor_run *fr)
{
	CURL	*e;

	if ((e = curl_easy_init()) == NULL) {
		fprintf(stderr, "bench/notify: curl_easy_init failed\n");
		_exit(1);
	}
	curl_easy_setopt(e, CURLOPT_URL, fr->url);
	curl_easy_setopt(e, CURLOPT_POSTFIELDS, fr->body);
	curl_easy_setopt(e, CURLOPT_POSTFIELDSIZE_LARGE,
	    (curl_off_t)FLOOR_BODY);
	curl_easy_setopt(e, CURLOPT_HTTPHEADER, fr->headers);
	curl_easy_setopt(e, CURLOPT_USERAGENT, "feedd/" FEEDD_VERSION);
	fr->started++;
	if (http_start(fr->http, e, LOOP_PRIO_URGENT, floor_done_cb,
	    fr) != 0) {
		fprintf(stderr, "bench/notify: cannot start a request\n");
		_exit(1);
	}
}

static void
floor_child(const char *dir, int hook_port, size_t n, pid_t receiver)
{
	struct floor_run	 fr;
	double			 w, cpu0, receiver0, machine0, machine;
	size_t			 i;

	prctl(PR_SET_NAME, "n-floor");
	curl_global_init(CURL_GLOBAL_DEFAULT);
	memset(&fr, 0, sizeof(fr));
	fr.n = n;
	fr.base = loop_new();
	fr.http = http_new(fr.base);
	snprintf(fr.url, sizeof(fr.url), "http://127.0.0.1:%d/hook",
	    hook_port);
	/* As a json notifier's (item 0: the receiver does not count it). */
	fr.headers = curl_slist_append(NULL, "Content-Type: application/json");
	fr.headers = curl_slist_append(fr.headers, "X-Feedd-Item: 0");
	fr.headers = curl_slist_append(fr.headers, "Expect:");
	fr.body = xmalloc(FLOOR_BODY + 1);
	memset(fr.body, 'x', FLOOR_BODY);
	memcpy(fr.body, "{\"content\":\"", 12);
	memcpy(fr.body + FLOOR_BODY - 2, "\"}", 2);
	fr.body[FLOOR_BODY] = '\0';

	cpu0 = cpu_s();
	receiver0 = proc_cpu_s(receiver);
	machine0 = machine_cpu_s();
	w = now_s();
	for (i = 0; i < FLOOR_PARALLEL && i < n; i++)
		floor_start(&fr);
	event_base_dispatch(fr.base);
	w = now_s() - w;
	machine = machine_cpu_s() - machine0;
	printf("  floor: %zu json webhook requests alone (bodies built once, "
	    "%d at a time, no poll):\n        %.2f s, %zu errors; CPU per "
	    "request: the sender %.0f us, the receiver %.0f us,\n        the "
	    "machine %.0f us (%.2f s for all)\n", n, FLOOR_PARALLEL, w,
	    fr.errors, (cpu_s() - cpu0) / (double)n * 1e6,
	    (proc_cpu_s(receiver) - receiver0) / (double)n * 1e6,
	    machine / (double)n * 1e6, machine);
	fflush(stdout);
	result_add(dir, "floor", w, -1, -1, n, machine);
	http_free(fr.http);
	curl_slist_free_all(fr.headers);
	free(fr.body);
	event_base_free(fr.base);
	curl_global_cleanup();
	_exit(0);
}

/* The deliveries of the last "some" run, for the floor; 0: none. */
static size_t
results_some(const char *dir)
{
	char	 path[600], mode[16];
	double	 secs, p50, p99, machine;
	size_t	 n, last = 0;
	FILE	*f;

	snprintf(path, sizeof(path), "%s/results", dir);
	if ((f = fopen(path, "r")) == NULL)
		return (0);
	while (fscanf(f, "%15s %lf %lf %lf %zu %lf", mode, &secs, &p50, &p99,
	    &n, &machine) == 6)
		if (strcmp(mode, "some") == 0)
			last = n;
	fclose(f);
	return (last);
}

/*
 * With two pairs or more: the median of each pair's some/none poll
 * throughput (run k of "some" against run k of "none", which ran just
 * before it) and of the p99s of "some"; with the floor, what its
 * requests cost the machine against what a "none" poll did.
 */
static void
summary(const char *dir)
{
	char	 path[600], mode[16];
	double	 secs, p50, p99, machine, none[100], ratio[100], tail[100];
	double	 cpu[100], mr, mt, mc, floor = -1;
	size_t	 n, nnone = 0, nsome = 0;
	FILE	*f;

	snprintf(path, sizeof(path), "%s/results", dir);
	if ((f = fopen(path, "r")) == NULL)
		return;
	while (fscanf(f, "%15s %lf %lf %lf %zu %lf", mode, &secs, &p50, &p99,
	    &n, &machine) == 6) {
		if (strcmp(mode, "none") == 0 && nnone < 100) {
			cpu[nnone] = machine;
			none[nnone++] = secs;
		} else if (strcmp(mode, "some") == 0 && nsome < nnone &&
		    secs > 0) {
			ratio[nsome] = none[nsome] / secs;
			tail[nsome++] = p99;
		} else if (strcmp(mode, "floor") == 0)
			floor = machine;
	}
	fclose(f);
	if (nsome < 2)
		return;
	/* Sorts them, for the ranges below. */
	mr = median(ratio, nsome);
	mt = median(tail, nsome);
	mc = median(cpu, nnone);
	printf("\nover %zu pairs: some/none poll throughput, median %.2f "
	    "(%.2f to %.2f);\n  some's commit to arrival p99, median %.1f ms "
	    "(%.1f to %.1f ms)\n", nsome, mr, ratio[0], ratio[nsome - 1], mt,
	    tail[0], tail[nsome - 1]);
	if (floor >= 0 && mc > 0)
		printf("  the floor's requests alone cost the machine %.2f s "
		    "of CPU: %.0f%% of a \"none\" poll's\n  (median %.2f s)\n",
		    floor, 100 * floor / mc, mc);
}

int
main(int argc, char **argv)
{
	static const char *const modes[] = { "none", "some", "all" };
	char		 dir[] = "/tmp/feedd-bench-notify-XXXXXX", path[600];
	char		 cmd[700];
	size_t		 nfeeds = 1000, i, m, n;
	pid_t		 nginx, receiver, pid;
	unsigned	 dumps = 0, runs = 1, run;
	int		 nginx_port, hook_port, status, keep = 0, all = 1, a;

	for (a = 1; a < argc; a++) {
		if (strcmp(argv[a], "--feeds") == 0 && a + 1 < argc)
			nfeeds = strtoul(argv[++a], NULL, 10);
		else if (strcmp(argv[a], "--keep") == 0)
			keep = 1;
		else if (strcmp(argv[a], "--no-all") == 0)
			all = 0;
		else if (strcmp(argv[a], "--runs") == 0 && a + 1 < argc)
			runs = (unsigned)strtoul(argv[++a], NULL, 10);
		else {
			fprintf(stderr, "usage: bench/notify [--feeds N] "
			    "[--runs N] [--no-all] [--keep]\n");
			return (2);
		}
	}
	if (runs == 0 || runs > 100) {
		fprintf(stderr, "bench/notify: --runs 1 to 100\n");
		return (2);
	}
	if (nfeeds == 0 || nfeeds > 10000) {
		fprintf(stderr, "bench/notify: --feeds 1 to 10000\n");
		return (2);
	}
	if (access(NGINX, X_OK) != 0) {
		fprintf(stderr, "bench/notify: %s not found; install Debian's "
		    "nginx package (make bench installs it as root)\n", NGINX);
		return (1);
	}
	if (mkdtemp(dir) == NULL) {
		perror("mkdtemp");
		return (1);
	}
	chmod(dir, 0755);
	snprintf(path, sizeof(path), "%s/www", dir);
	mkdir(path, 0755);
	snprintf(path, sizeof(path), "%s/www/f", dir);
	mkdir(path, 0755);
	for (i = 0; i < nfeeds; i++) {
		snprintf(path, sizeof(path), "%s/www/f/%05zu.xml", dir, i);
		gen_feed(path, i);
	}
	nginx_port = free_port();
	nginx = nginx_start(dir, nginx_port);
	hook_port = free_port();
	if ((receiver = fork()) == 0)
		receiver_main(dir, hook_port);
	for (i = 0; i < 100 && !port_open(hook_port); i++)
		usleep(20000);

	printf("feedd's poller and notifiers: a first poll of %zu feeds from "
	    "nginx on loopback,\na json webhook to a receiver on loopback "
	    "(none: no notifier; some: 1 feed in 20;\nall: every item).\n\n",
	    nfeeds);
	fflush(stdout);
	/*
	 * Runs after the first repeat none and some, the two that compare;
	 * "all" comes last, once.
	 */
	for (run = 0, m = 0; m < sizeof(modes) / sizeof(*modes); m++) {
		if (m == 2 && ++run < runs)
			m = 0;
		else if (m == 2 && !all)
			break;
		if ((pid = fork()) == 0)
			bench_child(dir, nginx_port, hook_port, nfeeds,
			    modes[m], dumps, receiver);
		waitpid(pid, &status, 0);
		/* Each report of a run made a dump. */
		for (;;) {
			snprintf(path, sizeof(path), "%s/arrivals-%u", dir,
			    dumps);
			if (access(path, F_OK) != 0)
				break;
			dumps++;
		}
		if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
			fprintf(stderr, "bench/notify: run %s failed\n",
			    modes[m]);
	}
	if ((n = results_some(dir)) > 0) {
		if ((pid = fork()) == 0)
			floor_child(dir, hook_port, n, receiver);
		waitpid(pid, &status, 0);
		if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
			fprintf(stderr, "bench/notify: the floor failed\n");
	}
	summary(dir);
	kill(receiver, SIGTERM);
	waitpid(receiver, &status, 0);
	kill(nginx, SIGTERM);
	waitpid(nginx, &status, 0);
	if (!keep) {
		snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
		if (system(cmd) != 0)
			fprintf(stderr, "bench/notify: could not remove %s\n",
			    dir);
	} else
		printf("kept %s\n", dir);
	return (0);
}
