/*
 * feedopt.c: per-feed settings.  One parser (feedopt_set) for the config
 * file's keys and the socket's strings, so both accept and refuse the
 * same values; one JSON form for the database.  What may be a secret
 * (password, cookie, header values, a URL's password) never leaves
 * through feedopt_public(), which is what clients see.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <curl/curl.h>

#include "charset.h"
#include "conf.h"
#include "feedopt.h"
#include "xmalloc.h"

/* Longest password file read: one line of it is the password. */
#define FEEDOPT_PASSWORD_MAX	4096

static int	feedopt_set_value(struct feedopt *, const char *, const char *,
		    int, char **);

static const char *const feedopt_keys[] = {
	"user_agent", "headers", "cookie", "username", "password",
	"password_file", "proxy", "charset", "timeout", "max_feed_size",
	"notify_first_poll", NULL
};

void
feedopt_init(struct feedopt *o)
{
	memset(o, 0, sizeof(*o));
	o->timeout = -1;
	o->max_size = -1;
	o->notify_first_poll = -1;
}

void
feedopt_clear(struct feedopt *o)
{
	size_t	i;

	free(o->user_agent);
	for (i = 0; i < o->nheaders; i++)
		free(o->headers[i]);
	free(o->headers);
	free(o->cookie);
	free(o->username);
	free(o->password);
	free(o->password_file);
	free(o->proxy);
	free(o->charset);
	feedopt_init(o);
}

int
feedopt_is_key(const char *key)
{
	size_t	i;

	for (i = 0; feedopt_keys[i] != NULL; i++)
		if (strcmp(feedopt_keys[i], key) == 0)
			return (1);
	return (0);
}

/* Header injection: no CR, LF or NUL in anything that goes out. */
static int
feedopt_line_ok(const char *v)
{
	return (strpbrk(v, "\r\n") == NULL);
}

static int
feedopt_header_ok(const char *v)
{
	const char	*colon = strchr(v, ':'), *p;

	if (colon == NULL || colon == v || !feedopt_line_ok(v))
		return (0);
	/* RFC 9110 5.1: a token. */
	for (p = v; p < colon; p++)
		if (!isalnum((unsigned char)*p) && strchr("!#$%&'*+-.^_`|~",
		    *p) == NULL)
			return (0);
	return (1);
}

static int
feedopt_proxy_ok(const char *v)
{
	CURLU	*u;
	char	*scheme = NULL, *host = NULL;
	int	 ok = 0;

	if ((u = curl_url()) == NULL)
		return (0);
	if (curl_url_set(u, CURLUPART_URL, v, CURLU_NON_SUPPORT_SCHEME) ==
	    CURLUE_OK &&
	    curl_url_get(u, CURLUPART_SCHEME, &scheme, 0) == CURLUE_OK &&
	    curl_url_get(u, CURLUPART_HOST, &host, 0) == CURLUE_OK)
		ok = strcmp(scheme, "http") == 0 ||
		    strcmp(scheme, "https") == 0 ||
		    strcmp(scheme, "socks5") == 0 ||
		    strcmp(scheme, "socks5h") == 0;
	curl_free(scheme);
	curl_free(host);
	curl_url_cleanup(u);
	return (ok);
}

static void
feedopt_str(char **field, const char *v)
{
	free(*field);
	*field = *v != '\0' ? xstrdup(v) : NULL;
}

/*
 * A charset the parser can read: one iconv knows, under this name or an
 * alias (charset_normalize()).  Otherwise a forced charset would be
 * ignored at every poll, and the mojibake it was set to cure would stay.
 */
static int
feedopt_charset_ok(const char *v)
{
	char	name[CHARSET_LABEL_MAX];
	int	latin1;

	return (charset_normalize(v, name, sizeof(name), &latin1) == 0);
}

/*
 * Sets "key" from its text form, as in the config file; "" unsets it
 * (and empties the header list).  A header adds to the list.  -1 with
 * "*cause" when the value is not valid for the key.
 */
int
feedopt_set(struct feedopt *o, const char *key, const char *v, char **cause)
{
	return (feedopt_set_value(o, key, v, 0, cause));
}

/*
 * feedopt_set(), or with "stored" set, for a value read back from the
 * database: a charset stored before it was checked, or that this
 * system's iconv no longer has, is kept rather than losing the feed's
 * other settings with it (the parser reads that feed as UTF-8, as it
 * did before values were checked).
 */
