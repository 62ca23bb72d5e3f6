/*
 * fuzz_cjk.c: libFuzzer target for cjk.c, which every item's text goes
 * through on its way into a search index.  Any bytes: the pieces are
 * non-empty, never longer than what is left, and together the input;
 * the words leave ASCII as it was and never grow a byte past three
 * (a character between two spaces).
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "cjk.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char	*s = (const char *)data;
	struct buf	 b = { NULL, 0, 0 };
	size_t		 off, n, ascii = 0, i;
	int		 cjk;

	for (off = 0; off < size; off += n) {
		n = cjk_piece(s + off, size - off, &cjk);
		if (n == 0 || n > size - off || (cjk && n < 2))
			abort();
	}
	cjk_words(&b, s, size);
	for (i = 0; i < size; i++)
		ascii += (unsigned char)s[i] < 0x80;
	if (b.len > size * 3 || b.len < ascii)
		abort();
	if (size > 0 && (unsigned char)s[0] < 0x80 && b.data[0] != s[0])
		abort();
	buf_free(&b);
	return (0);
}
