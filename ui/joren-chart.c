/* joren-chart.c: bars and lines drawn with cairo inside a GtkSnapshot.
 * The value axis starts at a "nice" step (1, 2 or 5 times a power of
 * ten) so the owner reads round figures; the left margin is as wide as
 * the widest axis label, and category labels are thinned (every k-th)
 * and ellipsised to their slot so a year of days or long product names
 * never overflow the widget. */
#include "config.h"

#include <math.h>
#include <string.h>

#include <pango/pangocairo.h>

#include "joren-chart.h"

#define PAD        8.0
#define N_TICKS    4
#define LABEL_SCALE 0.8

struct _JorenChart
{
  GtkWidget            parent_instance;

  JorenChartKind       kind;
  const JorenCurrency *currency;
  GPtrArray           *labels;   /* char*, may hold NULL */
  GArray              *values;   /* gint64 */
};

G_DEFINE_FINAL_TYPE (JorenChart, joren_chart, GTK_TYPE_WIDGET)

/* The plot's geometry for one frame: value range and the inner box. */
typedef struct {
  gint64 lo, hi, step;
  double x, y, width, height;
} Frame;

/* "12,000" with the currency's separator (or ","), for counts. */
static char *
format_count (gint64      value,
              const char *separator)
{
  g_autofree char *digits = g_strdup_printf ("%" G_GUINT64_FORMAT,
                                             value < 0 ? -(guint64) value : (guint64) value);
  GString *out = g_string_new (value < 0 ? "-" : "");
  gsize len = strlen (digits);

  for (gsize i = 0; i < len; i++)
    {
      if (i > 0 && (len - i) % 3 == 0)
        g_string_append (out, separator);
      g_string_append_c (out, digits[i]);
    }
  return g_string_free (out, FALSE);
}

static char *
format_value (JorenChart *self,
              gint64      value)
{
  if (self->currency != NULL)
    return joren_money_format (value, self->currency);
  return format_count (value, ",");
}

/* The smallest of 1, 2, 5 x 10^k that splits range into at most n steps. */
static gint64
nice_step (gint64 range,
           int    n)
{
  gint64 magnitude = 1;

  while (magnitude <= G_MAXINT64 / 10 && magnitude * 10 * n <= range)
    magnitude *= 10;
  for (const int *f = (const int[]) { 1, 2, 5, 10, 0 }; *f; f++)
    if (magnitude * *f * n >= range)
      return magnitude * *f;
  return magnitude * 10;
}

static void
compute_range (JorenChart *self,
               Frame      *frame)
{
  gint64 lo = 0, hi = 0;

  for (guint i = 0; i < self->values->len; i++)
    {
      gint64 v = g_array_index (self->values, gint64, i);

      lo = MIN (lo, v);
      hi = MAX (hi, v);
    }
  if (hi == lo)
    hi = lo + 1;
  frame->step = MAX (nice_step (hi - lo, N_TICKS), 1);
  frame->lo = lo >= 0 ? 0 : -((-lo + frame->step - 1) / frame->step) * frame->step;
  frame->hi = ((hi + frame->step - 1) / frame->step) * frame->step;
  if (frame->hi == frame->lo)
    frame->hi = frame->lo + frame->step;
}

static PangoLayout *
create_layout (JorenChart *self,
               const char *text)
{
  PangoLayout *layout = gtk_widget_create_pango_layout (GTK_WIDGET (self), text);
  PangoAttrList *attrs = pango_attr_list_new ();

  pango_attr_list_insert (attrs, pango_attr_scale_new (LABEL_SCALE));
  pango_layout_set_attributes (layout, attrs);
  pango_attr_list_unref (attrs);
  return layout;
}

static int
measure_text (JorenChart *self,
              const char *text,
              int        *height)
{
  g_autoptr(PangoLayout) layout = create_layout (self, text ? text : "");
  int width;

  pango_layout_get_pixel_size (layout, &width, height);
  return width;
}

static double
value_to_y (const Frame *frame,
            gint64       value)
{
  double share = (double) (value - frame->lo) / (double) (frame->hi - frame->lo);

  return frame->y + frame->height * (1.0 - share);
}

static void
set_colour (cairo_t       *cr,
            const GdkRGBA *rgba,
            double         alpha)
{
  cairo_set_source_rgba (cr, rgba->red, rgba->green, rgba->blue, rgba->alpha * alpha);
}

