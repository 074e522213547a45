-- When a provider job's output was ready (the provider's slot was given back then): measures how
-- long provider slots are held, apart from our own download and transcoding.
alter table provider_jobs add column output_ready_at timestamptz;
