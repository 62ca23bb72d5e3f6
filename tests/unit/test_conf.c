/*
 * test_conf.c: conf.c against hand-written configs and expectations.
 * Configs parse under the name "test.conf" unless a test needs a
 * directory that cannot exist ("/nonexistent/etc/test.conf"), which keeps
 * relative paths independent of where the tests run.
 */
#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "conf.h"
#include "match.h"
#include "xmalloc.h"

#define NITEMS(a)	(sizeof(a) / sizeof((a)[0]))
#define NOWHERE		"/nonexistent/etc/test.conf"

struct duration_case {
	const char	*in;
	int64_t		 want;
};

struct error_case {
	const char	*text;
	const char	*want;
};

static struct conf *load_at(const char *, const char *);
static struct conf *load_ok(const char *);
static void	 load_err(const char *, const char *);
static void	 error_table(const struct error_case *, size_t);
static char	*repeat(char, size_t);
static char	*top_path(const char *);

static void	test_conf_defaults(void **);
static void	test_conf_systemd_dirs(void **);
static void	test_conf_empty_file(void **);
static void	test_conf_daemon_every_key(void **);
static void	test_conf_feed_every_key(void **);
static void	test_conf_notify_exec(void **);
static void	test_conf_notify_mail(void **);
static void	test_conf_notify_mail_addresses(void **);
static void	test_conf_notify_webhook(void **);
static void	test_conf_duration_valid(void **);
static void	test_conf_duration_invalid(void **);
static void	test_conf_size(void **);
static void	test_conf_bool(void **);
static void	test_conf_split_list(void **);
static void	test_conf_quoted_values(void **);
static void	test_conf_inline_comments(void **);
static void	test_conf_indentation(void **);
static void	test_conf_relative_paths(void **);
static void	test_conf_file_urls(void **);
static void	test_conf_bad_urls(void **);
static void	test_conf_error_line(void **);
static void	test_conf_first_error_wins(void **);
static void	test_conf_syntax_error(void **);
static void	test_conf_sections(void **);
static void	test_conf_key_outside_section(void **);
static void	test_conf_unknown_keys(void **);
static void	test_conf_duplicate_key(void **);
static void	test_conf_duplicate_feed(void **);
static void	test_conf_duplicate_notifier(void **);
static void	test_conf_section_without_keys(void **);
static void	test_conf_long_line(void **);
static void	test_conf_control_character(void **);
static void	test_conf_crlf_and_bom(void **);
static void	test_conf_bad_values(void **);
static void	test_conf_socket_mode(void **);
static void	test_conf_socket_too_long(void **);
static void	test_conf_retention(void **);
static void	test_conf_interval_order(void **);
static void	test_conf_max_per_host(void **);
static void	test_conf_feed_interval_limits(void **);
static void	test_conf_notify_type(void **);
static void	test_conf_notify_key_applies(void **);
static void	test_conf_notify_required(void **);
static void	test_conf_notify_choices(void **);
static void	test_conf_notify_match(void **);
static void	test_conf_notify_match_limits(void **);
static void	test_conf_notify_retry(void **);
static void	test_conf_find_feed(void **);
static void	test_conf_load_file(void **);
static void	test_conf_load_file_errors(void **);
static void	test_conf_feed_settings(void **);
static void	test_conf_shipped_example(void **);
static void	test_conf_demo(void **);

/* Loads text as path and fails the test, with the message, on error. */
static struct conf *
load_at(const char *text, const char *path)
{
	struct conf	*conf;
	char		*cause = NULL;

	conf = conf_load_string(text, path, &cause);
	if (conf == NULL)
		fail_msg("unexpected error: %s", cause);
	assert_null(cause);
	return (conf);
}

static struct conf *
load_ok(const char *text)
{
	return (load_at(text, "test.conf"));
}

/* [feed] HTTP settings, [daemon] proxy, notify_first_poll. */
static void
test_conf_feed_settings(void **state)
{
	struct conf		*c;
	const struct feedopt	*o;

	c = load_at("[daemon]\nproxy = http://127.0.0.1:3128\n"
	    "[feed \"https://joe:pw@example.org/f.xml\"]\n"
	    "user_agent = Me/1\nheaders = \"X-A: 1, 2\", \"X-B: 3\"\n"
	    "password_file = secret.txt\ncharset = koi8-r\ntimeout = 10s\n"
	    "max_feed_size = 2M\nnotify_first_poll = yes\n"
	    "[notify \"n\"]\ntype = exec\ncommand = x\n"
	    "notify_first_poll = yes\n", "/etc/feedd/feedd.conf");
	assert_string_equal(c->proxy, "http://127.0.0.1:3128");
	/* Credentials leave the URL for the settings. */
	assert_string_equal(c->feeds[0].url, "https://example.org/f.xml");
	o = &c->feeds[0].opts;
	assert_string_equal(o->username, "joe");
	assert_string_equal(o->password, "pw");
	assert_string_equal(o->user_agent, "Me/1");
	assert_int_equal(o->nheaders, 2);
	assert_string_equal(o->headers[0], "X-A: 1, 2");
	assert_string_equal(o->password_file, "/etc/feedd/secret.txt");
	assert_string_equal(o->charset, "koi8-r");
	assert_int_equal(o->timeout, 10);
	assert_int_equal(o->max_size, 2 * 1024 * 1024);
	assert_int_equal(o->notify_first_poll, 1);
	assert_int_equal(c->notifiers[0].notify_first_poll, 1);
	conf_free(c);

	load_err("[feed \"https://example.org/\"]\nheaders = Bad\n",
	    "test.conf:2: headers: \"Bad\" is not a \"Name: value\" header");
	load_err("[feed \"https://example.org/\"]\nproxy = ftp://x\n",
	    "test.conf:2: proxy: want http://, https://, socks5:// or "
	    "socks5h://HOST[:PORT]");
	load_err("[daemon]\nproxy = nope\n",
	    "test.conf:2: proxy: want http://, https://, socks5:// or "
	    "socks5h://HOST[:PORT]");
	/* Not a file named so, and the password not repeated. */
	load_err("[daemon]\ndatabase = POSTGRESQL://u:Secret@db/feedd\n",
	    "test.conf:2: database: a URI of scheme \"POSTGRESQL\" is "
	    "neither PostgreSQL's (postgresql:// or postgres://, in lower "
	    "case) nor a file");
	load_err("[daemon]\ndatabase = jdbc:postgresql://db/feedd\n",
	    "test.conf:2: database: a URI of scheme \"jdbc:postgresql\" is "
	    "neither PostgreSQL's (postgresql:// or postgres://, in lower "
	    "case) nor a file");
	load_err("[feed \"https://example.org/\"]\ntimeout = soon\n",
	    "test.conf:2: timeout: bad duration \"soon\"");
	/* A charset the parser could not read is refused, not ignored. */
	load_err("[feed \"https://example.org/\"]\ntitle = x\n"
	    "charset = nosuch-charset\n",
	    "test.conf:3: charset: \"nosuch-charset\" is not a charset this "
	    "system knows (iconv -l lists them)");

	/* [rule] */
	c = load_ok("[rule \"r\"]\naction = keep\nmatch = ^py(thon)?\\b\n"
	    "fields = title, categories\ntags = dev\n"
	    "feeds = https://example.org/a.xml\n");
	assert_int_equal(c->nrules, 1);
	assert_string_equal(c->rules[0].action, "keep");
	assert_string_equal(c->rules[0].match, "^py(thon)?\\b");
	assert_int_equal(c->rules[0].nfields, 2);
	assert_string_equal(c->rules[0].feeds[0], "https://example.org/a.xml");
	conf_free(c);
	load_err("[rule \"r\"]\naction = drop\nmatch = a\nfields = body\n",
	    "test.conf:4: unknown field \"body\" (title, content, author, "
	    "categories or link)");
	load_err("[rule \"r\"]\naction = zap\nmatch = a\n",
	    "test.conf:2: bad action \"zap\" (one of: drop, keep, "
	    "mark_read)");
	load_err("[rule \"r\"]\naction = drop\n",
	    "test.conf:1: rule \"r\" needs a match");
	load_err("[rule \"r\"]\naction = drop\nmatch = a\n[rule \"r\"]\n",
	    "test.conf:4: duplicate rule \"r\" (first at line 1)");
}

/* Loading text as "test.conf" must fail with exactly this message. */
static void
load_err(const char *text, const char *want)
{
	struct conf	*conf;
	char		*cause = NULL;

	conf = conf_load_string(text, "test.conf", &cause);
	if (conf != NULL) {
		conf_free(conf);
		fail_msg("no error, wanted \"%s\" for:\n%s", want, text);
	}
	assert_non_null(cause);
	assert_string_equal(cause, want);
	free(cause);
}

static void
error_table(const struct error_case *cases, size_t n)
{
	size_t	i;

	for (i = 0; i < n; i++)
		load_err(cases[i].text, cases[i].want);
}

static char *
repeat(char c, size_t n)
{
	char	*s;

	s = malloc(n + 1);
	assert_non_null(s);
	memset(s, c, n);
	s[n] = '\0';
	return (s);
}

/* A file of the source tree: tests/run.sh sets FEEDD_TOP. */
static char *
top_path(const char *rel)
{
	const char	*top;
	char		*path;

	if ((top = getenv("FEEDD_TOP")) == NULL || *top == '\0')
		top = ".";
	path = malloc(strlen(top) + strlen(rel) + 2);
	assert_non_null(path);
	sprintf(path, "%s/%s", top, rel);
	return (path);
}

static void
test_conf_defaults(void **state)
{
	struct conf	*conf;

	conf = conf_new();
	assert_null(conf->path);
	assert_string_equal(conf->database, "/var/lib/feedd/feedd.db");
	assert_string_equal(conf->socket, "/run/feedd/feedd.sock");
	assert_int_equal(conf->socket_mode, 0660);
	assert_null(conf->socket_group);
	assert_int_equal(conf->socket_group_line, 0);
	assert_string_equal(conf->user_agent, "feedd/" FEEDD_VERSION);
	assert_int_equal(conf->max_parallel, 64);
	assert_int_equal(conf->max_per_host, 4);
	assert_int_equal(conf->default_interval, 3600);
	assert_int_equal(conf->min_interval, 300);
	assert_int_equal(conf->max_interval, 86400);
	assert_int_equal(conf->timeout, 30);
	assert_int_equal(conf->max_feed_size, 16 * 1024 * 1024);
	assert_int_equal(conf->retention_age, -1);
	assert_int_equal(conf->retention_items, -1);
	assert_int_equal(conf->allow_private, 0);
	assert_null(conf->allow_hosts);
	assert_int_equal(conf->nallow_hosts, 0);
	assert_int_equal(conf->nfeeds, 0);
	assert_int_equal(conf->nnotifiers, 0);
	conf_free(conf);
	conf_free(NULL);
}

