-- The alarms tills upload (what their guards stopped for a supervisor): checkout-hq alarms lists the
-- latest, newest first.
CREATE INDEX documents_alarms ON documents (at DESC) WHERE kind = 'alarm' AND status = 'accepted';
