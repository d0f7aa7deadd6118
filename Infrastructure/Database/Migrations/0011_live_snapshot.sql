-- ChatStats' live figures (docs/performance.md): the interactions, bot sessions and agent sessions open at an instant
-- `at` are those that began at or before it and had not ended by it. Read through "began ≤ at" alone, that is every row
-- of the provider's history; split instead into the rows still open (ended IS NULL: a handful, a partial index) and the
-- rows ending after `at` (an index on the end time, partitions pruned by the start): only the rows spanning `at`.
CREATE INDEX interactions_open ON interactions (provider_id, started_at) INCLUDE (queued_at, answered_at, abandoned_at)
    WHERE ended_at IS NULL;
CREATE INDEX interactions_by_end ON interactions (provider_id, ended_at) INCLUDE (started_at, queued_at, answered_at, abandoned_at)
    WHERE ended_at IS NOT NULL;
CREATE INDEX bot_sessions_open ON bot_sessions (provider_id, started_at) WHERE ended_at IS NULL;
CREATE INDEX bot_sessions_by_end ON bot_sessions (provider_id, ended_at) INCLUDE (started_at) WHERE ended_at IS NOT NULL;
CREATE INDEX agent_sessions_open ON agent_sessions (provider_id, login_at) INCLUDE (agent_id) WHERE logout_at IS NULL;