/* systemd's StateDirectory=/RuntimeDirectory= hold what is not set. */
static void
test_conf_systemd_dirs(void **state)
{
	struct conf	*conf;
	char		 longdir[200];

	setenv("STATE_DIRECTORY", "/var/lib/feedd-x:/var/lib/other", 1);
	setenv("RUNTIME_DIRECTORY", "/run/user/1000/feedd", 1);
	conf = load_ok("");
	assert_string_equal(conf->database, "/var/lib/feedd-x/feedd.db");
	assert_string_equal(conf->socket, "/run/user/1000/feedd/feedd.sock");
	conf_free(conf);

	/* The config's keys win. */
	conf = load_ok("[daemon]\ndatabase = /srv/f.db\nsocket = /srv/f.sock\n");
	assert_string_equal(conf->database, "/srv/f.db");
	assert_string_equal(conf->socket, "/srv/f.sock");
	conf_free(conf);

	/* Relative, empty or too long for a socket: the built-in paths. */
	memset(longdir, 'a', sizeof(longdir) - 1);
	longdir[0] = '/';
	longdir[sizeof(longdir) - 1] = '\0';
	setenv("STATE_DIRECTORY", "var/lib/feedd", 1);
	setenv("RUNTIME_DIRECTORY", longdir, 1);
	conf = conf_new();
	assert_string_equal(conf->database, "/var/lib/feedd/feedd.db");
	assert_string_equal(conf->socket, "/run/feedd/feedd.sock");
	conf_free(conf);
	setenv("STATE_DIRECTORY", "", 1);
	setenv("RUNTIME_DIRECTORY", "", 1);
	conf = conf_new();
	assert_string_equal(conf->database, "/var/lib/feedd/feedd.db");
	assert_string_equal(conf->socket, "/run/feedd/feedd.sock");
	conf_free(conf);
	unsetenv("STATE_DIRECTORY");
	unsetenv("RUNTIME_DIRECTORY");
}

static void
test_conf_empty_file(void **state)
{
	static const char *const	 texts[] = {
		"",
		"\n\n\n",
		"; only\n# comments\n\n   ; indented\n",
		"[daemon]\n",
		"[daemon]\n; nothing set\n",
	};
	struct conf			*conf;
	size_t				 i;

	for (i = 0; i < NITEMS(texts); i++) {
		conf = load_ok(texts[i]);
		assert_string_equal(conf->path, "test.conf");
		assert_string_equal(conf->database, "/var/lib/feedd/feedd.db");
		assert_string_equal(conf->socket, "/run/feedd/feedd.sock");
		assert_int_equal(conf->socket_mode, 0660);
		assert_int_equal(conf->max_parallel, 64);
		assert_int_equal(conf->default_interval, 3600);
		assert_int_equal(conf->nfeeds, 0);
		assert_int_equal(conf->nnotifiers, 0);
		conf_free(conf);
	}
}

static void
test_conf_daemon_every_key(void **state)
{
	struct conf	*conf;

	conf = load_ok(
	    "[daemon]\n"
	    "database = /srv/feedd/db.sqlite\n"
	    "socket = /srv/feedd/sock\n"
	    "socket_mode = 0600\n"
	    "socket_group = feedreaders\n"
	    "user_agent = Mozilla/5.0 (compatible; feedd)\n"
	    "max_parallel = 10\n"
	    "max_per_host = 2\n"
	    "default_interval = 2h\n"
	    "min_interval = 90s\n"
	    "max_interval = 1w\n"
	    "timeout = 1m\n"
	    "max_feed_size = 512K\n"
	    "retention = 30d, 500\n"
	    "allow_private = yes\n"
	    "allow_hosts = intranet.example.org, 10.1.2.3, ::1\n");
	assert_string_equal(conf->database, "/srv/feedd/db.sqlite");
	assert_string_equal(conf->socket, "/srv/feedd/sock");
	assert_int_equal(conf->socket_mode, 0600);
	assert_string_equal(conf->socket_group, "feedreaders");
	/* Where it was set: the daemon's group error names the line. */
	assert_int_equal(conf->socket_group_line, 5);
	/* "; " inside the value starts no comment: no space before ';'. */
	assert_string_equal(conf->user_agent,
	    "Mozilla/5.0 (compatible; feedd)");
	assert_int_equal(conf->max_parallel, 10);
	assert_int_equal(conf->max_per_host, 2);
	assert_int_equal(conf->default_interval, 7200);
	assert_int_equal(conf->min_interval, 90);
	assert_int_equal(conf->max_interval, 604800);
	assert_int_equal(conf->timeout, 60);
	assert_int_equal(conf->max_feed_size, 524288);
	assert_int_equal(conf->retention_age, 30 * 86400);
	assert_int_equal(conf->retention_items, 500);
	assert_int_equal(conf->allow_private, 1);
	assert_int_equal(conf->nallow_hosts, 3);
	assert_string_equal(conf->allow_hosts[0], "intranet.example.org");
	assert_string_equal(conf->allow_hosts[1], "10.1.2.3");
	assert_string_equal(conf->allow_hosts[2], "::1");
	conf_free(conf);
}

static void
test_conf_feed_every_key(void **state)
{
	struct conf		*conf;
	const struct conf_feed	*f;

	conf = load_ok(
	    "# two feeds\n"
	    "\n"
	    "[feed \"https://www.devdiscourse.com/rss/news/\"]\n"
	    "title = Devdiscourse\n"
	    "tags = news, korea\n"
	    "interval = 30m\n"
	    "enabled = no\n"
	    "\n"
	    "[feed \"http://example.org/atom.xml\"]\n"
	    "title = Example\n");
	assert_int_equal(conf->nfeeds, 2);
	f = &conf->feeds[0];
	assert_string_equal(f->url, "https://www.devdiscourse.com/rss/news/");
	assert_string_equal(f->title, "Devdiscourse");
	assert_int_equal(f->ntags, 2);
	assert_string_equal(f->tags[0], "news");
	assert_string_equal(f->tags[1], "korea");
	assert_int_equal(f->interval, 1800);
	assert_int_equal(f->enabled, 0);
	assert_int_equal(f->line, 3);
	f = &conf->feeds[1];
	assert_string_equal(f->url, "http://example.org/atom.xml");
	assert_string_equal(f->title, "Example");
	assert_int_equal(f->ntags, 0);
	assert_null(f->tags);
	assert_int_equal(f->interval, -1);
	assert_int_equal(f->enabled, 1);
	assert_int_equal(f->line, 9);
	conf_free(conf);
}

static void
test_conf_notify_exec(void **state)
{
	struct conf		*conf;
	struct conf_notify	*n;

	conf = load_at(
	    "[notify \"hook\"]\n"
	    "type = exec\n"
	    "command = /usr/local/bin/hook --quiet\n"
	    "timeout = 2m\n"
	    "feeds = https://a.example/feed, file:local.xml\n"
	    "tags = news\n"
	    "match = korea|seoul\n"
	    "skip_repeats = yes\n"
	    "retry_initial = 10s\n"
	    "retry_max = 2h\n"
	    "max_attempts = 3\n"
	    "[notify \"plain\"]\n"
	    "type = exec\n"
	    "command = cat\n", NOWHERE);
	assert_int_equal(conf->nnotifiers, 2);
	n = &conf->notifiers[0];
	assert_string_equal(n->name, "hook");
	assert_string_equal(n->type, "exec");
	assert_string_equal(n->command, "/usr/local/bin/hook --quiet");
	assert_int_equal(n->timeout, 120);
	assert_int_equal(n->nfeeds, 2);
	assert_string_equal(n->feeds[0], "https://a.example/feed");
	assert_string_equal(n->feeds[1],
	    "file:///nonexistent/etc/local.xml");
	assert_int_equal(n->ntags, 1);
	assert_string_equal(n->tags[0], "news");
	assert_string_equal(n->match, "korea|seoul");
	assert_int_equal(n->skip_repeats, 1);
	assert_int_equal(n->retry_initial, 10);
	assert_int_equal(n->retry_max, 7200);
	assert_int_equal(n->max_attempts, 3);
	assert_int_equal(n->line, 1);
	/* The other types' keys stay unset. */
	assert_null(n->to);
	assert_null(n->sendmail);
	assert_null(n->mode);
	assert_null(n->url);
	assert_null(n->format);

	n = &conf->notifiers[1];
	assert_string_equal(n->name, "plain");
	assert_int_equal(n->timeout, 30);
	assert_int_equal(n->nfeeds, 0);
	assert_int_equal(n->ntags, 0);
	assert_null(n->match);
	assert_int_equal(n->skip_repeats, 0);
	assert_int_equal(n->retry_initial, 30);
	assert_int_equal(n->retry_max, 3600);
	assert_int_equal(n->max_attempts, 10);
	assert_int_equal(n->line, 12);
	conf_free(conf);
}

static void
test_conf_notify_mail(void **state)
{
	struct conf		*conf;
	struct conf_notify	*n;

	conf = load_ok(
	    "[notify \"each\"]\n"
	    "type = mail\n"
	    "to = me@example.org\n"
	    "[notify \"digest\"]\n"
	    "type = mail\n"
	    "to = me@example.org, you@example.org\n"
	    "from = feedd@example.org\n"
	    "sendmail = /usr/lib/sendmail -t\n"
	    "mode = digest\n"
	    "digest_interval = 1d\n");
	n = &conf->notifiers[0];
	assert_string_equal(n->type, "mail");
	assert_string_equal(n->to, "me@example.org");
	assert_null(n->from);
	assert_string_equal(n->sendmail, "/usr/sbin/sendmail -t -oi");
	assert_string_equal(n->mode, "each");
	assert_int_equal(n->digest_interval, 3600);
	assert_null(n->command);
	assert_null(n->format);
	n = &conf->notifiers[1];
	assert_string_equal(n->to, "me@example.org, you@example.org");
	assert_string_equal(n->from, "feedd@example.org");
	assert_string_equal(n->sendmail, "/usr/lib/sendmail -t");
	assert_string_equal(n->mode, "digest");
	assert_int_equal(n->digest_interval, 86400);
	/* sendmail's timeout: 60s by default, settable as exec's is. */
	assert_int_equal(conf->notifiers[0].timeout, 60);
	assert_int_equal(n->timeout, 60);
	conf_free(conf);

	conf = load_ok(
	    "[notify \"m\"]\n"
	    "type = mail\n"
	    "to = a@example.org, \"Bob, Jr.\" <bob@example.org>, "
	    "Me \xc3\x9c <me@example.org>, root\n"
	    "from = Feeds Bot <bot@example.org>\n"
	    "timeout = 5s\n");
	assert_int_equal(conf->notifiers[0].timeout, 5);
	assert_string_equal(conf->notifiers[0].from,
	    "Feeds Bot <bot@example.org>");
	conf_free(conf);
}

