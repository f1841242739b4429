"""Mentions -> entities per article; analyses -> a corpus view.

Per article (GUIDELINES §2): mentions of one source are grouped under the
fullest form seen (``وانغ`` -> ``وانغ يي``, ``بوتين`` -> ``فلاديمير بوتين``);
the other forms become aliases. Across articles: top speakers, top entities
per label, co-occurring entity pairs, quotes per outlet and per day.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from functools import cache
from typing import Any

from newsan.lexicons import Lexicon, load_lexicon
from newsan.model import Entity, Quote, Span
from newsan.morph import cue_gender
from newsan.normalize import core_word, normalize_word

__all__ = [
    "mention_form",
    "build_entities",
    "name_key",
    "person_canonical",
    "role_person",
    "apposed_name",
    "role_titles",
    "unify_speakers",
    "CorpusSummary",
]


def mention_form(span: Span) -> str:
    """The form of a mention as it should be listed: its text, or for a word
    contracted with ل + ال (للحكومة) the form with the article (الحكومة)."""
    text = " ".join(span.text.split())
    norm = normalize_word(text)
    if norm.startswith("لل") and len(norm) > 4:
        return "ال" + text[2:]
    return text


#: name words written joined to the next one or apart (عبد الله = عبدالله, أبو بكر = أبوبكر)
_JOINED = ("عبد", "ابو")


def name_key(form: str) -> tuple[str, ...]:
    """The words of a name as the clustering compares them: normalized (the
    one normalizer: spelling variants fold together), ``عبد``/``أبو`` joined
    to the next word, so ``عبد الله`` and ``عبدالله`` are one key."""
    out: list[str] = []
    for w in normalize_word(form).split():
        if out and out[-1] in _JOINED:
            out[-1] += w
        else:
            out.append(w)
    return tuple(out)


_tokens = name_key


def _contains(longer: tuple[str, ...], shorter: tuple[str, ...]) -> bool:
    n, m = len(longer), len(shorter)
    return m < n and any(longer[i : i + m] == shorter for i in range(n - m + 1))


def _name_part(short: tuple[str, ...], full: tuple[str, ...]) -> bool:
    """``short`` is the first or the last name part(s) of the longer ``full``
    (وانغ of وانغ يي, ماكرون of إيمانويل ماكرون), not a middle word (بن)."""
    m = len(short)
    return 0 < m < len(full) and (full[:m] == short or full[-m:] == short)


def _short_name(short: tuple[str, ...], full: tuple[str, ...]) -> bool:
    """``short`` is ``full`` with middle words left out: the same first and last
    word, the words between in order (محمد المرزوقي of محمد المنصف المرزوقي)."""
    if not 2 <= len(short) < len(full) or short[0] != full[0] or short[-1] != full[-1]:
        return False
    rest = iter(full[1:-1])
    return all(w in rest for w in short[1:-1])


def build_entities(mentions: Sequence[Span]) -> list[Entity]:
    """Group labelled mentions into entities with canonical form and aliases.

    A form is merged into a longer one of the same label that contains it as a
    token sequence (for people: as the first or last name part). A person is
    one entity whatever label a shorter form of the name got somewhere
    (ماكرون tagged LOC once beside إيمانويل ماكرون): a form that is the
    first or last name part of a longer person's name joins it. When a form
    was given several labels, the most frequent wins.
    """
    by_form: dict[tuple[str, ...], list[Span]] = defaultdict(list)
    shown: dict[tuple[str, ...], Counter[str]] = defaultdict(Counter)
    for m in mentions:
        form = mention_form(m)
        key = _tokens(form)
        if not key:
            continue
        by_form[key].append(m)
        shown[key][form] += 1

    label_of: dict[tuple[str, ...], str] = {}
    for key, ms in by_form.items():
        label_of[key] = Counter(m.label for m in ms).most_common(1)[0][0]

    # longest forms first: each shorter form joins the longest form that contains it
    keys = sorted(by_form, key=lambda k: (-len(k), -len(by_form[k]), k))
    parent: dict[tuple[str, ...], tuple[str, ...]] = {}
    heads: list[tuple[str, ...]] = []
    for key in keys:
        label = label_of[key]
        host = None
        for h in heads:
            if label_of[h] == "PERS" and label != "PERS" and _name_part(key, h):
                host = h  # a person's name part, mislabelled
                break
            if label == "PERS" == label_of[h] and _short_name(key, h):
                host = h  # علي صالح of علي عبدالله صالح: the middle name left out
                break
            if label_of[h] != label or not _contains(h, key):
                continue
            if label == "PERS" and len(key) == 1 and key[0] not in (h[0], h[-1]):
                continue  # a middle token (بن) is not a name of its own
            host = h
            break
        if host is None:
            heads.append(key)
        else:
            parent[key] = host

    groups: dict[tuple[str, ...], list[tuple[str, ...]]] = defaultdict(list)
    for key in keys:
        groups[parent.get(key, key)].append(key)

    entities: list[Entity] = []
    for head, members in groups.items():
        canonical = shown[head].most_common(1)[0][0]
        aliases: list[str] = []
        for k in members:
            for form, _ in shown[k].most_common():
                if form != canonical and form not in aliases:
                    aliases.append(form)
        ments = tuple(sorted(m for k in members for m in by_form[k]))
        entities.append(Entity(canonical, label_of[head], tuple(aliases), ments))
    entities.sort(key=lambda e: e.mentions[0].start)
    return entities


def person_canonical(name: str | None, entities: Sequence[Entity], labels: tuple[str, ...] = ("PERS",)) -> str | None:
    """The canonical name of the entity that ``name`` (a speaker's text or
    canonical form) refers to, or ``None``.

    The quotation stage and the entity list thus name one person one way: a
    name equal to an entity's form, a name part of it (وانغ -> وانغ يي), or a
    speaker that contains an entity's form after a role in apposition
    (الرئيس الفرنسي إيمانويل ماكرون -> إيمانويل ماكرون). Among several
    candidates the longest matching form wins; a tie between two entities
    (two people called محمد) gives ``None``.
    """
    if not name:
        return None
    key = name_key(name)
    if not key:
        return None
    best: list[tuple[int, int, Entity]] = []
    for e in entities:
        if e.label not in labels:
            continue
        score = 0
        for form in (e.canonical, *e.aliases):
            fk = name_key(form)
            if fk == key:
                score = max(score, 100 + len(fk))
            elif _name_part(key, fk) or (_contains(key, fk) and (len(fk) > 1 or form == e.canonical or key[0] == fk[0])):
                # a longer speaker holds the name after a role (الرئيس الفرنسي إيمانويل ماكرون) or
                # starts with it (زوكربيرغ وزوجته); one word of a name after another word is
                # another person's name (ألفة يوسف is not يوسف الشاهد, مكتب نتنياهو not نتنياهو)
                score = max(score, len(fk))
        if score:
            best.append((score, e.count, e))
    if not best:
        return None
    best.sort(key=lambda b: (-b[0], -b[1]))
    if len(best) > 1 and best[0][:2] == best[1][:2] and best[0][2].canonical != best[1][2].canonical:
        return None
    return best[0][2].canonical


def unify_speakers(
    quotes: Sequence[Quote], entities: Sequence[Entity], text: str | None = None, titles: frozenset[str] = frozenset()
) -> list[Quote]:
    """Quotes whose speaker (and addressee) canonical is the canonical name of
    the person entity it refers to (:func:`person_canonical`). Given the
    article's ``text`` and the lexicon's title words, a speaker that is a role
    without a name (الخبيرة، سفير فرنسا) takes the name the article ties to
    that role elsewhere (:func:`role_person`) and keeps its words as ``role``.

    A definite feminine role the article ties to no name (الخبيرة after
    «قالت أستاذة التغذية ليلى علوان») refers back: it takes the name of the
    woman quoted before it, when exactly one woman (a person quoted with a
    feminine cue: قالت، مضيفة) has been quoted so far. A masculine role is
    Arabic's unmarked form (المسؤول، المصدر may be anyone), so it does not."""
    out = []
    beside: dict[Any, Any] = {}
    women: list[str] = []  # the persons quoted so far with a feminine cue
    for q in quotes:
        sp = person_canonical(q.speaker_canonical or (q.speaker.text if q.speaker else None), entities)
        ad = person_canonical(q.addressee_canonical or (q.addressee.text if q.addressee else None), entities)
        changes: dict[str, Any] = {}
        if sp is None and q.speaker is not None and text is not None and titles:
            sp = role_person(q.speaker, q.cue.start, entities, text, titles, beside)
            if sp is None:
                sp = apposed_name(q.speaker, text, titles)
            if sp is None:
                sp = _earlier_woman(q.speaker.text, titles, women)
            if sp and q.role is None:
                changes["role"] = q.speaker
        if sp and sp not in women and cue_gender(q.cue.text) == "f":
            women.append(sp)
        if sp and sp != q.speaker_canonical:
            changes["speaker_canonical"] = sp
        if ad and ad != q.addressee_canonical:
            changes["addressee_canonical"] = ad
        out.append(replace(q, **changes) if changes else q)
    return out


