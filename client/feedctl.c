/*
 * feedctl.c: the command-line client.  Commands live in one table, which
 * also produces --help; each command parses its own options.
 */
#include <sys/ioctl.h>
#include <sys/wait.h>

#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <jansson.h>

#include "buf.h"
#include "client.h"
#include "conf.h"
#include "date.h"
#include "feedopt.h"
#include "headline.h"
#include "item.h"
#include "json.h"
#include "log.h"
#include "parse.h"
#include "term.h"
#include "text.h"
#include "xmalloc.h"

/* Exit statuses (feedctl(1) "EXIT STATUS"). */
#define CTL_OK		0
#define CTL_FAILED	1
#define CTL_USAGE	2
#define CTL_UNREACHABLE	3

/* The most a --limit may ask for: the daemon's page size limit
 * (feedd-protocol(7)), refused here as a usage error. */
#define CTL_LIMIT_MAX	10000

struct ctl_cmd {
	const char	*name;
	const char	*args;
	const char	*help;
	int		(*run)(int, char **);
};

static int	ctl_add(int, char **);
static int	ctl_edit(int, char **);
static int	ctl_explain(int, char **);
static int	ctl_export(int, char **);
static int	ctl_import(int, char **);
static int	ctl_feeds(int, char **);
static int	ctl_help(int, char **);
static int	ctl_items(int, char **);
static int	ctl_mark(int, char **);
static int	ctl_metrics(int, char **);
static int	ctl_consumers(int, char **);
static int	ctl_notifier(int, char **);
static int	ctl_parse(int, char **);
static int	ctl_poll(int, char **);
static int	ctl_remove(int, char **);
static int	ctl_search(int, char **);
static int	ctl_show(int, char **);
static int	ctl_status(int, char **);
static int	ctl_watch(int, char **);
static long long ctl_num_arg(const char *, const char *, long long,
		    long long);

/* Keep sorted by name. */
static const struct ctl_cmd ctl_cmds[] = {
	{ "add", "URL [--title T] [--tag T]... [--interval DUR] [--no-check] "
	    "[--pick N] [SETTINGS]",
	    "subscribe to a feed (or the feed a page names); prints its id; "
	    "SETTINGS: --user-agent, --header, --cookie, --username, "
	    "--password (- reads stdin), --password-file, --proxy, --charset, "
	    "--timeout, --max-feed-size, --notify-first-poll", ctl_add },
	{ "consumers", "[--remove NAME]", "list the named consumers (items "
	    "--consumer): what each takes, its cursor and the items it has "
	    "still to acknowledge, which retention keeps; --remove forgets "
	    "one", ctl_consumers },
	{ "edit", "FEED [--title T] [--tag T]... [--untag T]... "
	    "[--interval DUR|default] [--url URL] [--pause|--resume] "
	    "[SETTINGS]",
	    "change a feed added with add or import; SETTINGS: --user-agent, "
	    "--header, --cookie, --username, --password (- reads stdin), "
	    "--password-file, --proxy, --charset, --timeout, --max-feed-size, "
	    "--notify-first-poll (\"\" unsets one)", ctl_edit },
	{ "explain", "FEED", "why a feed is polled when it is",
	    ctl_explain },
	{ "export", "", "the subscriptions as OPML 2.0, on stdout",
	    ctl_export },
	{ "feeds", "[--tag T]", "list feeds with their state", ctl_feeds },
	{ "help", "[COMMAND]", "show help for feedctl or one command",
	    ctl_help },
	{ "import", "FILE|-", "subscribe to the feeds of an OPML file "
	    "(folders become tags) or of a newsboat urls file", ctl_import },
	{ "items", "[--feed F] [--tag T] [--since ID] [--unread] [--starred] "
	    "[--limit N] [--reverse] | --consumer NAME [--feed F] [--tag T] "
	    "[--from-start] [--limit N] [--ack | --ack-to ID]",
	    "list stored items in the order they were stored: the first N "
	    "after --since, else the newest N; or what a consumer has not "
	    "acknowledged",
	    ctl_items },
	{ "metrics", "", "the daemon's counters, in Prometheus text format",
	    ctl_metrics },
	{ "notify", "test NAME | retry NAME | list NAME [--parked] "
	    "[--limit N]",
	    "send the sample item (the seed article) through a notifier; "
	    "make its parked and waiting deliveries due now; or list its "
	    "queued deliveries, oldest first", ctl_notifier },
	{ "parse", "FILE|- [--base URL] [--charset NAME]",
	    "parse a feed document offline and print it as JSON", ctl_parse },
	{ "poll", "[FEED...] [--force] [--wait]", "poll feeds now (all without "
	    "FEED); --force: even those a server's Retry-After holds; --wait "
	    "shows progress and exits 1 if any failed",
	    ctl_poll },
	{ "read", "ID... | --all | --feed F | --tag T [--before ID]",
	    "mark items read (with --before: that id and older only)",
	    ctl_mark },
	{ "remove", "FEED", "unsubscribe (FEED: id or URL); its items go too",
	    ctl_remove },
	{ "search", "QUERY [--limit N]", "full-text search", ctl_search },
	{ "show", "ID [--keep-unread] [--json]", "one item as a reader sees "
	    "it, through $PAGER on a terminal; marks it read", ctl_show },
	{ "star", "ID...", "star items (retention keeps them)", ctl_mark },
	{ "status", "", "the daemon's state", ctl_status },
	{ "unread", "ID... | --all | --feed F | --tag T [--before ID]",
	    "mark items unread", ctl_mark },
	{ "unstar", "ID...", "unstar items", ctl_mark },
	{ "watch", "[--feed F] [--tag T] [--since ID]",
	    "print new items as they are stored, until interrupted; "
	    "reconnects and resumes if the daemon restarts", ctl_watch },
};

/* Global options, for the daemon commands. */
static const char	*opt_socket;
static const char	*opt_config;
static int		 opt_json;
#define CTL_NCMDS	(sizeof(ctl_cmds) / sizeof(ctl_cmds[0]))

static const char	*ctl_progname = "feedctl";

static void
ctl_usage(FILE *f)
{
	size_t	i;

	fprintf(f, "usage: %s [-s SOCKET] [-c FILE] [--json] COMMAND "
	    "[ARGS...]\n\n"
	    "  -s, --socket SOCKET  feedd's socket (else $FEEDD_SOCKET, else "
	    "the config's)\n"
	    "  -c, --config FILE    take the socket from this feedd.conf "
	    "(else $FEEDD_CONFIG)\n"
	    "  -j, --json           print JSON, one object a line for lists\n"
	    "  -h, --help           print this and exit\n"
	    "  -V, --version        print the version and exit\n"
	    "\ncommands:\n", ctl_progname);
	for (i = 0; i < CTL_NCMDS; i++)
		fprintf(f, "  %-8s %s\n           %s\n", ctl_cmds[i].name,
		    ctl_cmds[i].args, ctl_cmds[i].help);
	fprintf(f, "\n'%s help COMMAND' or '%s COMMAND --help' shows one "
	    "command.\n", ctl_progname, ctl_progname);
}

static const struct ctl_cmd *
ctl_find(const char *name)
{
	size_t	i;

	for (i = 0; i < CTL_NCMDS; i++)
		if (strcmp(ctl_cmds[i].name, name) == 0)
			return (&ctl_cmds[i]);
	return (NULL);
}

static void
ctl_cmd_usage(const struct ctl_cmd *c, FILE *f)
{
	fprintf(f, "usage: %s %s %s\n  %s\n", ctl_progname, c->name, c->args,
	    c->help);
}

static int
ctl_help(int argc, char **argv)
{
	const struct ctl_cmd	*c;

	if (argc < 2 || strcmp(argv[1], "--help") == 0 ||
	    strcmp(argv[1], "-h") == 0) {
		ctl_usage(stdout);
		return (CTL_OK);
	}
	if ((c = ctl_find(argv[1])) == NULL) {
		fprintf(stderr, "%s: unknown command: %s\n", ctl_progname,
		    argv[1]);
		return (CTL_USAGE);
	}
	ctl_cmd_usage(c, stdout);
	return (CTL_OK);
}

/* Feeds the parser chunk by chunk: nothing holds the whole document. */
static int
ctl_parse_stream(FILE *f, struct parser *p)
{
	char	buf[65536];
	size_t	n;

	while ((n = fread(buf, 1, sizeof(buf), f)) > 0) {
		if (parse_feed(p, buf, n) != 0)
			break;	/* the error comes out of parse_finish */
	}
	return (ferror(f) ? -1 : 0);
}

struct ctl_parse_out {
	struct buf	buf;
	size_t		nitems;
	int		error;		/* a write failed */
};

#define CTL_PARSE_FLUSH	65536

static void
ctl_parse_flush(struct ctl_parse_out *o)
{
	if (o->buf.len != 0 && fwrite(o->buf.data, 1, o->buf.len, stdout) !=
	    o->buf.len)
		o->error = 1;
	buf_clear(&o->buf);
}

/*
 * Each item is written as the parser hands it over and freed, so memory
 * does not grow with the document: the items come first, one a line, and
 * the feed (complete only at the end) after them.
 */
static void
ctl_parse_item_cb(struct feed_item *it, void *arg)
{
	struct ctl_parse_out	*o = arg;

	buf_adds(&o->buf, o->nitems == 0 ? "{\"items\": [\n" : ",\n");
	json_feed_item_write(&o->buf, it, 0);
	feed_item_free(it);
	o->nitems++;
	if (o->buf.len >= CTL_PARSE_FLUSH)
		ctl_parse_flush(o);
}

