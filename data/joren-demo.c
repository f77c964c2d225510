/* joren-demo.c: the demo café a first start offers, in the shop's own
 * language: Japanese for "jp", German for "de", Traditional Chinese for
 * "tw". Product and category names are data the shop would type in, not
 * interface text, so they are not marked for translation. Packaged goods
 * carry valid EAN-13 codes (check digits computed, GS1 prefix of the
 * country), and the deli has one price-embedded and one weight-embedded
 * in-store item, so every scanning path can be tried by hand. */
#include "config.h"

#include <glib/gi18n.h>

#include "joren-catalog.h"
#include "joren-db-private.h"
#include "joren-punch.h"
#include "joren-staff.h"

typedef enum { PRESET_JP, PRESET_DE, PRESET_TW, N_PRESETS } PresetIndex;

typedef struct {
  const char *id;
  const char *shop_name;
  const char *address;
  const char *phone;
  const char *invoice_number;
  const char *footer;
  const char *gs1_prefix;   /* 7 digits: country prefix + a made-up company */
} DemoShop;

static const DemoShop demo_shops[N_PRESETS] = {
  { "jp", "喫茶 常連", "東京都台東区谷中 3-2-1", "03-1234-5678", "T1234567890123",
    "ありがとうございました", "4512345" },
  { "de", "Café Joren", "Bergmannstraße 12, 10961 Berlin", "030 1234567", NULL,
    "Vielen Dank für Ihren Besuch!", "4012345" },
  { "tw", "常連咖啡", "台北市大安區復興南路一段 100 號", "02-2345-6789", NULL,
    "謝謝光臨", "4712345" },
};

typedef struct {
  const char *names[N_PRESETS];
  const char *colour;
  gboolean    barcodes;   /* packaged goods: give its products EAN-13 codes */
} DemoCategory;

enum { COFFEE, TEA, FOOD, BAKERY, RETAIL, DELI, N_CATEGORIES };

static const DemoCategory demo_categories[N_CATEGORIES] = {
  { { "コーヒー", "Kaffee", "咖啡" }, "#8d5524", FALSE },
  { { "お茶", "Tee", "茶飲" }, "#5a8f29", FALSE },
  { { "フード", "Speisen", "輕食" }, "#e8a33d", TRUE },
  { { "ベーカリー", "Backwaren", "烘焙" }, "#c9793b", FALSE },
  { { "物販", "Handelswaren", "零售商品" }, "#3d7ae8", TRUE },
  { { "デリ 量り売り", "Feinkost", "秤重熟食" }, "#b03a48", FALSE },
};

/* Tax: 'S' standard, 'R' reduced. Japan: drinks served in the café are
 * standard, food and packaged food to take away reduced. Germany differs
 * for drinks sold bottled (19 %), hence a separate column. Taiwan has one
 * rate, so both map to standard there. */
typedef struct {
  guint          category;
  const char    *names[N_PRESETS];
  gint64         prices[N_PRESETS];   /* minor units; per kg when weighed */
  char           tax_jp;
  char           tax_de;
  JorenEmbedKind embed;
} DemoProduct;

