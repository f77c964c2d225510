/* test-ui-coupon-mail.c: "E-mail codes to a segment" in the back office's
 * coupons, in a real window under Xvfb against a real SMTP server
 * (tests/smtp-sink.py). The owner opens the dialog from a campaign's row:
 * the preview counts the customers with e-mail consent and shows a
 * sample message; another segment previews again; Send (confirmed) runs
 * in a worker thread, so the dialog is still live, showing it is busy,
 * when the tap returns; then it shows sent and failed (one address the
 * server refuses). Exactly the consenting customers with an address
 * receive a message, each with a code of their own bound to them; those
 * without consent or address get neither; the run is in the send log. */
#include "config.h"

#include <cjson/cJSON.h>
#include <string.h>

#include "joren-coupon-mail-dialog.h"
#include "joren-coupon-mail.h"
#include "joren-customer.h"
#include "joren-json.h"
#include "joren-promotion.h"
#include "joren-test-ui.h"
#include "joren-test-utils.h"
#include "joren-ui.h"
#include "joren-value-page.h"

typedef struct {
  const char *name;
  const char *email;
  gboolean    consent_email;
} Person;

static const Person people[] = {
  { "山田 花子", "hanako@example.jp", TRUE },
  { "Ben Becker", "ben@example.de", FALSE },   /* no consent */
  { "佐藤 次郎", NULL, TRUE },                 /* no e-mail */
  { "陳 美玲", "meiling@example.tw", TRUE },
  { "Rita Refused", "refuse@example.jp", TRUE },  /* the mail server says 550 */
};

typedef struct {
  JorenDb     *db;
  GtkWindow   *window;
  GtkWidget   *page;
  GSubprocess *sink;
  char        *outdir;
  gint64       campaign_id;
  gint64       ids[G_N_ELEMENTS (people)];
} Fixture;

static gint64
add_person (JorenDb      *db,
            const Person *person)
{
  g_autoptr(JorenCustomer) customer = joren_customer_new ();
  g_autoptr(GError) error = NULL;

  customer->name = g_strdup (person->name);
  customer->email = g_strdup (person->email);
  customer->consent_email = person->consent_email;
  joren_customer_add (db, customer, FALSE, &error);
  g_assert_no_error (error);
  return customer->id;
}

static void
set_up_data (Fixture *fixture)
{
  g_autoptr(JorenCouponCampaign) campaign = joren_coupon_campaign_new ("Spring ¥300",
                                                                      JOREN_COUPON_AMOUNT, 300);
  JorenMailSettings settings = { "127.0.0.1", 0, JOREN_MAIL_TLS_NONE, NULL, NULL,
                                 "shop@example.jp", "Café Joren" };
  g_autoptr(GError) error = NULL;

  fixture->sink = joren_test_start_smtp_sink (fixture->outdir, &settings.port);
  joren_promotion_set_mail_settings (fixture->db, &settings, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < G_N_ELEMENTS (people); i++)
    fixture->ids[i] = add_person (fixture->db, &people[i]);
  joren_coupon_campaign_add (fixture->db, campaign, &error);
  g_assert_no_error (error);
  fixture->campaign_id = campaign->id;
}

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(JorenShop) shop = NULL;

  fixture->db = joren_test_open_demo_db ("jp");
  fixture->outdir = joren_test_make_tmpdir ();
  set_up_data (fixture);
  shop = joren_db_load_shop (fixture->db, NULL);
  joren_ui_init_style (gdk_display_get_default ());
  fixture->window = GTK_WINDOW (gtk_window_new ());
  gtk_widget_add_css_class (GTK_WIDGET (fixture->window), "joren");
  gtk_window_set_default_size (fixture->window, 1024, 768);
  fixture->page = joren_value_page_new ();
  joren_value_page_set_db (JOREN_VALUE_PAGE (fixture->page), fixture->db, shop);
  gtk_window_set_child (fixture->window, fixture->page);
  gtk_window_present (fixture->window);
  g_assert_true (joren_test_ui_wait_for ((JorenTestPredicate) gtk_widget_get_mapped, fixture->page));
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  gtk_window_destroy (fixture->window);
  joren_test_ui_spin (50);
  g_subprocess_force_exit (fixture->sink);
  g_subprocess_wait (fixture->sink, NULL, NULL);
  g_clear_object (&fixture->sink);
  g_clear_object (&fixture->db);
  g_free (fixture->outdir);
}

