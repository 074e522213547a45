-- The daily quota (reelflow.api.tiers.*.max-per-day) from hourly counters instead of the user's
-- videos: one row per user and hour, incremented by each accepted submission in its transaction
-- (Submissions). A quota check sums at most 25 rows however many videos the user made; it counted
-- up to max-per-day rows of videos and video_deletions before. Deleted videos keep counting, as
-- before, because a deletion does not touch the counter.
create table submissions_by_hour (
    user_id   text        not null,
    hour      timestamptz not null,
    submitted int         not null,
    primary key (user_id, hour)
);

insert into submissions_by_hour (user_id, hour, submitted)
select user_id, date_trunc('hour', created_at), count(*)
  from (select user_id, created_at from videos where created_at > now() - interval '25 hours'
        union all
        select user_id, created_at from video_deletions where created_at > now() - interval '25 hours') recent
 group by 1, 2;