static int
ctl_parse(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "base", required_argument, NULL, 'b' },
		{ "charset", required_argument, NULL, 'C' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	const struct ctl_cmd	*c = ctl_find("parse");
	struct ctl_parse_out	 out;
	struct parse_opts	 opts;
	struct parser		*p;
	struct feed_doc		*doc;
	const char		*path;
	char			*cause;
	json_t			*j, *feed;
	FILE			*f;
	size_t			 i;
	int			 ch, rc;

	memset(&opts, 0, sizeof(opts));
	optind = 0;	/* glibc: 0 re-initialises getopt for the command */
	while ((ch = getopt_long(argc, argv, "b:C:h", longopts, NULL)) != -1) {
		switch (ch) {
		case 'b':
			opts.base = optarg;
			break;
		case 'C':
			opts.charset = optarg;
			break;
		case 'h':
			ctl_cmd_usage(c, stdout);
			return (CTL_OK);
		default:
			ctl_cmd_usage(c, stderr);
			return (CTL_USAGE);
		}
	}
	if (argc - optind != 1) {
		ctl_cmd_usage(c, stderr);
		return (CTL_USAGE);
	}
	path = argv[optind];
	if (strcmp(path, "-") == 0)
		f = stdin;
	else if ((f = fopen(path, "rb")) == NULL) {
		fprintf(stderr, "%s: %s: %s\n", ctl_progname, path,
		    strerror(errno));
		return (CTL_FAILED);
	}
	memset(&out, 0, sizeof(out));
	/* Streamed items cost no memory: no cap on how many. */
	opts.max_items = SIZE_MAX;
	opts.item_cb = ctl_parse_item_cb;
	opts.item_arg = &out;
	p = parse_new(&opts);
	rc = ctl_parse_stream(f, p);
	if (rc != 0)
		fprintf(stderr, "%s: %s: read error: %s\n", ctl_progname,
		    path, strerror(errno));
	if (f != stdin)
		fclose(f);
	doc = parse_finish(p, &cause);
	parse_free(p);
	ctl_parse_flush(&out);
	buf_free(&out.buf);
	if (rc != 0) {
		feed_doc_free(doc);
		free(cause);
		return (CTL_FAILED);
	}
	if (doc == NULL) {
		fprintf(stderr, "%s: %s: %s\n", ctl_progname, path, cause);
		free(cause);
		return (CTL_FAILED);
	}
	for (i = 0; i < doc->nwarnings; i++)
		fprintf(stderr, "%s: %s: warning: %s\n", ctl_progname, path,
		    doc->warnings[i]);
	/* The items went out already: the document's JSON has none. */
	j = json_feed_doc(doc);
	feed_doc_free(doc);
	feed = json_object_get(j, "feed");
	if (fputs(out.nitems == 0 ? "{\"items\": [],\n\"feed\": " :
	    "\n],\n\"feed\": ", stdout) == EOF ||
	    json_dumpf(feed, stdout, 0) != 0 || fputs("}\n", stdout) == EOF)
		out.error = 1;
	json_decref(j);
	/* main() says why. */
	if (out.error || fflush(stdout) != 0)
		return (CTL_FAILED);
	return (CTL_OK);
}

/* --- daemon commands --- */

static client_notify_cb	ctl_notify;

/* The daemon's socket (client_socket_path()), or NULL, said: a usage
 * error, a config named that cannot be read. */
static char *
ctl_socket_path(void)
{
	char	*path, *cause = NULL;

	if ((path = client_socket_path(opt_socket, opt_config, &cause)) ==
	    NULL) {
		fprintf(stderr, "%s: %s\n", ctl_progname, cause);
		free(cause);
	}
	return (path);
}

/* One call to the daemon; returns the exit status and maybe "*result". */
static int
ctl_call(const char *method, json_t *params, json_t **result)
{
	struct client	*cl;
	char		*path, *cause = NULL;
	int		 rc;

	*result = NULL;
	if ((path = ctl_socket_path()) == NULL) {
		json_decref(params);
		return (CTL_USAGE);
	}
	if ((cl = client_open(path, &cause)) == NULL) {
		fprintf(stderr, "%s: %s\n", ctl_progname, cause);
		free(cause);
		free(path);
		json_decref(params);
		return (CTL_UNREACHABLE);
	}
	free(path);
	client_set_notify(cl, ctl_notify, NULL);
	rc = client_call(cl, method, params, result, &cause);
	json_decref(params);
	client_close(cl);
	if (rc == 0)
		return (CTL_OK);
	fprintf(stderr, "%s: %s\n", ctl_progname, cause);
	free(cause);
	return (rc == -1 ? CTL_FAILED : CTL_UNREACHABLE);
}

/* A command's own options: only --help, and "min..max" arguments. */
static int
ctl_plain_args(int argc, char **argv, const char *name, int min, int max)
{
	const struct ctl_cmd	*c = ctl_find(name);
	int			 i;

	for (i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--help") == 0 ||
		    strcmp(argv[i], "-h") == 0) {
			ctl_cmd_usage(c, stdout);
			return (-1);
		}
	}
	if (argc - 1 < min || (max >= 0 && argc - 1 > max)) {
		ctl_cmd_usage(c, stderr);
		return (-2);
	}
	return (0);
}

static void
ctl_print_json(json_t *j)
{
	char	*s = json_dumps(j, JSON_COMPACT);

	if (s != NULL)
		puts(s);
	free(s);
}

/* "3m ago" or "in 2h", from an RFC 3339 date; "-" for null. */
static const char *
ctl_reltime(json_t *j, char *buf, size_t len)
{
	int64_t	t;

	if (!json_is_string(j) ||
	    date_parse_rfc3339(json_string_value(j), &t) != 0) {
		snprintf(buf, len, "-");
		return (buf);
	}
	return (date_relative(t, (int64_t)time(NULL), buf, len));
}

/*
 * A feed's last poll: what came of it (the HTTP status, else "failed")
 * and when ("304 5m ago"); "-" when it was never polled.
 */
static const char *
ctl_polled(json_t *f, char *buf, size_t len)
{
	json_t		*st = json_object_get(f, "last_status");
	char		 when[32], what[16];
	int64_t		 t;

	if (!json_is_string(json_object_get(f, "last_poll")))
		return ("-");
	if (json_is_integer(st))
		snprintf(what, sizeof(what), "%lld",
		    (long long)json_integer_value(st));
	else
		snprintf(what, sizeof(what), "%s", json_is_string(
		    json_object_get(f, "last_error")) ? "failed" : "ok");
	/* A poll is never in the future, whatever the rounding said. */
	if (date_parse_rfc3339(json_string_value(json_object_get(f,
	    "last_poll")), &t) == 0 && t >= (int64_t)time(NULL))
		snprintf(buf, len, "%s now", what);
	else
		snprintf(buf, len, "%s %s", what, ctl_reltime(
		    json_object_get(f, "last_poll"), when, sizeof(when)));
	return (buf);
}

static int
ctl_width(void)
{
	struct winsize	ws;

	if (isatty(STDOUT_FILENO) && ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) ==
	    0 && ws.ws_col > 20)
		return (ws.ws_col);
	return (0);
}

static const char *
ctl_str(json_t *o, const char *key)
{
	const char	*s = json_string_value(json_object_get(o, key));

	return (s != NULL ? s : "-");
}

/*
 * The STATUS column: the protocol's status, with a feed that is not
 * polled told apart by why: "gone" (a 410 disabled it), "moved" (a
 * permanent redirect to a feed polled already), "disabled" (its [feed]
 * section says enabled = no), else "paused" (feedctl edit).
 */
static const char *
ctl_feed_status(json_t *f)
{
	json_int_t	st;

	if (json_is_true(json_object_get(f, "enabled")))
		return (ctl_str(f, "status"));
	st = json_integer_value(json_object_get(f, "last_status"));
	if (st == 410)
		return ("gone");
	if (st == 301 || st == 308)
		return ("moved");
	if (strcmp(ctl_str(f, "origin"), "config") == 0)
		return ("disabled");
	return ("paused");
}

/*
 * "s" in a column "cols" wide: control characters escaped as the output
 * filter would (term.c), then cut by display width, padded.
 */
static void
ctl_cell(struct buf *b, const char *s, size_t cols, int pad)
{
	char	*e = term_escape(s);
	size_t	 used = text_cut_width(b, e, cols);

	free(e);
	while (pad && used++ < cols)
		buf_addc(b, ' ');
}

/*
 * Feed records by id, asked once (watch prints an item at a time): the
 * items table names feeds, not numbers; NULL for one not there.
 */
static json_t *
ctl_feed_rec(int64_t id)
{
	static json_t	*feeds;
	json_t		*r, *f;
	size_t		 i;
	char		 key[32];

	if (feeds == NULL) {
		feeds = json_object();
		if (ctl_call("feeds.list", NULL, &r) == CTL_OK) {
			json_array_foreach(json_object_get(r, "feeds"), i, f) {
				snprintf(key, sizeof(key), "%lld", (long long)
				    json_integer_value(json_object_get(f,
				    "id")));
				json_object_set(feeds, key, f);
			}
		}
		json_decref(r);
	}
	snprintf(key, sizeof(key), "%lld", (long long)id);
	return (json_object_get(feeds, key));
}

/* A feed's title, else its URL; NULL for a feed not there. */
static const char *
ctl_feed_title(int64_t id)
{
	json_t	*f = ctl_feed_rec(id);

	if (json_is_string(json_object_get(f, "title")))
		return (json_string_value(json_object_get(f, "title")));
	return (json_string_value(json_object_get(f, "url")));
}

#define CTL_FEED_COLUMNS	18

/*
 * A list: one JSON object a line with --json; else a table, which on a
 * terminal gets a header, an unread marker, feed titles and titles cut
 * to the width (display columns: East Asian wide characters count two).
 */
/* When an item is from: published, else updated, else fetched. */
static json_t *
ctl_item_date(json_t *it)
{
	json_t	*d;

	if (json_is_string(d = json_object_get(it, "published")) ||
	    json_is_string(d = json_object_get(it, "updated")))
		return (d);
	return (json_object_get(it, "fetched"));
}

/*
 * An item record's headline (headline.h): its title, else the first
 * words of its text or its enclosure's file name, as mail and chat name
 * it; else "none".
 */
static char *
ctl_headline(json_t *it, const char *none)
{
	json_t		*e;
	const char	**urls;
	char		 *s;
	size_t		  i, n = 0;

	urls = xcalloc(json_array_size(json_object_get(it, "enclosures")) + 1,
	    sizeof(*urls));
	json_array_foreach(json_object_get(it, "enclosures"), i, e)
		if (json_is_string(json_object_get(e, "url")))
			urls[n++] = json_string_value(json_object_get(e, "url"));
	s = headline(json_string_value(json_object_get(it, "title")),
	    json_string_value(json_object_get(it, "content")),
	    json_string_value(json_object_get(it, "summary")), urls, n);
	free(urls);
	return (s != NULL ? s : xstrdup(none));
}

static void
ctl_print_items(json_t *items)
{
	static int	 header;
	json_t		*it;
	size_t		 i;
	char		 t[32], id[32], *title;
	int		 w = ctl_width(), room;
	const char	*feed;
	struct buf	 b = { NULL, 0, 0 };

	json_array_foreach(items, i, it) {
		if (opt_json) {
			ctl_print_json(it);
			continue;
		}
		title = ctl_headline(it, "-");
		ctl_reltime(ctl_item_date(it), t, sizeof(t));
		if (w == 0) {
			/* Not a terminal: the plain columns scripts read. */
			printf("%8lld  %-12s %5lld  %s\n",
			    (long long)json_integer_value(json_object_get(it,
			    "id")), t, (long long)json_integer_value(
			    json_object_get(it, "feed_id")), title);
			free(title);
			continue;
		}
		if (!header++)
			printf("  %7s  %-12s %-*s  %s\n", "ID", "WHEN",
			    CTL_FEED_COLUMNS, "FEED", "TITLE");
		feed = ctl_feed_title(json_integer_value(json_object_get(it,
		    "feed_id")));
		snprintf(id, sizeof(id), "%lld", (long long)
		    json_integer_value(json_object_get(it, "id")));
		buf_clear(&b);
		buf_adds(&b, json_is_true(json_object_get(it, "read")) ?
		    "  " : "* ");
		for (room = (int)strlen(id); room < 7; room++)
			buf_addc(&b, ' ');
		buf_adds(&b, id);
		buf_adds(&b, "  ");
		ctl_cell(&b, t, 12, 1);
		buf_addc(&b, ' ');
		ctl_cell(&b, feed != NULL ? feed : "-", CTL_FEED_COLUMNS, 1);
		buf_adds(&b, "  ");
		room = w - 2 - 7 - 2 - 12 - 1 - CTL_FEED_COLUMNS - 2;
		ctl_cell(&b, title, room > 10 ? (size_t)room : 10, 0);
		free(title);
		puts(b.data);
	}
	buf_free(&b);
}

