/*
 * url.c: relative references resolved per RFC 3986 section 5 by libcurl's
 * URL API, which already knows every corner of the algorithm.
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <curl/curl.h>

#include "buf.h"
#include "url.h"
#include "xmalloc.h"

/* RFC 3986 3.1: scheme = ALPHA *( ALPHA / DIGIT / "+" / "-" / "." ) ":" */
int
url_is_absolute(const char *s)
{
	const char	*p;

	if (!isalpha((unsigned char)*s))
		return (0);
	for (p = s + 1; *p != '\0'; p++) {
		if (*p == ':')
			return (1);
		if (!isalnum((unsigned char)*p) && *p != '+' && *p != '-' &&
		    *p != '.')
			return (0);
	}
	return (0);
}

/* A control character (C0 or DEL), a space, or a TAB anywhere in "s". */
int
url_has_control(const char *s)
{
	for (; *s != '\0'; s++)
		if ((unsigned char)*s <= 0x20 || *s == 0x7f)
			return (1);
	return (0);
}

/*
 * The WHATWG URL Standard's first steps ("basic URL parser"): leading and
 * trailing C0 controls and spaces trimmed, every ASCII tab and newline
 * removed; here every other C0 control and DEL inside goes too, since no
 * URL may carry one raw.  So "java<TAB>script:" is seen as the scheme
 * a browser would see.
 */
char *
url_strip(const char *s)
{
	const char	*end;
	struct buf	 b = { NULL, 0, 0 };

	while ((unsigned char)*s <= 0x20 && *s != '\0')
		s++;
	end = s + strlen(s);
	while (end > s && (unsigned char)end[-1] <= 0x20)
		end--;
	for (; s < end; s++)
		if ((unsigned char)*s >= 0x20 && *s != 0x7f)
			buf_addc(&b, *s);
	buf_addc(&b, '\0');
	return (b.data);
}

/* "base" without its fragment, then "frag" ("" or "#..."). */
static char *
url_with_fragment(const char *base, const char *frag)
{
	const char	*hash = strchr(base, '#');
	size_t		 n = hash != NULL ? (size_t)(hash - base) : strlen(base);
	char		*out;

	xasprintf(&out, "%.*s%s", (int)n, base, frag);
	return (out);
}

/*
 * Returns "ref" resolved against "base" (either may be NULL), newly
 * allocated.  A reference that cannot be resolved comes back as it is:
 * a feed's link is worth keeping even when its base is broken.
 */
char *
url_resolve(const char *base, const char *ref)
{
	CURLU	*u;
	char	*out = NULL, *res;

	if (ref == NULL)
		return (base != NULL ? xstrdup(base) : NULL);
	if (url_is_absolute(ref) || base == NULL || *base == '\0')
		return (xstrdup(ref));
	/* RFC 3986 5.2.2: "" and "#f" keep the base's path and query. */
	if (*ref == '\0' || *ref == '#')
		return (url_with_fragment(base, ref));
	if ((u = curl_url()) == NULL)
		return (xstrdup(ref));
	if (curl_url_set(u, CURLUPART_URL, base,
	    CURLU_NON_SUPPORT_SCHEME | CURLU_PATH_AS_IS) != CURLUE_OK ||
	    curl_url_set(u, CURLUPART_URL, ref,
	    CURLU_NON_SUPPORT_SCHEME | CURLU_ALLOW_SPACE) != CURLUE_OK ||
	    curl_url_get(u, CURLUPART_URL, &out, 0) != CURLUE_OK) {
		curl_url_cleanup(u);
		return (xstrdup(ref));
	}
	curl_url_cleanup(u);
	res = xstrdup(out);
	curl_free(out);
	return (res);
}

/*
 * The form a stored link or feed URL takes: "ref" stripped (url_strip),
 * resolved against "base" (may be NULL), scheme and host lower case, a
 * default port dropped.  NULL unless the result is an absolute http or
 * https URL with a host (or, with URL_MAILTO, a mailto: URL): a link
 * that cannot be made absolute is no link.  URL_FEED drops the fragment
 * (url_feed()).
 */
