-- The public API (issue 3): tiers and delivery settings on videos, idempotency keys, moderation
-- records, a deletion audit, per-video event sequence numbers for gap-free progress streams.

alter table videos add column tier text not null default 'free'
    check (tier in ('free', 'pro', 'enterprise'));
-- Where to tell the user: callback_url, notify.email, notify.push_token (not part of the cache key).
alter table videos add column delivery jsonb not null default '{}'::jsonb;
alter table videos add column error_stage text;
alter table videos add column error_retryable boolean;
-- Last job_events.seq handed out for this video (see job_events.seq).
alter table videos add column event_seq int not null default 0;

-- Idempotency-Key replays live in idempotency_keys (expiring); a key may be reused after 24 h.
drop index videos_idempotency;
-- Double-click detection and, later, the exact-match cache lookup.
create index videos_user_prompt_recent on videos (user_id, prompt_hash, created_at desc);
-- Quota: a user's unfinished videos.
create index videos_user_unfinished on videos (user_id)
    where status in ('queued', 'planning', 'generating', 'composing');
-- List filtered by status, newest first (keyset pagination).
create index videos_user_status_created on videos (user_id, status, created_at desc, id desc);
-- Queue position of a queued video.
create index videos_queued_created on videos (created_at) where status = 'queued';

-- Per-video gap-free sequence: an event takes the next number under the video's row lock, so a
-- reader that has seen seq n has seen every seq below n (global bigserial ids can commit out of
-- order). Server-Sent Events use it as the event id.
alter table job_events add column seq int;
update job_events e set seq = n.rn
  from (select id, row_number() over (partition by video_id order by id) as rn from job_events) n
 where n.id = e.id;
update videos v set event_seq = coalesce((select max(seq) from job_events e where e.video_id = v.id), 0);
alter table job_events alter column seq set not null;
create unique index job_events_video_seq on job_events (video_id, seq);

alter table assets drop constraint assets_asset_type_check;
alter table assets add constraint assets_asset_type_check check (asset_type in
    ('image', 'video', 'speech', 'music', 'subtitles', 'script', 'final', 'thumbnail', 'poster', 'reference'));

create table idempotency_keys (
    user_id       text        not null,
    idem_key      text        not null,
    request_hash  text        not null,
    video_id      uuid,
    status_code   int         not null,
    response      text        not null, -- the exact body sent, replayed byte for byte
    created_at    timestamptz not null default now(),
    expires_at    timestamptz not null,
    primary key (user_id, idem_key)
);
create index idempotency_keys_expiry on idempotency_keys (expires_at);

-- Who was refused, when and why; the prompt itself is kept only as its hash.
create table moderation_blocks (
    id           bigserial primary key,
    user_id      text        not null,
    prompt_hash  text        not null,
    category     text        not null,
    source       text        not null,
    score        double precision,
    reason       text,
    created_at   timestamptz not null default now()
);
create index moderation_blocks_user on moderation_blocks (user_id, created_at);

-- What DELETE /v1/videos/{id} removed; the video's own rows are gone.
create table video_deletions (
    video_id         uuid primary key,
    user_id          text        not null,
    status           text        not null,
    objects_deleted  int         not null,
    bytes_deleted    bigint      not null,
    created_at       timestamptz not null,
    deleted_at       timestamptz not null default now()
);
-- Deleted videos still count toward the daily quota.
create index video_deletions_user_created on video_deletions (user_id, created_at);