/*
 * A queue's rows as people count them: "pending" holds the ones under
 * way too, which are not waiting; "N in flight" only when there are.
 */
static void
ctl_status_queue(char *s, size_t len, long long pending, long long flight)
{
	if (flight > pending)
		flight = pending;
	if (flight > 0)
		snprintf(s, len, "%lld waiting, %lld in flight",
		    pending - flight, flight);
	else
		snprintf(s, len, "%lld waiting", pending);
}

/* One line per notifier: its queue, and what went wrong last. */
static void
ctl_status_notifiers(json_t *a)
{
	json_t	*n;
	size_t	 i;
	char	 queue[64], next[64], when[32], failed[32];

	json_array_foreach(a, i, n) {
		/* Null: the database that holds the queue is out of reach. */
		if (!json_is_integer(json_object_get(n, "pending")))
			snprintf(queue, sizeof(queue), "queue unknown");
		else
			ctl_status_queue(queue, sizeof(queue),
			    (long long)json_integer_value(json_object_get(n,
			    "pending")),
			    (long long)json_integer_value(json_object_get(n,
			    "in_flight")));
		next[0] = '\0';
		if (json_is_string(json_object_get(n, "next_attempt")))
			snprintf(next, sizeof(next), "; next attempt %s",
			    ctl_reltime(json_object_get(n, "next_attempt"),
			    when, sizeof(when)));
		if (json_is_integer(json_object_get(n, "failed")))
			snprintf(failed, sizeof(failed), ", %lld failed",
			    (long long)json_integer_value(json_object_get(n,
			    "failed")));
		else
			failed[0] = '\0';
		printf("  %-12s %-7s %s%s, %lld delivered"
		    "%s%s%s%s%s\n", ctl_str(n, "name"), ctl_str(n, "type"),
		    queue, failed,
		    (long long)json_integer_value(json_object_get(n,
		    "delivered")), next,
		    json_is_string(json_object_get(n, "paused_until")) ?
		    "; paused until " : "",
		    json_is_string(json_object_get(n, "paused_until")) ?
		    ctl_str(n, "paused_until") : "",
		    json_is_string(json_object_get(n, "last_error")) ?
		    "; last error: " : "",
		    json_is_string(json_object_get(n, "last_error")) ?
		    ctl_str(n, "last_error") : "");
	}
}

/* One line per node sharing the database (PostgreSQL only). */
static void
ctl_status_nodes(json_t *a)
{
	json_t	*n;
	size_t	 i;

	if (!json_is_array(a))
		return;
	printf("nodes:    %zu\n", json_array_size(a));
	json_array_foreach(a, i, n) {
		printf("  %s  feedd %s, heartbeat %llds ago%s%s, %lld feeds "
		    "and %lld deliveries leased%s\n", ctl_str(n, "owner"),
		    ctl_str(n, "version"),
		    (long long)json_integer_value(json_object_get(n,
		    "heartbeat_age")),
		    json_is_true(json_object_get(n, "stale")) ?
		    " (stale)" : "",
		    json_is_false(json_object_get(n, "connected")) ?
		    " (disconnected)" : "",
		    (long long)json_integer_value(json_object_get(n,
		    "feeds_leased")),
		    (long long)json_integer_value(json_object_get(n,
		    "outbox_leased")),
		    json_is_true(json_object_get(n, "this")) ?
		    " (this node)" : "");
	}
}

static int
ctl_status(int argc, char **argv)
{
	json_t		*r, *n, *ce, *down;
	size_t		 i;
	long long	 flight = 0;
	char		 queue[64], when[32];
	int		 rc;

	if ((rc = ctl_plain_args(argc, argv, "status", 0, 0)) != 0)
		return (rc == -1 ? CTL_OK : CTL_USAGE);
	if ((rc = ctl_call("status", NULL, &r)) != CTL_OK)
		return (rc);
	if (opt_json) {
		ctl_print_json(r);
		json_decref(r);
		return (CTL_OK);
	}
	printf("feedd %s, up %llds\n", ctl_str(r, "version"),
	    (long long)json_integer_value(json_object_get(r, "uptime")));
	/*
	 * The database out of reach: the daemon answers from its own state
	 * and the counts only the database holds are null.  An operator
	 * asks during an outage, so it comes first, and it is no error.
	 */
	down = json_object_get(r, "database_unreachable");
	if (json_is_object(down)) {
		if (json_is_string(json_object_get(down, "since")))
			printf("database: cannot be reached since %s (%s): "
			    "%s\n", ctl_str(down, "since"), ctl_reltime(
			    json_object_get(down, "since"), when, sizeof(when)),
			    ctl_str(down, "error"));
		else
			printf("database: cannot be reached: %s\n",
			    ctl_str(down, "error"));
		printf("feeds:    counts unknown until the database is back; "
		    "%lld polling now\n", (long long)json_integer_value(
		    json_object_get(r, "polling")));
		printf("notifier: queue unknown until the database is back\n");
	} else {
		/* The whole queue's rows under way: the notifiers' together. */
		json_array_foreach(json_object_get(r, "notifiers"), i, n)
			flight += (long long)json_integer_value(
			    json_object_get(n, "in_flight"));
		ctl_status_queue(queue, sizeof(queue),
		    (long long)json_integer_value(json_object_get(
		    json_object_get(r, "notifier_queue"), "pending")), flight);
		printf("feeds:    %lld (%lld failing), %lld polling now\n"
		    "items:    %lld (%lld unread), newest id %lld\n"
		    "notifier: %s, %lld failed\n",
		    (long long)json_integer_value(json_object_get(r, "feeds")),
		    (long long)json_integer_value(json_object_get(r, "errors")),
		    (long long)json_integer_value(json_object_get(r, "polling")),
		    (long long)json_integer_value(json_object_get(r, "items")),
		    (long long)json_integer_value(json_object_get(r, "unread")),
		    (long long)json_integer_value(json_object_get(r,
		    "last_item")), queue,
		    (long long)json_integer_value(json_object_get(
		    json_object_get(r, "notifier_queue"), "failed")));
	}
	if (json_integer_value(json_object_get(r, "search_lag")) > 0)
		printf("search:   %lld items or changes still to index\n",
		    (long long)json_integer_value(json_object_get(r,
		    "search_lag")));
	/* Out of reach, the database is why nothing is stored: said above. */
	if (!json_is_object(down) &&
	    json_is_string(json_object_get(r, "store_error")))
		printf("store:    cannot write: %s\n", ctl_str(r,
		    "store_error"));
	if (json_is_object(json_object_get(r, "config_error"))) {
		ce = json_object_get(r, "config_error");
		printf("config:   a reload failed %s, running on the "
		    "configuration before it: %s\n", ctl_reltime(
		    json_object_get(ce, "since"), when, sizeof(when)),
		    ctl_str(ce, "error"));
	}
	ctl_status_notifiers(json_object_get(r, "notifiers"));
	ctl_status_nodes(json_object_get(r, "nodes"));
	json_decref(r);
	return (CTL_OK);
}

static int
ctl_import(int argc, char **argv)
{
	struct buf	 b = { NULL, 0, 0 };
	json_t		*r, *o;
	FILE		*f;
	char		 chunk[65536];
	size_t		 n, i;
	int		 rc;

	if ((rc = ctl_plain_args(argc, argv, "import", 1, 1)) != 0)
		return (rc == -1 ? CTL_OK : CTL_USAGE);
	if (strcmp(argv[1], "-") == 0)
		f = stdin;
	else if ((f = fopen(argv[1], "r")) == NULL) {
		fprintf(stderr, "%s: %s: %s\n", ctl_progname, argv[1],
		    strerror(errno));
		return (CTL_FAILED);
	}
	while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0)
		buf_add(&b, chunk, n);
	if (ferror(f)) {	/* a folder, say: EISDIR */
		fprintf(stderr, "%s: %s: %s\n", ctl_progname, argv[1],
		    strerror(errno));
		if (f != stdin)
			fclose(f);
		buf_free(&b);
		return (CTL_FAILED);
	}
	if (f != stdin)
		fclose(f);
	if (b.len == 0 || memchr(b.data, '\0', b.len) != NULL) {
		fprintf(stderr, "%s: %s: empty or not text\n", ctl_progname,
		    argv[1]);
		buf_free(&b);
		return (CTL_FAILED);
	}
	rc = ctl_call("opml.import", json_pack("{s:s}", "opml", b.data), &r);
	buf_free(&b);
	if (rc != CTL_OK)
		return (rc);
	json_array_foreach(json_object_get(r, "outlines"), i, o) {
		if (opt_json)
			ctl_print_json(o);
		else if (json_is_string(json_object_get(o, "reason")) &&
		    json_integer_value(json_object_get(o, "line")) > 0)
			/* The line, for an entry that is not what it meant. */
			printf("%-8s %s (line %lld): %s\n", ctl_str(o,
			    "result"), ctl_str(o, "url"), (long long)
			    json_integer_value(json_object_get(o, "line")),
			    ctl_str(o, "reason"));
		else
			printf("%-8s %s%s%s\n", ctl_str(o, "result"),
			    ctl_str(o, "url"), json_is_string(
			    json_object_get(o, "reason")) ? ": " : "",
			    json_is_string(json_object_get(o, "reason")) ?
			    ctl_str(o, "reason") : "");
	}
	if (!opt_json)
		printf("%lld added, %lld already present, %lld invalid, "
		    "%lld not supported\n",
		    (long long)json_integer_value(json_object_get(r, "added")),
		    (long long)json_integer_value(json_object_get(r,
		    "present")),
		    (long long)json_integer_value(json_object_get(r,
		    "invalid")),
		    (long long)json_integer_value(json_object_get(r,
		    "unsupported")));
	if (!opt_json && json_integer_value(json_object_get(r, "added")) > 0)
		printf("the new feeds are polled within a minute; "
		    "'%s poll --wait' polls them now\n", ctl_progname);
	json_decref(r);
	return (CTL_OK);
}

static int
ctl_export(int argc, char **argv)
{
	json_t	*r;
	int	 rc;

	if ((rc = ctl_plain_args(argc, argv, "export", 0, 0)) != 0)
		return (rc == -1 ? CTL_OK : CTL_USAGE);
	if ((rc = ctl_call("opml.export", NULL, &r)) != CTL_OK)
		return (rc);
	if (opt_json)
		ctl_print_json(r);
	else
		fputs(ctl_str(r, "opml"), stdout);
	json_decref(r);
	return (fflush(stdout) == 0 ? CTL_OK : CTL_FAILED);
}

