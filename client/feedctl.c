/*
 * feedctl.c: the command-line client.  Commands live in one table, which
 * also produces --help; each command parses its own options.
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <jansson.h>

#include "item.h"
#include "json.h"
#include "log.h"
#include "parse.h"

/* Exit statuses (DESIGN.md "Programs"). */
#define CTL_OK		0
#define CTL_FAILED	1
#define CTL_USAGE	2
#define CTL_UNREACHABLE	3

struct ctl_cmd {
	const char	*name;
	const char	*args;
	const char	*help;
	int		(*run)(int, char **);
};

static int	ctl_parse(int, char **);
static int	ctl_help(int, char **);

/* Keep sorted by name. */
static const struct ctl_cmd ctl_cmds[] = {
	{ "help", "[COMMAND]", "show help for feedctl or one command",
	    ctl_help },
	{ "parse", "FILE|- [--base URL] [--charset NAME]",
	    "parse a feed document offline and print it as JSON", ctl_parse },
};
#define CTL_NCMDS	(sizeof(ctl_cmds) / sizeof(ctl_cmds[0]))

static const char	*ctl_progname = "feedctl";

static void
ctl_usage(FILE *f)
{
	size_t	i;

	fprintf(f, "usage: %s [-s SOCKET] [-c FILE] [--json] COMMAND "
	    "[ARGS...]\n\ncommands:\n", ctl_progname);
	for (i = 0; i < CTL_NCMDS; i++)
		fprintf(f, "  %-8s %s\n           %s\n", ctl_cmds[i].name,
		    ctl_cmds[i].args, ctl_cmds[i].help);
	fprintf(f, "\n'%s help COMMAND' or '%s COMMAND --help' shows one "
	    "command.\n", ctl_progname, ctl_progname);
}

static const struct ctl_cmd *
ctl_find(const char *name)
{
	size_t	i;

	for (i = 0; i < CTL_NCMDS; i++)
		if (strcmp(ctl_cmds[i].name, name) == 0)
			return (&ctl_cmds[i]);
	return (NULL);
}

static void
ctl_cmd_usage(const struct ctl_cmd *c, FILE *f)
{
	fprintf(f, "usage: %s %s %s\n  %s\n", ctl_progname, c->name, c->args,
	    c->help);
}

static int
ctl_help(int argc, char **argv)
{
	const struct ctl_cmd	*c;

	if (argc < 2) {
		ctl_usage(stdout);
		return (CTL_OK);
	}
	if ((c = ctl_find(argv[1])) == NULL) {
		fprintf(stderr, "%s: unknown command: %s\n", ctl_progname,
		    argv[1]);
		return (CTL_USAGE);
	}
	ctl_cmd_usage(c, stdout);
	return (CTL_OK);
}

/* Reads all of "f" into memory; the parser is fed chunk by chunk. */
static int
ctl_parse_stream(FILE *f, struct parser *p)
{
	char	buf[65536];
	size_t	n;

	while ((n = fread(buf, 1, sizeof(buf), f)) > 0) {
		if (parse_feed(p, buf, n) != 0)
			break;	/* the error comes out of parse_finish */
	}
	return (ferror(f) ? -1 : 0);
}

static int
ctl_parse(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "base", required_argument, NULL, 'b' },
		{ "charset", required_argument, NULL, 'C' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	const struct ctl_cmd	*c = ctl_find("parse");
	struct parse_opts	 opts;
	struct parser		*p;
	struct feed_doc		*doc;
	const char		*path;
	char			*cause;
	json_t			*j;
	FILE			*f;
	size_t			 i;
	int			 ch, rc;

	memset(&opts, 0, sizeof(opts));
	optind = 0;	/* glibc: 0 re-initialises getopt for the command */
	while ((ch = getopt_long(argc, argv, "b:C:h", longopts, NULL)) != -1) {
		switch (ch) {
		case 'b':
			opts.base = optarg;
			break;
		case 'C':
			opts.charset = optarg;
			break;
		case 'h':
			ctl_cmd_usage(c, stdout);
			return (CTL_OK);
		default:
			ctl_cmd_usage(c, stderr);
			return (CTL_USAGE);
		}
	}
	if (argc - optind != 1) {
		ctl_cmd_usage(c, stderr);
		return (CTL_USAGE);
	}
	path = argv[optind];
	if (strcmp(path, "-") == 0)
		f = stdin;
	else if ((f = fopen(path, "rb")) == NULL) {
		fprintf(stderr, "%s: %s: %s\n", ctl_progname, path,
		    strerror(errno));
		return (CTL_FAILED);
	}
	/* A file's own path is the natural base for its relative links. */
	p = parse_new(&opts);
	rc = ctl_parse_stream(f, p);
	if (rc != 0)
		fprintf(stderr, "%s: %s: read error: %s\n", ctl_progname,
		    path, strerror(errno));
	if (f != stdin)
		fclose(f);
	doc = parse_finish(p, &cause);
	parse_free(p);
	if (rc != 0) {
		feed_doc_free(doc);
		free(cause);
		return (CTL_FAILED);
	}
	if (doc == NULL) {
		fprintf(stderr, "%s: %s: %s\n", ctl_progname, path, cause);
		free(cause);
		return (CTL_FAILED);
	}
	for (i = 0; i < doc->nwarnings; i++)
		fprintf(stderr, "%s: %s: warning: %s\n", ctl_progname, path,
		    doc->warnings[i]);
	j = json_feed_doc(doc);
	feed_doc_free(doc);
	rc = json_dumpf(j, stdout, JSON_INDENT(2));
	json_decref(j);
	fputc('\n', stdout);
	if (rc != 0 || fflush(stdout) != 0) {
		fprintf(stderr, "%s: write error: %s\n", ctl_progname,
		    strerror(errno));
		return (CTL_FAILED);
	}
	return (CTL_OK);
}

int
main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "socket", required_argument, NULL, 's' },
		{ "config", required_argument, NULL, 'c' },
		{ "json", no_argument, NULL, 'j' },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 }
	};
	const struct ctl_cmd	*c;
	int			 ch;

	log_init("feedctl", LOG_LEVEL_WARN);
	/* "+": stop at the command; its options are its own. */
	while ((ch = getopt_long(argc, argv, "+s:c:jhV", longopts, NULL)) !=
	    -1) {
		switch (ch) {
		case 's':
		case 'c':
		case 'j':
			break;	/* used by the daemon commands */
		case 'h':
			ctl_usage(stdout);
			return (CTL_OK);
		case 'V':
			printf("feedctl %s\n", FEEDD_VERSION);
			return (CTL_OK);
		default:
			ctl_usage(stderr);
			return (CTL_USAGE);
		}
	}
	argc -= optind;
	argv += optind;
	if (argc == 0) {
		ctl_usage(stderr);
		return (CTL_USAGE);
	}
	if ((c = ctl_find(argv[0])) == NULL) {
		fprintf(stderr, "%s: unknown command: %s (try '%s --help')\n",
		    ctl_progname, argv[0], ctl_progname);
		return (CTL_USAGE);
	}
	return (c->run(argc, argv));
}
