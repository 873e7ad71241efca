// The team database's schema, as numbered migrations applied by `triage team init` (idempotent: each
// version is recorded in triage.schema_migrations and applied once, in one transaction). Every desktop
// checks the recorded versions at connect and refuses a database written by a newer app, as the SQLite
// store does.
//
// Design, in the database itself rather than in our code:
// - Two group roles: triage_agents (read everything, push their own imports) and triage_leads (also
//   decisions, model versions, activations and thresholds). People log in as their own PostgreSQL role
//   and are granted one of the two (`triage team member add`). GRANTs refuse an agent's decision before
//   any of our code runs; row-level security makes `author` the authenticated role (current_user).
// - Every synced row carries `seq`, taken from one sequence by a trigger that first takes a
//   transaction-level advisory lock: writers commit one after another, so a reader that has seen seq N
//   has seen every row below N. That makes `seq > cursor` a safe, resumable cursor.
// - Decisions, models, activations and thresholds are append-only (a trigger refuses UPDATE/DELETE).
export interface TeamMigration {
  readonly version: number
  readonly name: string
  readonly sql: string
}

/** Group role names (cluster-wide in PostgreSQL). */
export const AGENTS_ROLE = 'triage_agents'
export const LEADS_ROLE = 'triage_leads'

const SYNCED = ['tickets', 'decisions', 'model_files', 'models', 'activations', 'thresholds'] as const
const LEAD_ONLY = ['decisions', 'model_files', 'models', 'activations', 'thresholds'] as const

/** The columns every synced table ends with; the trigger fills them, whatever the client sent. */
const STAMP = `desktop uuid NOT NULL, author text NOT NULL, seq bigint NOT NULL, server_at timestamptz NOT NULL`

