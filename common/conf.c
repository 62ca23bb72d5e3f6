/*
 * conf.c: the configuration file (feedd.conf(5)).
 *
 * inih reads the INI syntax: "key = value", comments, whitespace and ';'
 * inline comments.  Debian 12's inih (r55) gives the handler no line
 * number, never reports a section without keys, cuts section names at 50
 * bytes, splits lines over 199 bytes without a word, and takes an
 * indented line for the continuation of the previous value.  So it reads
 * through conf_reader(), one line of the text in memory per call: the
 * reader counts lines, parses section headers itself (feed URLs are often
 * longer than 50 bytes), hands comments over as blank lines, strips
 * indentation, and rejects a key line inih would split.
 *
 * Every error is "PATH:LINE: message" and the first one wins.  Values are
 * checked as they are read; checks between keys run once the whole file
 * is in.
 *
 * This is the only file of common/ that needs -linih; no other common
 * file may call into it.
 */
#include <sys/types.h>
#include <sys/stat.h>
#include <sys/un.h>

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include <ini.h>

#include "argv.h"
#include "conf.h"
#include "feedopt.h"
#include "log.h"
#include "mailaddr.h"
#include "match.h"
#include "url.h"
#include "xmalloc.h"

#ifndef FEEDD_VERSION
#define FEEDD_VERSION	"unknown"
#endif

#define CONF_MAX_FILE	(16 * 1024 * 1024)	/* bytes read at most */
#define CONF_MAX_KEYS	24			/* in one section's table */
#define CONF_MAX_DURATION INT64_C(3153600000)	/* 36500d: 100 years */
#define CONF_LINE_MAX	8191	/* characters in a "key = value" line */
#define CONF_LONG	"\x1f"	/* the value of a long line stands here */

#define CONF_TYPE_MAIL		0x1
#define CONF_TYPE_WEBHOOK	0x2
#define CONF_TYPE_EXEC		0x4
#define CONF_TYPE_ALL		0x7

#define CONF_FIELD(obj, off, type) \
	((type *)(void *)((char *)(obj) + (off)))

enum conf_section {
	CONF_SECTION_NONE,
	CONF_SECTION_DAEMON,
	CONF_SECTION_FEED,
	CONF_SECTION_NOTIFY,
	CONF_SECTION_RULE
};

/* Where each key of one section was given (0: not given). */
struct conf_lines {
	unsigned int	 line[CONF_MAX_KEYS];
};

struct conf_parser {
	struct conf		*conf;
	const char		*path;		/* for messages */
	char			*dir;		/* absolute: relative paths */
	const char		*next;		/* the text not read yet */
	const char		*raw;		/* the current line */
	size_t			 rawlen;
	unsigned int		 line;		/* of the current line */
	enum conf_section	 section;
	unsigned int		 daemon_line;	/* of [daemon]; 0: none yet */
	struct conf_lines	 daemon;
	struct conf_lines	*feeds;		/* one per conf->feeds */
	size_t			 feeds_cap;	/* of both feeds arrays */
	size_t			*feed_index;	/* feed number + 1, by URL */
	size_t			 feed_index_size; /* a power of two */
	struct conf_lines	*notifiers;	/* one per conf->notifiers */
	struct conf_lines	*rules;		/* one per conf->rules */
	char			*cause;		/* the first error */
	char			*long_value;	/* conf_reader(): CONF_LONG's */
};

struct conf_key;
typedef int (*conf_set_cb)(struct conf_parser *, const struct conf_key *,
    void *, const char *);

struct conf_key {
	const char		*name;
	conf_set_cb		 set;
	size_t			 off;		/* of the field */
	size_t			 count;		/* of a list's length */
	long long		 min;		/* numbers */
	long long		 max;
	const char *const	*choices;	/* NULL-terminated */
	unsigned int		 types;		/* CONF_TYPE_* it applies to */
	int			 flags;
#define CONF_KEY_LIST	0x1	/* quotes are conf_split_list's business */
#define CONF_KEY_ARGV	0x2	/* a command line: quotes are argv_split's */
};

static int	 conf_error(struct conf_parser *, unsigned int, const char *,
		    ...) __attribute__((__format__(__printf__, 3, 4)));
static char	*conf_dir(const char *);
static char	*conf_default_path(const char *, const char *, const char *,
		    size_t);
static char	*conf_join(const char *, const char *);
static char	*conf_file_url(const char *, const char *);
static char	*conf_url(struct conf_parser *, const char *, int);
static int	 conf_number(const char *, long long, long long, long long *);
static char	*conf_reader(char *, int, void *);
static int	 conf_header(struct conf_parser *, const char *, size_t);
static int	 conf_open_feed(struct conf_parser *, const char *, size_t);
static int	 conf_open_rule(struct conf_parser *, const char *, size_t);
static int	 conf_open_notify(struct conf_parser *, const char *,
		    size_t);
static int	 conf_handler(void *, const char *, const char *,
		    const char *);
static int	 conf_set_string(struct conf_parser *,
		    const struct conf_key *, void *, const char *);
static int	 conf_set_database(struct conf_parser *,
		    const struct conf_key *, void *, const char *);
static int	 conf_set_path(struct conf_parser *, const struct conf_key *,
		    void *, const char *);
static int	 conf_set_socket(struct conf_parser *,
		    const struct conf_key *, void *, const char *);
static int	 conf_set_mode(struct conf_parser *, const struct conf_key *,
		    void *, const char *);
static int	 conf_set_uint(struct conf_parser *, const struct conf_key *,
		    void *, const char *);
static int	 conf_set_int(struct conf_parser *, const struct conf_key *,
		    void *, const char *);
static int	 conf_set_duration(struct conf_parser *,
		    const struct conf_key *, void *, const char *);
static int	 conf_set_size(struct conf_parser *, const struct conf_key *,
		    void *, const char *);
static int	 conf_set_bool(struct conf_parser *, const struct conf_key *,
		    void *, const char *);
static int	 conf_set_list(struct conf_parser *, const struct conf_key *,
		    void *, const char *);
static int	 conf_set_feeds(struct conf_parser *,
		    const struct conf_key *, void *, const char *);
static int	 conf_set_choice(struct conf_parser *,
		    const struct conf_key *, void *, const char *);
static int	 conf_set_match(struct conf_parser *,
		    const struct conf_key *, void *, const char *);
static int	 conf_set_http(struct conf_parser *, const struct conf_key *,
		    void *, const char *);
static int	 conf_set_feedopt(struct conf_parser *,
		    const struct conf_key *, void *, const char *);
static int	 conf_set_rule_match(struct conf_parser *,
		    const struct conf_key *, void *, const char *);
static int	 conf_set_fields(struct conf_parser *,
		    const struct conf_key *, void *, const char *);
static int	 conf_set_retention(struct conf_parser *,
		    const struct conf_key *, void *, const char *);
static unsigned int conf_key_line(const struct conf_key *, size_t,
		    const struct conf_lines *, const char *);
static int	 conf_check_daemon(struct conf_parser *);
static int	 conf_check_feed(struct conf_parser *, size_t);
static int	 conf_check_notify(struct conf_parser *, size_t);
static void	 conf_free_list(char **, size_t);
static void	 conf_free_notify(struct conf_notify *);

static const char *const conf_types[] = { "mail", "webhook", "exec", NULL };
static const char *const conf_formats[] = { "json", "slack", "discord",
    "matrix", "ntfy", NULL };
static const char *const conf_modes[] = { "each", "digest", NULL };
static const char *const conf_actions[] = { "drop", "keep", "mark_read",
    NULL };
static const char *const conf_fields[] = { "title", "content", "author",
    "categories", "link", NULL };

#define D(f)	offsetof(struct conf, f)
static const struct conf_key conf_daemon_keys[] = {
	{ .name = "database", .set = conf_set_database, .off = D(database) },
	{ .name = "socket", .set = conf_set_socket, .off = D(socket) },
	{ .name = "socket_mode", .set = conf_set_mode, .off = D(socket_mode) },
	{ .name = "socket_group", .set = conf_set_string,
	  .off = D(socket_group) },
	{ .name = "user_agent", .set = conf_set_string, .off = D(user_agent) },
	{ .name = "max_parallel", .set = conf_set_uint, .off = D(max_parallel),
	  .min = 1, .max = 10000 },
	{ .name = "max_per_host", .set = conf_set_uint, .off = D(max_per_host),
	  .min = 1, .max = 10000 },
	{ .name = "default_interval", .set = conf_set_duration,
	  .off = D(default_interval) },
	{ .name = "min_interval", .set = conf_set_duration,
	  .off = D(min_interval) },
	{ .name = "max_interval", .set = conf_set_duration,
	  .off = D(max_interval) },
	{ .name = "timeout", .set = conf_set_duration, .off = D(timeout) },
	{ .name = "max_feed_size", .set = conf_set_size,
	  .off = D(max_feed_size) },
	{ .name = "retention", .set = conf_set_retention },
	{ .name = "allow_private", .set = conf_set_bool,
	  .off = D(allow_private) },
	{ .name = "allow_hosts", .set = conf_set_list, .off = D(allow_hosts),
	  .count = D(nallow_hosts), .flags = CONF_KEY_LIST },
	{ .name = "proxy", .set = conf_set_feedopt, .off = D(proxy) },
};
#undef D