_APPOSED_REACH = 160  # characters after a role where the name in apposition may stand
_NAME_RUN = 4  # words of such a name at most


@cache
def _apposition_lists() -> tuple[frozenset[str], frozenset[str], frozenset[str]]:
    """Given names (men's, women's and the tagger's person-name words), the words
    that end a name (prepositions, time words, complementizers), and the
    tagger's vocabulary of common words."""
    from newsan.extract.entities import _model_words, _vocabulary

    lexicon = load_lexicon(None)
    names = lexicon.words("ner_given_names") | lexicon.words("female_given_names") | _model_words("ner_names.tsv")
    stops = lexicon.words("speaker_stops") | lexicon.words("time_words") | lexicon.words("framing_preps") | _complementizers()
    return names, stops, _vocabulary()


def apposed_name(speaker: Span, text: str, titles: frozenset[str]) -> str | None:
    """The name written in apposition right after a role speaker, between commas
    or before the reported clause (وأكد المندوب الجهوي للثقافة، علي المرموري
    لمراسل …، أن …؛ وشاطرت النائبة عن كتلة الحرة، سماح بوحوال، …), where the
    tagger marked no person. ``None`` unless the speaker is a role, the words
    between the role and the comma hold no complementizer, and the name (two
    to four words, ended by a comma, a complementizer, a preposition or a
    ل/ب-word such as لمراسل) begins with a listed given name."""
    words = normalize_word(speaker.text).split()
    if not words or not (words[0] in titles or _titled(core_word(words[0]), titles)):
        return None
    tail = text[speaker.end : speaker.end + _APPOSED_REACH]
    tail = tail[: _first_of(tail, _SENTENCE_END, len(tail))]
    comma = _first_of(tail, "،,", -1)
    if comma < 0:
        return None
    names, stops, vocabulary = _apposition_lists()
    compl = _complementizers()
    between = normalize_word(tail[:comma]).split()
    if len(between) > 10 or any(w in compl for w in between):
        return None
    run: list[str] = []
    ended = False
    for token in tail[comma + 1 :].split():
        raw = token.rstrip("،,:؛)\"»”")
        w = normalize_word(raw)
        if not w.isalpha():
            ended = bool(run)  # a comma, a bracket, a colon or a quotation mark
            break
        # علي the given name, not على (the preposition, which folds to the same letters)
        named = w in names and raw.endswith("ي")
        if not named and (
            w in stops
            or (len(w) > 3 and w[0] in "لب" and (w[1:] in vocabulary or w[1:3] == "ال" or w[:2] == "لل"))
            or _titled(core_word(w), titles)
        ):
            ended = True
            break
        run.append(raw)
        if len(run) > _NAME_RUN:
            return None
        if raw != token:
            ended = True  # the word carries the comma that closes the apposition
            break
    if ended and 2 <= len(run) <= _NAME_RUN:
        first = normalize_word(run[0])
        if first not in _NAME_LINKS and (first in names or first.removeprefix("و") in names):
            return " ".join(run)
    # the name closes the role's own phrase (سفير فرنسا لدى تونس أوليفيي بوافر دارفور، إن …):
    # the last two to four words before the comma, from a listed given name on
    if words[-1] in _NAME_LINKS:
        return None  # a role cut inside a name (جامعة الإمام محمد بن | سعود …)
    before = tail[:comma].split()
    for j in range(max(len(before) - _NAME_RUN - 1, 0), len(before) - 1):
        name = before[j:]
        if len(name) > _NAME_RUN and not any(normalize_word(x) in _NAME_LINKS for x in name):
            continue  # five words only with بن (علي بن ناصر الغفيص)
        w = normalize_word(before[j])
        if (
            w in names
            and w not in _NAME_LINKS
            and not before[j].endswith("ى")
            and all(_name_word(x, stops, titles) for x in name)
        ):
            return " ".join(name)
    return None


