/* main.c
 *
 * Copyright 2026 The Cabut authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "cabut-application.h"
#include "cabut-i18n.h"

int
main (int   argc,
      char *argv[])
{
  g_autoptr(CabutApplication) app = NULL;

  cabut_i18n_init ();

  app = cabut_application_new ();

  return g_application_run (G_APPLICATION (app), argc, argv);
}
