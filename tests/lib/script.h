// SPDX-License-Identifier: MIT
/*
 * Compiling a script from a test, with its diagnostics rendered as the
 * command-line tool renders them (the file is called t.hot).
 */
#ifndef HOTSPAN_TEST_SCRIPT_H
#define HOTSPAN_TEST_SCRIPT_H

#include "compiler/compile.h"

/* The plan or NULL; *diags gets the rendered diagnostics (free() it). */
struct plan *test_compile(const char *text, char **diags);

#endif
