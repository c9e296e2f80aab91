// The results database's schema, one numbered step each; a database is at the step in its user_version.
// Steps are never edited once released: a change is a new step, so every site's file can be brought up to date.

export interface Migration {
  version: number;
  sql: string;
}

export const RESULT_MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    // The whole message is kept as received; the columns are what queries filter and sort on.
    sql: `
      CREATE TABLE results (
        task_id TEXT PRIMARY KEY,
        camera_id TEXT NOT NULL,
        frame_id TEXT NOT NULL,
        group_id TEXT NOT NULL,
        captured_at_ms INTEGER NOT NULL,
        assessed_at_ms INTEGER NOT NULL,
        stored_at_ms INTEGER NOT NULL,
        status TEXT NOT NULL,
        risk_level TEXT NOT NULL,
        risk_score REAL NOT NULL,
        message TEXT NOT NULL
      ) STRICT;
      CREATE INDEX results_by_camera ON results (camera_id, captured_at_ms DESC);
      CREATE INDEX results_by_age ON results (stored_at_ms);
    `,
  },
  {
    version: 2,
    // Alerts and their audit log, and the crops of verdicts worth a picture. An event's seq numbers every change of every alert: the stream resumes from it.
    sql: `
      CREATE TABLE alerts (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        kind TEXT NOT NULL,
        rule TEXT NOT NULL,
        camera_id TEXT,
        subject TEXT NOT NULL,
        region TEXT,
        state TEXT NOT NULL,
        level TEXT NOT NULL,
        risk_types TEXT NOT NULL,
        summary TEXT NOT NULL,
        last_task_id TEXT,
        count INTEGER NOT NULL,
        first_seen_ms INTEGER NOT NULL,
        last_seen_ms INTEGER NOT NULL,
        snoozed_until_ms INTEGER,
        owner TEXT,
        updated_ms INTEGER NOT NULL
      ) STRICT;
      CREATE INDEX alerts_open ON alerts (kind, rule, subject) WHERE state IN ('new', 'acknowledged', 'snoozed');
      CREATE INDEX alerts_by_last_seen ON alerts (last_seen_ms DESC, id DESC);
      CREATE TABLE alert_events (
        seq INTEGER PRIMARY KEY AUTOINCREMENT,
        alert_id INTEGER NOT NULL REFERENCES alerts (id) ON DELETE CASCADE,
        at_ms INTEGER NOT NULL,
        actor TEXT NOT NULL,
        action TEXT NOT NULL,
        from_state TEXT,
        to_state TEXT NOT NULL,
        comment TEXT
      ) STRICT;
      CREATE INDEX alert_events_by_alert ON alert_events (alert_id, seq);
      CREATE TABLE result_crops (
        task_id TEXT PRIMARY KEY REFERENCES results (task_id) ON DELETE CASCADE,
        jpeg BLOB NOT NULL
      ) STRICT;
    `,
  },
];

export const RESULT_SCHEMA_VERSION = RESULT_MIGRATIONS[RESULT_MIGRATIONS.length - 1]!.version;
