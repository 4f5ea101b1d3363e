-- The worker applies a poll's changes in one transaction and one relay publishes the outbox, pipelined (see the
-- worker's OutboxRelay). The outbox only carries records to Kafka: their payload is the record value as bytes (no
-- JSON to parse on the way in or to print on the way out), with the record headers beside it.
alter table outbox alter column payload type bytea using convert_to(payload::text, 'UTF8');
-- header names and values, alternating: {"scim-event-type","PATCHED","scim-resource-type","USER",...}
alter table outbox add column headers text[] not null default '{}';