_NAME_LINKS = frozenset({"بن", "بنت", "ابن", "ابو", "ام", "عبد", "ال"})


def _name_word(raw: str, stops: frozenset[str], titles: frozenset[str]) -> bool:
    """Whether a written word can be part of a person's name: a word, no
    preposition or time word, no title, no ب/ل-word with the article (بالنيابة)."""
    w = normalize_word(raw)
    return (
        w.isalpha()
        and w not in stops
        and not w.startswith(("بال", "لل"))
        and not _titled(core_word(w), titles)
    )


def _earlier_woman(role: str, titles: frozenset[str], women: Sequence[str]) -> str | None:
    """The one woman quoted before a definite feminine role speaker (الخبيرة،
    الوزيرة), or ``None``: not such a role, or no woman or several quoted so far."""
    words = normalize_word(role).split()
    if len(words) > 2 or not words or not words[0].startswith("ال") or not words[0].endswith("ه"):
        return None
    if not _titled(core_word(words[0]), titles):
        return None
    return women[0] if len(women) == 1 else None


@cache
def role_titles(lexicon: Lexicon) -> frozenset[str]:
    """The words a role speaker starts with (الوزير، الخبيرة، سفير …): the
    lexicon's titles and honorifics (and the honorifics that head a role without
    the article: أستاذة علوم التغذية), not its anonymous source nouns (المصادر)."""
    return lexicon.words("titles") | lexicon.words("honorifics") | lexicon.words("role_honorifics")


