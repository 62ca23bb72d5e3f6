/*
 * store-search.h: the sqlite backend's full-text index (FTS5), kept in a
 * file of its own next to the database ("DATABASE-search") and brought up
 * to date after the fact, so indexing takes neither the time nor the
 * write lock of the transactions that store polls.  bench/poll measured
 * FTS5 at 30-40% of the writer thread's work in a first poll.
 *
 * The index follows the items table by two watermarks: items with an id
 * up to one are indexed, and the "fts_log" rows (the old text of items
 * changed or deleted, written by the database's triggers) up to the other
 * are applied.  The file is derived data: a missing, damaged or foreign
 * one is rebuilt from the items.
 */
#ifndef FEEDD_STORE_SEARCH_H
#define FEEDD_STORE_SEARCH_H

#include <stddef.h>
#include <stdint.h>

struct search_db;
struct sqlite3;

struct search_db *search_open(const char *, char **);
int		 search_update(struct search_db *, size_t, int *, char **);
int		 search_lag(struct search_db *, int64_t *, char **);
int		 search_query(struct search_db *, const char *, size_t,
		    int64_t **, size_t *, char **);
void		 search_stop(struct search_db *);
void		 search_close(struct search_db *);
/* The index's tokenizer, on another connection to its file (a check). */
int		 search_tokenizer_add(struct sqlite3 *);

#endif /* FEEDD_STORE_SEARCH_H */