#define F(f)	offsetof(struct conf_feed, f)
static const struct conf_key conf_feed_keys[] = {
	{ .name = "title", .set = conf_set_string, .off = F(title) },
	{ .name = "tags", .set = conf_set_list, .off = F(tags),
	  .count = F(ntags), .flags = CONF_KEY_LIST },
	{ .name = "interval", .set = conf_set_duration, .off = F(interval) },
	{ .name = "enabled", .set = conf_set_bool, .off = F(enabled) },
	/* feedopt.h's settings: conf_set_feedopt() knows each. */
	{ .name = "user_agent", .set = conf_set_feedopt },
	{ .name = "headers", .set = conf_set_feedopt, .flags = CONF_KEY_LIST },
	{ .name = "cookie", .set = conf_set_feedopt },
	{ .name = "username", .set = conf_set_feedopt },
	{ .name = "password", .set = conf_set_feedopt },
	{ .name = "password_file", .set = conf_set_feedopt },
	{ .name = "proxy", .set = conf_set_feedopt },
	{ .name = "charset", .set = conf_set_feedopt },
	{ .name = "timeout", .set = conf_set_feedopt },
	{ .name = "max_feed_size", .set = conf_set_feedopt },
	{ .name = "notify_first_poll", .set = conf_set_feedopt },
};
#undef F

#define N(f)	offsetof(struct conf_notify, f)
static const struct conf_key conf_notify_keys[] = {
	{ .name = "type", .set = conf_set_choice, .off = N(type),
	  .choices = conf_types, .types = CONF_TYPE_ALL },
	{ .name = "feeds", .set = conf_set_feeds, .off = N(feeds),
	  .count = N(nfeeds), .types = CONF_TYPE_ALL, .flags = CONF_KEY_LIST },
	{ .name = "tags", .set = conf_set_list, .off = N(tags),
	  .count = N(ntags), .types = CONF_TYPE_ALL, .flags = CONF_KEY_LIST },
	{ .name = "match", .set = conf_set_match, .off = N(match),
	  .types = CONF_TYPE_ALL },
	{ .name = "skip_repeats", .set = conf_set_bool, .off = N(skip_repeats),
	  .types = CONF_TYPE_ALL },
	{ .name = "notify_first_poll", .set = conf_set_bool,
	  .off = N(notify_first_poll), .types = CONF_TYPE_ALL },
	{ .name = "retry_initial", .set = conf_set_duration,
	  .off = N(retry_initial), .types = CONF_TYPE_ALL },
	{ .name = "retry_max", .set = conf_set_duration, .off = N(retry_max),
	  .types = CONF_TYPE_ALL },
	{ .name = "max_attempts", .set = conf_set_int, .off = N(max_attempts),
	  .min = 1, .max = 10000, .types = CONF_TYPE_ALL },
	{ .name = "command", .set = conf_set_string, .off = N(command),
	  .types = CONF_TYPE_EXEC, .flags = CONF_KEY_ARGV },
	{ .name = "timeout", .set = conf_set_duration, .off = N(timeout),
	  .types = CONF_TYPE_EXEC | CONF_TYPE_MAIL | CONF_TYPE_WEBHOOK },
	{ .name = "to", .set = conf_set_string, .off = N(to),
	  .types = CONF_TYPE_MAIL },
	{ .name = "from", .set = conf_set_string, .off = N(from),
	  .types = CONF_TYPE_MAIL },
	{ .name = "sendmail", .set = conf_set_string, .off = N(sendmail),
	  .types = CONF_TYPE_MAIL, .flags = CONF_KEY_ARGV },
	{ .name = "mode", .set = conf_set_choice, .off = N(mode),
	  .choices = conf_modes, .types = CONF_TYPE_MAIL },
	{ .name = "digest_interval", .set = conf_set_duration,
	  .off = N(digest_interval), .types = CONF_TYPE_MAIL },
	{ .name = "url", .set = conf_set_http, .off = N(url),
	  .types = CONF_TYPE_WEBHOOK },
	{ .name = "format", .set = conf_set_choice, .off = N(format),
	  .choices = conf_formats, .types = CONF_TYPE_WEBHOOK },
	{ .name = "secret", .set = conf_set_string, .off = N(secret),
	  .types = CONF_TYPE_WEBHOOK },
	{ .name = "token", .set = conf_set_string, .off = N(token),
	  .types = CONF_TYPE_WEBHOOK },
};
#undef N

#define NITEMS(a)	(sizeof(a) / sizeof((a)[0]))

#define R(f)	offsetof(struct conf_rule, f)
static const struct conf_key conf_rule_keys[] = {
	{ .name = "action", .set = conf_set_choice, .off = R(action),
	  .choices = conf_actions },
	{ .name = "match", .set = conf_set_rule_match, .off = R(match) },
	{ .name = "fields", .set = conf_set_fields, .off = R(fields),
	  .count = R(nfields), .flags = CONF_KEY_LIST },
	{ .name = "feeds", .set = conf_set_feeds, .off = R(feeds),
	  .count = R(nfeeds), .flags = CONF_KEY_LIST },
	{ .name = "tags", .set = conf_set_list, .off = R(tags),
	  .count = R(ntags), .flags = CONF_KEY_LIST },
};
#undef R

_Static_assert(NITEMS(conf_daemon_keys) <= CONF_MAX_KEYS, "daemon keys");
_Static_assert(NITEMS(conf_feed_keys) <= CONF_MAX_KEYS, "feed keys");
_Static_assert(NITEMS(conf_notify_keys) <= CONF_MAX_KEYS, "notify keys");

/* Records the first error only: later ones are often its echoes. */
static int
conf_error(struct conf_parser *p, unsigned int line, const char *fmt, ...)
{
	va_list	 ap;
	char	*msg;

	if (p->cause != NULL)
		return (-1);
	va_start(ap, fmt);
	if (vasprintf(&msg, fmt, ap) == -1)
		fatalx("conf_error: out of memory");
	va_end(ap);
	if (line != 0)
		xasprintf(&p->cause, "%s:%u: %s", p->path, line, msg);
	else
		xasprintf(&p->cause, "%s: %s", p->path, msg);
	free(msg);
	return (-1);
}

/*
 * The absolute directory of the config file, which relative paths are
 * resolved against.  A file given by a path that does not exist (a test's
 * conf_load_string) still gets one, from the working directory.
 */
static char *
conf_dir(const char *path)
{
	char	*copy, *dir, *abs, *cwd;

	copy = xstrdup(path);
	dir = dirname(copy);
	if ((abs = realpath(dir, NULL)) != NULL) {
		free(copy);
		return (abs);
	}
	if (*dir == '/' || (cwd = getcwd(NULL, 0)) == NULL)
		abs = xstrdup(dir);
	else {
		abs = strcmp(dir, ".") == 0 ? xstrdup(cwd) :
		    conf_join(cwd, dir);
		free(cwd);
	}
	free(copy);
	return (abs);
}

/* "path" if absolute, else "dir/path". */
static char *
conf_join(const char *dir, const char *path)
{
	char	*s;
	size_t	 len;

	if (*path == '/')
		return (xstrdup(path));
	len = strlen(dir);
	if (len > 0 && dir[len - 1] == '/')
		xasprintf(&s, "%s%s", dir, path);
	else
		xasprintf(&s, "%s/%s", dir, path);
	return (s);
}

/*
 * "file://" + dir, percent-encoded where RFC 3986 3.3 does not allow a
 * byte in a path, + "/" + rel as written (it is a URL part already).
 */
static char *
conf_file_url(const char *dir, const char *rel)
{
	static const char	 hex[] = "0123456789ABCDEF";
	const unsigned char	*s;
	char			*url, *q;
	size_t			 len;

	len = strlen(dir);
	url = q = xmalloc(sizeof("file://") + 3 * len + 1 + strlen(rel));
	q = stpcpy(q, "file://");
	for (s = (const unsigned char *)dir; *s != '\0'; s++) {
		if (isalnum(*s) || strchr("-._~!$&'()*+,;=:@/", *s) != NULL)
			*q++ = (char)*s;
		else {
			*q++ = '%';
			*q++ = hex[*s >> 4];
			*q++ = hex[*s & 0xf];
		}
	}
	if (len == 0 || dir[len - 1] != '/')
		*q++ = '/';
	(void)stpcpy(q, rel);
	return (url);
}

/*
 * Checks a feed URL (or, with http_only, a webhook's) and returns the
 * form feedd uses: "file:REL" (no slash after the colon) is relative to
 * the config file's directory, "file:/ABS" is "file:///ABS".
 */