_SENTENCE_END = ".!?؟\n"
_ROLE_REACH = 100  # characters before a name where its role may stand (الخبيرة في … ليلى علوان)
_ROLE_AFTER = 60  # ... and after it (ليلى علوان، الخبيرة في …)


def _first_of(text: str, chars: str, default: int) -> int:
    """Where the first of ``chars`` stands in ``text``, or ``default``."""
    return min((i for i in map(text.find, chars) if i >= 0), default=default)


@cache
def _package_words(*sections: str) -> frozenset[str]:
    """The entries of the package lexicon's list ``sections``, united."""
    lexicon = load_lexicon(None)
    return frozenset().union(*(lexicon.words(s) for s in sections))


def _complementizers() -> frozenset[str]:
    """إن/أن and their pronoun forms (the package lexicon's ``complementizers`` lists)."""
    return _package_words("complementizers", "complementizers_pronoun")


def _titled(core: str, titles: frozenset[str]) -> bool:
    """A role word (:func:`~newsan.normalize.core_word`) that the title words list, with or without the article."""
    return core in titles or "ال" + core in titles


def _relation(words: Sequence[str], i: int) -> bool:
    """Whether ``words[i]`` relates what comes before it to another person:
    مع (تعاقد الفريق مع …), or من after "close" (مصدر مقرب من …، مصادر قريبة من …).
    Not the prepositions a role phrase holds (النائب عن حزب …، سفير تونس لدى …،
    حزب المؤتمر من أجل الجمهورية)."""
    w = words[i]
    if w == "مع":
        return True
    return w == "من" and i > 0 and core_word(words[i - 1]).startswith(("مقرب", "قريب"))


