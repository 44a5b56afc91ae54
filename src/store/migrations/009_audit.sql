-- Tamper-evident audit log and optimistic-concurrency versions (docs/SECURITY.md, docs/DECISIONS.md).

-- One row per mutating call. `entry` is the canonical JSON (RFC 8785) of what happened: the exact text that
-- is hashed, so verification never re-serialises. seq, prev_hash and hash are set by the trigger below.
CREATE TABLE audit_log (
  seq       bigint PRIMARY KEY,
  at        bigint NOT NULL,
  entry     text NOT NULL,
  prev_hash text NOT NULL,
  hash      text NOT NULL
);

-- hash = sha256(prev_hash || int8send(seq) || utf8(entry)), chained from 32 zero bytes. The advisory lock
-- serialises appenders (several processes on one PostgreSQL) so seq is gapless and each row sees the last
-- one; rows of one multi-row INSERT see the rows before them (a BEFORE ROW trigger sees its own statement's
-- earlier rows). The key is any constant no other lock of Muster's uses.
CREATE FUNCTION audit_log_chain() RETURNS trigger LANGUAGE plpgsql VOLATILE AS $$
DECLARE
  last_seq  bigint;
  last_hash text;
BEGIN
  PERFORM pg_advisory_xact_lock(7242025);
  SELECT seq, hash INTO last_seq, last_hash FROM audit_log ORDER BY seq DESC LIMIT 1;
  NEW.seq := coalesce(last_seq, 0) + 1;
  NEW.prev_hash := coalesce(last_hash, repeat('0', 64));
  NEW.hash := encode(sha256(decode(NEW.prev_hash, 'hex') || int8send(NEW.seq) || convert_to(NEW.entry, 'UTF8')), 'hex');
  RETURN NEW;
END $$;
CREATE TRIGGER audit_log_chain BEFORE INSERT ON audit_log FOR EACH ROW EXECUTE FUNCTION audit_log_chain();

-- Append-only: rows are never changed or removed through SQL (a superuser can still disable the trigger;
-- `muster audit verify` is what detects that).
CREATE FUNCTION audit_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION '% is append-only: % refused', TG_TABLE_NAME, TG_OP USING ERRCODE = 'insufficient_privilege';
END $$;
CREATE TRIGGER audit_log_append_only BEFORE UPDATE OR DELETE ON audit_log
  FOR EACH ROW EXECUTE FUNCTION audit_refuse_change();
CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON audit_log
  FOR EACH STATEMENT EXECUTE FUNCTION audit_refuse_change();

-- Signed checkpoints: the ed25519 signature over the canonical JSON {at, hash, seq} proves the chain reached
-- seq with that hash; a rewritten or truncated tail no longer matches the last checkpoint.
CREATE TABLE audit_checkpoints (
  seq       bigint PRIMARY KEY,
  hash      text NOT NULL,
  at        bigint NOT NULL,
  key_id    text NOT NULL,
  signature text NOT NULL
);
CREATE TRIGGER audit_checkpoints_append_only BEFORE UPDATE OR DELETE ON audit_checkpoints
  FOR EACH ROW EXECUTE FUNCTION audit_refuse_change();
CREATE TRIGGER audit_checkpoints_no_truncate BEFORE TRUNCATE ON audit_checkpoints
  FOR EACH STATEMENT EXECUTE FUNCTION audit_refuse_change();

-- A playbook's version (its strong ETag): every UPDATE of the row bumps it, whoever writes it.
ALTER TABLE playbooks ADD COLUMN version integer NOT NULL DEFAULT 1;
CREATE FUNCTION playbooks_bump_version() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  NEW.version := OLD.version + 1;
  RETURN NEW;
END $$;
CREATE TRIGGER playbooks_bump_version BEFORE UPDATE ON playbooks FOR EACH ROW EXECUTE FUNCTION playbooks_bump_version();
