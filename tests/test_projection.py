"""Projection of document-level gold entities onto the analyzer's tokens."""

from newsan.projection import project_article


def _spans(art):
    out = []
    for toks, tags in art.sentences:
        cur = None
        for t, g in zip(toks, tags, strict=True):
            if g.startswith("B-"):
                cur = [g[2:], t]
                out.append(cur)
            elif g.startswith("I-") and cur is not None:
                cur.append(t)
            else:
                cur = None
    return [(c[0], " ".join(c[1:])) for c in out]


def test_every_occurrence_through_proclitics_variants_and_contraction():
    text = (
        "قال وانغ يي إن الصين تدعم الحوار.\n"
        "وأضاف وانغ أن بالصين وللحكومة الصينية دوراً، وأن والصين شريك لأمريكا.\n"
        "وقالت الحكومه ذلك."
    )
    gold = {
        "entities": [
            {"canonical": "وانغ يي", "label": "PERS", "aliases": ["وانغ"]},
            {"canonical": "الصين", "label": "LOC", "aliases": []},
            {"canonical": "الحكومة", "label": "ORG", "aliases": []},
            {"canonical": "أمريكا", "label": "LOC", "aliases": []},
        ]
    }
    art = project_article(text, gold, article_id="x")
    spans = _spans(art)
    assert ("PERS", "وانغ يي") in spans and ("PERS", "وانغ") in spans
    assert [s for s in spans if s[0] == "LOC"] == [
        ("LOC", "الصين"), ("LOC", "بالصين"), ("LOC", "والصين"), ("LOC", "لأمريكا")
    ]
    # ل + ال contracted (للحكومة) and the ة/ه spelling variant (الحكومه)
    assert [s for s in spans if s[0] == "ORG"] == [("ORG", "وللحكومة"), ("ORG", "الحكومه")]
    assert art.unmatched_forms == [] and art.unprojected == []


def test_longest_wins_and_failures_are_reported():
    text = "أعلن حزب نداء تونس أن تونس بخير. وقال عبدالله إنه راض."
    gold = {
        "entities": [
            {"canonical": "نداء تونس", "label": "ORG", "aliases": ["حزب نداء تونس"]},
            {"canonical": "تونس", "label": "LOC", "aliases": []},
            {"canonical": "عبد الله", "label": "PERS", "aliases": []},
            {"canonical": "وزارة العدل", "label": "ORG", "aliases": []},
        ]
    }
    art = project_article(text, gold, article_id="y")
    spans = _spans(art)
    assert ("ORG", "حزب نداء تونس") in spans
    assert ("LOC", "تونس") in spans  # the second, free-standing occurrence
    assert ("PERS", "عبدالله") in spans  # white space inside a name is not significant
    assert art.conflicts == [("تونس", "LOC", "ORG")]
    assert art.unprojected == [("وزارة العدل", "ORG")]
    assert art.unmatched_forms == [("وزارة العدل", "ORG", "وزارة العدل", "absent from the text")]
