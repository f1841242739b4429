"""The analyst's archive: analyses in a SQLite database, grown incrementally.

``newsan analyze CORPUS -f sqlite -o archive.db`` writes one row per record
type, keyed and indexed, with full-text search on quotation content and views
for the leaderboards; ``newsan query archive.db …`` asks it. Written with the
standard library's :mod:`sqlite3` (see the README for why not sqlite-utils).

Tables (``articles`` keyed by the article id; every other row points to it)::

    articles(id, path, title, outlet, source, date, day, month, url, meta, stats, warnings, batch_id)
    batches(id, started, finished, articles)           -- one row per committed batch
    entities(id, article_id, n, canonical, label, aliases, count, name_key, identity_id)
    mentions(id, entity_id, article_id, start, end, text, sentence)
    quotes(id, content_key, content, content_norm, speaker_identity_id,
           occurrences, articles, outlets)             -- a quotation, republished or not
    quote_occurrences(id, quote_id, article_id, n, kind, sentence, cue*, content*,
           speaker*, speaker_label, speaker_key, speaker_kind, speaker_identity_id,
           role*, addressee*, addressee_identity_id, via*, via_identity_id)
    identities(id, name, label, kind, variants, keys)  -- one per person/body (newsan.identity)
    identity_keys(key, identity_id)
    quotes_fts                                         -- FTS5 over quotes(content, content_norm)

Spans keep their character offsets into the article text (``*_start``,
``*_end``), as in the JSON record.

**Batches.** Records are written in batches, each in one transaction: an
interrupted run (Ctrl-C, a kill, a power cut) leaves the database as it was
after the last committed batch, never a half article. A new run on a grown
input skips the article ids already stored. Identities and the quotations'
majority speakers are recomputed over the whole store at the end of each run
(:meth:`Store.finalize`); ``identities_stale`` in ``newsan_meta`` says when an
interrupted run skipped that step (the next run, or ``newsan query``, redoes it).
"""

from __future__ import annotations

import json
import sqlite3
import time
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from newsan.errors import NewsanError
from newsan.identity import KINDS, IdentityResolver, name_key, speaker_kind
from newsan.lexicons import Lexicon, load_lexicon
from newsan.normalize import normalize

__all__ = ["Store", "Archive", "Filters", "content_key", "StoreError", "SCHEMA_VERSION", "BOARDS", "BATCH_SIZE"]

SCHEMA_VERSION = 1
#: Quotations at least this many letters long (after normalization, spaces and
#: punctuation removed) are one quotation wherever they are republished.
MIN_SHARED_CONTENT = 40

#: Leaderboard views, by the name used on the command line.
BOARDS = ("people", "institutions", "anonymous", "speakers")
#: Records per transaction when writing a store.
BATCH_SIZE = 200


class StoreError(NewsanError):
    """The file is not a newsan store (or a newer one), or cannot be written; the
    message says what to do."""