static int
feedopt_set_value(struct feedopt *o, const char *key, const char *v,
    int stored, char **cause)
{
	int64_t	n;
	int	b;

	if (!feedopt_line_ok(v)) {
		xasprintf(cause, "%s: no line breaks allowed", key);
		return (-1);
	}
	if (strcmp(key, "user_agent") == 0)
		feedopt_str(&o->user_agent, v);
	else if (strcmp(key, "headers") == 0) {
		if (*v == '\0') {
			while (o->nheaders > 0)
				free(o->headers[--o->nheaders]);
			return (0);
		}
		if (!feedopt_header_ok(v)) {
			xasprintf(cause, "headers: \"%s\" is not a "
			    "\"Name: value\" header", v);
			return (-1);
		}
		o->headers = xreallocarray(o->headers, o->nheaders + 1,
		    sizeof(*o->headers));
		o->headers[o->nheaders++] = xstrdup(v);
	} else if (strcmp(key, "cookie") == 0)
		feedopt_str(&o->cookie, v);
	else if (strcmp(key, "username") == 0)
		feedopt_str(&o->username, v);
	else if (strcmp(key, "password") == 0)
		feedopt_str(&o->password, v);
	else if (strcmp(key, "password_file") == 0) {
		if (*v != '\0' && *v != '/') {
			xasprintf(cause, "password_file: want an absolute "
			    "path");
			return (-1);
		}
		feedopt_str(&o->password_file, v);
	} else if (strcmp(key, "proxy") == 0) {
		if (*v != '\0' && !feedopt_proxy_ok(v)) {
			xasprintf(cause, "proxy: want http://, https://, "
			    "socks5:// or socks5h://HOST[:PORT]");
			return (-1);
		}
		feedopt_str(&o->proxy, v);
	} else if (strcmp(key, "charset") == 0) {
		if (strlen(v) > 40 || strspn(v, "abcdefghijklmnopqrstuvwxyz"
		    "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_.:") != strlen(v)) {
			xasprintf(cause, "charset: not a charset name");
			return (-1);
		}
		if (*v != '\0' && !stored && !feedopt_charset_ok(v)) {
			xasprintf(cause, "charset: \"%s\" is not a charset "
			    "this system knows (iconv -l lists them)", v);
			return (-1);
		}
		feedopt_str(&o->charset, v);
	} else if (strcmp(key, "timeout") == 0) {
		if (*v == '\0')
			o->timeout = -1;
		else if (conf_parse_duration(v, &n) != 0) {
			xasprintf(cause, "timeout: bad duration \"%s\"", v);
			return (-1);
		} else
			o->timeout = n;
	} else if (strcmp(key, "max_feed_size") == 0) {
		if (*v == '\0')
			o->max_size = -1;
		else if (conf_parse_size(v, &n) != 0 || n <= 0) {
			xasprintf(cause, "max_feed_size: bad size \"%s\"", v);
			return (-1);
		} else
			o->max_size = n;
	} else if (strcmp(key, "notify_first_poll") == 0) {
		if (*v == '\0')
			o->notify_first_poll = -1;
		else if (conf_parse_bool(v, &b) != 0) {
			xasprintf(cause, "notify_first_poll: yes or no");
			return (-1);
		} else
			o->notify_first_poll = b;
	} else {
		xasprintf(cause, "%s: not a feed setting", key);
		return (-1);
	}
	return (0);
}

static void
feedopt_json_str(json_t *j, const char *key, const char *v)
{
	if (v != NULL)
		json_object_set_new(j, key, json_string(v));
}

static json_t *
feedopt_json(const struct feedopt *o, int public)
{
	json_t		*j = json_object(), *h;
	const char	*colon;
	size_t		 i;

	feedopt_json_str(j, "user_agent", o->user_agent);
	if (o->nheaders > 0) {
		h = json_array();
		for (i = 0; i < o->nheaders; i++) {
			/* A header may be a token: its name only. */
			colon = strchr(o->headers[i], ':');
			json_array_append_new(h, public ? json_sprintf(
			    "%.*s: %s", (int)(colon - o->headers[i]),
			    o->headers[i], FEEDOPT_MASK) :
			    json_string(o->headers[i]));
		}
		json_object_set_new(j, "headers", h);
	}
	feedopt_json_str(j, "cookie", o->cookie == NULL ? NULL : public ?
	    FEEDOPT_MASK : o->cookie);
	feedopt_json_str(j, "username", o->username);
	feedopt_json_str(j, "password", o->password == NULL ? NULL : public ?
	    FEEDOPT_MASK : o->password);
	feedopt_json_str(j, "password_file", o->password_file);
	if (o->proxy != NULL) {
		if (public) {
			char	*m = feedopt_mask_url(o->proxy);

			json_object_set_new(j, "proxy", json_string(m));
			free(m);
		} else
			json_object_set_new(j, "proxy", json_string(o->proxy));
	}
	feedopt_json_str(j, "charset", o->charset);
	if (o->timeout >= 0)
		json_object_set_new(j, "timeout", json_integer(o->timeout));
	if (o->max_size >= 0)
		json_object_set_new(j, "max_feed_size",
		    json_integer(o->max_size));
	if (o->notify_first_poll >= 0)
		json_object_set_new(j, "notify_first_poll",
		    json_boolean(o->notify_first_poll));
	return (j);
}

