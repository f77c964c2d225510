/* joren-screenshots.c: renders the register's main screens to PNG files
 * for the README, the translators and the layout checks: sign-in, a sale
 * with five lines, the same sale with a member's reception panel, count
 * card and stamps (customer), the lookup by the last 4 digits (customer-lookup), the quick
 * registration (customer-form), the tender page, the
 * change with the receipt preview, the back office, its Loyalty page
 * (loyalty), Vouchers & accounts (value), the voucher dialog selling
 * (voucher) and paying (voucher-tender), reports, end of day and staff, and printer settings, at each size
 * given, in the language of the environment (run once per language).
 *
 *   joren-screenshots OUTDIR [WxH ...]   (default 1024x768 1366x768 1920x1080)
 *
 * Files are OUTDIR/<lang>-<W>x<H>-<page>.png; <lang> is $JOREN_SCREENSHOT_LANG
 * or "en". Each size gets a fresh demo database in a temporary folder. */
#include "config.h"

#include <glib/gi18n.h>
#include <glib/gstdio.h>

#include "joren-application.h"
#include "joren-attendance.h"
#include "joren-backoffice.h"
#include "joren-cash.h"
#include "joren-catalog.h"
#include "joren-clock-dialog.h"
#include "joren-customer-form.h"
#include "joren-customers-page.h"
#include "joren-promotions-page.h"
#include "joren-punch.h"
#include "joren-sale-db.h"
#include "joren-points.h"
#include "joren-printer-settings.h"
#include "joren-reports-page.h"
#include "joren-staff-page.h"
#include "joren-sale-view.h"
#include "joren-staff.h"
#include "joren-value.h"
#include "joren-voucher-dialog.h"
#include "joren-window.h"

static void
spin (guint ms)
{
  gint64 end = g_get_monotonic_time () + ms * 1000;

  while (g_get_monotonic_time () < end)
    {
      while (g_main_context_pending (NULL))
        g_main_context_iteration (NULL, FALSE);
      g_usleep (5000);
    }
}

static gboolean
save_png (GtkWidget  *window,
          const char *path,
          GError    **error)
{
  int width = gtk_widget_get_width (window);
  int height = gtk_widget_get_height (window);
  g_autoptr(GdkPaintable) paintable = gtk_widget_paintable_new (window);
  g_autoptr(GtkSnapshot) snapshot = gtk_snapshot_new ();
  g_autoptr(GskRenderNode) node = NULL;
  g_autoptr(GdkTexture) texture = NULL;
  GskRenderer *renderer = gtk_native_get_renderer (GTK_NATIVE (window));

  spin (400);
  gdk_paintable_snapshot (paintable, GDK_SNAPSHOT (snapshot), width, height);
  node = gtk_snapshot_free_to_node (g_steal_pointer (&snapshot));
  if (node == NULL)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "Nothing rendered for %s", path);
      return FALSE;
    }
  texture = gsk_renderer_render_texture (renderer, node,
                                         &GRAPHENE_RECT_INIT (0, 0, width, height));
  if (!gdk_texture_save_to_png (texture, path))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "Cannot write %s", path);
      return FALSE;
    }
  g_print ("%s\n", path);
  return TRUE;
}

static const char *
preset_for_language (const char *lang)
{
  if (g_str_has_prefix (lang, "de"))
    return "de";
  if (g_str_has_prefix (lang, "zh"))
    return "tw";
  return "jp";
}

/* The owner signs in with the drawer already open, so no dialog covers
 * the register. */
static gboolean
sign_in_owner (JorenWindow *window,
               JorenDb     *db,
               GError     **error)
{
  g_autoptr(GPtrArray) staff = joren_staff_list (db, FALSE, error);
  g_autoptr(JorenCashSession) session = NULL;

  if (staff == NULL)
    return FALSE;
  for (guint i = 0; i < staff->len; i++)
    {
      const JorenStaff *member = g_ptr_array_index (staff, i);

      if (member->role != JOREN_ROLE_OWNER)
        continue;
      session = joren_cash_session_open (db, member->id, 20000, error);
      return session != NULL && joren_window_sign_in (window, member->id, "1111", error);
    }
  g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND, "The demo has no owner");
  return FALSE;
}

