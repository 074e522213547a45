-- Scene editing and versions (issue 6): a finished video's scenes can be edited (texts, trim),
-- regenerated and reordered; every composition is a numbered version whose media stays
-- addressable (and named, so garbage collection keeps it) until retention removes it.

-- Trim points of a scene inside its (immutable) planned length; null is the scene's edge.
alter table scenes add column trim_in_ms int;
alter table scenes add column trim_out_ms int;
alter table scenes add constraint scenes_trim check (
    (trim_in_ms is null or trim_in_ms >= 0)
    and (trim_out_ms is null or trim_out_ms <= duration_ms)
    and coalesce(trim_out_ms, duration_ms) > coalesce(trim_in_ms, 0));

-- The current version (0: never composed); when an edit or a scene retry last ran the video again
-- (the generation deadline counts from it instead of the submission); the edits the next version
-- will carry.
alter table videos add column version int not null default 0;
alter table videos add column restarted_at timestamptz;
alter table videos add column pending_changes jsonb;

-- One row per composition. Version 1 keeps the keys videos/<id>/final.mp4 and its siblings;
-- version n >= 2 lives under videos/<id>/v<n>/. A version is retired (purged_at) when retention
-- removes it; its row stays as history, its keys are no longer named, so GC deletes the objects.
create table video_versions (
    video_id         uuid        not null references videos (id) on delete cascade,
    version          int         not null check (version >= 1),
    final_key        text        not null,
    final_bytes      bigint      not null,
    thumbnail_key    text,
    thumbnail_bytes  bigint,
    poster_key       text,
    subtitles_key    text,
    duration_ms      int,
    changes          jsonb       not null default '[]'::jsonb,
    created_at       timestamptz not null default now(),
    purged_at        timestamptz,
    primary key (video_id, version)
);

-- Every video composed (or served from the cache) before this migration is its version 1.
insert into video_versions (video_id, version, final_key, final_bytes, thumbnail_key, thumbnail_bytes, poster_key,
                            subtitles_key, duration_ms, changes, created_at)
select v.id, 1, f.storage_key, f.bytes, t.storage_key, t.bytes, p.storage_key, s.storage_key, f.duration_ms,
       '[{"action": "created"}]'::jsonb, coalesce(v.completed_at, f.created_at)
  from videos v
  join assets f on f.video_id = v.id and f.scene_id is null and f.asset_type = 'final'
  left join assets t on t.video_id = v.id and t.scene_id is null and t.asset_type = 'thumbnail'
  left join assets p on p.video_id = v.id and p.scene_id is null and p.asset_type = 'poster'
  left join assets s on s.video_id = v.id and s.scene_id is null and s.asset_type = 'subtitles';
update videos v set version = 1 where exists (select 1 from video_versions r where r.video_id = v.id);