static char *
conf_url(struct conf_parser *p, const char *url, int http_only)
{
	const char	*s, *why;
	char		*norm;
	size_t		 skip;

	if (*url == '\0') {
		conf_error(p, p->line, "empty URL");
		return (NULL);
	}
	for (s = url; *s != '\0'; s++) {
		if (*s == ' ' || *s == '\t') {
			conf_error(p, p->line, "space in URL \"%s\"", url);
			return (NULL);
		}
	}
	if (strncasecmp(url, "http://", 7) == 0 ||
	    strncasecmp(url, "https://", 8) == 0) {
		skip = url[4] == ':' ? 7 : 8;
		if (url[skip] == '\0' || url[skip] == '/') {
			conf_error(p, p->line, "no host in URL \"%s\"", url);
			return (NULL);
		}
		/* One form for comparing and storing (url_feed()). */
		if ((norm = url_feed(url, &why)) == NULL)
			conf_error(p, p->line, "bad URL \"%s\": %s", url, why);
		return (norm);
	}
	if (http_only || strncasecmp(url, "file:", 5) != 0) {
		conf_error(p, p->line, "unsupported URL scheme in \"%s\" "
		    "(%s)", url, http_only ? "http or https" :
		    "http, https or file");
		return (NULL);
	}
	s = url + 5;
	if (strncmp(s, "///", 3) == 0)
		return (xstrdup(url));
	if (strncmp(s, "//", 2) == 0) {
		conf_error(p, p->line, "file URL \"%s\" names a host "
		    "(file:///PATH is absolute, file:PATH relative)", url);
		return (NULL);
	}
	if (*s == '\0') {
		conf_error(p, p->line, "empty path in URL \"%s\"", url);
		return (NULL);
	}
	if (*s == '/')
		return (conf_file_url("", s + 1));
	return (conf_file_url(p->dir, s));
}

/* The largest unit that divides d exactly: "90s", "5m", "36h". */
const char *
conf_duration_str(int64_t d, char *buf, size_t len)
{
	static const struct {
		int64_t	 secs;
		char	 unit;
	} units[] = {
		{ 7 * 86400, 'w' }, { 86400, 'd' }, { 3600, 'h' }, { 60, 'm' }
	};
	size_t	 i;

	for (i = 0; i < NITEMS(units); i++) {
		if (d > 0 && d % units[i].secs == 0) {
			snprintf(buf, len, "%lld%c",
			    (long long)(d / units[i].secs), units[i].unit);
			return (buf);
		}
	}
	snprintf(buf, len, "%llds", (long long)d);
	return (buf);
}

/* Decimal digits only, no sign, within [min, max]. */
static int
conf_number(const char *s, long long min, long long max, long long *out)
{
	long long	 n = 0;

	if (!isdigit((unsigned char)*s))
		return (-1);
	for (; isdigit((unsigned char)*s); s++) {
		if (n > (max - (*s - '0')) / 10)
			return (-1);
		n = n * 10 + (*s - '0');
	}
	if (*s != '\0' || n < min)
		return (-1);
	*out = n;
	return (0);
}

/*
 * inih's ini_reader: hands over the next line of the text, or NULL at the
 * end or after an error.  num is inih's buffer, INI_MAX_LINE bytes.
 */
static char	*conf_long_line(struct conf_parser *, char *, int,
		    const char *, size_t);

static char *
conf_reader(char *str, int num, void *arg)
{
	struct conf_parser	*p = arg;
	const char		*s, *end, *nl;
	size_t			 len;

	if (p->cause != NULL || *p->next == '\0')
		return (NULL);
	s = p->next;
	if ((nl = strchr(s, '\n')) != NULL) {
		end = nl;
		p->next = nl + 1;
	} else
		p->next = end = s + strlen(s);
	p->line++;
	if (end > s && end[-1] == '\r')
		end--;
	/* UTF-8 BOM: inih would skip it, but then "[" would not be first. */
	if (p->line == 1 && end - s >= 3 && memcmp(s, "\xef\xbb\xbf", 3) == 0)
		s += 3;
	p->raw = s;
	p->rawlen = end - s;
	for (nl = s; nl < end; nl++) {
		if (((unsigned char)*nl < 0x20 && *nl != '\t') ||
		    *nl == 0x7f) {
			conf_error(p, p->line, "control character 0x%02x in "
			    "line", (unsigned int)(unsigned char)*nl);
			return (NULL);
		}
	}

	/* Indentation never makes a continuation line. */
	while (s < end && (*s == ' ' || *s == '\t'))
		s++;
	len = end - s;
	str[0] = '\0';
	if (len == 0 || *s == ';' || *s == '#')
		return (str);
	if (*s == '[')
		return (conf_header(p, s, len) == 0 ? str : NULL);
	if (num < 1 || len > (size_t)num - 1)
		return (conf_long_line(p, str, num, s, len));
	memcpy(str, s, len);
	str[len] = '\0';
	return (str);
}

/*
 * A line longer than inih's buffer (INI_MAX_LINE, built into the
 * library at 200 bytes) that holds "key = value": inih gets "key" and
 * CONF_LONG, and conf_handler() the value, split as inih splits one
 * (at the first "=" or ":", up to a ";" after a space, trimmed).  Bearer
 * tokens and signed webhook URLs are longer than 200 bytes.
 */
static char *
conf_long_line(struct conf_parser *p, char *str, int num, const char *s,
    size_t len)
{
	const char	*sep, *v, *end = s + len;
	size_t		 nlen;

	for (sep = s; sep < end && *sep != '=' && *sep != ':'; sep++)
		if (*sep == ';' && sep > s && isspace((unsigned char)sep[-1]))
			break;
	nlen = (size_t)(sep - s);
	while (nlen > 0 && isspace((unsigned char)s[nlen - 1]))
		nlen--;
	if (len > CONF_LINE_MAX || sep == end || *sep == ';' || nlen == 0 ||
	    nlen + 2 > (size_t)num - 1) {
		conf_error(p, p->line, "line too long (max %d characters)",
		    CONF_LINE_MAX);
		return (NULL);
	}
	for (v = sep + 1; v < end && isspace((unsigned char)*v); v++)
		;
	for (sep = v; sep < end; sep++)
		if (*sep == ';' && sep > v && isspace((unsigned char)sep[-1]))
			break;
	while (sep > v && isspace((unsigned char)sep[-1]))
		sep--;
	free(p->long_value);
	p->long_value = xstrndup(v, (size_t)(sep - v));
	memcpy(str, s, nlen);
	memcpy(str + nlen, "=" CONF_LONG, 3);
	return (str);
}

/*
 * [daemon], [feed "URL"] or [notify "NAME"], optionally followed by a
 * comment.  The name runs to the next double quote; there is no escape.
 */
static int
conf_header(struct conf_parser *p, const char *s, size_t len)
{
	const char	*end = s + len, *q, *word, *name = NULL;
	size_t		 wlen, nlen = 0;

	for (q = s + 1; q < end && (*q == ' ' || *q == '\t'); q++)
		/* nothing */;
	for (word = q; q < end && (isalnum((unsigned char)*q) || *q == '_');
	    q++)
		/* nothing */;
	wlen = q - word;
	while (q < end && (*q == ' ' || *q == '\t'))
		q++;
	if (q < end && *q == '"') {
		name = ++q;
		while (q < end && *q != '"')
			q++;
		if (q == end)
			return (conf_error(p, p->line, "missing closing quote "
			    "in section header"));
		nlen = q++ - name;
		while (q < end && (*q == ' ' || *q == '\t'))
			q++;
	}
	if (q == end || *q != ']') {
		if (memchr(q, ']', end - q) == NULL)
			return (conf_error(p, p->line, "missing \"]\" in "
			    "section header"));
		q = (const char *)memchr(q, ']', end - q);
		return (conf_error(p, p->line, "unknown section %.*s "
		    "(expected [daemon], [feed \"URL\"], [notify \"NAME\"] or "
		    "[rule \"NAME\"])", (int)(q + 1 - s), s));
	}
	len = q + 1 - s;
	for (q++; q < end && (*q == ' ' || *q == '\t'); q++)
		/* nothing */;
	if (q < end && *q != ';' && *q != '#')
		return (conf_error(p, p->line, "unexpected text after section "
		    "header"));

	if (wlen == 6 && strncmp(word, "daemon", 6) == 0 && name == NULL) {
		if (p->daemon_line != 0)
			return (conf_error(p, p->line, "duplicate section "
			    "[daemon] (first at line %u)", p->daemon_line));
		p->daemon_line = p->line;
		p->section = CONF_SECTION_DAEMON;
		return (0);
	}
	if (wlen == 4 && strncmp(word, "feed", 4) == 0) {
		if (name == NULL)
			return (conf_error(p, p->line, "section [feed] needs "
			    "a quoted URL: [feed \"URL\"]"));
		return (conf_open_feed(p, name, nlen));
	}
	if (wlen == 4 && strncmp(word, "rule", 4) == 0) {
		if (name == NULL)
			return (conf_error(p, p->line, "section [rule] needs "
			    "a quoted name: [rule \"NAME\"]"));
		return (conf_open_rule(p, name, nlen));
	}
	if (wlen == 6 && strncmp(word, "notify", 6) == 0) {
		if (name == NULL)
			return (conf_error(p, p->line, "section [notify] needs "
			    "a quoted name: [notify \"NAME\"]"));
		return (conf_open_notify(p, name, nlen));
	}
	return (conf_error(p, p->line, "unknown section %.*s (expected "
	    "[daemon], [feed \"URL\"], [notify \"NAME\"] or "
	    "[rule \"NAME\"])", (int)len, s));
}

