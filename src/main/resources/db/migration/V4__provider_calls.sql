-- Parallel scene generation (issue 4): every provider call a scene made, provider capacity that
-- operators change at run time, the slots held right now, and where a failed video broke.

-- One row per provider job a scene started. The idempotency key is deterministic per scene,
-- capability, provider and attempt; a row that has a provider job id is resumed (polled), never
-- submitted again, so a retry or a redelivered message never pays for a second generation.
create table provider_jobs (
    id               bigserial primary key,
    scene_id         uuid        not null references scenes (id) on delete cascade,
    video_id         uuid        not null references videos (id) on delete cascade,
    capability       text        not null check (capability in ('visual', 'speech', 'music')),
    provider         text        not null,
    attempt          int         not null,
    idempotency_key  text        not null unique,
    provider_job_id  text,
    status           text        not null check (status in ('submitted', 'running', 'succeeded', 'failed', 'canceled')),
    error_code       text,
    error_message    text,
    created_at       timestamptz not null default now(),
    updated_at       timestamptz not null default now()
);
create index provider_jobs_scene on provider_jobs (scene_id, capability, id);
create index provider_jobs_video on provider_jobs (video_id);
create index provider_jobs_provider_job on provider_jobs (provider, provider_job_id) where provider_job_id is not null;

-- Slots per provider as operators set them (PUT /v1/admin/providers/{name}); a provider with no
-- row has the slots of its configuration.
create table provider_capacity (
    provider    text primary key,
    slots       int         not null check (slots >= 0),
    updated_at  timestamptz not null default now()
);

-- Slots held right now, one row per call in flight. A holder that stops renewing its lease (a
-- crashed instance) loses the slot when the lease ends.
create table provider_slot_leases (
    provider     text        not null,
    holder       text        not null,
    scene_id     uuid        not null,
    user_id      text        not null,
    free_tier    boolean     not null,
    owner        text        not null,
    acquired_at  timestamptz not null default now(),
    expires_at   timestamptz not null,
    primary key (provider, holder)
);
create index provider_slot_leases_user on provider_slot_leases (user_id);

alter table videos add column error_scene int;
alter table videos add column error_provider text;
alter table videos add column error_provider_code text;

alter table assets add column sha256 text;