/* The stored form: NULL when nothing is set. */
char *
feedopt_to_json(const struct feedopt *o)
{
	json_t	*j = feedopt_json(o, 0);
	char	*s = NULL;

	if (json_object_size(j) > 0)
		s = json_dumps(j, JSON_COMPACT | JSON_SORT_KEYS);
	json_decref(j);
	return (s);
}

/* What clients see: secrets masked; an empty object when none. */
json_t *
feedopt_public(const struct feedopt *o)
{
	return (feedopt_json(o, 1));
}

/* Reads the stored form ("s" may be NULL: nothing set) into "o", which
 * it initialises: pass one that holds nothing. */
int
feedopt_from_json(const char *s, struct feedopt *o, char **cause)
{
	json_error_t	 err;
	json_t		*j, *v, *h;
	const char	*key;
	char		 num[32];
	size_t		 i;
	int		 rc = 0;

	feedopt_init(o);
	if (s == NULL)
		return (0);
	if ((j = json_loads(s, 0, &err)) == NULL || !json_is_object(j)) {
		json_decref(j);
		xasprintf(cause, "feed options: not a JSON object");
		return (-1);
	}
	json_object_foreach(j, key, v) {
		if (strcmp(key, "headers") == 0 && json_is_array(v)) {
			json_array_foreach(v, i, h)
				if (rc == 0 && (!json_is_string(h) ||
				    feedopt_set_value(o, key,
				    json_string_value(h), 1, cause) != 0))
					rc = -1;
		} else if (json_is_string(v))
			rc = feedopt_set_value(o, key,
			    json_string_value(v), 1, cause);
		else if (json_is_integer(v)) {
			snprintf(num, sizeof(num), "%llds", (long long)
			    json_integer_value(v));
			if (strcmp(key, "max_feed_size") == 0)
				num[strlen(num) - 1] = '\0';
			rc = feedopt_set_value(o, key, num, 1, cause);
		} else if (json_is_boolean(v))
			rc = feedopt_set_value(o, key, json_is_true(v) ?
			    "yes" : "no", 1, cause);
		else {
			xasprintf(cause, "feed options: %s: wrong type", key);
			rc = -1;
		}
		if (rc != 0)
			break;
	}
	json_decref(j);
	if (rc != 0)
		feedopt_clear(o);
	return (rc);
}

/*
 * The password: "password", else the first line of "password_file"
 * (read at each fetch, so a changed file takes effect); NULL when there
 * is none, or with "*cause" when the file cannot be read.
 */
char *
feedopt_password(const struct feedopt *o, char **cause)
{
	FILE	*f;
	char	 line[FEEDOPT_PASSWORD_MAX];

	*cause = NULL;
	if (o->password != NULL)
		return (xstrdup(o->password));
	if (o->password_file == NULL)
		return (NULL);
	if ((f = fopen(o->password_file, "r")) == NULL) {
		xasprintf(cause, "password_file %s: cannot read it",
		    o->password_file);
		return (NULL);
	}
	if (fgets(line, sizeof(line), f) == NULL)
		line[0] = '\0';
	fclose(f);
	line[strcspn(line, "\r\n")] = '\0';
	return (xstrdup(line));
}

/*
 * A URL as it may be shown: a password in its userinfo replaced by
 * FEEDOPT_MASK ("http://joe:********@host/").  A copy of the URL when it
 * has none; the URL, unparsed, too.
 */
char *
feedopt_mask_url(const char *url)
{
	const char	*scheme, *at, *colon, *end;
	char		*out;

	if (url == NULL)
		return (NULL);
	if ((scheme = strstr(url, "://")) == NULL)
		return (xstrdup(url));
	scheme += 3;
	end = scheme + strcspn(scheme, "/?#");
	at = memchr(scheme, '@', (size_t)(end - scheme));
	if (at == NULL)
		return (xstrdup(url));
	/* The last '@' of the authority ends the userinfo. */
	while ((colon = memchr(at + 1, '@', (size_t)(end - at - 1))) != NULL)
		at = colon;
	colon = memchr(scheme, ':', (size_t)(at - scheme));
	if (colon == NULL)
		return (xstrdup(url));
	xasprintf(&out, "%.*s:%s%s", (int)(colon - url), url, FEEDOPT_MASK,
	    at);
	return (out);
}