static int
ctl_metrics(int argc, char **argv)
{
	json_t	*r;
	int	 rc;

	if ((rc = ctl_plain_args(argc, argv, "metrics", 0, 0)) != 0)
		return (rc == -1 ? CTL_OK : CTL_USAGE);
	if ((rc = ctl_call("metrics", NULL, &r)) != CTL_OK)
		return (rc);
	if (opt_json)
		ctl_print_json(r);
	else
		fputs(ctl_str(r, "text"), stdout);
	json_decref(r);
	return (CTL_OK);
}

/* When a queued delivery goes: "parked", "sending", "now", "in 5m". */
static const char *
ctl_delivery_next(json_t *d, char *buf, size_t len)
{
	int64_t	t;

	if (json_is_true(json_object_get(d, "parked")))
		return ("parked");
	if (json_is_true(json_object_get(d, "in_flight")))
		return ("sending");
	/* Due when the daemon answered: "now", not "1s ago". */
	if (date_parse_rfc3339(ctl_str(d, "next_attempt"), &t) == 0 &&
	    t <= (int64_t)time(NULL))
		return ("now");
	return (ctl_reltime(json_object_get(d, "next_attempt"), buf, len));
}

/*
 * notify list NAME [--parked] [--limit N]: a notifier's queued
 * deliveries, oldest first; a line each (with --json, an object each),
 * and the last error under the title.
 */
static int
ctl_notify_list(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "parked", no_argument, NULL, 'p' },
		{ "limit", required_argument, NULL, 'l' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	struct buf	 b = { NULL, 0, 0 };
	json_t		*r, *d, *params;
	long long	 limit = 0, total;
	size_t		 i, n;
	char		 when[32];
	int		 ch, rc, parked = 0, w = ctl_width();

	optind = 0;
	while ((ch = getopt_long(argc, argv, "pl:h", longopts, NULL)) != -1) {
		switch (ch) {
		case 'p':
			parked = 1;
			break;
		case 'l':
			if ((limit = ctl_num_arg("--limit", optarg, 1,
			    CTL_LIMIT_MAX)) < 0)
				goto usage;
			break;
		case 'h':
			ctl_cmd_usage(ctl_find("notify"), stdout);
			return (CTL_OK);
		default:
			goto usage;
		}
	}
	if (optind != argc - 1) {
usage:
		ctl_cmd_usage(ctl_find("notify"), stderr);
		return (CTL_USAGE);
	}
	params = json_pack("{s:s}", "name", argv[optind]);
	if (parked)
		json_object_set_new(params, "parked", json_true());
	if (limit > 0)
		json_object_set_new(params, "limit", json_integer(limit));
	if ((rc = ctl_call("notify.list", params, &r)) != CTL_OK)
		return (rc);
	n = json_array_size(json_object_get(r, "deliveries"));
	total = (long long)json_integer_value(json_object_get(r, "failed"));
	if (!parked)
		total += (long long)json_integer_value(json_object_get(r,
		    "pending"));
	if (!opt_json && n == 0)
		printf("%s: no %s\n", argv[optind], parked ?
		    "parked deliveries" : "deliveries queued");
	else if (!opt_json)
		printf("%8s %8s  %-8s %s\n", "ITEM", "ATTEMPTS", "NEXT",
		    "TITLE / LAST ERROR");
	json_array_foreach(json_object_get(r, "deliveries"), i, d) {
		if (opt_json) {
			ctl_print_json(d);
			continue;
		}
		buf_clear(&b);
		ctl_cell(&b, ctl_str(d, "title"), w > 40 ? (size_t)w - 28 :
		    (size_t)-1, 0);
		printf("%8lld %8lld  %-8s %s\n",
		    (long long)json_integer_value(json_object_get(d,
		    "item_id")),
		    (long long)json_integer_value(json_object_get(d,
		    "attempts")), ctl_delivery_next(d, when, sizeof(when)),
		    b.data);
		if (!json_is_string(json_object_get(d, "last_error")))
			continue;
		buf_clear(&b);
		ctl_cell(&b, ctl_str(d, "last_error"), w > 40 ?
		    (size_t)w - 28 : (size_t)-1, 0);
		printf("%8s %8s  %-8s %s\n", "", "", "", b.data);
	}
	if (!opt_json && n > 0 && (long long)n < total)
		printf("(the oldest %zu of %lld; --limit shows more)\n", n,
		    total);
	buf_free(&b);
	json_decref(r);
	return (CTL_OK);
}

static int
ctl_notifier(int argc, char **argv)
{
	json_t		*r;
	long long	 parked, waiting;
	int		 rc, test;

	if (argc >= 2 && strcmp(argv[1], "list") == 0)
		return (ctl_notify_list(argc - 1, argv + 1));
	if ((rc = ctl_plain_args(argc, argv, "notify", 2, 2)) != 0)
		return (rc == -1 ? CTL_OK : CTL_USAGE);
	test = strcmp(argv[1], "test") == 0;
	if (!test && strcmp(argv[1], "retry") != 0) {
		fprintf(stderr, "%s: notify: unknown action \"%s\" (test, "
		    "retry or list)\n", ctl_progname, argv[1]);
		return (CTL_USAGE);
	}
	if ((rc = ctl_call(test ? "notify.test" : "notify.retry",
	    json_pack("{s:s}", "name", argv[2]), &r)) != CTL_OK)
		return (rc);
	if (opt_json)
		ctl_print_json(r);
	else if (test)
		printf("%s: the sample item was delivered\n", argv[2]);
	else {
		parked = (long long)json_integer_value(json_object_get(r,
		    "parked"));
		waiting = (long long)json_integer_value(json_object_get(r,
		    "waiting"));
		if (parked == 0 && waiting == 0)
			printf("%s: no deliveries were parked or waiting\n",
			    argv[2]);
		else
			printf("%s: %lld %s due again (%lld parked, %lld "
			    "waiting)\n", argv[2], parked + waiting, parked +
			    waiting == 1 ? "delivery is" : "deliveries are",
			    parked, waiting);
	}
	json_decref(r);
	return (CTL_OK);
}

/* What a consumer takes, in words: its feed and tag, or every item. */
static void
ctl_consumer_takes(json_t *c, struct buf *b)
{
	json_t	*feed = json_object_get(c, "feed");

	if (json_is_string(feed)) {
		buf_adds(b, "feed ");
		buf_adds(b, json_string_value(feed));
		if (!json_is_integer(json_object_get(c, "feed_id")))
			buf_adds(b, " (not subscribed now)");
	}
	if (json_is_string(json_object_get(c, "tag"))) {
		buf_adds(b, b->len > 0 ? ", tag " : "tag ");
		buf_adds(b, ctl_str(c, "tag"));
	}
	if (b->len == 0)
		buf_adds(b, "every item");
}

static int
ctl_consumers(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "remove", required_argument, NULL, 'r' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	json_t		*r, *c;
	const char	*remove = NULL;
	size_t		 i;
	char		 t[32];
	int		 ch, rc;
	struct buf	 b = { NULL, 0, 0 }, name = { NULL, 0, 0 };

	optind = 0;
	while ((ch = getopt_long(argc, argv, "r:h", longopts, NULL)) != -1) {
		switch (ch) {
		case 'r':
			remove = optarg;
			break;
		case 'h':
			ctl_cmd_usage(ctl_find("consumers"), stdout);
			return (CTL_OK);
		default:
			ctl_cmd_usage(ctl_find("consumers"), stderr);
			return (CTL_USAGE);
		}
	}
	if (optind < argc) {
		ctl_cmd_usage(ctl_find("consumers"), stderr);
		return (CTL_USAGE);
	}
	if (remove != NULL) {
		if ((rc = ctl_call("consumer.remove", json_pack("{s:s}",
		    "name", remove), &r)) != CTL_OK)
			return (rc);
		if (opt_json)
			ctl_print_json(r);
		else
			printf("consumer %s removed\n", remove);
		json_decref(r);
		return (CTL_OK);
	}
	if ((rc = ctl_call("consumer.list", json_object(), &r)) != CTL_OK)
		return (rc);
	if (!opt_json)
		printf("%-16s %8s %8s  %-10s %s\n", "NAME", "UNACKED",
		    "CURSOR", "MOVED", "TAKES");
	json_array_foreach(json_object_get(r, "consumers"), i, c) {
		if (opt_json) {
			ctl_print_json(c);
			continue;
		}
		buf_clear(&b);
		buf_clear(&name);
		ctl_consumer_takes(c, &b);
		ctl_cell(&name, ctl_str(c, "name"), 16, 1);
		printf("%s %8lld %8lld  %-10s %s\n", name.data,
		    (long long)json_integer_value(json_object_get(c,
		    "unacked")),
		    (long long)json_integer_value(json_object_get(c,
		    "cursor")),
		    ctl_reltime(json_object_get(c, "updated"), t, sizeof(t)),
		    b.data);
	}
	buf_free(&b);
	buf_free(&name);
	json_decref(r);
	return (CTL_OK);
}

static int
ctl_feeds(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "tag", required_argument, NULL, 't' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	json_t		*r, *f, *params = json_object();
	size_t		 i;
	char		 t1[64], t2[32];
	int		 ch, rc, w = ctl_width();
	struct buf	 b = { NULL, 0, 0 };

	optind = 0;
	while ((ch = getopt_long(argc, argv, "t:h", longopts, NULL)) != -1) {
		switch (ch) {
		case 't':
			json_object_set_new(params, "tag", json_string(optarg));
			break;
		case 'h':
			ctl_cmd_usage(ctl_find("feeds"), stdout);
			json_decref(params);
			return (CTL_OK);
		default:
			ctl_cmd_usage(ctl_find("feeds"), stderr);
			json_decref(params);
			return (CTL_USAGE);
		}
	}
	if ((rc = ctl_call("feeds.list", params, &r)) != CTL_OK)
		return (rc);
	if (!opt_json)
		printf("%5s  %-8s %6s %6s  %-14s %-10s %s\n", "ID", "STATUS",
		    "ITEMS", "UNREAD", "POLLED", "NEXT", "TITLE / ERROR");
	json_array_foreach(json_object_get(r, "feeds"), i, f) {
		if (opt_json) {
			ctl_print_json(f);
			continue;
		}
		buf_clear(&b);
		ctl_cell(&b, json_is_string(json_object_get(f,
		    "last_error")) ? ctl_str(f, "last_error") :
		    json_is_string(json_object_get(f, "title")) ?
		    ctl_str(f, "title") : ctl_str(f, "url"),
		    w > 64 ? (size_t)w - 59 : (size_t)-1, 0);
		/* A feed that is not polled has no next poll to show. */
		printf("%5lld  %-8s %6lld %6lld  %-14s %-10s %s\n",
		    (long long)json_integer_value(json_object_get(f, "id")),
		    ctl_feed_status(f),
		    (long long)json_integer_value(json_object_get(f, "items")),
		    (long long)json_integer_value(json_object_get(f,
		    "unread")),
		    ctl_polled(f, t1, sizeof(t1)),
		    json_is_true(json_object_get(f, "enabled")) ?
		    ctl_reltime(json_object_get(f, "next_poll"), t2,
		    sizeof(t2)) : "-", b.data);
	}
	buf_free(&b);
	json_decref(r);
	return (CTL_OK);
}