char *
url_normalize(const char *base, const char *ref, int flags)
{
	CURLU	*u = NULL;
	char	*clean, *abs = NULL, *scheme = NULL, *host = NULL, *out = NULL;
	char	*res = NULL, *p;

	if (ref == NULL)
		return (NULL);
	clean = url_strip(ref);
	if (*clean == '\0')
		goto done;
	if (base != NULL && *base != '\0' && !url_is_absolute(clean)) {
		p = url_strip(base);
		abs = url_resolve(p, clean);
		free(p);
	} else
		abs = xstrdup(clean);
	if ((flags & URL_MAILTO) && strncasecmp(abs, "mailto:", 7) == 0 &&
	    abs[7] != '\0') {
		memcpy(abs, "mailto", 6);
		res = abs;
		abs = NULL;
		goto done;
	}
	if ((u = curl_url()) == NULL ||
	    curl_url_set(u, CURLUPART_URL, abs, CURLU_URLENCODE) != CURLUE_OK ||
	    curl_url_get(u, CURLUPART_SCHEME, &scheme, 0) != CURLUE_OK ||
	    (strcmp(scheme, "http") != 0 && strcmp(scheme, "https") != 0) ||
	    curl_url_get(u, CURLUPART_HOST, &host, 0) != CURLUE_OK ||
	    *host == '\0')
		goto done;
	for (p = host; *p != '\0'; p++)
		*p = (char)tolower((unsigned char)*p);
	if (curl_url_set(u, CURLUPART_HOST, host, 0) != CURLUE_OK ||
	    ((flags & URL_FEED) && curl_url_set(u, CURLUPART_FRAGMENT, NULL,
	    0) != CURLUE_OK) ||
	    curl_url_get(u, CURLUPART_URL, &out, CURLU_NO_DEFAULT_PORT) !=
	    CURLUE_OK)
		goto done;
	res = xstrdup(out);
done:
	curl_free(scheme);
	curl_free(host);
	curl_free(out);
	curl_url_cleanup(u);
	free(abs);
	free(clean);
	return (res);
}

/*
 * "url" with every byte RFC 3986 never allows raw percent-encoded
 * (appendix C: space, '"', '<', '>', '\', '^', '`', '{', '|', '}',
 * controls, non-ASCII bytes), for output where such a byte would end the
 * URL early: a quoted header value, Slack's <url|label>.  '%' stays, so
 * an encoded URL is unchanged.  Only at output: a stored link is part of
 * an item's key and keeps the form it was stored in.
 */
char *
url_escape(const char *url)
{
	static const char	 hex[] = "0123456789ABCDEF";
	const unsigned char	*s;
	struct buf		 b = { NULL, 0, 0 };

	for (s = (const unsigned char *)url; *s != '\0'; s++) {
		if (*s > 0x20 && *s < 0x7f &&
		    strchr("\"<>\\^`{|}", *s) == NULL) {
			buf_addc(&b, (char)*s);
			continue;
		}
		buf_addc(&b, '%');
		buf_addc(&b, hex[*s >> 4]);
		buf_addc(&b, hex[*s & 0xf]);
	}
	return (b.data != NULL ? b.data : xstrdup(""));
}

/*
 * A feed URL as feedd stores and compares it (url_normalize: so
 * "HTTP://X.EXAMPLE/a" and "http://x.example:80/a" are one feed), or NULL
 * with *why set: a control character or space (curl can never fetch it,
 * and it would reach the log raw) is refused, not stripped, since the
 * URL the user gave is not the one that would be polled.  The fragment
 * goes: it never reaches the server, so "a.xml#x" is the document
 * "a.xml" is, and keeping it would store and notify every item twice.
 */
