/*
 * argv.c: splitting a command line into words.  Substitution, globbing and
 * variables are deliberately not supported (wordexp(3) would run command
 * substitutions): a "$" or "*" is just a character.
 */
#include <stdlib.h>
#include <string.h>

#include "argv.h"
#include "buf.h"
#include "xmalloc.h"

static void
argv_push(char ***v, size_t *n, struct buf *w)
{
	*v = xreallocarray(*v, *n + 2, sizeof(**v));
	(*v)[(*n)++] = xstrndup(w->data != NULL ? w->data : "", w->len);
	(*v)[*n] = NULL;
	w->len = 0;
}

/*
 * The words of "s", NULL-terminated, their count in "*n"; NULL with
 * "*why" set when a quote is left open or there is no word at all.
 */
char **
argv_split(const char *s, size_t *n, const char **why)
{
	struct buf	  w = { NULL, 0, 0 };
	char		**v = NULL;
	char		  q = 0;
	int		  inword = 0;

	*n = 0;
	for (; *s != '\0'; s++) {
		if (q == '\'') {
			if (*s == '\'')
				q = 0;
			else
				buf_addc(&w, *s);
			continue;
		}
		if (q == '"') {
			if (*s == '"')
				q = 0;
			else if (*s == '\\' && strchr("\"\\$`", s[1]) != NULL &&
			    s[1] != '\0')
				buf_addc(&w, *++s);
			else
				buf_addc(&w, *s);
			continue;
		}
		if (*s == ' ' || *s == '\t') {
			if (inword)
				argv_push(&v, n, &w);
			inword = 0;
			continue;
		}
		inword = 1;
		if (*s == '\'' || *s == '"')
			q = *s;
		else if (*s == '\\' && s[1] != '\0')
			buf_addc(&w, *++s);
		else
			buf_addc(&w, *s);
	}
	if (q != 0) {
		*why = "unterminated quote";
		goto fail;
	}
	if (inword)
		argv_push(&v, n, &w);
	if (*n == 0) {
		*why = "empty command";
		goto fail;
	}
	buf_free(&w);
	return (v);
fail:
	buf_free(&w);
	argv_free(v);
	*n = 0;
	return (NULL);
}

void
argv_free(char **v)
{
	char	**p;

	if (v == NULL)
		return;
	for (p = v; *p != NULL; p++)
		free(*p);
	free(v);
}