_SCHEMA = """
CREATE TABLE IF NOT EXISTS newsan_meta (key TEXT PRIMARY KEY, value TEXT);
CREATE TABLE IF NOT EXISTS batches (
    id INTEGER PRIMARY KEY, started TEXT NOT NULL, finished TEXT NOT NULL, articles INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS articles (
    id TEXT PRIMARY KEY, path TEXT, title TEXT, outlet TEXT, source TEXT, date TEXT, day TEXT, month TEXT,
    url TEXT, meta TEXT, stats TEXT, warnings TEXT,
    batch_id INTEGER REFERENCES batches(id));
CREATE INDEX IF NOT EXISTS articles_day ON articles(day);
CREATE INDEX IF NOT EXISTS articles_outlet ON articles(outlet);
CREATE TABLE IF NOT EXISTS identities (
    id INTEGER PRIMARY KEY, name TEXT NOT NULL, label TEXT, kind TEXT NOT NULL,
    variants TEXT NOT NULL, keys TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS identities_name ON identities(name);
CREATE INDEX IF NOT EXISTS identities_kind ON identities(kind);
CREATE TABLE IF NOT EXISTS identity_keys (
    key TEXT PRIMARY KEY, identity_id INTEGER NOT NULL REFERENCES identities(id)) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS entities (
    id INTEGER PRIMARY KEY, article_id TEXT NOT NULL REFERENCES articles(id), n INTEGER NOT NULL,
    canonical TEXT NOT NULL, label TEXT NOT NULL, aliases TEXT NOT NULL, count INTEGER NOT NULL,
    name_key TEXT NOT NULL, identity_id INTEGER REFERENCES identities(id),
    UNIQUE (article_id, n));
CREATE INDEX IF NOT EXISTS entities_identity ON entities(identity_id);
CREATE INDEX IF NOT EXISTS entities_key ON entities(name_key);
CREATE TABLE IF NOT EXISTS mentions (
    id INTEGER PRIMARY KEY, entity_id INTEGER NOT NULL REFERENCES entities(id),
    article_id TEXT NOT NULL REFERENCES articles(id),
    start INTEGER NOT NULL, "end" INTEGER NOT NULL, text TEXT NOT NULL, sentence INTEGER);
CREATE INDEX IF NOT EXISTS mentions_article ON mentions(article_id, start);
CREATE INDEX IF NOT EXISTS mentions_entity ON mentions(entity_id);
CREATE TABLE IF NOT EXISTS quotes (
    id INTEGER PRIMARY KEY, content_key TEXT NOT NULL UNIQUE, content TEXT NOT NULL, content_norm TEXT NOT NULL,
    speaker_identity_id INTEGER REFERENCES identities(id),
    occurrences INTEGER NOT NULL DEFAULT 0, articles INTEGER NOT NULL DEFAULT 0,
    outlets INTEGER NOT NULL DEFAULT 0);
CREATE INDEX IF NOT EXISTS quotes_speaker ON quotes(speaker_identity_id);
CREATE TABLE IF NOT EXISTS speaker_stats (
    identity_id INTEGER PRIMARY KEY REFERENCES identities(id), articles INTEGER NOT NULL,
    outlets INTEGER NOT NULL, quotes INTEGER NOT NULL, occurrences INTEGER NOT NULL, first_day TEXT, last_day TEXT);
CREATE VIRTUAL TABLE IF NOT EXISTS quotes_fts USING fts5(
    content, content_norm, content="quotes", content_rowid="id");
CREATE TABLE IF NOT EXISTS quote_occurrences (
    id INTEGER PRIMARY KEY, quote_id INTEGER NOT NULL REFERENCES quotes(id),
    article_id TEXT NOT NULL REFERENCES articles(id), n INTEGER NOT NULL,
    kind TEXT NOT NULL, sentence INTEGER,
    cue TEXT, cue_start INTEGER, cue_end INTEGER,
    content TEXT NOT NULL, content_start INTEGER NOT NULL, content_end INTEGER NOT NULL,
    speaker TEXT, speaker_start INTEGER, speaker_end INTEGER, speaker_canonical TEXT,
    speaker_label TEXT, speaker_key TEXT, speaker_kind TEXT,
    speaker_identity_id INTEGER REFERENCES identities(id),
    role TEXT, role_start INTEGER, role_end INTEGER,
    addressee TEXT, addressee_start INTEGER, addressee_end INTEGER, addressee_canonical TEXT,
    addressee_key TEXT, addressee_identity_id INTEGER REFERENCES identities(id),
    via TEXT, via_start INTEGER, via_end INTEGER, via_canonical TEXT,
    via_key TEXT, via_identity_id INTEGER REFERENCES identities(id),
    UNIQUE (article_id, n));
CREATE INDEX IF NOT EXISTS occurrences_quote ON quote_occurrences(quote_id);
CREATE INDEX IF NOT EXISTS occurrences_speaker ON quote_occurrences(speaker_identity_id);
CREATE INDEX IF NOT EXISTS occurrences_addressee ON quote_occurrences(addressee_identity_id);
CREATE INDEX IF NOT EXISTS occurrences_via ON quote_occurrences(via_identity_id);
CREATE INDEX IF NOT EXISTS occurrences_speaker_key ON quote_occurrences(speaker_key);
"""

# Views: a speaker's board row counts the articles and outlets that quote them,
# distinct quotations and their occurrences (a republished quotation is one).
# The same SQL, with a WHERE clause, answers ``newsan query --board``.
_BOARD_KINDS = {
    "people": "'person'",
    "institutions": "'institution'",
    "anonymous": "'anonymous', 'role'",
    "speakers": "'person', 'institution', 'anonymous', 'role', 'other'",
}


_ALL_KINDS = ", ".join(f"'{k}'" for k in KINDS)


def _board_sql(board: str, where: str = "1") -> str:
    return f"""SELECT i.id AS identity_id, i.name AS name, i.kind AS kind,
       COUNT(DISTINCT o.article_id) AS articles, COUNT(DISTINCT a.outlet) AS outlets,
       COUNT(DISTINCT o.quote_id) AS quotes, COUNT(*) AS occurrences,
       MIN(a.day) AS first_day, MAX(a.day) AS last_day, i.variants AS variants
FROM quote_occurrences o JOIN identities i ON i.id = o.speaker_identity_id JOIN articles a ON a.id = o.article_id
WHERE i.kind IN ({_BOARD_KINDS.get(board, _ALL_KINDS)}) AND ({where})
GROUP BY i.id
ORDER BY articles DESC, outlets DESC, quotes DESC, name"""


def _stats_board_sql(board: str) -> str:
    """A board read from ``speaker_stats`` (the counts :meth:`Store.finalize` keeps):
    the same rows as :func:`_board_sql` without a filter, without the grouping."""
    return f"""SELECT i.id AS identity_id, i.name AS name, i.kind AS kind, s.articles AS articles,
       s.outlets AS outlets, s.quotes AS quotes, s.occurrences AS occurrences,
       s.first_day AS first_day, s.last_day AS last_day, i.variants AS variants
FROM speaker_stats s JOIN identities i ON i.id = s.identity_id
WHERE i.kind IN ({_BOARD_KINDS[board]})
ORDER BY articles DESC, outlets DESC, quotes DESC, name"""


# the speakers' counts, recomputed by finalize (the boards read them instead of grouping every time)
_STATS = f"""INSERT INTO speaker_stats
SELECT identity_id, articles, outlets, quotes, occurrences, first_day, last_day FROM ({_board_sql("all")})"""