/*
 * The feeds by URL, so that finding a duplicate is not a walk over all
 * the feeds before (100,000 feeds took 15 s to check): open addressing,
 * FNV-1a, kept at most half full.
 */
static size_t *
conf_feed_slot(struct conf_parser *p, const char *url)
{
	uint64_t	 h = UINT64_C(14695981039346656037);
	const char	*s;
	size_t		 i, mask = p->feed_index_size - 1;

	for (s = url; *s != '\0'; s++)
		h = (h ^ (unsigned char)*s) * UINT64_C(1099511628211);
	for (i = (size_t)h & mask; p->feed_index[i] != 0; i = (i + 1) & mask)
		if (strcmp(p->conf->feeds[p->feed_index[i] - 1].url, url) == 0)
			break;
	return (&p->feed_index[i]);
}

static void
conf_feed_index_grow(struct conf_parser *p)
{
	size_t	i;

	if (2 * (p->conf->nfeeds + 1) <= p->feed_index_size)
		return;
	free(p->feed_index);
	p->feed_index_size = p->feed_index_size ? 2 * p->feed_index_size : 64;
	p->feed_index = xcalloc(p->feed_index_size, sizeof(*p->feed_index));
	for (i = 0; i < p->conf->nfeeds; i++)
		*conf_feed_slot(p, p->conf->feeds[i].url) = i + 1;
}

static int
conf_open_feed(struct conf_parser *p, const char *name, size_t nlen)
{
	struct conf		*conf = p->conf;
	struct conf_feed	*f;
	char			*raw, *url;
	size_t			*slot;

	raw = xstrndup(name, nlen);
	if ((url = conf_url(p, raw, 0)) == NULL) {
		free(raw);
		return (-1);
	}
	conf_feed_index_grow(p);
	if (*(slot = conf_feed_slot(p, url)) != 0) {
		conf_error(p, p->line, "duplicate feed \"%s\" (first at line "
		    "%u)", raw, conf->feeds[*slot - 1].line);
		free(raw);
		free(url);
		return (-1);
	}
	free(raw);

	/* Doubling: grown one by one the arrays were copied each time. */
	if (conf->nfeeds == p->feeds_cap) {
		p->feeds_cap = p->feeds_cap ? 2 * p->feeds_cap : 16;
		conf->feeds = xreallocarray(conf->feeds, p->feeds_cap,
		    sizeof(*conf->feeds));
		p->feeds = xreallocarray(p->feeds, p->feeds_cap,
		    sizeof(*p->feeds));
	}
	memset(&p->feeds[conf->nfeeds], 0, sizeof(*p->feeds));
	*slot = conf->nfeeds + 1;
	f = &conf->feeds[conf->nfeeds++];
	memset(f, 0, sizeof(*f));
	f->url = url;
	f->interval = -1;
	f->enabled = 1;
	feedopt_init(&f->opts);
	/* user:password@ in the URL: settings, so the URL shows safely. */
	f->url = feedopt_take_userinfo(&f->opts, url);
	free(url);
	f->line = p->line;
	p->section = CONF_SECTION_FEED;
	return (0);
}

static int
conf_open_notify(struct conf_parser *p, const char *name, size_t nlen)
{
	struct conf		*conf = p->conf;
	struct conf_notify	*n;
	size_t			 i;

	if (nlen == 0)
		return (conf_error(p, p->line, "empty notifier name"));
	for (i = 0; i < conf->nnotifiers; i++) {
		n = &conf->notifiers[i];
		if (strlen(n->name) == nlen &&
		    strncmp(n->name, name, nlen) == 0)
			return (conf_error(p, p->line, "duplicate notifier "
			    "\"%s\" (first at line %u)", n->name, n->line));
	}

	conf->notifiers = xreallocarray(conf->notifiers, conf->nnotifiers + 1,
	    sizeof(*conf->notifiers));
	p->notifiers = xreallocarray(p->notifiers, conf->nnotifiers + 1,
	    sizeof(*p->notifiers));
	memset(&p->notifiers[conf->nnotifiers], 0, sizeof(*p->notifiers));
	n = &conf->notifiers[conf->nnotifiers++];
	memset(n, 0, sizeof(*n));
	n->name = xstrndup(name, nlen);
	n->retry_initial = 30;
	n->retry_max = 3600;
	n->max_attempts = 10;
	n->timeout = CONF_EXEC_TIMEOUT;
	n->digest_interval = 3600;
	n->line = p->line;
	p->section = CONF_SECTION_NOTIFY;
	return (0);
}

static int
conf_open_rule(struct conf_parser *p, const char *name, size_t nlen)
{
	struct conf		*conf = p->conf;
	struct conf_rule	*r;
	size_t			 i;

	if (nlen == 0)
		return (conf_error(p, p->line, "empty rule name"));
	for (i = 0; i < conf->nrules; i++) {
		r = &conf->rules[i];
		if (strlen(r->name) == nlen &&
		    strncmp(r->name, name, nlen) == 0)
			return (conf_error(p, p->line, "duplicate rule \"%s\" "
			    "(first at line %u)", r->name, r->line));
	}
	conf->rules = xreallocarray(conf->rules, conf->nrules + 1,
	    sizeof(*conf->rules));
	p->rules = xreallocarray(p->rules, conf->nrules + 1,
	    sizeof(*p->rules));
	memset(&p->rules[conf->nrules], 0, sizeof(*p->rules));
	r = &conf->rules[conf->nrules++];
	memset(r, 0, sizeof(*r));
	r->name = xstrndup(name, nlen);
	r->line = p->line;
	p->section = CONF_SECTION_RULE;
	return (0);
}

/* inih's ini_handler: one "key = value" of the current section. */
static int
conf_handler(void *arg, const char *section, const char *name,
    const char *value)
{
	struct conf_parser	*p = arg;
	struct conf		*conf = p->conf;
	const struct conf_key	*keys = NULL, *k;
	struct conf_lines	*lines = NULL;
	const char		*sname = NULL;
	void			*obj = NULL;
	char			*v;
	size_t			 nkeys = 0, i, len;

	if (p->cause != NULL)
		return (1);
	/* No line holds a control character: only conf_long_line's. */
	if (strcmp(value, CONF_LONG) == 0 && p->long_value != NULL)
		value = p->long_value;
	switch (p->section) {
	case CONF_SECTION_NONE:
		conf_error(p, p->line, "key \"%s\" outside a section", name);
		return (1);
	case CONF_SECTION_DAEMON:
		keys = conf_daemon_keys;
		nkeys = NITEMS(conf_daemon_keys);
		lines = &p->daemon;
		obj = conf;
		sname = "daemon";
		break;
	case CONF_SECTION_FEED:
		keys = conf_feed_keys;
		nkeys = NITEMS(conf_feed_keys);
		lines = &p->feeds[conf->nfeeds - 1];
		obj = &conf->feeds[conf->nfeeds - 1];
		sname = "feed";
		break;
	case CONF_SECTION_NOTIFY:
		keys = conf_notify_keys;
		nkeys = NITEMS(conf_notify_keys);
		lines = &p->notifiers[conf->nnotifiers - 1];
		obj = &conf->notifiers[conf->nnotifiers - 1];
		sname = "notify";
		break;
	case CONF_SECTION_RULE:
		keys = conf_rule_keys;
		nkeys = NITEMS(conf_rule_keys);
		lines = &p->rules[conf->nrules - 1];
		obj = &conf->rules[conf->nrules - 1];
		sname = "rule";
		break;
	}
	if (*name == '\0') {
		conf_error(p, p->line, "missing key name before \"=\"");
		return (1);
	}
	for (i = 0; i < nkeys; i++) {
		if (strcmp(keys[i].name, name) == 0)
			break;
	}
	if (i == nkeys) {
		conf_error(p, p->line, "unknown key \"%s\" in [%s]", name,
		    sname);
		return (1);
	}
	k = &keys[i];
	if (lines->line[i] != 0) {
		conf_error(p, p->line, "duplicate key \"%s\" (first at line "
		    "%u)", name, lines->line[i]);
		return (1);
	}
	lines->line[i] = p->line;

	/* One pair of double quotes around a value goes. */
	len = strlen(value);
	if (*value == '"' && !(k->flags & (CONF_KEY_LIST | CONF_KEY_ARGV))) {
		if (len < 2 || value[len - 1] != '"') {
			conf_error(p, p->line, "unterminated quote in value "
			    "of %s%s", name, memchr(p->raw, ';', p->rawlen) ?
			    " (\" ;\" starts a comment, even inside quotes)" :
			    "");
			return (1);
		}
		v = xstrndup(value + 1, len - 2);
	} else
		v = xstrdup(value);
	(void)k->set(p, k, obj, v);
	free(v);
	return (1);
}

static int
conf_set_string(struct conf_parser *p, const struct conf_key *k, void *obj,
    const char *v)
{
	char	**field = CONF_FIELD(obj, k->off, char *);

	if (*v == '\0')
		return (conf_error(p, p->line, "empty value for %s", k->name));
	free(*field);
	*field = xstrdup(v);
	return (0);
}

