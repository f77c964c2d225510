/* joren-coupon-mail-dialog.c: e-mailing a campaign's codes to a segment
 * (see joren-coupon-mail-dialog.h). Both the preview and the send run in
 * worker threads on connections of their own (joren-coupon-mail.h): a
 * segment of a million members or a slow mail server never freezes the
 * back office. A newer preview cancels the older one; edits to the
 * message are previewed once typing pauses. While sending, the dialog
 * cannot be closed: the run's result is shown where it was started. */
#include "config.h"

#include <inttypes.h>

#include <glib/gi18n.h>

#include "joren-coupon-mail.h"
#include "joren-coupon-mail-dialog.h"
#include "joren-ui.h"

#define PERIOD_DAYS 90
#define PREVIEW_DELAY_MS 400
#define MAX_FAILED_SHOWN 5

/* The ready segments offered here, in JorenPromotionsSegment order. */
static const char * const segment_labels[] = {
  N_("All customers"), N_("Best customers"), N_("Lapsed"), N_("Birthdays this month"),
  N_("First-time visitors"),
};
G_STATIC_ASSERT (G_N_ELEMENTS (segment_labels) == JOREN_PROMOTIONS_TIER);

struct _JorenCouponMailDialog
{
  GtkWindow               parent_instance;

  GtkLabel               *title_label;
  GtkWidget              *form_box;
  GtkGrid                *segments_grid;
  GtkEditable            *subject_entry;
  GtkTextView            *body_view;
  GtkLabel               *preview_label;
  GtkLabel               *sample_label;
  GtkLabel               *result_label;
  GtkWidget              *log_label;
  GtkLabel               *error_label;
  GtkButton              *close_button;
  GtkSpinner             *spinner;
  GtkWidget              *send_button;
  GtkToggleButton        *segment_buttons[G_N_ELEMENTS (segment_labels)];

  JorenDb                *db;
  JorenCouponCampaign    *campaign;
  gint64                  staff_id;
  JorenPromotionsSegment  segment;
  GDateTime              *now;
  GDateTime              *from;         /* PERIOD_DAYS before now */
  GCancellable           *previewing;
  guint                   preview_source;
  gint64                  count;        /* -1: being worked out */
  gboolean                can_send;     /* a mail server is set up */
  gboolean                sending;
};

G_DEFINE_FINAL_TYPE (JorenCouponMailDialog, joren_coupon_mail_dialog, GTK_TYPE_WINDOW)

static void
set_error (JorenCouponMailDialog *self,
           const char            *message)
{
  gtk_label_set_text (self->error_label, message != NULL ? message : "");
  gtk_widget_set_visible (GTK_WIDGET (self->error_label), message != NULL);
}

/* --- what is sent to whom --- */

/* Borrows the dialog's times: the async calls copy the filter. */
static void
build_filter (JorenCouponMailDialog *self,
              JorenSegmentFilter    *filter)
{
  *filter = (JorenSegmentFilter) { 0 };
  switch (self->segment)
    {
    case JOREN_PROMOTIONS_BEST:
      joren_segment_preset_best (filter, self->from, self->now);
      filter->conditions |= JOREN_SEGMENT_SPEND_MIN;
      filter->spend_min = 1;
      break;
    case JOREN_PROMOTIONS_LAPSED:
      joren_segment_preset_lapsed (filter, self->now, PERIOD_DAYS);
      break;
    case JOREN_PROMOTIONS_BIRTHDAYS:
      joren_segment_preset_birthdays (filter, self->now);
      break;
    case JOREN_PROMOTIONS_FIRST_TIME:
      joren_segment_preset_first_time (filter, self->from, self->now);
      break;
    case JOREN_PROMOTIONS_ALL:
    case JOREN_PROMOTIONS_TIER:
    default:
      break;
    }
}

static char *
get_body (JorenCouponMailDialog *self)
{
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (self->body_view);
  GtkTextIter start, end;

  gtk_text_buffer_get_bounds (buffer, &start, &end);
  return gtk_text_buffer_get_text (buffer, &start, &end, FALSE);
}

