/* joren-ui.c: helpers shared by the register widgets. Catalogue colours
 * become generated CSS classes in one provider (GTK 4.8 has no per-widget
 * inline style), so a thousand buttons share a handful of rules. */
#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "joren-error.h"
#include "joren-points.h"
#include "joren-ui-resources.h"
#include "joren-tax.h"
#include "joren-ui.h"

typedef struct {
  JorenChoiceFunc func;
  gpointer        user_data;
  gboolean        ok_only;
} ChoiceData;

static GtkCssProvider *colour_provider;
static GString *colour_css;
static GHashTable *colour_classes;

void
joren_ui_init_style (GdkDisplay *display)
{
  g_autoptr(GtkCssProvider) provider = NULL;

  g_return_if_fail (GDK_IS_DISPLAY (display));

  /* Naming the resource keeps its object file (and the constructor that
   * registers it) in a binary linked from the static library. */
  g_assert (joren_ui_get_resource () != NULL);
  if (g_object_get_data (G_OBJECT (display), "joren-style"))
    return;
  provider = gtk_css_provider_new ();
  gtk_css_provider_load_from_resource (provider, "/jp/joren/Register/style.css");
  gtk_style_context_add_provider_for_display (display, GTK_STYLE_PROVIDER (provider),
                                              GTK_STYLE_PROVIDER_PRIORITY_APPLICATION);
  g_object_set_data_full (G_OBJECT (display), "joren-style",
                          g_steal_pointer (&provider), g_object_unref);
}

/* Dark text on light colours, white on dark, by perceived brightness. */
static const char *
pick_text_colour (const GdkRGBA *rgba)
{
  double luma = 0.299 * rgba->red + 0.587 * rgba->green + 0.114 * rgba->blue;

  return luma > 0.6 ? "#1e1e1e" : "#ffffff";
}

static void
add_colour_rule (const char *css_class,
                 const GdkRGBA *rgba)
{
  g_autofree char *colour = gdk_rgba_to_string (rgba);

  if (colour_provider == NULL)
    {
      colour_provider = gtk_css_provider_new ();
      colour_css = g_string_new (NULL);
      colour_classes = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
      gtk_style_context_add_provider_for_display (gdk_display_get_default (),
                                                  GTK_STYLE_PROVIDER (colour_provider),
                                                  GTK_STYLE_PROVIDER_PRIORITY_APPLICATION + 1);
    }
  g_string_append_printf (colour_css,
                          "button.%s { background: %s; color: %s; }\n",
                          css_class, colour, pick_text_colour (rgba));
  g_hash_table_add (colour_classes, g_strdup (css_class));
  gtk_css_provider_load_from_data (colour_provider, colour_css->str, -1);
}

void
joren_ui_set_colour (GtkWidget  *widget,
                     const char *colour)
{
  GdkRGBA rgba;
  g_autofree char *css_class = NULL;

  g_return_if_fail (GTK_IS_WIDGET (widget));

  if (colour == NULL || !gdk_rgba_parse (&rgba, colour))
    return;
  css_class = g_strdup_printf ("jc-%02x%02x%02x", (guint) (rgba.red * 255),
                               (guint) (rgba.green * 255), (guint) (rgba.blue * 255));
  if (colour_classes == NULL || !g_hash_table_contains (colour_classes, css_class))
    add_colour_rule (css_class, &rgba);
  gtk_widget_add_css_class (widget, css_class);
}

void
joren_ui_remove_all (GtkWidget *container)
{
  GtkWidget *child;

  g_return_if_fail (GTK_IS_WIDGET (container));

  while ((child = gtk_widget_get_first_child (container)) != NULL)
    {
      if (GTK_IS_BOX (container))
        gtk_box_remove (GTK_BOX (container), child);
      else if (GTK_IS_LIST_BOX (container))
        gtk_list_box_remove (GTK_LIST_BOX (container), child);
      else if (GTK_IS_FLOW_BOX (container))
        gtk_flow_box_remove (GTK_FLOW_BOX (container), child);
      else if (GTK_IS_GRID (container))
        gtk_grid_remove (GTK_GRID (container), child);
      else
        g_return_if_reached ();
    }
}

