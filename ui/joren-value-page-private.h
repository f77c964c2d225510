/* joren-value-page-private.h: the page's state, shared by the vouchers
 * and limits (joren-value-page.c), the debtors
 * (joren-value-page-debtors.c) and the coupons
 * (joren-value-page-coupons.c). */
#pragma once

#include "joren-value-page.h"

G_BEGIN_DECLS

struct _JorenValuePage
{
  GtkWidget        parent_instance;

  GtkLabel        *liability_label;
  GtkLabel        *status_label;
  GtkStack        *tabs;
  GtkEditable     *search_entry;
  GtkListBox      *accounts_box;
  GtkLabel        *ledger_title;
  GtkListBox      *ledger_box;
  GtkListBox      *debtors_box;
  GtkEditable     *campaign_name_entry;
  GtkDropDown     *campaign_kind_drop;
  GtkEditable     *campaign_value_entry;
  GtkEditable     *campaign_min_entry;
  GtkEditable     *campaign_from_entry;
  GtkEditable     *campaign_until_entry;
  GtkListBox      *campaigns_box;
  GtkLabel        *codes_title;
  GtkListBox      *codes_box;
  GtkEditable     *max_topup_entry;
  GtkEditable     *max_balance_entry;
  GtkEditable     *credit_entry;
  GtkSpinButton   *expiry_spin;
  GtkCheckButton  *gift_check;
  GtkCheckButton  *prepaid_check;
  GtkCheckButton  *account_check;
  GtkCheckButton  *quick_pay_check;

  JorenDb         *db;
  JorenShop       *shop;
  GPtrArray       *accounts;    /* JorenValueAccount, in row order */
  gint64           staff_id;    /* who is signed in, for the audit log */
};

void  joren_value_page_show_status (JorenValuePage *self,
                                    const char     *message);
/* An amount typed in an entry; empty is 0. FALSE with a status shown. */
gboolean joren_value_page_read_money (JorenValuePage *self,
                                      GtkEditable    *entry,
                                      gint64         *out);
/* "2025-04-01 13:05" in local time; "" for NULL. */
char *joren_value_page_format_time (GDateTime *time);

/* joren-value-page-debtors.c */
void  joren_value_page_load_debtors (JorenValuePage *self);

/* joren-value-page-coupons.c */
void  joren_value_page_load_campaigns (JorenValuePage *self);
void  joren_value_page_coupons_bind_template (GtkWidgetClass *widget_class);

G_END_DECLS
