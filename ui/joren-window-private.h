/* joren-window-private.h: the window's state, shared by joren-window.c
 * (pages, sign-in, scanner) and joren-window-print.c (receipts, the print
 * failure bar, reprint). */
#pragma once

#include "joren-backoffice.h"
#include "joren-print-queue.h"
#include "joren-sale-view.h"
#include "joren-scan-buffer.h"
#include "joren-scanner.h"
#include "joren-signin.h"
#include "joren-tender-view.h"
#include "joren-window.h"

G_BEGIN_DECLS

struct _JorenWindow
{
  GtkApplicationWindow parent_instance;

  /* template */
  GtkLabel           *shop_label;
  GtkLabel           *staff_label;
  GtkLabel           *sync_label;
  GtkWidget          *mode_box;
  GtkToggleButton    *register_toggle;
  GtkToggleButton    *backoffice_toggle;
  GtkWidget          *signout_button;
  GtkStack           *pages;
  JorenSignin        *signin;
  JorenSaleView      *sale_view;
  JorenTenderView    *tender_view;
  JorenBackoffice    *backoffice;
  GtkLabel           *notice_label;
  GtkRevealer        *banner_revealer;
  GtkLabel           *banner_label;
  GtkWidget          *reprint_button;
  GtkRevealer        *print_revealer;
  GtkLabel           *print_label;

  JorenDb            *db;
  JorenShop          *shop;
  JorenStaff         *staff;
  gint64              cash_session_id;
  JorenScanBuffer    *scan_buffer;
  GtkEventController *scan_controller;
  JorenScanner       *field_scanner;   /* timing, while a text field has focus */
  guint               scan_flush_id;
  gint64              scan_clock_offset_us; /* monotonic - key event time */
  guint               banner_timeout_id;
  JorenPrintQueue    *print_queue;     /* NULL: no printer set up */
  JorenReceipt       *failed_receipt;  /* what Retry prints again */
};

/* joren-window-scan.c */
void joren_window_scan_init           (JorenWindow *self,
                                       GCallback    scanned_cb);
void joren_window_scan_dispose        (JorenWindow *self);
/* Reads the scanner timing from the shop's settings. */
void joren_window_scan_configure      (JorenWindow *self);

/* joren-window-print.c */
void joren_window_print_init          (JorenWindow *self);
void joren_window_print_dispose       (JorenWindow *self);
/* Prints the sale the tender view just committed and shows its preview. */
void joren_window_print_committed     (JorenWindow *self);
void joren_window_print_bind_template (GtkWidgetClass *widget_class);

G_END_DECLS