GtkWidget *
joren_ui_label_new (const char *text,
                    const char *css_class,
                    float       xalign)
{
  GtkWidget *label = gtk_label_new (text);

  gtk_label_set_xalign (GTK_LABEL (label), xalign);
  if (css_class != NULL)
    gtk_widget_add_css_class (label, css_class);
  return label;
}

void
joren_ui_set_money (GtkLabel            *label,
                    gint64               minor,
                    const JorenCurrency *currency)
{
  g_autofree char *text = NULL;

  g_return_if_fail (GTK_IS_LABEL (label));
  g_return_if_fail (currency != NULL);

  text = joren_money_format (minor, currency);
  gtk_label_set_text (label, text);
}

/* "12", "7.5", "7,25" -> basis points; at most 100 %. */
static gboolean
parse_percent (const char *text,
               guint      *out_bp)
{
  guint whole = 0, frac = 0, frac_digits = 0;
  const char *p = text;

  for (; g_ascii_isdigit (*p) && whole <= 100; p++)
    whole = whole * 10 + (*p - '0');
  if (p == text)
    return FALSE;
  if (*p == '.' || *p == ',')
    for (p++; g_ascii_isdigit (*p) && frac_digits < 2; p++, frac_digits++)
      frac = frac * 10 + (*p - '0');
  if (*p != '\0')
    return FALSE;
  if (frac_digits == 1)
    frac *= 10;
  *out_bp = whole * 100 + frac;
  return *out_bp > 0 && *out_bp <= 10000;
}

gboolean
joren_ui_parse_discount (const char          *text,
                         JorenUiDiscountMode  mode,
                         const JorenCurrency *currency,
                         JorenDiscount       *out,
                         GError             **error)
{
  guint bp = 0;

  g_return_val_if_fail (text != NULL && currency != NULL && out != NULL, FALSE);

  if (mode == JOREN_UI_DISCOUNT_AMOUNT)
    {
      out->kind = JOREN_DISCOUNT_AMOUNT;
      return joren_money_parse (text, currency, &out->value, error);
    }
  if (!parse_percent (text, &bp))
    {
      g_set_error (error, JOREN_DATA_ERROR, JOREN_DATA_ERROR_INVALID,
                   _("Type a percentage between 0 and 100"));
      return FALSE;
    }
  out->kind = JOREN_DISCOUNT_PERCENT;
  out->value = bp;
  return TRUE;
}

char *
joren_ui_format_discount (const JorenDiscount *discount,
                          const JorenCurrency *currency)
{
  g_autofree char *value = NULL;

  g_return_val_if_fail (discount != NULL && currency != NULL, NULL);

  if (discount->kind == JOREN_DISCOUNT_PERCENT)
    value = joren_tax_format_rate ((guint) discount->value);
  else if (discount->kind == JOREN_DISCOUNT_AMOUNT)
    value = joren_money_format (discount->value, currency);
  else
    return NULL;
  /* TRANSLATORS: a discount on a line or a receipt, e.g. "−10%" */
  return g_strdup_printf (_("−%s"), value);
}

const char *
joren_ui_role_name (JorenRole role)
{
  switch (role)
    {
    case JOREN_ROLE_CASHIER:
      return _("Cashier");
    case JOREN_ROLE_MANAGER:
      return _("Manager");
    case JOREN_ROLE_OWNER:
      return _("Owner");
    default:
      g_return_val_if_reached ("");
    }
}