_VIEWS = "\n".join(
    [
        *(f"CREATE VIEW IF NOT EXISTS {b}_board AS {_stats_board_sql(b)};" for b in _BOARD_KINDS),
        """
CREATE VIEW IF NOT EXISTS addresses AS
SELECT s.name AS speaker, d.name AS addressee, COUNT(DISTINCT o.quote_id) AS quotes,
       COUNT(DISTINCT o.article_id) AS articles
FROM quote_occurrences o JOIN identities s ON s.id = o.speaker_identity_id
JOIN identities d ON d.id = o.addressee_identity_id
WHERE s.kind != 'garbage' AND d.kind != 'garbage' AND s.id != d.id
GROUP BY s.id, d.id ORDER BY quotes DESC, articles DESC;
""",
        """
CREATE VIEW IF NOT EXISTS quoted_about AS
SELECT s.name AS speaker, e.name AS entity, e.label AS label, COUNT(DISTINCT o.quote_id) AS quotes,
       COUNT(DISTINCT o.article_id) AS articles
FROM quote_occurrences o JOIN identities s ON s.id = o.speaker_identity_id
JOIN mentions m ON m.article_id = o.article_id AND m.start >= o.content_start AND m."end" <= o.content_end
JOIN entities en ON en.id = m.entity_id JOIN identities e ON e.id = en.identity_id
WHERE s.kind != 'garbage' AND s.id != e.id
GROUP BY s.id, e.id ORDER BY quotes DESC, articles DESC;
""",
        """
CREATE VIEW IF NOT EXISTS outlets AS
SELECT a.outlet AS outlet, COUNT(DISTINCT a.id) AS articles,
       (SELECT COUNT(*) FROM quote_occurrences o JOIN articles b ON b.id = o.article_id
        WHERE b.outlet IS a.outlet) AS occurrences,
       MIN(a.day) AS first_day, MAX(a.day) AS last_day
FROM articles a GROUP BY a.outlet ORDER BY articles DESC;
""",
        """
CREATE VIEW IF NOT EXISTS speakers_by_outlet AS
SELECT a.outlet AS outlet, i.name AS speaker, i.kind AS kind, COUNT(DISTINCT o.quote_id) AS quotes,
       COUNT(DISTINCT o.article_id) AS articles
FROM quote_occurrences o JOIN identities i ON i.id = o.speaker_identity_id JOIN articles a ON a.id = o.article_id
WHERE i.kind IN ('person', 'institution')
GROUP BY a.outlet, i.id ORDER BY a.outlet, articles DESC, quotes DESC;
""",
        """
CREATE VIEW IF NOT EXISTS per_day AS
SELECT a.day AS day, COUNT(DISTINCT a.id) AS articles, COUNT(o.id) AS occurrences,
       COUNT(DISTINCT o.quote_id) AS quotes
FROM articles a LEFT JOIN quote_occurrences o ON o.article_id = a.id
WHERE a.day IS NOT NULL GROUP BY a.day ORDER BY a.day;
""",
        """
CREATE VIEW IF NOT EXISTS per_month AS
SELECT a.month AS month, COUNT(DISTINCT a.id) AS articles, COUNT(o.id) AS occurrences,
       COUNT(DISTINCT o.quote_id) AS quotes
FROM articles a LEFT JOIN quote_occurrences o ON o.article_id = a.id
WHERE a.month IS NOT NULL GROUP BY a.month ORDER BY a.month;
""",
        """
CREATE VIEW IF NOT EXISTS republished AS
SELECT q.id AS quote_id, q.content AS content, i.name AS speaker, q.occurrences AS occurrences,
       q.articles AS articles, q.outlets AS outlets
FROM quotes q LEFT JOIN identities i ON i.id = q.speaker_identity_id
WHERE q.articles > 1 ORDER BY q.articles DESC, q.outlets DESC;
""",
        """
CREATE VIEW IF NOT EXISTS quotations AS
SELECT o.id AS occurrence_id, o.quote_id AS quote_id, a.id AS article_id, a.outlet AS outlet, a.day AS day,
       a.title AS title, a.url AS url, o.kind AS kind, i.name AS speaker, i.kind AS speaker_kind,
       o.speaker AS speaker_text, o.role AS role, d.name AS addressee, o.cue AS cue, o.content AS content,
       o.content_start AS content_start, o.content_end AS content_end
FROM quote_occurrences o JOIN articles a ON a.id = o.article_id
LEFT JOIN identities i ON i.id = o.speaker_identity_id
LEFT JOIN identities d ON d.id = o.addressee_identity_id;
""",
    ]
)


def _now() -> str:
    return time.strftime("%Y-%m-%dT%H:%M:%S")


@lru_cache(maxsize=1 << 16)
def _key(name: str, lexicon: Lexicon) -> str:
    return name_key(name, lexicon)


def content_key(text: str) -> str:
    """The letters and digits of the normalized content: spacing, punctuation,
    diacritics and letter variants do not tell two copies of a quotation apart."""
    return "".join(ch for ch in normalize(text).text if ch.isalnum())


def day_of(date: Any) -> str | None:
    """YYYY-MM-DD from a metadata date (see :func:`newsan.aggregate.day_of`)."""
    from newsan.aggregate import _day

    return _day(date)


def _span(s: Mapping[str, Any] | None) -> tuple[Any, Any, Any]:
    if not s:
        return None, None, None
    return s.get("text"), s.get("start"), s.get("end")


def _label_of(span: Mapping[str, Any] | None, entities: Sequence[Mapping[str, Any]]) -> str | None:
    """The label of the entity whose mention overlaps a speaker span most."""
    if not span:
        return None
    best, overlap = None, 0
    for e in entities:
        for m in e.get("mentions", ()):
            o = min(span["end"], m["end"]) - max(span["start"], m["start"])
            if o > overlap:
                best, overlap = e["label"], o
    return best


def _name(span: Mapping[str, Any] | None) -> str | None:
    if not span:
        return None
    name = span.get("canonical") or span.get("text")
    return " ".join(str(name).split()) or None if name else None


