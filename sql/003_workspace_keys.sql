-- A real instance needs one super-admin key: the gateway discovers the workspaces, registers them
-- as clients, mints one api-user key per client workspace, and falls back to the super-admin key
-- one workspace at a time where minting is refused. The bookkeeping for that, shared by replicas.

-- The instance's workspaces as Email Bison last listed them (src/sources/registry/discovery.ts).
-- Gives a client registered without a name the workspace's name.
CREATE TABLE upstream_workspaces (
  workspace_id  integer PRIMARY KEY CHECK (workspace_id > 0),
  name          text NOT NULL,
  personal_team boolean NOT NULL DEFAULT false,
  seen_at       timestamptz NOT NULL DEFAULT now()
);

-- When Email Bison stopped listing the client's workspace: discovery took it off the dashboards
-- then (the row and its data stay), and puts it back if the workspace returns. An admin's own
-- deactivateClient leaves this null, so discovery never re-activates what an admin turned off.
ALTER TABLE clients ADD COLUMN removed_upstream_at timestamptz;
-- The stored api key was minted by the gateway (it may replace it after a 401), not set by an admin.
ALTER TABLE clients ADD COLUMN api_key_minted boolean NOT NULL DEFAULT false;

-- One row per workspace the gateway minted, or tried to mint, an api-user key for
-- (src/sources/registry/key-minting.ts). Claims are taken under a per-workspace advisory lock.
CREATE TABLE api_key_mints (
  workspace_id    integer PRIMARY KEY CHECK (workspace_id > 0),
  state           text NOT NULL CHECK (state IN ('minting', 'minted', 'failed', 'refused')),
  -- the replica minting now, and since when (a claim older than the lease is abandoned)
  holder          text,
  claimed_at      timestamptz,
  -- Email Bison's id of the key minted last (the secret itself is only in clients, encrypted)
  token_id        integer,
  minted_at       timestamptz,
  mints           integer NOT NULL DEFAULT 0 CHECK (mints >= 0),
  -- no new mint for this workspace before then (after a failure, a refusal or a 401 re-mint)
  next_attempt_at timestamptz,
  last_error      text,
  updated_at      timestamptz NOT NULL DEFAULT now()
);

-- Which workspace a super-admin key was left on, for replicas that share the key
-- (src/sources/upstream/key-sessions-postgres.ts): read and written under an advisory lock.
CREATE TABLE upstream_key_sessions (
  key_id       text PRIMARY KEY,
  workspace_id integer,
  holder       text,
  updated_at   timestamptz NOT NULL DEFAULT now()
);
