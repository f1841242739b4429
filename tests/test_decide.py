"""The learned quotation decisions: form tables, learners, candidates, model, CV."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import SEED, assert_spans_exact

from newsan.aggregate import build_entities
from newsan.cli import cli
from newsan.export import to_dict
from newsan.extract.decide import _view, apply_model, load_model, speaker_candidates, with_candidates
from newsan.extract.entities import find_mentions
from newsan.extract.quotes import extract_quotes
from newsan.learn.linear import train_logistic, train_ranker
from newsan.lexicons import load_lexicon
from newsan.load import article_from_text
from newsan.morph import cue_forms, verb_forms
from newsan.normalize import normalize_word
from newsan.pipeline import Analyzer, make_tagger
from newsan.segment import segment

# --------------------------------------------------------------------------- #
# morphology


def test_verb_forms_from_stems() -> None:
    forms = verb_forms(["قال", "يقول", "قائلا"])
    for f in ("قال", "قالت", "قالوا", "قالا", "قالها", "يقول", "تقول", "يقولون", "قائلا", "قائلة", "قائلين"):
        assert normalize_word(f) in forms, f
    # a plural with an object pronoun: the alif of وا drops (اتهموه), يتهمونه
    forms = verb_forms(["اتهم", "يتهم", "متهما"])
    for f in ("اتهموه", "اتهموها", "يتهمونه", "اتهمته"):
        assert normalize_word(f) in forms, f
    assert "اتهموان" not in forms


def test_verb_forms_weak_final_letter() -> None:
    forms = verb_forms(["نفى", "ينفي"])
    assert {"نفي", "نفت", "نفوا", "ينفي", "تنفي", "ينفون"} <= forms
    forms = verb_forms(["دعا", "يدعو", "داعيا"])
    assert {"دعا", "دعت", "دعوا", "يدعو", "تدعو", "يدعون", "داعيا", "داعيه"} <= forms


def test_candidate_cues_section_generates_lemma_table() -> None:
    table = cue_forms(load_lexicon(None).raw("candidate_cues"))
    assert table[normalize_word("لاحظت")] == normalize_word("لاحظ")
    assert table[normalize_word("يجددون")] == normalize_word("جدد")


# --------------------------------------------------------------------------- #
# learners


def test_ranker_learns_which_candidate_is_right() -> None:
    groups = []
    for k in range(40):
        feats = [("near", f"noise{k % 3}"), ("far", f"noise{(k + 1) % 3}"), ("far", "other")]
        groups.append((feats, [True, False, False]))
    w = train_ranker(groups, l2=0.1, min_count=1)
    assert w["near"] > w["far"]


def test_logistic_learns_the_sign_of_a_feature() -> None:
    rows = [["good", "x"]] * 30 + [["bad", "x"]] * 30
    labels = [True] * 30 + [False] * 30
    w, _ = train_logistic(rows, labels, l2=0.1, min_count=1)
    assert w["good"] > 0 > w["bad"]


# --------------------------------------------------------------------------- #
# candidates and the shipped model


def _seed_parts():
    lexicon = load_lexicon(None)
    article = article_from_text(SEED.read_text(encoding="utf-8"), str(SEED), id=SEED.stem)
    seg = segment(article.text)
    entities = build_entities(find_mentions(seg, make_tagger("default"), lexicon))
    quotes, _ = extract_quotes(seg, lexicon, entities)
    return lexicon, article, seg, entities, quotes


def test_candidates_keep_the_rules_quotations_and_mark_the_rest() -> None:
    lexicon, article, seg, entities, quotes = _seed_parts()
    cands = with_candidates(seg, lexicon, entities, quotes)
    assert set(quotes) <= set(cands)
    for q in cands:
        assert article.text[q.content.start : q.content.end] == q.content.text
        assert article.text[q.cue.start : q.cue.end] == q.cue.text
        if q not in quotes:
            assert "extra" in q.evidence


def test_speaker_candidates_are_exact_spans_outside_the_content() -> None:
    lexicon, article, seg, entities, quotes = _seed_parts()
    v = _view(seg.sentences, entities, lexicon)
    for i, q in enumerate(quotes):
        cands = speaker_candidates(q, quotes, i, v)
        if q.speaker is not None:
            assert any(c.from_rules for c in cands)
        for c in cands:
            assert article.text[c.span.start : c.span.end] == c.span.text
            assert not (q.content.start <= c.span.start < q.content.end) or c.from_rules


def test_speaker_candidates_stay_few_in_an_unpunctuated_wall_of_text() -> None:
    # one "sentence" of thousands of words naming people and titles throughout:
    # each quotation's candidates come from a bounded reach around its cue, so
    # their number does not grow with the sentence (no quadratic work)
    lexicon = load_lexicon(None)
    unit = "والتقى الوزير محمد الغنوشي بالرئيس في تونس وقال الخبير إن الوضع صعب و"

    def most_candidates(repeats: int) -> int:
        text = unit * repeats + "انتهى"
        seg = segment(text)
        entities = build_entities(find_mentions(seg, None, lexicon))
        quotes, _ = extract_quotes(seg, lexicon, entities)
        assert quotes
        v = _view(seg.sentences, entities, lexicon)
        return max(len(speaker_candidates(q, quotes, i, v)) for i, q in enumerate(quotes))

    small, large = most_candidates(20), most_candidates(200)
    assert large <= small + 5, (small, large)


def _candidates_of(text: str):
    lexicon = load_lexicon(None)
    seg = segment(text)
    entities = build_entities(find_mentions(seg, make_tagger("default"), lexicon))
    quotes, _ = extract_quotes(seg, lexicon, entities)
    cands = with_candidates(seg, lexicon, entities, quotes)
    v = _view(seg.sentences, entities, lexicon, text)
    return lexicon, seg, entities, cands, v


def test_speaker_candidates_carry_their_clause_position() -> None:
    # أكد أعضاء الوفد التونسي وحدة مصير البلدين وأن …: the words right after the
    # verb stand in its subject's place, the phrase after that subject in its object's
    text = "كما أكد أعضاء الوفد التونسي وحدة مصير البلدين وأن ما جرى في سوريا ليس ثورة."
    _, _, _, cands, v = _candidates_of(text)
    q = next(q for q in cands if q.cue.text == "أكد")
    feats = {c.span.text: c.features for c in speaker_candidates(q, [q], 0, v)}
    assert "after_verb" in feats["أعضاء الوفد التونسي"], feats
    assert "after_subject" in feats["وحدة مصير البلدين"], feats
    assert "after_verb" not in feats["وحدة مصير البلدين"], feats


def test_learned_speaker_is_never_a_function_word() -> None:
    # the speaker is a typed mention: a phrase headed by a preposition or a
    # demonstrative (ذلك، وفق ذات المصدر) is never chosen while another candidate stands
    text = (
        "قال مسؤول أمريكي اليوم إن الحظر لا يشمل تونس. "
        "ووفق ذات المصدر أضاف المسؤول أن الوزارة لديها دليل واضح حول المسألة."
    )
    lexicon, seg, entities, cands, _ = _candidates_of(text)
    quotes = apply_model(cands, seg.sentences, entities, lexicon, load_model(), text)
    speakers = [normalize_word(q.speaker.text) for q in quotes if q.speaker is not None]
    assert speakers
    for s in speakers:
        assert s.split()[0] not in {"وفق", "ووفق", "ذلك", "ذات"}, speakers


def test_a_role_stays_with_its_own_person() -> None:
    """The rules' role word becomes the chosen speaker's role only where it is
    that person's: beside the name, or beside the name written again."""
    from newsan.extract.decide import SpeakerCandidate, _role_of
    from newsan.model import Span

    text = (
        "غسان شربل: الاتفاق لا يطمئن\n"
        "قال مسؤول سعودي إن الاتفاق يقلق المنطقة. "
        "وكتب الصحفي غسان شربل في صحيفة الحياة أن الاتفاق لا يطمئن أحدا. "
        "وقال وزير الخارجية خميس الجهيناوي إن الزيارة ناجحة."
    )
    *_, v = _candidates_of(text)

    def at(s: str, nth: int = 0) -> Span:
        i = -1
        for _ in range(nth + 1):
            i = text.index(s, i + 1)
        return Span(i, i + len(s), s)

    def cand(s: str, nth: int = 0) -> SpeakerCandidate:
        return SpeakerCandidate(at(s, nth), s, (), False)

    # another person's role, sentences away
    assert not _role_of(v, at("مسؤول سعودي"), cand("غسان شربل", 1))
    # the role beside the name, before it
    assert _role_of(v, at("وزير الخارجية"), cand("خميس الجهيناوي"))
    assert _role_of(v, at("الصحفي"), cand("غسان شربل", 1))
    # the headline's name, its role beside the name written again in the body
    assert _role_of(v, at("الصحفي"), cand("غسان شربل"))


