/*
 * gen_ledgers: write N generated ledgers (fixed seed, realistic mix) into
 * DIR as student-00000.json ...  Usage: gen_ledgers N DIR.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ledgergen.h"
#include "outfile.h"

int
main(int argc, char **argv)
{
	struct diag_list dl;
	long n;

	if (argc != 3 || (n = strtol(argv[1], NULL, 10)) <= 0) {
		fprintf(stderr, "usage: gen_ledgers N DIR\n");
		return 2;
	}
	diag_init(&dl);
	if (outfile_mkdirs(argv[2], &dl) != 0)
		goto fail;
	for (long i = 0; i < n; i++) {
		char *text = make_ledger();
		char *path = xasprintf("%s/student-%05ld.json", argv[2], i);
		int rc = outfile_write(path, text, strlen(text), &dl);
		free(text);
		free(path);
		if (rc != 0)
			goto fail;
	}
	diag_free(&dl);
	return 0;
fail:
	for (size_t i = 0; i < dl.n; i++)
		fprintf(stderr, "gen_ledgers: %s: %s\n", dl.items[i].where ? dl.items[i].where : "",
		    dl.items[i].msg);
	diag_free(&dl);
	return 1;
}