/* A file's path, relative to the config file's directory. */
static int
conf_set_path(struct conf_parser *p, const struct conf_key *k, void *obj,
    const char *v)
{
	char	**field = CONF_FIELD(obj, k->off, char *);

	if (*v == '\0')
		return (conf_error(p, p->line, "empty value for %s", k->name));
	free(*field);
	*field = conf_join(p->dir, v);
	return (0);
}

/*
 * A PostgreSQL connection string: a postgresql:// or postgres:// URI, or
 * libpq's "key=value ..." form (a word and "=" first, which no sqlite
 * path given in a config file starts with in practice).
 */
int
conf_database_is_pg(const char *v)
{
	size_t	n;

	if (strncmp(v, "postgresql://", 13) == 0 ||
	    strncmp(v, "postgres://", 11) == 0)
		return (1);
	v += strspn(v, " \t");
	n = strspn(v, "abcdefghijklmnopqrstuvwxyz_");
	if (n == 0)
		return (0);
	v += n;
	v += strspn(v, " \t");
	return (*v == '=');
}

/* A database is a path (relative to the config's folder) or a
 * PostgreSQL connection string, taken as it is. */
static int
conf_set_database(struct conf_parser *p, const struct conf_key *k,
    void *obj, const char *v)
{
	char		**field = CONF_FIELD(obj, k->off, char *);
	const char	 *sep = strstr(v, "://");
	size_t		  n = sep != NULL ? (size_t)(sep - v) : 0;

	/*
	 * Another scheme (a misspelt or upper-case postgresql://, a jdbc:
	 * string) would be a file of that name, and its password in the
	 * errors: refused, and not repeated.  sqlite's file: URIs stay.
	 */
	if (n > 0 && strspn(v, "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
	    "abcdefghijklmnopqrstuvwxyz0123456789+.-:") >= n &&
	    !conf_database_is_pg(v) && strncmp(v, "file:", 5) != 0)
		return (conf_error(p, p->line, "%s: a URI of scheme \"%.*s\" "
		    "is neither PostgreSQL's (postgresql:// or postgres://, "
		    "in lower case) nor a file", k->name, (int)n, v));
	if (!conf_database_is_pg(v))
		return (conf_set_path(p, k, obj, v));
	free(*field);
	*field = xstrdup(v);
	return (0);
}

/* A path that must fit sockaddr_un, checked here rather than at bind. */
static int
conf_set_socket(struct conf_parser *p, const struct conf_key *k, void *obj,
    const char *v)
{
	struct sockaddr_un	  sa;
	char			**field = CONF_FIELD(obj, k->off, char *);

	if (conf_set_path(p, k, obj, v) != 0)
		return (-1);
	if (strlen(*field) >= sizeof(sa.sun_path))
		return (conf_error(p, p->line, "socket path \"%s\" too long "
		    "(max %zu bytes)", *field, sizeof(sa.sun_path) - 1));
	return (0);
}

/* Octal digits, as chmod(1) takes them, and no more than 0777. */
static int
conf_set_mode(struct conf_parser *p, const struct conf_key *k, void *obj,
    const char *v)
{
	const char	*s;
	unsigned int	 mode = 0;

	for (s = v; *s >= '0' && *s <= '7'; s++) {
		mode = mode * 8 + (unsigned int)(*s - '0');
		if (mode > 0777)
			break;
	}
	if (s == v || *s != '\0')
		return (conf_error(p, p->line, "bad mode \"%s\" for %s (octal, "
		    "at most 0777)", v, k->name));
	*CONF_FIELD(obj, k->off, unsigned int) = mode;
	return (0);
}

static int
conf_set_uint(struct conf_parser *p, const struct conf_key *k, void *obj,
    const char *v)
{
	long long	n;

	if (conf_number(v, k->min, k->max, &n) != 0)
		return (conf_error(p, p->line, "bad number \"%s\" for %s "
		    "(%lld to %lld)", v, k->name, k->min, k->max));
	*CONF_FIELD(obj, k->off, unsigned int) = (unsigned int)n;
	return (0);
}

static int
conf_set_int(struct conf_parser *p, const struct conf_key *k, void *obj,
    const char *v)
{
	long long	n;

	if (conf_number(v, k->min, k->max, &n) != 0)
		return (conf_error(p, p->line, "bad number \"%s\" for %s "
		    "(%lld to %lld)", v, k->name, k->min, k->max));
	*CONF_FIELD(obj, k->off, int) = (int)n;
	return (0);
}

static int
conf_set_duration(struct conf_parser *p, const struct conf_key *k,
    void *obj, const char *v)
{
	if (conf_parse_duration(v, CONF_FIELD(obj, k->off, int64_t)) != 0)
		return (conf_error(p, p->line, "bad duration \"%s\" for %s",
		    v, k->name));
	return (0);
}

static int
conf_set_size(struct conf_parser *p, const struct conf_key *k, void *obj,
    const char *v)
{
	if (conf_parse_size(v, CONF_FIELD(obj, k->off, int64_t)) != 0)
		return (conf_error(p, p->line, "bad size \"%s\" for %s", v,
		    k->name));
	return (0);
}

/*
 * A feed's own HTTP setting (feedopt.h), or [daemon] proxy; a relative
 * password_file is relative to the config file, and headers is a list.
 */
static int
conf_set_feedopt(struct conf_parser *p, const struct conf_key *k, void *obj,
    const char *v)
{
	struct feedopt	 tmp, *o = &tmp;
	char		**list = NULL, *path = NULL, *cause = NULL;
	size_t		  n = 0, i;
	int		  rc = 0;

	if (*v == '\0')
		return (conf_error(p, p->line, "empty value for %s", k->name));
	if (p->section == CONF_SECTION_FEED)
		o = &((struct conf_feed *)obj)->opts;
	else
		feedopt_init(&tmp);
	if (strcmp(k->name, "headers") == 0) {
		if (conf_split_list(v, &list, &n) != 0)
			rc = conf_error(p, p->line, "unterminated quote in "
			    "list of %s", k->name);
		for (i = 0; rc == 0 && i < n; i++)
			if (feedopt_set(o, k->name, list[i], &cause) != 0)
				rc = -1;
		conf_free_list(list, n);
	} else if (strcmp(k->name, "password_file") == 0) {
		path = conf_join(p->dir, v);
		rc = feedopt_set(o, k->name, path, &cause);
		free(path);
	} else
		rc = feedopt_set(o, k->name, v, &cause);
	if (cause != NULL) {
		conf_error(p, p->line, "%s", cause);
		free(cause);
	}
	if (o == &tmp) {
		if (rc == 0) {
			free(*CONF_FIELD(obj, k->off, char *));
			*CONF_FIELD(obj, k->off, char *) = tmp.proxy;
			tmp.proxy = NULL;
		}
		feedopt_clear(&tmp);
	}
	return (rc);
}

static int
conf_set_bool(struct conf_parser *p, const struct conf_key *k, void *obj,
    const char *v)
{
	if (conf_parse_bool(v, CONF_FIELD(obj, k->off, int)) != 0)
		return (conf_error(p, p->line, "bad boolean \"%s\" for %s "
		    "(yes or no)", v, k->name));
	return (0);
}

static int
conf_set_list(struct conf_parser *p, const struct conf_key *k, void *obj,
    const char *v)
{
	if (conf_split_list(v, CONF_FIELD(obj, k->off, char **),
	    CONF_FIELD(obj, k->count, size_t)) != 0)
		return (conf_error(p, p->line, "unterminated quote in list "
		    "for %s", k->name));
	return (0);
}

/* A notifier's feed filter: URLs resolved as in [feed "URL"]. */
static int
conf_set_feeds(struct conf_parser *p, const struct conf_key *k, void *obj,
    const char *v)
{
	char	**list;
	char	 *url;
	size_t	  n, i;

	if (conf_set_list(p, k, obj, v) != 0)
		return (-1);
	list = *CONF_FIELD(obj, k->off, char **);
	n = *CONF_FIELD(obj, k->count, size_t);
	for (i = 0; i < n; i++) {
		if ((url = conf_url(p, list[i], 0)) == NULL)
			return (-1);
		free(list[i]);
		list[i] = url;
	}
	return (0);
}

static int
conf_set_choice(struct conf_parser *p, const struct conf_key *k, void *obj,
    const char *v)
{
	const char *const	*c;
	char			 all[128];
	size_t			 len = 0;

	for (c = k->choices; *c != NULL; c++) {
		if (strcmp(*c, v) == 0)
			return (conf_set_string(p, k, obj, v));
	}
	all[0] = '\0';
	for (c = k->choices; *c != NULL && len < sizeof(all); c++)
		len += snprintf(all + len, sizeof(all) - len, "%s%s",
		    c == k->choices ? "" : ", ", *c);
	return (conf_error(p, p->line, "bad %s \"%s\" (one of: %s)", k->name,
	    v, all));
}