/* "from" and "to" must make headers: a bad one is named with its line. */
static void
test_conf_notify_mail_addresses(void **state)
{
	static const struct error_case	 cases[] = {
		{ "[notify \"n\"]\ntype = mail\nto = me@x\n"
		  "from = Feeds Bot bot@example.org\n",
		  "test.conf:4: bad from \"Feeds Bot bot@example.org\": a "
		  "space or a character an address cannot have (a display "
		  "name goes before the address in <>) (one address such as "
		  "feedd@example.org, or Name <feedd@example.org>)" },
		{ "[notify \"n\"]\ntype = mail\nto = me@x\n"
		  "from = Feeds Bot <bot@example.org\n",
		  "test.conf:4: bad from \"Feeds Bot <bot@example.org\": no "
		  "\">\" at the end of the address (one address such as "
		  "feedd@example.org, or Name <feedd@example.org>)" },
		{ "[notify \"n\"]\ntype = mail\nto = me@x\nfrom = feedd\n",
		  "test.conf:4: bad from \"feedd\": no @domain in the address "
		  "(one address such as feedd@example.org, or Name "
		  "<feedd@example.org>)" },
		{ "[notify \"n\"]\ntype = mail\nto = me@x\n"
		  "from = a@example.org, b@example.org\n",
		  "test.conf:4: bad from \"a@example.org, b@example.org\": a "
		  "space or a character an address cannot have (a display "
		  "name goes before the address in <>) (one address such as "
		  "feedd@example.org, or Name <feedd@example.org>)" },
		{ "[notify \"n\"]\ntype = mail\nto = me@x\n"
		  "from = Bob, Jr. <bob@example.org>\n",
		  "test.conf:4: bad from \"Bob, Jr. <bob@example.org>\": a "
		  "display name with \" , ; > or \\ that is not quoted (one "
		  "address such as feedd@example.org, or Name "
		  "<feedd@example.org>)" },
		{ "[notify \"n\"]\ntype = mail\nto = me@ex\xc3\xa4mple.org\n",
		  "test.conf:3: bad to \"me@ex\xc3\xa4mple.org\": a non-ASCII "
		  "address (only a display name may have other characters) "
		  "(addresses such as me@example.org or Name "
		  "<me@example.org>, separated by commas)" },
		{ "[notify \"n\"]\ntype = mail\nto = a@x, \"Bob <bob@x>\n",
		  "test.conf:3: bad to \"a@x, \"Bob <bob@x>\": an unterminated "
		  "quote (addresses such as me@example.org or Name "
		  "<me@example.org>, separated by commas)" },
		{ "[notify \"n\"]\ntype = mail\nto = a@x,,b@x\n",
		  "test.conf:3: bad to \"a@x,,b@x\": no address (addresses "
		  "such as me@example.org or Name <me@example.org>, "
		  "separated by commas)" },
	};

	error_table(cases, NITEMS(cases));
}

static void
test_conf_notify_webhook(void **state)
{
	struct conf		*conf;
	struct conf_notify	*n;

	conf = load_ok(
	    "[notify \"generic\"]\n"
	    "type = webhook\n"
	    "url = https://hooks.example.org/feedd\n"
	    "secret = s3cret\n"
	    "token = abc\n"
	    "[notify \"ntfy\"]\n"
	    "type = webhook\n"
	    "url = http://ntfy.example.org/news\n"
	    "format = ntfy\n"
	    "timeout = 5s\n");
	n = &conf->notifiers[0];
	assert_string_equal(n->type, "webhook");
	assert_string_equal(n->url, "https://hooks.example.org/feedd");
	assert_string_equal(n->format, "json");
	assert_string_equal(n->secret, "s3cret");
	assert_string_equal(n->token, "abc");
	assert_int_equal(n->timeout, 30);
	assert_null(n->sendmail);
	assert_null(n->mode);
	n = &conf->notifiers[1];
	assert_int_equal(n->timeout, 5);
	assert_string_equal(n->url, "http://ntfy.example.org/news");
	assert_string_equal(n->format, "ntfy");
	assert_null(n->secret);
	assert_null(n->token);
	conf_free(conf);
}

static void
test_conf_duration_valid(void **state)
{
	static const struct duration_case	 cases[] = {
		{ "1", 1 },
		{ "90", 90 },
		{ "90s", 90 },
		{ "15m", 900 },
		{ "2h", 7200 },
		{ "1d", 86400 },
		{ "1w", 604800 },
		{ "1h30m", 5400 },
		{ "1d12h", 129600 },
		{ "2w3d4h5m6s", 1483506 },
		{ "0h30m", 1800 },
		{ "007m", 420 },
		{ "  15m", 900 },
		{ "15m  ", 900 },
		{ "\t2h\t", 7200 },
		{ "36500d", INT64_C(3153600000) },
		{ "3153600000", INT64_C(3153600000) },
	};
	int64_t					 d;
	size_t					 i;

	for (i = 0; i < NITEMS(cases); i++) {
		d = -7;
		if (conf_parse_duration(cases[i].in, &d) != 0)
			fail_msg("duration \"%s\" rejected", cases[i].in);
		if (d != cases[i].want)
			fail_msg("duration \"%s\": %lld, wanted %lld",
			    cases[i].in, (long long)d,
			    (long long)cases[i].want);
	}
}

static void
test_conf_duration_invalid(void **state)
{
	static const char *const	 bad[] = {
		"", " ", "s", "m5", "0", "0s", "0h0m", "-5m", "+5m", "1.5h",
		"15x", "15 m", "1h 30m", "1h30", "30m1h", "1h1h", "1ms",
		"15M", "1H", "1D", "99999999999999999d", "36501d",
		"3153600001", "9223372036854775807",
		"99999999999999999999999999", "5m,", "0x10",
	};
	int64_t				 d;
	size_t				 i;

	for (i = 0; i < NITEMS(bad); i++) {
		d = -7;
		if (conf_parse_duration(bad[i], &d) == 0)
			fail_msg("duration \"%s\" accepted as %lld", bad[i],
			    (long long)d);
		/* A failure leaves the value alone. */
		assert_int_equal(d, -7);
	}
}

static void
test_conf_size(void **state)
{
	static const struct duration_case	 good[] = {
		{ "1", 1 },
		{ "4096", 4096 },
		{ "512K", 524288 },
		{ "512k", 524288 },
		{ "16M", 16777216 },
		{ "16m", 16777216 },
		{ "1G", 1073741824 },
		{ "1g", 1073741824 },
		{ " 2M ", 2097152 },
		{ "8589934591G", INT64_C(9223372035781033984) },
		{ "9223372036854775807", INT64_MAX },
	};
	static const char *const		 bad[] = {
		"", "0", "0K", "-1", "1.5M", "1T", "1KB", "1MiB", "1 M", "K",
		"8589934592G", "9223372036854775808", "16M16K",
	};
	int64_t					 n;
	size_t					 i;

	for (i = 0; i < NITEMS(good); i++) {
		n = -7;
		if (conf_parse_size(good[i].in, &n) != 0)
			fail_msg("size \"%s\" rejected", good[i].in);
		if (n != good[i].want)
			fail_msg("size \"%s\": %lld", good[i].in,
			    (long long)n);
	}
	for (i = 0; i < NITEMS(bad); i++) {
		n = -7;
		if (conf_parse_size(bad[i], &n) == 0)
			fail_msg("size \"%s\" accepted as %lld", bad[i],
			    (long long)n);
		assert_int_equal(n, -7);
	}
}

static void
test_conf_bool(void **state)
{
	static const char *const	 yes[] = { "yes", "YES", "Yes", "true",
	    "True", "on", "ON", "1", " yes ", };
	static const char *const	 no[] = { "no", "NO", "false", "FALSE",
	    "off", "Off", "0", "\tno" };
	static const char *const	 bad[] = { "", "y", "n", "2", "yess",
	    "enable", "nope", "o", "01", "-1", "yes no" };
	size_t				 i;
	int				 b;

	for (i = 0; i < NITEMS(yes); i++) {
		b = -1;
		assert_int_equal(conf_parse_bool(yes[i], &b), 0);
		assert_int_equal(b, 1);
	}
	for (i = 0; i < NITEMS(no); i++) {
		b = -1;
		assert_int_equal(conf_parse_bool(no[i], &b), 0);
		assert_int_equal(b, 0);
	}
	for (i = 0; i < NITEMS(bad); i++) {
		b = -1;
		if (conf_parse_bool(bad[i], &b) == 0)
			fail_msg("boolean \"%s\" accepted", bad[i]);
		assert_int_equal(b, -1);
	}
}

static void
test_conf_split_list(void **state)
{
	char	**list;
	size_t	  n, i;

	assert_int_equal(conf_split_list("news, korea ,asia", &list, &n), 0);
	assert_int_equal(n, 3);
	assert_string_equal(list[0], "news");
	assert_string_equal(list[1], "korea");
	assert_string_equal(list[2], "asia");
	for (i = 0; i < n; i++)
		free(list[i]);
	free(list);

	/* Empty items and repeats go. */
	assert_int_equal(conf_split_list(" , a,,\tb ,a, ,", &list, &n), 0);
	assert_int_equal(n, 2);
	assert_string_equal(list[0], "a");
	assert_string_equal(list[1], "b");
	for (i = 0; i < n; i++)
		free(list[i]);
	free(list);

	/* Nothing at all: no array. */
	list = (char **)&n;
	assert_int_equal(conf_split_list("", &list, &n), 0);
	assert_int_equal(n, 0);
	assert_null(list);
	assert_int_equal(conf_split_list(" , ,", &list, &n), 0);
	assert_int_equal(n, 0);
	assert_null(list);

	/* Quotes keep commas and spaces, and go when they wrap an item. */
	assert_int_equal(conf_split_list("\"https://x.example/?a=1,2\", "
	    "\" spaced \", \"\", plain, in\"ner\"", &list, &n), 0);
	assert_int_equal(n, 4);
	assert_string_equal(list[0], "https://x.example/?a=1,2");
	assert_string_equal(list[1], " spaced ");
	assert_string_equal(list[2], "plain");
	assert_string_equal(list[3], "in\"ner\"");
	for (i = 0; i < n; i++)
		free(list[i]);
	free(list);

	/* Unbalanced quotes. */
	list = NULL;
	n = 9;
	assert_int_equal(conf_split_list("a, \"b, c", &list, &n), -1);
	assert_null(list);
	assert_int_equal(n, 0);
}

