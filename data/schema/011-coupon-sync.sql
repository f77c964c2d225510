-- 011-coupon-sync.sql: e-coupon campaigns and codes travel between
-- registers, so a code printed or e-mailed at one store is redeemed at
-- another. A campaign is known across the chain by a random UUID and
-- belongs to the register that created it: only there is it changed, and
-- every change goes to joren-server ("coupon_campaign" op), which hands
-- it to the other registers, where it is read-only (owner_register set).
-- Codes are facts: issued anywhere, pushed once ("coupon_codes" op,
-- coupon_codes.synced), appended everywhere. Single use stays the
-- server's claim at the till and each register's coupon_redemptions key.

ALTER TABLE coupon_campaigns ADD COLUMN uuid TEXT;
UPDATE coupon_campaigns SET uuid = lower (hex (randomblob (4)) || '-' || hex (randomblob (2))
  || '-4' || substr (hex (randomblob (2)), 2) || '-'
  || substr ('89ab', 1 + (abs (random ()) % 4), 1) || substr (hex (randomblob (2)), 2)
  || '-' || hex (randomblob (6)));
CREATE UNIQUE INDEX coupon_campaigns_uuid ON coupon_campaigns (uuid);
CREATE TRIGGER coupon_campaigns_new_uuid AFTER INSERT ON coupon_campaigns WHEN NEW.uuid IS NULL
BEGIN
  UPDATE coupon_campaigns SET uuid = lower (hex (randomblob (4)) || '-' || hex (randomblob (2))
    || '-4' || substr (hex (randomblob (2)), 2) || '-'
    || substr ('89ab', 1 + (abs (random ()) % 4), 1) || substr (hex (randomblob (2)), 2)
    || '-' || hex (randomblob (6)))
  WHERE id = NEW.id;
END;

-- NULL: created on this register; else the server id of the register
-- that owns it. Only the feed may change another register's campaign.
ALTER TABLE coupon_campaigns ADD COLUMN owner_register INTEGER;
CREATE TRIGGER coupon_campaigns_read_only BEFORE UPDATE ON coupon_campaigns
  WHEN OLD.owner_register IS NOT NULL AND NOT EXISTS (SELECT 1 FROM sync_applying)
BEGIN
  SELECT RAISE (ABORT, 'another register owns this campaign');
END;

-- 0: issued here and not yet queued for the server; 1: queued, or
-- received from it. Codes issued before this migration go out once.
ALTER TABLE coupon_codes ADD COLUMN synced INTEGER NOT NULL DEFAULT 0;

-- The outbox and its pending marks learn the two new kinds. SQLite
-- cannot change a CHECK in place, and renaming a copy over the original
-- trips over the triggers that name sync_pending, so both go through a
-- copy and come back under their own names (as punch_cards did in 008).
CREATE TABLE sync_outbox_copy AS SELECT * FROM sync_outbox;
DROP TABLE sync_outbox;
CREATE TABLE sync_outbox (
  seq              INTEGER PRIMARY KEY CHECK (seq >= 1),
  op_id            TEXT NOT NULL UNIQUE,
  -- ORs, not IN (...): a list of more than two builds a temporary
  -- b-tree for every row written (010-commit.sql), and every sale
  -- writes a row here.
  kind             TEXT NOT NULL CHECK (kind = 'sale' OR kind = 'customer' OR kind = 'points'
                                        OR kind = 'value' OR kind = 'coupon' OR kind = 'punch'
                                        OR kind = 'coupon_campaign' OR kind = 'coupon_codes'),
  payload          TEXT NOT NULL,
  payload_hash     TEXT NOT NULL,
  created_at       INTEGER NOT NULL,
  rejected_reason  TEXT,
  rejected_message TEXT
);
INSERT INTO sync_outbox (seq, op_id, kind, payload, payload_hash, created_at, rejected_reason,
                         rejected_message)
  SELECT seq, op_id, kind, payload, payload_hash, created_at, rejected_reason, rejected_message
  FROM sync_outbox_copy;
DROP TABLE sync_outbox_copy;

CREATE TABLE sync_pending_copy AS SELECT * FROM sync_pending;
DROP TABLE sync_pending;
CREATE TABLE sync_pending (
  entity    TEXT NOT NULL CHECK (entity = 'customer' OR entity = 'points' OR entity = 'value'
                                 OR entity = 'coupon' OR entity = 'punch'
                                 OR entity = 'coupon_campaign' OR entity = 'coupon_codes'),
  entity_id INTEGER NOT NULL,
  PRIMARY KEY (entity, entity_id)
) WITHOUT ROWID;
INSERT INTO sync_pending (entity, entity_id) SELECT entity, entity_id FROM sync_pending_copy;
DROP TABLE sync_pending_copy;

-- A campaign is marked when it or its conditions change here; codes by
-- their campaign (one op per batch, built when the marks are flushed).
CREATE TRIGGER sync_coupon_campaign_insert AFTER INSERT ON coupon_campaigns
  WHEN NOT EXISTS (SELECT 1 FROM sync_applying)
BEGIN
  INSERT OR IGNORE INTO sync_pending VALUES ('coupon_campaign', NEW.id);
END;
CREATE TRIGGER sync_coupon_campaign_update AFTER UPDATE OF name, kind, value, min_spend,
  valid_from, valid_until, active ON coupon_campaigns
  WHEN NOT EXISTS (SELECT 1 FROM sync_applying)
BEGIN
  INSERT OR IGNORE INTO sync_pending VALUES ('coupon_campaign', NEW.id);
END;
CREATE TRIGGER sync_coupon_target_insert AFTER INSERT ON coupon_targets
  WHEN NOT EXISTS (SELECT 1 FROM sync_applying)
BEGIN
  INSERT OR IGNORE INTO sync_pending VALUES ('coupon_campaign', NEW.campaign_id);
END;
CREATE TRIGGER sync_coupon_codes_insert AFTER INSERT ON coupon_codes
  WHEN NEW.synced = 0
BEGIN
  INSERT OR IGNORE INTO sync_pending VALUES ('coupon_codes', NEW.campaign_id);
END;

INSERT OR IGNORE INTO sync_pending SELECT 'coupon_campaign', id FROM coupon_campaigns;
INSERT OR IGNORE INTO sync_pending SELECT DISTINCT 'coupon_codes', campaign_id FROM coupon_codes;