/* Left margin and bottom margin from the labels this frame will draw. */
static void
place_frame (JorenChart *self,
             Frame      *frame,
             int         width,
             int         height)
{
  g_autofree char *lo = format_value (self, frame->lo);
  g_autofree char *hi = format_value (self, frame->hi);
  int text_height = 0;
  int label_width = MAX (measure_text (self, lo, &text_height),
                         measure_text (self, hi, &text_height));

  frame->x = MIN (label_width + 2 * PAD, width / 2.0);
  frame->y = PAD + text_height / 2.0;
  frame->width = MAX (width - frame->x - PAD, 1.0);
  frame->height = MAX (height - frame->y - text_height - 2 * PAD, 1.0);
}

static void
draw_value_axis (JorenChart    *self,
                 cairo_t       *cr,
                 const Frame   *frame,
                 const GdkRGBA *fg)
{
  for (gint64 v = frame->lo; v <= frame->hi; v += frame->step)
    {
      g_autofree char *text = format_value (self, v);
      g_autoptr(PangoLayout) layout = create_layout (self, text);
      double y = value_to_y (frame, v);
      int w, h;

      set_colour (cr, fg, v == 0 ? 0.5 : 0.15);
      cairo_rectangle (cr, frame->x, y - 0.5, frame->width, 1);
      cairo_fill (cr);
      pango_layout_set_width (layout, (int) (frame->x - PAD) * PANGO_SCALE);
      pango_layout_set_ellipsize (layout, PANGO_ELLIPSIZE_START);
      pango_layout_get_pixel_size (layout, &w, &h);
      set_colour (cr, fg, 0.8);
      cairo_move_to (cr, frame->x - PAD - w, y - h / 2.0);
      pango_cairo_show_layout (cr, layout);
    }
}

/* Every k-th label, so the widest one fits its share of the axis. */
static guint
label_stride (JorenChart *self,
              double      slot)
{
  int widest = 0, h;

  for (guint i = 0; i < self->labels->len; i++)
    widest = MAX (widest, measure_text (self, g_ptr_array_index (self->labels, i), &h));
  return CLAMP ((guint) ceil ((widest + PAD) / MAX (slot, 1.0)), 1, MAX (self->labels->len, 1));
}

static void
draw_category_axis (JorenChart    *self,
                    cairo_t       *cr,
                    const Frame   *frame,
                    const GdkRGBA *fg)
{
  double slot = frame->width / self->values->len;
  guint stride = label_stride (self, slot);

  for (guint i = 0; i < self->labels->len; i += stride)
    {
      const char *text = g_ptr_array_index (self->labels, i);
      g_autoptr(PangoLayout) layout = create_layout (self, text ? text : "");
      double room = MIN (slot * stride - PAD / 2, frame->width);
      double centre = frame->x + slot * (i + 0.5);
      int w, h;

      pango_layout_set_width (layout, (int) MAX (room, 1) * PANGO_SCALE);
      pango_layout_set_ellipsize (layout, PANGO_ELLIPSIZE_END);
      pango_layout_get_pixel_size (layout, &w, &h);
      centre = CLAMP (centre, frame->x + w / 2.0, frame->x + frame->width - w / 2.0);
      set_colour (cr, fg, 0.8);
      cairo_move_to (cr, centre - w / 2.0, frame->y + frame->height + PAD / 2);
      pango_cairo_show_layout (cr, layout);
    }
}

static void
draw_bars (JorenChart  *self,
           cairo_t     *cr,
           const Frame *frame)
{
  double slot = frame->width / self->values->len;
  /* Thin enough to read as bars when there are only two or three. */
  double bar = CLAMP (slot * 0.7, 1.0, 120.0);
  double zero = value_to_y (frame, 0);

  for (guint i = 0; i < self->values->len; i++)
    {
      gint64 v = g_array_index (self->values, gint64, i);
      double y = value_to_y (frame, v);

      if (v >= 0)
        cairo_set_source_rgb (cr, 0.118, 0.533, 0.898);
      else
        cairo_set_source_rgb (cr, 0.898, 0.224, 0.208);
      cairo_rectangle (cr, frame->x + slot * i + (slot - bar) / 2, MIN (y, zero),
                       bar, fabs (zero - y));
      cairo_fill (cr);
    }
}

static void
draw_line (JorenChart  *self,
           cairo_t     *cr,
           const Frame *frame)
{
  double slot = frame->width / self->values->len;

  cairo_set_source_rgb (cr, 0.118, 0.533, 0.898);
  cairo_set_line_width (cr, 3);
  cairo_set_line_join (cr, CAIRO_LINE_JOIN_ROUND);
  for (guint i = 0; i < self->values->len; i++)
    cairo_line_to (cr, frame->x + slot * (i + 0.5),
                   value_to_y (frame, g_array_index (self->values, gint64, i)));
  cairo_stroke (cr);
  /* Dots only while they stay apart. */
  for (guint i = 0; slot >= 8 && i < self->values->len; i++)
    {
      cairo_arc (cr, frame->x + slot * (i + 0.5),
                 value_to_y (frame, g_array_index (self->values, gint64, i)), 4, 0, 2 * G_PI);
      cairo_fill (cr);
    }
}