def _governed(near: Sequence[str], title: str, cores: Sequence[str], titles: frozenset[str]) -> bool:
    """Whether ``title``'s last occurrence in ``near`` is the genitive of a title
    right before it that the speaker's role does not hold (نائب | رئيس الحكومة،
    سفير | خادم الحرمين الشريفين): the name after the chain is that title's."""
    k = max(i for i, w in enumerate(near) if w == title)
    if k == 0 or near[k - 1] in cores or not _titled(near[k - 1], titles):
        return False
    # (فخامة الرئيس، سمو الأمير: an honorific governs no role)
    return not _titled(near[k - 1], _package_words("honorifics"))


def _beside(text: str, start: int, end: int) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """The role words (:func:`~newsan.normalize.core_word`) of the mention's sentence up to eight
    words before it and six after it."""
    before = text[max(0, start - _ROLE_REACH) : start]
    cut = max(before.rfind(ch) for ch in _SENTENCE_END + ":«\"“")
    words = normalize_word(before[cut + 1 :]).split()[-8:]
    # these end the apposition: a complementizer (in «وأوضح الإعلامي أن مارين لوبان …»
    # the name is the reported clause's subject, not the role's holder), a preposition
    # of relation («مصدر مقرب من بلاتيني» is close to Platini, not Platini) and a time
    # word («اتهم مسؤول ألماني، اليوم الأربعاء، تونس بتأخير ترحيل … أنيس العامري»)
    compl, times = _complementizers(), _package_words("time_words")
    k = max((i for i, w in enumerate(words) if w in compl or w in times or _relation(words, i)), default=-1)
    near_b = tuple(core_word(w) for w in words[k + 1 :])
    after = text[end : end + _ROLE_AFTER]
    cut = _first_of(after, _SENTENCE_END, len(after))
    return near_b, tuple(core_word(w) for w in normalize_word(after[:cut]).split()[:6])


def _occurrences(e: Entity, text: str) -> set[tuple[int, int]]:
    """Where a person is named: the tagger's mentions, and every other place
    its canonical name or an alias of two words or more is written as is (the
    tagger may have missed the one beside the role)."""
    found = {(m.start, m.end) for m in e.mentions}
    for form in (e.canonical, *e.aliases):
        if len(form) < 3 or (form != e.canonical and len(form.split()) < 2):
            continue
        i = text.find(form)
        while i >= 0:
            found.add((i, i + len(form)))
            i = text.find(form, i + 1)
    return found


def role_person(
    speaker: Span,
    cue_start: int,
    entities: Sequence[Entity],
    text: str,
    titles: frozenset[str],
    seen: dict[Any, Any] | None = None,
) -> str | None:
    """The person a role speaker refers to: the person mention of the article
    that the role's head word stands next to (within its sentence: before the
    name, in apposition, or right after it), the one nearest the quotation's
    cue, earlier ones first. ``None`` when the speaker is no role (its first
    word is not a title) or no person stands next to it."""
    words = normalize_word(speaker.text).split()
    if not words or not (words[0] in titles or _titled(core_word(words[0]), titles)):
        return None
    seen = {} if seen is None else seen  # what is read once per article: where each person is named, the words beside
    cores = [core_word(w) for w in words if len(core_word(w)) > 2]
    head = cores[0] if cores else ""
    if not head:
        return None
    best: tuple[tuple[int, int, int], str] | None = None
    for e in entities:
        if e.label != "PERS":
            continue
        if id(e) not in seen:
            seen[id(e)] = _occurrences(e, text)
        for start, end in seen[id(e)]:
            if start < speaker.end and speaker.start < end:
                continue  # the role's own words
            if (start, end) not in seen:
                seen[start, end] = _beside(text, start, end)
            near_b, near_a = seen[start, end]
            # the name belongs to the title nearest it (… حلفاء الرئيس فلاديمير بوتين: to الرئيس);
            # in a compound title (نائب رئيس الحكومة يوسف الشاهد) that is a later word of the role
            titled_b = [w for w in near_b if _titled(w, titles)]
            titled_a = [w for w in near_a if _titled(w, titles)]
            if titled_b and _governed(near_b, titled_b[-1], cores, titles):
                continue  # سفير خادم الحرمين الشريفين … علي عسيري: the ambassador's name, not the king's
            if titled_b and (titled_b[-1] == head or (titled_b[-1] in cores and head in titled_b)):
                side, near = 2, near_b
            elif titled_a and titled_a[0] == head:
                side, near = 1, near_a
            else:
                continue
            shared = sum(c in near for c in cores)
            dist = cue_start - start if start <= cue_start else 10 * (start - cue_start)
            rank = (shared, side, -dist)
            if best is None or rank > best[0]:
                best = (rank, e.canonical)
    return best[1] if best else None


