-- A video served from another's cache must not keep that other video from being deleted
-- (DELETE /v1/videos/{id}): the link is dropped instead.
alter table videos drop constraint videos_cached_from_fkey;
alter table videos add constraint videos_cached_from_fkey
    foreign key (cached_from) references videos (id) on delete set null;
-- Deleting a video checks its referencing rows: index the references that had none.
create index videos_cached_from on videos (cached_from) where cached_from is not null;
create index cost_ledger_video on cost_ledger (video_id);