GtkWindow *
joren_ui_dialog_new (GtkWidget  *parent,
                     const char *title)
{
  GtkWindow *window = GTK_WINDOW (gtk_window_new ());
  GtkRoot *root = parent ? gtk_widget_get_root (parent) : NULL;

  gtk_window_set_title (window, title);
  gtk_window_set_modal (window, TRUE);
  gtk_window_set_destroy_with_parent (window, TRUE);
  gtk_widget_add_css_class (GTK_WIDGET (window), "joren");
  gtk_widget_add_css_class (GTK_WIDGET (window), "joren-dialog");
  if (GTK_IS_WINDOW (root))
    gtk_window_set_transient_for (window, GTK_WINDOW (root));
  return window;
}

static void
choice_clicked_cb (GtkButton *button,
                   gpointer   user_data)
{
  GtkWindow *window = GTK_WINDOW (gtk_widget_get_root (GTK_WIDGET (button)));
  ChoiceData *data = g_object_get_data (G_OBJECT (window), "joren-choice");
  int index = GPOINTER_TO_INT (g_object_get_data (G_OBJECT (button), "joren-index"));

  /* Close first: the callback may open the next dialog. */
  gtk_widget_set_visible (GTK_WIDGET (window), FALSE);
  if (index >= 0 && (!data->ok_only || index == 0))
    data->func (index, data->user_data);
  gtk_window_destroy (window);
}

static GtkWidget *
add_choice_button (GtkWidget  *box,
                   const char *label,
                   int         index)
{
  GtkWidget *button = gtk_button_new_with_label (label);

  gtk_widget_add_css_class (button, "choice");
  gtk_widget_set_hexpand (button, TRUE);
  g_object_set_data (G_OBJECT (button), "joren-index", GINT_TO_POINTER (index));
  g_signal_connect (button, "clicked", G_CALLBACK (choice_clicked_cb), NULL);
  gtk_box_append (GTK_BOX (box), button);
  return button;
}

static GtkWindow *
build_choice_window (GtkWidget       *parent,
                     const char      *title,
                     GtkWidget       *buttons,
                     JorenChoiceFunc  func,
                     gpointer         user_data,
                     gboolean         ok_only)
{
  GtkWindow *window = joren_ui_dialog_new (parent, title);
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 12);
  ChoiceData *data = g_new0 (ChoiceData, 1);

  data->func = func;
  data->user_data = user_data;
  data->ok_only = ok_only;
  g_object_set_data_full (G_OBJECT (window), "joren-choice", data, g_free);
  gtk_widget_add_css_class (box, "dialog-body");
  gtk_box_append (GTK_BOX (box), joren_ui_label_new (title, "dialog-title", 0.5));
  gtk_box_append (GTK_BOX (box), buttons);
  gtk_window_set_child (window, box);
  return window;
}

GtkWidget *
joren_ui_wrap (GtkWidget *widget)
{
  GtkWidget *label = GTK_IS_BUTTON (widget) ? gtk_button_get_child (GTK_BUTTON (widget)) : widget;

  g_return_val_if_fail (GTK_IS_LABEL (label), widget);

  gtk_label_set_wrap (GTK_LABEL (label), TRUE);
  gtk_label_set_natural_wrap_mode (GTK_LABEL (label), GTK_NATURAL_WRAP_WORD);
  if (GTK_IS_BUTTON (widget))
    gtk_label_set_justify (GTK_LABEL (label), GTK_JUSTIFY_CENTER);
  return widget;
}

void
joren_ui_confirm (GtkWidget       *parent,
                  const char      *question,
                  const char      *ok_label,
                  JorenChoiceFunc  func,
                  gpointer         user_data)
{
  GtkWidget *row = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 12);
  GtkWindow *window;

  g_return_if_fail (question != NULL && ok_label != NULL && func != NULL);

  gtk_widget_add_css_class (add_choice_button (row, ok_label, 0), "destructive-action");
  add_choice_button (row, _("Cancel"), 1);
  window = build_choice_window (parent, question, row, func, user_data, TRUE);
  gtk_window_set_default_size (window, 480, -1);
  gtk_window_present (window);
}