static gboolean
fill_sale (JorenWindow *window,
           JorenDb     *db,
           GError     **error)
{
  JorenSale *sale = joren_sale_view_get_sale (JOREN_SALE_VIEW (joren_window_get_sale_view (window)));
  g_autoptr(GPtrArray) products = joren_catalog_list_products (db, 0, NULL, FALSE, 0, 5, error);
  JorenDiscount ten_percent = { JOREN_DISCOUNT_PERCENT, 1000 };

  if (products == NULL)
    return FALSE;
  for (guint i = 0; i < products->len; i++)
    joren_sale_add_product (sale, g_ptr_array_index (products, i), i == 1 ? 2 : 1, NULL);
  return products->len < 3 || joren_sale_set_line_discount (sale, 2, &ten_percent, error);
}

static gboolean
shoot (JorenWindow *window,
       const char  *prefix,
       const char  *page,
       GError     **error)
{
  g_autofree char *path = g_strdup_printf ("%s-%s.png", prefix, page);

  return save_png (GTK_WIDGET (window), path, error);
}

/* The mapped button labelled text under root. */
static GtkWidget *
find_button (GtkWidget  *root,
             const char *text)
{
  if (GTK_IS_BUTTON (root) && gtk_widget_get_mapped (root) &&
      g_strcmp0 (gtk_button_get_label (GTK_BUTTON (root)), text) == 0)
    return root;
  for (GtkWidget *child = gtk_widget_get_first_child (root); child;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_button (child, text);

      if (found != NULL)
        return found;
    }
  return NULL;
}

/* Pays in cash (exactly what is due): the sale commits, the change page
 * shows the receipt preview. */
static gboolean
pay_cash (JorenWindow  *window,
          GError      **error)
{
  GtkWidget *cash = find_button (joren_window_get_tender_view (window), _("Cash"));

  if (cash == NULL)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND, "No Cash button on the tender page");
      return FALSE;
    }
  g_signal_emit_by_name (cash, "clicked");
  return TRUE;
}

/* The printer section as an owner setting up a network printer sees it. */
static void
show_printer_settings (JorenWindow *window)
{
  JorenBackoffice *backoffice = JOREN_BACKOFFICE (joren_window_get_backoffice (window));

  joren_backoffice_show_section (backoffice, "printer");
  joren_printer_settings_set_values (JOREN_PRINTER_SETTINGS (joren_backoffice_get_printer_settings (backoffice)),
                                     "network", "192.168.1.50:9100", "epson-tm-t88");
}

/* A printer that refuses (nothing listens on the discard port), then a
 * reprint: the register with its Retry bar. */
static gboolean
fail_a_print (JorenWindow  *window,
              JorenDb      *db,
              GError      **error)
{
  if (!joren_db_set_setting (db, JOREN_SETTING_PRINTER_TRANSPORT, "network", error) ||
      !joren_db_set_setting (db, JOREN_SETTING_PRINTER_ADDRESS, "127.0.0.1:9", error))
    return FALSE;
  joren_window_reload_printer (window);
  joren_window_show_page (window, "register");
  return joren_window_reprint_last (window, error);
}

/* The sample member, in the demo shop's language (data, like the demo
 * catalogue: not for translators). */
static const struct {
  const char *preset;
  const char *name;
  const char *reading;
  const char *notes;
  const char *phone;   /* a mobile number of the country, ending in 5678 */
} sample_members[] = {
  { "jp", "山田 花子", "ヤマダ ハナコ", "オーツミルク、砂糖なし", "090-1234-5678" },
  { "de", "Anna Schmidt", NULL, "Hafermilch, ohne Zucker", "0151 2345 5678" },
  { "tw", "陳美玲", NULL, "燕麥奶，無糖", "0912-345-678" },
};

/* The member's earlier visit: the demo's count card and seven coffees,
 * so the panel shows a card and "7/10" stamps. */
static gboolean
buy_count_card (JorenDb  *db,
                gint64    customer_id,
                gint64    staff_id,
                GError  **error)
{
  g_autoptr(JorenShop) shop = joren_db_load_shop (db, error);
  g_autoptr(GArray) cards = joren_punch_list_products (db, error);
  g_autoptr(JorenSale) sale = NULL;
  g_autoptr(JorenProduct) card = NULL;
  g_autoptr(JorenProduct) coffee = NULL;
  JorenPunchProduct *punch;

  if (shop == NULL || cards == NULL || cards->len == 0)
    return cards != NULL;
  punch = &g_array_index (cards, JorenPunchProduct, 0);
  card = joren_catalog_get_product (db, punch->product_id, error);
  coffee = card ? joren_catalog_get_product (db, punch->covers_product_id, error) : NULL;
  if (coffee == NULL)
    return FALSE;
  sale = joren_sale_new (shop);
  joren_sale_add_product (sale, card, 1, NULL);
  joren_sale_add_product (sale, coffee, 7, NULL);
  joren_sale_set_staff (sale, staff_id, "demo");
  joren_sale_set_customer (sale, customer_id);
  return joren_sale_add_tender (sale, JOREN_TENDER_CASH, joren_sale_get_total (sale), NULL, error)
         && joren_db_commit_sale (db, sale, 0, error);
}