static const DemoProduct demo_products[] = {
  { COFFEE, { "ブレンドコーヒー", "Filterkaffee", "招牌咖啡" }, { 450, 280, 90 }, 'S', 'S', 0 },
  { COFFEE, { "アメリカン", "Americano", "美式咖啡" }, { 450, 290, 90 }, 'S', 'S', 0 },
  { COFFEE, { "エスプレッソ", "Espresso", "義式濃縮" }, { 400, 220, 80 }, 'S', 'S', 0 },
  { COFFEE, { "カフェラテ", "Milchkaffee", "拿鐵" }, { 520, 360, 120 }, 'S', 'S', 0 },
  { COFFEE, { "カプチーノ", "Cappuccino", "卡布奇諾" }, { 520, 340, 120 }, 'S', 'S', 0 },
  { COFFEE, { "カフェモカ", "Caffè Mocha", "摩卡" }, { 580, 390, 130 }, 'S', 'S', 0 },
  { COFFEE, { "アイスコーヒー", "Eiskaffee", "冰咖啡" }, { 480, 380, 100 }, 'S', 'S', 0 },
  { COFFEE, { "水出しコーヒー", "Cold Brew", "冰釀咖啡" }, { 550, 400, 140 }, 'S', 'S', 0 },
  { COFFEE, { "キャラメルラテ", "Karamell-Latte", "焦糖拿鐵" }, { 580, 410, 140 }, 'S', 'S', 0 },
  { COFFEE, { "本日のハンドドリップ", "Handfilter des Tages", "今日手沖" }, { 650, 450, 180 }, 'S', 'S', 0 },
  { TEA, { "抹茶ラテ", "Matcha Latte", "抹茶拿鐵" }, { 550, 420, 130 }, 'S', 'S', 0 },
  { TEA, { "ほうじ茶ラテ", "Hojicha Latte", "焙茶拿鐵" }, { 550, 420, 130 }, 'S', 'S', 0 },
  { TEA, { "煎茶", "Sencha", "煎茶" }, { 400, 300, 90 }, 'S', 'S', 0 },
  { TEA, { "ダージリン", "Darjeeling", "大吉嶺紅茶" }, { 480, 320, 100 }, 'S', 'S', 0 },
  { TEA, { "アールグレイ", "Earl Grey", "伯爵茶" }, { 480, 320, 100 }, 'S', 'S', 0 },
  { TEA, { "ロイヤルミルクティー", "Milchtee", "皇家奶茶" }, { 550, 380, 110 }, 'S', 'S', 0 },
  { TEA, { "アイスティー", "Eistee", "冰紅茶" }, { 420, 330, 80 }, 'S', 'S', 0 },
  { TEA, { "チャイ", "Chai Latte", "印度香料奶茶" }, { 550, 390, 120 }, 'S', 'S', 0 },
  { TEA, { "玄米茶", "Genmaicha", "玄米茶" }, { 400, 300, 90 }, 'S', 'S', 0 },
  { TEA, { "ゆず茶", "Yuzu-Tee", "柚子茶" }, { 480, 350, 100 }, 'S', 'S', 0 },
  { FOOD, { "おにぎり 鮭", "Butterbrezel", "鮭魚飯糰" }, { 180, 250, 45 }, 'R', 'R', 0 },
  { FOOD, { "おにぎり 梅", "Käsebrötchen", "梅子飯糰" }, { 160, 320, 40 }, 'R', 'R', 0 },
  { FOOD, { "おにぎり ツナマヨ", "Schinkenbrötchen", "鮪魚飯糰" }, { 170, 340, 45 }, 'R', 'R', 0 },
  { FOOD, { "玉子サンド", "Eiersalat-Sandwich", "蛋沙拉三明治" }, { 380, 420, 75 }, 'R', 'R', 0 },
  { FOOD, { "ハムチーズサンド", "Schinken-Käse-Toast", "火腿起司三明治" }, { 420, 450, 80 }, 'R', 'R', 0 },
  { FOOD, { "カツサンド", "Schnitzelbrötchen", "豬排三明治" }, { 580, 550, 110 }, 'R', 'R', 0 },
  { FOOD, { "ナポリタン", "Nudelsalat", "拿坡里義大利麵" }, { 850, 480, 180 }, 'R', 'R', 0 },
  { FOOD, { "カレーライス", "Linsensuppe", "咖哩飯" }, { 900, 520, 150 }, 'R', 'R', 0 },
  { FOOD, { "ミックスサンド", "Bagel mit Frischkäse", "綜合三明治" }, { 520, 390, 95 }, 'R', 'R', 0 },
  { FOOD, { "ピザトースト", "Flammkuchen", "披薩吐司" }, { 600, 650, 100 }, 'R', 'R', 0 },
  { BAKERY, { "クロワッサン", "Croissant", "可頌" }, { 260, 150, 55 }, 'R', 'R', 0 },
  { BAKERY, { "メロンパン", "Laugenbrezel", "菠蘿麵包" }, { 220, 90, 35 }, 'R', 'R', 0 },
  { BAKERY, { "あんパン", "Berliner", "紅豆麵包" }, { 200, 160, 35 }, 'R', 'R', 0 },
  { BAKERY, { "カレーパン", "Franzbrötchen", "咖哩麵包" }, { 250, 220, 40 }, 'R', 'R', 0 },
  { BAKERY, { "チーズケーキ", "Käsekuchen", "起司蛋糕" }, { 480, 350, 90 }, 'R', 'R', 0 },
  { BAKERY, { "ショートケーキ", "Erdbeertorte", "草莓蛋糕" }, { 520, 390, 110 }, 'R', 'R', 0 },
  { BAKERY, { "プリン", "Apfelstrudel", "布丁" }, { 350, 380, 60 }, 'R', 'R', 0 },
  { BAKERY, { "スコーン", "Streuselkuchen", "司康" }, { 300, 280, 60 }, 'R', 'R', 0 },
  { BAKERY, { "シナモンロール", "Zimtschnecke", "肉桂捲" }, { 340, 260, 65 }, 'R', 'R', 0 },
  { BAKERY, { "バナナブレッド", "Bananenbrot", "香蕉蛋糕" }, { 320, 290, 60 }, 'R', 'R', 0 },
  { RETAIL, { "コーヒー豆 ブレンド 200g", "Kaffeebohnen Hausmischung 250 g", "招牌咖啡豆 200g" },
    { 1400, 890, 380 }, 'R', 'R', 0 },
  { RETAIL, { "コーヒー豆 エチオピア 200g", "Kaffeebohnen Äthiopien 250 g", "衣索比亞咖啡豆 200g" },
    { 1800, 1090, 450 }, 'R', 'R', 0 },
  { RETAIL, { "ドリップバッグ 5袋", "Filterbeutel 5 Stück", "濾掛咖啡 5入" }, { 900, 590, 250 }, 'R', 'R', 0 },
  { RETAIL, { "抹茶 30g", "Matcha 30 g", "抹茶粉 30g" }, { 1200, 1290, 320 }, 'R', 'R', 0 },
  { RETAIL, { "ほうじ茶 100g", "Sencha 100 g", "凍頂烏龍茶 100g" }, { 800, 790, 300 }, 'R', 'R', 0 },
  { RETAIL, { "ミネラルウォーター", "Mineralwasser 0,5 l", "礦泉水" }, { 150, 190, 25 }, 'R', 'S', 0 },
  { RETAIL, { "オレンジジュース", "Apfelschorle 0,5 l", "柳橙汁" }, { 200, 250, 35 }, 'R', 'S', 0 },
  { RETAIL, { "クッキー詰め合わせ", "Butterkekse", "手工餅乾禮盒" }, { 1500, 350, 400 }, 'R', 'R', 0 },
  { RETAIL, { "マグカップ", "Kaffeebecher", "馬克杯" }, { 1800, 1290, 450 }, 'S', 'S', 0 },
  { RETAIL, { "タンブラー", "Thermobecher", "隨行杯" }, { 2500, 1990, 650 }, 'S', 'S', 0 },
  { DELI, { "ポテトサラダ", "Kartoffelsalat", "馬鈴薯沙拉" }, { 350, 390, 80 }, 'R', 'R', 0 },
  { DELI, { "唐揚げ", "Frikadelle", "台式炸雞" }, { 400, 290, 90 }, 'R', 'R', 0 },
  { DELI, { "だし巻き玉子", "Leberkäse-Semmel", "玉子燒" }, { 300, 380, 70 }, 'R', 'R', 0 },
  { DELI, { "肉じゃが", "Gulaschsuppe", "馬鈴薯燉肉" }, { 450, 590, 100 }, 'R', 'R', 0 },
  { DELI, { "ひじき煮", "Rote-Bete-Salat", "涼拌海帶" }, { 250, 350, 60 }, 'R', 'R', 0 },
  { DELI, { "きんぴらごぼう", "Krautsalat", "涼拌牛蒡" }, { 250, 320, 60 }, 'R', 'R', 0 },
  { DELI, { "コロッケ", "Kartoffelpuffer", "可樂餅" }, { 180, 280, 40 }, 'R', 'R', 0 },
  { DELI, { "春巻き", "Spinatknödel", "春捲" }, { 220, 420, 45 }, 'R', 'R', 0 },
  /* In-store codes: 2012345 carries the pack's price, 2012346 its grams. */
  { DELI, { "量り売りサラダ", "Salatbar (Preis laut Etikett)", "自選沙拉" }, { 0, 0, 0 },
    'R', 'R', JOREN_EMBED_PRICE },
  { DELI, { "ローストビーフ", "Roastbeef", "烤牛肉" }, { 6800, 4990, 1600 },
    'R', 'R', JOREN_EMBED_WEIGHT },
};

