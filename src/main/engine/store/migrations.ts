// Numbered migrations, applied in order inside one transaction at start-up. A database records the
// versions it has seen in `schema_migrations`; one whose versions are not a prefix of ours was written by a
// newer app and is refused rather than guessed at.
export interface Migration {
  readonly version: number
  readonly name: string
  readonly sql: string
}

export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: 'tickets-imports-labels',
    sql: `
      CREATE TABLE imports (
        id INTEGER PRIMARY KEY,
        file_name TEXT NOT NULL,
        file_path TEXT NOT NULL,
        sha256 TEXT NOT NULL,
        bytes INTEGER NOT NULL,
        encoding TEXT NOT NULL,
        delimiter TEXT NOT NULL,
        headers TEXT NOT NULL,
        mapping TEXT NOT NULL,
        status TEXT NOT NULL CHECK (status IN ('running', 'done', 'cancelled', 'failed', 'interrupted')),
        read INTEGER NOT NULL DEFAULT 0,
        imported INTEGER NOT NULL DEFAULT 0,
        updated INTEGER NOT NULL DEFAULT 0,
        duplicate INTEGER NOT NULL DEFAULT 0,
        rejected INTEGER NOT NULL DEFAULT 0,
        started_at TEXT NOT NULL,
        finished_at TEXT,
        seconds REAL NOT NULL DEFAULT 0,
        message TEXT
      ) STRICT;

      CREATE TABLE import_errors (
        id INTEGER PRIMARY KEY,
        import_id INTEGER NOT NULL REFERENCES imports(id) ON DELETE CASCADE,
        line INTEGER NOT NULL,
        reason TEXT NOT NULL,
        column_name TEXT,
        raw TEXT NOT NULL
      ) STRICT;
      CREATE INDEX import_errors_by_import ON import_errors(import_id, line);

      CREATE TABLE tickets (
        id INTEGER PRIMARY KEY,
        external_id TEXT NOT NULL UNIQUE,
        subject TEXT NOT NULL,
        body TEXT NOT NULL,
        created TEXT,
        status TEXT,
        priority TEXT,
        raw TEXT NOT NULL,
        content_hash TEXT NOT NULL,
        import_id INTEGER NOT NULL REFERENCES imports(id),
        last_import_id INTEGER NOT NULL REFERENCES imports(id),
        imported_at TEXT NOT NULL,
        updated_at TEXT,
        -- a likely duplicate of an earlier ticket (cosine above the setting at import)
        duplicate_of INTEGER REFERENCES tickets(id) ON DELETE SET NULL,
        duplicate_score REAL
      ) STRICT;
      CREATE INDEX tickets_created ON tickets(created, id);
      CREATE INDEX tickets_status ON tickets(status, id);
      CREATE INDEX tickets_priority ON tickets(priority, id);

      CREATE TABLE labels (
        id INTEGER PRIMARY KEY,
        ticket_id INTEGER NOT NULL REFERENCES tickets(id) ON DELETE CASCADE,
        target TEXT NOT NULL,
        value TEXT NOT NULL,
        origin TEXT NOT NULL CHECK (origin IN ('import', 'review')),
        who TEXT,
        at TEXT NOT NULL,
        current INTEGER NOT NULL DEFAULT 1 CHECK (current IN (0, 1))
      ) STRICT;
      CREATE UNIQUE INDEX labels_current ON labels(ticket_id, target) WHERE current = 1;
      CREATE INDEX labels_by_value ON labels(target, value, ticket_id) WHERE current = 1;
      CREATE INDEX labels_history ON labels(ticket_id, at);

      CREATE VIRTUAL TABLE tickets_fts USING fts5(
        subject, body, content = 'tickets', content_rowid = 'id', tokenize = 'unicode61 remove_diacritics 2'
      );
    `
  },
  {
    version: 2,
    name: 'models-predictions-embeddings-reviews',
    sql: `
      CREATE TABLE models (
        id INTEGER PRIMARY KEY,
        kind TEXT NOT NULL CHECK (kind IN ('embedder', 'head')),
        name TEXT NOT NULL,
        target TEXT,
        version INTEGER NOT NULL,
        sha256 TEXT NOT NULL,
        files TEXT NOT NULL,
        params TEXT NOT NULL,
        metrics TEXT NOT NULL,
        active INTEGER NOT NULL DEFAULT 0 CHECK (active IN (0, 1)),
        created_at TEXT NOT NULL,
        UNIQUE (kind, name, version)
      ) STRICT;

      CREATE TABLE predictions (
        ticket_id INTEGER NOT NULL REFERENCES tickets(id) ON DELETE CASCADE,
        model_id INTEGER NOT NULL REFERENCES models(id) ON DELETE CASCADE,
        label TEXT NOT NULL,
        confidence REAL NOT NULL,
        top_k TEXT NOT NULL,
        margin REAL NOT NULL,
        needs_review INTEGER NOT NULL CHECK (needs_review IN (0, 1)),
        review_reason TEXT CHECK (review_reason IN ('low_confidence', 'sample')),
        predicted_at TEXT NOT NULL,
        PRIMARY KEY (ticket_id, model_id)
      ) STRICT;
      CREATE INDEX predictions_review ON predictions(model_id, needs_review, confidence);

      CREATE TABLE embeddings (
        ticket_id INTEGER NOT NULL REFERENCES tickets(id) ON DELETE CASCADE,
        embedder TEXT NOT NULL,
        dim INTEGER NOT NULL,
        vector BLOB NOT NULL,
        PRIMARY KEY (ticket_id, embedder)
      ) STRICT;

      CREATE TABLE reviews (
        id INTEGER PRIMARY KEY,
        ticket_id INTEGER NOT NULL REFERENCES tickets(id) ON DELETE CASCADE,
        target TEXT NOT NULL,
        action TEXT NOT NULL CHECK (action IN ('accept', 'correct', 'undo')),
        predicted TEXT,
        from_value TEXT,
        to_value TEXT,
        model_id INTEGER REFERENCES models(id) ON DELETE SET NULL,
        -- the label row this decision replaced, so that undo can restore it
        prev_label_id INTEGER,
        undoes INTEGER REFERENCES reviews(id),
        undone INTEGER NOT NULL DEFAULT 0 CHECK (undone IN (0, 1)),
        who TEXT NOT NULL,
        at TEXT NOT NULL
      ) STRICT;
      CREATE INDEX reviews_by_time ON reviews(at);

      CREATE TABLE settings (
        key TEXT PRIMARY KEY,
        value TEXT NOT NULL
      ) STRICT;
      CREATE INDEX reviews_by_ticket ON reviews(ticket_id, at);
    `
  },
  {
    version: 3,
    name: 'import-heartbeat',
    // A running import says who runs it (host:pid) and beats every few seconds, so a second engine on the
    // same database (the CLI while the app imports) tells a live import from one a crash cut short.
    sql: `
      ALTER TABLE imports ADD COLUMN owner TEXT;
      ALTER TABLE imports ADD COLUMN heartbeat_at TEXT;
    `
  },
  {
    version: 4,
    name: 'review-batches',
    // The decisions of one "Accept all" share a batch id, so that the whole batch can be undone as one step.
    sql: `
      ALTER TABLE reviews ADD COLUMN batch_id TEXT;
      CREATE INDEX reviews_by_batch ON reviews(batch_id) WHERE batch_id IS NOT NULL;
    `
  },
  {
    version: 5,
    name: 'team-sync',
    // Sync state for the team database (src/main/engine/team): its connection (never a password), cursors,
    // and which tickets, decisions and models the team already has. Kept beside the tables they mark, not
    // in them, so that the working copy's own tables are the same with or without a team.
    sql: `
      CREATE TABLE team_config (key TEXT PRIMARY KEY, value TEXT NOT NULL) STRICT;
      -- the content of each ticket the team has (pushed or pulled); a ticket whose hash differs is pushed
      CREATE TABLE team_tickets (
        ticket_id INTEGER PRIMARY KEY REFERENCES tickets(id) ON DELETE CASCADE,
        content_hash TEXT NOT NULL
      ) STRICT;
      -- the team's id of each decision; seq is the server order, NULL until the team has it
      CREATE TABLE team_reviews (
        review_id INTEGER PRIMARY KEY REFERENCES reviews(id) ON DELETE CASCADE,
        team_id TEXT NOT NULL UNIQUE,
        seq INTEGER,
        superseded_by TEXT
      ) STRICT;
      CREATE TABLE team_models (
        model_id INTEGER PRIMARY KEY REFERENCES models(id) ON DELETE CASCADE,
        team_id TEXT NOT NULL UNIQUE,
        seq INTEGER
      ) STRICT;
    `
  }
]

export const SCHEMA_VERSION = MIGRATIONS.length