/* The shown toplevel of type, or the one holding a button labelled text. */
static GtkWidget *
find_toplevel (GType       type,
               const char *button)
{
  GListModel *toplevels = gtk_window_get_toplevels ();

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GtkWidget) window = g_list_model_get_item (toplevels, i);

      if (!gtk_widget_get_visible (window))
        continue;
      if (type != G_TYPE_NONE && G_TYPE_CHECK_INSTANCE_TYPE (window, type))
        return window;
      if (button != NULL && joren_test_ui_find_button (window, button) != NULL)
        return window;
    }
  return NULL;
}

static gboolean
previewed (gpointer data)
{
  return joren_coupon_mail_dialog_get_count (data) >= 0;
}

static gboolean
done_sending (gpointer data)
{
  return !joren_coupon_mail_dialog_is_sending (data);
}

static GtkWidget *
find_label_containing (GtkWidget  *root,
                       const char *text)
{
  if (GTK_IS_LABEL (root) && strstr (gtk_label_get_text (GTK_LABEL (root)), text) != NULL)
    return root;
  for (GtkWidget *child = gtk_widget_get_first_child (root); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_label_containing (child, text);

      if (found != NULL)
        return found;
    }
  return NULL;
}

/* The customer the body's code was issued to (the default message puts
 * the code after "”: "). */
static gint64
customer_of_body_code (Fixture    *fixture,
                       const char *body)
{
  const char *start = strstr (body, "”: ");
  g_autofree char *typed = NULL;
  g_autofree char *code = NULL;
  g_autofree char *sql = NULL;

  g_assert_nonnull (start);
  typed = g_strndup (start + strlen ("”: "), 11);
  code = joren_coupon_code_normalize (typed);
  g_assert_nonnull (code);
  sql = g_strdup_printf ("SELECT coalesce ((SELECT customer_id FROM coupon_codes WHERE code = '%s'"
                         " AND campaign_id = %" G_GINT64_FORMAT "), -1)", code, fixture->campaign_id);
  return joren_test_query_int (fixture->db, sql);
}

static gint64
codes_of (Fixture *fixture,
          gint64   customer_id)
{
  g_autofree char *sql = g_strdup_printf ("SELECT count (*) FROM coupon_codes WHERE customer_id = %"
                                          G_GINT64_FORMAT, customer_id);

  return joren_test_query_int (fixture->db, sql);
}

static void
check_received (Fixture *fixture)
{
  g_autoptr(GPtrArray) received = joren_test_read_mails (fixture->outdir);
  gint64 expected[] = { fixture->ids[0], fixture->ids[3] };
  gboolean seen[2] = { FALSE, FALSE };

  g_assert_cmpuint (received->len, ==, 2);
  for (guint i = 0; i < received->len; i++)
    {
      const char *to = joren_json_get_string (received->pdata[i], "to");
      guint who = g_str_equal (to, "hanako@example.jp") ? 0 : 1;

      g_assert_true (who == 0 || g_str_equal (to, "meiling@example.tw"));
      g_assert_false (seen[who]);
      seen[who] = TRUE;
      g_assert_cmpint (customer_of_body_code (fixture, joren_json_get_string (received->pdata[i], "body")),
                       ==, expected[who]);
    }
  /* Codes for those two and the refused address (issued before its
   * message was tried): none for no consent or no address. */
  g_assert_cmpint (codes_of (fixture, fixture->ids[0]), ==, 1);
  g_assert_cmpint (codes_of (fixture, fixture->ids[1]), ==, 0);
  g_assert_cmpint (codes_of (fixture, fixture->ids[2]), ==, 0);
  g_assert_cmpint (codes_of (fixture, fixture->ids[3]), ==, 1);
  g_assert_cmpint (codes_of (fixture, fixture->ids[4]), ==, 1);
}