/* The per-feed settings add and edit take (feedopt.h's keys). */
#define CTL_FEEDOPT_LONGOPTS						\
	{ "user-agent", required_argument, NULL, 1000 },		\
	{ "header", required_argument, NULL, 1001 },			\
	{ "cookie", required_argument, NULL, 1002 },			\
	{ "username", required_argument, NULL, 1003 },			\
	{ "password", required_argument, NULL, 1004 },			\
	{ "password-file", required_argument, NULL, 1005 },		\
	{ "proxy", required_argument, NULL, 1006 },			\
	{ "charset", required_argument, NULL, 1007 },			\
	{ "timeout", required_argument, NULL, 1008 },			\
	{ "max-feed-size", required_argument, NULL, 1009 },		\
	{ "notify-first-poll", required_argument, NULL, 1010 }

static const char *const ctl_feedopt_keys[] = { "user_agent", "headers",
    "cookie", "username", "password", "password_file", "proxy", "charset",
    "timeout", "max_feed_size", "notify_first_poll" };

/*
 * One of CTL_FEEDOPT_LONGOPTS into "options"; 0, or -1 when "ch" is not
 * one.  --password - reads the password from standard input, so it is
 * not in the process list; --header adds to the list ("" empties it).
 */
static int
ctl_feedopt(int ch, const char *arg, json_t *options)
{
	const char	*key;
	char		 line[4096];
	json_t		*h;

	if (ch < 1000 || ch > 1010)
		return (-1);
	key = ctl_feedopt_keys[ch - 1000];
	if (ch == 1004 && strcmp(arg, "-") == 0) {
		if (fgets(line, sizeof(line), stdin) == NULL)
			line[0] = '\0';
		line[strcspn(line, "\r\n")] = '\0';
		json_object_set_new(options, key, json_string(line));
		explicit_bzero(line, sizeof(line));
		return (0);
	}
	if (ch == 1005 && *arg != '\0' && *arg != '/') {
		char	*abs = realpath(arg, NULL);

		json_object_set_new(options, key, json_string(abs != NULL ?
		    abs : arg));
		free(abs);
		return (0);
	}
	if (ch == 1001) {
		if ((h = json_object_get(options, key)) == NULL) {
			h = json_array();
			json_object_set_new(options, key, h);
		}
		if (*arg != '\0')
			json_array_append_new(h, json_string(arg));
		return (0);
	}
	json_object_set_new(options, key, json_string(arg));
	return (0);
}

/* FEED on the command line: an id, else a URL. */
static json_t *
ctl_feed_arg(const char *s)
{
	char		*end;
	long long	 id = strtoll(s, &end, 10);

	if (*s != '\0' && *end == '\0' && id > 0)
		return (json_integer(id));
	return (json_string(s));
}

static int
ctl_add(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "title", required_argument, NULL, 'T' },
		{ "tag", required_argument, NULL, 't' },
		{ "interval", required_argument, NULL, 'i' },
		{ "no-check", no_argument, NULL, 'n' },
		{ "pick", required_argument, NULL, 'p' },
		{ "help", no_argument, NULL, 'h' },
		CTL_FEEDOPT_LONGOPTS,
		{ NULL, 0, NULL, 0 }
	};
	json_t		*r, *params = json_object(), *tags = json_array();
	json_t		*options = json_object();
	struct feedopt	 creds;
	const char	*url, *page;
	char		*end, *bare;
	long long	 pick, id;
	int		 ch, rc, no_check = 0, given = 0;

	optind = 0;
	while ((ch = getopt_long(argc, argv, "T:t:i:np:h", longopts, NULL)) !=
	    -1) {
		switch (ch) {
		case 'n':
			json_object_set_new(params, "no_check", json_true());
			no_check = 1;
			break;
		case 'p':
			pick = strtoll(optarg, &end, 10);
			if (*optarg == '\0' || *end != '\0' || pick < 1) {
				fprintf(stderr, "feedctl: --pick: want a "
				    "number from 1\n");
				goto usage;
			}
			json_object_set_new(params, "pick",
			    json_integer(pick));
			break;
		case 'T':
			json_object_set_new(params, "title",
			    json_string(optarg));
			break;
		case 't':
			json_array_append_new(tags, json_string(optarg));
			break;
		case 'i':
			json_object_set_new(params, "interval",
			    json_string(optarg));
			break;
		case 'h':
			ctl_cmd_usage(ctl_find("add"), stdout);
			json_decref(params);
			json_decref(tags);
			json_decref(options);
			return (CTL_OK);
		default:
			if (ctl_feedopt(ch, optarg, options) == 0)
				break;
			goto usage;
		}
	}
	if (argc - optind != 1)
		goto usage;
	/* --pick chooses among the feeds the check finds on a page. */
	if (no_check && json_object_get(params, "pick") != NULL) {
		fprintf(stderr, "feedctl: --pick needs the check, which "
		    "finds the feeds to pick from: not with --no-check\n");
		goto usage;
	}
	/* What an add of a feed subscribed already does not apply; the
	 * credentials in a URL (user:password@) are settings too. */
	feedopt_init(&creds);
	bare = feedopt_take_userinfo(&creds, argv[optind]);
	given = json_object_get(params, "title") != NULL ||
	    json_object_get(params, "interval") != NULL ||
	    json_array_size(tags) > 0 || json_object_size(options) > 0 ||
	    strcmp(bare, argv[optind]) != 0;
	free(bare);
	feedopt_clear(&creds);
	json_object_set_new(params, "url", json_string(argv[optind]));
	json_object_set_new(params, "tags", tags);
	json_object_set_new(params, "options", options);
	if ((rc = ctl_call("feeds.add", params, &r)) != CTL_OK)
		return (rc);
	id = (long long)json_integer_value(json_object_get(r, "id"));
	url = json_string_value(json_object_get(r, "url"));
	/*
	 * An add of a feed subscribed already changes nothing (the
	 * protocol's feeds.add): what was given with it must not seem
	 * applied, in either output.
	 */
	if (json_is_true(json_object_get(r, "already")) && given)
		fprintf(stderr, "feedctl: already subscribed: feed %lld, %s; "
		    "the title, tags, interval and settings given were not "
		    "applied: 'feedctl edit %lld' changes them\n", id, url,
		    id);
	if (opt_json)
		ctl_print_json(r);
	else {
		/* The id alone on stdout, as scripts read it; the rest is
		 * for the person who typed the command. */
		printf("%lld\n", id);
		page = json_string_value(json_object_get(r, "found_on"));
		if (json_is_true(json_object_get(r, "already"))) {
			if (!given)
				fprintf(stderr, "feedctl: already subscribed: "
				    "feed %lld, %s\n", id, url);
		} else if (page != NULL)
			fprintf(stderr, "feedctl: subscribed to %s (named by "
			    "%s)\n", url, page);
		else
			fprintf(stderr, "feedctl: subscribed to %s\n", url);
		if (json_is_integer(json_object_get(r, "page_feed")))
			fprintf(stderr, "feedctl: feed %lld is that page "
			    "itself, which is not a feed: 'feedctl remove "
			    "%lld' drops it\n", (long long)json_integer_value(
			    json_object_get(r, "page_feed")), (long long)
			    json_integer_value(json_object_get(r,
			    "page_feed")));
	}
	json_decref(r);
	return (CTL_OK);
usage:
	ctl_cmd_usage(ctl_find("add"), stderr);
	json_decref(params);
	json_decref(tags);
	json_decref(options);
	return (CTL_USAGE);
}

/* "-" for a null or missing duration in seconds, else "90s", "5m". */
static const char *
ctl_duration(json_t *j, char *buf, size_t len)
{
	if (!json_is_integer(j) || json_integer_value(j) <= 0) {
		snprintf(buf, len, "-");
		return (buf);
	}
	return (conf_duration_str(json_integer_value(j), buf, len));
}

/* The numbers of a JSON array, space-separated, through names if given. */
static void
ctl_print_list(json_t *a, const char *const *names, int nnames)
{
	json_t		*v;
	json_int_t	 n;
	size_t		 i;

	if (json_array_size(a) == 0) {
		fputs("-", stdout);
		return;
	}
	json_array_foreach(a, i, v) {
		n = json_integer_value(v);
		if (names != NULL && n >= 0 && n < nnames)
			printf("%s%s", i > 0 ? " " : "", names[n]);
		else
			printf("%s%lld", i > 0 ? " " : "", (long long)n);
	}
}

/*
 * feeds.explain for a person: one "label: value" line each, the rules
 * and their latest decisions last.  (stdout is the terminal filter, so
 * what the feed put in a title or error reaches no terminal raw.)
 */
static void
ctl_print_explain(json_t *r)
{
	static const char *const days[] = { "Sun", "Mon", "Tue", "Wed",
	    "Thu", "Fri", "Sat" };
	json_t		*h = json_object_get(r, "hints"), *rules, *v;
	json_int_t	 n;
	char		 t1[32], t2[32];
	size_t		 i;

	printf("feed %lld: %s\n", (long long)json_integer_value(
	    json_object_get(r, "id")), ctl_str(r, "url"));
	printf("next poll:   %s", ctl_reltime(json_object_get(r, "next_poll"),
	    t1, sizeof(t1)));
	if (json_is_string(json_object_get(r, "next_poll")))
		printf(" (%s)", ctl_str(r, "next_poll"));
	printf("\nbecause:     %s\n", ctl_str(r, "next_poll_reason"));
	if (json_is_integer(json_object_get(r, "interval")))
		printf("interval:    %s, set for this feed\n", ctl_duration(
		    json_object_get(r, "interval"), t1, sizeof(t1)));
	else
		printf("interval:    %s\n", ctl_str(r, "interval_source"));
	printf("hints:       ttl %s, update period %s, skip hours ",
	    ctl_duration(json_object_get(h, "ttl"), t1, sizeof(t1)),
	    ctl_duration(json_object_get(h, "update_period"), t2, sizeof(t2)));
	ctl_print_list(json_object_get(h, "skip_hours"), NULL, 0);
	fputs(json_array_size(json_object_get(h, "skip_hours")) > 0 ?
	    " (UTC), skip days " : ", skip days ", stdout);
	ctl_print_list(json_object_get(h, "skip_days"), days, 7);
	printf("\nerrors:      %lld", (long long)json_integer_value(
	    json_object_get(r, "errors")));
	if (json_is_string(json_object_get(r, "last_error")))
		printf(", the last: %s", ctl_str(r, "last_error"));
	if (json_is_string(json_object_get(r, "retry_after")))
		printf("\nretry after: %s (%s)", ctl_reltime(json_object_get(r,
		    "retry_after"), t1, sizeof(t1)), ctl_str(r, "retry_after"));
	putchar('\n');
	if (strcmp(ctl_str(r, "items_matched_by"), "link") == 0)
		printf("items:       matched by link, since the feed gave its "
		    "items new GUIDs (a GUID storm)\n");
	rules = json_object_get(r, "rules");
	json_array_foreach(json_object_get(rules, "rules"), i, v) {
		n = json_integer_value(json_object_get(v, "items"));
		printf("rule %s: %s, %lld item%s\n", ctl_str(v, "rule"),
		    ctl_str(v, "action"), (long long)n, n == 1 ? "" : "s");
	}
	json_array_foreach(json_object_get(rules, "decisions"), i, v)
		printf("  %s by %s: %s\n", ctl_str(v, "action"),
		    ctl_str(v, "rule"), ctl_str(v, "title"));
}