/* The send log names the run by campaign and segment. */
static char *
run_name (JorenCouponMailDialog *self)
{
  return g_strdup_printf ("%s · %s", self->campaign->name, _(segment_labels[self->segment]));
}

static JorenPromotion
make_promotion (JorenCouponMailDialog *self,
                const char            *name,
                const char            *body)
{
  return (JorenPromotion) { JOREN_PROMOTION_EMAIL, name,
                            gtk_editable_get_text (self->subject_entry), body };
}

/* --- the preview --- */

static void
update_send_button (JorenCouponMailDialog *self)
{
  g_autofree char *label = NULL;

  if (self->count > 0)
    label = g_strdup_printf (g_dngettext (NULL, "Send to %" PRId64 " customer",
                                          "Send to %" PRId64 " customers", self->count),
                             self->count);
  gtk_button_set_label (GTK_BUTTON (self->send_button), label != NULL ? label : _("Send"));
  gtk_widget_set_sensitive (self->send_button, self->can_send && !self->sending && self->count > 0);
}

static char *
describe_sample (const JorenPromotionPreview *preview)
{
  const JorenPromotionMessage *message;

  if (preview->samples->len == 0)
    return g_strdup (_("Nobody in this segment can be e-mailed."));
  message = g_ptr_array_index (preview->samples, 0);
  /* TRANSLATORS: a sample message: the address, the subject, the text */
  return g_strdup_printf (_("To: %s\nSubject: %s\n\n%s"), message->to, message->subject,
                          message->body);
}

static void
show_preview (JorenCouponMailDialog       *self,
              const JorenPromotionPreview *preview)
{
  g_autofree char *reach = NULL;
  g_autofree char *left = NULL;
  g_autofree char *text = NULL;
  g_autofree char *sample = describe_sample (preview);

  reach = g_strdup_printf (g_dngettext (NULL,
                                        "%" PRIu64 " customer with e-mail consent will get a code of their own.",
                                        "%" PRIu64 " customers with e-mail consent will each get a code of their own.",
                                        preview->recipients),
                           preview->recipients);
  left = g_strdup_printf (_("Left out: %" PRIu64 " without consent, %" PRIu64
                            " without an e-mail address."),
                          preview->no_consent, preview->no_address);
  text = g_strdup_printf ("%s\n%s", reach, left);
  gtk_label_set_text (self->preview_label, text);
  gtk_label_set_text (self->sample_label, sample);
  self->count = (gint64) preview->recipients;
  update_send_button (self);
}

static void
previewed_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(JorenCouponMailDialog) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(JorenPromotionPreview) preview = NULL;

  preview = joren_coupon_mail_preview_finish (JOREN_DB (source), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;   /* a newer preview is on its way */
  g_clear_object (&self->previewing);
  if (preview == NULL)
    {
      gtk_label_set_text (self->preview_label, error->message);
      return;
    }
  show_preview (self, preview);
}

static void
start_preview (JorenCouponMailDialog *self)
{
  g_autofree char *name = run_name (self);
  g_autofree char *body = get_body (self);
  JorenPromotion promotion = make_promotion (self, name, body);
  JorenSegmentFilter filter;

  g_clear_handle_id (&self->preview_source, g_source_remove);
  g_cancellable_cancel (self->previewing);
  g_clear_object (&self->previewing);
  self->previewing = g_cancellable_new ();
  self->count = -1;
  update_send_button (self);
  gtk_label_set_text (self->preview_label, _("Counting…"));
  build_filter (self, &filter);
  joren_coupon_mail_preview_async (self->db, &filter, &promotion, 1, self->previewing,
                                   previewed_cb, g_object_ref (self));
}

static gboolean
preview_due_cb (gpointer user_data)
{
  JorenCouponMailDialog *self = user_data;

  self->preview_source = 0;
  start_preview (self);
  return G_SOURCE_REMOVE;
}

/* The message changed: previewed again once typing pauses. */
static void
message_changed_cb (JorenCouponMailDialog *self)
{
  g_clear_handle_id (&self->preview_source, g_source_remove);
  self->count = -1;
  update_send_button (self);
  self->preview_source = g_timeout_add (PREVIEW_DELAY_MS, preview_due_cb, self);
}

