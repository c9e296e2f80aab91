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
];

export const RESULT_SCHEMA_VERSION = RESULT_MIGRATIONS[RESULT_MIGRATIONS.length - 1]!.version;