class Store:
    """A newsan SQLite store (created on first open)."""

    def __init__(self, path: str | Path, lexicon: Lexicon | None = None) -> None:
        self.path = str(path)
        self.lexicon = lexicon or load_lexicon()
        try:
            self.db = sqlite3.connect(self.path, isolation_level=None)  # transactions are explicit
            self.db.execute("PRAGMA foreign_keys = ON")
        except sqlite3.Error as exc:
            raise StoreError(f"{self.path}: cannot open ({exc})") from None
        try:
            self._check_and_create()
        except sqlite3.OperationalError as exc:
            raise StoreError(f"{self.path}: cannot write the store ({exc})") from None
        except sqlite3.DatabaseError as exc:
            raise StoreError(f"{self.path}: not a newsan SQLite store ({exc})") from None

    def _check_and_create(self) -> None:
        tables = {r[0] for r in self.db.execute("SELECT name FROM sqlite_master WHERE type IN ('table', 'view')")}
        if tables and "newsan_meta" not in tables:
            raise StoreError(f"{self.path}: a SQLite database, but not a newsan store; choose another -o file")
        if "newsan_meta" in tables:
            row = self.db.execute("SELECT value FROM newsan_meta WHERE key = 'schema_version'").fetchone()
            version = int(row[0]) if row else 0
            if version > SCHEMA_VERSION:
                raise StoreError(f"{self.path}: written by a newer newsan (schema {version}); upgrade newsan")
            if version == SCHEMA_VERSION:
                return  # nothing to create: a read-only store can be queried
        script = (
            "BEGIN IMMEDIATE;" + _SCHEMA + _VIEWS
            + f"INSERT OR IGNORE INTO newsan_meta VALUES ('schema_version', '{SCHEMA_VERSION}'); COMMIT;"
        )
        try:
            self.db.executescript(script)
        except BaseException:
            if self.db.in_transaction:
                self.db.execute("ROLLBACK")
            raise

    def close(self) -> None:
        self.db.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: Any) -> None:
        self.close()

    # -- writing ---------------------------------------------------------------------------------

    def known_ids(self) -> set[str]:
        """Ids of the articles already stored (a new run skips them)."""
        return {r[0] for r in self.db.execute("SELECT id FROM articles")}

    def add_batch(self, records: Iterable[Mapping[str, Any]]) -> int:
        """Write records (public JSON records, see :mod:`newsan.export`) in one
        transaction; articles already stored are skipped. Returns how many were added.

        An exception or Ctrl-C inside rolls the whole batch back."""
        records = list(records)
        if not records:
            return 0
        db = self.db
        db.execute("BEGIN IMMEDIATE")
        try:
            cur = db.execute("INSERT INTO batches (started, finished, articles) VALUES (?, '', 0)", (_now(),))
            batch_id = cur.lastrowid
            added = 0
            for rec in records:
                if db.execute("SELECT 1 FROM articles WHERE id = ?", (str(rec["id"]),)).fetchone():
                    continue
                self._insert(rec, batch_id)
                added += 1
            db.execute("UPDATE batches SET finished = ?, articles = ? WHERE id = ?", (_now(), added, batch_id))
            db.execute("INSERT OR REPLACE INTO newsan_meta VALUES ('identities_stale', '1')")
            db.execute("COMMIT")
        except sqlite3.Error as exc:
            db.execute("ROLLBACK")
            raise StoreError(f"{self.path}: batch not written ({exc}); the store keeps the batches before it") from None
        except BaseException:
            db.execute("ROLLBACK")
            raise
        return added

    def _insert(self, rec: Mapping[str, Any], batch_id: int | None) -> None:
        db, lex = self.db, self.lexicon
        meta = dict(rec.get("meta") or {})
        aid = str(rec["id"])
        outlet = meta.get("outlet") or meta.get("source")
        day = day_of(meta.get("date"))
        db.execute(
            "INSERT INTO articles VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)",
            (aid, rec.get("path"), rec.get("title"), str(outlet).strip() if outlet else None, meta.get("source"),
             meta.get("date"), day, day[:7] if day else None, meta.get("url"),
             json.dumps(meta, ensure_ascii=False), json.dumps(rec.get("stats") or {}, ensure_ascii=False),
             json.dumps(rec.get("warnings") or [], ensure_ascii=False), batch_id),
        )
        entities = rec.get("entities") or []
        for n, e in enumerate(entities):
            cur = db.execute(
                "INSERT INTO entities (article_id, n, canonical, label, aliases, count, name_key) VALUES (?,?,?,?,?,?,?)",
                (aid, n, e["canonical"], e["label"], json.dumps(e.get("aliases") or [], ensure_ascii=False),
                 e.get("count", len(e.get("mentions") or [])), _key(e["canonical"], lex)),
            )
            db.executemany(
                'INSERT INTO mentions (entity_id, article_id, start, "end", text, sentence) VALUES (?,?,?,?,?,?)',
                [(cur.lastrowid, aid, m["start"], m["end"], m["text"], m.get("sentence")) for m in e["mentions"]],
            )
        for n, q in enumerate(rec.get("quotes") or []):
            content = q["content"]["text"]
            norm = " ".join(normalize(content).text.split())
            key = content_key(content)
            if len(key) < MIN_SHARED_CONTENT:
                key = f"{aid}\x1f{n}"  # too short to tell a republication from a coincidence
            db.execute("INSERT OR IGNORE INTO quotes (content_key, content, content_norm) VALUES (?,?,?)",
                       (key, content, norm))
            qid, new = db.execute("SELECT id, occurrences FROM quotes WHERE content_key = ?", (key,)).fetchone()
            if new == 0:
                db.execute("INSERT INTO quotes_fts (rowid, content, content_norm) VALUES (?,?,?)", (qid, content, norm))
            db.execute("UPDATE quotes SET occurrences = occurrences + 1 WHERE id = ?", (qid,))
            sp, ad, via = q.get("speaker"), q.get("addressee"), q.get("via")
            sp_name, ad_name, via_name = _name(sp), _name(ad), _name(via)
            label = _label_of(sp, entities)
            db.execute(
                "INSERT INTO quote_occurrences VALUES (NULL,?,?,?,?,?, ?,?,?, ?,?,?, ?,?,?,?,?,?,?,NULL, ?,?,?,"
                " ?,?,?,?,?,NULL, ?,?,?,?,?,NULL)",
                (qid, aid, n, q["kind"], q.get("sentence"),
                 *_span(q.get("cue")), *_span(q["content"]),
                 *_span(sp), sp_name, label, _key(sp_name, lex) if sp_name else None,
                 speaker_kind(sp_name, label, lex) if sp_name else None,
                 *_span(q.get("role")),
                 *_span(ad), ad_name, _key(ad_name, lex) if ad_name else None,
                 *_span(via), via_name, _key(via_name, lex) if via_name else None),
            )

    # -- identities --------------------------------------------------------------------------------

    def stale(self) -> bool:
        row = self.db.execute("SELECT value FROM newsan_meta WHERE key = 'identities_stale'").fetchone()
        return bool(row and row[0] == "1")

    def finalize(self) -> dict[str, int]:
        """Resolve identities over the whole store and give every entity,
        speaker, addressee, relay and quotation its identity (one transaction).
        Returns counts: names (distinct forms), keys, identities."""
        db = self.db
        resolver = IdentityResolver(self.lexicon)
        for canonical, label, aliases in db.execute("SELECT canonical, label, aliases FROM entities"):
            resolver.add_name(canonical, label)
            for alias in json.loads(aliases):
                resolver.add_name(alias, label)
                resolver.add_tie(alias, canonical)
        for text, canonical, label in db.execute(
            "SELECT speaker, speaker_canonical, speaker_label FROM quote_occurrences WHERE speaker_canonical IS NOT NULL"
        ):
            resolver.add_name(canonical, label)
            if text and " ".join(text.split()) != canonical:
                resolver.add_name(text, label)
                resolver.add_tie(text, canonical)
        for col in ("addressee", "via"):
            for (canonical,) in db.execute(
                f"SELECT {col}_canonical FROM quote_occurrences WHERE {col}_canonical IS NOT NULL"
            ):
                resolver.add_name(canonical)
        identities, key_to_id = resolver.resolve()
        # an identity's kind: decided on its shown name and majority label, unless its
        # speakers were all judged garbage / anonymous in context
        kinds = {}
        for ident in identities:
            kinds[ident.id] = speaker_kind(ident.name, ident.label, self.lexicon)
        names = sum(len(c) for c in resolver.forms.values())
        # keys and speaker kinds are recomputed too: a new newsan (or lexicon) may spell them otherwise
        all_names = {r[0] for r in db.execute(
            "SELECT canonical FROM entities UNION SELECT speaker_canonical FROM quote_occurrences "
            "UNION SELECT addressee_canonical FROM quote_occurrences UNION SELECT via_canonical FROM quote_occurrences"
        ) if r[0] is not None}
        speakers = db.execute(
            "SELECT DISTINCT speaker_canonical, speaker_label FROM quote_occurrences WHERE speaker_canonical IS NOT NULL"
        ).fetchall()
        db.execute("BEGIN IMMEDIATE")
        try:
            db.execute("CREATE TEMP TABLE IF NOT EXISTS name_keys (name TEXT PRIMARY KEY, key TEXT)")
            db.execute("CREATE TEMP TABLE IF NOT EXISTS speaker_kinds (name TEXT, label TEXT, kind TEXT)")
            db.execute("DELETE FROM name_keys")
            db.execute("DELETE FROM speaker_kinds")
            db.executemany("INSERT INTO name_keys VALUES (?, ?)", ((n, _key(n, self.lexicon)) for n in all_names))
            db.executemany("INSERT INTO speaker_kinds VALUES (?, ?, ?)",
                           ((n, lab, speaker_kind(n, lab, self.lexicon)) for n, lab in speakers))
            db.execute("CREATE INDEX IF NOT EXISTS temp.speaker_kinds_name ON speaker_kinds(name, label)")
            db.execute("UPDATE entities SET name_key = (SELECT key FROM name_keys WHERE name = entities.canonical)")
            db.execute(
                "UPDATE quote_occurrences SET "
                + ", ".join(f"{c}_key = (SELECT key FROM name_keys WHERE name = quote_occurrences.{c}_canonical)"
                            for c in ("speaker", "addressee", "via"))
                + ", speaker_kind = (SELECT kind FROM speaker_kinds k WHERE k.name = quote_occurrences.speaker_canonical"
                "    AND k.label IS quote_occurrences.speaker_label)"
            )
            db.execute("UPDATE entities SET identity_id = NULL")
            db.execute("UPDATE quote_occurrences SET speaker_identity_id = NULL, addressee_identity_id = NULL,"
                       " via_identity_id = NULL")
            db.execute("UPDATE quotes SET speaker_identity_id = NULL")
            db.execute("DELETE FROM speaker_stats")
            db.execute("DELETE FROM identity_keys")
            db.execute("DELETE FROM identities")
            db.executemany(
                "INSERT INTO identities VALUES (?,?,?,?,?,?)",
                [(i.id, i.name, i.label, kinds[i.id], json.dumps(i.variants, ensure_ascii=False),
                  json.dumps(i.keys, ensure_ascii=False)) for i in identities],
            )
            db.executemany("INSERT INTO identity_keys VALUES (?,?)", key_to_id.items())
            link = "(SELECT identity_id FROM identity_keys WHERE key = {col})"
            db.execute(f"UPDATE entities SET identity_id = {link.format(col='entities.name_key')}")
            db.execute(
                "UPDATE quote_occurrences SET "
                f"speaker_identity_id = {link.format(col='quote_occurrences.speaker_key')}, "
                f"addressee_identity_id = {link.format(col='quote_occurrences.addressee_key')}, "
                f"via_identity_id = {link.format(col='quote_occurrences.via_key')}"
            )
            # a speaker judged garbage in context (a pronoun fragment) is no one's quotation
            db.execute("UPDATE quote_occurrences SET speaker_identity_id = NULL WHERE speaker_kind = 'garbage'"
                       " AND speaker_identity_id IN (SELECT id FROM identities WHERE kind != 'person')")
            db.execute(
                """UPDATE quotes SET
                     speaker_identity_id = (SELECT speaker_identity_id FROM quote_occurrences o
                        WHERE o.quote_id = quotes.id AND speaker_identity_id IS NOT NULL
                        GROUP BY speaker_identity_id ORDER BY COUNT(*) DESC, MIN(o.id) LIMIT 1),
                     occurrences = (SELECT COUNT(*) FROM quote_occurrences o WHERE o.quote_id = quotes.id),
                     articles = (SELECT COUNT(DISTINCT article_id) FROM quote_occurrences o
                        WHERE o.quote_id = quotes.id),
                     outlets = (SELECT COUNT(DISTINCT a.outlet) FROM quote_occurrences o
                        JOIN articles a ON a.id = o.article_id WHERE o.quote_id = quotes.id)"""
            )
            db.execute(_STATS)
            # views as this newsan writes them (a store written by an older one gets them too)
            for (view,) in db.execute("SELECT name FROM sqlite_master WHERE type = 'view'").fetchall():
                db.execute(f'DROP VIEW "{view}"')
            for statement in _VIEWS.split(";"):
                if statement.strip():
                    db.execute(statement)
            db.execute("INSERT OR REPLACE INTO newsan_meta VALUES ('identities_stale', '0')")
            db.execute("COMMIT")
        except BaseException:
            db.execute("ROLLBACK")
            raise
        return {"names": names, "keys": len(resolver.forms), "identities": len(identities)}

    # -- reading -----------------------------------------------------------------------------------

    def rows(self, sql: str, params: Sequence[Any] | Mapping[str, Any] = ()) -> list[dict[str, Any]]:
        cur = self.db.execute(sql, params)
        cols = [d[0] for d in cur.description]
        return [dict(zip(cols, r, strict=True)) for r in cur]

    def counts(self) -> dict[str, int]:
        one = lambda sql: self.db.execute(sql).fetchone()[0]  # noqa: E731
        return {
            "articles": one("SELECT COUNT(*) FROM articles"),
            "batches": one("SELECT COUNT(*) FROM batches"),
            "quotes": one("SELECT COUNT(*) FROM quotes"),
            "occurrences": one("SELECT COUNT(*) FROM quote_occurrences"),
            "republished_quotes": one("SELECT COUNT(*) FROM quotes WHERE articles > 1"),
            "republished_occurrences": one("SELECT COALESCE(SUM(occurrences), 0) FROM quotes WHERE articles > 1"),
            "entities": one("SELECT COUNT(*) FROM entities"),
            "identities": one("SELECT COUNT(*) FROM identities"),
        }

    def iter_ids(self) -> Iterator[str]:
        yield from (r[0] for r in self.db.execute("SELECT id FROM articles ORDER BY id"))

    # -- asking ------------------------------------------------------------------------------------

    def ensure_identities(self) -> None:
        """Resolve identities if a run was interrupted before doing it."""
        if self.stale():
            self.finalize()

    def board(self, board: str, filters: Filters | None = None, top: int | None = 20) -> tuple[list[dict[str, Any]], int]:
        """A leaderboard (``people``, ``institutions``, ``anonymous``, ``speakers``)
        over the occurrences the filters keep: its first ``top`` rows and its length."""
        f = filters or Filters()
        if f.active():
            where, params = f.sql(self.lexicon)
            rows = self.rows(_board_sql(board, where), params)
        else:
            self.ensure_identities()
            rows = self.rows(_stats_board_sql(board))
        for r in rows:
            r["variants"] = json.loads(r["variants"])
        return (rows[:top] if top else rows), len(rows)

    def occurrences(self, filters: Filters | None = None, top: int | None = None) -> list[dict[str, Any]]:
        """Quotation occurrences the filters keep (newest first), with article columns."""
        where, params = (filters or Filters()).sql(self.lexicon)
        sql = f"""SELECT o.article_id AS article_id, a.outlet AS outlet, a.day AS date, a.title AS title, a.url AS url,
            o.quote_id AS quote_id, q.occurrences AS quote_occurrences, o.kind AS kind, i.name AS speaker,
            i.kind AS speaker_kind, o.speaker AS speaker_text, o.role AS role, d.name AS addressee, o.cue AS cue,
            o.content AS content, o.content_start AS content_start, o.content_end AS content_end
            FROM quote_occurrences o JOIN articles a ON a.id = o.article_id JOIN quotes q ON q.id = o.quote_id
            LEFT JOIN identities i ON i.id = o.speaker_identity_id
            LEFT JOIN identities d ON d.id = o.addressee_identity_id
            WHERE {where} ORDER BY a.day DESC, o.article_id, o.n"""
        if top:
            sql += f" LIMIT {int(top)}"
        return self.rows(sql, params)

    def view(self, top: int = 20, filters: Filters | None = None) -> dict[str, Any]:
        """The corpus view as data: leaderboards (named people, institutions,
        anonymous sources and roles) ranked by articles and outlets quoting them,
        who addresses whom, who is quoted through whom (relays), what each person is quoted about, outlets, time, and
        the quotation and identity counts. Each list says how long it was before
        it was cut to ``top`` (``*_total``)."""
        self.ensure_identities()
        f = filters or Filters()
        where, params = f.sql(self.lexicon)
        out: dict[str, Any] = {}
        for board in ("people", "institutions", "anonymous"):
            rows, total = self.board(board, f, top)
            out[board] = rows
            out[f"{board}_total"] = total
        about_sql = f"""SELECT e.name AS entity, e.label AS label, COUNT(DISTINCT o.quote_id) AS quotes
            FROM quote_occurrences o JOIN articles a ON a.id = o.article_id
            JOIN mentions m ON m.article_id = o.article_id AND m.start >= o.content_start AND m."end" <= o.content_end
            JOIN entities en ON en.id = m.entity_id JOIN identities e ON e.id = en.identity_id
            WHERE o.speaker_identity_id = :speaker_id AND e.id != :speaker_id AND ({where})
            GROUP BY e.id ORDER BY quotes DESC, entity LIMIT 5"""
        for row in out["people"]:
            row["quoted_about"] = self.rows(about_sql, {**params, "speaker_id": row["identity_id"]})
        addresses = self.rows(
            f"""SELECT s.name AS speaker, d.name AS addressee, COUNT(DISTINCT o.quote_id) AS quotes,
                COUNT(DISTINCT o.article_id) AS articles
                FROM quote_occurrences o JOIN articles a ON a.id = o.article_id
                JOIN identities s ON s.id = o.speaker_identity_id JOIN identities d ON d.id = o.addressee_identity_id
                WHERE s.kind NOT IN ('garbage') AND d.kind NOT IN ('garbage') AND s.id != d.id AND ({where})
                GROUP BY s.id, d.id ORDER BY quotes DESC, articles DESC, speaker""",
            params,
        )
        out["addresses"], out["addresses_total"] = addresses[:top], len(addresses)
        relays = self.rows(
            f"""SELECT s.name AS speaker, v.name AS via, COUNT(DISTINCT o.quote_id) AS quotes,
                COUNT(DISTINCT o.article_id) AS articles
                FROM quote_occurrences o JOIN articles a ON a.id = o.article_id
                JOIN identities s ON s.id = o.speaker_identity_id JOIN identities v ON v.id = o.via_identity_id
                WHERE s.kind NOT IN ('garbage') AND s.id != v.id AND ({where})
                GROUP BY s.id, v.id ORDER BY quotes DESC, articles DESC, speaker""",
            params,
        )
        out["relays"], out["relays_total"] = relays[:top], len(relays)
        outlets = self.rows(
            f"""SELECT a.outlet AS outlet, COUNT(DISTINCT a.id) AS articles, COUNT(o.id) AS occurrences,
                COUNT(DISTINCT o.quote_id) AS quotes
                FROM articles a JOIN quote_occurrences o ON o.article_id = a.id
                WHERE ({where}) GROUP BY a.outlet ORDER BY articles DESC, outlet""",
            params,
        )
        by_outlet: dict[Any, list[dict[str, Any]]] = {}
        for p in self.rows(
            f"""SELECT a.outlet AS outlet, i.name AS name, COUNT(DISTINCT o.article_id) AS articles,
                COUNT(DISTINCT o.quote_id) AS quotes
                FROM quote_occurrences o JOIN identities i ON i.id = o.speaker_identity_id
                JOIN articles a ON a.id = o.article_id
                WHERE i.kind = 'person' AND ({where}) GROUP BY a.outlet, i.id
                ORDER BY a.outlet, articles DESC, quotes DESC, name""",
            params,
        ):
            people = by_outlet.setdefault(p.pop("outlet"), [])
            if len(people) < 3:
                people.append(p)
        for row in outlets:
            row["people"] = by_outlet.get(row["outlet"], [])
        out["outlets"] = outlets
        days = self.rows(
            f"""SELECT a.day AS day, COUNT(DISTINCT a.id) AS articles, COUNT(o.id) AS occurrences,
                COUNT(DISTINCT o.quote_id) AS quotes
                FROM articles a JOIN quote_occurrences o ON o.article_id = a.id
                WHERE a.day IS NOT NULL AND ({where}) GROUP BY a.day ORDER BY a.day""",
            params,
        )
        if len(days) > 62:
            months: dict[str, dict[str, Any]] = {}
            for d in days:
                m = months.setdefault(d["day"][:7], {"month": d["day"][:7], "articles": 0, "occurrences": 0})
                m["articles"] += d["articles"]
                m["occurrences"] += d["occurrences"]
            out["over_time"] = {"unit": "month", "rows": list(months.values())}
        else:
            out["over_time"] = {"unit": "day", "rows": days}
        counts = self.rows(
            f"""SELECT COUNT(*) AS occurrences, COUNT(DISTINCT o.quote_id) AS quotes
                FROM quote_occurrences o JOIN articles a ON a.id = o.article_id WHERE {where}""",
            params,
        )[0]
        republished = self.rows(
            f"""SELECT q.id AS quote_id, q.content AS content, i.name AS speaker, q.occurrences AS occurrences,
                q.articles AS articles, q.outlets AS outlets
                FROM quotes q LEFT JOIN identities i ON i.id = q.speaker_identity_id
                WHERE q.articles > 1 AND q.id IN (SELECT o.quote_id FROM quote_occurrences o
                    JOIN articles a ON a.id = o.article_id WHERE {where})
                ORDER BY q.articles DESC, q.outlets DESC, q.id""",
            params,
        )
        out["quotations"] = {
            "distinct": counts["quotes"],
            "occurrences": counts["occurrences"],
            "republished": len(republished),
            "republished_occurrences": sum(r["occurrences"] for r in republished),
            "top_republished": republished[:top],
        }
        one = lambda sql: self.db.execute(sql).fetchone()[0]  # noqa: E731
        out["identities"] = {
            "speaker_names": one("SELECT COUNT(DISTINCT speaker_canonical) FROM quote_occurrences"),
            "speaker_identities": one("SELECT COUNT(DISTINCT speaker_identity_id) FROM quote_occurrences"),
            "entity_names": one("SELECT COUNT(DISTINCT canonical) FROM entities"),
            "entity_identities": one("SELECT COUNT(DISTINCT identity_id) FROM entities"),
        }
        return out


