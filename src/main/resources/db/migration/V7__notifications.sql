-- Notifications (issue 8): webhook, email and push, each delivered once as the user sees it.

-- One row per (video, event, channel), claimed by compare-and-set before each send. message_id
-- is stable for the row: it is the webhook-id, the email's Message-ID and the push collapse key,
-- so a resend after a crash between "sent" and "marked sent" is a copy the receiver can drop.
alter table notifications add column target text;
alter table notifications add column message_id text;
alter table notifications add column next_attempt_at timestamptz;
alter table notifications add column claimed_until timestamptz;
alter table notifications add column last_status text;
update notifications set message_id = 'msg_' || replace(id::text, '-', '') where message_id is null;
alter table notifications alter column message_id set not null;
create index notifications_due on notifications (next_attempt_at) where status in ('pending', 'sending', 'failed');

-- Every attempt: when, what came back (HTTP status or SMTP reply), what went wrong.
create table notification_attempts (
    id               bigserial primary key,
    notification_id  uuid        not null references notifications (id) on delete cascade,
    attempt          int         not null,
    attempted_at     timestamptz not null default now(),
    outcome          text        not null check (outcome in ('sent', 'retry', 'dead')),
    reply            text,
    error            text
);
create index notification_attempts_notification on notification_attempts (notification_id, id);

-- A user's defaults and preferences: where to send, which events to which channels, and the
-- secret that signs the user's webhooks (Standard Webhooks, whsec_...).
create table notification_settings (
    user_id         text primary key,
    webhook_url     text,
    email           text,
    push_token      text,
    events          jsonb,
    webhook_secret  text        not null,
    updated_at      timestamptz not null default now()
);
