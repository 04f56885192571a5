-- DATA: portfolios and account snapshots. Instants are ISO-8601 UTC text, balances JSON text.
CREATE TABLE portfolio (
  portfolio TEXT PRIMARY KEY,
  exchange TEXT NOT NULL,
  status TEXT NOT NULL,
  api_key TEXT,
  api_secret TEXT,
  password TEXT,
  memo TEXT,
  position_threshold REAL,
  master_portfolio TEXT,
  composite TEXT
);
CREATE INDEX portfolio_master_portfolio ON portfolio (master_portfolio);

CREATE TABLE account_summary_1_minute (
  portfolio TEXT NOT NULL,
  exchange TEXT NOT NULL,
  total_usd_value REAL NOT NULL,
  balances TEXT NOT NULL,
  transfer_adjustment REAL NOT NULL,
  "current_time" TEXT NOT NULL,
  tw_time TEXT,
  PRIMARY KEY (portfolio, "current_time")
) WITHOUT ROWID;
CREATE INDEX account_summary_1_minute_time ON account_summary_1_minute ("current_time", portfolio);
