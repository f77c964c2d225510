/* joren-labels.h: direct mail on paper as a PDF the shop prints on its
 * office printer: an A4 sheet of address labels (3 x 8, the common
 * 24-up sheet) or Japanese postcards (hagaki, 100 x 148 mm, one per
 * page: the address with 〒 postal code and 様, the greeting, the shop).
 * Horizontal writing; callers pass only customers who consented to post. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef struct {
  char *name;
  char *postal_code;   /* "123-4567" or NULL */
  char *address;       /* may hold "\n" */
  char *text;          /* postcards: the greeting, already filled */
} JorenLabelItem;

JorenLabelItem *joren_label_item_new  (const char *name,
                                       const char *postal_code,
                                       const char *address,
                                       const char *text);
void            joren_label_item_free (JorenLabelItem *item);

/* An A4 sheet per 24 labels. sender (the shop, may be NULL) prints small
 * at the top of each label as the return address. */
gboolean joren_labels_write_sheet     (const char  *path,
                                       GPtrArray   *items,
                                       const char  *sender,
                                       GError     **error);
/* One hagaki page per item; sender (name and address, "\n" between
 * lines) at the bottom. */
gboolean joren_labels_write_postcards (const char  *path,
                                       GPtrArray   *items,
                                       const char  *sender,
                                       GError     **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (JorenLabelItem, joren_label_item_free)

G_END_DECLS
