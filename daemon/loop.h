/*
 * loop.h: the daemon's libevent base, set up the same way wherever the
 * daemon's modules run (feedd.c, and bench/ measuring them): two
 * priorities (LOOP_PRIO_URGENT for commits and deliveries, the default
 * for feed transfers and parsing) and a cap on how long the loop runs
 * default-priority callbacks before it looks again for urgent ones.
 */
#ifndef FEEDD_LOOP_H
#define FEEDD_LOOP_H

struct event_base;

#define LOOP_PRIO_URGENT	0
#define LOOP_PRIO_DEFAULT	1

struct event_base	*loop_new(void);

#endif /* FEEDD_LOOP_H */