#: Distinct keys a corpus counter may hold before its rarest entries are dropped
#: (see :meth:`CorpusSummary._bound`): the corpus view stays flat in memory
#: whatever the corpus size, and its top lists stay exact in practice.
MAX_KEYS = 100_000


@dataclass
class CorpusSummary:
    """Counts across a batch of analyzed articles (built incrementally, one
    record at a time; memory is bounded by ``max_keys`` per counter).

    When a counter outgrows ``max_keys`` distinct keys, its least frequent half
    is dropped (lossy counting): the most frequent speakers, entities and pairs
    -- what the view shows -- keep their counts, rare ones seen before the cut
    may be undercounted by the number of times they had been seen.
    ``approximate`` then says so in :meth:`to_dict`.
    """

    documents: int = 0
    failed: int = 0
    quotes: int = 0
    speakers: Counter[str] = field(default_factory=Counter)
    speaker_addressees: dict[str, Counter[str]] = field(default_factory=lambda: defaultdict(Counter))
    speaker_quoted_in: dict[str, Counter[str]] = field(default_factory=lambda: defaultdict(Counter))
    entities: dict[str, Counter[str]] = field(default_factory=lambda: defaultdict(Counter))
    entity_docs: dict[str, Counter[str]] = field(default_factory=lambda: defaultdict(Counter))
    cooccurrence: Counter[tuple[str, str]] = field(default_factory=Counter)
    per_outlet: Counter[str] = field(default_factory=Counter)
    per_day: Counter[str] = field(default_factory=Counter)
    docs_per_outlet: Counter[str] = field(default_factory=Counter)
    failures: Counter[str] = field(default_factory=Counter)
    max_keys: int = MAX_KEYS
    approximate: bool = False
    #: a :class:`newsan.store.Archive` the records also go to; it answers the
    #: corpus view (identities, leaderboards, republished quotations) in :meth:`to_dict`
    archive: Any = None

    def add_record(self, record: Mapping[str, Any]) -> None:
        """Fold one exported record (see :func:`newsan.export.to_dict`) into the counts."""
        if self.archive is not None:
            self.archive.add(record)
        self.documents += 1
        quotes = record.get("quotes") or []
        self.quotes += len(quotes)
        meta = record.get("meta") or {}
        outlet = meta.get("outlet") or meta.get("source")
        outlet = str(outlet).strip() if outlet else None
        day = _day(meta.get("date"))
        if outlet:
            self.docs_per_outlet[outlet] += 1
        for q in quotes:
            name = _name(q.get("speaker"))
            if name:
                self.speakers[name] += 1
                ad = _name(q.get("addressee"))
                if ad:
                    self.speaker_addressees[name][ad] += 1
                via = _name(q.get("via"))
                if via:
                    self.speaker_quoted_in[name][via] += 1
            if outlet:
                self.per_outlet[outlet] += 1
            if day:
                self.per_day[day] += 1
        ents = record.get("entities") or []
        for e in ents:
            self.entities[e["label"]][e["canonical"]] += e.get("count", 1)
            self.entity_docs[e["label"]][e["canonical"]] += 1
        self._cooccur(ents)
        if self.documents % 256 == 0:
            self._bound()

    def _cooccur(self, ents: Iterable[Mapping[str, Any]]) -> None:
        """Pairs of distinct entities named in the same sentence, once per sentence."""
        by_sentence: dict[int, set[str]] = defaultdict(set)
        for e in ents:
            for m in e.get("mentions", []):
                s = m.get("sentence")
                if s is not None:
                    by_sentence[s].add(e["canonical"])
        for names in by_sentence.values():
            if len(names) < 2:
                continue
            ordered = sorted(names)
            for i, a in enumerate(ordered):
                for b in ordered[i + 1 :]:
                    self.cooccurrence[(a, b)] += 1

    def _bound(self) -> None:
        """Keep every counter under ``max_keys`` distinct keys (lossy counting)."""
        cap = self.max_keys
        if _shrink(self.cooccurrence, cap):
            self.approximate = True
        for label, counts in self.entities.items():
            if len(counts) > cap:
                _shrink(counts, cap)
                docs = self.entity_docs[label]
                for k in [k for k in docs if k not in counts]:
                    del docs[k]
                self.approximate = True
        if _shrink(self.speakers, cap):
            for table in (self.speaker_addressees, self.speaker_quoted_in):
                for k in [k for k in table if k not in self.speakers]:
                    del table[k]
            self.approximate = True
        for table in (self.speaker_addressees, self.speaker_quoted_in):
            for counts in table.values():
                if _shrink(counts, 1000):
                    self.approximate = True

    def add_failure(self, reason: str) -> None:
        self.failed += 1
        self.failures[reason] += 1

    def to_dict(self, top: int = 20) -> dict[str, Any]:
        """The corpus view as data: counts and the ``top`` items of each list."""
        return {
            "documents": self.documents,
            "failed": self.failed,
            "failures": dict(self.failures.most_common()),
            "quotes": self.quotes,
            "top_speakers": [
                {
                    "speaker": s,
                    "quotes": n,
                    "addressees": dict(self.speaker_addressees[s].most_common(5)) if s in self.speaker_addressees
                    else {},
                    "via": dict(self.speaker_quoted_in[s].most_common(5)) if s in self.speaker_quoted_in else {},
                }
                for s, n in self.speakers.most_common(top)
            ],
            "top_entities": {
                label: [
                    {"canonical": c, "mentions": n, "documents": self.entity_docs[label][c]}
                    for c, n in self.entities[label].most_common(top)
                ]
                if label in self.entities
                else []
                for label in ("PERS", "LOC", "ORG", "MISC")
            },
            "cooccurrence": [{"a": a, "b": b, "sentences": n} for (a, b), n in self.cooccurrence.most_common(top)],
            "quotes_per_outlet": dict(self.per_outlet.most_common()),
            "documents_per_outlet": dict(self.docs_per_outlet.most_common()),
            "quotes_per_day": dict(sorted(self.per_day.items())),
            "approximate": self.approximate,
            **self._archive_view(top),
        }

    def _archive_view(self, top: int) -> dict[str, Any]:
        """The store's corpus view (empty without an archive): see :meth:`newsan.store.Store.view`."""
        if self.archive is None:
            return {}
        self.archive.flush()
        return self.archive.store.view(top)