static void
segment_toggled_cb (GtkToggleButton       *button,
                    JorenCouponMailDialog *self)
{
  if (!gtk_toggle_button_get_active (button))
    return;
  self->segment = GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (button), "joren-segment"));
  start_preview (self);
}

static void
build_segment_buttons (JorenCouponMailDialog *self)
{
  for (guint i = 0; i < G_N_ELEMENTS (segment_labels); i++)
    {
      GtkWidget *button = joren_ui_wrap (gtk_toggle_button_new_with_label (_(segment_labels[i])));

      if (i > 0)
        gtk_toggle_button_set_group (GTK_TOGGLE_BUTTON (button), self->segment_buttons[0]);
      g_object_set_data (G_OBJECT (button), "joren-segment", GUINT_TO_POINTER (i));
      gtk_grid_attach (self->segments_grid, button, i % 3, i / 3, 1, 1);
      self->segment_buttons[i] = GTK_TOGGLE_BUTTON (button);
    }
}

/* --- sending --- */

static void
set_sending (JorenCouponMailDialog *self,
             gboolean               sending)
{
  self->sending = sending;
  gtk_spinner_set_spinning (self->spinner, sending);
  gtk_widget_set_visible (GTK_WIDGET (self->spinner), sending);
  gtk_widget_set_sensitive (self->form_box, !sending);
  gtk_widget_set_sensitive (GTK_WIDGET (self->close_button), !sending);
  update_send_button (self);
}

static void
show_result_text (JorenCouponMailDialog *self,
                  const char            *text)
{
  gtk_label_set_text (self->result_label, text);
  gtk_widget_set_visible (GTK_WIDGET (self->result_label), TRUE);
}

/* "Sent: 3 · Failed: 1" from the run's send log, with who failed and why. */
static char *
describe_run (JorenCouponMailDialog *self,
              gint64                 run_id)
{
  g_autoptr(GPtrArray) recipients = joren_promotion_list_recipients (self->db, run_id, NULL);
  g_autoptr(GString) failed = g_string_new (NULL);
  guint n_sent = 0, n_failed = 0, n_pending = 0;

  for (guint i = 0; recipients != NULL && i < recipients->len; i++)
    {
      const JorenPromotionRecipient *recipient = g_ptr_array_index (recipients, i);

      if (g_str_equal (recipient->status, "sent"))
        n_sent++;
      else if (g_str_equal (recipient->status, "pending"))
        n_pending++;
      else if (n_failed++ < MAX_FAILED_SHOWN)
        g_string_append_printf (failed, "\n%s: %s", recipient->name ? recipient->name : "",
                                recipient->error ? recipient->error : "");
    }
  /* TRANSLATORS: after e-mailing coupon codes; then who failed and why */
  return g_strdup_printf (_("Sent: %u · Failed: %u · Not sent: %u%s"), n_sent, n_failed, n_pending,
                          failed->str);
}

static void
sent_cb (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr(JorenCouponMailDialog) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;
  gint64 run_id = 0;

  joren_coupon_send_to_segment_finish (JOREN_DB (source), result, &run_id, NULL, &error);
  if (self->result_label == NULL)
    return;   /* destroyed with its parent meanwhile: the send log has it */
  set_sending (self, FALSE);
  set_error (self, error != NULL ? error->message : NULL);
  if (run_id != 0)
    show_result_text (self, text = describe_run (self, run_id));
  gtk_widget_set_visible (self->log_label, run_id != 0);
  /* Done: a second run would mail everyone a second code. */
  gtk_widget_set_visible (self->send_button, FALSE);
  gtk_widget_set_sensitive (self->form_box, FALSE);
  gtk_button_set_label (self->close_button, _("Close"));
}

static void
send_confirmed_cb (int      index,
                   gpointer user_data)
{
  JorenCouponMailDialog *self = user_data;
  g_autofree char *name = run_name (self);
  g_autofree char *body = get_body (self);
  JorenPromotion promotion = make_promotion (self, name, body);
  JorenSegmentFilter filter;

  g_clear_handle_id (&self->preview_source, g_source_remove);
  set_sending (self, TRUE);
  set_error (self, NULL);
  show_result_text (self, _("Sending…"));
  build_filter (self, &filter);
  joren_coupon_send_to_segment_async (self->db, &filter, self->campaign->id, &promotion,
                                      self->staff_id, NULL, sent_cb, g_object_ref (self));
}

