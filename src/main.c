/* SPDX-License-Identifier: MIT */
/* avtale: hand argv to the command table; nothing else lives here. */
#include "cli/cli.h"

#include "core/banned.h"

int
main(int argc, char **argv)
{
	return cli_main(argc, argv);
}