static void
test_conf_quoted_values(void **state)
{
	struct conf	*conf;

	conf = load_ok(
	    "[daemon]\n"
	    "user_agent = \" padded \"\n"
	    "default_interval = \"2h\"\n"
	    "allow_private = \"yes\"\n"
	    "retention = \"30d, 500\"\n"
	    "[feed \"https://example.org/feed\"]\n"
	    "title = \"Say \"hi\"\"\n"
	    "tags = \"news\", \"a, b\"\n");
	assert_string_equal(conf->user_agent, " padded ");
	assert_int_equal(conf->default_interval, 7200);
	assert_int_equal(conf->allow_private, 1);
	assert_int_equal(conf->retention_age, 30 * 86400);
	assert_int_equal(conf->retention_items, 500);
	assert_string_equal(conf->feeds[0].title, "Say \"hi\"");
	assert_int_equal(conf->feeds[0].ntags, 2);
	assert_string_equal(conf->feeds[0].tags[0], "news");
	assert_string_equal(conf->feeds[0].tags[1], "a, b");
	conf_free(conf);

	load_err("[feed \"https://example.org/feed\"]\n"
	    "title = \"open\n",
	    "test.conf:2: unterminated quote in value of title");
	/* inih cuts "x ; y" at " ;", even inside quotes: say so. */
	load_err("[feed \"https://example.org/feed\"]\n"
	    "title = \"x ; y\"\n",
	    "test.conf:2: unterminated quote in value of title "
	    "(\" ;\" starts a comment, even inside quotes)");
	load_err("[feed \"https://example.org/feed\"]\n"
	    "\n"
	    "tags = news, \"korea\n",
	    "test.conf:3: unterminated quote in list for tags");
	load_err("[feed \"https://example.org/feed\"]\n"
	    "title = \"\"\n",
	    "test.conf:2: empty value for title");
}

static void
test_conf_inline_comments(void **state)
{
	struct conf	*conf;

	conf = load_ok(
	    "[daemon] ; the daemon\n"
	    "timeout = 45s ; a comment\n"
	    "user_agent = a;b\n"
	    "socket_group = wheel # not a comment\n"
	    "[feed \"https://example.org/a;b\"]   # a comment\n"
	    "title = T;\n");
	assert_int_equal(conf->timeout, 45);
	assert_string_equal(conf->user_agent, "a;b");
	assert_string_equal(conf->socket_group, "wheel # not a comment");
	assert_string_equal(conf->feeds[0].url, "https://example.org/a;b");
	assert_string_equal(conf->feeds[0].title, "T;");
	conf_free(conf);
}

static void
test_conf_indentation(void **state)
{
	struct conf	*conf;

	/* An indented line is a key of its own, never a continuation. */
	conf = load_ok(
	    "[feed \"https://example.org/feed\"]\n"
	    "    title = Indented\n"
	    "\ttags = a, b\n"
	    "  [feed \"https://example.org/other\"]\n"
	    "  enabled = off\n");
	assert_int_equal(conf->nfeeds, 2);
	assert_string_equal(conf->feeds[0].title, "Indented");
	assert_int_equal(conf->feeds[0].ntags, 2);
	assert_int_equal(conf->feeds[1].enabled, 0);
	assert_int_equal(conf->feeds[1].line, 4);
	conf_free(conf);

	load_err("[feed \"https://example.org/feed\"]\n"
	    "title = One\n"
	    "   More words\n",
	    "test.conf:3: expected \"key = value\"");
}

static void
test_conf_relative_paths(void **state)
{
	struct conf	*conf;
	char		*cwd, *want;

	conf = load_at(
	    "[daemon]\n"
	    "database = state/feedd.db\n"
	    "socket = ../run/feedd.sock\n", NOWHERE);
	assert_string_equal(conf->database,
	    "/nonexistent/etc/state/feedd.db");
	assert_string_equal(conf->socket, "/nonexistent/etc/../run/feedd.sock");
	assert_string_equal(conf->path, NOWHERE);
	conf_free(conf);

	conf = load_at("[daemon]\ndatabase = /abs/feedd.db\n", NOWHERE);
	assert_string_equal(conf->database, "/abs/feedd.db");
	conf_free(conf);

	/* A PostgreSQL connection string is not a path: kept as it is. */
	conf = load_at("[daemon]\ndatabase = postgresql://feedd@db/feedd"
	    "?sslmode=require\n", NOWHERE);
	assert_string_equal(conf->database,
	    "postgresql://feedd@db/feedd?sslmode=require");
	conf_free(conf);
	conf = load_at("[daemon]\ndatabase = host=db dbname=feedd\n",
	    NOWHERE);
	assert_string_equal(conf->database, "host=db dbname=feedd");
	conf_free(conf);
	assert_true(conf_database_is_pg("postgres://db/feedd"));
	assert_true(conf_database_is_pg(" dbname = feedd"));
	assert_false(conf_database_is_pg("state/feedd.db"));
	assert_false(conf_database_is_pg("/srv/a=b.db"));
	assert_false(conf_database_is_pg("postgresql.db"));

	/* A bare file name: relative to the working directory. */
	cwd = getcwd(NULL, 0);
	assert_non_null(cwd);
	want = malloc(strlen(cwd) + sizeof("/x.db"));
	assert_non_null(want);
	sprintf(want, "%s/x.db", cwd);
	conf = load_ok("[daemon]\ndatabase = x.db\n");
	assert_string_equal(conf->database, want);
	conf_free(conf);
	free(want);
	free(cwd);

	/* From the root directory. */
	conf = load_at("[daemon]\nsocket = feedd.sock\n",
	    "/nonexistent-feedd-test.conf");
	assert_string_equal(conf->socket, "/feedd.sock");
	conf_free(conf);
}

static void
test_conf_file_urls(void **state)
{
	struct conf	*conf;

	conf = load_at(
	    "[feed \"file:samples/devdiscourse.rss\"]\n"
	    "[feed \"file:../x.atom\"]\n"
	    "[feed \"file:///srv/feeds/a.xml\"]\n"
	    "[feed \"file:/srv/feeds/b.xml\"]\n"
	    "[feed \"FILE:c.xml\"]\n", NOWHERE);
	assert_int_equal(conf->nfeeds, 5);
	assert_string_equal(conf->feeds[0].url,
	    "file:///nonexistent/etc/samples/devdiscourse.rss");
	assert_string_equal(conf->feeds[1].url,
	    "file:///nonexistent/etc/../x.atom");
	assert_string_equal(conf->feeds[2].url, "file:///srv/feeds/a.xml");
	assert_string_equal(conf->feeds[3].url, "file:///srv/feeds/b.xml");
	assert_string_equal(conf->feeds[4].url,
	    "file:///nonexistent/etc/c.xml");
	conf_free(conf);

	/* The directory is percent-encoded; what was written is not. */
	conf = load_at("[feed \"file:a%20b.xml\"]\n",
	    "/nonexistent/my feeds/100%/t.conf");
	assert_string_equal(conf->feeds[0].url,
	    "file:///nonexistent/my%20feeds/100%25/a%20b.xml");
	conf_free(conf);
}

static void
test_conf_bad_urls(void **state)
{
	static const struct error_case	 cases[] = {
		{ "[feed \"ftp://example.org/feed\"]\n",
		  "test.conf:1: unsupported URL scheme in "
		  "\"ftp://example.org/feed\" (http, https or file)" },
		{ "\n[feed \"example.org/feed\"]\n",
		  "test.conf:2: unsupported URL scheme in \"example.org/feed\" "
		  "(http, https or file)" },
		{ "[feed \"gopher:x\"]\n",
		  "test.conf:1: unsupported URL scheme in \"gopher:x\" "
		  "(http, https or file)" },
		{ "[feed \"https://\"]\n",
		  "test.conf:1: no host in URL \"https://\"" },
		{ "[feed \"http:///path\"]\n",
		  "test.conf:1: no host in URL \"http:///path\"" },
		{ "[feed \"\"]\n",
		  "test.conf:1: empty URL" },
		{ "[feed \"https://example.org/a feed\"]\n",
		  "test.conf:1: space in URL \"https://example.org/a feed\"" },
		{ "[feed \"file:\"]\n",
		  "test.conf:1: empty path in URL \"file:\"" },
		{ "[feed \"file://host/x.xml\"]\n",
		  "test.conf:1: file URL \"file://host/x.xml\" names a host "
		  "(file:///PATH is absolute, file:PATH relative)" },
		{ "[notify \"n\"]\ntype = exec\ncommand = x\n"
		  "feeds = https://ok.example/, ftp://bad.example/\n",
		  "test.conf:4: unsupported URL scheme in "
		  "\"ftp://bad.example/\" (http, https or file)" },
		{ "[notify \"n\"]\ntype = webhook\nurl = file:hook\n",
		  "test.conf:3: unsupported URL scheme in \"file:hook\" "
		  "(http or https)" },
	};

	error_table(cases, NITEMS(cases));
}

static void
test_conf_error_line(void **state)
{
	/* Line 7 holds the unknown key; blank and comment lines count. */
	load_err(
	    "; feedd test\n"
	    "\n"
	    "[daemon]\n"
	    "timeout = 10s\n"
	    "# a comment\n"
	    "\n"
	    "colour = blue\n"
	    "database = /x\n",
	    "test.conf:7: unknown key \"colour\" in [daemon]");
	/* A file that ends without a newline still counts its last line. */
	load_err("[daemon]\n\n\ntimeout = 15x",
	    "test.conf:4: bad duration \"15x\" for timeout");
}

