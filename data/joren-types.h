/* joren-types.h: forward declarations shared by every layer, so headers can
 * name each other's types without including each other. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef struct _JorenCurrency    JorenCurrency;
typedef struct _JorenShop        JorenShop;
typedef struct _JorenShopPreset  JorenShopPreset;
typedef struct _JorenBarcode     JorenBarcode;
typedef struct _JorenTaxLine     JorenTaxLine;
typedef struct _JorenSale        JorenSale;
typedef struct _JorenSaleLine    JorenSaleLine;
typedef struct _JorenTender      JorenTender;
typedef struct _JorenDb          JorenDb;
typedef struct _JorenCategory    JorenCategory;
typedef struct _JorenProduct     JorenProduct;
typedef struct _JorenTaxClass    JorenTaxClass;
typedef struct _JorenStaff       JorenStaff;
typedef struct _JorenCashSession JorenCashSession;
typedef struct _JorenParkedSale  JorenParkedSale;
typedef struct _JorenImportReport JorenImportReport;
typedef struct _JorenCustomer    JorenCustomer;
typedef struct _JorenCustomerCard JorenCustomerCard;
typedef struct _JorenCustomerSummary JorenCustomerSummary;

G_END_DECLS