static int
ctl_feed_command(int argc, char **argv, const char *name, const char *method)
{
	json_t	*r;
	int	 rc;

	if ((rc = ctl_plain_args(argc, argv, name, 1, 1)) != 0)
		return (rc == -1 ? CTL_OK : CTL_USAGE);
	if ((rc = ctl_call(method, json_pack("{s:o}", "feed",
	    ctl_feed_arg(argv[1])), &r)) != CTL_OK)
		return (rc);
	if (opt_json)
		ctl_print_json(r);
	else if (strcmp(name, "explain") == 0)
		ctl_print_explain(r);
	json_decref(r);
	return (CTL_OK);
}

static int
ctl_edit(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "title", required_argument, NULL, 'T' },
		{ "tag", required_argument, NULL, 't' },
		{ "untag", required_argument, NULL, 'u' },
		{ "interval", required_argument, NULL, 'i' },
		{ "url", required_argument, NULL, 'U' },
		{ "pause", no_argument, NULL, 'P' },
		{ "resume", no_argument, NULL, 'R' },
		{ "help", no_argument, NULL, 'h' },
		CTL_FEEDOPT_LONGOPTS,
		{ NULL, 0, NULL, 0 }
	};
	json_t	*r, *params = json_object(), *add = json_array();
	json_t	*del = json_array(), *options = json_object(), *t, *u;
	size_t	 i, k;
	int	 ch, rc;

	optind = 0;
	while ((ch = getopt_long(argc, argv, "T:t:u:i:U:PRh", longopts,
	    NULL)) != -1) {
		switch (ch) {
		case 'T':
			json_object_set_new(params, "title",
			    json_string(optarg));
			break;
		case 't':
		case 'u':
			if (*optarg == '\0') {
				fprintf(stderr, "%s: edit: --%s: an empty "
				    "tag\n", ctl_progname, ch == 't' ? "tag" :
				    "untag");
				goto usage;
			}
			json_array_append_new(ch == 't' ? add : del,
			    json_string(optarg));
			break;
		case 'i':
			json_object_set_new(params, "interval",
			    json_string(optarg));
			break;
		case 'U':
			json_object_set_new(params, "url",
			    json_string(optarg));
			break;
		case 'P':
		case 'R':
			if (json_object_get(params, "paused") != NULL)
				goto usage;
			json_object_set_new(params, "paused",
			    json_boolean(ch == 'P'));
			break;
		case 'h':
			ctl_cmd_usage(ctl_find("edit"), stdout);
			json_decref(params);
			json_decref(add);
			json_decref(del);
			json_decref(options);
			return (CTL_OK);
		default:
			if (ctl_feedopt(ch, optarg, options) == 0)
				break;
			goto usage;
		}
	}
	if (argc - optind != 1)
		goto usage;
	json_array_foreach(add, i, t) {
		json_array_foreach(del, k, u) {
			if (json_equal(t, u)) {
				fprintf(stderr, "%s: edit: --tag and --untag "
				    "both name \"%s\"\n", ctl_progname,
				    json_string_value(t));
				goto usage;
			}
		}
	}
	json_object_set_new(params, "feed", ctl_feed_arg(argv[optind]));
	json_object_set_new(params, "add_tags", add);
	json_object_set_new(params, "remove_tags", del);
	json_object_set_new(params, "options", options);
	if ((rc = ctl_call("feeds.edit", params, &r)) != CTL_OK)
		return (rc);
	if (opt_json)
		ctl_print_json(r);
	else
		printf("feed %lld: %s, %s\n", (long long)json_integer_value(
		    json_object_get(r, "id")),
		    json_is_true(json_object_get(r, "enabled")) ? "active" :
		    "paused", ctl_str(r, "url"));
	json_decref(r);
	return (CTL_OK);
usage:
	ctl_cmd_usage(ctl_find("edit"), stderr);
	json_decref(params);
	json_decref(add);
	json_decref(del);
	json_decref(options);
	return (CTL_USAGE);
}

static int
ctl_remove(int argc, char **argv)
{
	return (ctl_feed_command(argc, argv, "remove", "feeds.remove"));
}

static int
ctl_explain(int argc, char **argv)
{
	return (ctl_feed_command(argc, argv, "explain", "feeds.explain"));
}

/*
 * The errors of a feeds.poll answer or progress: its "errors" counts the
 * feeds held by Retry-After as well (feedd-protocol(7)), which did not
 * fail.
 */
static long long
ctl_poll_failed(json_t *j)
{
	return (json_integer_value(json_object_get(j, "errors")) -
	    json_integer_value(json_object_get(j, "held")));
}

/* poll --wait on a terminal: a bar, ended when the last feed is done. */
static void
ctl_progress(json_t *msg, void *arg)
{
	json_t		*p = json_object_get(msg, "params");
	long long	 done, total, errors;
	int		 w = 30, fill;

	if (strcmp(ctl_str(msg, "method"), "progress") != 0 ||
	    !isatty(STDERR_FILENO))
		return;
	done = json_integer_value(json_object_get(p, "done"));
	total = json_integer_value(json_object_get(p, "total"));
	errors = ctl_poll_failed(p);
	fill = total > 0 ? (int)(done * w / total) : w;
	fprintf(stderr, "\r[%.*s%*s] %lld/%lld feeds, %lld error%s", fill,
	    "##############################", w - fill, "", done, total,
	    errors, errors == 1 ? "" : "s");
	if (done == total)
		fputc('\n', stderr);
}

/*
 * The end of poll --wait, on standard error: the summary line (a bar
 * said it already on a terminal), then the feeds held by Retry-After,
 * which were not polled and did not fail, and when the last is free.
 */
static void
ctl_poll_summary(json_t *r)
{
	long long	 polled, held, elsewhere, errors = ctl_poll_failed(r);
	struct tm	 tm;
	time_t		 tt;
	int64_t		 t;
	char		 when[32];

	polled = json_integer_value(json_object_get(r, "polled"));
	held = json_integer_value(json_object_get(r, "held"));
	elsewhere = json_integer_value(json_object_get(r, "elsewhere"));
	/* Several nodes share the feeds: another's poll is no failure. */
	if (!isatty(STDERR_FILENO) || polled == 0) {
		fprintf(stderr, "polled %lld/%lld, %lld error%s", polled,
		    polled, errors, errors == 1 ? "" : "s");
		if (elsewhere > 0)
			fprintf(stderr, ", %lld by another node", elsewhere);
		fputs(held > 0 ? "; " : "\n", stderr);
	} else if (elsewhere > 0)
		fprintf(stderr, "%lld polled by another node%s", elsewhere,
		    held > 0 ? "; " : "\n");
	if (held == 0)
		return;
	snprintf(when, sizeof(when), "later");
	if (date_parse_rfc3339(ctl_str(r, "held_until"), &t) == 0) {
		tt = (time_t)t;
		localtime_r(&tt, &tm);
		/* A wait of a day or more needs its date. */
		strftime(when, sizeof(when), t - (int64_t)time(NULL) < 86400 ?
		    "%H:%M" : "%Y-%m-%d %H:%M", &tm);
	}
	fprintf(stderr, "%lld held by Retry-After until %s (use --force)\n",
	    held, when);
}

static int
ctl_poll(int argc, char **argv)
{
	json_t		*r, *feeds = json_array(), *params = json_object(), *o;
	const char	*url;
	json_int_t	 id;
	size_t		 i2;
	int		 i, rc, force = 0, wait = 0;

	for (i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--force") == 0)
			force = 1;
		else if (strcmp(argv[i], "--wait") == 0)
			wait = 1;
		else if (strcmp(argv[i], "--help") == 0) {
			ctl_cmd_usage(ctl_find("poll"), stdout);
			json_decref(feeds);
			json_decref(params);
			return (CTL_OK);
		} else if (argv[i][0] == '-') {
			ctl_cmd_usage(ctl_find("poll"), stderr);
			json_decref(feeds);
			json_decref(params);
			return (CTL_USAGE);
		} else
			json_array_append_new(feeds, ctl_feed_arg(argv[i]));
	}
	if (json_array_size(feeds) > 0)
		json_object_set_new(params, "feeds", feeds);
	else
		json_decref(feeds);
	json_object_set_new(params, "force", json_boolean(force));
	json_object_set_new(params, "wait", json_boolean(wait));
	if (wait && !opt_json)
		ctl_notify = ctl_progress;
	rc = ctl_call("feeds.poll", params, &r);
	ctl_notify = NULL;
	if (rc != CTL_OK)
		return (rc);
	if (opt_json)
		ctl_print_json(r);
	else if (!wait)
		printf("%lld polls started, %lld held until Retry-After\n",
		    (long long)json_integer_value(json_object_get(r,
		    "started")), (long long)json_integer_value(
		    json_object_get(r, "held_by_retry_after")));
	else {
		ctl_poll_summary(r);
		/* Why it exits 1: on stderr, each feed by id and URL. */
		json_array_foreach(json_object_get(r, "feeds"), i2, o) {
			if (!json_is_string(json_object_get(o, "error")) ||
			    json_is_true(json_object_get(o, "held")))
				continue;
			id = json_integer_value(json_object_get(o, "feed"));
			url = json_string_value(json_object_get(ctl_feed_rec(
			    id), "url"));
			fprintf(stderr, "%s: feed %lld%s%s%s: %s\n",
			    ctl_progname, (long long)id, url != NULL ? " (" :
			    "", url != NULL ? url : "", url != NULL ? ")" : "",
			    ctl_str(o, "error"));
		}
	}
	/* poll --wait fails when any feed did (feedctl(1)); held is not. */
	rc = wait && ctl_poll_failed(r) > 0 ? CTL_FAILED : CTL_OK;
	json_decref(r);
	return (rc);
}

/*
 * Option "opt"'s number argument from "min" (>= 0) to "max", else -1,
 * said on stderr (the usage that follows does not say which was wrong).
 */
static long long
ctl_num_arg(const char *opt, const char *s, long long min, long long max)
{
	char		*end;
	long long	 v;

	errno = 0;
	v = strtoll(s, &end, 10);
	if (*s == '\0' || *end != '\0' || v < min || v > max || errno != 0) {
		if (max == LLONG_MAX)
			fprintf(stderr, "%s: %s: \"%s\" is not a number from "
			    "%lld\n", ctl_progname, opt, s, min);
		else
			fprintf(stderr, "%s: %s: \"%s\" is not a number from "
			    "%lld to %lld\n", ctl_progname, opt, s, min, max);
		return (-1);
	}
	return (v);
}

