/*
 * feedd.c: the daemon's main().  The event loop, fetcher, store and socket
 * arrive with their issues; until then feedd knows its options only.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>

#include "log.h"

static void
usage(FILE *f)
{
	fprintf(f, "usage: feedd [-c FILE] [--check-config] [-v] [--version]\n");
}

int
main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "config", required_argument, NULL, 'c' },
		{ "check-config", no_argument, NULL, 'n' },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 }
	};
	int	ch, verbose = 0;

	while ((ch = getopt_long(argc, argv, "c:hnvV", longopts, NULL)) != -1) {
		switch (ch) {
		case 'c':
		case 'n':
			break;
		case 'v':
			verbose++;
			break;
		case 'h':
			usage(stdout);
			return (0);
		case 'V':
			printf("feedd %s\n", FEEDD_VERSION);
			return (0);
		default:
			usage(stderr);
			return (2);
		}
	}
	log_init("feedd", verbose);
	log_warnx("feedd: the polling daemon is not built yet (issue 4); "
	    "use 'feedctl parse' to read feeds offline");
	return (1);
}
