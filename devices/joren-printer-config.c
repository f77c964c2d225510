/* joren-printer-config.c: settings strings -> a JorenPrinter. Parsing
 * lives here, next to the transports, so a new transport or address form
 * changes one file and the settings screen only lists the ids. Errors say
 * what to type, because the owner reads them in the settings screen. */
#include "joren-printer-config.h"

#include <glib/gi18n.h>

#include "joren-device-error.h"
#include "joren-printer-file.h"
#include "joren-printer-net.h"
#include "joren-printer-png.h"
#include "joren-printer-usb.h"

#define DEFAULT_PORT 9100

const JorenPrinterProfile *
joren_printer_config_get_profile (const char *profile)
{
  const JorenPrinterProfile *found = NULL;

  if (profile != NULL && *profile != '\0')
    found = joren_printer_profile_lookup (profile);
  return found != NULL ? found : joren_printer_profile_lookup (JOREN_PRINTER_DEFAULT_PROFILE);
}

static JorenPrinter *
new_net_printer (const JorenPrinterProfile  *profile,
                 const char                 *address,
                 GError                    **error)
{
  g_autoptr(GSocketConnectable) parsed = NULL;
  g_autoptr(GError) local = NULL;
  GNetworkAddress *net;

  parsed = g_network_address_parse (address, DEFAULT_PORT, &local);
  if (parsed == NULL)
    {
      g_set_error (error, JOREN_DEVICE_ERROR, JOREN_DEVICE_ERROR_INVALID,
                   _("“%s” is not a printer address: type host or host:port, e.g. 192.168.1.50:9100."),
                   address);
      return NULL;
    }
  net = G_NETWORK_ADDRESS (parsed);
  return joren_printer_net_new (profile, g_network_address_get_hostname (net),
                                g_network_address_get_port (net));
}

static gboolean
parse_hex16 (const char *text,
             guint16    *out)
{
  guint64 value = 0;

  if (!g_ascii_string_to_unsigned (text, 16, 1, G_MAXUINT16, &value, NULL))
    return FALSE;
  *out = (guint16) value;
  return TRUE;
}

static JorenPrinter *
new_usb_printer (const JorenPrinterProfile  *profile,
                 const char                 *address,
                 GError                    **error)
{
  g_auto(GStrv) parts = NULL;
  guint16 vid = 0, pid = 0;

  if (*address == '\0' || g_ascii_strcasecmp (address, "auto") == 0)
    return joren_printer_usb_new (profile, 0, 0);
  parts = g_strsplit (address, ":", -1);
  if (g_strv_length (parts) != 2 || !parse_hex16 (parts[0], &vid) || !parse_hex16 (parts[1], &pid))
    {
      g_set_error (error, JOREN_DEVICE_ERROR, JOREN_DEVICE_ERROR_INVALID,
                   _("“%s” is not a USB id: type VID:PID in hex (e.g. 04b8:0202) or “auto”."),
                   address);
      return NULL;
    }
  return joren_printer_usb_new (profile, vid, pid);
}

static JorenPrinter *
new_png_printer (const JorenPrinterProfile *profile,
                 const char                *address)
{
  g_autofree char *path = g_build_filename (address, JOREN_PRINTER_PNG_FILE, NULL);

  return joren_printer_png_new (profile, path);
}

static gboolean
check_path (const char  *address,
            GError     **error)
{
  if (*address != '\0')
    return TRUE;
  g_set_error_literal (error, JOREN_DEVICE_ERROR, JOREN_DEVICE_ERROR_INVALID,
                       _("Type where the printer is: a device such as /dev/usb/lp0, or a folder for PNG files."));
  return FALSE;
}

static gboolean
check_profile (const char  *profile,
               GError     **error)
{
  if (profile == NULL || *profile == '\0' || joren_printer_profile_lookup (profile) != NULL)
    return TRUE;
  g_set_error (error, JOREN_DEVICE_ERROR, JOREN_DEVICE_ERROR_INVALID,
               _("Unknown printer model “%s”."), profile);
  return FALSE;
}

JorenPrinter *
joren_printer_new_from_settings (const char  *transport,
                                 const char  *address,
                                 const char  *profile,
                                 GError     **error)
{
  const JorenPrinterProfile *p = joren_printer_config_get_profile (profile);
  g_autofree char *where = g_strstrip (g_strdup (address != NULL ? address : ""));

  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (!check_profile (profile, error))
    return NULL;
  if (g_strcmp0 (transport, JOREN_PRINTER_TRANSPORT_NETWORK) == 0)
    return new_net_printer (p, where, error);
  if (g_strcmp0 (transport, JOREN_PRINTER_TRANSPORT_USB) == 0)
    return new_usb_printer (p, where, error);
  if (g_strcmp0 (transport, JOREN_PRINTER_TRANSPORT_FILE) == 0)
    return check_path (where, error) ? joren_printer_file_new (p, where) : NULL;
  if (g_strcmp0 (transport, JOREN_PRINTER_TRANSPORT_PNG) == 0)
    return check_path (where, error) ? new_png_printer (p, where) : NULL;
  g_set_error_literal (error, JOREN_DEVICE_ERROR, JOREN_DEVICE_ERROR_NOT_FOUND,
                       _("No receipt printer is set up. The owner can choose one in Back office › Printer."));
  return NULL;
}

JorenReceipt *
joren_printer_config_test_receipt (const char                *shop_name,
                                   const JorenPrinterProfile *profile)
{
  JorenReceipt *r;

  g_return_val_if_fail (profile != NULL, NULL);

  r = joren_receipt_new ();
  joren_receipt_set_section (r, "header");
  joren_receipt_add_header (r, shop_name != NULL ? shop_name : "Joren", NULL, NULL, NULL);
  joren_receipt_set_section (r, "test");
  joren_receipt_add_text (r, _("Test print"), JOREN_ALIGN_CENTER,
                          JOREN_RECEIPT_LARGE | JOREN_RECEIPT_REVERSE);
  joren_receipt_add_separator (r);
  joren_receipt_add_row (r, _("Printer"), profile->name, JOREN_RECEIPT_PLAIN);
  /* One line per script the shops use: each must print, not as boxes. */
  joren_receipt_add_text (r, "日本語 · 中文 · Deutsch äöü €", JOREN_ALIGN_LEFT,
                          JOREN_RECEIPT_PLAIN);
  joren_receipt_add_qr (r, "https://joren.jp/test");
  joren_receipt_set_section (r, "footer");
  joren_receipt_add_footer (r, _("If this page reads well, the printer is ready."));
  return r;
}