static void
send_clicked_cb (JorenCouponMailDialog *self)
{
  g_autofree char *question = NULL;

  if (self->count <= 0 || self->sending)
    return;
  question = g_strdup_printf (g_dngettext (NULL, "E-mail a code to %" PRId64 " customer now?",
                                           "E-mail a code each to %" PRId64 " customers now?",
                                           self->count), self->count);
  joren_ui_confirm (GTK_WIDGET (self), question, _("Send"), send_confirmed_cb, self);
}

static gboolean
close_request_cb (JorenCouponMailDialog *self)
{
  return self->sending;   /* TRUE keeps the window: the run must report back */
}

/* --- the object --- */

static void
joren_coupon_mail_dialog_dispose (GObject *object)
{
  JorenCouponMailDialog *self = JOREN_COUPON_MAIL_DIALOG (object);

  g_clear_handle_id (&self->preview_source, g_source_remove);
  g_cancellable_cancel (self->previewing);
  g_clear_object (&self->previewing);
  gtk_widget_dispose_template (GTK_WIDGET (self), JOREN_TYPE_COUPON_MAIL_DIALOG);
  G_OBJECT_CLASS (joren_coupon_mail_dialog_parent_class)->dispose (object);
}

static void
joren_coupon_mail_dialog_finalize (GObject *object)
{
  JorenCouponMailDialog *self = JOREN_COUPON_MAIL_DIALOG (object);

  g_clear_object (&self->db);
  g_clear_pointer (&self->campaign, joren_coupon_campaign_free);
  g_clear_pointer (&self->now, g_date_time_unref);
  g_clear_pointer (&self->from, g_date_time_unref);
  G_OBJECT_CLASS (joren_coupon_mail_dialog_parent_class)->finalize (object);
}

static void
joren_coupon_mail_dialog_class_init (JorenCouponMailDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = joren_coupon_mail_dialog_dispose;
  object_class->finalize = joren_coupon_mail_dialog_finalize;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/jp/joren/Register/joren-coupon-mail-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, JorenCouponMailDialog, title_label);
  gtk_widget_class_bind_template_child (widget_class, JorenCouponMailDialog, form_box);
  gtk_widget_class_bind_template_child (widget_class, JorenCouponMailDialog, segments_grid);
  gtk_widget_class_bind_template_child (widget_class, JorenCouponMailDialog, subject_entry);
  gtk_widget_class_bind_template_child (widget_class, JorenCouponMailDialog, body_view);
  gtk_widget_class_bind_template_child (widget_class, JorenCouponMailDialog, preview_label);
  gtk_widget_class_bind_template_child (widget_class, JorenCouponMailDialog, sample_label);
  gtk_widget_class_bind_template_child (widget_class, JorenCouponMailDialog, result_label);
  gtk_widget_class_bind_template_child (widget_class, JorenCouponMailDialog, log_label);
  gtk_widget_class_bind_template_child (widget_class, JorenCouponMailDialog, error_label);
  gtk_widget_class_bind_template_child (widget_class, JorenCouponMailDialog, close_button);
  gtk_widget_class_bind_template_child (widget_class, JorenCouponMailDialog, spinner);
  gtk_widget_class_bind_template_child (widget_class, JorenCouponMailDialog, send_button);
  gtk_widget_class_bind_template_callback (widget_class, send_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, close_request_cb);
  gtk_widget_class_bind_template_callback (widget_class, gtk_window_close);
}

static void
joren_coupon_mail_dialog_init (JorenCouponMailDialog *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  self->now = g_date_time_new_now_local ();
  self->from = g_date_time_add_days (self->now, -PERIOD_DAYS);
  self->count = -1;
  build_segment_buttons (self);
}