static void
test_conf_first_error_wins(void **state)
{
	load_err(
	    "[daemon]\n"
	    "timeout = 15x\n"
	    "colour = blue\n"
	    "[bogus]\n",
	    "test.conf:2: bad duration \"15x\" for timeout");
	/* A syntax error inih finds before one of ours. */
	load_err(
	    "[daemon]\n"
	    "no equals sign\n"
	    "timeout = 15x\n",
	    "test.conf:2: expected \"key = value\"");
	/* One of ours before a syntax error. */
	load_err(
	    "[daemon]\n"
	    "timeout = 15x\n"
	    "no equals sign\n",
	    "test.conf:2: bad duration \"15x\" for timeout");
	/* A value error comes before a check between keys. */
	load_err(
	    "[daemon]\n"
	    "min_interval = 2h\n"
	    "max_parallel = 0\n",
	    "test.conf:3: bad number \"0\" for max_parallel (1 to 10000)");
}

static void
test_conf_syntax_error(void **state)
{
	static const struct error_case	 cases[] = {
		{ "[daemon]\ntimeout\n",
		  "test.conf:2: expected \"key = value\"" },
		{ "[daemon]\ntimeout ; = 5s\n",
		  "test.conf:2: expected \"key = value\"" },
		{ "[daemon]\n= 5s\n",
		  "test.conf:2: missing key name before \"=\"" },
	};

	error_table(cases, NITEMS(cases));
}

static void
test_conf_sections(void **state)
{
	static const struct error_case	 cases[] = {
		{ "[server]\n",
		  "test.conf:1: unknown section [server] (expected [daemon], "
		  "[feed \"URL\"], [notify \"NAME\"] or [rule \"NAME\"])"
		},
		{ "\n\n[Daemon]\n",
		  "test.conf:3: unknown section [Daemon] (expected [daemon], "
		  "[feed \"URL\"], [notify \"NAME\"] or [rule \"NAME\"])"
		},
		{ "[daemon \"x\"]\n",
		  "test.conf:1: unknown section [daemon \"x\"] (expected "
		  "[daemon], [feed \"URL\"], [notify \"NAME\"] or "
		  "[rule \"NAME\"])" },
		{ "[feed https://example.org/]\n",
		  "test.conf:1: unknown section [feed https://example.org/] "
		  "(expected [daemon], [feed \"URL\"], [notify \"NAME\"] or "
		  "[rule \"NAME\"])" },
		{ "[feed]\n",
		  "test.conf:1: section [feed] needs a quoted URL: "
		  "[feed \"URL\"]" },
		{ "[notify]\n",
		  "test.conf:1: section [notify] needs a quoted name: "
		  "[notify \"NAME\"]" },
		{ "[notify \"\"]\n",
		  "test.conf:1: empty notifier name" },
		{ "[daemon\n",
		  "test.conf:1: missing \"]\" in section header" },
		{ "[feed \"https://example.org/\"\n",
		  "test.conf:1: missing \"]\" in section header" },
		{ "[feed \"https://example.org/]\n",
		  "test.conf:1: missing closing quote in section header" },
		{ "[daemon] timeout = 5s\n",
		  "test.conf:1: unexpected text after section header" },
		{ "[]\n",
		  "test.conf:1: unknown section [] (expected [daemon], "
		  "[feed \"URL\"], [notify \"NAME\"] or [rule \"NAME\"])"
		},
	};
	struct conf			*conf;

	error_table(cases, NITEMS(cases));

	/* Spaces inside the brackets do not matter. */
	conf = load_ok("[ daemon ]\ntimeout = 5s\n"
	    "[ feed  \"https://example.org/\" ]\n"
	    "[notify\"n\"]\ntype = exec\ncommand = x\n");
	assert_int_equal(conf->timeout, 5);
	assert_string_equal(conf->feeds[0].url, "https://example.org/");
	assert_string_equal(conf->notifiers[0].name, "n");
	conf_free(conf);
}

static void
test_conf_key_outside_section(void **state)
{
	load_err("# top\ntimeout = 5s\n[daemon]\n",
	    "test.conf:2: key \"timeout\" outside a section");
}

static void
test_conf_unknown_keys(void **state)
{
	static const struct error_case	 cases[] = {
		{ "[daemon]\ninterval = 5m\n",
		  "test.conf:2: unknown key \"interval\" in [daemon]" },
		{ "[feed \"https://example.org/\"]\nTitle = x\n",
		  "test.conf:2: unknown key \"Title\" in [feed]" },
		{ "[feed \"https://example.org/\"]\nmax_parallel = 5\n",
		  "test.conf:2: unknown key \"max_parallel\" in [feed]" },
		{ "[notify \"n\"]\ntype = exec\ncommand = x\nchannel = y\n",
		  "test.conf:4: unknown key \"channel\" in [notify]" },
	};

	error_table(cases, NITEMS(cases));
}

static void
test_conf_duplicate_key(void **state)
{
	static const struct error_case	 cases[] = {
		{ "[daemon]\ntimeout = 5s\nsocket = /x\ntimeout = 6s\n",
		  "test.conf:4: duplicate key \"timeout\" (first at line 2)" },
		{ "[feed \"https://example.org/\"]\ntags = a\ntags = b\n",
		  "test.conf:3: duplicate key \"tags\" (first at line 2)" },
		{ "[notify \"n\"]\ntype = exec\ntype = mail\n",
		  "test.conf:3: duplicate key \"type\" (first at line 2)" },
	};
	struct conf			*conf;

	error_table(cases, NITEMS(cases));

	/* The same key in two feeds is no repeat. */
	conf = load_ok("[feed \"https://a.example/\"]\ntitle = A\n"
	    "[feed \"https://b.example/\"]\ntitle = B\n");
	assert_string_equal(conf->feeds[0].title, "A");
	assert_string_equal(conf->feeds[1].title, "B");
	conf_free(conf);
}

static void
test_conf_duplicate_feed(void **state)
{
	struct conf	*conf;
	char		*cause = NULL;

	load_err("[feed \"https://example.org/feed\"]\n"
	    "title = A\n"
	    "\n"
	    "[feed \"https://example.org/feed\"]\n",
	    "test.conf:4: duplicate feed \"https://example.org/feed\" "
	    "(first at line 1)");
	/* Equal once resolved. */
	conf = conf_load_string("[feed \"file:///nonexistent/etc/a.xml\"]\n"
	    "[feed \"file:a.xml\"]\n", NOWHERE, &cause);
	assert_null(conf);
	assert_string_equal(cause, NOWHERE ":2: duplicate feed \"file:a.xml\" "
	    "(first at line 1)");
	free(cause);
	/* Different URLs, however alike, are different feeds. */
	conf = load_ok("[feed \"https://example.org/feed\"]\n"
	    "[feed \"https://example.org/feed/\"]\n"
	    "[feed \"http://example.org/feed\"]\n");
	assert_int_equal(conf->nfeeds, 3);
	conf_free(conf);
}

static void
test_conf_duplicate_notifier(void **state)
{
	load_err("[notify \"n\"]\ntype = exec\ncommand = x\n"
	    "[notify \"n\"]\n",
	    "test.conf:4: duplicate notifier \"n\" (first at line 1)");
	load_err("[daemon]\ntimeout = 5s\n[feed \"https://a.example/\"]\n"
	    "[daemon]\n",
	    "test.conf:4: duplicate section [daemon] (first at line 1)");
}

static void
test_conf_section_without_keys(void **state)
{
	struct conf	*conf;

	conf = load_ok("[feed \"https://a.example/\"]\n"
	    "[feed \"https://b.example/\"]\n"
	    "; nothing\n"
	    "[feed \"https://c.example/\"]");
	assert_int_equal(conf->nfeeds, 3);
	assert_string_equal(conf->feeds[0].url, "https://a.example/");
	assert_int_equal(conf->feeds[0].line, 1);
	assert_string_equal(conf->feeds[1].url, "https://b.example/");
	assert_int_equal(conf->feeds[1].line, 2);
	assert_string_equal(conf->feeds[2].url, "https://c.example/");
	assert_int_equal(conf->feeds[2].line, 4);
	assert_null(conf->feeds[2].title);
	assert_int_equal(conf->feeds[2].enabled, 1);
	conf_free(conf);

	/* A notifier without keys lacks its type. */
	load_err("[notify \"empty\"]\n",
	    "test.conf:1: notifier \"empty\" has no type (mail, webhook or "
	    "exec)");
}

static void
test_conf_long_line(void **state)
{
	struct conf	*conf;
	char		*title, *text, *url;
	size_t		 pad;

	/* Past inih's 199 characters, a key and its value still read. */
	title = repeat('t', 191);
	text = malloc(16384);
	assert_non_null(text);
	snprintf(text, 16384, "[feed \"https://example.org/\"]\ntitle = %s\n",
	    title);
	conf = load_ok(text);
	assert_string_equal(conf->feeds[0].title, title);
	conf_free(conf);
	free(title);

	/* A bearer token of 2,000 characters, a comment after it, and a
	 * quoted value with ":" in it: split as a short line is. */
	title = repeat('k', 2000);
	snprintf(text, 16384, "[feed \"https://example.org/\"]\n\n"
	    "headers = Authorization: Bearer %s ; the token\n"
	    "title = \"%s: x\"\n", title, title);
	conf = load_ok(text);
	assert_non_null(strstr(conf->feeds[0].opts.headers[0], title));
	assert_int_equal(strlen(conf->feeds[0].opts.headers[0]),
	    strlen("Authorization: Bearer ") + 2000);
	assert_int_equal(strlen(conf->feeds[0].title), 2003);
	conf_free(conf);
	free(title);

	/* 8,191 characters at most; a long line without "=" is refused. */
	title = repeat('t', 8191 - 8 + 1);
	snprintf(text, 16384, "[feed \"https://example.org/\"]\n\ntitle = %s\n",
	    title);
	load_err(text, "test.conf:3: line too long (max 8191 characters)");
	free(title);
	title = repeat('t', 300);
	snprintf(text, 16384, "[feed \"https://example.org/\"]\n%s\n", title);
	load_err(text, "test.conf:2: line too long (max 8191 characters)");
	free(title);
	free(text);
	text = malloc(512);
	assert_non_null(text);

	/* Indentation does not count. */
	title = repeat('t', 191);
	snprintf(text, 512, "[feed \"https://example.org/\"]\n\t\t  "
	    "title = %s\n", title);
	conf = load_ok(text);
	assert_string_equal(conf->feeds[0].title, title);
	conf_free(conf);
	free(title);
	free(text);

	/* Headers and comments are read whole, at any length. */
	pad = 1000;
	url = repeat('a', pad);
	memcpy(url, "https://example.org/?", 21);
	text = malloc(3 * pad);
	assert_non_null(text);
	snprintf(text, 3 * pad, "; %s\n[feed \"%s\"]\ntitle = x\n", url, url);
	conf = load_ok(text);
	assert_int_equal(conf->nfeeds, 1);
	assert_string_equal(conf->feeds[0].url, url);
	assert_int_equal(conf->feeds[0].line, 2);
	assert_string_equal(conf->feeds[0].title, "x");
	conf_free(conf);
	free(text);
	free(url);
}

