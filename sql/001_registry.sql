-- The agency's own data beside Email Bison: clients (targets, billing, encrypted api-user keys),
-- manual costs and mailbox overrides, gateway API tokens, and the encryption-key check row.

CREATE TABLE clients (
  workspace_id           integer PRIMARY KEY CHECK (workspace_id > 0),
  name                   text NOT NULL CHECK (btrim(name) <> ''),
  display_name           text,
  active                 boolean NOT NULL DEFAULT true,
  billing_type           text NOT NULL DEFAULT 'PER_LEAD' CHECK (billing_type IN ('PER_LEAD', 'RETAINER')),
  price_per_lead         numeric(12, 2) NOT NULL DEFAULT 0 CHECK (price_per_lead >= 0),
  retainer_amount        numeric(12, 2) NOT NULL DEFAULT 0 CHECK (retainer_amount >= 0),
  monthly_kpi_target     integer NOT NULL DEFAULT 0 CHECK (monthly_kpi_target >= 0),
  monthly_sending_target integer NOT NULL DEFAULT 0 CHECK (monthly_sending_target >= 0),
  daily_sending_target   integer NOT NULL DEFAULT 0 CHECK (daily_sending_target >= 0),
  -- null = the gateway's EMAIL_BISON_URL
  instance_url           text CHECK (instance_url ~ '^https?://'),
  -- AES-256-GCM under ENCRYPTION_KEY ("v1:iv:tag:ciphertext"); the plain key is never stored
  api_key_ciphertext     text,
  created_at             timestamptz NOT NULL DEFAULT now(),
  updated_at             timestamptz NOT NULL DEFAULT now()
);

-- A recorded cost replaces the computed mailbox cost of that client for that month.
CREATE TABLE client_monthly_costs (
  workspace_id integer NOT NULL REFERENCES clients (workspace_id) ON DELETE CASCADE,
  month        text NOT NULL CHECK (month ~ '^[0-9]{4}-(0[1-9]|1[0-2])$'),
  amount       numeric(12, 2) NOT NULL CHECK (amount >= 0),
  note         text,
  updated_at   timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (workspace_id, month)
);

-- Wins over the price and daily capacity computed from a mailbox's tags.
CREATE TABLE mailbox_overrides (
  sender_email_id integer PRIMARY KEY CHECK (sender_email_id > 0),
  workspace_id    integer,
  price           numeric(12, 2) CHECK (price >= 0),
  daily_limit     integer CHECK (daily_limit >= 0),
  note            text,
  updated_at      timestamptz NOT NULL DEFAULT now()
);

-- Bearer tokens of the gateway itself, stored as sha256 hashes (the token is shown once).
CREATE TABLE api_tokens (
  id           integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  label        text,
  role         text NOT NULL CHECK (role IN ('ADMIN', 'CLIENT')),
  workspace_id integer,
  token_hash   text NOT NULL UNIQUE,
  created_at   timestamptz NOT NULL DEFAULT now(),
  last_used_at timestamptz,
  revoked_at   timestamptz,
  -- a CLIENT token sees exactly one workspace; an ADMIN token is not bound to one
  CONSTRAINT api_tokens_workspace_matches_role CHECK (
    (role = 'CLIENT' AND workspace_id IS NOT NULL) OR (role = 'ADMIN' AND workspace_id IS NULL)
  )
);

-- One row: a known plaintext encrypted with ENCRYPTION_KEY, so a different key is caught at start
-- instead of at the first upstream call.
CREATE TABLE encryption_key_check (
  id         boolean PRIMARY KEY DEFAULT true CHECK (id),
  ciphertext text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now()
);
