-- Provider webhooks and the reconciler (issue 5).

-- What the provider last said about a job, so that whoever hears it (the worker's poll, a
-- webhook, the reconciler) can move the job forward and the worker waiting on it can go on:
-- the output's URL once ready, how a failed job failed, and when the provider was last heard of
-- (the reconciler polls jobs silent for too long).
alter table provider_jobs add column output_url text;
alter table provider_jobs add column provider_millis bigint;
alter table provider_jobs add column error_kind text check (error_kind in ('retryable', 'permanent', 'unsupported'));
alter table provider_jobs add column heard_at timestamptz not null default now();
create index provider_jobs_silent on provider_jobs (heard_at) where status in ('submitted', 'running');

-- The inbox of verified webhooks: kept before the answer, applied after it; a row not applied
-- yet (a crash, a job not recorded yet) is tried again from next_attempt_at.
alter table inbound_webhooks add column verified boolean not null default true;
alter table inbound_webhooks add column attempts int not null default 0;
alter table inbound_webhooks add column next_attempt_at timestamptz not null default now();
alter table inbound_webhooks add column processed_at timestamptz;
alter table inbound_webhooks add column outcome text;
create index inbound_webhooks_pending on inbound_webhooks (next_attempt_at) where processed_at is null;
create index inbound_webhooks_received on inbound_webhooks (received_at);

-- Webhook ids expire after the retention window (reelflow.reconciler.webhook-retention).
create index processed_messages_created on processed_messages (processorname, createdat);
