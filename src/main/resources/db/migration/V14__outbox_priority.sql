-- The AMQP priority an outbox entry is published with (null: none). Scene messages carry their
-- tier's priority on scene.generate; before this, a scene queued through the outbox (a retry, an
-- edit, a requeue after a lost worker) went out without one, behind every new paid scene.
alter table outbox add column priority smallint;