export const TEAM_MIGRATIONS: readonly TeamMigration[] = [
  {
    version: 1,
    name: 'roles-tickets-decisions-models',
    sql: `
      DO $$ BEGIN
        IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '${AGENTS_ROLE}') THEN CREATE ROLE ${AGENTS_ROLE} NOLOGIN; END IF;
        IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '${LEADS_ROLE}') THEN CREATE ROLE ${LEADS_ROLE} NOLOGIN; END IF;
        IF NOT pg_has_role('${LEADS_ROLE}', '${AGENTS_ROLE}', 'MEMBER') THEN GRANT ${AGENTS_ROLE} TO ${LEADS_ROLE}; END IF;
      END $$;
      GRANT USAGE ON SCHEMA triage TO ${AGENTS_ROLE};
      GRANT SELECT ON triage.schema_migrations TO ${AGENTS_ROLE};

      CREATE TABLE triage.team (id uuid PRIMARY KEY, created_at timestamptz NOT NULL DEFAULT now());
      INSERT INTO triage.team (id) VALUES (gen_random_uuid());
      GRANT SELECT ON triage.team TO ${AGENTS_ROLE};

      CREATE SEQUENCE triage.change_seq;
      GRANT USAGE ON SEQUENCE triage.change_seq TO ${AGENTS_ROLE};

      CREATE FUNCTION triage.stamp_change() RETURNS trigger LANGUAGE plpgsql AS $fn$
      BEGIN
        -- Held to commit: the next writer waits, so seq order is commit order and no cursor skips a row.
        PERFORM pg_advisory_xact_lock(hashtext('triage.change_seq'));
        NEW.seq := nextval('triage.change_seq');
        NEW.author := current_user;
        NEW.server_at := now();
        RETURN NEW;
      END $fn$;

      CREATE FUNCTION triage.append_only() RETURNS trigger LANGUAGE plpgsql AS $fn$
      BEGIN
        RAISE EXCEPTION 'triage.% is append-only: record a new row (an undo, a new version) instead', TG_TABLE_NAME
          USING ERRCODE = 'insufficient_privilege';
      END $fn$;

      -- The payload is the writing desktop's id, so a desktop ignores its own writes; PostgreSQL sends one
      -- notification per distinct payload per transaction, so a batch of a thousand rows notifies once.
      CREATE FUNCTION triage.notify_change() RETURNS trigger LANGUAGE plpgsql AS $fn$
      BEGIN
        PERFORM pg_notify('triage_changes', NEW.desktop::text);
        RETURN NULL;
      END $fn$;

      CREATE TABLE triage.tickets (
        external_id text PRIMARY KEY,
        subject text NOT NULL,
        body text NOT NULL,
        created text,
        status text,
        priority text,
        -- the helpdesk's labels in this version of the ticket: [[target, value], ...]
        labels jsonb NOT NULL,
        raw text NOT NULL,
        content_hash text NOT NULL,
        ${STAMP}
      );

      CREATE TABLE triage.decisions (
        id uuid PRIMARY KEY,
        external_id text NOT NULL REFERENCES triage.tickets(external_id),
        target text NOT NULL,
        action text NOT NULL CHECK (action IN ('accept', 'correct', 'undo')),
        predicted text,
        from_value text,
        to_value text,
        undoes uuid REFERENCES triage.decisions(id),
        batch_id text,
        decided_at timestamptz NOT NULL,
        ${STAMP}
      );

      -- Head files, content-addressed: the database itself checks that the name is the bytes' sha256.
      CREATE TABLE triage.model_files (
        sha256 text PRIMARY KEY CHECK (sha256 = encode(sha256(bytes), 'hex')),
        bytes bytea NOT NULL,
        ${STAMP}
      );

      CREATE TABLE triage.models (
        id uuid PRIMARY KEY,
        target text NOT NULL,
        head_sha256 text NOT NULL REFERENCES triage.model_files(sha256),
        graph_sha256 text REFERENCES triage.model_files(sha256),
        params jsonb NOT NULL,
        metrics jsonb NOT NULL,
        trained_at timestamptz NOT NULL,
        ${STAMP}
      );

      -- The active version of a target is its activation with the highest seq.
      CREATE TABLE triage.activations (
        id uuid PRIMARY KEY,
        model_id uuid NOT NULL REFERENCES triage.models(id),
        target text NOT NULL,
        ${STAMP}
      );

      CREATE TABLE triage.thresholds (
        id uuid PRIMARY KEY,
        model_id uuid NOT NULL REFERENCES triage.models(id),
        thresholds jsonb NOT NULL,
        ${STAMP}
      );

      ${SYNCED.map(
        (t) => `
      CREATE INDEX ${t}_seq ON triage.${t}(seq);
      CREATE TRIGGER ${t}_stamp BEFORE INSERT OR UPDATE ON triage.${t} FOR EACH ROW EXECUTE FUNCTION triage.stamp_change();
      CREATE TRIGGER ${t}_notify AFTER INSERT OR UPDATE ON triage.${t} FOR EACH ROW EXECUTE FUNCTION triage.notify_change();
      ALTER TABLE triage.${t} ENABLE ROW LEVEL SECURITY;
      CREATE POLICY ${t}_read ON triage.${t} FOR SELECT TO ${AGENTS_ROLE} USING (true);
      GRANT SELECT ON triage.${t} TO ${AGENTS_ROLE};`
      ).join('\n')}

      ${LEAD_ONLY.map(
        (t) => `
      CREATE TRIGGER ${t}_append_only BEFORE UPDATE OR DELETE ON triage.${t} FOR EACH ROW EXECUTE FUNCTION triage.append_only();
      CREATE POLICY ${t}_leads_write ON triage.${t} FOR INSERT TO ${LEADS_ROLE} WITH CHECK (author = current_user);
      GRANT INSERT ON triage.${t} TO ${LEADS_ROLE};`
      ).join('\n')}

      -- Agents bring their own imports (and re-imports of changed tickets); the row says who did.
      CREATE POLICY tickets_import ON triage.tickets FOR INSERT TO ${AGENTS_ROLE} WITH CHECK (author = current_user);
      CREATE POLICY tickets_reimport ON triage.tickets FOR UPDATE TO ${AGENTS_ROLE} USING (true) WITH CHECK (author = current_user);
      GRANT INSERT, UPDATE ON triage.tickets TO ${AGENTS_ROLE};
    `
  }
]

export const TEAM_SCHEMA_VERSION = TEAM_MIGRATIONS.length
