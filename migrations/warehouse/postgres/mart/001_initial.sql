-- MART: performance chains (SPEC 13). Instants are timestamptz.
-- Keys collate as "C" so that ordering by key is bytewise, as in SQLite and MongoDB.
CREATE TABLE portfolio_performance (
  portfolio text COLLATE "C" NOT NULL,
  total_usd_value double precision NOT NULL,
  history_high double precision NOT NULL,
  nav double precision NOT NULL,
  current_return double precision NOT NULL,
  crr double precision NOT NULL,
  cd double precision NOT NULL,
  mdd double precision NOT NULL,
  "current_time" timestamptz NOT NULL,
  tw_time text,
  PRIMARY KEY (portfolio, "current_time")
);
CREATE INDEX portfolio_performance_time ON portfolio_performance ("current_time", portfolio);

CREATE TABLE master_portfolio_performance (
  master_portfolio text COLLATE "C" NOT NULL,
  total_usd_value double precision NOT NULL,
  history_high double precision NOT NULL,
  nav double precision NOT NULL,
  current_return double precision NOT NULL,
  crr double precision NOT NULL,
  cd double precision NOT NULL,
  mdd double precision NOT NULL,
  "current_time" timestamptz NOT NULL,
  tw_time text,
  PRIMARY KEY (master_portfolio, "current_time")
);
CREATE INDEX master_portfolio_performance_time ON master_portfolio_performance ("current_time", master_portfolio);