@dataclass
class Filters:
    """What ``--speaker``, ``--entity``, ``--outlet``, ``--since``, ``--until``,
    ``--kind`` and ``--search`` keep, as a WHERE clause over quotation
    occurrences ``o`` joined to their article ``a``.

    A name matches an identity one of whose spellings holds it as whole words
    (after :func:`newsan.identity.name_key`): ``--speaker أوباما`` finds باراك
    أوباما. ``--entity`` keeps quotations naming it inside their content (an
    entity mention within the content span, or the words themselves)."""

    speaker: str | None = None
    entity: str | None = None
    outlet: str | None = None
    since: str | None = None
    until: str | None = None
    kind: str | None = None
    search: str | None = None

    def active(self) -> bool:
        return any(v is not None for v in self.__dict__.values())

    def sql(self, lexicon: Lexicon) -> tuple[str, dict[str, Any]]:
        conds: list[str] = []
        params: dict[str, Any] = {}
        if self.speaker:
            params["f_speaker"] = f"% {name_key(self.speaker, lexicon)} %"
            conds.append(
                "(o.speaker_identity_id IN (SELECT identity_id FROM identity_keys WHERE ' ' || key || ' ' LIKE :f_speaker)"
                " OR ' ' || o.speaker_key || ' ' LIKE :f_speaker)"
            )
        if self.entity:
            params["f_entity"] = f"% {name_key(self.entity, lexicon)} %"
            params["f_entity_text"] = f"%{' '.join(normalize(self.entity).text.split())}%"
            conds.append(
                """(EXISTS (SELECT 1 FROM mentions m JOIN entities en ON en.id = m.entity_id
                    WHERE m.article_id = o.article_id AND m.start >= o.content_start AND m."end" <= o.content_end
                    AND (en.identity_id IN (SELECT identity_id FROM identity_keys WHERE ' ' || key || ' ' LIKE :f_entity)
                         OR ' ' || en.name_key || ' ' LIKE :f_entity))
                 OR (SELECT content_norm FROM quotes WHERE id = o.quote_id) LIKE :f_entity_text)"""
            )
        if self.outlet:
            params["f_outlet"] = f"%{self.outlet}%"
            conds.append("(a.outlet LIKE :f_outlet OR a.source LIKE :f_outlet)")
        if self.since:
            params["f_since"] = self.since
            conds.append("a.day >= :f_since")
        if self.until:
            params["f_until"] = self.until
            conds.append("a.day <= :f_until")
        if self.kind:
            params["f_kind"] = self.kind
            conds.append("o.kind = :f_kind")
        if self.search:
            params["f_search"] = normalize(self.search).text  # matches content_norm: every spelling
            conds.append("o.quote_id IN (SELECT rowid FROM quotes_fts WHERE quotes_fts MATCH :f_search)")
        return " AND ".join(conds) or "1", params


class Archive:
    """Buffers records and writes them to a :class:`Store` in batches of
    ``batch_size``, one transaction each (see :meth:`Store.add_batch`)."""

    def __init__(self, store: Store, batch_size: int = BATCH_SIZE, skip: set[str] | None = None) -> None:
        self.store, self.batch_size = store, batch_size
        self.buffer: list[Mapping[str, Any]] = []
        self.added = 0
        self.skip = skip if skip is not None else set()

    def add(self, record: Mapping[str, Any]) -> None:
        self.buffer.append(record)
        if len(self.buffer) >= self.batch_size:
            self.flush()

    def flush(self) -> None:
        batch, self.buffer = self.buffer, []
        self.added += self.store.add_batch(batch)
