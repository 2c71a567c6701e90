-- 0001: the entities table (SQLite).
-- parent_lower and name_lower hold Go's strings.ToLower of Parent and Name,
-- computed by iamd (never SQL LOWER) so every backend folds case alike.
-- created and updated are UTC unix microseconds.
CREATE TABLE entities (
	account      TEXT    NOT NULL,
	kind         TEXT    NOT NULL,
	parent_lower TEXT    NOT NULL,
	name_lower   TEXT    NOT NULL,
	parent       TEXT    NOT NULL,
	name         TEXT    NOT NULL,
	id           TEXT    NOT NULL DEFAULT '',
	path         TEXT    NOT NULL DEFAULT '',
	data         BLOB    NOT NULL,
	version      INTEGER NOT NULL,
	created      INTEGER NOT NULL,
	updated      INTEGER NOT NULL,
	PRIMARY KEY (account, kind, parent_lower, name_lower)
) STRICT;

-- Globally unique ids (AIDA..., AKIA..., AROA...); kinds without ids store ''.
CREATE UNIQUE INDEX entities_id ON entities (id) WHERE id <> '';

-- Reverse lookups across parents (ListOptions.AnyParent with Name).
CREATE INDEX entities_name ON entities (account, kind, name_lower, parent_lower);