def _name(span: Mapping[str, Any] | None) -> str | None:
    """The name a speaker/addressee/via span stands for: its canonical form or text."""
    if not span:
        return None
    name = span.get("canonical") or span.get("text")
    if not name:
        return None
    return " ".join(str(name).split()) or None


def _shrink(counts: Counter[Any], cap: int) -> bool:
    """Drop the least frequent keys of ``counts`` down to ``cap // 2``; whether it did."""
    if len(counts) <= cap:
        return False
    keep = dict(counts.most_common(cap // 2))
    counts.clear()
    counts.update(keep)
    return True


def _day(date: Any) -> str | None:
    """YYYY-MM-DD from the date formats of news metadata (ISO 8601, YYYY/MM/DD,
    DD/MM/YYYY, DD-MM-YYYY), or ``None``."""
    if not isinstance(date, str) or not date.strip():
        return None
    d = date.strip().split()[0].split("T")[0]
    parts = d.replace("/", "-").replace(".", "-").split("-")
    if len(parts) != 3 or not all(p.isdigit() for p in parts):
        return None
    if len(parts[0]) == 4:
        y, m, dd = parts
    elif len(parts[2]) == 4:
        dd, m, y = parts
    else:
        return None
    year, month, day = int(y), int(m), int(dd)
    if not (1 <= month <= 12 and 1 <= day <= 31):
        return None
    return f"{year:04d}-{month:02d}-{day:02d}"