/* The public form of a stored one (may be NULL): what clients see. */
json_t *
feedopt_public_json(const char *stored)
{
	struct feedopt	 o;
	json_t		*j;
	char		*cause = NULL;

	if (feedopt_from_json(stored, &o, &cause) != 0) {
		free(cause);
		return (json_object());
	}
	j = feedopt_public(&o);
	feedopt_clear(&o);
	return (j);
}

/*
 * One setting from a socket request: a string as in the config file, a
 * number (timeout in seconds, max_feed_size in bytes), a boolean, a list
 * of headers (which replaces the list), or null to unset.
 */
int
feedopt_set_json(struct feedopt *o, const char *key, json_t *v,
    char **cause)
{
	json_t	*h;
	char	 num[32];
	size_t	 i;

	if (v == NULL || json_is_null(v))
		return (feedopt_set(o, key, "", cause));
	if (json_is_string(v)) {
		if (strlen(json_string_value(v)) != json_string_length(v)) {
			xasprintf(cause, "%s: no NUL bytes allowed", key);
			return (-1);
		}
		if (strcmp(key, "headers") == 0 &&
		    feedopt_set(o, key, "", cause) != 0)
			return (-1);
		return (feedopt_set(o, key, json_string_value(v), cause));
	}
	if (json_is_integer(v) && json_integer_value(v) > 0 &&
	    (strcmp(key, "timeout") == 0 || strcmp(key, "max_feed_size") ==
	    0)) {
		snprintf(num, sizeof(num), "%lld%s", (long long)
		    json_integer_value(v), strcmp(key, "timeout") == 0 ? "s" :
		    "");
		return (feedopt_set(o, key, num, cause));
	}
	if (json_is_boolean(v) && strcmp(key, "notify_first_poll") == 0)
		return (feedopt_set(o, key, json_is_true(v) ? "yes" : "no",
		    cause));
	if (json_is_array(v) && strcmp(key, "headers") == 0) {
		(void)feedopt_set(o, key, "", cause);
		json_array_foreach(v, i, h) {
			if (!json_is_string(h) || feedopt_set(o, key,
			    json_string_value(h), cause) != 0) {
				if (*cause == NULL)
					xasprintf(cause, "headers: want "
					    "strings");
				return (-1);
			}
		}
		return (0);
	}
	if (!feedopt_is_key(key))
		xasprintf(cause, "%s: not a feed setting", key);
	else
		xasprintf(cause, "%s: wrong type", key);
	return (-1);
}

/*
 * "url" without its user name and password, which go into "o" (unless
 * it has its own): a URL with credentials would show them wherever the
 * URL shows (logs, feedctl feeds, OPML).  The URL as it is when it has
 * none or cannot be parsed.
 */
char *
feedopt_take_userinfo(struct feedopt *o, const char *url)
{
	CURLU	*u;
	char	*user = NULL, *pass = NULL, *out = NULL, *res;

	if ((u = curl_url()) == NULL)
		return (xstrdup(url));
	if (curl_url_set(u, CURLUPART_URL, url, 0) != CURLUE_OK) {
		curl_url_cleanup(u);
		return (xstrdup(url));
	}
	(void)curl_url_get(u, CURLUPART_USER, &user, CURLU_URLDECODE);
	(void)curl_url_get(u, CURLUPART_PASSWORD, &pass, CURLU_URLDECODE);
	if (user == NULL && pass == NULL) {
		curl_url_cleanup(u);
		return (xstrdup(url));
	}
	if (user != NULL && o->username == NULL && *user != '\0')
		o->username = xstrdup(user);
	if (pass != NULL && o->password == NULL && o->password_file == NULL)
		o->password = xstrdup(pass);
	curl_url_set(u, CURLUPART_USER, NULL, 0);
	curl_url_set(u, CURLUPART_PASSWORD, NULL, 0);
	if (curl_url_get(u, CURLUPART_URL, &out, 0) == CURLUE_OK)
		res = xstrdup(out);
	else
		res = xstrdup(url);
	curl_free(out);
	curl_free(user);
	if (pass != NULL) {
		explicit_bzero(pass, strlen(pass));
		curl_free(pass);
	}
	curl_url_cleanup(u);
	return (res);
}