/* Option "opt"'s item id (NULL: an argument's): > 0, else -1, said. */
static long long
ctl_id_arg(const char *opt, const char *s)
{
	char		*end;
	long long	 v;

	errno = 0;
	v = strtoll(s, &end, 10);
	if (*s == '\0' || *end != '\0' || v < 1 || errno != 0) {
		fprintf(stderr, "%s: %s%s\"%s\" is not an item id (a number "
		    "from 1)\n", ctl_progname, opt != NULL ? opt : "",
		    opt != NULL ? ": " : "", s);
		return (-1);
	}
	return (v);
}

/* A usage error with its reason, then the command's usage. */
static int
ctl_misuse(const char *cmd, const char *why)
{
	fprintf(stderr, "%s: %s: %s\n", ctl_progname, cmd, why);
	ctl_cmd_usage(ctl_find(cmd), stderr);
	return (CTL_USAGE);
}

static int
ctl_items(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "feed", required_argument, NULL, 'f' },
		{ "tag", required_argument, NULL, 't' },
		{ "since", required_argument, NULL, 's' },
		{ "unread", no_argument, NULL, 'u' },
		{ "starred", no_argument, NULL, 'S' },
		{ "limit", required_argument, NULL, 'l' },
		{ "reverse", no_argument, NULL, 'r' },
		{ "consumer", required_argument, NULL, 'C' },
		{ "from-start", no_argument, NULL, 'F' },
		{ "ack", no_argument, NULL, 'a' },
		{ "ack-to", required_argument, NULL, 'A' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	json_t		*r, *items, *params = json_object(), *ack, *p;
	const char	*consumer = NULL;
	long long	 v, ack_to = 0;
	int		 ch, rc, do_ack = 0, listing = 0, from_start = 0;
	size_t		 n;

	optind = 0;
	while ((ch = getopt_long(argc, argv, "f:t:s:uSl:rC:FaA:h", longopts,
	    NULL)) != -1) {
		switch (ch) {
		case 'f':
			json_object_set_new(params, "feed",
			    ctl_feed_arg(optarg));
			break;
		case 't':
			json_object_set_new(params, "tag", json_string(optarg));
			break;
		case 's':
		case 'l':
			if ((v = ctl_num_arg(ch == 's' ? "--since" : "--limit",
			    optarg, ch == 's' ? 0 : 1, ch == 's' ? LLONG_MAX :
			    CTL_LIMIT_MAX)) < 0)
				goto usage;
			json_object_set_new(params, ch == 's' ? "since" :
			    "limit", json_integer(v));
			if (ch == 's')
				listing = 1;
			break;
		case 'u':
			json_object_set_new(params, "unread", json_true());
			listing = 1;
			break;
		case 'S':
			json_object_set_new(params, "starred", json_true());
			listing = 1;
			break;
		case 'r':
			json_object_set_new(params, "reverse", json_true());
			listing = 1;
			break;
		case 'C':
			consumer = optarg;
			break;
		case 'F':
			from_start = 1;
			break;
		case 'a':
			do_ack = 1;
			break;
		case 'A':
			if ((ack_to = ctl_id_arg("--ack-to", optarg)) < 0)
				goto usage;
			break;
		case 'h':
			ctl_cmd_usage(ctl_find("items"), stdout);
			json_decref(params);
			return (CTL_OK);
		default:
			goto usage;
		}
	}
	if (optind != argc) {
		json_decref(params);
		return (ctl_misuse("items", "no arguments but options"));
	}
	if (consumer != NULL && *consumer == '\0') {
		json_decref(params);
		return (ctl_misuse("items", "--consumer needs a name"));
	}
	if ((do_ack || ack_to > 0 || from_start) && consumer == NULL) {
		json_decref(params);
		return (ctl_misuse("items", "--ack, --ack-to and --from-start "
		    "go with --consumer"));
	}
	if (do_ack && ack_to > 0) {
		json_decref(params);
		return (ctl_misuse("items", "--ack or --ack-to, not both"));
	}
	if (consumer != NULL && listing) {
		json_decref(params);
		return (ctl_misuse("items", "a consumer reads in order from "
		    "its cursor: --since, --unread, --starred and --reverse "
		    "do not go with --consumer"));
	}
	if (ack_to > 0) {
		/* The job's work is done: acknowledge, print nothing. */
		json_decref(params);
		rc = ctl_call("consumer.ack", json_pack("{s:s, s:I}", "name",
		    consumer, "id", (json_int_t)ack_to), &ack);
		if (rc == CTL_OK && opt_json)
			ctl_print_json(ack);
		json_decref(ack);
		return (rc);
	}
	if (consumer != NULL) {
		/* The consumer remembers its filters; these pass through. */
		p = json_deep_copy(params);
		json_object_set_new(p, "name", json_string(consumer));
		if (from_start)
			json_object_set_new(p, "from_start", json_true());
		json_decref(params);
		rc = ctl_call("consumer.fetch", p, &r);
	} else
		rc = ctl_call("items.list", params, &r);
	if (rc != CTL_OK)
		return (rc);
	items = json_object_get(r, "items");
	ctl_print_items(items);
	/* Acknowledged only once printed: each item reaches it once. */
	if (do_ack && (n = json_array_size(items)) > 0) {
		if (fflush(stdout) != 0) {
			json_decref(r);
			return (CTL_FAILED);
		}
		rc = ctl_call("consumer.ack", json_pack("{s:s, s:O}", "name",
		    consumer, "id", json_object_get(json_array_get(items,
		    n - 1), "id")), &ack);
		json_decref(ack);
	}
	json_decref(r);
	return (rc);
usage:
	ctl_cmd_usage(ctl_find("items"), stderr);
	json_decref(params);
	return (CTL_USAGE);
}

/*
 * read, unread, star, unstar: ids; read and unread also take a
 * selection (--all, --feed, --tag, each with --before).
 */
static int
ctl_mark(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "all", no_argument, NULL, 'a' },
		{ "feed", required_argument, NULL, 'f' },
		{ "tag", required_argument, NULL, 't' },
		{ "before", required_argument, NULL, 'b' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	const struct ctl_cmd	*c = ctl_find(argv[0]);
	json_t			*r, *ids = json_array(), *params = json_object();
	long long		 id, changed;
	int			 i, ch, rc, sel = 0, star;

	star = strcmp(argv[0], "star") == 0 || strcmp(argv[0], "unstar") == 0;
	/* sel counts --all, --feed and --tag: one of them at most. */
	optind = 0;
	while ((ch = getopt_long(argc, argv, "af:t:b:h", longopts, NULL)) !=
	    -1) {
		switch (ch) {
		case 'a':
			json_object_set_new(params, "all", json_true());
			sel++;
			break;
		case 'f':
			json_object_set_new(params, "feed",
			    ctl_feed_arg(optarg));
			sel++;
			break;
		case 't':
			json_object_set_new(params, "tag", json_string(optarg));
			sel++;
			break;
		case 'b':
			if ((id = ctl_id_arg("--before", optarg)) < 0)
				goto usage;
			json_object_set_new(params, "before",
			    json_integer(id));
			break;
		case 'h':
			ctl_cmd_usage(c, stdout);
			json_decref(ids);
			json_decref(params);
			return (CTL_OK);
		default:
			goto usage;
		}
	}
	if (sel > 1) {
		json_decref(ids);
		json_decref(params);
		return (ctl_misuse(argv[0], "--all, --feed or --tag: one of "
		    "them"));
	}
	if ((sel && (star || optind != argc)) || (!sel && optind == argc) ||
	    (!sel && json_object_get(params, "before") != NULL))
		goto usage;
	for (i = optind; i < argc; i++) {
		if ((id = ctl_id_arg(NULL, argv[i])) < 0) {
			json_decref(ids);
			json_decref(params);
			return (CTL_USAGE);
		}
		json_array_append_new(ids, json_integer(id));
	}
	if (!sel)
		json_object_set(params, "ids", ids);
	json_decref(ids);
	json_object_set_new(params, star ? "starred" : "read",
	    json_boolean(strcmp(argv[0], "read") == 0 ||
	    strcmp(argv[0], "star") == 0));
	if ((rc = ctl_call("items.mark", params, &r)) != CTL_OK)
		return (rc);
	if (opt_json)
		ctl_print_json(r);
	else if (sel) {
		changed = json_integer_value(json_object_get(r, "changed"));
		printf("%lld item%s changed\n", changed, changed == 1 ? "" :
		    "s");
	}
	json_decref(r);
	return (CTL_OK);
usage:
	ctl_cmd_usage(c, stderr);
	json_decref(ids);
	json_decref(params);
	return (CTL_USAGE);
}

static int
ctl_search(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "limit", required_argument, NULL, 'l' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	json_t		*r, *params;
	long long	 limit = 0;
	int		 ch, rc;

	optind = 0;
	while ((ch = getopt_long(argc, argv, "l:h", longopts, NULL)) != -1) {
		switch (ch) {
		case 'l':
			if ((limit = ctl_num_arg("--limit", optarg, 1,
			    CTL_LIMIT_MAX)) < 0)
				goto usage;
			break;
		case 'h':
			ctl_cmd_usage(ctl_find("search"), stdout);
			return (CTL_OK);
		default:
			goto usage;
		}
	}
	if (optind != argc - 1) {
usage:
		ctl_cmd_usage(ctl_find("search"), stderr);
		return (CTL_USAGE);
	}
	params = json_pack("{s:s}", "query", argv[optind]);
	if (limit > 0)
		json_object_set_new(params, "limit", json_integer(limit));
	if ((rc = ctl_call("items.search", params, &r)) != CTL_OK)
		return (rc);
	ctl_print_items(json_object_get(r, "items"));
	json_decref(r);
	return (CTL_OK);
}

/* A header line of "show": "Label:  value", when there is a value. */
static void
ctl_show_field(struct buf *b, const char *label, const char *value)
{
	if (value == NULL || *value == '\0')
		return;
	buf_adds(b, label);
	buf_adds(b, value);
	buf_addc(b, '\n');
}

/* The title's lines, wrapped, and the widest of them for the rule. */
struct ctl_title {
	struct buf	*b;
	size_t		 widest;
};

static void
ctl_title_line(void *arg, const char *line, size_t len)
{
	struct ctl_title	*t = arg;
	size_t			 w = text_width(line, len);

	buf_add(t->b, line, len);
	buf_addc(t->b, '\n');
	if (w > t->widest)
		t->widest = w;
}

/*
 * One item as a reader sees it: header, rendered text, enclosures; the
 * title wrapped at "width" columns as the text is, and underlined.
 */
