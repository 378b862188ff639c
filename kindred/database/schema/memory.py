"""The memory domain's schema, as named migrations applied once each, in order.

Each domain's tables have their own module in this package (listed in ``schema/__init__.py``,
each with a ``MIGRATIONS`` list of ``(id, sql)``), so adding a table never means
editing another domain's file, and opening a database imports no domain code. Applied
ids are recorded in ``schema_migrations``. ``POSTGRES_MIGRATIONS`` holds PostgreSQL's text for the migrations that use
SQLite-only features; the others are translated (``postgres_ddl``).
"""
from __future__ import annotations

MIGRATIONS: list[tuple[str, str]] = [
    ("core-0001", """
    CREATE TABLE users (
        id TEXT PRIMARY KEY,
        created_at TEXT NOT NULL
    );
    CREATE TABLE sessions (
        id TEXT PRIMARY KEY,
        user_id TEXT NOT NULL REFERENCES users(id),
        started_at TEXT NOT NULL,
        last_active_at TEXT NOT NULL
    );
    CREATE INDEX sessions_user ON sessions(user_id, last_active_at);
    CREATE TABLE turns (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        turn_id TEXT NOT NULL,
        user_id TEXT NOT NULL REFERENCES users(id),
        session_id TEXT NOT NULL REFERENCES sessions(id),
        role TEXT NOT NULL CHECK (role IN ('user', 'assistant')),
        text TEXT NOT NULL,
        language TEXT NOT NULL DEFAULT '',
        status TEXT NOT NULL DEFAULT 'ok',
        meta TEXT NOT NULL DEFAULT '{}',
        created_at TEXT NOT NULL,
        UNIQUE (turn_id, role)
    );
    CREATE INDEX turns_user_time ON turns(user_id, created_at);
    CREATE INDEX turns_session ON turns(session_id, id);
    CREATE TABLE safety_events (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        user_id TEXT NOT NULL REFERENCES users(id),
        turn_id TEXT NOT NULL,
        risk TEXT NOT NULL,
        category TEXT NOT NULL,
        reasons TEXT NOT NULL DEFAULT '[]',
        created_at TEXT NOT NULL
    );
    CREATE TABLE affect_readings (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        user_id TEXT NOT NULL REFERENCES users(id),
        turn_id TEXT NOT NULL,
        valence REAL NOT NULL,
        arousal REAL NOT NULL,
        labels TEXT NOT NULL DEFAULT '[]',
        created_at TEXT NOT NULL
    );
    CREATE INDEX affect_user_time ON affect_readings(user_id, created_at);
    """),
]

