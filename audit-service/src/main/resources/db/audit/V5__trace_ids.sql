-- The trace of the SCIM request behind each record (W3C trace id, 32 hex digits), from the scim.events record's
-- traceparent: where to look in the tracing backend and the services' logs. Not covered by the record's hash (it says
-- where to look, not what happened); null for records of events written without one.
alter table audit.deactivations add column trace_id text;