void
joren_ui_choose (GtkWidget         *parent,
                 const char        *title,
                 const char *const *labels,
                 JorenChoiceFunc    func,
                 gpointer           user_data)
{
  GtkWidget *list = gtk_box_new (GTK_ORIENTATION_VERTICAL, 8);
  GtkWidget *scrolled = gtk_scrolled_window_new ();
  GtkWindow *window;

  g_return_if_fail (title != NULL && labels != NULL && func != NULL);

  for (int i = 0; labels[i] != NULL; i++)
    add_choice_button (list, labels[i], i);
  add_choice_button (list, _("Cancel"), -1);
  gtk_scrolled_window_set_policy (GTK_SCROLLED_WINDOW (scrolled),
                                  GTK_POLICY_NEVER, GTK_POLICY_AUTOMATIC);
  gtk_scrolled_window_set_propagate_natural_height (GTK_SCROLLED_WINDOW (scrolled), TRUE);
  gtk_scrolled_window_set_max_content_height (GTK_SCROLLED_WINDOW (scrolled), 520);
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (scrolled), list);
  window = build_choice_window (parent, title, scrolled, func, user_data, FALSE);
  gtk_window_set_default_size (window, 520, -1);
  gtk_window_present (window);
}

gboolean
joren_ui_get_sale_points (JorenDb           *db,
                          JorenSale         *sale,
                          JorenUiSalePoints *out,
                          GError           **error)
{
  gint64 customer_id;
  const char *receipt_no;
  g_autoptr(GPtrArray) entries = NULL;

  g_return_val_if_fail (JOREN_IS_DB (db) && JOREN_IS_SALE (sale) && out != NULL, FALSE);

  memset (out, 0, sizeof *out);
  customer_id = joren_sale_get_customer_id (sale);
  receipt_no = joren_sale_get_receipt_no (sale);
  if (customer_id == 0)
    return TRUE;
  /* A sale's rows are among the customer's newest. */
  entries = joren_points_list (db, customer_id, 50, error);
  if (entries == NULL)
    return FALSE;
  for (guint i = 0; i < entries->len; i++)
    {
      const JorenPointsEntry *entry = g_ptr_array_index (entries, i);

      if (receipt_no == NULL || g_strcmp0 (entry->receipt_no, receipt_no) != 0)
        continue;
      if (g_str_equal (entry->kind, "earn"))
        out->earned += entry->points;
      else if (g_str_equal (entry->kind, "redeem"))
        out->redeemed -= entry->points;
    }
  out->balance = joren_points_balance (db, customer_id, error);
  return error == NULL || *error == NULL;
}

GdkTexture *
joren_ui_texture_new_for_surface (cairo_surface_t *surface)
{
  int width, height, stride;
  const guint8 *data;
  guint32 *pixels;
  g_autoptr(GBytes) bytes = NULL;

  g_return_val_if_fail (surface != NULL, NULL);
  g_return_val_if_fail (cairo_image_surface_get_format (surface) == CAIRO_FORMAT_RGB24 ||
                        cairo_image_surface_get_format (surface) == CAIRO_FORMAT_ARGB32, NULL);

  cairo_surface_flush (surface);
  width = cairo_image_surface_get_width (surface);
  height = cairo_image_surface_get_height (surface);
  stride = cairo_image_surface_get_stride (surface);
  data = cairo_image_surface_get_data (surface);
  /* RGB24 leaves the top byte undefined; GDK would read it as alpha. */
  pixels = g_new (guint32, (gsize) width * height);
  for (int y = 0; y < height; y++)
    for (int x = 0; x < width; x++)
      pixels[(gsize) y * width + x] = ((const guint32 *) (data + (gsize) y * stride))[x] | 0xff000000u;
  bytes = g_bytes_new_take (pixels, (gsize) width * height * 4);
  return gdk_memory_texture_new (width, height, GDK_MEMORY_DEFAULT, bytes, (gsize) width * 4);
}
