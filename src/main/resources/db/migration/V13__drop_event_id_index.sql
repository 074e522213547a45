-- job_events_video (video_id, id) served the event feed before V2 numbered each video's events;
-- every read is by (video_id, seq) since (job_events_video_seq), so it only cost each event's insert.
drop index if exists job_events_video;