char *
url_feed(const char *url, const char **why)
{
	char	*n;

	if (url_has_control(url)) {
		*why = "a control character or space in the URL";
		return (NULL);
	}
	if ((n = url_normalize(NULL, url, URL_FEED)) == NULL)
		*why = "not an absolute http:// or https:// URL with a host";
	return (n);
}

/* Query parameters that only say where a reader came from. */
static int
url_is_tracking(const char *p, size_t len)
{
	static const char *const names[] = { "fbclid", "gclid", "dclid",
	    "msclkid", "mc_cid", "mc_eid", "igshid", "yclid", "_ga", "_gl",
	    "ocid", "cmpid", NULL };
	const char *const	*n;
	const char		*eq;
	size_t			 nlen;

	eq = memchr(p, '=', len);
	nlen = eq != NULL ? (size_t)(eq - p) : len;
	if (nlen > 4 && strncasecmp(p, "utm_", 4) == 0)
		return (1);
	for (n = names; *n != NULL; n++)
		if (strlen(*n) == nlen && strncasecmp(p, *n, nlen) == 0)
			return (1);
	return (0);
}

/*
 * The form two links to the same article share: http and https alike,
 * scheme and host lower case, no default port, no fragment, no tracking
 * parameters (utm_*, fbclid, gclid ...).  NULL when "url" is not an
 * absolute http(s) URL.
 */
char *
url_canonical(const char *url)
{
	CURLU		*u;
	char		*host = NULL, *query = NULL, *port = NULL, *out = NULL;
	char		*res = NULL, *p, *amp, *scheme = NULL;
	struct buf	 q = { NULL, 0, 0 };
	size_t		 len;

	if (url == NULL || (u = curl_url()) == NULL)
		return (NULL);
	if (curl_url_set(u, CURLUPART_URL, url, 0) != CURLUE_OK ||
	    curl_url_get(u, CURLUPART_SCHEME, &scheme, 0) != CURLUE_OK ||
	    (strcmp(scheme, "http") != 0 && strcmp(scheme, "https") != 0) ||
	    curl_url_get(u, CURLUPART_HOST, &host, 0) != CURLUE_OK)
		goto done;
	for (p = host; *p != '\0'; p++)
		*p = (char)tolower((unsigned char)*p);
	if (curl_url_set(u, CURLUPART_SCHEME, "https", 0) != CURLUE_OK ||
	    curl_url_set(u, CURLUPART_HOST, host, 0) != CURLUE_OK ||
	    curl_url_set(u, CURLUPART_FRAGMENT, NULL, 0) != CURLUE_OK ||
	    curl_url_set(u, CURLUPART_USER, NULL, 0) != CURLUE_OK ||
	    curl_url_set(u, CURLUPART_PASSWORD, NULL, 0) != CURLUE_OK)
		goto done;
	if (curl_url_get(u, CURLUPART_PORT, &port, 0) == CURLUE_OK &&
	    (strcmp(port, "80") == 0 || strcmp(port, "443") == 0))
		curl_url_set(u, CURLUPART_PORT, NULL, 0);
	if (curl_url_get(u, CURLUPART_QUERY, &query, 0) == CURLUE_OK) {
		for (p = query; p != NULL && *p != '\0'; p = amp) {
			amp = strchr(p, '&');
			len = amp != NULL ? (size_t)(amp - p) : strlen(p);
			if (amp != NULL)
				amp++;
			if (len == 0 || url_is_tracking(p, len))
				continue;
			if (q.len != 0)
				buf_addc(&q, '&');
			buf_add(&q, p, len);
		}
		curl_url_set(u, CURLUPART_QUERY, q.len != 0 ? q.data : NULL, 0);
	}
	if (curl_url_get(u, CURLUPART_URL, &out, 0) == CURLUE_OK)
		res = xstrdup(out);
done:
	buf_free(&q);
	curl_free(scheme);
	curl_free(host);
	curl_free(query);
	curl_free(port);
	curl_free(out);
	curl_url_cleanup(u);
	return (res);
}