# Long-term memory (issue 4). Rows are keyed by user like everything else; vectors and
# keyword terms live in side tables that triggers keep in step, so deleting a memory
# deletes its vector and its index entry in the same transaction.
MIGRATIONS.append(("memory-0001", """
CREATE TABLE memories (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    user_id TEXT NOT NULL REFERENCES users(id),
    kind TEXT NOT NULL CHECK (kind IN ('turn', 'fact', 'emotion', 'summary', 'open')),
    topic TEXT NOT NULL DEFAULT '',
    text TEXT NOT NULL,
    context TEXT NOT NULL DEFAULT '',
    value TEXT NOT NULL DEFAULT '',
    importance REAL NOT NULL DEFAULT 0.3,
    salience REAL NOT NULL DEFAULT 0.0,
    valence REAL,
    arousal REAL,
    happened_at TEXT NOT NULL,
    event_date TEXT,
    status TEXT NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'done')),
    session_id TEXT NOT NULL DEFAULT '',
    source_turns TEXT NOT NULL DEFAULT '[]',
    mentions INTEGER NOT NULL DEFAULT 1,
    origin TEXT NOT NULL DEFAULT 'rules',
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX memories_user_kind ON memories(user_id, kind, happened_at);
CREATE INDEX memories_user_topic ON memories(user_id, topic);
CREATE INDEX memories_user_session ON memories(user_id, session_id);
CREATE TABLE memory_history (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    memory_id INTEGER NOT NULL REFERENCES memories(id) ON DELETE CASCADE,
    user_id TEXT NOT NULL,
    old_value TEXT NOT NULL,
    new_value TEXT NOT NULL,
    turn_id TEXT NOT NULL DEFAULT '',
    reason TEXT NOT NULL DEFAULT '',
    changed_at TEXT NOT NULL
);
CREATE INDEX memory_history_memory ON memory_history(memory_id);
CREATE TABLE memory_vectors (
    memory_id INTEGER PRIMARY KEY REFERENCES memories(id) ON DELETE CASCADE,
    user_id TEXT NOT NULL,
    model TEXT NOT NULL,
    vector BLOB NOT NULL
);
CREATE INDEX memory_vectors_user ON memory_vectors(user_id);
CREATE VIRTUAL TABLE memory_terms USING fts5(terms, user_id UNINDEXED, tokenize = 'unicode61');
-- How many memories hold each term: recall skips the very common ones (see MemoryBook.keyword).
CREATE VIRTUAL TABLE memory_terms_vocab USING fts5vocab(memory_terms, 'row');
-- memory_generation changes whenever a user's vectors change, to a value from one global
-- clock that never goes back, so a cached matrix can tell it is stale even after a wipe.
CREATE TABLE memory_clock (id INTEGER PRIMARY KEY CHECK (id = 1), tick INTEGER NOT NULL);
INSERT INTO memory_clock(id, tick) VALUES (1, 0);
CREATE TABLE memory_generation (user_id TEXT PRIMARY KEY, generation INTEGER NOT NULL);
CREATE TRIGGER memories_forget AFTER DELETE ON memories BEGIN
    DELETE FROM memory_terms WHERE rowid = old.id;
    DELETE FROM memory_vectors WHERE memory_id = old.id;
    DELETE FROM memory_history WHERE memory_id = old.id;
END;
CREATE TRIGGER memory_vectors_added AFTER INSERT ON memory_vectors BEGIN
    UPDATE memory_clock SET tick = tick + 1 WHERE id = 1;
    INSERT INTO memory_generation(user_id, generation)
        VALUES (new.user_id, (SELECT tick FROM memory_clock WHERE id = 1))
        ON CONFLICT(user_id) DO UPDATE SET generation = excluded.generation;
END;
CREATE TRIGGER memory_vectors_removed AFTER DELETE ON memory_vectors BEGIN
    UPDATE memory_clock SET tick = tick + 1 WHERE id = 1;
    INSERT INTO memory_generation(user_id, generation)
        VALUES (old.user_id, (SELECT tick FROM memory_clock WHERE id = 1))
        ON CONFLICT(user_id) DO UPDATE SET generation = excluded.generation;
END;
"""))

# Recall asks for the memories of a time span a question names ("in October 2023"). Without these the
# query read every one of the user's memories: 35 ms at 20k, most of a recall's time at 100k.
MIGRATIONS.append(("memory-0002", """
CREATE INDEX memories_user_happened ON memories(user_id, happened_at);
CREATE INDEX memories_user_event ON memories(user_id, event_date);
"""))

# memory_vectors.model held the embedder's name beside each vector and nothing ever read it, so it
# goes. The vectors, ids and generations stay as they are; an older export's column is skipped on
# import (memory/portable.py: RETIRED_COLUMNS). Both engines drop a column in place (SQLite >= 3.35,
# which RETURNING already needs).
MIGRATIONS.append(("memory-0003", """
ALTER TABLE memory_vectors DROP COLUMN model;
"""))


def prepare_postgres(database) -> None:
    """pgvector's column where the server has the extension (see ../pgvector.py); else the numpy scan serves."""
    from ..pgvector import enable_vector_search

    database.has_vector_search = enable_vector_search(database) if database.vector_extension else False