static void
test_email_codes (Fixture       *fixture,
                  gconstpointer  data)
{
  g_autoptr(GPtrArray) runs = NULL;
  JorenCouponMailDialog *dialog;
  GtkWidget *confirm;

  joren_test_ui_tap (fixture->page, "Coupons");
  joren_test_ui_tap (fixture->page, "E-mail codes");
  dialog = JOREN_COUPON_MAIL_DIALOG (find_toplevel (JOREN_TYPE_COUPON_MAIL_DIALOG, NULL));
  g_assert_nonnull (dialog);
  g_object_add_weak_pointer (G_OBJECT (dialog), (gpointer *) &dialog);
  g_assert_true (joren_test_ui_wait_for (previewed, dialog));
  g_assert_cmpint (joren_coupon_mail_dialog_get_count (dialog), ==, 3);
  g_assert_nonnull (find_label_containing (GTK_WIDGET (dialog), "3 customers with e-mail consent"));
  g_assert_nonnull (find_label_containing (GTK_WIDGET (dialog), JOREN_COUPON_MAIL_SAMPLE_CODE));

  /* Another segment previews again: nobody has lapsed yet. */
  joren_test_ui_tap (GTK_WIDGET (dialog), "Lapsed");
  g_assert_true (joren_test_ui_wait_for (previewed, dialog));
  g_assert_cmpint (joren_coupon_mail_dialog_get_count (dialog), ==, 0);
  g_assert_false (gtk_widget_get_sensitive (joren_test_ui_find_button (GTK_WIDGET (dialog), "Send")));
  joren_test_ui_tap (GTK_WIDGET (dialog), "All customers");
  g_assert_true (joren_test_ui_wait_for (previewed, dialog));
  g_assert_cmpint (joren_coupon_mail_dialog_get_count (dialog), ==, 3);
  joren_test_ui_spin (100);
  g_free (joren_test_ui_save_png (GTK_WIDGET (dialog), "coupon-mail-dialog"));

  joren_test_ui_tap (GTK_WIDGET (dialog), "Send to 3 customers");
  confirm = find_toplevel (G_TYPE_NONE, "Send");
  g_assert_nonnull (confirm);
  joren_test_ui_tap (confirm, "Send");
  /* The tap came back while the worker thread sends. */
  g_assert_true (joren_coupon_mail_dialog_is_sending (dialog));
  g_assert_true (joren_test_ui_wait_for (done_sending, dialog));
  g_assert_nonnull (strstr (joren_coupon_mail_dialog_get_result (dialog), "Sent: 2 · Failed: 1"));
  g_assert_nonnull (strstr (joren_coupon_mail_dialog_get_result (dialog), "Rita Refused"));
  joren_test_ui_spin (100);
  g_free (joren_test_ui_save_png (GTK_WIDGET (dialog), "coupon-mail-dialog-sent"));

  check_received (fixture);
  runs = joren_promotion_list_runs (fixture->db, 5, NULL);
  g_assert_cmpuint (runs->len, ==, 1);
  g_assert_cmpuint (((JorenPromotionRun *) runs->pdata[0])->n_sent, ==, 2);
  g_assert_nonnull (strstr (((JorenPromotionRun *) runs->pdata[0])->name, "Spring ¥300"));

  /* Closed, the list counts the codes it issued. */
  joren_test_ui_tap (GTK_WIDGET (dialog), "Close");
  g_assert_true (joren_test_ui_wait_for ((JorenTestPredicate) gtk_widget_get_mapped, fixture->page));
  joren_test_ui_spin (100);
  g_assert_null (dialog);
  g_assert_nonnull (find_label_containing (fixture->page, "3 issued"));
  g_free (joren_test_ui_save_png (GTK_WIDGET (fixture->window), "coupon-mail-campaigns"));
}

int
main (int    argc,
      char **argv)
{
  gtk_test_init (&argc, &argv, NULL);

  g_test_add ("/joren/ui/coupon-mail/email-codes", Fixture, NULL, fixture_set_up,
              test_email_codes, fixture_tear_down);
  return g_test_run ();
}
