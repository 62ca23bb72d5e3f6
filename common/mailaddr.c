/*
 * mailaddr.c: reading the mailboxes of a mail notifier's "from" and "to"
 * (RFC 5322 3.4: a bare addr-spec, or a display name and the address in
 * angle brackets).  Only what sendmail and a header can take passes: the
 * address is ASCII dot-atom text (3.2.3) with at most one "@", the name
 * any UTF-8 without controls, quoted when it holds a delimiter.  The
 * name is kept unquoted: mail.c quotes or RFC 2047-encodes it again.
 */
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "mailaddr.h"
#include "text.h"
#include "xmalloc.h"

#define MAILADDR_MAX	254	/* RFC 5321 4.5.3.1.3, a path less "<>" */

static int	mailaddr_check(const char *, size_t, int, const char **);
static int	mailaddr_name(const char *, size_t, char **, const char **);

/* RFC 5322 3.2.3 atext, and the "." of a dot-atom. */
static int
mailaddr_atext(unsigned char c)
{
	return ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	    (c >= '0' && c <= '9') || (c != '\0' &&
	    strchr("!#$%&'*+-/=?^_`{|}~.", c) != NULL));
}

/* An address: dot-atom text, "@" and a host name (required with DOMAIN). */
static int
mailaddr_check(const char *s, size_t len, int flags, const char **why)
{
	const char	*at = memchr(s, '@', len);
	size_t		 i;

	if (len == 0) {
		*why = "no address";
		return (-1);
	}
	if (len > MAILADDR_MAX) {
		*why = "an address longer than 254 bytes";
		return (-1);
	}
	for (i = 0; i < len; i++) {
		if (s + i == at || mailaddr_atext((unsigned char)s[i]))
			continue;
		*why = (unsigned char)s[i] >= 0x80 ? "a non-ASCII address "
		    "(only a display name may have other characters)" :
		    "a space or a character an address cannot have (a "
		    "display name goes before the address in <>)";
		return (-1);
	}
	if (at == NULL && (flags & MAILADDR_DOMAIN)) {
		*why = "no @domain in the address";
		return (-1);
	}
	if (at == NULL)
		return (0);
	if (at == s || at == s + len - 1 || at[1] == '.' ||
	    s[len - 1] == '.') {
		*why = "an empty part before or after the @";
		return (-1);
	}
	for (i = (size_t)(at - s) + 1; i < len; i++) {
		if ((s[i] >= 'a' && s[i] <= 'z') || (s[i] >= 'A' &&
		    s[i] <= 'Z') || (s[i] >= '0' && s[i] <= '9') ||
		    s[i] == '-' || s[i] == '.')
			continue;
		*why = "a domain that is not a host name";
		return (-1);
	}
	return (0);
}

/*
 * A display name, unquoted into *name: one quoted string, or words
 * without the delimiters that would need quotes.
 */
static int
mailaddr_name(const char *s, size_t len, char **name, const char **why)
{
	struct buf	 b = { NULL, 0, 0 };
	size_t		 i;

	for (i = 0; i < len; i++) {
		if ((unsigned char)s[i] < 0x20 || s[i] == 0x7f) {
			*why = "a control character in the display name";
			return (-1);
		}
	}
	if (text_utf8_valid(s, len, NULL) != len) {
		*why = "a display name that is not UTF-8";
		return (-1);
	}
	if (len >= 2 && s[0] == '"' && s[len - 1] == '"') {
		for (i = 1; i < len - 1; i++) {
			if (s[i] == '\\' && i + 1 < len - 1)
				i++;
			else if (s[i] == '"' || s[i] == '\\') {
				buf_free(&b);
				*why = "a stray quote in the display name";
				return (-1);
			}
			buf_addc(&b, s[i]);
		}
	} else if (memchr(s, '"', len) != NULL || memchr(s, '\\', len) !=
	    NULL || memchr(s, ',', len) != NULL || memchr(s, ';', len) !=
	    NULL || memchr(s, '>', len) != NULL) {
		*why = "a display name with \" , ; > or \\ that is not quoted";
		return (-1);
	} else
		buf_add(&b, s, len);
	*name = b.data;		/* NULL for "" */
	return (0);
}

/*
 * One mailbox of "len" bytes at "s" into *m, or -1 with *why (static).
 * "Name <addr>", "<addr>" or "addr"; blanks around it do not count.
 */
int
mailaddr_parse(const char *s, size_t len, int flags, struct mailaddr *m,
    const char **why)
{
	const char	*lt = NULL, *nm;
	size_t		 i, nlen;
	int		 inq = 0;

	memset(m, 0, sizeof(*m));
	while (len > 0 && (*s == ' ' || *s == '\t')) {
		s++;
		len--;
	}
	while (len > 0 && (s[len - 1] == ' ' || s[len - 1] == '\t'))
		len--;
	for (i = 0; i < len && lt == NULL; i++) {
		if (inq && s[i] == '\\')
			i++;
		else if (s[i] == '"')
			inq = !inq;
		else if (!inq && s[i] == '<')
			lt = s + i;
	}
	if (inq || i > len) {
		*why = "an unterminated quote";
		return (-1);
	}
	if (lt == NULL) {
		if (mailaddr_check(s, len, flags, why) != 0)
			return (-1);
		m->addr = xstrndup(s, len);
		return (0);
	}
	if (s[len - 1] != '>' || memchr(lt + 1, '<', (size_t)(s + len - lt -
	    1)) != NULL) {
		*why = "no \">\" at the end of the address";
		return (-1);
	}
	if (mailaddr_check(lt + 1, (size_t)(s + len - lt - 2), flags,
	    why) != 0)
		return (-1);
	nm = s;
	nlen = (size_t)(lt - s);
	while (nlen > 0 && (nm[nlen - 1] == ' ' || nm[nlen - 1] == '\t'))
		nlen--;
	if (nlen > 0 && mailaddr_name(nm, nlen, &m->name, why) != 0)
		return (-1);
	m->addr = xstrndup(lt + 1, (size_t)(s + len - lt - 2));
	return (0);
}

/*
 * The comma-separated mailboxes of "s" into a new array *v of *n, or -1
 * with *why: a comma inside quotes or angle brackets separates nothing.
 */
int
mailaddr_list(const char *s, int flags, struct mailaddr **v, size_t *n,
    const char **why)
{
	const char	*start = s, *p;
	int		 inq = 0, angle = 0;

	*v = NULL;
	*n = 0;
	for (p = s;; p++) {
		if (inq && *p == '\\' && p[1] != '\0')
			p++;
		else if (*p == '"')
			inq = !inq;
		else if (!inq && *p == '<')
			angle = 1;
		else if (!inq && *p == '>')
			angle = 0;
		else if (*p == '\0' || (!inq && !angle && *p == ',')) {
			*v = xreallocarray(*v, *n + 1, sizeof(**v));
			if (mailaddr_parse(start, (size_t)(p - start), flags,
			    &(*v)[*n], why) != 0) {
				mailaddr_free_list(*v, *n);
				*v = NULL;
				*n = 0;
				return (-1);
			}
			(*n)++;
			if (*p == '\0')
				break;
			start = p + 1;
		}
	}
	return (0);
}

void
mailaddr_clear(struct mailaddr *m)
{
	free(m->name);
	free(m->addr);
	m->name = m->addr = NULL;
}

void
mailaddr_free_list(struct mailaddr *v, size_t n)
{
	size_t	i;

	for (i = 0; i < n; i++)
		mailaddr_clear(&v[i]);
	free(v);
}
