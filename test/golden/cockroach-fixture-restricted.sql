SET CLUSTER SETTING sql.defaults.multiregion_placement_policy.enabled = true;

SET enable_multiregion_placement_policy = 'on';

CREATE DATABASE IF NOT EXISTS app PRIMARY REGION "aws-us-east-1" REGIONS "aws-eu-central-1", "gcp-europe-west1";

ALTER DATABASE app ADD REGION IF NOT EXISTS "aws-eu-central-1";

ALTER DATABASE app ADD REGION IF NOT EXISTS "gcp-europe-west1";

ALTER DATABASE app SURVIVE ZONE FAILURE;

ALTER DATABASE app PLACEMENT RESTRICTED;

USE app;

-- Application schema, version 1. Plain SQL: no region names, no localities. Where each table's
-- rows live is config (backend:database.tables): users and orders are residency tables homed
-- by their `country`, currencies is GLOBAL reference data. Every statement is idempotent:
-- `pulumi up` may run this file again.

CREATE TABLE IF NOT EXISTS currencies (
    code        CHAR(3)     PRIMARY KEY,          -- ISO 4217, e.g. EUR
    name        STRING      NOT NULL,
    minor_units INT2        NOT NULL DEFAULT 2 CHECK (minor_units BETWEEN 0 AND 4)
);

CREATE TABLE IF NOT EXISTS users (
    id          UUID        NOT NULL DEFAULT gen_random_uuid(),
    email       STRING      NOT NULL,
    full_name   STRING      NOT NULL,
    -- ISO 3166-1 alpha-2 country of residence: decides where the row (and its orders) live.
    country     CHAR(2)     NOT NULL CHECK (country = upper(country)),
    created_at  TIMESTAMPTZ NOT NULL DEFAULT now(),
    CONSTRAINT users_pkey PRIMARY KEY (id),
    -- Lets orders reference (id, country) so an order always lives with its user.
    CONSTRAINT users_id_country_key UNIQUE (id, country),
    CONSTRAINT users_email_key UNIQUE (email)
);

CREATE TABLE IF NOT EXISTS orders (
    id            UUID        NOT NULL DEFAULT gen_random_uuid(),
    user_id       UUID        NOT NULL,
    -- Copy of the user's country: homes the order in the user's region.
    country       CHAR(2)     NOT NULL,
    currency      CHAR(3)     NOT NULL REFERENCES currencies (code),
    amount_minor  INT8        NOT NULL CHECK (amount_minor >= 0),
    status        STRING      NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'paid', 'shipped', 'cancelled')),
    created_at    TIMESTAMPTZ NOT NULL DEFAULT now(),
    CONSTRAINT orders_pkey PRIMARY KEY (id),
    CONSTRAINT orders_user_fkey FOREIGN KEY (user_id, country) REFERENCES users (id, country) ON UPDATE CASCADE ON DELETE CASCADE
);

CREATE INDEX IF NOT EXISTS orders_user_id_idx ON orders (user_id, created_at DESC);

INSERT INTO currencies (code, name, minor_units) VALUES
    ('EUR', 'Euro', 2),
    ('USD', 'US dollar', 2),
    ('GBP', 'Pound sterling', 2),
    ('CHF', 'Swiss franc', 2),
    ('CAD', 'Canadian dollar', 2),
    ('MXN', 'Mexican peso', 2)
ON CONFLICT (code) DO NOTHING;

