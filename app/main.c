/* main.c: the joren register's entry point. */
#include "config.h"

#include "joren-application.h"

int
main (int   argc,
      char *argv[])
{
  g_autoptr(JorenApplication) app = NULL;

  joren_i18n_init ();
  app = joren_application_new ();
  return g_application_run (G_APPLICATION (app), argc, argv);
}
