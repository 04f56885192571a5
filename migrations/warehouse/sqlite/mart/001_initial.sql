-- MART: performance chains (SPEC 13). Instants are ISO-8601 UTC text.
CREATE TABLE portfolio_performance (
  portfolio TEXT NOT NULL,
  total_usd_value REAL NOT NULL,
  history_high REAL NOT NULL,
  nav REAL NOT NULL,
  current_return REAL NOT NULL,
  crr REAL NOT NULL,
  cd REAL NOT NULL,
  mdd REAL NOT NULL,
  "current_time" TEXT NOT NULL,
  tw_time TEXT,
  PRIMARY KEY (portfolio, "current_time")
) WITHOUT ROWID;
CREATE INDEX portfolio_performance_time ON portfolio_performance ("current_time", portfolio);

CREATE TABLE master_portfolio_performance (
  master_portfolio TEXT NOT NULL,
  total_usd_value REAL NOT NULL,
  history_high REAL NOT NULL,
  nav REAL NOT NULL,
  current_return REAL NOT NULL,
  crr REAL NOT NULL,
  cd REAL NOT NULL,
  mdd REAL NOT NULL,
  "current_time" TEXT NOT NULL,
  tw_time TEXT,
  PRIMARY KEY (master_portfolio, "current_time")
) WITHOUT ROWID;
CREATE INDEX master_portfolio_performance_time ON master_portfolio_performance ("current_time", master_portfolio);
