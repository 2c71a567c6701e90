-- 0001: the entities table (PostgreSQL).
-- parent_lower and name_lower hold Go's strings.ToLower of Parent and Name,
-- computed by iamd (never SQL LOWER) so every backend folds case alike.
-- Key, id and path columns use the "C" collation so ordering, keyset
-- pagination and prefix comparison are bytewise, exactly as in SQLite.
-- created and updated are UTC unix microseconds.
CREATE TABLE entities (
	account      TEXT COLLATE "C" NOT NULL,
	kind         TEXT COLLATE "C" NOT NULL,
	parent_lower TEXT COLLATE "C" NOT NULL,
	name_lower   TEXT COLLATE "C" NOT NULL,
	parent       TEXT NOT NULL,
	name         TEXT NOT NULL,
	id           TEXT COLLATE "C" NOT NULL DEFAULT '',
	path         TEXT COLLATE "C" NOT NULL DEFAULT '',
	data         BYTEA  NOT NULL,
	version      BIGINT NOT NULL,
	created      BIGINT NOT NULL,
	updated      BIGINT NOT NULL,
	PRIMARY KEY (account, kind, parent_lower, name_lower)
);

-- Globally unique ids (AIDA..., AKIA..., AROA...); kinds without ids store ''.
CREATE UNIQUE INDEX entities_id ON entities (id) WHERE id <> '';

-- Reverse lookups across parents (ListOptions.AnyParent with Name).
CREATE INDEX entities_name ON entities (account, kind, name_lower, parent_lower);