# PostgreSQL: no FTS5, so the keyword index is two plain tables (one row per memory with its
# length, one per memory and term with its count) over which BM25 is computed in SQL the way
# FTS5's bm25() does (kindred/memory/keywords.py). Deleting a memory cascades to its vector, its
# history and its keyword rows, as the SQLite trigger does.
POSTGRES_MIGRATIONS: list[tuple[str, str]] = [("memory-0001", """
CREATE TABLE memories (
    id BIGSERIAL PRIMARY KEY,
    user_id TEXT NOT NULL REFERENCES users(id),
    kind TEXT NOT NULL CHECK (kind IN ('turn', 'fact', 'emotion', 'summary', 'open')),
    topic TEXT NOT NULL DEFAULT '',
    text TEXT NOT NULL,
    context TEXT NOT NULL DEFAULT '',
    value TEXT NOT NULL DEFAULT '',
    importance DOUBLE PRECISION NOT NULL DEFAULT 0.3,
    salience DOUBLE PRECISION NOT NULL DEFAULT 0.0,
    valence DOUBLE PRECISION,
    arousal DOUBLE PRECISION,
    happened_at TEXT NOT NULL,
    event_date TEXT,
    status TEXT NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'done')),
    session_id TEXT NOT NULL DEFAULT '',
    source_turns TEXT NOT NULL DEFAULT '[]',
    mentions BIGINT NOT NULL DEFAULT 1,
    origin TEXT NOT NULL DEFAULT 'rules',
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX memories_user_kind ON memories(user_id, kind, happened_at);
CREATE INDEX memories_user_topic ON memories(user_id, topic);
CREATE INDEX memories_user_session ON memories(user_id, session_id);
CREATE TABLE memory_history (
    id BIGSERIAL PRIMARY KEY,
    memory_id BIGINT NOT NULL REFERENCES memories(id) ON DELETE CASCADE,
    user_id TEXT NOT NULL,
    old_value TEXT NOT NULL,
    new_value TEXT NOT NULL,
    turn_id TEXT NOT NULL DEFAULT '',
    reason TEXT NOT NULL DEFAULT '',
    changed_at TEXT NOT NULL
);
CREATE INDEX memory_history_memory ON memory_history(memory_id);
CREATE TABLE memory_vectors (
    memory_id BIGINT PRIMARY KEY REFERENCES memories(id) ON DELETE CASCADE,
    user_id TEXT NOT NULL,
    model TEXT NOT NULL,
    vector BYTEA NOT NULL
);
CREATE INDEX memory_vectors_user ON memory_vectors(user_id);
CREATE TABLE memory_terms (
    memory_id BIGINT PRIMARY KEY REFERENCES memories(id) ON DELETE CASCADE,
    user_id TEXT NOT NULL,
    terms TEXT NOT NULL,
    length INTEGER NOT NULL
);
CREATE INDEX memory_terms_user ON memory_terms(user_id);
CREATE TABLE memory_postings (
    memory_id BIGINT NOT NULL REFERENCES memory_terms(memory_id) ON DELETE CASCADE,
    user_id TEXT NOT NULL,
    term TEXT NOT NULL,
    hits INTEGER NOT NULL,
    PRIMARY KEY (memory_id, term)
);
CREATE INDEX memory_postings_term ON memory_postings(term, user_id);
-- BM25 needs the number of indexed memories and their average length on every search; counting
-- them each time would scan every user's rows, so a trigger keeps the totals as FTS5 does.
CREATE TABLE memory_terms_totals (id INTEGER PRIMARY KEY CHECK (id = 1), documents BIGINT NOT NULL,
                                  tokens BIGINT NOT NULL);
INSERT INTO memory_terms_totals(id, documents, tokens) VALUES (1, 0, 0);
CREATE FUNCTION memory_terms_counted() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'DELETE' THEN
        UPDATE memory_terms_totals SET documents = documents - 1, tokens = tokens - OLD.length WHERE id = 1;
    ELSE
        UPDATE memory_terms_totals SET documents = documents + 1, tokens = tokens + NEW.length WHERE id = 1;
    END IF;
    RETURN NULL;
END $$;
CREATE TRIGGER memory_terms_counted AFTER INSERT OR DELETE ON memory_terms
    FOR EACH ROW EXECUTE FUNCTION memory_terms_counted();
CREATE TABLE memory_clock (id INTEGER PRIMARY KEY CHECK (id = 1), tick BIGINT NOT NULL);
INSERT INTO memory_clock(id, tick) VALUES (1, 0);
CREATE TABLE memory_generation (user_id TEXT PRIMARY KEY, generation BIGINT NOT NULL);
CREATE FUNCTION memory_vectors_changed() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    owner TEXT;
    tock BIGINT;
BEGIN
    IF TG_OP = 'DELETE' THEN owner := OLD.user_id; ELSE owner := NEW.user_id; END IF;
    UPDATE memory_clock SET tick = tick + 1 WHERE id = 1 RETURNING tick INTO tock;
    INSERT INTO memory_generation(user_id, generation) VALUES (owner, tock)
        ON CONFLICT (user_id) DO UPDATE SET generation = excluded.generation;
    RETURN NULL;
END $$;
CREATE TRIGGER memory_vectors_changed AFTER INSERT OR DELETE ON memory_vectors
    FOR EACH ROW EXECUTE FUNCTION memory_vectors_changed();
""")]
