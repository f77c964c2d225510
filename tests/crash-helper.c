/* crash-helper.c: the register's commit path in a process test-crash can
 * kill. It opens the database given on the command line, rings up a sale
 * of five demo products paid in cash and commits it. With
 * JOREN_CRASH_POINT set, the commit kills the process half way; without,
 * it prints "COMMITTED <receipt>" and waits to be killed. */
#include <stdio.h>

#include "joren-sale-db.h"
#include "joren-test-utils.h"

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JorenDb) db = NULL;
  g_autoptr(JorenSale) sale = NULL;

  if (argc != 2)
    {
      fprintf (stderr, "usage: %s DATABASE\n", argv[0]);
      return 2;
    }
  db = joren_db_open (argv[1], &error);
  if (db == NULL)
    {
      fprintf (stderr, "%s\n", error->message);
      return 1;
    }
  sale = joren_test_new_sale (db, 5);
  joren_test_pay_cash (sale, 0);
  if (!joren_db_commit_sale (db, sale, 0, &error))
    {
      fprintf (stderr, "%s\n", error->message);
      return 1;
    }
  printf ("COMMITTED %s\n", joren_sale_get_receipt_no (sale));
  fflush (stdout);
  for (;;)
    g_usleep (G_USEC_PER_SEC);
}