#define IN_STORE_KEY_FIRST 2012345

static const struct {
  const char *name;
  JorenRole   role;
  const char *pin;
} demo_staff[] = {
  { "Aiko", JOREN_ROLE_OWNER, "1111" },
  { "Ben", JOREN_ROLE_MANAGER, "2222" },
  { "Chen", JOREN_ROLE_CASHIER, "3333" },
};

static gboolean
find_preset (const char   *preset_id,
             PresetIndex  *out,
             GError      **error)
{
  for (guint i = 0; i < N_PRESETS; i++)
    if (g_strcmp0 (preset_id, demo_shops[i].id) == 0 && joren_shop_preset_lookup (preset_id))
      {
        *out = (PresetIndex) i;
        return TRUE;
      }
  g_set_error (error, JOREN_DATA_ERROR, JOREN_DATA_ERROR_INVALID,
               _("There is no demo shop for “%s”."), preset_id);
  return FALSE;
}

static gboolean
store_demo_shop (JorenDb      *db,
                 PresetIndex   preset,
                 GError      **error)
{
  const DemoShop *demo = &demo_shops[preset];
  g_autoptr(JorenShop) shop = joren_shop_new_from_preset (joren_shop_preset_lookup (demo->id),
                                                          demo->shop_name, "R1");

  shop->address = g_strdup (demo->address);
  shop->phone = g_strdup (demo->phone);
  shop->invoice_number = g_strdup (demo->invoice_number);
  shop->receipt_footer = g_strdup (demo->footer);
  return joren_db_store_shop (db, shop, error);
}

