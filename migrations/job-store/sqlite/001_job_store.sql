-- Kairos job store, SQLite dialect. Times are epoch milliseconds (UTC).
CREATE TABLE jobs (
  id             TEXT PRIMARY KEY,
  func           TEXT NOT NULL,
  trigger        TEXT,
  kwargs         TEXT NOT NULL,
  options        TEXT NOT NULL,
  owner          TEXT NOT NULL CHECK (owner IN ('yaml', 'api', 'manual')),
  version        TEXT NOT NULL,
  created_at     INTEGER NOT NULL,
  updated_at     INTEGER NOT NULL,
  next_run_time  INTEGER,
  paused         INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX jobs_due ON jobs (next_run_time) WHERE next_run_time IS NOT NULL AND paused = 0;

CREATE TABLE job_dependencies (
  child_id      TEXT NOT NULL REFERENCES jobs (id) ON DELETE CASCADE,
  parent_id     TEXT NOT NULL,
  satisfied_at  INTEGER,
  PRIMARY KEY (child_id, parent_id)
);
CREATE INDEX job_dependencies_parent ON job_dependencies (parent_id);

-- The fire ledger and run history: one row per (job, scheduled time, attempt).
CREATE TABLE runs (
  id                INTEGER PRIMARY KEY,
  job_id            TEXT NOT NULL,
  scheduled_at      INTEGER NOT NULL,
  attempt           INTEGER NOT NULL DEFAULT 1,
  kind              TEXT NOT NULL,
  status            TEXT NOT NULL,
  due_at            INTEGER,
  kwargs            TEXT,
  instance_id       TEXT,
  submitted_at      INTEGER NOT NULL,
  started_at        INTEGER,
  finished_at       INTEGER,
  duration_ms       REAL,
  lease_until       INTEGER,
  message           TEXT,
  error             TEXT,
  result            TEXT,
  log_tail          TEXT,
  UNIQUE (job_id, scheduled_at, attempt)
);
CREATE INDEX runs_job_recent ON runs (job_id, id DESC);
CREATE INDEX runs_pending ON runs (due_at) WHERE status = 'pending';
CREATE INDEX runs_running ON runs (job_id) WHERE status = 'running';
CREATE INDEX runs_finished ON runs (finished_at) WHERE finished_at IS NOT NULL;

-- Counters per job id; they outlive job redefinitions and run-history retention.
CREATE TABLE job_stats (
  job_id            TEXT PRIMARY KEY,
  total_runs        INTEGER NOT NULL DEFAULT 0,
  total_success     INTEGER NOT NULL DEFAULT 0,
  total_error       INTEGER NOT NULL DEFAULT 0,
  total_missed      INTEGER NOT NULL DEFAULT 0,
  last_event        TEXT,
  last_scheduled_at INTEGER,
  last_started_at   INTEGER,
  last_finished_at  INTEGER,
  last_duration_ms  REAL,
  last_error        TEXT,
  last_success_at   INTEGER
);

CREATE TABLE instances (
  id            TEXT PRIMARY KEY,
  host          TEXT NOT NULL,
  pid           INTEGER NOT NULL,
  version       TEXT NOT NULL,
  started_at    INTEGER NOT NULL,
  heartbeat_at  INTEGER NOT NULL
);

CREATE TABLE scheduler_state (
  key    TEXT PRIMARY KEY,
  value  TEXT NOT NULL
);