/* A member with a birthday next week and points, at the counter: the
 * reception panel over the sale. */
static gboolean
attach_customer (JorenWindow  *window,
                 JorenDb      *db,
                 const char   *preset,
                 GError      **error)
{
  JorenSaleView *view = JOREN_SALE_VIEW (joren_window_get_sale_view (window));
  gint64 staff_id = joren_sale_get_staff_id (joren_sale_view_get_sale (view));
  g_autoptr(JorenCustomer) customer = joren_customer_new ();
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  g_autoptr(GDateTime) birthday = g_date_time_add_days (now, 5);
  guint i = 0;

  while (i + 1 < G_N_ELEMENTS (sample_members) && !g_str_equal (sample_members[i].preset, preset))
    i++;
  customer->name = g_strdup (sample_members[i].name);
  customer->reading = g_strdup (sample_members[i].reading);
  customer->notes = g_strdup (sample_members[i].notes);
  customer->birthday = g_date_time_format (birthday, "1985-%m-%d");
  joren_customer_add_phone (customer, sample_members[i].phone);
  joren_customer_add_card (customer, "M0000123", JOREN_CARD_BARCODE);
  if (!joren_customer_add (db, customer, FALSE, error) ||
      !joren_points_adjust (db, customer->id, 1250, "demo", staff_id, error) ||
      !buy_count_card (db, customer->id, staff_id, error))
    return FALSE;
  joren_sale_view_set_customer (view, customer);
  return TRUE;
}

static void
customer_registered_cb (const JorenCustomer *customer,
                        gpointer             user_data)
{
}

/* The lookup with the matches for the last four digits. */
static gboolean
shoot_customer_lookup (JorenWindow  *window,
                       JorenDb      *db,
                       const char   *prefix,
                       GError      **error)
{
  JorenCustomerDialog *dialog = joren_customer_dialog_run (GTK_WIDGET (window), db,
                                                           customer_registered_cb, NULL);
  g_autofree char *path = g_strdup_printf ("%s-customer-lookup.png", prefix);
  gboolean ok;

  joren_customer_dialog_search_phone (dialog, "5678");
  spin (300);
  ok = save_png (GTK_WIDGET (dialog), path, error);
  gtk_window_destroy (GTK_WINDOW (dialog));
  return ok;
}

/* The registration form as a scanned unknown card opens it. */
static gboolean
shoot_customer_form (JorenWindow  *window,
                     JorenDb      *db,
                     const char   *prefix,
                     GError      **error)
{
  JorenCustomerForm *form = joren_customer_form_run (GTK_WIDGET (window), db, "M0000456",
                                                     "0312345678", customer_registered_cb, NULL);
  g_autofree char *path = g_strdup_printf ("%s-customer-form.png", prefix);
  gboolean ok;

  spin (300);
  ok = save_png (GTK_WIDGET (form), path, error);
  gtk_window_destroy (GTK_WINDOW (form));
  return ok;
}

/* The owner's report, end of day and staff pages, after the sale above
 * (reports by product, so the chart has a bar per product). */
static gboolean
shoot_backoffice_pages (JorenWindow  *window,
                        const char   *prefix,
                        GError      **error)
{
  JorenBackoffice *backoffice = JOREN_BACKOFFICE (joren_window_get_backoffice (window));
  const char *const pages[] = { "reports", "endofday", "staff", NULL };
  JorenStaffPage *staff_page;

  for (guint i = 0; pages[i] != NULL; i++)
    {
      joren_backoffice_show_section (backoffice, pages[i]);
      if (g_str_equal (pages[i], "reports"))
        joren_reports_page_set_grouping (JOREN_REPORTS_PAGE (joren_backoffice_get_section (backoffice, "reports")),
                                         JOREN_REPORT_BY_PRODUCT);
      spin (300);
      if (!shoot (window, prefix, pages[i], error))
        return FALSE;
    }
  staff_page = JOREN_STAFF_PAGE (joren_backoffice_get_section (backoffice, "staff"));
  joren_staff_page_show_tab (staff_page, "attendance");
  if (!shoot (window, prefix, "staff-attendance", error))
    return FALSE;
  joren_staff_page_show_tab (staff_page, "performance");
  return shoot (window, prefix, "staff-performance", error);
}