static void
test_conf_control_character(void **state)
{
	load_err("[daemon]\nuser_agent = a\033[1mb\n",
	    "test.conf:2: control character 0x1b in line");
	load_err("[daemon]\n\ruser_agent = a\n",
	    "test.conf:2: control character 0x0d in line");
}

static void
test_conf_crlf_and_bom(void **state)
{
	struct conf	*conf;

	conf = load_ok("\xef\xbb\xbf[daemon]\r\ntimeout = 5s\r\n\r\n"
	    "[feed \"https://example.org/\"]\r\ntitle = T\r\n");
	assert_int_equal(conf->timeout, 5);
	assert_string_equal(conf->feeds[0].title, "T");
	assert_int_equal(conf->feeds[0].line, 4);
	conf_free(conf);
}

static void
test_conf_bad_values(void **state)
{
	static const struct error_case	 cases[] = {
		{ "[daemon]\ndefault_interval = 15x\n",
		  "test.conf:2: bad duration \"15x\" for default_interval" },
		{ "[daemon]\nmin_interval = 1.5h\n",
		  "test.conf:2: bad duration \"1.5h\" for min_interval" },
		{ "[daemon]\ntimeout = 0\n",
		  "test.conf:2: bad duration \"0\" for timeout" },
		{ "[daemon]\nmax_interval = 99999999999999999d\n",
		  "test.conf:2: bad duration \"99999999999999999d\" for "
		  "max_interval" },
		{ "[daemon]\nmax_feed_size = 16Q\n",
		  "test.conf:2: bad size \"16Q\" for max_feed_size" },
		{ "[daemon]\nallow_private = maybe\n",
		  "test.conf:2: bad boolean \"maybe\" for allow_private "
		  "(yes or no)" },
		{ "[daemon]\nmax_parallel = 10001\n",
		  "test.conf:2: bad number \"10001\" for max_parallel "
		  "(1 to 10000)" },
		{ "[daemon]\nmax_parallel = -1\n",
		  "test.conf:2: bad number \"-1\" for max_parallel "
		  "(1 to 10000)" },
		{ "[daemon]\nmax_per_host = 2x\n",
		  "test.conf:2: bad number \"2x\" for max_per_host "
		  "(1 to 10000)" },
		{ "[daemon]\nmax_parallel = 99999999999999999999999\n",
		  "test.conf:2: bad number \"99999999999999999999999\" for "
		  "max_parallel (1 to 10000)" },
		{ "[daemon]\ndatabase =\n",
		  "test.conf:2: empty value for database" },
		{ "[daemon]\nsocket_group = \n",
		  "test.conf:2: empty value for socket_group" },
		{ "[feed \"https://example.org/\"]\ninterval = -5m\n",
		  "test.conf:2: bad duration \"-5m\" for interval" },
		{ "[feed \"https://example.org/\"]\nenabled = 2\n",
		  "test.conf:2: bad boolean \"2\" for enabled (yes or no)" },
		{ "[notify \"n\"]\nmax_attempts = 0\n",
		  "test.conf:2: bad number \"0\" for max_attempts "
		  "(1 to 10000)" },
		{ "[notify \"n\"]\nskip_repeats = sometimes\n",
		  "test.conf:2: bad boolean \"sometimes\" for skip_repeats "
		  "(yes or no)" },
	};

	error_table(cases, NITEMS(cases));
}

static void
test_conf_socket_mode(void **state)
{
	static const struct {
		const char	*in;
		unsigned int	 want;
	} good[] = {
		{ "0660", 0660 }, { "660", 0660 }, { "0", 0 }, { "777", 0777 },
		{ "0777", 0777 }, { "00600", 0600 }, { "\"0600\"", 0600 },
	};
	static const char *const	 bad[] = { "0778", "1777", "0800", "8",
	    "rw-rw----", "-660", "0x1ff", "4294967296" };
	struct conf			*conf;
	char				 text[128], want[192];
	size_t				 i;

	for (i = 0; i < NITEMS(good); i++) {
		snprintf(text, sizeof(text), "[daemon]\nsocket_mode = %s\n",
		    good[i].in);
		conf = load_ok(text);
		assert_int_equal(conf->socket_mode, good[i].want);
		conf_free(conf);
	}
	for (i = 0; i < NITEMS(bad); i++) {
		snprintf(text, sizeof(text), "[daemon]\nsocket_mode = %s\n",
		    bad[i]);
		snprintf(want, sizeof(want), "test.conf:2: bad mode \"%s\" for "
		    "socket_mode (octal, at most 0777)", bad[i]);
		load_err(text, want);
	}
}

static void
test_conf_socket_too_long(void **state)
{
	struct conf	*conf;
	char		*name, text[256], want[320];

	/* sun_path holds 108 bytes: 107 and the NUL. */
	name = repeat('s', 106);
	snprintf(text, sizeof(text), "[daemon]\nsocket = /%s\n", name);
	conf = load_ok(text);
	assert_int_equal(strlen(conf->socket), 107);
	conf_free(conf);
	free(name);

	name = repeat('s', 107);
	snprintf(text, sizeof(text), "[daemon]\nsocket = /%s\n", name);
	snprintf(want, sizeof(want), "test.conf:2: socket path \"/%s\" too "
	    "long (max 107 bytes)", name);
	load_err(text, want);
	free(name);
}

static void
test_conf_retention(void **state)
{
	static const struct {
		const char	*in;
		int64_t		 age;
		int64_t		 items;
	} good[] = {
		{ "30d", 30 * 86400, -1 },
		{ "500", -1, 500 },
		{ "30d, 500", 30 * 86400, 500 },
		{ "500,30d", 30 * 86400, 500 },
		{ "1w12h, 1", 7 * 86400 + 12 * 3600, 1 },
		{ "keep", -1, -1 },
		{ "none", -1, -1 },
		{ "KEEP", -1, -1 },
	};
	static const char *const	 bad[] = { "0", "forever", "30d, 60d",
	    "500, 600", "30d, 500, 1w", "-5", "1.5d", "30 d", ",",
	    "30d 500" };
	struct conf			*conf;
	char				 text[128], want[256];
	size_t				 i;

	conf = load_ok("[daemon]\n");
	assert_int_equal(conf->retention_age, -1);
	assert_int_equal(conf->retention_items, -1);
	conf_free(conf);

	for (i = 0; i < NITEMS(good); i++) {
		snprintf(text, sizeof(text), "[daemon]\nretention = %s\n",
		    good[i].in);
		conf = load_ok(text);
		assert_int_equal(conf->retention_age, good[i].age);
		assert_int_equal(conf->retention_items, good[i].items);
		conf_free(conf);
	}
	for (i = 0; i < NITEMS(bad); i++) {
		snprintf(text, sizeof(text), "[daemon]\nretention = %s\n",
		    bad[i]);
		snprintf(want, sizeof(want), "test.conf:2: bad retention "
		    "\"%s\" (a duration, a number of items, both, or keep)",
		    bad[i]);
		load_err(text, want);
	}
}

static void
test_conf_interval_order(void **state)
{
	static const struct error_case	 cases[] = {
		/* Only one side given: the error sits at that key. */
		{ "[daemon]\ndefault_interval = 1m\n",
		  "test.conf:2: default_interval 1m is less than min_interval "
		  "5m" },
		{ "[daemon]\nmin_interval = 2h\n",
		  "test.conf:2: default_interval 1h is less than min_interval "
		  "2h" },
		{ "[daemon]\ndefault_interval = 2d\n",
		  "test.conf:2: default_interval 2d is greater than "
		  "max_interval 1d" },
		{ "[daemon]\nmax_interval = 30m\n",
		  "test.conf:2: default_interval 1h is greater than "
		  "max_interval 30m" },
		/* Both given: at the later one. */
		{ "[daemon]\ndefault_interval = 90s\ntimeout = 5s\n"
		  "min_interval = 2m\n",
		  "test.conf:4: default_interval 90s is less than "
		  "min_interval 2m" },
		{ "[daemon]\nmin_interval = 2m\ntimeout = 5s\n"
		  "default_interval = 90s\n",
		  "test.conf:4: default_interval 90s is less than "
		  "min_interval 2m" },
	};
	struct conf			*conf;

	error_table(cases, NITEMS(cases));

	/* Equal limits are fine. */
	conf = load_ok("[daemon]\nmin_interval = 1h\nmax_interval = 60m\n");
	assert_int_equal(conf->min_interval, 3600);
	assert_int_equal(conf->default_interval, 3600);
	assert_int_equal(conf->max_interval, 3600);
	conf_free(conf);
}

static void
test_conf_max_per_host(void **state)
{
	struct conf	*conf;

	/* Unset, it follows a smaller max_parallel down. */
	conf = load_ok("[daemon]\nmax_parallel = 2\n");
	assert_int_equal(conf->max_parallel, 2);
	assert_int_equal(conf->max_per_host, 2);
	conf_free(conf);

	conf = load_ok("[daemon]\nmax_parallel = 3\nmax_per_host = 3\n");
	assert_int_equal(conf->max_per_host, 3);
	conf_free(conf);

	load_err("[daemon]\nmax_per_host = 8\nmax_parallel = 4\n",
	    "test.conf:3: max_per_host 8 is greater than max_parallel 4");
	load_err("[daemon]\nmax_per_host = 100\n",
	    "test.conf:2: max_per_host 100 is greater than max_parallel 64");
}

static void
test_conf_feed_interval_limits(void **state)
{
	struct conf	*conf;

	load_err("[feed \"https://example.org/\"]\ntitle = x\ninterval = 1m\n",
	    "test.conf:3: interval 1m is less than min_interval 5m");
	load_err("[feed \"https://example.org/\"]\ninterval = 2d\n",
	    "test.conf:2: interval 2d is greater than max_interval 1d");
	/* The daemon's limits count wherever [daemon] is. */
	conf = load_ok("[feed \"https://example.org/\"]\ninterval = 1m\n"
	    "[daemon]\nmin_interval = 30s\n");
	assert_int_equal(conf->feeds[0].interval, 60);
	conf_free(conf);
}