/* Compiled here once so that a bad expression is a config error. */
static int
conf_set_match(struct conf_parser *p, const struct conf_key *k, void *obj,
    const char *v)
{
	struct match	*m;
	char		*cause;
	int		 rc;

	if ((m = match_new(v, &cause)) == NULL) {
		rc = conf_error(p, p->line, "bad match \"%s\": %s", v, cause);
		free(cause);
		return (rc);
	}
	match_free(m);
	return (conf_set_string(p, k, obj, v));
}

/* A rule's pattern: PCRE2 (match_new), refused here when it is bad. */
static int
conf_set_rule_match(struct conf_parser *p, const struct conf_key *k,
    void *obj, const char *v)
{
	struct match	*m;
	char		*cause = NULL;

	if ((m = match_new(v, &cause)) == NULL) {
		conf_error(p, p->line, "bad match \"%s\": %s", v, cause);
		free(cause);
		return (-1);
	}
	match_free(m);
	return (conf_set_string(p, k, obj, v));
}

static int
conf_set_fields(struct conf_parser *p, const struct conf_key *k, void *obj,
    const char *v)
{
	char		**list;
	size_t		  n, i;
	const char *const *f;

	if (conf_set_list(p, k, obj, v) != 0)
		return (-1);
	list = *CONF_FIELD(obj, k->off, char **);
	n = *CONF_FIELD(obj, k->count, size_t);
	for (i = 0; i < n; i++) {
		for (f = conf_fields; *f != NULL; f++)
			if (strcmp(*f, list[i]) == 0)
				break;
		if (*f == NULL)
			return (conf_error(p, p->line, "unknown field \"%s\" "
			    "(title, content, author, categories or link)",
			    list[i]));
	}
	return (0);
}

static int
conf_set_http(struct conf_parser *p, const struct conf_key *k, void *obj,
    const char *v)
{
	char	**field = CONF_FIELD(obj, k->off, char *);
	char	 *url;

	if ((url = conf_url(p, v, 1)) == NULL)
		return (-1);
	free(*field);
	*field = url;
	return (0);
}

/*
 * A maximum age (a duration with its unit), a maximum item count per feed
 * (a plain number), or both in either order; "keep" or "none": no limit.
 */
static int
conf_set_retention(struct conf_parser *p, const struct conf_key *k,
    void *obj, const char *v)
{
	struct conf	 *conf = obj;
	char		**items;
	size_t		  n, i;
	int64_t		  age = -1, count = -1, d;
	long long	  c;
	int		  bad = 0;

	if (strcasecmp(v, "keep") == 0 || strcasecmp(v, "none") == 0) {
		conf->retention_age = conf->retention_items = -1;
		return (0);
	}
	if (conf_split_list(v, &items, &n) != 0 || n == 0 || n > 2)
		bad = 1;
	for (i = 0; !bad && i < n; i++) {
		if (conf_number(items[i], 1, INT64_MAX, &c) == 0) {
			if (count != -1)
				bad = 1;
			count = c;
		} else if (conf_parse_duration(items[i], &d) == 0) {
			if (age != -1)
				bad = 1;
			age = d;
		} else
			bad = 1;
	}
	conf_free_list(items, n);
	if (bad)
		return (conf_error(p, p->line, "bad retention \"%s\" (a "
		    "duration, a number of items, both, or keep)", v));
	conf->retention_age = age;
	conf->retention_items = count;
	return (0);
}

/* The line where a key of a section was given, 0 if it was not. */
static unsigned int
conf_key_line(const struct conf_key *keys, size_t nkeys,
    const struct conf_lines *lines, const char *name)
{
	size_t	i;

	for (i = 0; i < nkeys; i++) {
		if (strcmp(keys[i].name, name) == 0)
			return (lines->line[i]);
	}
	return (0);
}

#define MAXLINE(a, b)	((a) > (b) ? (a) : (b))

/*
 * The limits must nest.  A clash is reported where the later of the two
 * keys was given; an unset max_per_host just follows max_parallel down.
 */
static int
conf_check_daemon(struct conf_parser *p)
{
	struct conf		*conf = p->conf;
	const struct conf_key	*keys = conf_daemon_keys;
	size_t			 nkeys = NITEMS(conf_daemon_keys);
	unsigned int		 lmin, ldef, lmax, lpar, lhost;
	char			 a[32], b[32];

	lmin = conf_key_line(keys, nkeys, &p->daemon, "min_interval");
	ldef = conf_key_line(keys, nkeys, &p->daemon, "default_interval");
	lmax = conf_key_line(keys, nkeys, &p->daemon, "max_interval");
	lpar = conf_key_line(keys, nkeys, &p->daemon, "max_parallel");
	lhost = conf_key_line(keys, nkeys, &p->daemon, "max_per_host");
	/* The group is looked up by the daemon (server_check()), not here:
	 * feedctl reads this file too.  Its error needs the line. */
	conf->socket_group_line = conf_key_line(keys, nkeys, &p->daemon,
	    "socket_group");

	if (conf->min_interval > conf->default_interval)
		return (conf_error(p, MAXLINE(lmin, ldef), "default_interval "
		    "%s is less than min_interval %s",
		    conf_duration_str(conf->default_interval, a, sizeof(a)),
		    conf_duration_str(conf->min_interval, b, sizeof(b))));
	if (conf->default_interval > conf->max_interval)
		return (conf_error(p, MAXLINE(ldef, lmax), "default_interval "
		    "%s is greater than max_interval %s",
		    conf_duration_str(conf->default_interval, a, sizeof(a)),
		    conf_duration_str(conf->max_interval, b, sizeof(b))));
	if (conf->max_per_host > conf->max_parallel) {
		if (lhost == 0)
			conf->max_per_host = conf->max_parallel;
		else
			return (conf_error(p, MAXLINE(lpar, lhost),
			    "max_per_host %u is greater than max_parallel %u",
			    conf->max_per_host, conf->max_parallel));
	}
	return (0);
}

/* A feed's own interval must sit inside [min_interval, max_interval]. */
static int
conf_check_feed(struct conf_parser *p, size_t idx)
{
	struct conf		*conf = p->conf;
	struct conf_feed	*f = &conf->feeds[idx];
	unsigned int		 line;
	char			 a[32], b[32];

	if (f->interval == -1)
		return (0);
	line = conf_key_line(conf_feed_keys, NITEMS(conf_feed_keys),
	    &p->feeds[idx], "interval");
	conf_duration_str(f->interval, a, sizeof(a));
	if (f->interval < conf->min_interval)
		return (conf_error(p, line, "interval %s is less than "
		    "min_interval %s", a,
		    conf_duration_str(conf->min_interval, b, sizeof(b))));
	if (f->interval > conf->max_interval)
		return (conf_error(p, line, "interval %s is greater than "
		    "max_interval %s", a,
		    conf_duration_str(conf->max_interval, b, sizeof(b))));
	return (0);
}

/* A command line a notifier runs must split into words (argv.c). */
static int
conf_check_argv(struct conf_parser *p, const char *cmd, unsigned int line,
    const char *key)
{
	const char	*why = NULL;
	char		**v;
	size_t		  n;

	if ((v = argv_split(cmd, &n, &why)) == NULL)
		return (conf_error(p, line, "bad %s: %s", key, why));
	argv_free(v);
	return (0);
}

/*
 * A mail notifier's "from" is one mailbox with a domain, its "to" a list
 * of them (a bare local name may do: sendmail qualifies it), in forms a
 * header can carry (mailaddr.c).
 */
static int
conf_check_mail(struct conf_parser *p, size_t idx)
{
	struct conf_notify	*n = &p->conf->notifiers[idx];
	const struct conf_lines	*lines = &p->notifiers[idx];
	struct mailaddr		 m, *v;
	size_t			 nv;
	const char		*why = NULL;

	if (mailaddr_list(n->to, 0, &v, &nv, &why) != 0)
		return (conf_error(p, conf_key_line(conf_notify_keys,
		    NITEMS(conf_notify_keys), lines, "to"), "bad to \"%s\": "
		    "%s (addresses such as me@example.org or Name "
		    "<me@example.org>, separated by commas)", n->to, why));
	mailaddr_free_list(v, nv);
	if (n->from == NULL)
		return (0);
	if (mailaddr_parse(n->from, strlen(n->from), MAILADDR_DOMAIN, &m,
	    &why) != 0)
		return (conf_error(p, conf_key_line(conf_notify_keys,
		    NITEMS(conf_notify_keys), lines, "from"), "bad from "
		    "\"%s\": %s (one address such as feedd@example.org, or "
		    "Name <feedd@example.org>)", n->from, why));
	mailaddr_clear(&m);
	return (0);
}

/*
 * A notifier needs a type, the keys its type requires and none of another
 * type's; then the type's defaults are filled in.
 */
