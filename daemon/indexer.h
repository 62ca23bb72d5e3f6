/*
 * indexer.h: keeps the full-text index up to date on a thread and
 * connection of its own (a writer running store_index_update() as a
 * task), so neither the loop nor the thread that commits polls pays for
 * FTS5.  Each commit kicks it; a pass starts once commits pause (or a
 * second after the first commit it is for), so a busy first poll is
 * indexed in a few large passes, without a reader's snapshot holding up
 * the writer's checkpoints.  A search waits for it (indexer_wait) and so
 * sees every item committed before it was asked.
 */
#ifndef FEEDD_INDEXER_H
#define FEEDD_INDEXER_H

struct event_base;
struct indexer;

/* On the loop: the index holds what was committed before the wait. */
typedef void (*indexer_ready_cb)(void *);

struct indexer	*indexer_new(struct event_base *, const char *, const char *,
		    char **);
void		 indexer_kick(struct indexer *);
void		 indexer_wait(struct indexer *, indexer_ready_cb, void *);
void		 indexer_free(struct indexer *);

#endif /* FEEDD_INDEXER_H */