static void
ctl_show_text(struct buf *b, json_t *it, size_t width)
{
	json_t			*e;
	const char		*date, *text;
	char			 len[64], *title = ctl_headline(it,
				    "(no title)");
	struct ctl_title	 t = { b, 0 };
	size_t			 i, n;

	text_wrap(title, strlen(title), width, ctl_title_line, &t);
	for (n = t.widest; n > 0; n--)
		buf_addc(b, '=');
	buf_addc(b, '\n');
	free(title);
	ctl_show_field(b, "Feed:      ", json_string_value(json_object_get(
	    json_object_get(it, "feed"), "title")));
	date = json_string_value(json_object_get(it, "published"));
	if (date == NULL)
		date = json_string_value(json_object_get(it, "updated"));
	ctl_show_field(b, "Date:      ", date);
	ctl_show_field(b, "Author:    ", json_string_value(json_object_get(it,
	    "author")));
	ctl_show_field(b, "Link:      ", json_string_value(json_object_get(it,
	    "link")));
	json_array_foreach(json_object_get(it, "enclosures"), i, e) {
		buf_adds(b, "Enclosure: ");
		buf_adds(b, ctl_str(e, "url"));
		len[0] = '\0';
		if (json_integer_value(json_object_get(e, "length")) > 0)
			snprintf(len, sizeof(len), ", %lld bytes", (long long)
			    json_integer_value(json_object_get(e, "length")));
		if (json_is_string(json_object_get(e, "type")) || *len) {
			buf_adds(b, " (");
			buf_adds(b, json_is_string(json_object_get(e, "type")) ?
			    ctl_str(e, "type") : "unknown type");
			buf_adds(b, len);
			buf_addc(b, ')');
		}
		buf_addc(b, '\n');
	}
	/* Code blocks hold TABs: as spaces, not the filter's \u0009. */
	if ((text = json_string_value(json_object_get(it, "text"))) != NULL &&
	    *text != '\0') {
		buf_addc(b, '\n');
		text_expand_tabs(b, text, strlen(text));
		buf_addc(b, '\n');
	}
}

/*
 * Writes "s" through $PAGER (less -R when unset) when stdout is a
 * terminal, else to stdout; both through the terminal filter.
 */
static int
ctl_page(const char *s)
{
	const char	*pager = getenv("PAGER");
	FILE		*p, *f;
	int		 rc;

	if (!isatty(STDOUT_FILENO) || (pager != NULL && *pager == '\0'))
		return (fputs(s, stdout) == EOF ? -1 : 0);
	if (pager == NULL)
		pager = "less -R";
	fflush(stdout);
	if ((p = popen(pager, "w")) == NULL)
		return (fputs(s, stdout) == EOF ? -1 : 0);
	f = term_wrap(p, 0);
	fputs(s, f);
	fclose(f);
	if ((rc = pclose(p)) == -1)
		return (-1);
	/* The shell's "not found" and "cannot run": nothing was shown. */
	if (WIFEXITED(rc) && (WEXITSTATUS(rc) == 127 ||
	    WEXITSTATUS(rc) == 126)) {
		fprintf(stderr, "%s: the pager \"%s\" did not run; printing "
		    "here\n", ctl_progname, pager);
		return (fputs(s, stdout) == EOF ? -1 : 0);
	}
	return (0);
}

static int
ctl_show(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "keep-unread", no_argument, NULL, 'k' },
		{ "json", no_argument, NULL, 'j' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	json_t		*r, *m;
	struct buf	 b = { NULL, 0, 0 };
	char		*end;
	long long	 id;
	int		 ch, rc, keep = 0, w = ctl_width(), width;

	optind = 0;
	while ((ch = getopt_long(argc, argv, "kjh", longopts, NULL)) != -1) {
		switch (ch) {
		case 'k':
			keep = 1;
			break;
		case 'j':
			opt_json = 1;
			break;
		case 'h':
			ctl_cmd_usage(ctl_find("show"), stdout);
			return (CTL_OK);
		default:
			ctl_cmd_usage(ctl_find("show"), stderr);
			return (CTL_USAGE);
		}
	}
	if (optind != argc - 1 || (id = strtoll(argv[optind], &end, 10)) <= 0 ||
	    *end != '\0') {
		ctl_cmd_usage(ctl_find("show"), stderr);
		return (CTL_USAGE);
	}
	/* Wrapped to the terminal, else to a mail-like 72 columns. */
	width = w > 0 ? (w > 100 ? 100 : w - 1) : 72;
	if ((rc = ctl_call("items.get", json_pack("{s:I, s:i}", "id",
	    (json_int_t)id, "width", width), &r)) != CTL_OK)
		return (rc);
	if (opt_json)
		ctl_print_json(r);
	else {
		ctl_show_text(&b, r, (size_t)width);
		if (ctl_page(b.data) != 0)
			rc = CTL_FAILED;
		buf_free(&b);
	}
	json_decref(r);
	if (rc == CTL_OK && !keep) {
		rc = ctl_call("items.mark", json_pack("{s:[I], s:b}", "ids",
		    (json_int_t)id, "read", 1), &m);
		json_decref(m);
	}
	return (rc);
}

/*
 * Streams "item" notifications.  On a lost connection it reconnects
 * every second and resumes after the last item it printed, so a daemon
 * restart loses nothing and repeats nothing.
 */
static int
ctl_watch(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "feed", required_argument, NULL, 'f' },
		{ "tag", required_argument, NULL, 't' },
		{ "since", required_argument, NULL, 's' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	struct client	*cl;
	json_t		*filters = json_object(), *params, *r, *msg, *one;
	const char	*method;
	char		*path, *cause = NULL, *why = NULL;
	long long	 since = -1;
	int		 ch, warned = 0, reached = 0;

	optind = 0;
	while ((ch = getopt_long(argc, argv, "f:t:s:h", longopts, NULL)) !=
	    -1) {
		switch (ch) {
		case 'f':
			json_object_set_new(filters, "feed",
			    ctl_feed_arg(optarg));
			break;
		case 't':
			json_object_set_new(filters, "tag",
			    json_string(optarg));
			break;
		case 's':
			if ((since = ctl_num_arg("--since", optarg, 0,
			    LLONG_MAX)) < 0)
				goto usage;
			break;
		case 'h':
			ctl_cmd_usage(ctl_find("watch"), stdout);
			json_decref(filters);
			return (CTL_OK);
		default:
			goto usage;
		}
	}
	if (optind != argc) {
usage:
		ctl_cmd_usage(ctl_find("watch"), stderr);
		json_decref(filters);
		return (CTL_USAGE);
	}
	if ((path = ctl_socket_path()) == NULL) {
		json_decref(filters);
		return (CTL_USAGE);
	}
	for (;;) {
		if ((cl = client_open(path, &cause)) == NULL && !reached) {
			/* Never reached: a wrong socket, not a restart. */
			fprintf(stderr, "%s: %s\n", ctl_progname, cause);
			free(cause);
			free(path);
			json_decref(filters);
			return (CTL_UNREACHABLE);
		}
		if (cl == NULL) {
			if (!warned)
				fprintf(stderr, "%s: %s; retrying\n",
				    ctl_progname, cause);
			warned = 1;
			free(cause);
			cause = NULL;
			sleep(1);
			continue;
		}
		warned = 0;
		reached = 1;
		params = json_deep_copy(filters);
		if (since >= 0)
			json_object_set_new(params, "since",
			    json_integer(since));
		if (client_call(cl, "watch", params, &r, &cause) != 0) {
			fprintf(stderr, "%s: %s\n", ctl_progname, cause);
			free(cause);
			json_decref(params);
			client_close(cl);
			free(path);
			json_decref(filters);
			return (CTL_FAILED);
		}
		json_decref(params);
		if (since < 0)
			since = json_integer_value(json_object_get(r,
			    "since"));
		json_decref(r);
		while (client_next(cl, &msg) == 0) {
			method = json_string_value(json_object_get(msg,
			    "method"));
			if (method != NULL && strcmp(method, "item") == 0) {
				one = json_array();
				json_array_append(one, json_object_get(msg,
				    "params"));
				ctl_print_items(one);
				json_decref(one);
				if (fflush(stdout) != 0) {
					/* Nowhere to write: main() says so. */
					json_decref(msg);
					client_close(cl);
					free(path);
					free(why);
					json_decref(filters);
					return (CTL_FAILED);
				}
				since = json_integer_value(json_object_get(
				    json_object_get(msg, "params"), "id"));
			} else if (method != NULL && strcmp(method, "error") ==
			    0) {
				/* Why feedd dropped the watch, in its words. */
				free(why);
				why = xstrdup(ctl_str(json_object_get(msg,
				    "params"), "message"));
			}
			json_decref(msg);
		}
		client_close(cl);
		fprintf(stderr, "%s: %s; resuming after item %lld\n",
		    ctl_progname, why != NULL ? why : "connection lost", since);
		free(why);
		why = NULL;
		sleep(1);
	}
}

int
main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "socket", required_argument, NULL, 's' },
		{ "config", required_argument, NULL, 'c' },
		{ "json", no_argument, NULL, 'j' },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 }
	};
	const struct ctl_cmd	*c;
	int			 ch, rc, i, j;

	log_init("feedctl", LOG_LEVEL_WARN);
	/* "+": stop at the command; its options are its own. */
	while ((ch = getopt_long(argc, argv, "+s:c:jhV", longopts, NULL)) !=
	    -1) {
		switch (ch) {
		case 's':
			if (*optarg == '\0') {
				fprintf(stderr, "%s: -s: an empty socket path\n",
				    ctl_progname);
				return (CTL_USAGE);
			}
			opt_socket = optarg;
			break;
		case 'c':
			opt_config = optarg;
			break;
		case 'j':
			opt_json = 1;
			break;
		case 'h':
			ctl_usage(stdout);
			return (fflush(stdout) == 0 ? CTL_OK : CTL_FAILED);
		case 'V':
			printf("feedctl %s\n", FEEDD_VERSION);
			return (fflush(stdout) == 0 ? CTL_OK : CTL_FAILED);
		default:
			ctl_usage(stderr);
			return (CTL_USAGE);
		}
	}
	argc -= optind;
	argv += optind;
	if (argc == 0) {
		ctl_usage(stderr);
		return (CTL_USAGE);
	}
	if ((c = ctl_find(argv[0])) == NULL) {
		fprintf(stderr, "%s: unknown command: %s (try '%s --help')\n",
		    ctl_progname, argv[0], ctl_progname);
		return (CTL_USAGE);
	}
	/*
	 * --json is global, but people put it after the command as well
	 * ("feedctl items --json"): taken out there, up to a "--".
	 */
	for (i = j = 1; i < argc; i++) {
		if (strcmp(argv[i], "--") == 0) {
			while (i < argc)
				argv[j++] = argv[i++];
			break;
		}
		if (strcmp(argv[i], "--json") == 0)
			opt_json = 1;
		else
			argv[j++] = argv[i];
	}
	argv[argc = j] = NULL;
	/* From here on, nothing from stored data reaches a terminal raw. */
	stdout = term_wrap(stdout, 0);
	setvbuf(stdout, NULL, isatty(STDOUT_FILENO) ? _IOLBF : _IOFBF, 0);
	stderr = term_wrap(stderr, TERM_CR);
	setvbuf(stderr, NULL, _IONBF, 0);
	rc = c->run(argc, argv);
	/*
	 * The filters go; what they held reaches the real streams.  Output
	 * that did not reach its file (a full disk) is a failure, said once
	 * here for every command.
	 */
	if ((fclose(stdout) != 0 || term_error() != 0)) {
		fprintf(stderr, "%s: cannot write the output: %s\n",
		    ctl_progname, strerror(term_error() != 0 ? term_error() :
		    errno));
		if (rc == CTL_OK)
			rc = CTL_FAILED;
	}
	fclose(stderr);
	return (rc);
}