static int
conf_check_notify(struct conf_parser *p, size_t idx)
{
	struct conf_notify	*n = &p->conf->notifiers[idx];
	const struct conf_key	*keys = conf_notify_keys, *bad = NULL;
	const struct conf_lines	*lines = &p->notifiers[idx];
	size_t			 nkeys = NITEMS(conf_notify_keys), i;
	unsigned int		 type, line = 0, l1, l2;
	char			 a[32], b[32];

	if (n->type == NULL)
		return (conf_error(p, n->line, "notifier \"%s\" has no type "
		    "(mail, webhook or exec)", n->name));
	if (strcmp(n->type, "mail") == 0)
		type = CONF_TYPE_MAIL;
	else if (strcmp(n->type, "webhook") == 0)
		type = CONF_TYPE_WEBHOOK;
	else
		type = CONF_TYPE_EXEC;

	/* The first misplaced key in the file, not in the table. */
	for (i = 0; i < nkeys; i++) {
		if (lines->line[i] == 0 || (keys[i].types & type))
			continue;
		if (bad == NULL || lines->line[i] < line) {
			bad = &keys[i];
			line = lines->line[i];
		}
	}
	if (bad != NULL)
		return (conf_error(p, line, "key \"%s\" does not apply to type "
		    "%s", bad->name, n->type));

	if (type == CONF_TYPE_EXEC && n->command == NULL)
		return (conf_error(p, n->line, "notifier \"%s\" (exec) needs "
		    "a command", n->name));
	if (type == CONF_TYPE_MAIL && n->to == NULL)
		return (conf_error(p, n->line, "notifier \"%s\" (mail) needs "
		    "a \"to\" address", n->name));
	if (type == CONF_TYPE_WEBHOOK && n->url == NULL)
		return (conf_error(p, n->line, "notifier \"%s\" (webhook) "
		    "needs a url", n->name));
	if (n->secret != NULL && n->format != NULL &&
	    strcmp(n->format, "json") != 0)
		return (conf_error(p, conf_key_line(keys, nkeys, lines,
		    "secret"), "key \"secret\" applies only to format json"));
	l1 = conf_key_line(keys, nkeys, lines, "digest_interval");
	if (l1 != 0 && (n->mode == NULL || strcmp(n->mode, "digest") != 0))
		return (conf_error(p, l1, "key \"digest_interval\" applies "
		    "only to mode digest"));
	if (n->retry_initial > n->retry_max) {
		l1 = conf_key_line(keys, nkeys, lines, "retry_initial");
		l2 = conf_key_line(keys, nkeys, lines, "retry_max");
		return (conf_error(p, MAXLINE(l1, l2), "retry_initial %s is "
		    "greater than retry_max %s",
		    conf_duration_str(n->retry_initial, a, sizeof(a)),
		    conf_duration_str(n->retry_max, b, sizeof(b))));
	}

	if ((type == CONF_TYPE_EXEC && conf_check_argv(p, n->command,
	    conf_key_line(keys, nkeys, lines, "command"), "command") != 0) ||
	    (type == CONF_TYPE_MAIL && n->sendmail != NULL &&
	    conf_check_argv(p, n->sendmail, conf_key_line(keys, nkeys, lines,
	    "sendmail"), "sendmail") != 0) ||
	    (type == CONF_TYPE_MAIL && conf_check_mail(p, idx) != 0))
		return (-1);

	if (type == CONF_TYPE_MAIL) {
		/* sendmail's default: longer than a command's 30s. */
		if (conf_key_line(keys, nkeys, lines, "timeout") == 0)
			n->timeout = CONF_MAIL_TIMEOUT;
		if (n->sendmail == NULL)
			n->sendmail = xstrdup("/usr/sbin/sendmail -t -oi");
		if (n->mode == NULL)
			n->mode = xstrdup("each");
	}
	if (type == CONF_TYPE_WEBHOOK && n->format == NULL)
		n->format = xstrdup("json");
	return (0);
}

static void
conf_free_list(char **list, size_t n)
{
	size_t	i;

	for (i = 0; i < n; i++)
		free(list[i]);
	free(list);
}

static void
conf_free_notify(struct conf_notify *n)
{
	free(n->name);
	free(n->type);
	conf_free_list(n->feeds, n->nfeeds);
	conf_free_list(n->tags, n->ntags);
	free(n->match);
	free(n->command);
	free(n->to);
	free(n->from);
	free(n->sendmail);
	free(n->mode);
	free(n->url);
	free(n->format);
	free(n->secret);
	free(n->token);
}

/*
 * A default path inside a directory systemd made for the service:
 * StateDirectory= and RuntimeDirectory= export $STATE_DIRECTORY and
 * $RUNTIME_DIRECTORY (systemd.exec(5), colon-separated, the first one is
 * feedd's).  So the system unit gets /var/lib/feedd and /run/feedd, and
 * the user unit ~/.local/state/feedd and $XDG_RUNTIME_DIR/feedd, with no
 * database or socket key.  Unset, relative or too long: "fallback".
 */
static char *
conf_default_path(const char *env, const char *name, const char *fallback,
    size_t max)
{
	const char	*dir = getenv(env);
	char		*path;

	if (dir == NULL || *dir != '/')
		return (xstrdup(fallback));
	xasprintf(&path, "%.*s/%s", (int)strcspn(dir, ":"), dir, name);
	if (strlen(path) > max) {
		free(path);
		return (xstrdup(fallback));
	}
	return (path);
}

/* Every default; no feeds, no notifiers. */
struct conf *
conf_new(void)
{
	struct sockaddr_un	 sa;
	struct conf		*conf;

	conf = xcalloc(1, sizeof(*conf));
	conf->database = conf_default_path("STATE_DIRECTORY", "feedd.db",
	    "/var/lib/feedd/feedd.db", SIZE_MAX);
	conf->socket = conf_default_path("RUNTIME_DIRECTORY", "feedd.sock",
	    "/run/feedd/feedd.sock", sizeof(sa.sun_path) - 1);
	conf->socket_mode = 0660;
	conf->user_agent = xstrdup("feedd/" FEEDD_VERSION);
	conf->max_parallel = 64;
	conf->max_per_host = 4;
	conf->default_interval = 3600;
	conf->min_interval = 300;
	conf->max_interval = 86400;
	conf->timeout = 30;
	conf->max_feed_size = INT64_C(16) * 1024 * 1024;
	conf->retention_age = -1;
	conf->retention_items = -1;
	return (conf);
}

/* The whole file (a config is small), NUL-terminated; NULL on error. */
static char *
conf_read_file(const char *path, char **cause)
{
	struct stat	 st;
	char		*text = NULL, *nul;
	size_t		 len = 0, cap = 0;
	ssize_t		 r;
	unsigned int	 line;
	int		 fd;

	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) == -1) {
		xasprintf(cause, "%s: %s", path, strerror(errno));
		return (NULL);
	}
	if (fstat(fd, &st) == -1) {
		xasprintf(cause, "%s: %s", path, strerror(errno));
		goto fail;
	}
	if (!S_ISREG(st.st_mode)) {
		xasprintf(cause, "%s: not a regular file", path);
		goto fail;
	}
	for (;;) {
		if (len == cap) {
			if (cap > CONF_MAX_FILE) {
				xasprintf(cause, "%s: file too large (max %d "
				    "bytes)", path, CONF_MAX_FILE);
				goto fail;
			}
			cap = cap == 0 ? 8192 : cap * 2;
			text = xreallocarray(text, 1, cap + 1);
		}
		if ((r = read(fd, text + len, cap - len)) == -1) {
			if (errno == EINTR)
				continue;
			xasprintf(cause, "%s: %s", path, strerror(errno));
			goto fail;
		}
		if (r == 0)
			break;
		len += r;
	}
	close(fd);
	fd = -1;
	if (len > CONF_MAX_FILE) {
		xasprintf(cause, "%s: file too large (max %d bytes)", path,
		    CONF_MAX_FILE);
		goto fail;
	}
	text[len] = '\0';
	if ((nul = memchr(text, '\0', len)) != NULL) {
		line = 1;
		for (; nul > text; nul--)
			line += nul[-1] == '\n';
		xasprintf(cause, "%s:%u: NUL byte in file", path, line);
		goto fail;
	}
	return (text);

fail:
	if (fd != -1)
		close(fd);
	free(text);
	return (NULL);
}

/* Reads the whole file and parses it from memory. */
struct conf *
conf_load(const char *path, char **cause)
{
	struct conf	*conf;
	char		*text;

	if ((text = conf_read_file(path, cause)) == NULL)
		return (NULL);
	conf = conf_load_string(text, path, cause);
	free(text);
	return (conf);
}

struct conf_socket_find {
	char	*value;		/* the last [daemon] socket, as written */
};

static int
conf_socket_handler(void *arg, const char *section, const char *name,
    const char *value)
{
	struct conf_socket_find	*f = arg;
	size_t			 len;

	if (strcmp(section, "daemon") != 0 || strcmp(name, "socket") != 0)
		return (1);
	free(f->value);
	len = strlen(value);
	/* One pair of double quotes around a value goes, as in a load. */
	if (len >= 2 && value[0] == '"' && value[len - 1] == '"')
		f->value = xstrndup(value + 1, len - 2);
	else
		f->value = xstrdup(value);
	return (1);
}

/*
 * The socket a config names ([daemon] socket, relative to the file's
 * folder), even when another line of it has an error: a client needs
 * only that key, and a daemon that refused a bad reload keeps running on
 * that socket.  NULL when the file names none or cannot be read.
 */