static void
test_conf_notify_type(void **state)
{
	static const struct error_case	 cases[] = {
		{ "[notify \"n\"]\ncommand = x\n",
		  "test.conf:1: notifier \"n\" has no type (mail, webhook or "
		  "exec)" },
		{ "[notify \"n\"]\ntype = sms\n",
		  "test.conf:2: bad type \"sms\" (one of: mail, webhook, "
		  "exec)" },
		{ "[notify \"n\"]\ntype = Mail\n",
		  "test.conf:2: bad type \"Mail\" (one of: mail, webhook, "
		  "exec)" },
	};

	error_table(cases, NITEMS(cases));
}

static void
test_conf_notify_key_applies(void **state)
{
	static const struct error_case	 cases[] = {
		{ "[notify \"n\"]\ntype = exec\ncommand = x\nto = me@x\n",
		  "test.conf:4: key \"to\" does not apply to type exec" },
		{ "[notify \"n\"]\ntype = exec\ncommand = x\nformat = json\n",
		  "test.conf:4: key \"format\" does not apply to type exec" },
		{ "[notify \"n\"]\ntype = mail\nto = me@x\ncommand = x\n",
		  "test.conf:4: key \"command\" does not apply to type mail" },
		{ "[notify \"n\"]\ntype = webhook\nurl = https://h.example/\n"
		  "command = x\n",
		  "test.conf:4: key \"command\" does not apply to type "
		  "webhook" },
		{ "[notify \"n\"]\ntype = webhook\nurl = https://h.example/\n"
		  "sendmail = /bin/true\n",
		  "test.conf:4: key \"sendmail\" does not apply to type "
		  "webhook" },
		/* The type may come last; the first misplaced key counts. */
		{ "[notify \"n\"]\nurl = https://h.example/\nto = me@x\n"
		  "mode = each\ntype = exec\ncommand = x\n",
		  "test.conf:2: key \"url\" does not apply to type exec" },
	};

	error_table(cases, NITEMS(cases));
}

static void
test_conf_notify_required(void **state)
{
	static const struct error_case	 cases[] = {
		{ "[notify \"n\"]\ntype = exec\ntimeout = 5s\n",
		  "test.conf:1: notifier \"n\" (exec) needs a command" },
		{ "[daemon]\n[notify \"m\"]\ntype = mail\nfrom = a@x\n",
		  "test.conf:2: notifier \"m\" (mail) needs a \"to\" address" },
		{ "[notify \"w\"]\ntype = webhook\nformat = slack\n",
		  "test.conf:1: notifier \"w\" (webhook) needs a url" },
		{ "[notify \"w\"]\ntype = webhook\nurl =\n",
		  "test.conf:3: empty URL" },
	};

	error_table(cases, NITEMS(cases));
}

static void
test_conf_notify_choices(void **state)
{
	static const struct error_case	 cases[] = {
		{ "[notify \"w\"]\ntype = webhook\nurl = https://h.example/\n"
		  "format = xml\n",
		  "test.conf:4: bad format \"xml\" (one of: json, slack, "
		  "discord, matrix, ntfy)" },
		{ "[notify \"m\"]\ntype = mail\nto = a@x\nmode = weekly\n",
		  "test.conf:4: bad mode \"weekly\" (one of: each, digest)" },
		{ "[notify \"w\"]\ntype = webhook\nurl = https://h.example/\n"
		  "format = slack\nsecret = s\n",
		  "test.conf:5: key \"secret\" applies only to format json" },
		{ "[notify \"m\"]\ntype = mail\nto = a@x\n"
		  "digest_interval = 1d\n",
		  "test.conf:4: key \"digest_interval\" applies only to mode "
		  "digest" },
	};
	static const char *const	 formats[] = { "json", "slack",
	    "discord", "matrix", "ntfy" };
	struct conf			*conf;
	char				 text[160];
	size_t				 i;

	error_table(cases, NITEMS(cases));
	for (i = 0; i < NITEMS(formats); i++) {
		snprintf(text, sizeof(text), "[notify \"w\"]\ntype = webhook\n"
		    "url = https://h.example/\nformat = %s\n", formats[i]);
		conf = load_ok(text);
		assert_string_equal(conf->notifiers[0].format, formats[i]);
		conf_free(conf);
	}
}

static void
test_conf_notify_match(void **state)
{
	struct conf	*conf;
	char		*cause = NULL;

	conf = load_ok("[notify \"n\"]\ntype = exec\ncommand = x\n"
	    "match = ^(north|south) korea[[:space:]]+\n");
	assert_string_equal(conf->notifiers[0].match,
	    "^(north|south) korea[[:space:]]+");
	conf_free(conf);

	/* The message is PCRE2's, with where in the pattern it stopped. */
	conf = conf_load_string("[notify \"n\"]\ntype = exec\ncommand = x\n"
	    "match = (korea\n", "test.conf", &cause);
	assert_null(conf);
	assert_non_null(cause);
	assert_true(strncmp(cause, "test.conf:4: bad match \"(korea\": ",
	    33) == 0);
	assert_true(strlen(cause) > 33);
	free(cause);
}

/* A notifier whose filter is "re", as a config file. */
static char *
match_conf(const char *re)
{
	char	*text;

	xasprintf(&text, "[notify \"n\"]\ntype = exec\ncommand = x\n"
	    "match = %s\n", re);
	return (text);
}

/* Refused with "test.conf:4: bad match "RE": WHY". */
static void
match_bad(const char *re, const char *why)
{
	char	*text = match_conf(re), *want;

	xasprintf(&want, "test.conf:4: bad match \"%s\": %s", re, why);
	load_err(text, want);
	free(want);
	free(text);
}

static void
match_good(const char *re)
{
	struct conf	*conf;
	char		*text = match_conf(re);

	conf = load_ok(text);
	free(text);
	assert_string_equal(conf->notifiers[0].match, re);
	conf_free(conf);
}

/*
 * Patterns are compiled by PCRE2: what regcomp() needed guards against
 * (nested repetitions, operators in a row, back-references) is accepted,
 * as its cost is bounded when it runs (test_match); the length and the
 * nesting stay limited, and a pattern PCRE2 cannot compile says why.
 */
static void
test_conf_notify_match_limits(void **state)
{
	struct match	*m;
	char		 long_re[MATCH_MAX_LEN + 2], nest[2 * 40 + 2];
	char		*cause = NULL;
	size_t		 i;

	/* A config line is shorter than this; notify.c compiles again. */
	memset(long_re, 'a', sizeof(long_re) - 1);
	long_re[sizeof(long_re) - 1] = '\0';
	assert_null(match_new(long_re, &cause));
	assert_string_equal(cause, "longer than 1024 bytes");
	free(cause);
	long_re[MATCH_MAX_LEN] = '\0';
	assert_non_null(m = match_new(long_re, &cause));
	match_free(m);
	for (i = 0; i < 40; i++) {
		nest[i] = '(';
		nest[41 + i] = ')';
	}
	nest[40] = 'a';
	nest[81] = '\0';
	match_bad(nest, "parentheses are too deeply nested at offset 33");
	match_bad("((x{1000}){1000}){1000}", "regular expression is too "
	    "large at offset 23");
	match_bad("(a|b)*\\2", "reference to non-existent subpattern at "
	    "offset 7");
	match_bad("a)", "unmatched closing parenthesis at offset 1");
	match_bad("x{2,1}", "numbers out of order in {} quantifier at "
	    "offset 5");
	match_bad("\\C", "using \\C is disabled by the application at "
	    "offset 2");

	/* What people write stays allowed, braces and brackets included. */
	match_good("^(north|south) korea[[:space:]]+");
	match_good("[0-9]{1,3}(\\.[0-9]{1,3}){3}");
	match_good("cve-[0-9]{4}-[0-9]{4,7}");
	match_good("[]a(]{5}|[^]x+]*(rust|go)+");
	match_good("(a{10}){10}(b|c){0,50}");
	match_good("(a+)+(b+)+(c+)+(d+)+(e+)+(f+)+(g+)+(h+)+(i+)+(j+)+");
	match_good("\\(release\\)+ [{]x");
	match_good("^breaking: .*? news$");
	match_good("(a+?|b*?)(c+)?");
	/* Refused by the guards regcomp() needed; bounded when they run. */
	match_good("((((((((((((a+)+)+)+)+)+)+)+)+)+)+)+)+");
	match_good("((((((((((((a)?)?)?)?)?)?)?)?)?)?)?)*");
	match_good("^y*+r");
	/* Not PCRE2 syntax: a quantifier takes at most a "?" or "+". */
	match_bad("x????????????????????????????????????????",
	    "quantifier does not follow a repeatable item at offset 3");
	match_good("(a|b)*\\1");
	match_good("(.*a){20}x");
}

static void
test_conf_notify_retry(void **state)
{
	struct conf	*conf;

	load_err("[notify \"n\"]\ntype = exec\ncommand = x\n"
	    "retry_initial = 2h\n",
	    "test.conf:4: retry_initial 2h is greater than retry_max 1h");
	load_err("[notify \"n\"]\ntype = exec\nretry_max = 10s\n"
	    "command = x\n",
	    "test.conf:3: retry_initial 30s is greater than retry_max 10s");
	conf = load_ok("[notify \"n\"]\ntype = exec\ncommand = x\n"
	    "retry_initial = 1m\nretry_max = 60s\n");
	assert_int_equal(conf->notifiers[0].retry_initial, 60);
	assert_int_equal(conf->notifiers[0].retry_max, 60);
	conf_free(conf);
}

static void
test_conf_find_feed(void **state)
{
	struct conf		*conf;
	const struct conf_feed	*f;

	conf = load_at("[feed \"https://a.example/\"]\ntitle = A\n"
	    "[feed \"file:b.xml\"]\ntitle = B\n", NOWHERE);
	f = conf_find_feed(conf, "https://a.example/");
	assert_non_null(f);
	assert_string_equal(f->title, "A");
	f = conf_find_feed(conf, "file:///nonexistent/etc/b.xml");
	assert_non_null(f);
	assert_string_equal(f->title, "B");
	assert_null(conf_find_feed(conf, "file:b.xml"));
	assert_null(conf_find_feed(conf, "https://a.example"));
	conf_free(conf);
}

