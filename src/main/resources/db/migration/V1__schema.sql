-- Reelflow data model: the row is the truth (see docs/architecture.md).
-- The vector extension is created by scripts/setup as a superuser; this only asserts it.
create extension if not exists vector;

create table api_keys (
    id            uuid primary key,
    user_id       text        not null,
    tier          text        not null check (tier in ('free', 'pro', 'enterprise')),
    key_hash      text        not null unique,
    key_prefix    text        not null,
    label         text,
    created_at    timestamptz not null default now(),
    revoked_at    timestamptz
);
create index api_keys_user on api_keys (user_id);

create table videos (
    id               uuid primary key,
    user_id          text        not null,
    idempotency_key  text,
    original_prompt  text        not null,
    prompt_hash      text        not null,
    options          jsonb       not null,
    status           text        not null check (status in
                       ('queued', 'planning', 'generating', 'composing', 'succeeded', 'failed', 'canceled', 'expired')),
    scene_count      int,
    final_video_key  text,
    thumbnail_key    text,
    cached_from      uuid references videos (id),
    error_code       text,
    error_message    text,
    cost_estimate    numeric(12, 4),
    created_at       timestamptz not null default now(),
    updated_at       timestamptz not null default now(),
    completed_at     timestamptz,
    expires_at       timestamptz
);
create unique index videos_idempotency on videos (user_id, idempotency_key) where idempotency_key is not null;
create index videos_user_created on videos (user_id, created_at desc, id desc);
create index videos_unfinished on videos (status, updated_at)
    where status in ('queued', 'planning', 'generating', 'composing');

create table scenes (
    id                uuid primary key,
    video_id          uuid        not null references videos (id) on delete cascade,
    sequence_number   int         not null,
    display_order     int         not null,
    visual_prompt     text        not null,
    audio_script      text        not null,
    headline          text        not null,
    duration_ms       int         not null check (duration_ms > 0),
    status            text        not null check (status in ('pending', 'generating', 'succeeded', 'failed', 'canceled')),
    retry_count       int         not null default 0,
    provider          text,
    provider_job_id   text,
    lease_owner       text,
    lease_expires_at  timestamptz,
    error_code        text,
    error_message     text,
    started_at        timestamptz,
    finished_at       timestamptz,
    unique (video_id, sequence_number)
);
create index scenes_expired_leases on scenes (lease_expires_at) where status = 'generating';

create table assets (
    id                   uuid primary key,
    video_id             uuid        not null references videos (id) on delete cascade,
    scene_id             uuid references scenes (id) on delete cascade,
    asset_type           text        not null check (asset_type in
                           ('image', 'video', 'speech', 'music', 'subtitles', 'script', 'final', 'thumbnail')),
    storage_key          text        not null,
    content_type         text        not null,
    bytes                bigint      not null,
    duration_ms          int,
    provider             text,
    provider_latency_ms  int,
    created_at           timestamptz not null default now()
);
create unique index assets_one_per_kind on assets (video_id, coalesce(scene_id, '00000000-0000-0000-0000-000000000000'::uuid), asset_type);

create table job_events (
    id          bigserial primary key,
    video_id    uuid        not null references videos (id) on delete cascade,
    scene_id    uuid,
    event_type  text        not null,
    stage       text        not null,
    detail      jsonb,
    created_at  timestamptz not null default now()
);
create index job_events_video on job_events (video_id, id);

create table outbox (
    id            bigserial primary key,
    aggregate_id  uuid        not null,
    destination   text        not null,
    payload       jsonb       not null,
    created_at    timestamptz not null default now(),
    claimed_until timestamptz,
    published_at  timestamptz,
    attempts      int         not null default 0
);
create index outbox_unpublished on outbox (id) where published_at is null;

create table prompt_embeddings (
    video_id    uuid primary key references videos (id) on delete cascade,
    model       text        not null,
    embedding   vector(384) not null,
    created_at  timestamptz not null default now()
);
create index prompt_embeddings_hnsw on prompt_embeddings using hnsw (embedding vector_cosine_ops);

create table notifications (
    id              uuid primary key,
    video_id        uuid        not null references videos (id) on delete cascade,
    event_type      text        not null,
    channel         text        not null,
    status          text        not null check (status in ('pending', 'sending', 'sent', 'failed', 'dead')),
    attempts        int         not null default 0,
    last_error      text,
    created_at      timestamptz not null default now(),
    sent_at         timestamptz,
    unique (video_id, event_type, channel)
);

-- Camel idempotent consumers (JdbcMessageIdRepository layout) for queue and webhook dedup.
create table processed_messages (
    processorname  varchar(255) not null,
    messageid      varchar(100) not null,
    createdat      timestamp    not null default now(),
    primary key (processorname, messageid)
);

create table inbound_webhooks (
    provider     text        not null,
    webhook_id   text        not null,
    received_at  timestamptz not null default now(),
    payload      jsonb,
    primary key (provider, webhook_id)
);

-- Camel JdbcAggregationRepository tables for the scene barrier.
create table scene_barrier (
    id        varchar(255) primary key,
    exchange  bytea        not null,
    version   bigint       not null
);
create table scene_barrier_completed (
    id        varchar(255) primary key,
    exchange  bytea        not null,
    version   bigint       not null
);

create table cost_ledger (
    id          bigserial primary key,
    video_id    uuid        not null references videos (id) on delete cascade,
    user_id     text        not null,
    item        text        not null,
    amount      numeric(12, 6) not null,
    created_at  timestamptz not null default now()
);
create index cost_ledger_user on cost_ledger (user_id, created_at);