static void
joren_chart_snapshot (GtkWidget   *widget,
                      GtkSnapshot *snapshot)
{
  JorenChart *self = JOREN_CHART (widget);
  int width = gtk_widget_get_width (widget);
  int height = gtk_widget_get_height (widget);
  GdkRGBA fg;
  Frame frame;
  cairo_t *cr;

  if (self->values->len == 0 || width < 4 * PAD || height < 4 * PAD)
    return;
G_GNUC_BEGIN_IGNORE_DEPRECATIONS
  gtk_style_context_get_color (gtk_widget_get_style_context (widget), &fg);
G_GNUC_END_IGNORE_DEPRECATIONS
  compute_range (self, &frame);
  place_frame (self, &frame, width, height);
  cr = gtk_snapshot_append_cairo (snapshot, &GRAPHENE_RECT_INIT (0, 0, width, height));
  draw_value_axis (self, cr, &frame, &fg);
  if (self->kind == JOREN_CHART_BARS)
    draw_bars (self, cr, &frame);
  else
    draw_line (self, cr, &frame);
  draw_category_axis (self, cr, &frame, &fg);
  cairo_destroy (cr);
}

static void
joren_chart_measure (GtkWidget      *widget,
                     GtkOrientation  orientation,
                     int             for_size,
                     int            *minimum,
                     int            *natural,
                     int            *minimum_baseline,
                     int            *natural_baseline)
{
  *minimum = orientation == GTK_ORIENTATION_HORIZONTAL ? 160 : 120;
  *natural = orientation == GTK_ORIENTATION_HORIZONTAL ? 480 : 240;
}

static void
joren_chart_finalize (GObject *object)
{
  JorenChart *self = JOREN_CHART (object);

  g_ptr_array_unref (self->labels);
  g_array_unref (self->values);
  G_OBJECT_CLASS (joren_chart_parent_class)->finalize (object);
}

static void
joren_chart_class_init (JorenChartClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->finalize = joren_chart_finalize;
  widget_class->snapshot = joren_chart_snapshot;
  widget_class->measure = joren_chart_measure;
  gtk_widget_class_set_css_name (widget_class, "chart");
}

static void
joren_chart_init (JorenChart *self)
{
  self->labels = g_ptr_array_new_with_free_func (g_free);
  self->values = g_array_new (FALSE, FALSE, sizeof (gint64));
  gtk_widget_set_overflow (GTK_WIDGET (self), GTK_OVERFLOW_HIDDEN);
}

GtkWidget *
joren_chart_new (void)
{
  return g_object_new (JOREN_TYPE_CHART, NULL);
}

void
joren_chart_set_kind (JorenChart     *self,
                      JorenChartKind  kind)
{
  g_return_if_fail (JOREN_IS_CHART (self));

  self->kind = kind;
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

JorenChartKind
joren_chart_get_kind (JorenChart *self)
{
  g_return_val_if_fail (JOREN_IS_CHART (self), JOREN_CHART_BARS);

  return self->kind;
}

void
joren_chart_set_currency (JorenChart          *self,
                          const JorenCurrency *currency)
{
  g_return_if_fail (JOREN_IS_CHART (self));

  self->currency = currency;
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

void
joren_chart_set_data (JorenChart        *self,
                      guint              n,
                      const char *const *labels,
                      const gint64      *values)
{
  g_return_if_fail (JOREN_IS_CHART (self));
  g_return_if_fail (n == 0 || values != NULL);

  g_ptr_array_set_size (self->labels, 0);
  g_array_set_size (self->values, 0);
  for (guint i = 0; i < n; i++)
    g_ptr_array_add (self->labels, g_strdup (labels ? labels[i] : NULL));
  g_array_append_vals (self->values, values, n);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

guint
joren_chart_get_n_values (JorenChart *self)
{
  g_return_val_if_fail (JOREN_IS_CHART (self), 0);

  return self->values->len;
}

gint64
joren_chart_get_value (JorenChart *self,
                       guint       index)
{
  g_return_val_if_fail (JOREN_IS_CHART (self), 0);
  g_return_val_if_fail (index < self->values->len, 0);

  return g_array_index (self->values, gint64, index);
}
