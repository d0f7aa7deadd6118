-- KoopidDashboard schema, SPEC §4. provider_id leads every key and index so the schema can be
-- distributed by tenant later (Citus: distribute every table on provider_id).

CREATE TABLE providers (
    provider_id  bigint PRIMARY KEY,
    name         text        NOT NULL,
    time_zone    text        NOT NULL DEFAULT 'UTC',
    updated_at   timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE agents (
    provider_id  bigint NOT NULL REFERENCES providers,
    agent_id     bigint NOT NULL,
    name         text   NOT NULL,
    PRIMARY KEY (provider_id, agent_id)
);

CREATE TABLE queues (
    provider_id           bigint  NOT NULL REFERENCES providers,
    queue_id              bigint  NOT NULL,
    name                  text    NOT NULL,
    service_level_seconds integer NOT NULL DEFAULT 60,
    PRIMARY KEY (provider_id, queue_id)
);

CREATE TABLE bots (
    provider_id  bigint NOT NULL REFERENCES providers,
    bot_id       bigint NOT NULL,
    name         text   NOT NULL,
    PRIMARY KEY (provider_id, bot_id)
);

CREATE TABLE customers (
    provider_id  bigint NOT NULL REFERENCES providers,
    customer_id  bigint NOT NULL,
    name         text,
    PRIMARY KEY (provider_id, customer_id)
);

-- A customer's address on one channel (phone number, e-mail, page-scoped id…).
CREATE TABLE customer_endpoints (
    provider_id  bigint NOT NULL REFERENCES providers,
    endpoint_id  bigint NOT NULL,
    customer_id  bigint NOT NULL,
    channel      text   NOT NULL,
    address      text   NOT NULL,
    PRIMARY KEY (provider_id, endpoint_id)
);
CREATE INDEX customer_endpoints_by_customer ON customer_endpoints (provider_id, customer_id);

CREATE TABLE interactions (
    provider_id      bigint      NOT NULL REFERENCES providers,
    interaction_id   bigint      NOT NULL,
    customer_id      bigint,
    channel          text        NOT NULL,
    interaction_type text        NOT NULL,
    started_at       timestamptz NOT NULL,
    ended_at         timestamptz,
    queue_id         bigint,
    queued_at        timestamptz,
    answered_at      timestamptz,
    abandoned_at     timestamptz,
    agent_id         bigint,
    bot_id           bigint,
    outcome          text,
    intent           text,
    topic            text,
    sentiment        double precision CHECK (sentiment BETWEEN -1 AND 1),
    csat             smallint CHECK (csat BETWEEN 1 AND 5),
    PRIMARY KEY (provider_id, interaction_id)
);
-- Interaction metrics are attributed to started_at, queue metrics to queued_at (SPEC §4).
CREATE INDEX interactions_by_start  ON interactions (provider_id, started_at);
CREATE INDEX interactions_by_queued ON interactions (provider_id, queued_at) WHERE queued_at IS NOT NULL;
CREATE INDEX interactions_by_customer ON interactions (provider_id, customer_id, started_at);

-- Only redacted text is stored here; the raw text (when Redaction:StoreRaw) lives in messages_raw.
CREATE TABLE messages (
    provider_id       bigint      NOT NULL REFERENCES providers,
    message_id        bigint      NOT NULL,
    interaction_id    bigint      NOT NULL,
    sent_at           timestamptz NOT NULL,
    sender_type       text        NOT NULL,
    sender_id         bigint,
    text              text        NOT NULL,
    redacted_entities text[]      NOT NULL DEFAULT '{}',
    PRIMARY KEY (provider_id, message_id)
);
CREATE INDEX messages_by_sent        ON messages (provider_id, sent_at, message_id);
CREATE INDEX messages_by_interaction ON messages (provider_id, interaction_id, sent_at);

-- Read by no endpoint: exists only for deployments that must keep the original text.
CREATE TABLE messages_raw (
    provider_id  bigint NOT NULL,
    message_id   bigint NOT NULL,
    text         text   NOT NULL,
    PRIMARY KEY (provider_id, message_id),
    FOREIGN KEY (provider_id, message_id) REFERENCES messages ON DELETE CASCADE
);

CREATE TABLE agent_sessions (
    provider_id  bigint      NOT NULL REFERENCES providers,
    session_id   bigint      NOT NULL,
    agent_id     bigint      NOT NULL,
    login_at     timestamptz NOT NULL,
    logout_at    timestamptz,
    PRIMARY KEY (provider_id, session_id)
);
CREATE INDEX agent_sessions_by_login ON agent_sessions (provider_id, login_at);
-- Open or long sessions overlap later buckets; this finds them without scanning all history.
CREATE INDEX agent_sessions_by_logout ON agent_sessions (provider_id, logout_at);

CREATE TABLE bot_sessions (
    provider_id     bigint      NOT NULL REFERENCES providers,
    bot_session_id  bigint      NOT NULL,
    bot_id          bigint      NOT NULL,
    interaction_id  bigint,
    customer_id     bigint,
    started_at      timestamptz NOT NULL,
    ended_at        timestamptz,
    outcome         text,
    turns           integer,
    PRIMARY KEY (provider_id, bot_session_id)
);
CREATE INDEX bot_sessions_by_start ON bot_sessions (provider_id, started_at);

-- API keys: only the SHA-256 of the key is kept; the key itself is shown once at creation.
CREATE TABLE api_keys (
    key_id       bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    key_hash     bytea       NOT NULL UNIQUE,
    key_prefix   text        NOT NULL,
    role         text        NOT NULL CHECK (role IN ('KoopidAdmin', 'ProviderAdmin', 'Ingest')),
    provider_id  bigint,
    name         text,
    created_at   timestamptz NOT NULL DEFAULT now(),
    revoked_at   timestamptz,
    CHECK (role = 'KoopidAdmin' OR provider_id IS NOT NULL)
);