/* The time clock over the sign-in screen, after Chen clocked in by card
 * this morning (so the attendance page has a row). */
static gboolean
shoot_clock (JorenWindow  *window,
             JorenDb      *db,
             const char   *prefix,
             GError      **error)
{
  g_autofree char *path = g_strdup_printf ("%s-clock.png", prefix);
  g_autoptr(JorenStaff) chen = NULL;
  g_autoptr(JorenClockEvent) event = NULL;
  g_autoptr(GPtrArray) staff = joren_staff_list (db, FALSE, error);
  GtkWindow *dialog;
  gboolean ok;

  if (staff == NULL || staff->len == 0)
    return staff != NULL;
  chen = joren_staff_copy (g_ptr_array_index (staff, staff->len - 1));
  if (!joren_staff_add_card (db, chen->id, "STAFF-0003", error))
    return FALSE;
  dialog = joren_clock_dialog_run (GTK_WIDGET (window), db);
  ok = joren_clock_dialog_clock_card (dialog, "STAFF-0003");
  spin (300);
  ok = ok && save_png (GTK_WIDGET (dialog), path, error);
  gtk_window_destroy (dialog);
  return ok;
}

/* Customers (the first one chosen), Promotions (a preview shown), Mail. */
static gboolean
shoot_customer_pages (JorenWindow *window,
                      const char  *prefix,
                      GError     **error)
{
  JorenBackoffice *backoffice = JOREN_BACKOFFICE (joren_window_get_backoffice (window));
  GtkWidget *customers = joren_backoffice_get_section (backoffice, "customers");
  GtkWidget *promotions = joren_backoffice_get_section (backoffice, "promotions");

  joren_backoffice_show_section (backoffice, "customers");
  joren_customers_page_select_row (JOREN_CUSTOMERS_PAGE (customers), 0);
  if (!shoot (window, prefix, "customers", error))
    return FALSE;
  joren_backoffice_show_section (backoffice, "promotions");
  joren_promotions_page_preview (JOREN_PROMOTIONS_PAGE (promotions));
  if (!shoot (window, prefix, "promotions", error))
    return FALSE;
  joren_backoffice_show_section (backoffice, "mail");
  return shoot (window, prefix, "mail", error);
}

/* The voucher dialog with a demo card of kind looked up: selling (a
 * top-up of a prepaid card) or paying (a gift voucher). */
static gboolean
shoot_voucher (JorenWindow    *window,
               JorenDb        *db,
               JorenValueKind  kind,
               const char     *prefix,
               const char     *page,
               GError        **error)
{
  GtkWidget *sale_view = joren_window_get_sale_view (window);
  JorenSale *sale = joren_sale_view_get_sale (JOREN_SALE_VIEW (sale_view));
  g_autoptr(GPtrArray) accounts = joren_value_list_accounts (db, kind, 1, error);
  g_autofree char *path = g_strdup_printf ("%s-%s.png", prefix, page);
  JorenVoucherDialog *dialog;
  gboolean ok;

  if (accounts == NULL)
    return FALSE;
  dialog = kind == JOREN_VALUE_PREPAID
           ? joren_voucher_dialog_sell (sale_view, db, sale, NULL, NULL)
           : joren_voucher_dialog_redeem (sale_view, db, sale, NULL, NULL);
  if (accounts->len > 0)
    joren_voucher_dialog_set_number (dialog,
                                     ((JorenValueAccount *) g_ptr_array_index (accounts, 0))->number);
  spin (300);
  ok = save_png (GTK_WIDGET (dialog), path, error);
  gtk_window_destroy (GTK_WINDOW (dialog));
  return ok;
}

