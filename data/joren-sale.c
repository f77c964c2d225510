/* joren-sale.c: the sale (or refund) the till is building. It owns its
 * lines, discounts and tenders and derives every total from them in one
 * place (compute_totals), so what the screen shows, what the receipt prints
 * and what is stored can never disagree. Rules worth knowing:
 *  - line discounts round half up; the receipt discount is allocated over
 *    the lines by largest remainder so the shares add up exactly;
 *  - tax is computed once per rate per receipt, tax lines ordered from the
 *    highest rate down (10 % before 8 %, 19 % before 7 %, as receipts in
 *    Japan and Germany list them);
 *  - any change to the lines or the receipt discount drops the tenders
 *    already taken: the cashier takes payment again, so a payment can never
 *    be for a different total than the one shown;
 *  - a refund takes back each unit at its share of what was actually paid
 *    for the line; refunding every unit, in any number of steps, returns
 *    exactly the line's amount. */
#include "config.h"

#include <glib/gi18n.h>
/* PRId64, not G_GINT64_FORMAT, inside _(): xgettext and gettext know the
 * <inttypes.h> macros, so the message is extracted whole and translated. */
#include <inttypes.h>

#include "joren-error.h"
#include "joren-catalog.h"
#include "joren-sale.h"
#include "joren-uuid.h"

#define NO_ORIGIN G_MAXUINT
#define MAX_QTY   G_GINT64_CONSTANT (999999)

struct _JorenSale
{
  GObject        parent_instance;

  JorenShop     *shop;
  JorenSaleKind  kind;
  GArray        *lines;      /* JorenSaleLine */
  GArray        *origins;    /* guint per line: refunded original line, or NO_ORIGIN */
  JorenDiscount  discount;
  GArray        *tenders;    /* JorenTender */
  GArray        *tax_lines;  /* JorenTaxLine, highest rate first */

  gint64         subtotal;
  gint64         discount_total;
  gint64         total;
  gint64         tax_total;
  gint64         item_count;

  JorenSale     *original;
  gint64        *refunded_before;  /* per original line, by earlier refunds */
  guint          n_original;

  char          *uuid;
  gint64         id;
  char          *receipt_no;
  GDateTime     *created_at;
  gint64         staff_id;
  char          *staff_name;
  gint64         customer_id;
  char          *coupon_code;  /* joren-coupon.h */
  guint          coupon_line;  /* the free item's line, or G_MAXUINT */
};

G_DEFINE_FINAL_TYPE (JorenSale, joren_sale, G_TYPE_OBJECT)

