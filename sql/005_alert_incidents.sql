-- Alerting across replicas (src/monitoring/alert-lease.ts, src/monitoring/alerts.ts): exactly one
-- replica sends alerts, the holder of an expiring lease; what it announced is kept here, so a replica
-- that takes over neither announces an open incident again nor forgets to send its recovery.

-- One row per lease (the alert monitor's is 'alerts'). A replica leads while `expires_at` is ahead of
-- its clock and renews it every few seconds; another takes the row over once it has expired.
CREATE TABLE alert_leases (
  name          text PRIMARY KEY,
  holder        text NOT NULL,
  expires_at    timestamptz NOT NULL,
  -- when the current holder took the lease (kept across renewals)
  acquired_at   timestamptz NOT NULL,
  -- the last check that saw a cause incident: a low health score within the hour after is its echo
  last_cause_at timestamptz
);

-- One row per incident key (incidents.ts), kept after it closes: its last alert times the flap cooldown.
CREATE TABLE alert_incidents (
  incident_key  text PRIMARY KEY,
  -- open: announced, its recovery is due; held: came back within the cooldown, not announced (nor
  -- will its recovery be); closed: cleared
  state         text NOT NULL CHECK (state IN ('open', 'held', 'closed')),
  -- the summary that was announced (the recovery repeats it)
  summary       text NOT NULL,
  opened_at     timestamptz,
  last_alert_at timestamptz,
  resolved_at   timestamptz,
  holder        text,
  updated_at    timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX alert_incidents_state_idx ON alert_incidents (state) WHERE state <> 'closed';