char *
conf_socket(const char *path)
{
	struct conf_socket_find	 f = { NULL };
	char			*text, *dir, *sock = NULL, *cause = NULL;

	if ((text = conf_read_file(path, &cause)) == NULL) {
		free(cause);
		return (NULL);
	}
	(void)ini_parse_string(text, conf_socket_handler, &f);
	free(text);
	if (f.value != NULL && *f.value != '\0') {
		dir = conf_dir(path);
		sock = conf_join(dir, f.value);
		free(dir);
	}
	free(f.value);
	return (sock);
}

/*
 * Parses a config held in memory; path is for messages and relative paths
 * (NULL: "<string>" in the working directory).
 */
struct conf *
conf_load_string(const char *text, const char *path, char **cause)
{
	struct conf_parser	 p;
	size_t			 i;
	int			 r;

	memset(&p, 0, sizeof(p));
	p.path = path != NULL ? path : "<string>";
	p.dir = conf_dir(path != NULL ? path : "./<string>");
	p.conf = conf_new();
	p.conf->path = xstrdup(p.path);
	p.next = text;

	r = ini_parse_stream(conf_reader, &p, conf_handler, &p);
	/*
	 * The reader stops at our first error, so a line inih reports (no
	 * "=") can only come before it.
	 */
	if (r > 0) {
		free(p.cause);
		p.cause = NULL;
		conf_error(&p, (unsigned int)r, "expected \"key = value\"");
	} else if (r < 0)
		conf_error(&p, 0, "cannot parse (inih error %d)", r);
	if (p.cause == NULL)
		(void)conf_check_daemon(&p);
	for (i = 0; p.cause == NULL && i < p.conf->nfeeds; i++)
		(void)conf_check_feed(&p, i);
	for (i = 0; p.cause == NULL && i < p.conf->nnotifiers; i++)
		(void)conf_check_notify(&p, i);
	for (i = 0; p.cause == NULL && i < p.conf->nrules; i++) {
		if (p.conf->rules[i].action == NULL)
			conf_error(&p, p.conf->rules[i].line, "rule \"%s\" "
			    "needs an action (drop, keep or mark_read)",
			    p.conf->rules[i].name);
		else if (p.conf->rules[i].match == NULL)
			conf_error(&p, p.conf->rules[i].line, "rule \"%s\" "
			    "needs a match", p.conf->rules[i].name);
	}

	free(p.dir);
	free(p.long_value);
	free(p.feeds);
	free(p.feed_index);
	free(p.notifiers);
	free(p.rules);
	if (p.cause != NULL) {
		*cause = p.cause;
		conf_free(p.conf);
		return (NULL);
	}
	return (p.conf);
}

const struct conf_feed *
conf_find_feed(const struct conf *conf, const char *url)
{
	size_t	i;

	for (i = 0; i < conf->nfeeds; i++) {
		if (strcmp(conf->feeds[i].url, url) == 0)
			return (&conf->feeds[i]);
	}
	return (NULL);
}

/*
 * "90s", "15m", "2h", "1d", "1w", or units combined largest first
 * ("1h30m"); a bare number is seconds.  Units are lower case (is "M" a
 * minute or a month?).  Surrounding whitespace is allowed; the result is
 * between 1 s and 100 years.
 */
int
conf_parse_duration(const char *s, int64_t *out)
{
	static const char	 units[] = "wdhms";
	static const int64_t	 mults[] = { 7 * 86400, 86400, 3600, 60, 1 };
	const char		*u;
	int64_t			 total = 0, n, mult, last = INT64_MAX;

	while (isspace((unsigned char)*s))
		s++;
	if (!isdigit((unsigned char)*s))
		return (-1);
	while (isdigit((unsigned char)*s)) {
		for (n = 0; isdigit((unsigned char)*s); s++) {
			if (n > (CONF_MAX_DURATION - (*s - '0')) / 10)
				return (-1);
			n = n * 10 + (*s - '0');
		}
		if (*s != '\0' && (u = strchr(units, *s)) != NULL) {
			mult = mults[u - units];
			s++;
		} else if (total == 0 && last == INT64_MAX)
			mult = 1;	/* a bare number, alone */
		else
			return (-1);
		if (mult >= last || n > (CONF_MAX_DURATION - total) / mult)
			return (-1);
		total += n * mult;
		last = mult;
		if (mult == 1 && s[-1] != 's')
			break;
	}
	while (isspace((unsigned char)*s))
		s++;
	if (*s != '\0' || total <= 0)
		return (-1);
	*out = total;
	return (0);
}

/*
 * "512K", "16M", "1G" (powers of 1024, either case); a bare number is
 * bytes.  Surrounding whitespace is allowed; the result is at least 1.
 */
int
conf_parse_size(const char *s, int64_t *out)
{
	int64_t	n = 0, mult = 1;

	while (isspace((unsigned char)*s))
		s++;
	if (!isdigit((unsigned char)*s))
		return (-1);
	for (; isdigit((unsigned char)*s); s++) {
		if (n > (INT64_MAX - (*s - '0')) / 10)
			return (-1);
		n = n * 10 + (*s - '0');
	}
	switch (*s) {
	case 'k':
	case 'K':
		mult = 1024;
		break;
	case 'm':
	case 'M':
		mult = 1024 * 1024;
		break;
	case 'g':
	case 'G':
		mult = 1024 * 1024 * 1024;
		break;
	}
	if (mult != 1)
		s++;
	while (isspace((unsigned char)*s))
		s++;
	if (*s != '\0' || n == 0 || n > INT64_MAX / mult)
		return (-1);
	*out = n * mult;
	return (0);
}

/* yes/no, true/false, on/off, 1/0, in any case. */
int
conf_parse_bool(const char *s, int *out)
{
	static const char *const	 yes[] = { "yes", "true", "on", "1" };
	static const char *const	 no[] = { "no", "false", "off", "0" };
	size_t				 i, len;

	while (isspace((unsigned char)*s))
		s++;
	for (len = strlen(s); len > 0 && isspace((unsigned char)s[len - 1]);
	    len--)
		/* nothing */;
	for (i = 0; i < NITEMS(yes); i++) {
		if (strlen(yes[i]) == len && strncasecmp(s, yes[i], len) == 0) {
			*out = 1;
			return (0);
		}
		if (strlen(no[i]) == len && strncasecmp(s, no[i], len) == 0) {
			*out = 0;
			return (0);
		}
	}
	return (-1);
}

/*
 * Splits "a, b ,c" into items, trimmed, dropping empty ones and repeats.
 * Double quotes keep commas in an item ("https://x/?a=1,2") and go away
 * when they wrap a whole item.  On success the caller frees each item and
 * the array (NULL when there are none); -1: unbalanced quotes.
 */
int
conf_split_list(const char *s, char ***listp, size_t *np)
{
	char		**list = NULL, *item;
	const char	 *start, *end, *q;
	size_t		  n = 0, i, len;
	int		  quoted = 0;

	*listp = NULL;
	*np = 0;
	for (start = q = s;; q++) {
		if (*q == '"')
			quoted = !quoted;
		if (*q != '\0' && (*q != ',' || quoted))
			continue;
		if (quoted) {
			conf_free_list(list, n);
			return (-1);
		}
		for (end = q; start < end && isspace((unsigned char)*start);
		    start++)
			/* nothing */;
		while (end > start && isspace((unsigned char)end[-1]))
			end--;
		len = end - start;
		if (len >= 2 && *start == '"' && end[-1] == '"' &&
		    memchr(start + 1, '"', len - 2) == NULL) {
			start++;
			len -= 2;
		}
		if (len > 0) {
			item = xstrndup(start, len);
			for (i = 0; i < n; i++) {
				if (strcmp(list[i], item) == 0)
					break;
			}
			if (i < n)
				free(item);
			else {
				list = xreallocarray(list, n + 1,
				    sizeof(*list));
				list[n++] = item;
			}
		}
		if (*q == '\0')
			break;
		start = q + 1;
	}
	*listp = list;
	*np = n;
	return (0);
}

void
conf_free(struct conf *conf)
{
	size_t	i;

	if (conf == NULL)
		return;
	free(conf->path);
	free(conf->database);
	free(conf->socket);
	free(conf->socket_group);
	free(conf->user_agent);
	conf_free_list(conf->allow_hosts, conf->nallow_hosts);
	for (i = 0; i < conf->nfeeds; i++) {
		free(conf->feeds[i].url);
		free(conf->feeds[i].title);
		conf_free_list(conf->feeds[i].tags, conf->feeds[i].ntags);
		feedopt_clear(&conf->feeds[i].opts);
	}
	free(conf->feeds);
	free(conf->proxy);
	for (i = 0; i < conf->nnotifiers; i++)
		conf_free_notify(&conf->notifiers[i]);
	free(conf->notifiers);
	for (i = 0; i < conf->nrules; i++) {
		free(conf->rules[i].name);
		free(conf->rules[i].action);
		free(conf->rules[i].match);
		conf_free_list(conf->rules[i].fields, conf->rules[i].nfields);
		conf_free_list(conf->rules[i].feeds, conf->rules[i].nfeeds);
		conf_free_list(conf->rules[i].tags, conf->rules[i].ntags);
	}
	free(conf->rules);
	free(conf);
}