static void
test_conf_load_file(void **state)
{
	struct conf	*conf;
	char		 dir[] = "/tmp/test_conf.XXXXXX", path[64], want[128];
	char		*cause = NULL;
	FILE		*fp;

	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/feedd.conf", dir);
	fp = fopen(path, "w");
	assert_non_null(fp);
	fputs("[daemon]\ndatabase = state/feedd.db\n"
	    "[feed \"file:feeds/a.xml\"]\ntags = x\n", fp);
	assert_int_equal(fclose(fp), 0);

	conf = conf_load(path, &cause);
	assert_null(cause);
	assert_non_null(conf);
	assert_string_equal(conf->path, path);
	snprintf(want, sizeof(want), "%s/state/feedd.db", dir);
	assert_string_equal(conf->database, want);
	snprintf(want, sizeof(want), "file://%s/feeds/a.xml", dir);
	assert_string_equal(conf->feeds[0].url, want);
	conf_free(conf);

	/* An error names the path as given. */
	fp = fopen(path, "w");
	assert_non_null(fp);
	fputs("[daemon]\n\ntimeout = soon\n", fp);
	assert_int_equal(fclose(fp), 0);
	assert_null(conf_load(path, &cause));
	snprintf(want, sizeof(want), "%s:3: bad duration \"soon\" for timeout",
	    path);
	assert_string_equal(cause, want);
	free(cause);

	/* A NUL byte would end the text early: refused at its line. */
	fp = fopen(path, "w");
	assert_non_null(fp);
	fwrite("[daemon]\ntimeout = 5s\n\0junk\n", 1, 28, fp);
	assert_int_equal(fclose(fp), 0);
	assert_null(conf_load(path, &cause));
	snprintf(want, sizeof(want), "%s:3: NUL byte in file", path);
	assert_string_equal(cause, want);
	free(cause);

	/* An empty file is a valid config. */
	fp = fopen(path, "w");
	assert_non_null(fp);
	assert_int_equal(fclose(fp), 0);
	conf = conf_load(path, &cause);
	assert_non_null(conf);
	assert_int_equal(conf->nfeeds, 0);
	conf_free(conf);

	assert_int_equal(unlink(path), 0);
	assert_int_equal(rmdir(dir), 0);
}

/*
 * conf_socket(): the [daemon] socket of a file even when another line has
 * an error, relative to the file's folder, without its quotes; NULL when
 * there is none or no file.
 */
static void
test_conf_socket(void **state)
{
	char	 dir[] = "/tmp/test_conf.XXXXXX", path[64], want[128];
	char	*sock, *cause = NULL;
	FILE	*fp;

	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/feedd.conf", dir);
	fp = fopen(path, "w");
	assert_non_null(fp);
	fputs("[daemon]\nsocket = run/feedd.sock\ndefualt = 1\n"
	    "[feed \"http://a.example/\"]\nsocket = elsewhere\n", fp);
	assert_int_equal(fclose(fp), 0);
	/* The daemon refuses the file for its typo. */
	assert_null(conf_load(path, &cause));
	free(cause);
	sock = conf_socket(path);
	snprintf(want, sizeof(want), "%s/run/feedd.sock", dir);
	assert_non_null(sock);
	assert_string_equal(sock, want);
	free(sock);

	fp = fopen(path, "w");
	assert_non_null(fp);
	fputs("[daemon]\nsocket = \"/run/x y/feedd.sock\"\n", fp);
	assert_int_equal(fclose(fp), 0);
	sock = conf_socket(path);
	assert_non_null(sock);
	assert_string_equal(sock, "/run/x y/feedd.sock");
	free(sock);

	fp = fopen(path, "w");
	assert_non_null(fp);
	fputs("[daemon]\ntimeout = 5s\n", fp);
	assert_int_equal(fclose(fp), 0);
	assert_null(conf_socket(path));
	assert_int_equal(unlink(path), 0);
	assert_null(conf_socket(path));
	assert_int_equal(rmdir(dir), 0);
}

static void
test_conf_load_file_errors(void **state)
{
	char	*cause = NULL;

	assert_null(conf_load("/nonexistent/feedd.conf", &cause));
	assert_string_equal(cause,
	    "/nonexistent/feedd.conf: No such file or directory");
	free(cause);

	assert_null(conf_load("/", &cause));
	assert_string_equal(cause, "/: not a regular file");
	free(cause);
}

static void
test_conf_shipped_example(void **state)
{
	struct conf	*conf;
	char		*path, *cause = NULL;

	/* Everything in it is commented out: it must mean the defaults. */
	path = top_path("config/feedd.conf");
	conf = conf_load(path, &cause);
	if (conf == NULL)
		fail_msg("%s", cause);
	assert_string_equal(conf->database, "/var/lib/feedd/feedd.db");
	assert_string_equal(conf->socket, "/run/feedd/feedd.sock");
	assert_int_equal(conf->socket_mode, 0660);
	assert_int_equal(conf->max_parallel, 64);
	assert_int_equal(conf->max_per_host, 4);
	assert_int_equal(conf->default_interval, 3600);
	assert_int_equal(conf->nfeeds, 0);
	assert_int_equal(conf->nnotifiers, 0);
	conf_free(conf);
	free(path);
}

static void
test_conf_demo(void **state)
{
	struct conf	*conf;
	char		*path, *cause = NULL, *want;
	size_t		 len;

	path = top_path("config/demo.conf");
	conf = conf_load(path, &cause);
	if (conf == NULL)
		fail_msg("%s", cause);
	free(path);

	/* State beside the config, in config/demo-state/. */
	len = strlen(conf->database);
	assert_true(len > strlen("/config/demo-state/feedd.db"));
	assert_string_equal(conf->database + len -
	    strlen("/config/demo-state/feedd.db"),
	    "/config/demo-state/feedd.db");
	assert_true(conf->database[0] == '/');
	len = strlen(conf->socket);
	assert_string_equal(conf->socket + len -
	    strlen("/config/demo-state/feedd.sock"),
	    "/config/demo-state/feedd.sock");
	assert_int_equal(conf->min_interval, 10);
	assert_int_equal(conf->default_interval, 60);

	assert_int_equal(conf->nfeeds, 2);
	want = strstr(conf->feeds[0].url, "/config/samples/devdiscourse.rss");
	assert_non_null(want);
	assert_true(strncmp(conf->feeds[0].url, "file:///", 8) == 0);
	assert_string_equal(conf->feeds[0].title, "Devdiscourse (RSS)");
	assert_int_equal(conf->feeds[0].ntags, 2);
	assert_string_equal(conf->feeds[0].tags[0], "news");
	assert_string_equal(conf->feeds[0].tags[1], "korea");
	want = strstr(conf->feeds[1].url, "/config/samples/devdiscourse.atom");
	assert_non_null(want);
	assert_null(conf->feeds[1].title);
	assert_int_equal(conf->feeds[1].ntags, 1);
	assert_string_equal(conf->feeds[1].tags[0], "news");

	/* The sample files are where the URLs say. */
	assert_int_equal(access(conf->feeds[0].url + 7, R_OK), 0);
	assert_int_equal(access(conf->feeds[1].url + 7, R_OK), 0);
	conf_free(conf);
}

int
main(void)
{
	const struct CMUnitTest	tests[] = {
		cmocka_unit_test(test_conf_defaults),
		cmocka_unit_test(test_conf_systemd_dirs),
		cmocka_unit_test(test_conf_empty_file),
		cmocka_unit_test(test_conf_daemon_every_key),
		cmocka_unit_test(test_conf_feed_every_key),
		cmocka_unit_test(test_conf_notify_exec),
		cmocka_unit_test(test_conf_notify_mail),
		cmocka_unit_test(test_conf_notify_mail_addresses),
		cmocka_unit_test(test_conf_notify_webhook),
		cmocka_unit_test(test_conf_duration_valid),
		cmocka_unit_test(test_conf_duration_invalid),
		cmocka_unit_test(test_conf_size),
		cmocka_unit_test(test_conf_bool),
		cmocka_unit_test(test_conf_split_list),
		cmocka_unit_test(test_conf_quoted_values),
		cmocka_unit_test(test_conf_inline_comments),
		cmocka_unit_test(test_conf_indentation),
		cmocka_unit_test(test_conf_relative_paths),
		cmocka_unit_test(test_conf_file_urls),
		cmocka_unit_test(test_conf_bad_urls),
		cmocka_unit_test(test_conf_error_line),
		cmocka_unit_test(test_conf_first_error_wins),
		cmocka_unit_test(test_conf_syntax_error),
		cmocka_unit_test(test_conf_sections),
		cmocka_unit_test(test_conf_key_outside_section),
		cmocka_unit_test(test_conf_unknown_keys),
		cmocka_unit_test(test_conf_feed_settings),
		cmocka_unit_test(test_conf_duplicate_key),
		cmocka_unit_test(test_conf_duplicate_feed),
		cmocka_unit_test(test_conf_duplicate_notifier),
		cmocka_unit_test(test_conf_section_without_keys),
		cmocka_unit_test(test_conf_long_line),
		cmocka_unit_test(test_conf_control_character),
		cmocka_unit_test(test_conf_crlf_and_bom),
		cmocka_unit_test(test_conf_bad_values),
		cmocka_unit_test(test_conf_socket_mode),
		cmocka_unit_test(test_conf_socket_too_long),
		cmocka_unit_test(test_conf_retention),
		cmocka_unit_test(test_conf_interval_order),
		cmocka_unit_test(test_conf_max_per_host),
		cmocka_unit_test(test_conf_feed_interval_limits),
		cmocka_unit_test(test_conf_notify_type),
		cmocka_unit_test(test_conf_notify_key_applies),
		cmocka_unit_test(test_conf_notify_required),
		cmocka_unit_test(test_conf_notify_choices),
		cmocka_unit_test(test_conf_notify_match),
		cmocka_unit_test(test_conf_notify_match_limits),
		cmocka_unit_test(test_conf_notify_retry),
		cmocka_unit_test(test_conf_find_feed),
		cmocka_unit_test(test_conf_load_file),
		cmocka_unit_test(test_conf_load_file_errors),
		cmocka_unit_test(test_conf_socket),
		cmocka_unit_test(test_conf_shipped_example),
		cmocka_unit_test(test_conf_demo),
	};

	/* The defaults tests want the built-in paths, even under systemd. */
	unsetenv("STATE_DIRECTORY");
	unsetenv("RUNTIME_DIRECTORY");

	return (cmocka_run_group_tests(tests, NULL, NULL));
}
