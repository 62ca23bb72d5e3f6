/*
 * buf.c: growable buffers.  Growth doubles and is checked against SIZE_MAX;
 * callers enforce their own, much smaller, limits before adding.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "log.h"
#include "xmalloc.h"

static void
buf_grow(struct buf *b, size_t need)
{
	size_t	cap;

	if (need > SIZE_MAX - 1 - b->len)
		fatalx("buf_grow: size overflow");
	need += b->len + 1;
	if (need <= b->cap)
		return;
	cap = b->cap ? b->cap : 64;
	while (cap < need)
		cap = cap > SIZE_MAX / 2 ? need : cap * 2;
	b->data = xreallocarray(b->data, 1, cap);
	b->cap = cap;
}

void
buf_add(struct buf *b, const void *p, size_t n)
{
	if (b->cap - b->len <= n)
		buf_grow(b, n);
	/* Callers pass (NULL, 0) for "nothing", which memcpy may not get. */
	if (n > 0)
		memcpy(b->data + b->len, p, n);
	b->len += n;
	b->data[b->len] = '\0';
}

void
buf_addc(struct buf *b, char c)
{
	buf_add(b, &c, 1);
}

void
buf_adds(struct buf *b, const char *s)
{
	buf_add(b, s, strlen(s));
}

/* Room for n more bytes and a NUL, for callers that write in place. */
void
buf_reserve(struct buf *b, size_t n)
{
	if (b->cap - b->len <= n)
		buf_grow(b, n);
}

void
buf_clear(struct buf *b)
{
	b->len = 0;
	if (b->data != NULL)
		b->data[0] = '\0';
}

char *
buf_strdup(const struct buf *b)
{
	char	*s;

	s = xmalloc(b->len + 1);
	if (b->len != 0)
		memcpy(s, b->data, b->len);
	s[b->len] = '\0';
	return (s);
}

void
buf_free(struct buf *b)
{
	free(b->data);
	b->data = NULL;
	b->len = b->cap = 0;
}
