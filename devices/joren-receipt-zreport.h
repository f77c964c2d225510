/* joren-receipt-zreport.h: the X and Z reports as a receipt-printer
 * document (joren-receipt.h), so the back office prints and reprints
 * them on the till's printer like any receipt. */
#pragma once

#include "joren-receipt.h"
#include "joren-zreport.h"

G_BEGIN_DECLS

/* Labels are translated when called (set the shop's language first).
 * An X report is titled as such and says it closes nothing; a Z report
 * carries its register and Z number. A reprint adds the reprint mark
 * with joren_receipt_new_reprint(). */
JorenReceipt *joren_receipt_new_for_zreport (const JorenShop    *shop,
                                             const JorenZReport *report);

G_END_DECLS