def test_shipped_model_is_trained_on_the_licensed_set() -> None:
    model = load_model()
    assert model is not None
    assert model.meta["trained_on"].startswith("train:")
    assert model.speaker and model.keep and 0 < model.threshold < 1
    # proposals (quotations the rules did not make) need more confidence (README: "Proposals")
    assert model.threshold_proposed is not None and model.threshold < model.threshold_proposed < 1


def test_proposals_have_a_threshold_of_their_own() -> None:
    """A quotation the rules did not make (a proposal) is kept only above the
    proposals' threshold; a rules' quotation of the same probability stays."""
    from newsan.extract.decide import QuoteModel

    lexicon = load_lexicon(None)
    text = "وأكد الوزير أن الامتحانات ستجرى في موعدها. وجدد النائب رفضه للقرار الحكومي الجديد."
    seg = segment(text)
    entities = build_entities(find_mentions(seg, make_tagger("default"), lexicon))
    quotes, _ = extract_quotes(seg, lexicon, entities)
    cands = with_candidates(seg, lexicon, entities, quotes)
    assert sorted("extra" in q.evidence for q in cands) == [False, True]
    # no keep weights: every quotation has probability 0.5
    model = QuoteModel(speaker={}, keep={}, keep_bias=0.0, threshold=0.4, meta={})
    assert len(apply_model(cands, seg.sentences, entities, lexicon, model)) == 2
    strict = QuoteModel(speaker={}, keep={}, keep_bias=0.0, threshold=0.4, meta={}, threshold_proposed=0.6)
    out = apply_model(cands, seg.sentences, entities, lexicon, strict)
    assert [q.cue.text for q in out] == ["أكد"]
    # the setting travels with the model file; a file without it keeps one threshold
    assert QuoteModel.from_json(strict.to_json()).threshold_proposed == 0.6
    assert QuoteModel.from_json(model.to_json()).threshold_proposed is None
    assert "threshold_proposed" not in model.to_json()


