/*
 * dblock.c: holds sqlite's write lock on a database from another
 * connection, as a second process or a long transaction elsewhere would:
 *
 *	dblock DB SECONDS READYFILE [SQL UNDO]
 *
 * takes the lock (BEGIN IMMEDIATE, waiting for it if need be), writes
 * the time in milliseconds to READYFILE once it holds it, holds it for
 * SECONDS, commits, and prints the time of the release in milliseconds.
 * With SQL and UNDO it breaks the database for a while instead: SQL is
 * run and committed, READYFILE written, and UNDO run SECONDS later.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <sqlite3.h>

static long long
dblock_ms(void)
{
	struct timespec	ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return ((long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000);
}

int
main(int argc, char **argv)
{
	sqlite3		*db;
	FILE		*f;
	char		 tmp[4096];
	double		 secs;

	if (argc != 4 && argc != 6) {
		fprintf(stderr, "usage: dblock DB SECONDS READYFILE "
		    "[SQL UNDO]\n");
		return (2);
	}
	secs = atof(argv[2]);
	if (sqlite3_open_v2(argv[1], &db, SQLITE_OPEN_READWRITE, NULL) !=
	    SQLITE_OK) {
		fprintf(stderr, "dblock: %s: %s\n", argv[1], sqlite3_errmsg(db));
		sqlite3_close(db);
		return (1);
	}
	sqlite3_busy_timeout(db, 30000);
	if (sqlite3_exec(db, argc == 6 ? argv[4] : "BEGIN IMMEDIATE", NULL,
	    NULL, NULL) != SQLITE_OK) {
		fprintf(stderr, "dblock: %s: %s\n", argc == 6 ? argv[4] :
		    "BEGIN IMMEDIATE", sqlite3_errmsg(db));
		sqlite3_close(db);
		return (1);
	}
	/* Through a temporary name: a reader never sees half a file. */
	snprintf(tmp, sizeof(tmp), "%s.tmp", argv[3]);
	if ((f = fopen(tmp, "w")) == NULL) {
		perror(tmp);
		return (1);
	}
	fprintf(f, "%lld\n", dblock_ms());
	fclose(f);
	rename(tmp, argv[3]);
	usleep((useconds_t)(secs * 1e6));
	printf("%lld\n", dblock_ms());
	fflush(stdout);
	if (sqlite3_exec(db, argc == 6 ? argv[5] : "COMMIT", NULL, NULL,
	    NULL) != SQLITE_OK) {
		fprintf(stderr, "dblock: %s: %s\n", argc == 6 ? argv[5] :
		    "COMMIT", sqlite3_errmsg(db));
		sqlite3_close(db);
		return (1);
	}
	sqlite3_close(db);
	return (0);
}
