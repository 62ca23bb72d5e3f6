/*
 * buf.h: growable byte buffers, NUL-terminated, cleared and reused rather
 * than freed (the parser keeps one per field).
 */
#ifndef FEEDD_BUF_H
#define FEEDD_BUF_H

#include <stddef.h>

struct buf {
	char	*data;	/* always NUL-terminated once anything was added */
	size_t	 len;
	size_t	 cap;
};

void	 buf_add(struct buf *, const void *, size_t);
void	 buf_addc(struct buf *, char);
void	 buf_adds(struct buf *, const char *);
void	 buf_reserve(struct buf *, size_t);
void	 buf_clear(struct buf *);
char	*buf_strdup(const struct buf *);
void	 buf_free(struct buf *);

#endif /* FEEDD_BUF_H */