def test_learned_quotes_have_confidence_and_exact_offsets() -> None:
    lexicon, article, seg, entities, quotes = _seed_parts()
    model = load_model()
    out = apply_model(with_candidates(seg, lexicon, entities, quotes), seg.sentences, entities, lexicon, model)
    assert out
    assert all(q.confidence is not None and model.threshold <= q.confidence <= 1 for q in out)
    rec = to_dict(Analyzer()(article))
    assert_spans_exact(rec, article.text)


def test_quotes_option_rules_gives_the_rules_output() -> None:
    runner = CliRunner()
    rules = json.loads(runner.invoke(cli, ["analyze", str(SEED), "-f", "jsonl", "--quotes", "rules"]).stdout)
    learned = json.loads(runner.invoke(cli, ["analyze", str(SEED), "-f", "jsonl"]).stdout)
    assert all("confidence" not in q for q in rules["quotes"])
    assert all("confidence" in q for q in learned["quotes"])
    lexicon, _, _, _, quotes = _seed_parts()
    assert [q["content"]["text"] for q in rules["quotes"]] == [q.content.text for q in quotes]


def test_train_script_refuses_the_dev_set(tmp_path: Path) -> None:
    import subprocess
    import sys

    dev = tmp_path / "dev"
    dev.mkdir()
    root = Path(__file__).resolve().parents[1]
    r = subprocess.run([sys.executable, str(root / "scripts" / "train_quotes.py"), "--gold", str(dev),
                        "--out", str(tmp_path / "m.json")], capture_output=True, text=True)
    assert r.returncode == 2 and "dev set" in r.stderr
    assert not (tmp_path / "m.json").exists()


