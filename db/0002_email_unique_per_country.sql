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