-- Application schema, version 2: an e-mail address is unique per country of residence, not
-- worldwide. Idempotent like every migration: `pulumi up` may run this file again.
--
-- Why: users is REGIONAL BY ROW (its rows live in the home region of their `country`), and
-- CockroachDB prefixes every index of such a table with the row's region. UNIQUE (email) from
-- 0001 therefore cannot be enforced by its index alone: every INSERT runs a uniqueness check that
-- reads the email's entry in every region's partition, including the other residency domains'
-- regions (cockroachlabs.com/docs/v21.1/multiregion-overview.html#indexes-on-regional-by-row-tables;
-- pkg/sql/opt/optbuilder/mutation_builder_unique.go). In `prod` that is a round trip from Europe
-- to the US on every European signup (modelled: P50 about 200 ms instead of 26 ms; see README,
-- "Latency (modelled)"). A constraint that includes `country`, the column the home region is
-- computed from, is enforced by its own index, so the insert stays in the home region.
--
-- What is lost: the same address can now belong to two users with different countries. Sign-in
-- by e-mail alone has to ask for (or remember) the country, or accept several matches; a user
-- who moves country keeps a unique (country, email) pair (the UPDATE moves the row to its new
-- home). An application that needs worldwide uniqueness must pay the cross-region check or keep
-- a GLOBAL lookup table of e-mail hashes (its writes pay GLOBAL tables' commit wait, and even a
-- hash of personal data would then sit in every region).
--
-- Why a new file and not a change to 0001: 0001 may already be applied. A changed 0001 runs
-- again (its sha256 changes), but its CREATE TABLE IF NOT EXISTS does nothing on an existing
-- table, so only a new statement changes a deployed schema.

-- The new constraint first, so there is no moment without one. `IF NOT EXISTS`: idempotent.
CREATE UNIQUE INDEX IF NOT EXISTS users_country_email_key ON users (country, email);

-- CASCADE: an index behind a UNIQUE constraint of CREATE TABLE cannot be dropped without it
-- (cockroachlabs.com/docs/stable/drop-index); nothing else depends on this index.
DROP INDEX IF EXISTS users@users_email_key CASCADE;

ALTER TABLE users ADD COLUMN IF NOT EXISTS crdb_region_7c9900be crdb_internal_region NOT NULL AS (
    CASE
        WHEN country IN ('AT', 'BG', 'CY', 'CZ', 'DE', 'DK', 'EE', 'FI', 'GR', 'HR', 'HU', 'IT', 'LT', 'LV', 'MT', 'PL', 'RO', 'SE', 'SI', 'SK') THEN 'aws-eu-central-1'
        WHEN country IN ('CA', 'US') THEN 'aws-us-east-1'
        WHEN country IN ('BE', 'ES', 'FR', 'IE', 'LU', 'NL', 'PT') THEN 'gcp-europe-west1'
        ELSE 'aws-us-east-1'
    END
) STORED;

ALTER TABLE users SET LOCALITY REGIONAL BY ROW AS crdb_region_7c9900be;

ALTER TABLE orders ADD COLUMN IF NOT EXISTS crdb_region_7c9900be crdb_internal_region NOT NULL AS (
    CASE
        WHEN country IN ('AT', 'BG', 'CY', 'CZ', 'DE', 'DK', 'EE', 'FI', 'GR', 'HR', 'HU', 'IT', 'LT', 'LV', 'MT', 'PL', 'RO', 'SE', 'SI', 'SK') THEN 'aws-eu-central-1'
        WHEN country IN ('CA', 'US') THEN 'aws-us-east-1'
        WHEN country IN ('BE', 'ES', 'FR', 'IE', 'LU', 'NL', 'PT') THEN 'gcp-europe-west1'
        ELSE 'aws-us-east-1'
    END
) STORED;

ALTER TABLE orders SET LOCALITY REGIONAL BY ROW AS crdb_region_7c9900be;

ALTER TABLE currencies SET LOCALITY GLOBAL;

USE app;

CREATE USER IF NOT EXISTS app;

GRANT CONNECT ON DATABASE app TO app;

GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO app;

ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO app;

CREATE SCHEDULE IF NOT EXISTS app_backup
  FOR BACKUP DATABASE app INTO (
    's3://test-aws-us-east-1-backups?AUTH=implicit&COCKROACH_LOCALITY=default',
    's3://test-aws-eu-central-1-backups?AUTH=implicit&COCKROACH_LOCALITY=region%3Daws-eu-central-1',
    'gs://test-gcp-europe-west1-backups?AUTH=implicit&COCKROACH_LOCALITY=region%3Dgcp-europe-west1'
  )
  WITH revision_history
  RECURRING '@hourly'
  FULL BACKUP '@daily'
  WITH SCHEDULE OPTIONS first_run = 'now', ignore_existing_backups;
