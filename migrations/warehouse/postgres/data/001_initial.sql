-- DATA: portfolios and account snapshots. Instants are timestamptz, balances jsonb.
-- Keys collate as "C" so that ordering by key is bytewise, as in SQLite and MongoDB.
CREATE TABLE portfolio (
  portfolio text COLLATE "C" PRIMARY KEY,
  exchange text NOT NULL,
  status text NOT NULL,
  api_key text,
  api_secret text,
  password text,
  memo text,
  position_threshold double precision,
  master_portfolio text,
  composite text
);
CREATE INDEX portfolio_master_portfolio ON portfolio (master_portfolio);

CREATE TABLE account_summary_1_minute (
  portfolio text COLLATE "C" NOT NULL,
  exchange text NOT NULL,
  total_usd_value double precision NOT NULL,
  balances jsonb NOT NULL,
  transfer_adjustment double precision NOT NULL,
  "current_time" timestamptz NOT NULL,
  tw_time text,
  PRIMARY KEY (portfolio, "current_time")
);
CREATE INDEX account_summary_1_minute_time ON account_summary_1_minute ("current_time", portfolio);
