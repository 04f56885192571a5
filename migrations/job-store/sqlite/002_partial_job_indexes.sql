-- Start-up reads the jobs file's own jobs, and the freshness monitor the jobs with a freshness
-- limit: both are few among what may be 100,000 API jobs, so each has a partial index instead
-- of a table scan. Queries must repeat these predicates literally for SQLite to use them.
CREATE INDEX jobs_yaml ON jobs (id) WHERE owner = 'yaml';
CREATE INDEX jobs_watched ON jobs (id) WHERE json_extract(options, '$.alertIfNoSuccessWithin') IS NOT NULL;