/* Ids of the "standard" and "reduced" classes; a preset with one rate
 * uses it for both. */
static gboolean
store_tax_classes (JorenDb      *db,
                   PresetIndex   preset,
                   gint64        ids[2],
                   GError      **error)
{
  const JorenShopPreset *shop_preset = joren_shop_preset_lookup (demo_shops[preset].id);

  for (guint i = 0; i < shop_preset->n_rates; i++)
    {
      g_autoptr(JorenStmt) stmt = NULL;
      const JorenPresetRate *rate = &shop_preset->rates[i];

      stmt = joren_db_prepare (db, "INSERT INTO tax_classes (code, name, rate_bp)"
                                   " VALUES (?, ?, ?)", error);
      if (stmt == NULL)
        return FALSE;
      sqlite3_bind_text (stmt, 1, rate->code, -1, SQLITE_STATIC);
      sqlite3_bind_text (stmt, 2, rate->name, -1, SQLITE_STATIC);
      sqlite3_bind_int (stmt, 3, (int) rate->rate_bp);
      if (!joren_db_step_done (db, stmt, _("Could not create the demo shop."), error))
        return FALSE;
      ids[MIN (i, 1)] = sqlite3_last_insert_rowid (joren_db_get_handle (db));
    }
  if (shop_preset->n_rates == 1)
    ids[1] = ids[0];
  return TRUE;
}

static gboolean
store_categories (JorenDb      *db,
                  PresetIndex   preset,
                  gint64        ids[N_CATEGORIES],
                  GError      **error)
{
  for (guint i = 0; i < N_CATEGORIES; i++)
    {
      JorenCategory category = {
        0, (char *) demo_categories[i].names[preset],
        (char *) demo_categories[i].colour, (gint) i, TRUE,
      };

      if (!joren_catalog_save_category (db, &category, error))
        return FALSE;
      ids[i] = category.id;
    }
  return TRUE;
}

static char *
make_ean13 (const char *prefix7,
            guint       number)
{
  char digits[14];

  g_snprintf (digits, sizeof digits, "%s%05u", prefix7, number % 100000);
  digits[12] = (char) ('0' + joren_ean_check_digit (digits, 12));
  digits[13] = '\0';
  return g_strdup (digits);
}

static const char sku_prefixes[N_CATEGORIES][3] = { "CF", "TE", "FD", "BK", "RT", "DL" };

static JorenProduct *
make_product (PresetIndex    preset,
              guint          index,
              const gint64   tax_ids[2],
              const gint64   category_ids[N_CATEGORIES],
              guint         *in_store_keys)
{
  const DemoProduct *demo = &demo_products[index];
  char tax = preset == PRESET_DE ? demo->tax_de : demo->tax_jp;
  JorenProduct *product = joren_product_new ();

  product->sku = g_strdup_printf ("%s%03u", sku_prefixes[demo->category], index + 1);
  product->name = g_strdup (demo->names[preset]);
  product->price = demo->prices[preset];
  product->tax_class_id = tax_ids[tax == 'R' ? 1 : 0];
  product->category_id = category_ids[demo->category];
  product->position = (gint) index;
  product->embed = demo->embed;
  if (demo->embed != JOREN_EMBED_NONE)
    g_ptr_array_add (product->barcodes,
                     g_strdup_printf ("%u", IN_STORE_KEY_FIRST + (*in_store_keys)++));
  else if (demo_categories[demo->category].barcodes)
    g_ptr_array_add (product->barcodes, make_ean13 (demo_shops[preset].gs1_prefix, index + 1));
  return product;
}