# --------------------------------------------------------------------------- #
# cross-validation (needs ../shared/eval/train)


@pytest.mark.slow
def test_cross_validation_learned_beats_rules_on_unseen_folds(shared_dir: Path) -> None:
    train = shared_dir / "eval" / "train"
    if not train.is_dir():
        pytest.skip("../shared/eval/train is not present")
    result = CliRunner().invoke(cli, ["eval", "cv", str(train), "--bootstrap", "50", "-f", "json"],
                                catch_exceptions=False)
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    rules, learned = data["pooled"]["rules"], data["pooled"]["learned"]
    assert len(data["folds"]) == 5 and data["pooled"]["articles"] >= 295
    # measured: quote F1 0.817 -> 0.849, end-to-end 0.687 -> 0.717 (README)
    assert learned["f1"] > rules["f1"] + 0.02
    assert learned["e2e_f1"] > rules["e2e_f1"] + 0.01
    lo, hi = learned["ci95"]["f1"]
    assert lo <= learned["f1"] <= hi
    # per stage: the candidates' ceilings bound what the pipeline reaches
    stages = data["stages"]
    cand_recall = stages["quotation candidate recall (gold quotations a candidate matches)"]
    assert learned["recall"] <= cand_recall <= 1.0
    cue_p, cue_r = (float(x) for x in stages["cue P / R, learned"].split(" / "))
    assert 0.5 < cue_r <= stages["cue recall, candidates (gold cues placed on the text)"] and 0.5 < cue_p <= 1.0


