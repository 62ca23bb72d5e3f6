/*
 * term.c: the one place feedctl's output passes on its way out.  A feed
 * decides what its titles hold, and a terminal obeys what it is sent:
 * ESC and the 8-bit CSI (U+009B) start control sequences that can
 * recolour, retitle or rewrite the screen, and BiDi overrides make text
 * read other than it is.  So every C0 control but the line end (and a
 * carriage return where allowed), DEL, C1 (U+0080-U+009F) and the BiDi
 * embeddings, overrides and isolates (U+202A-U+202E, U+2066-U+2069) are
 * written as the six characters \uXXXX.  That form is inert and visible on
 * a terminal, and in --json output, where such characters can only sit
 * inside strings (jansson escapes C0 itself), it is the JSON escape of
 * the same character: the output stays valid JSON and means the same.
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>

#include "term.h"
#include "xmalloc.h"

struct term {
	FILE		*f;
	int		 flags;
	unsigned char	 carry[3];	/* a character cut by the buffer's end */
	size_t		 ncarry;
};

/* The errno of the first write that failed, through any filter. */
static int	term_errno;

/*
 * The stream under the filter failed (a full disk, a closed pipe): the
 * filter's own write fails too, so that the caller's fflush() or
 * fclose() sees it.  The error stays on "f", so it is seen once.
 */
static int
term_check(struct term *t)
{
	if (!ferror(t->f))
		return (0);
	if (term_errno == 0)
		term_errno = errno != 0 ? errno : EIO;
	return (-1);
}

int
term_error(void)
{
	return (term_errno);
}

/*
 * Bytes of the character at u[0] that must not pass; 0 when it may; -1
 * when u[0] may start one but the bytes end first.
 */
static int
term_bad(const unsigned char *u, size_t len, int flags, unsigned int *cp)
{
	if (u[0] < 0x20 || u[0] == 0x7f) {
		*cp = u[0];
		return (u[0] == '\n' || (u[0] == '\r' && (flags & TERM_CR)) ?
		    0 : 1);
	}
	if (u[0] == 0xc2) {
		if (len < 2)
			return (-1);
		*cp = ((u[0] & 0x1fu) << 6) | (u[1] & 0x3fu);
		return (u[1] >= 0x80 && u[1] <= 0x9f ? 2 : 0);
	}
	if (u[0] == 0xe2) {
		if (len < 3)
			return (len == 2 && u[1] != 0x80 && u[1] != 0x81 ? 0 : -1);
		*cp = ((u[0] & 0x0fu) << 12) | ((u[1] & 0x3fu) << 6) |
		    (u[2] & 0x3fu);
		return ((*cp >= 0x202a && *cp <= 0x202e) ||
		    (*cp >= 0x2066 && *cp <= 0x2069) ? 3 : 0);
	}
	return (0);
}

#define TERM_ONES	0x0101010101010101ULL
#define TERM_HIGHS	0x8080808080808080ULL

/*
 * 1 when the 8 bytes at u are all printable ASCII (0x20-0x7e), which
 * may pass as they are: the bulk of any output, checked a word at a
 * time instead of a byte at a time.
 */
static int
term_plain8(const unsigned char *u)
{
	uint64_t	w, del;

	memcpy(&w, u, sizeof(w));
	del = w ^ (0x7f * TERM_ONES);
	return ((((w - 0x20 * TERM_ONES) & ~w) | ((del - TERM_ONES) & ~del) |
	    w) & TERM_HIGHS) == 0;
}

static ssize_t
term_write_cb(void *arg, const char *data, size_t size)
{
	struct term		*t = arg;
	const unsigned char	*u = (const unsigned char *)data;
	unsigned char		*joined = NULL;
	size_t			 len = size, i = 0, start = 0;
	unsigned int		 cp = 0;
	int			 k;
	char			 esc[8];

	/* A character the last write cut: its first bytes go in front. */
	if (t->ncarry != 0) {
		len = t->ncarry + size;
		joined = xmalloc(len);
		memcpy(joined, t->carry, t->ncarry);
		memcpy(joined + t->ncarry, data, size);
		u = joined;
		t->ncarry = 0;
	}
	while (i < len) {
		if (i + 8 <= len && term_plain8(u + i)) {
			i += 8;
			continue;
		}
		if (u[i] >= 0x20 && u[i] != 0x7f && u[i] != 0xc2 &&
		    u[i] != 0xe2) {
			i++;
			continue;
		}
		if ((k = term_bad(u + i, len - i, t->flags, &cp)) == 0) {
			i++;
			continue;
		}
		fwrite(u + start, 1, i - start, t->f);
		if (k < 0) {
			/* The rest of the character comes with the next write. */
			t->ncarry = len - i;
			memcpy(t->carry, u + i, t->ncarry);
			start = i = len;
			break;
		}
		snprintf(esc, sizeof(esc), "\\u%04x", cp);
		fputs(esc, t->f);
		i += (size_t)k;
		start = i;
	}
	fwrite(u + start, 1, i - start, t->f);
	free(joined);
	/* What the caller flushed (a watch line) must leave now. */
	fflush(t->f);
	return (term_check(t) != 0 ? -1 : (ssize_t)size);
}

static int
term_close_cb(void *arg)
{
	struct term	*t = arg;
	int		 rc;

	fwrite(t->carry, 1, t->ncarry, t->f);
	rc = fflush(t->f);
	if (term_check(t) != 0)
		rc = -1;
	free(t);
	return (rc);
}

/*
 * A copy of "s" as the filter would write it: for a table cell, whose
 * width must be counted after the escapes, not before.
 */
char *
term_escape(const char *s)
{
	const unsigned char	*u = (const unsigned char *)s;
	size_t			 len = strlen(s), i = 0, o = 0;
	unsigned int		 cp = 0;
	int			 k;
	char			*out = xmalloc(len * 6 + 1);

	while (i < len) {
		if ((k = term_bad(u + i, len - i, 0, &cp)) <= 0 ||
		    u[i] == '\n') {
			/* A line end in a cell would break the table. */
			out[o++] = u[i] == '\n' ? ' ' : (char)u[i];
			i++;
			continue;
		}
		snprintf(out + o, 7, "\\u%04x", cp);
		o += 6;
		i += (size_t)k;
	}
	out[o] = '\0';
	return (out);
}

/*
 * A stream that writes to "f" through the filter; "f" stays open (it is
 * stdout or stderr, closed at exit).
 */
FILE *
term_wrap(FILE *f, int flags)
{
	cookie_io_functions_t	 io = { NULL, term_write_cb, NULL,
				    term_close_cb };
	struct term		*t = xcalloc(1, sizeof(*t));
	FILE			*w;

	t->f = f;
	t->flags = flags;
	if ((w = fopencookie(t, "w", io)) == NULL) {
		free(t);
		return (f);
	}
	return (w);
}