/* The default message names the campaign; the owner may rewrite it. */
static void
fill_template (JorenCouponMailDialog *self)
{
  g_autofree char *body = NULL;

  gtk_editable_set_text (self->subject_entry, _("A coupon for you from {shop}"));
  /* TRANSLATORS: keep {name}, {coupon} and {shop}; %s is the campaign's name */
  body = g_strdup_printf (_("Dear {name},\n\nhere is your coupon “%s”: {coupon}\n\nShow this code"
                            " at the till when you pay. It can be used once.\n\n{shop}"),
                          self->campaign->name);
  gtk_text_buffer_set_text (gtk_text_view_get_buffer (self->body_view), body, -1);
}

static void
connect_signals (JorenCouponMailDialog *self)
{
  for (guint i = 0; i < G_N_ELEMENTS (segment_labels); i++)
    g_signal_connect (self->segment_buttons[i], "toggled", G_CALLBACK (segment_toggled_cb), self);
  g_signal_connect_swapped (self->subject_entry, "changed", G_CALLBACK (message_changed_cb), self);
  g_signal_connect_swapped (gtk_text_view_get_buffer (self->body_view), "changed",
                            G_CALLBACK (message_changed_cb), self);
}

JorenCouponMailDialog *
joren_coupon_mail_dialog_new (GtkWidget *parent,
                              JorenDb   *db,
                              gint64     campaign_id,
                              gint64     staff_id)
{
  g_autoptr(JorenCouponCampaign) campaign = NULL;
  g_autoptr(JorenMailSettings) settings = NULL;
  g_autoptr(GError) error = NULL;
  JorenCouponMailDialog *self;
  GtkRoot *root = parent != NULL ? gtk_widget_get_root (parent) : NULL;
  g_autofree char *title = NULL;

  g_return_val_if_fail (JOREN_IS_DB (db), NULL);

  campaign = joren_coupon_campaign_load (db, campaign_id, &error);
  g_return_val_if_fail (campaign != NULL, NULL);
  self = g_object_new (JOREN_TYPE_COUPON_MAIL_DIALOG, NULL);
  self->db = g_object_ref (db);
  self->campaign = g_steal_pointer (&campaign);
  self->staff_id = staff_id;
  settings = joren_promotion_get_mail_settings (db);
  self->can_send = settings != NULL;
  if (!self->can_send)
    set_error (self, _("No mail server is set up yet: enter it under Mail first."));
  /* TRANSLATORS: the dialog's title; %s is the coupon campaign */
  title = g_strdup_printf (_("E-mail codes of “%s”"), self->campaign->name);
  gtk_label_set_text (self->title_label, title);
  fill_template (self);
  gtk_toggle_button_set_active (self->segment_buttons[JOREN_PROMOTIONS_ALL], TRUE);
  connect_signals (self);
  if (GTK_IS_WINDOW (root))
    gtk_window_set_transient_for (GTK_WINDOW (self), GTK_WINDOW (root));
  start_preview (self);
  gtk_window_present (GTK_WINDOW (self));
  return self;
}

void
joren_coupon_mail_dialog_choose (JorenCouponMailDialog  *self,
                                 JorenPromotionsSegment  segment)
{
  g_return_if_fail (JOREN_IS_COUPON_MAIL_DIALOG (self));
  g_return_if_fail (segment < G_N_ELEMENTS (segment_labels));

  gtk_toggle_button_set_active (self->segment_buttons[segment], TRUE);
}

gint64
joren_coupon_mail_dialog_get_count (JorenCouponMailDialog *self)
{
  g_return_val_if_fail (JOREN_IS_COUPON_MAIL_DIALOG (self), -1);

  return self->count;
}

gboolean
joren_coupon_mail_dialog_is_sending (JorenCouponMailDialog *self)
{
  g_return_val_if_fail (JOREN_IS_COUPON_MAIL_DIALOG (self), FALSE);

  return self->sending;
}

const char *
joren_coupon_mail_dialog_get_result (JorenCouponMailDialog *self)
{
  g_return_val_if_fail (JOREN_IS_COUPON_MAIL_DIALOG (self), "");

  return gtk_widget_get_visible (GTK_WIDGET (self->result_label))
         ? gtk_label_get_text (self->result_label) : "";
}
