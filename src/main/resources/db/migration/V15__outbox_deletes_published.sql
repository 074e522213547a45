-- The relay deletes an outbox entry once the broker confirmed it (Outbox.removePublished) instead
-- of stamping published_at: the table kept every entry ever written (one a hand-over, for ever),
-- and every claim stepped over the index entries of published rows until a vacuum. Every row left
-- is unpublished, so the claim orders by the primary key and the partial index goes.
delete from outbox where published_at is not null;
drop index outbox_unpublished;
alter table outbox drop column published_at;