@pytest.mark.slow
def test_cross_validation_can_hold_out_one_category(shared_dir: Path) -> None:
    train = shared_dir / "eval" / "train"
    if not train.is_dir():
        pytest.skip("../shared/eval/train is not present")
    result = CliRunner().invoke(cli, ["eval", "cv", str(train), "--hold-out-category", "internationalNews",
                                      "--bootstrap", "0", "-f", "json"], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    # one fold: the 58 international articles of SOURCES.tsv are scored, the rest train
    assert len(data["folds"]) == 1 and data["pooled"]["articles"] == data["folds"][0]["articles"] == 58
    assert data["pooled"]["held_out_category"] == "internationalNews"
    assert data["pooled"]["learned"]["f1"] > data["pooled"]["rules"]["f1"]


def test_eval_cv_hold_out_category_needs_sources(tmp_path: Path) -> None:
    gold = tmp_path / "gold"
    gold.mkdir()
    for n in ("001", "002"):
        (gold / f"{n}.txt").write_text("قال الوزير إن الوضع صعب.", encoding="utf-8")
        (gold / f"{n}.json").write_text(json.dumps({"id": n, "quotes": [], "entities": []}), encoding="utf-8")
    runner = CliRunner()
    result = runner.invoke(cli, ["eval", "cv", str(gold), "--folds", "2", "--hold-out-category", "sport"])
    assert result.exit_code == 2 and "SOURCES.tsv" in result.output and "Traceback" not in result.output
    (gold / "SOURCES.tsv").write_text("file\tcategory\n001\tsport\n002\tculture\n", encoding="utf-8")
    result = runner.invoke(cli, ["eval", "cv", str(gold), "--folds", "2", "--hold-out-category", "politic"])
    assert result.exit_code == 2 and "culture, sport" in result.output


def _annotation_set(tmp_path: Path) -> tuple[Path, Path]:
    """Two annotated articles keyed by id, their texts in a gzip JSON Lines file."""
    import gzip

    arts = [
        {"id": "ant/X-1", "title": "الوزير: الوضع صعب", "text": "قال الوزير محمد الغنوشي إن الوضع صعب في تونس."},
        {"id": "ant/X-2", "title": "عنوان", "text": "وأكدت الوزارة أن الامتحانات ستجرى في موعدها."},
        {"id": "ant/X-3", "title": "", "text": "نص لم يعلق عليه أحد."},
    ]
    texts = tmp_path / "news.jsonl.gz"
    with gzip.open(texts, "wt", encoding="utf-8") as f:
        for a in arts:
            f.write(json.dumps(a, ensure_ascii=False) + "\n")
    ann = tmp_path / "ann"
    ann.mkdir()
    golds = [
        {"article_id": "ant/X-1", "quotes": [{"kind": "indirect", "cue": "قال", "content": "الوضع صعب في تونس",
                                           "speaker": "محمد الغنوشي", "speaker_canonical": "محمد الغنوشي",
                                           "role": "الوزير", "addressee": None, "via": None}],
         "entities": [{"canonical": "تونس", "label": "LOC", "aliases": []}]},
        {"article_id": "ant/X-2", "quotes": [{"kind": "indirect", "cue": "أكدت", "content": "الامتحانات ستجرى في موعدها",
                                           "speaker": "الوزارة", "speaker_canonical": "الوزارة",
                                           "role": None, "addressee": None, "via": None}], "entities": []},
    ]
    for g in golds:
        (ann / (g["article_id"].replace("/", "__") + ".json")).write_text(json.dumps(g, ensure_ascii=False), encoding="utf-8")
    return ann, texts


def test_annotations_keyed_by_id_read_their_text_from_the_news_file(tmp_path: Path) -> None:
    from newsan.evaluate import annotated_articles

    ann, texts = _annotation_set(tmp_path)
    pairs = annotated_articles(ann, texts)
    assert [a.id for a, _ in pairs] == ["ant__X-1", "ant__X-2"]
    for article, gold in pairs:
        # read as a gold folder's NNN.txt: the title, a newline, the text
        assert article.text.split("\n", 1)[0] in ("الوزير: الوضع صعب", "عنوان")
        for q in gold["quotes"]:
            assert q["content"] in article.text
    # a content given as offsets into the article (the repo's files keep no article text) reads back
    text = pairs[0][0].text
    start = text.index("الوضع صعب في تونس")
    at = {"article_id": "ant/X-1", "quotes": [{"kind": "indirect", "cue": "قال", "content_at": [start, start + 17],
                                              "speaker": "الوزير", "speaker_canonical": "الوزير"}]}
    (ann / "ant__X-1.json").write_text(json.dumps(at, ensure_ascii=False), encoding="utf-8")
    (gold,) = [g for a, g in annotated_articles(ann, texts) if g["article_id"] == "ant/X-1"]
    assert gold["quotes"][0]["content"] == "الوضع صعب في تونس" and "content_at" not in gold["quotes"][0]
    # offsets that run past the article are reported, and the others still load
    bad = {**at, "quotes": [{**at["quotes"][0], "content_at": [start, len(text) + 5]}]}
    (ann / "ant__X-1.json").write_text(json.dumps(bad, ensure_ascii=False), encoding="utf-8")
    errors_at: list[str] = []
    assert len(annotated_articles(ann, texts, on_error=lambda p, r: errors_at.append(r))) == 1
    assert errors_at and "content_at" in errors_at[0]
    (ann / "ant__X-1.json").write_text(json.dumps(at, ensure_ascii=False), encoding="utf-8")
    # an annotation whose article is missing is reported, and the others still load
    (ann / "ant__X-9.json").write_text(json.dumps({"article_id": "ant/X-9", "quotes": []}), encoding="utf-8")
    (ann / "broken.json").write_text("{", encoding="utf-8")
    errors: list[str] = []
    pairs = annotated_articles(ann, texts, on_error=lambda p, r: errors.append(f"{p.name}: {r}"))
    assert len(pairs) == 2
    assert any("ant/X-9" in e and "not in" in e for e in errors) and any(e.startswith("broken.json") for e in errors)


def test_cross_validation_extra_articles_train_but_are_never_scored(tmp_path: Path, shared_dir: Path) -> None:
    from newsan.learn.cv import cross_validate
    from newsan.learn.data import load_annotations, load_gold

    train = shared_dir / "eval" / "train"
    if not train.is_dir():
        pytest.skip("../shared/eval/train is not present")
    ann, texts = _annotation_set(tmp_path)
    tagger = make_tagger("default")
    docs = load_gold(train, tagger)[:20]
    extra = load_annotations(ann, texts, tagger)
    base = cross_validate(docs, k=2, bootstrap=0)
    more = cross_validate(docs, k=2, bootstrap=0, extra=extra)
    # the folds and what is scored stay those of docs
    assert more.pooled["articles"] == base.pooled["articles"] == 20
    assert more.pooled["learned"]["gold"] == base.pooled["learned"]["gold"]
    assert more.pooled["extra_training_articles"] == 2 and base.pooled["extra_training_articles"] == 0


def test_eval_cv_extra_needs_its_texts(tmp_path: Path) -> None:
    ann, _ = _annotation_set(tmp_path)
    result = CliRunner().invoke(cli, ["eval", "cv", str(ann), "--extra", str(ann)])
    assert result.exit_code == 2 and "--extra-texts" in result.output


def test_eval_quotes_scores_annotation_files_keyed_by_id(tmp_path: Path) -> None:
    ann, texts = _annotation_set(tmp_path)
    result = CliRunner().invoke(cli, ["eval", "quotes", str(ann), "--texts", str(texts), "-f", "json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    overall = data["overall"]["quotes"]
    assert overall["gold"] == 2 and overall["matched"] >= 1
    # each article is reported under its own id
    assert sorted(data["articles"]) == ["ant/X-1", "ant/X-2"]
    missing = CliRunner().invoke(cli, ["eval", "quotes", str(ann), "--texts", str(tmp_path / "none.jsonl")])
    assert missing.exit_code == 2


@pytest.mark.parametrize("corpus, news_file, at_least", [
    ("ant", "ant_jawharafm.jsonl.gz", 80),
    ("saudinewsnet", "saudinewsnet.jsonl.gz", 40),
])
def test_repo_annotations_are_well_formed(shared_dir: Path, corpus: str, news_file: str, at_least: int) -> None:
    # the repo's own gold (annotations/<corpus>): every file names an article
    # that exists and is in no other gold set, and every content is a substring
    # of that article's text
    import importlib.util

    root = Path(__file__).resolve().parents[1]
    news = shared_dir / "data" / "news" / news_file
    if not news.is_file():
        pytest.skip("../shared/data/news is not present")
    spec = importlib.util.spec_from_file_location("annotation_batch", root / "scripts" / "annotation_batch.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    from newsan.evaluate import annotated_articles

    files = sorted((root / "annotations" / corpus).glob("*.json"))
    assert len(files) >= at_least
    pairs = annotated_articles(root / "annotations" / corpus, news)
    assert len(pairs) == len(files)
    train_ids = {line.split("\t")[1] for line in (shared_dir / "eval" / "train" / "SOURCES.tsv").read_text().splitlines()[1:]}
    dev_openings = {mod._opening(p.read_text(encoding="utf-8")) for p in (shared_dir / "eval" / "dev").glob("*.txt")}
    for article, gold in pairs:
        assert gold["article_id"].startswith(corpus + "/")
        assert gold["article_id"] not in train_ids and mod._opening(article.text) not in dev_openings
        assert mod.check(gold, article.text) == [], article.id


def test_title_candidates_keep_a_title_that_begins_with_waw() -> None:
    # وزير and وزيرة begin with و: a title candidate is never cut to «زير …»
    text = "التقت وزيرة الخارجية نظيرها الفرنسي في تونس. وأضافت أن العلاقات جيدة."
    _, _, _, cands, v = _candidates_of(text)
    q = next(q for q in cands if q.cue.text.endswith("أضافت"))
    spans = [c.span.text for c in speaker_candidates(q, [q], 0, v)]
    assert any(s.startswith("وزيرة") for s in spans), spans
    assert not any(s.startswith("زير") for s in spans), spans


def test_cue_gender_reads_the_cue_shape() -> None:
    from newsan.morph import cue_gender

    assert [cue_gender(w) for w in ("قالت", "وأضافت", "تقول", "مضيفة")] == ["f"] * 4
    assert [cue_gender(w) for w in ("قال", "وأضاف", "يقول", "مضيفا")] == ["m"] * 4
    assert [cue_gender(w) for w in ("قالوا", "يقولون", "مؤكدين", "ومطالبين")] == ["p"] * 4
    assert cue_gender("مبين") == "m"


def test_research_only_annotations_never_train(tmp_path: Path) -> None:
    import gzip

    from newsan.learn.data import load_annotations

    texts = tmp_path / "news.jsonl.gz"
    with gzip.open(texts, "wt", encoding="utf-8") as f:
        f.write(json.dumps({"id": "saudinewsnet/2015-07-21/0001", "title": "", "text": "قال الوزير إن الوضع صعب."},
                           ensure_ascii=False) + "\n")
    ann = tmp_path / "ann"
    ann.mkdir()
    (ann / "saudinewsnet__2015-07-21__0001.json").write_text(
        json.dumps({"article_id": "saudinewsnet/2015-07-21/0001", "quotes": [], "entities": []}), encoding="utf-8"
    )
    with pytest.raises(ValueError, match="never train"):
        load_annotations(ann, texts, None)
    result = CliRunner().invoke(cli, ["eval", "cv", str(ann), "--extra", str(ann), "--extra-texts", str(texts)])
    assert result.exit_code == 2 and "never train" in result.output


def test_attribution_candidates_read_the_source_as_written() -> None:
    # after «بحسب ما كشفت» the source keeps its لـ (لوموند), and an outlet noun
    # before a quoted name gives the name alone as a candidate (يو بي أي)
    text = (
        "وتلقى العداء 300 ألف دولار من شركة بابا، بحسب ما كشفت لوموند. "
        'وارتفع عدد القتلى كثيرا، حسب موقع "يو بي أي" الإخباري.'
    )
    _, _, _, cands, v = _candidates_of(text)
    spans = {}
    for q in cands:
        if q.cue.text in ("بحسب", "حسب"):
            spans[q.cue.text] = [c.span.text for c in speaker_candidates(q, [q], 0, v)]
    assert "لوموند" in spans["بحسب"] and "وموند" not in spans["بحسب"], spans
    assert "يو بي أي" in spans["حسب"], spans


def test_title_candidates_end_before_a_listener() -> None:
    # مصدر تركي | لوكالة فرانس برس: the role candidate never runs into the لـ-listener
    text = "خبر\nوأكد مصدر تركي لوكالة فرانس برس وصول ست طائرات أمريكية إلى القاعدة."
    _, _, _, cands, v = _candidates_of(text)
    q = next(q for q in cands if q.cue.text.endswith("أكد"))
    spans = [c.span.text for c in speaker_candidates(q, [q], 0, v)]
    assert "مصدر تركي" in spans, spans
    assert not any("لوكالة" in s for s in spans), spans


def test_a_station_after_lam_is_the_listener_not_the_speaker() -> None:
    # «وقال لموزاييك إف إم مسؤول …»: لـ + an ORG name of the article, before the subject
    text = "خبر\nوقال لموزاييك إف إم مسؤول في الوزارة إن الامتحانات ستجري في موعدها.\n"
    rec = to_dict(Analyzer(quotes="rules")(article_from_text(text, "x.txt", id="x")))
    (q,) = rec["quotes"]
    assert q["speaker"]["text"] == "مسؤول"
    assert q["addressee"]["text"] == "موزاييك إف إم"