static gboolean
shoot_all (JorenWindow *window,
           JorenDb     *db,
           const char  *preset,
           const char  *prefix,
           GError     **error)
{
  GtkWidget *sale_view = joren_window_get_sale_view (window);

  if (!shoot (window, prefix, "signin", error) ||
      !shoot_clock (window, db, prefix, error) ||
      !sign_in_owner (window, db, error) ||
      !fill_sale (window, db, error) ||
      !shoot (window, prefix, "register", error) ||
      !attach_customer (window, db, preset, error) ||
      !shoot (window, prefix, "customer", error) ||
      !shoot_customer_lookup (window, db, prefix, error) ||
      !shoot_customer_form (window, db, prefix, error) ||
      !shoot_voucher (window, db, JOREN_VALUE_PREPAID, prefix, "voucher", error))
    return FALSE;
  g_signal_emit_by_name (sale_view, "pay");
  if (!shoot (window, prefix, "tender", error) ||
      !shoot_voucher (window, db, JOREN_VALUE_GIFT, prefix, "voucher-tender", error) ||
      !pay_cash (window, error) ||
      !shoot (window, prefix, "change", error))
    return FALSE;
  joren_window_show_page (window, "register");
  joren_window_show_page (window, "backoffice");
  joren_backoffice_show_section (JOREN_BACKOFFICE (joren_window_get_backoffice (window)),
                                 "products");
  if (!shoot (window, prefix, "backoffice", error))
    return FALSE;
  joren_backoffice_show_section (JOREN_BACKOFFICE (joren_window_get_backoffice (window)),
                                 "loyalty");
  if (!shoot (window, prefix, "loyalty", error))
    return FALSE;
  joren_backoffice_show_section (JOREN_BACKOFFICE (joren_window_get_backoffice (window)),
                                 "value");
  if (!shoot (window, prefix, "value", error))
    return FALSE;
  if (!shoot_backoffice_pages (window, prefix, error))
    return FALSE;
  if (!shoot_customer_pages (window, prefix, error))
    return FALSE;
  show_printer_settings (window);
  return shoot (window, prefix, "printer", error) &&
         fail_a_print (window, db, error) &&
         shoot (window, prefix, "print-failed", error);
}

static gboolean
run_size (const char *outdir,
          const char *lang,
          int         width,
          int         height,
          GError    **error)
{
  g_autofree char *tmpdir = g_dir_make_tmp ("joren-shots-XXXXXX", error);
  g_autofree char *path = NULL;
  g_autofree char *prefix = NULL;
  g_autoptr(JorenDb) db = NULL;
  JorenWindow *window;
  gboolean ok;

  if (tmpdir == NULL)
    return FALSE;
  path = g_build_filename (tmpdir, "register.db", NULL);
  db = joren_db_open (path, error);
  if (db == NULL || !joren_db_create_demo (db, preset_for_language (lang), error)
      || !joren_value_create_demo (db, error))
    return FALSE;
  window = joren_window_new (NULL, db);
  gtk_window_set_default_size (GTK_WINDOW (window), width, height);
  gtk_window_present (GTK_WINDOW (window));
  spin (500);
  prefix = g_strdup_printf ("%s/%s-%dx%d", outdir, lang, width, height);
  ok = shoot_all (window, db, preset_for_language (lang), prefix, error);
  gtk_window_destroy (GTK_WINDOW (window));
  spin (100);
  g_clear_object (&db);
  for (const char *const *f = (const char *const[]) { "register.db", "register.db-wal",
                                                      "register.db-shm", NULL }; *f; f++)
    {
      g_autofree char *file = g_build_filename (tmpdir, *f, NULL);
      g_remove (file);
    }
  g_rmdir (tmpdir);
  return ok;
}

int
main (int   argc,
      char *argv[])
{
  const char *default_sizes[] = { "1024x768", "1366x768", "1920x1080", NULL };
  const char *lang = g_getenv ("JOREN_SCREENSHOT_LANG");
  const char *const *sizes = argc > 2 ? (const char *const *) &argv[2] : default_sizes;
  g_autoptr(GError) error = NULL;

  if (argc < 2)
    {
      g_printerr ("usage: %s OUTDIR [WxH ...]\n", argv[0]);
      return 2;
    }
  joren_i18n_init ();
  gtk_init ();
  g_mkdir_with_parents (argv[1], 0755);
  for (guint i = 0; sizes[i] != NULL; i++)
    {
      int width = 0, height = 0;

      if (sscanf (sizes[i], "%dx%d", &width, &height) != 2 ||
          !run_size (argv[1], lang ? lang : "en", width, height, &error))
        {
          g_printerr ("joren-screenshots: %s: %s\n", sizes[i],
                      error ? error->message : "bad size");
          return 1;
        }
    }
  return 0;
}