enum {
  CHANGED,
  HOLDS_DROPPED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void
clear_line (gpointer data)
{
  JorenSaleLine *line = data;

  g_clear_pointer (&line->name, g_free);
  g_clear_pointer (&line->barcode, g_free);
  g_clear_pointer (&line->reference, g_free);
}

static void
clear_tender (gpointer data)
{
  JorenTender *tender = data;

  g_clear_pointer (&tender->reference, g_free);
  g_clear_pointer (&tender->hold_id, g_free);
}

static void
joren_sale_finalize (GObject *object)
{
  JorenSale *self = JOREN_SALE (object);

  g_clear_pointer (&self->shop, joren_shop_free);
  g_clear_pointer (&self->lines, g_array_unref);
  g_clear_pointer (&self->origins, g_array_unref);
  g_clear_pointer (&self->tenders, g_array_unref);
  g_clear_pointer (&self->tax_lines, g_array_unref);
  g_clear_object (&self->original);
  g_clear_pointer (&self->refunded_before, g_free);
  g_clear_pointer (&self->uuid, g_free);
  g_clear_pointer (&self->receipt_no, g_free);
  g_clear_pointer (&self->created_at, g_date_time_unref);
  g_clear_pointer (&self->staff_name, g_free);
  g_clear_pointer (&self->coupon_code, g_free);

  G_OBJECT_CLASS (joren_sale_parent_class)->finalize (object);
}

static void
joren_sale_class_init (JorenSaleClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = joren_sale_finalize;

  /* Emitted after every change, totals already recomputed. */
  signals[CHANGED] = g_signal_new ("changed", G_TYPE_FROM_CLASS (klass),
                                   G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                                   G_TYPE_NONE, 0);
  /* Emitted after "changed" when a change to the lines dropped tenders
   * that held a balance (joren_sale_set_tender_hold): the value layer
   * frees what they held at once rather than when it expires. */
  signals[HOLDS_DROPPED] = g_signal_new ("holds-dropped", G_TYPE_FROM_CLASS (klass),
                                         G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                                         G_TYPE_NONE, 0);
}

static void
joren_sale_init (JorenSale *self)
{
  self->lines = g_array_new (FALSE, TRUE, sizeof (JorenSaleLine));
  g_array_set_clear_func (self->lines, clear_line);
  self->origins = g_array_new (FALSE, TRUE, sizeof (guint));
  self->tenders = g_array_new (FALSE, TRUE, sizeof (JorenTender));
  g_array_set_clear_func (self->tenders, clear_tender);
  self->tax_lines = g_array_new (FALSE, TRUE, sizeof (JorenTaxLine));
  self->uuid = joren_uuid_new_ordered ();
  self->coupon_line = G_MAXUINT;
}

static JorenSale *
create_sale (const JorenShop *shop,
             JorenSaleKind    kind)
{
  JorenSale *self = g_object_new (JOREN_TYPE_SALE, NULL);

  self->shop = joren_shop_copy (shop);
  self->kind = kind;
  return self;
}

JorenSale *
joren_sale_new (const JorenShop *shop)
{
  g_return_val_if_fail (shop != NULL, NULL);
  g_return_val_if_fail (shop->currency != NULL, NULL);

  return create_sale (shop, JOREN_SALE_KIND_SALE);
}

JorenSaleKind
joren_sale_get_kind (JorenSale *self)
{
  g_return_val_if_fail (JOREN_IS_SALE (self), JOREN_SALE_KIND_SALE);

  return self->kind;
}

const JorenShop *
joren_sale_get_shop (JorenSale *self)
{
  g_return_val_if_fail (JOREN_IS_SALE (self), NULL);

  return self->shop;
}

const JorenCurrency *
joren_sale_get_currency (JorenSale *self)
{
  g_return_val_if_fail (JOREN_IS_SALE (self), NULL);

  return self->shop->currency;
}

/* ---- Totals ------------------------------------------------------------ */

/* What a discount takes off base: percent rounds half up (the customer's
 * benefit of the doubt is symmetric); an amount never exceeds the base. */
static gint64
discount_of (gint64               base,
             const JorenDiscount *discount)
{
  switch (discount->kind)
    {
    case JOREN_DISCOUNT_PERCENT:
      return joren_money_percent (base, (guint) discount->value, JOREN_ROUND_HALF_UP);
    case JOREN_DISCOUNT_AMOUNT:
      return CLAMP (discount->value, 0, MAX (base, 0));
    case JOREN_DISCOUNT_NONE:
    default:
      return 0;
    }
}

static JorenSaleLine *
line_at (JorenSale *self,
         guint      index)
{
  return &g_array_index (self->lines, JorenSaleLine, index);
}

static void
compute_line_discounts (JorenSale *self)
{
  for (guint i = 0; i < self->lines->len; i++)
    {
      JorenSaleLine *line = line_at (self, i);

      line->base = line->fixed ? line->fixed_amount : line->qty * line->unit_price;
      line->line_discount = discount_of (line->base, &line->discount);
    }
}

/* Goods and visits are sales of things: they carry tax. Money put on or
 * paid off a value account is not revenue (joren-value.h). */
static gboolean
is_taxed_line (const JorenSaleLine *line)
{
  return line->kind != JOREN_LINE_VALUE_ISSUE && line->kind != JOREN_LINE_ACCOUNT_PAYMENT;
}

/* What the receipt discount applies to: lines after their own discount;
 * negative lines (a bottle deposit paid back) take no share of it. */
static gint64
fill_discount_weights (JorenSale *self,
                       gint64    *weights)
{
  gint64 sum = 0;

  for (guint i = 0; i < self->lines->len; i++)
    {
      JorenSaleLine *line = line_at (self, i);

      /* Money for a value account is not discountable. */
      weights[i] = is_taxed_line (line)
                   ? MAX (0, line->base - line->line_discount) : 0;
      sum += weights[i];
    }

  return sum;
}

static void
compute_receipt_discount (JorenSale *self)
{
  guint n = self->lines->len;
  g_autofree gint64 *weights = g_new0 (gint64, n + 1);
  g_autofree gint64 *shares = g_new0 (gint64, n + 1);
  gint64 discount = discount_of (fill_discount_weights (self, weights), &self->discount);

  if (discount != 0)
    joren_money_allocate (discount, weights, n, shares);

  for (guint i = 0; i < n; i++)
    {
      JorenSaleLine *line = line_at (self, i);

      line->receipt_discount = shares[i];
      line->amount = line->base - line->line_discount - line->receipt_discount;
    }
}

/* The tax line for rate_bp, inserted in descending rate order if new. */
static JorenTaxLine *
tax_line_for_rate (GArray *tax_lines,
                   guint   rate_bp)
{
  JorenTaxLine fresh = { rate_bp, 0, 0, 0 };
  guint i = 0;

  while (i < tax_lines->len && g_array_index (tax_lines, JorenTaxLine, i).rate_bp > rate_bp)
    i++;
  if (i == tax_lines->len || g_array_index (tax_lines, JorenTaxLine, i).rate_bp != rate_bp)
    g_array_insert_val (tax_lines, i, fresh);

  return &g_array_index (tax_lines, JorenTaxLine, i);
}

static void
compute_tax_lines (JorenSale *self)
{
  g_array_set_size (self->tax_lines, 0);

  /* First sum each rate's line amounts (kept in .gross meanwhile), then
   * split every sum once: the per-receipt rounding the law asks for. */
  for (guint i = 0; i < self->lines->len; i++)
    {
      JorenSaleLine *line = line_at (self, i);

      if (is_taxed_line (line))
        tax_line_for_rate (self->tax_lines, line->rate_bp)->gross += line->amount;
    }

  for (guint i = 0; i < self->tax_lines->len; i++)
    {
      JorenTaxLine *tax = &g_array_index (self->tax_lines, JorenTaxLine, i);

      joren_tax_compute (tax->gross, tax->rate_bp, self->shop->prices_include_tax,
                         self->shop->tax_rounding, tax);
    }
}

static void
sum_totals (JorenSale *self)
{
  self->subtotal = self->discount_total = self->item_count = 0;
  self->total = self->tax_total = 0;

  for (guint i = 0; i < self->lines->len; i++)
    {
      JorenSaleLine *line = line_at (self, i);

      self->subtotal += line->base;
      self->discount_total += line->line_discount + line->receipt_discount;
      self->item_count += line->qty;
      if (!is_taxed_line (line))
        self->total += line->amount;
    }

  for (guint i = 0; i < self->tax_lines->len; i++)
    {
      JorenTaxLine *tax = &g_array_index (self->tax_lines, JorenTaxLine, i);

      self->total += tax->gross;
      self->tax_total += tax->tax;
    }
}

static void
compute_totals (JorenSale *self)
{
  compute_line_discounts (self);
  compute_receipt_discount (self);
  compute_tax_lines (self);
  sum_totals (self);
}

void
joren_sale_recalculate (JorenSale *self)
{
  g_return_if_fail (JOREN_IS_SALE (self));

  compute_totals (self);
  g_signal_emit (self, signals[CHANGED], 0);
}

static gboolean
has_held_tender (JorenSale *self)
{
  for (guint i = 0; i < self->tenders->len; i++)
    if (g_array_index (self->tenders, JorenTender, i).hold_id != NULL)
      return TRUE;
  return FALSE;
}

/* Lines or the receipt discount changed: the total may have moved, so
 * payment taken so far no longer matches it. */
static void
lines_changed (JorenSale *self)
{
  gboolean held = has_held_tender (self);

  g_array_set_size (self->tenders, 0);
  joren_sale_recalculate (self);
  if (held)
    g_signal_emit (self, signals[HOLDS_DROPPED], 0);
}

gint64
joren_sale_get_subtotal (JorenSale *self)
{
  g_return_val_if_fail (JOREN_IS_SALE (self), 0);

  return self->subtotal;
}

gint64
joren_sale_get_discount_total (JorenSale *self)
{
  g_return_val_if_fail (JOREN_IS_SALE (self), 0);

  return self->discount_total;
}

gint64
joren_sale_get_total (JorenSale *self)
{
  g_return_val_if_fail (JOREN_IS_SALE (self), 0);

  return self->total;
}

gint64
joren_sale_get_tax_total (JorenSale *self)
{
  g_return_val_if_fail (JOREN_IS_SALE (self), 0);

  return self->tax_total;
}

guint
joren_sale_get_n_tax_lines (JorenSale *self)
{
  g_return_val_if_fail (JOREN_IS_SALE (self), 0);

  return self->tax_lines->len;
}

const JorenTaxLine *
joren_sale_get_tax_line (JorenSale *self,
                         guint      index)
{
  g_return_val_if_fail (JOREN_IS_SALE (self), NULL);
  g_return_val_if_fail (index < self->tax_lines->len, NULL);

  return &g_array_index (self->tax_lines, JorenTaxLine, index);
}

gint64
joren_sale_get_item_count (JorenSale *self)
{
  g_return_val_if_fail (JOREN_IS_SALE (self), 0);

  return self->item_count;
}

/* ---- Lines ------------------------------------------------------------- */

guint
joren_sale_get_n_lines (JorenSale *self)
{
  g_return_val_if_fail (JOREN_IS_SALE (self), 0);

  return self->lines->len;
}

/* The pointer is valid until the sale next changes. */
const JorenSaleLine *
joren_sale_get_line (JorenSale *self,
                     guint      index)
{
  g_return_val_if_fail (JOREN_IS_SALE (self), NULL);
  g_return_val_if_fail (index < self->lines->len, NULL);

  return line_at (self, index);
}

/* Appends a deep copy of template (its strings are duplicated). */
static guint
append_copy (JorenSale           *self,
             const JorenSaleLine *template,
             guint                origin)
{
  JorenSaleLine line = *template;

  line.name = g_strdup (template->name);
  line.barcode = g_strdup (template->barcode);
  line.reference = g_strdup (template->reference);
  g_array_append_val (self->lines, line);
  g_array_append_val (self->origins, origin);

  return self->lines->len - 1;
}

static JorenSaleLine
line_for_product (const JorenProduct *product,
                  const char         *barcode)
{
  JorenSaleLine line = {
    .product_id = product->id,
    .name = product->name,
    .barcode = (char *) barcode,
    .qty = 1,
    .unit_price = product->price,
    .tax_class_id = product->tax_class_id,
    .rate_bp = product->rate_bp,
  };

  return line;
}

/* The last line of this product, if scanning it again may add to it. */
static guint
find_line_to_bump (JorenSale *self,
                   gint64     product_id)
{
  if (product_id == 0)
    return G_MAXUINT;

  for (guint i = self->lines->len; i-- > 0;)
    {
      JorenSaleLine *line = line_at (self, i);

      if (line->product_id == product_id)
        return (!line->fixed && line->discount.kind == JOREN_DISCOUNT_NONE) ? i : G_MAXUINT;
    }

  return G_MAXUINT;
}

guint
joren_sale_add_product (JorenSale          *self,
                        const JorenProduct *product,
                        gint64              qty,
                        const char         *barcode)
{
  guint index;

  g_return_val_if_fail (JOREN_IS_SALE (self), G_MAXUINT);
  g_return_val_if_fail (self->kind == JOREN_SALE_KIND_SALE, G_MAXUINT);
  g_return_val_if_fail (product != NULL, G_MAXUINT);
  g_return_val_if_fail (qty >= 1 && qty <= MAX_QTY, G_MAXUINT);

  index = find_line_to_bump (self, product->id);
  if (index != G_MAXUINT)
    {
      line_at (self, index)->qty += qty;
    }
  else
    {
      JorenSaleLine line = line_for_product (product, barcode);

      line.qty = qty;
      index = append_copy (self, &line, NO_ORIGIN);
    }

  lines_changed (self);
  return index;
}

/* Weighed goods: the product's price is per kilogram. */
guint
joren_sale_add_in_store (JorenSale          *self,
                         const JorenProduct *product,
                         const JorenBarcode *barcode)
{
  JorenSaleLine line;
  guint index;

  g_return_val_if_fail (JOREN_IS_SALE (self), G_MAXUINT);
  g_return_val_if_fail (self->kind == JOREN_SALE_KIND_SALE, G_MAXUINT);
  g_return_val_if_fail (product != NULL && barcode != NULL, G_MAXUINT);
  g_return_val_if_fail (barcode->in_store, G_MAXUINT);
  g_return_val_if_fail (product->embed != JOREN_EMBED_NONE, G_MAXUINT);

  line = line_for_product (product, barcode->code);
  line.fixed = TRUE;
  if (product->embed == JOREN_EMBED_WEIGHT)
    {
      line.weight_g = barcode->embedded_value;
      line.fixed_amount = joren_money_div_round (product->price * barcode->embedded_value,
                                                 1000, JOREN_ROUND_HALF_UP);
    }
  else
    {
      line.unit_price = barcode->embedded_value;
      line.fixed_amount = barcode->embedded_value;
    }

  index = append_copy (self, &line, NO_ORIGIN);
  lines_changed (self);
  return index;
}

guint
joren_sale_add_value_line (JorenSale     *self,
                           JorenLineKind  kind,
                           const char    *name,
                           const char    *reference,
                           gint64         amount)
{
  JorenSaleLine line = { 0, };
  guint index;

  g_return_val_if_fail (JOREN_IS_SALE (self), G_MAXUINT);
  g_return_val_if_fail (self->kind == JOREN_SALE_KIND_SALE, G_MAXUINT);
  g_return_val_if_fail (kind == JOREN_LINE_VALUE_ISSUE || kind == JOREN_LINE_ACCOUNT_PAYMENT,
                        G_MAXUINT);
  g_return_val_if_fail (name != NULL && reference != NULL, G_MAXUINT);
  g_return_val_if_fail (amount > 0, G_MAXUINT);

  line.name = (char *) name;
  line.reference = (char *) reference;
  line.kind = kind;
  line.qty = 1;
  line.unit_price = amount;
  line.fixed = TRUE;
  line.fixed_amount = amount;

  index = append_copy (self, &line, NO_ORIGIN);
  lines_changed (self);
  return index;
}

gint64
joren_sale_get_goods_total (JorenSale *self)
{
  gint64 sum = 0;

  g_return_val_if_fail (JOREN_IS_SALE (self), 0);

  for (guint i = 0; i < self->lines->len; i++)
    if (is_taxed_line (line_at (self, i)))
      sum += line_at (self, i)->amount;
  return sum;
}

guint
joren_sale_add_open_item (JorenSale  *self,
                          const char *name,
                          gint64      unit_price,
                          gint64      tax_class_id,
                          guint       rate_bp)
{
  JorenSaleLine line = { 0, };
  guint index;

  g_return_val_if_fail (JOREN_IS_SALE (self), G_MAXUINT);
  g_return_val_if_fail (self->kind == JOREN_SALE_KIND_SALE, G_MAXUINT);
  g_return_val_if_fail (name != NULL, G_MAXUINT);

  line.name = (char *) name;
  line.qty = 1;
  line.unit_price = unit_price;
  line.tax_class_id = tax_class_id;
  line.rate_bp = rate_bp;

  index = append_copy (self, &line, NO_ORIGIN);
  lines_changed (self);
  return index;
}

gboolean
joren_sale_set_line_qty (JorenSale  *self,
                         guint       index,
                         gint64      qty,
                         GError    **error)
{
  JorenSaleLine *line;

  g_return_val_if_fail (JOREN_IS_SALE (self), FALSE);
  g_return_val_if_fail (index < self->lines->len, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  line = line_at (self, index);
  if (line->fixed)
    {
      g_set_error (error, JOREN_DATA_ERROR, JOREN_DATA_ERROR_INVALID,
                   _("The amount of “%s” is fixed; its quantity cannot be changed."),
                   line->name);
      return FALSE;
    }
  if (qty < 1 || qty > MAX_QTY)
    {
      g_set_error (error, JOREN_DATA_ERROR, JOREN_DATA_ERROR_INVALID,
                   _("The quantity must be between 1 and %" PRId64 ". "
                     "To take an item off the sale, remove its line."), MAX_QTY);
      return FALSE;
    }

  line->qty = qty;
  lines_changed (self);
  return TRUE;
}

static gboolean
refuse_discount (GError     **error,
                 const char  *message)
{
  g_set_error_literal (error, JOREN_DATA_ERROR, JOREN_DATA_ERROR_INVALID, message);
  return FALSE;
}

/* too_large: the message when an amount exceeds limit. */
static gboolean
check_discount (JorenSale            *self,
                const JorenDiscount  *discount,
                gint64                limit,
                const char           *too_large,
                GError              **error)
{
  if (self->kind == JOREN_SALE_KIND_REFUND && discount->kind != JOREN_DISCOUNT_NONE)
    return refuse_discount (error, _("A refund cannot be discounted: it pays back what was paid."));

  if (discount->kind == JOREN_DISCOUNT_PERCENT &&
      (discount->value < 0 || discount->value > 10000))
    return refuse_discount (error, _("A discount must be between 0% and 100%."));

  if (discount->kind == JOREN_DISCOUNT_AMOUNT && discount->value < 0)
    return refuse_discount (error, _("A discount cannot be negative."));

  if (discount->kind == JOREN_DISCOUNT_AMOUNT && discount->value > limit)
    return refuse_discount (error, too_large);

  return TRUE;
}

gboolean
joren_sale_set_line_discount (JorenSale            *self,
                              guint                 index,
                              const JorenDiscount  *discount,
                              GError              **error)
{
  JorenSaleLine *line;

  g_return_val_if_fail (JOREN_IS_SALE (self), FALSE);
  g_return_val_if_fail (index < self->lines->len, FALSE);
  g_return_val_if_fail (discount != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  line = line_at (self, index);
  if (!check_discount (self, discount, line->base,
                       _("Discount is larger than the line."), error))
    return FALSE;

  line->discount = *discount;
  lines_changed (self);
  return TRUE;
}

void
joren_sale_remove_line (JorenSale *self,
                        guint      index)
{
  g_return_if_fail (JOREN_IS_SALE (self));
  g_return_if_fail (index < self->lines->len);

  g_array_remove_index (self->lines, index);
  g_array_remove_index (self->origins, index);
  if (self->coupon_line == index)
    g_clear_pointer (&self->coupon_code, g_free);
  if (self->coupon_line != G_MAXUINT && self->coupon_line >= index)
    self->coupon_line = self->coupon_code != NULL ? self->coupon_line - 1 : G_MAXUINT;
  lines_changed (self);
}

gboolean
joren_sale_set_discount (JorenSale            *self,
                         const JorenDiscount  *discount,
                         GError              **error)
{
  g_autofree gint64 *weights = NULL;
  gint64 limit;

  g_return_val_if_fail (JOREN_IS_SALE (self), FALSE);
  g_return_val_if_fail (discount != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  weights = g_new0 (gint64, self->lines->len + 1);
  limit = fill_discount_weights (self, weights);
  if (!check_discount (self, discount, limit,
                       _("Discount is larger than the sale."), error))
    return FALSE;

  self->discount = *discount;
  lines_changed (self);
  return TRUE;
}

const JorenDiscount *
joren_sale_get_discount (JorenSale *self)
{
  g_return_val_if_fail (JOREN_IS_SALE (self), NULL);

  return &self->discount;
}

void
joren_sale_clear (JorenSale *self)
{
  g_return_if_fail (JOREN_IS_SALE (self));

  g_array_set_size (self->lines, 0);
  g_array_set_size (self->origins, 0);
  self->discount.kind = JOREN_DISCOUNT_NONE;
  self->discount.value = 0;
  /* Clear starts over for the next person in the queue. */
  self->customer_id = 0;
  g_clear_pointer (&self->coupon_code, g_free);
  self->coupon_line = G_MAXUINT;
  lines_changed (self);
}

/* ---- Tenders ----------------------------------------------------------- */

/* +1 on a sale, -1 on a refund: multiplying by it turns every refund
 * rule into the sale rule, so the two cannot drift apart. */
static gint64
direction (JorenSale *self)
{
  return self->kind == JOREN_SALE_KIND_REFUND ? -1 : 1;
}

static gint64
sum_tenders (JorenSale *self,
             gboolean   cash_only)
{
  gint64 sum = 0;

  for (guint i = 0; i < self->tenders->len; i++)
    {
      JorenTender *tender = &g_array_index (self->tenders, JorenTender, i);

      if (!cash_only || tender->kind == JOREN_TENDER_CASH)
        sum += tender->amount;
    }

  return sum;
}

static gboolean
refuse_tender (GError     **error,
               const char  *message)
{
  g_set_error_literal (error, JOREN_DATA_ERROR, JOREN_DATA_ERROR_INVALID, message);
  return FALSE;
}

static gboolean
check_tender (JorenSale        *self,
              JorenTenderKind   kind,
              gint64            amount,
              GError          **error)
{
  gint64 dir = direction (self);
  gint64 remaining = dir * (self->total - sum_tenders (self, FALSE));
  g_autofree char *shown_amount = NULL;
  g_autofree char *shown_due = NULL;

  if (self->lines->len == 0)
    return refuse_tender (error, _("Add an item before taking payment."));
  if (dir * amount <= 0)
    return refuse_tender (error, self->kind == JOREN_SALE_KIND_REFUND
                          ? _("A refund pays money out: enter the amount below zero.")
                          : _("Enter an amount above zero."));
  if (remaining <= 0)
    return refuse_tender (error, _("This sale is already paid in full."));
  if (kind == JOREN_TENDER_CASH || dir * amount <= remaining)
    return TRUE;

  shown_amount = joren_money_format (dir * amount, self->shop->currency);
  shown_due = joren_money_format (remaining, self->shop->currency);
  g_set_error (error, JOREN_DATA_ERROR, JOREN_DATA_ERROR_INVALID,
               _("%s is more than the %s still due. Only cash can be more than what is due."),
               shown_amount, shown_due);
  return FALSE;
}

gboolean
joren_sale_add_tender (JorenSale        *self,
                       JorenTenderKind   kind,
                       gint64            amount,
                       const char       *reference,
                       GError          **error)
{
  JorenTender tender = { kind, amount, NULL, NULL };

  g_return_val_if_fail (JOREN_IS_SALE (self), FALSE);
  g_return_val_if_fail (kind <= JOREN_TENDER_ACCOUNT, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (!check_tender (self, kind, amount, error))
    return FALSE;

  tender.reference = g_strdup (reference);
  g_array_append_val (self->tenders, tender);
  g_signal_emit (self, signals[CHANGED], 0);
  return TRUE;
}

void
joren_sale_clear_tenders (JorenSale *self)
{
  g_return_if_fail (JOREN_IS_SALE (self));

  g_array_set_size (self->tenders, 0);
  g_signal_emit (self, signals[CHANGED], 0);
}

void
joren_sale_remove_tender (JorenSale *self,
                          guint      index)
{
  g_return_if_fail (JOREN_IS_SALE (self));
  g_return_if_fail (index < self->tenders->len);

  g_array_remove_index (self->tenders, index);
  g_signal_emit (self, signals[CHANGED], 0);
}

void
joren_sale_set_tender_hold (JorenSale  *self,
                            guint       index,
                            const char *hold_id)
{
  JorenTender *tender;

  g_return_if_fail (JOREN_IS_SALE (self));
  g_return_if_fail (index < self->tenders->len);

  tender = &g_array_index (self->tenders, JorenTender, index);
  g_free (tender->hold_id);
  tender->hold_id = g_strdup (hold_id);
}

guint
joren_sale_get_n_tenders (JorenSale *self)
{
  g_return_val_if_fail (JOREN_IS_SALE (self), 0);

  return self->tenders->len;
}

const JorenTender *
joren_sale_get_tender (JorenSale *self,
                       guint      index)
{
  g_return_val_if_fail (JOREN_IS_SALE (self), NULL);
  g_return_val_if_fail (index < self->tenders->len, NULL);

  return &g_array_index (self->tenders, JorenTender, index);
}

gint64
joren_sale_get_paid (JorenSale *self)
{
  g_return_val_if_fail (JOREN_IS_SALE (self), 0);

  return sum_tenders (self, FALSE);
}

gint64
joren_sale_get_due (JorenSale *self)
{
  gint64 dir;

  g_return_val_if_fail (JOREN_IS_SALE (self), 0);

  dir = direction (self);
  return dir * MAX (0, dir * (self->total - sum_tenders (self, FALSE)));
}

gboolean
joren_sale_is_settled (JorenSale *self)
{
  g_return_val_if_fail (JOREN_IS_SALE (self), FALSE);

  return self->lines->len > 0 &&
         direction (self) * (sum_tenders (self, FALSE) - self->total) >= 0;
}

/* Change comes only out of cash and never exceeds the cash handed over.
 * On a refund it is <= 0: what the customer hands back. */
gint64
joren_sale_get_change (JorenSale *self)
{
  gint64 dir, over, cash;

  g_return_val_if_fail (JOREN_IS_SALE (self), 0);

  if (!joren_sale_is_settled (self))
    return 0;

  dir = direction (self);
  over = dir * (sum_tenders (self, FALSE) - self->total);
  cash = dir * sum_tenders (self, TRUE);
  return dir * MAX (0, MIN (over, cash));
}

/* ---- Refunds ----------------------------------------------------------- */

/* original may be NULL when the data layer loads a stored refund; such a
 * refund cannot take new lines. */
JorenSale *
joren_sale_new_refund (const JorenShop *shop,
                       JorenSale       *original,
                       const gint64    *already_refunded_qty)
{
  JorenSale *self;

  g_return_val_if_fail (shop != NULL && shop->currency != NULL, NULL);
  g_return_val_if_fail (original == NULL || JOREN_IS_SALE (original), NULL);
  g_return_val_if_fail (original == NULL || original->kind == JOREN_SALE_KIND_SALE, NULL);

  self = create_sale (shop, JOREN_SALE_KIND_REFUND);
  if (original == NULL)
    return self;

  self->original = g_object_ref (original);
  self->customer_id = original->customer_id;
  self->n_original = original->lines->len;
  self->refunded_before = g_new0 (gint64, self->n_original + 1);
  if (already_refunded_qty != NULL)
    for (guint i = 0; i < self->n_original; i++)
      self->refunded_before[i] = already_refunded_qty[i];

  return self;
}

JorenSale *
joren_sale_get_original (JorenSale *self)
{
  g_return_val_if_fail (JOREN_IS_SALE (self), NULL);

  return self->original;
}

/* This refund's line for an original line (one at most), or G_MAXUINT. */
static guint
find_refund_line (JorenSale *self,
                  guint      original_index)
{
  for (guint i = 0; i < self->origins->len; i++)
    if (g_array_index (self->origins, guint, i) == original_index)
      return i;

  return G_MAXUINT;
}

static gint64
taken_in_this_refund (JorenSale *self,
                      guint      original_index)
{
  guint index = find_refund_line (self, original_index);

  return index == G_MAXUINT ? 0 : -line_at (self, index)->qty;
}

gint64
joren_sale_get_refundable_qty (JorenSale *self,
                               guint      original_index)
{
  const JorenSaleLine *original;

  g_return_val_if_fail (JOREN_IS_SALE (self), 0);
  g_return_val_if_fail (original_index < self->n_original, 0);

  original = line_at (self->original, original_index);
  return MAX (0, original->qty - self->refunded_before[original_index] -
                 taken_in_this_refund (self, original_index));
}

/* What the first `units` units of a line cost, in exact proportion of
 * what was paid for the whole line: the pieces of any split add up to it. */
static gint64
paid_for_units (const JorenSaleLine *original,
                gint64               units)
{
  return joren_money_div_round (original->amount * units, original->qty,
                                JOREN_ROUND_HALF_UP);
}

static gboolean
check_refund_qty (JorenSale  *self,
                  guint       original_index,
                  gint64      qty,
                  GError    **error)
{
  gint64 refundable;
  const char *name;

  if (self->original == NULL || original_index >= self->n_original)
    {
      g_set_error_literal (error, JOREN_DATA_ERROR, JOREN_DATA_ERROR_NOT_FOUND,
                           _("That line is not on the original receipt."));
      return FALSE;
    }

  refundable = joren_sale_get_refundable_qty (self, original_index);
  name = line_at (self->original, original_index)->name;
  if (refundable == 0)
    g_set_error (error, JOREN_DATA_ERROR, JOREN_DATA_ERROR_INVALID,
                 _("“%s” has already been refunded in full."), name);
  else if (qty < 1 || qty > refundable)
    g_set_error (error, JOREN_DATA_ERROR, JOREN_DATA_ERROR_INVALID,
                 _("Between 1 and %" PRId64 " of “%s” can be refunded."),
                 refundable, name);

  return refundable > 0 && qty >= 1 && qty <= refundable;
}

static guint
append_refund_line (JorenSale           *self,
                    guint                original_index,
                    const JorenSaleLine *original)
{
  JorenSaleLine line = *original;

  line.fixed = TRUE;
  line.qty = 0;
  line.discount.kind = JOREN_DISCOUNT_NONE;
  line.discount.value = 0;
  line.original_line_id = original->id;
  line.id = 0;

  return append_copy (self, &line, original_index);
}

guint
joren_sale_add_refund_line (JorenSale  *self,
                            guint       original_index,
                            gint64      qty,
                            GError    **error)
{
  const JorenSaleLine *original;
  JorenSaleLine *line;
  gint64 before, taken;
  guint index;

  g_return_val_if_fail (JOREN_IS_SALE (self), G_MAXUINT);
  g_return_val_if_fail (self->kind == JOREN_SALE_KIND_REFUND, G_MAXUINT);
  g_return_val_if_fail (error == NULL || *error == NULL, G_MAXUINT);

  if (!check_refund_qty (self, original_index, qty, error))
    return G_MAXUINT;

  original = line_at (self->original, original_index);
  index = find_refund_line (self, original_index);
  if (index == G_MAXUINT)
    index = append_refund_line (self, original_index, original);

  /* One line per original line; its amount is always the cumulative
   * share from what earlier refunds took, so rounding never drifts. */
  line = line_at (self, index);
  before = self->refunded_before[original_index];
  taken = -line->qty + qty;
  line->qty = -taken;
  line->fixed_amount = -(paid_for_units (original, before + taken) -
                         paid_for_units (original, before));

  lines_changed (self);
  return index;
}

/* ---- Identity and the data layer ---------------------------------------- */

const char *
joren_sale_get_uuid (JorenSale *self)
{
  g_return_val_if_fail (JOREN_IS_SALE (self), NULL);

  return self->uuid;
}

gint64
joren_sale_get_id (JorenSale *self)
{
  g_return_val_if_fail (JOREN_IS_SALE (self), 0);

  return self->id;
}

const char *
joren_sale_get_receipt_no (JorenSale *self)
{
  g_return_val_if_fail (JOREN_IS_SALE (self), NULL);

  return self->receipt_no;
}

GDateTime *
joren_sale_get_created_at (JorenSale *self)
{
  g_return_val_if_fail (JOREN_IS_SALE (self), NULL);

  return self->created_at;
}

gint64
joren_sale_get_staff_id (JorenSale *self)
{
  g_return_val_if_fail (JOREN_IS_SALE (self), 0);

  return self->staff_id;
}

const char *
joren_sale_get_staff_name (JorenSale *self)
{
  g_return_val_if_fail (JOREN_IS_SALE (self), NULL);

  return self->staff_name;
}

void
joren_sale_set_staff (JorenSale  *self,
                      gint64      staff_id,
                      const char *staff_name)
{
  g_return_if_fail (JOREN_IS_SALE (self));

  self->staff_id = staff_id;
  g_free (self->staff_name);
  self->staff_name = g_strdup (staff_name);
  g_signal_emit (self, signals[CHANGED], 0);
}

gint64
joren_sale_get_customer_id (JorenSale *self)
{
  g_return_val_if_fail (JOREN_IS_SALE (self), 0);

  return self->customer_id;
}

void
joren_sale_set_customer (JorenSale *self,
                         gint64     customer_id)
{
  g_return_if_fail (JOREN_IS_SALE (self));
  g_return_if_fail (customer_id >= 0);

  self->customer_id = customer_id;
  g_signal_emit (self, signals[CHANGED], 0);
}

void
joren_sale_set_coupon (JorenSale  *self,
                       const char *code,
                       guint       line_index)
{
  g_return_if_fail (JOREN_IS_SALE (self));
  g_return_if_fail (line_index == G_MAXUINT || line_index < self->lines->len);

  g_free (self->coupon_code);
  self->coupon_code = g_strdup (code);
  self->coupon_line = code != NULL ? line_index : G_MAXUINT;
  g_signal_emit (self, signals[CHANGED], 0);
}

const char *
joren_sale_get_coupon_code (JorenSale *self)
{
  g_return_val_if_fail (JOREN_IS_SALE (self), NULL);

  return self->coupon_code;
}

guint
joren_sale_get_coupon_line (JorenSale *self)
{
  g_return_val_if_fail (JOREN_IS_SALE (self), G_MAXUINT);

  return self->coupon_line;
}

/* uuid NULL keeps the one generated at creation. */
void
joren_sale_set_stored (JorenSale  *self,
                       gint64      id,
                       const char *uuid,
                       const char *receipt_no,
                       GDateTime  *created_at)
{
  g_return_if_fail (JOREN_IS_SALE (self));

  self->id = id;
  if (uuid != NULL)
    {
      g_free (self->uuid);
      self->uuid = g_strdup (uuid);
    }
  g_free (self->receipt_no);
  self->receipt_no = g_strdup (receipt_no);
  g_clear_pointer (&self->created_at, g_date_time_unref);
  self->created_at = created_at ? g_date_time_ref (created_at) : NULL;
  g_signal_emit (self, signals[CHANGED], 0);
}

/* Call joren_sale_recalculate() after changing the line. */
JorenSaleLine *
joren_sale_get_line_mutable (JorenSale *self,
                             guint      index)
{
  g_return_val_if_fail (JOREN_IS_SALE (self), NULL);
  g_return_val_if_fail (index < self->lines->len, NULL);

  return line_at (self, index);
}

/* The original line a stored refund line took back, found by its id. */
static guint
find_original_by_id (JorenSale *self,
                     gint64     original_line_id)
{
  if (self->original == NULL || original_line_id == 0)
    return NO_ORIGIN;

  for (guint i = 0; i < self->n_original; i++)
    if (line_at (self->original, i)->id == original_line_id)
      return i;

  return NO_ORIGIN;
}

/* Loading a stored sale: lines first, then tenders. Unlike the till's
 * operations this keeps tenders, since they were stored with the lines. */
void
joren_sale_append_line (JorenSale           *self,
                        const JorenSaleLine *line)
{
  g_return_if_fail (JOREN_IS_SALE (self));
  g_return_if_fail (line != NULL);

  append_copy (self, line, find_original_by_id (self, line->original_line_id));
  joren_sale_recalculate (self);
}
