-- Kairos job store, PostgreSQL dialect. Runs with search_path set to the
-- configured schema. Times are epoch milliseconds (UTC), as in the SQLite store.
CREATE TABLE jobs (
  id             text PRIMARY KEY,
  func           text NOT NULL,
  trigger        jsonb,
  kwargs         jsonb NOT NULL,
  options        jsonb NOT NULL,
  owner          text NOT NULL CHECK (owner IN ('yaml', 'api', 'manual')),
  version        text NOT NULL,
  created_at     bigint NOT NULL,
  updated_at     bigint NOT NULL,
  next_run_time  bigint,
  paused         boolean NOT NULL DEFAULT false
);
CREATE INDEX jobs_due ON jobs (next_run_time) WHERE next_run_time IS NOT NULL AND NOT paused;

CREATE TABLE job_dependencies (
  child_id      text NOT NULL REFERENCES jobs (id) ON DELETE CASCADE,
  parent_id     text NOT NULL,
  satisfied_at  bigint,
  PRIMARY KEY (child_id, parent_id)
);
CREATE INDEX job_dependencies_parent ON job_dependencies (parent_id);

-- The fire ledger and run history: one row per (job, scheduled time, attempt).
CREATE TABLE runs (
  id                bigserial PRIMARY KEY,
  job_id            text NOT NULL,
  scheduled_at      bigint NOT NULL,
  attempt           integer NOT NULL DEFAULT 1,
  kind              text NOT NULL,
  status            text NOT NULL,
  due_at            bigint,
  kwargs            jsonb,
  instance_id       text,
  submitted_at      bigint NOT NULL,
  started_at        bigint,
  finished_at       bigint,
  duration_ms       double precision,
  lease_until       bigint,
  message           text,
  error             text,
  result            jsonb,
  log_tail          jsonb,
  UNIQUE (job_id, scheduled_at, attempt)
);
CREATE INDEX runs_job_recent ON runs (job_id, id DESC);
CREATE INDEX runs_pending ON runs (due_at) WHERE status = 'pending';
CREATE INDEX runs_running ON runs (job_id) WHERE status = 'running';
CREATE INDEX runs_finished ON runs (finished_at) WHERE finished_at IS NOT NULL;

CREATE TABLE job_stats (
  job_id            text PRIMARY KEY,
  total_runs        integer NOT NULL DEFAULT 0,
  total_success     integer NOT NULL DEFAULT 0,
  total_error       integer NOT NULL DEFAULT 0,
  total_missed      integer NOT NULL DEFAULT 0,
  last_event        text,
  last_scheduled_at bigint,
  last_started_at   bigint,
  last_finished_at  bigint,
  last_duration_ms  double precision,
  last_error        text,
  last_success_at   bigint
);

CREATE TABLE instances (
  id            text PRIMARY KEY,
  host          text NOT NULL,
  pid           integer NOT NULL,
  version       text NOT NULL,
  started_at    bigint NOT NULL,
  heartbeat_at  bigint NOT NULL
);

CREATE TABLE scheduler_state (
  key    text PRIMARY KEY,
  value  text NOT NULL
);