static gboolean
store_products (JorenDb       *db,
                PresetIndex    preset,
                const gint64   tax_ids[2],
                const gint64   category_ids[N_CATEGORIES],
                GError       **error)
{
  guint in_store_keys = 0;

  for (guint i = 0; i < G_N_ELEMENTS (demo_products); i++)
    {
      g_autoptr(JorenProduct) product = make_product (preset, i, tax_ids, category_ids,
                                                      &in_store_keys);

      if (!joren_catalog_store_product (db, product, error))
        return FALSE;
    }
  return TRUE;
}

/* A count card (11 coffees for the price of 10, half a year) and a
 * stamp card (every 10th coffee free), so the till's loyalty panel has
 * something to show. The card sits with the tea, after its drinks: the
 * coffee page keeps its ten drinks. */
static const struct {
  const char *card[N_PRESETS];
  gint64      price[N_PRESETS];
  const char *stamps[N_PRESETS];
} demo_loyalty = {
  { "コーヒー回数券 11杯", "Zehnerkarte + 1 Kaffee", "咖啡回數券 11杯" }, { 4500, 2800, 900 },
  { "コーヒースタンプ", "Kaffee-Stempelkarte", "咖啡集點卡" },
};

static gint64
first_product_of (JorenDb *db,
                  gint64   category_id)
{
  g_autoptr(JorenStmt) stmt = joren_db_prepare (db, "SELECT id FROM products WHERE category_id = ?"
                                                    " ORDER BY position LIMIT 1", NULL);
  gboolean has_row = FALSE;

  if (stmt == NULL)
    return 0;
  sqlite3_bind_int64 (stmt, 1, category_id);
  if (!joren_db_step_row (db, stmt, &has_row, _("Could not create the demo shop."), NULL)
      || !has_row)
    return 0;
  return sqlite3_column_int64 (stmt, 0);
}

static gboolean
store_loyalty (JorenDb       *db,
               PresetIndex    preset,
               const gint64   tax_ids[2],
               const gint64   category_ids[N_CATEGORIES],
               GError       **error)
{
  g_autoptr(JorenProduct) card = joren_product_new ();
  JorenStampProgramme stamps = { 0, (char *) demo_loyalty.stamps[preset], 0,
                                 category_ids[COFFEE], 10 };
  JorenPunchProduct punch = { 0, 11, 180, 0, category_ids[COFFEE] };

  card->sku = g_strdup ("TE900");
  card->name = g_strdup (demo_loyalty.card[preset]);
  card->price = demo_loyalty.price[preset];
  card->tax_class_id = tax_ids[0];
  card->category_id = category_ids[TEA];
  card->position = 900;
  if (!joren_catalog_store_product (db, card, error))
    return FALSE;
  punch.product_id = card->id;
  /* A visit with nothing on the sale yet pours the house coffee. */
  punch.covers_product_id = first_product_of (db, category_ids[COFFEE]);
  return joren_punch_set_product (db, &punch, error)
         && joren_punch_add_programme (db, &stamps, error);
}

static gboolean
store_staff (JorenDb  *db,
             GError  **error)
{
  for (guint i = 0; i < G_N_ELEMENTS (demo_staff); i++)
    {
      g_autoptr(JorenStaff) staff = joren_staff_add (db, demo_staff[i].name, demo_staff[i].role,
                                                     demo_staff[i].pin, error);

      if (staff == NULL)
        return FALSE;
    }
  return TRUE;
}

static gboolean
store_demo (JorenDb      *db,
            PresetIndex   preset,
            GError      **error)
{
  gint64 tax_ids[2] = { 0, 0 };
  gint64 category_ids[N_CATEGORIES] = { 0 };

  return store_demo_shop (db, preset, error)
         && store_tax_classes (db, preset, tax_ids, error)
         && store_categories (db, preset, category_ids, error)
         && store_products (db, preset, tax_ids, category_ids, error)
         && store_loyalty (db, preset, tax_ids, category_ids, error)
         && store_staff (db, error);
}

gboolean
joren_db_create_demo (JorenDb     *db,
                      const char  *preset_id,
                      GError     **error)
{
  g_autofree char *existing = NULL;
  PresetIndex preset;

  g_return_val_if_fail (JOREN_IS_DB (db), FALSE);

  if (!find_preset (preset_id != NULL ? preset_id : "jp", &preset, error))
    return FALSE;
  existing = joren_db_get_setting (db, "shop.preset");
  if (existing != NULL)
    return TRUE;
  /* One transaction: a first start that is interrupted leaves no half shop. */
  if (!joren_db_begin (db, error))
    return FALSE;
  if (store_demo (db, preset, error))
    return joren_db_commit (db, error);
  joren_db_rollback (db);
  return FALSE;
}
