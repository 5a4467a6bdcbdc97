"""voc.sample: the bundled sample is deterministic, matches its ground truth, and plants exactly
the issues, trends, duplicates, PII and broken rows it claims to."""

from __future__ import annotations

import csv
import json
import mailbox
import re
import time
import zipfile
from collections import Counter, defaultdict
from email.header import decode_header, make_header
from pathlib import Path
from typing import Any

import opencc
import pandas as pd
import pytest

from voc.config import load_config
from voc.records import Channel, parse_channel
from voc.sample import BATCHES, SOURCE_FILES, Sample, build_sample, generate_sample, write_sample
from voc.sample.batchplan import plan_batch
from voc.sample.fakes import id_check_char, passes_luhn

ISSUE_IDS = ("delivery_delay", "refund_delay", "hotline_unreachable", "app_login",
             "double_charge", "damaged_item", "parcel_locker_code")


@pytest.fixture(scope="module")
def sample() -> Sample:
    return build_sample()


@pytest.fixture(scope="module")
def sample_dir(sample: Sample, tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("sample")
    write_sample(sample, out)
    return out


@pytest.fixture(scope="module")
def truth(sample_dir: Path) -> dict[str, Any]:
    return json.loads((sample_dir / "ground_truth.json").read_text(encoding="utf-8"))


def _export(root: Path, batch: str, source: str) -> Path:
    return root / "exports" / batch / SOURCE_FILES[source].file


def _truth_records(truth: dict[str, Any], batch: str, source: str) -> list[dict[str, Any]]:
    return [r for r in truth["records"] if r["batch"] == batch and r["source"] == source]


# --- reading the files back, independently of the generator -----------------------------------
def _read_jsonl(path: Path) -> list[dict[str, Any] | None]:
    rows: list[dict[str, Any] | None] = []
    for line in path.read_text(encoding="utf-8").splitlines():
        try:
            rows.append(json.loads(line))
        except json.JSONDecodeError:
            rows.append(None)
    return rows


def _read_app_reviews(path: Path) -> list[list[str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.reader(handle))[1:]


def _read_nps_lines(path: Path) -> list[bytes]:
    return path.read_bytes().split(b"\r\n")[1:-1]


def _mbox(path: Path) -> list[mailbox.mboxMessage]:
    return list(mailbox.mbox(path, create=False))


def _file_ids_and_texts(root: Path, batch: str, source: str) -> tuple[list[Any], list[str]]:
    """Record ids in file order, and the customer's words where the file states them plainly."""
    path = _export(root, batch, source)
    if source == "calls":
        rows = _read_jsonl(path)
        texts = ["\n".join(t["text"] for t in r["turns"] if t["speaker"] in ("客户", "customer"))
                 for r in rows if r]
        return [r["call_id"] for r in rows if r], texts
    if source == "chats":
        rows = json.loads(path.read_text(encoding="utf-8"))
        texts = ["\n".join(m["content"] for m in r["messages"] if m["role"] == "user")
                 for r in rows]
        return [r["session_id"] for r in rows], texts
    if source == "complaint_mail":
        return [m["Message-ID"].strip("<>") for m in _mbox(path)], []
    if source == "app_reviews":
        rows = _read_app_reviews(path)
        texts = ["\n\n".join(p for p in (r[4].strip(), r[5].strip()) if p) for r in rows]
        return [r[0] for r in rows], texts
    if source == "nps_survey":
        rows = [next(csv.reader([line.decode("gbk", errors="replace")]))
                for line in _read_nps_lines(path)]
        return [r[0] for r in rows], [r[4] for r in rows]
    if source == "csat_survey":
        frame = pd.read_excel(path, engine="openpyxl", sheet_name="Responses",
                              dtype={"Response ID": str})
        return list(frame["Response ID"]), list(frame["Comment"])
    if source == "social":
        rows = _read_jsonl(path)
        return [r["post_id"] if r else None for r in rows], [r["content"] for r in rows if r]
    frame = pd.read_parquet(path)
    return list(frame["review_id"]), list(frame["review"])


# --- similarity, as the guarantee is stated ---------------------------------------------------
_T2S = opencc.OpenCC("t2s").convert


def _spec_form(text: str) -> str:
    return " ".join(_T2S(text).lower().split())


def _alnum_form(text: str) -> str:
    return re.sub(r"[\W_]+", "", _T2S(text).lower())


def _grams(form: str) -> set[str]:
    return {form[i : i + 5] for i in range(max(len(form) - 4, 1))}


def _near_pairs(forms: list[str], min_chars: int, threshold: float) -> list[tuple[int, int]]:
    """Pairs (i, j) with 5-gram Jaccard >= threshold, found through an inverted index."""
    grams = [_grams(f) for f in forms]
    index: dict[str, list[int]] = defaultdict(list)
    pairs = []
    for i, mine in enumerate(grams):
        overlap: Counter[int] = Counter()
        for gram in mine:
            overlap.update(index.get(gram, ()))
        for j, shared in overlap.items():
            if max(len(forms[i]), len(forms[j])) < min_chars:
                continue
            if shared / (len(mine) + len(grams[j]) - shared) >= threshold:
                pairs.append((j, i))
        for gram in mine:
            index[gram].append(i)
    return pairs


def _jaccard(a: str, b: str) -> float:
    x, y = _grams(a), _grams(b)
    return len(x & y) / len(x | y)


# --- tests ---------------------------------------------------------------------------------------
def test_generate_is_deterministic_and_fast(sample_dir: Path, tmp_path: Path) -> None:
    start = time.perf_counter()
    config = generate_sample(tmp_path)
    elapsed = time.perf_counter() - start
    assert config == tmp_path / "voc.toml"
    assert elapsed < 5.0, f"generation took {elapsed:.1f} s"
    first = sorted(p.relative_to(sample_dir) for p in sample_dir.rglob("*") if p.is_file())
    second = sorted(p.relative_to(tmp_path) for p in tmp_path.rglob("*") if p.is_file())
    assert first == second
    assert len(first) == 2 + 8 * len(BATCHES)
    for rel in first:
        assert (sample_dir / rel).read_bytes() == (tmp_path / rel).read_bytes(), rel


def test_generate_seed_changes_the_plan() -> None:
    customers = [f"C{n:06d}" for n in range(100000, 108000)]

    def plan(seed: int) -> list[tuple[str, str, str]]:
        return [(p.kind, p.lang, p.when.isoformat())
                for p in plan_batch("2026-09", seed, customers)["app_reviews"]]

    assert plan(2026) == plan(2026)
    assert plan(7) != plan(2026)


def test_generate_config_loads(sample_dir: Path) -> None:
    settings = load_config(sample_dir / "voc.toml")
    assert [s.name for s in settings.sources] == [f.name for f in SOURCE_FILES.values()]
    assert settings.ingest.customer_salt == "voc-sample-salt-2026"
    for source in settings.sources:
        for batch in BATCHES:
            assert (sample_dir / source.path.replace("{batch}", batch)).is_file()
    social = next(s for s in settings.sources if s.name == "social")
    assert social.channel is None and social.channel_column == "platform"


def test_generate_counts_channels_and_languages(sample_dir: Path, truth: dict[str, Any]) -> None:
    records = truth["records"]
    assert len(records) >= 3000
    settings = load_config(sample_dir / "voc.toml")
    channels = {Channel(s.channel) for s in settings.sources if s.channel}
    for batch in BATCHES:
        platforms = {r["platform"] for r in _read_jsonl(_export(sample_dir, batch, "social")) if r}
        assert platforms == {"twitter", "weibo"}
        channels |= {parse_channel(p) for p in platforms}
    assert len(channels) >= 6
    langs = Counter(r["lang"] for r in records)
    assert set(langs) <= {"zh", "en", "mixed"} and langs["mixed"] > 0
    zh_share = (langs["zh"] + langs["mixed"]) / len(records)
    assert 0.5 <= zh_share <= 0.7


def test_generate_ground_truth_matches_files(sample_dir: Path, truth: dict[str, Any]) -> None:
    seen: Counter[str] = Counter()
    for batch in BATCHES:
        for source, spec in SOURCE_FILES.items():
            ids, _ = _file_ids_and_texts(sample_dir, batch, source)
            expected = _truth_records(truth, batch, source)
            assert ids == [r["record_id"] for r in expected], (batch, source)
            seen.update(i for i in ids if i is not None)
            stats = truth["files"][batch][spec.file]
            assert stats["input_rows"] == len(ids)
            assert stats["rejected"] == sum(r["reject_reason"] is not None for r in expected)
            assert stats["duplicates"] == sum(r["duplicate_of"] is not None for r in expected)
    # ids are unique over the whole sample, except review rows exported twice
    exported_twice = {r["record_id"] for r in truth["records"]
                      if r["duplicate_of"] and r["duplicate_of"] == r["record_id"]}
    assert {i for i, n in seen.items() if n > 1} == exported_twice


def test_generate_sample_texts_are_the_files_texts(sample_dir: Path, sample: Sample) -> None:
    for batch in BATCHES:
        for source in SOURCE_FILES:
            _, texts = _file_ids_and_texts(sample_dir, batch, source)
            if not texts:
                continue
            records = [r for r in sample.of(batch, source)
                       if not (source == "social" and r.record_id is None)]
            if source == "nps_survey":  # the undecodable line cannot be compared
                records, texts = zip(*[(r, t) for r, t in zip(records, texts, strict=True)
                                       if r.reject_reason is None or "\ufffd" not in t],
                                     strict=True)
            assert [r.text for r in records] == list(texts), (batch, source)


def test_generate_issue_counts_and_trends(truth: dict[str, Any]) -> None:
    issues = truth["issues"]
    assert tuple(issues) == ISSUE_IDS
    counted = [r for r in truth["records"] if r["reject_reason"] is None
               and r["duplicate_of"] is None]
    totals = Counter(r["batch"] for r in counted)
    for issue in ISSUE_IDS:
        for batch in BATCHES:
            n = sum(r["issue"] == issue and r["batch"] == batch for r in counted)
            assert issues[issue]["count"][batch] == n
    sep, oct_ = BATCHES

    def share(issue: str, batch: str) -> float:
        return issues[issue]["count"][batch] / totals[batch]

    assert share("delivery_delay", sep) == pytest.approx(0.12, abs=0.01)
    assert share("delivery_delay", oct_) == pytest.approx(0.04, abs=0.01)
    assert share("app_login", oct_) > 2 * share("app_login", sep)
    assert issues["parcel_locker_code"]["count"][sep] == 0
    assert share("parcel_locker_code", oct_) == pytest.approx(0.05, abs=0.01)
    assert abs(share("refund_delay", sep) - share("refund_delay", oct_)) < 0.01
    assert [i for i, spec in issues.items() if spec["emerging"]] == ["parcel_locker_code"]
    assert sorted(spec["severity_rank"] for spec in issues.values()) == list(range(1, 8))


def test_generate_scores_follow_content(sample_dir: Path, truth: dict[str, Any]) -> None:
    batch = "2026-10"
    issue_of = {r["record_id"]: r["issue"] for r in _truth_records(truth, batch, "app_reviews")}
    rows = [r for r in _read_app_reviews(_export(sample_dir, batch, "app_reviews"))
            if r[3] in "12345" and len(r) == 8]
    stars = {True: [], False: []}
    for row in rows:
        stars[issue_of[row[0]] is not None].append(int(row[3]))
    assert sum(stars[True]) / len(stars[True]) < 2.2
    assert sum(stars[False]) / len(stars[False]) > 3.8
    login = [r for r in rows if issue_of[r[0]] == "app_login"]
    assert sum(r[6] == "5.2.0" for r in login) / len(login) > 0.7
    nps = {r["record_id"]: r["issue"] for r in _truth_records(truth, batch, "nps_survey")}
    lines = [next(csv.reader([line.decode("gbk")])) for line in
             _read_nps_lines(_export(sample_dir, batch, "nps_survey")) if b"\xff" not in line]
    issue_scores = [int(r[3]) for r in lines if nps[r[0]] and r[3] != "11"]
    assert sum(s <= 6 for s in issue_scores) / len(issue_scores) > 0.8


def test_generate_nps_is_gbk_with_one_undecodable_line(sample_dir: Path,
                                                        truth: dict[str, Any]) -> None:
    for batch in BATCHES:
        path = _export(sample_dir, batch, "nps_survey")
        data = path.read_bytes()
        with pytest.raises(UnicodeDecodeError):
            data.decode("utf-8")
        header = data.split(b"\r\n", 1)[0].decode("gbk")
        assert header == "回复编号,提交时间,会员号,推荐意愿,意见,门店"
        bad = []
        for line in _read_nps_lines(path):
            try:
                line.decode("gbk")
            except UnicodeDecodeError:
                with pytest.raises(UnicodeDecodeError):
                    line.decode("gb18030")
                bad.append(line.split(b",", 1)[0].decode("ascii"))
        expected = [r["record_id"] for r in _truth_records(truth, batch, "nps_survey")
                    if r["reject_reason"] == "undecodable_bytes"]
        assert bad == expected and len(bad) == 1
        scores = [r["record_id"] for r in _truth_records(truth, batch, "nps_survey")
                  if r["reject_reason"] == "bad_score"]
        assert len(scores) == 1
        assert re.search(rb"^" + scores[0].encode() + rb",[^,]*,[^,]*,11,", data, re.M)


def test_generate_app_reviews_bad_rows(sample_dir: Path, truth: dict[str, Any]) -> None:
    for batch in BATCHES:
        rows = _read_app_reviews(_export(sample_dir, batch, "app_reviews"))
        reasons = {r["record_id"]: r["reject_reason"]
                   for r in _truth_records(truth, batch, "app_reviews") if r["reject_reason"]}
        found = {}
        for row in rows:
            if len(row) != 8:
                found[row[0]] = "malformed_row"
            elif row[1] == "not a date":
                found[row[0]] = "bad_date"
            elif row[3] not in "12345":
                found[row[0]] = "bad_score"
            elif not (row[4] + row[5]).strip():
                found[row[0]] = "empty_text"
        assert found == reasons
        assert sorted(reasons.values()) == ["bad_date", "bad_score", "empty_text", "malformed_row"]
        assert any("\n" in row[5] for row in rows)  # quoted line breaks inside bodies
        twice = [rid for rid, n in Counter(r[0] for r in rows).items() if n == 2]
        dups = [r["duplicate_of"] for r in _truth_records(truth, batch, "app_reviews")
                if r["duplicate_of"]]
        assert sorted(twice) == sorted(dups) and 2 <= len(dups) <= 3
        by_id = defaultdict(list)
        for row in rows:
            by_id[row[0]].append(row)
        assert all(by_id[rid][0] == by_id[rid][1] for rid in twice)


def test_generate_social_and_chat_bad_rows(sample_dir: Path, truth: dict[str, Any]) -> None:
    for batch in BATCHES:
        posts = _read_jsonl(_export(sample_dir, batch, "social"))
        assert posts.count(None) == 1
        bad = [r for r in _truth_records(truth, batch, "social") if r["reject_reason"]]
        assert bad == [{**bad[0], "record_id": None, "reject_reason": "malformed_row"}]
        chats = json.loads(_export(sample_dir, batch, "chats").read_text(encoding="utf-8"))
        empty = [c["session_id"] for c in chats
                 if not any(m["role"] == "user" for m in c["messages"])]
        expected = [r["record_id"] for r in _truth_records(truth, batch, "chats")
                    if r["reject_reason"] == "empty_text"]
        assert empty == expected and len(empty) == 1
        weibo = [p for p in posts if p and p["platform"] == "weibo"]
        assert all(re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+08:00", p["posted_at"])
                   for p in weibo)
        tweets = [p for p in posts if p and p["platform"] == "twitter"]
        assert all(re.fullmatch(r"[A-Z][a-z]{2} [A-Z][a-z]{2} \d\d \d\d:\d\d:\d\d \+0000 2026",
                                p["posted_at"]) for p in tweets)
        assert any(_T2S(p["content"]) != p["content"] for p in weibo)  # HK / TW users


def test_generate_spam_and_resent_mail_are_near_duplicates(sample_dir: Path,
                                                           truth: dict[str, Any]) -> None:
    for batch in BATCHES:
        posts = {p["post_id"]: p for p in _read_jsonl(_export(sample_dir, batch, "social")) if p}
        copies = [r for r in _truth_records(truth, batch, "social") if r["duplicate_of"]]
        assert 4 <= len(copies) <= 7 and len({r["duplicate_of"] for r in copies}) == 1
        original = posts[copies[0]["duplicate_of"]]
        assert len(original["content"]) > 150
        authors = {posts[r["record_id"]]["author"] for r in copies} | {original["author"]}
        assert len(authors) == len(copies) + 1
        similarity = [_jaccard(_alnum_form(original["content"]),
                               _alnum_form(posts[r["record_id"]]["content"])) for r in copies]
        assert min(similarity) >= 0.8
        assert any(posts[r["record_id"]]["content"] != original["content"] for r in copies)
        messages = {m["Message-ID"].strip("<>"): m
                    for m in _mbox(_export(sample_dir, batch, "complaint_mail"))}
        resent = [r for r in _truth_records(truth, batch, "complaint_mail") if r["duplicate_of"]]
        assert 3 <= len(resent) <= 5
        for r in resent:
            new, old = messages[r["record_id"]], messages[r["duplicate_of"]]
            assert new.get_payload(decode=True) == old.get_payload(decode=True)
            assert new["Date"] != old["Date"]


def test_generate_only_planted_duplicates_are_near_duplicates(sample: Sample) -> None:
    texts = [r.text for r in sample.records if r.duplicate_of is None and r.text]
    assert len(texts) > 3000
    spec = [_spec_form(t) for t in texts]
    long_enough = [f for f in spec if len(f) >= 20]
    assert len(set(long_enough)) == len(long_enough), "identical texts of 20+ characters"
    assert _near_pairs(spec, min_chars=40, threshold=0.5) == []
    # the form voc's dedupe compares (letters and digits only) is held to the same bar
    assert _near_pairs([_alnum_form(t) for t in texts], min_chars=40, threshold=0.5) == []


def test_generate_repeat_contacts(sample_dir: Path, truth: dict[str, Any]) -> None:
    for batch in BATCHES:
        issue_of = {(r["source"], r["record_id"]): r["issue"] for r in truth["records"]
                    if r["batch"] == batch and r["reject_reason"] is None
                    and r["duplicate_of"] is None}
        contacts: dict[str, list[str]] = defaultdict(list)
        calls = _read_jsonl(_export(sample_dir, batch, "calls"))
        for c in calls:
            if issue_of[("calls", c["call_id"])] == "hotline_unreachable":
                contacts[c["customer_id"]].append("call")
        chats = json.loads(_export(sample_dir, batch, "chats").read_text(encoding="utf-8"))
        for c in chats:
            if issue_of.get(("chats", c["session_id"])) == "hotline_unreachable":
                contacts[c["user_id"]].append("chat")
        for row in _read_app_reviews(_export(sample_dir, batch, "app_reviews")):
            if issue_of.get(("app_reviews", row[0])) == "hotline_unreachable":
                contacts[row[2]].append("app")
        repeated = sorted(c for c, seen in contacts.items() if len(seen) >= 2)
        assert repeated == truth["repeat_contacts"][batch]
        assert 20 <= len(repeated) <= 30
        for customer in repeated:
            assert {"call", "chat"} <= set(contacts[customer]) and len(contacts[customer]) <= 3



def test_generate_repeat_contacts_say_they_are_repeats(sample: Sample,
                                                       truth: dict[str, Any]) -> None:
    marker = re.compile(r"第[二三]次|[两三]次|又来|又是我|前几天|上周|之前|已经反映"
                        r"|second|third|twice|three times|last week|already|again"
                        r"|a few days ago|same complaint"
                        r"|every time", re.IGNORECASE)
    for batch in BATCHES:
        repeated = set(truth["repeat_contacts"][batch])
        contacts: dict[str, list[Any]] = defaultdict(list)
        for r in sample.records:
            if r.batch == batch and r.counted and r.issue == "hotline_unreachable" \
                    and r.plan.customer in repeated:
                contacts[r.plan.customer].append(r)
        assert set(contacts) == repeated
        for records in contacts.values():
            _first, *later = sorted(records, key=lambda r: r.when)
            assert later and all(marker.search(r.text) for r in later)


def test_generate_pii_is_planted_and_counted(sample: Sample, truth: dict[str, Any]) -> None:
    kinds = {"mobile": "phone", "landline": "phone", "email": "email",
             "id_number": "id_number", "bank_card": "bank_card"}
    for batch in BATCHES:
        records = [r for r in sample.records if r.batch == batch]
        planted = [r for r in records if r.plan.pii]
        counts = Counter(kinds[r.plan.pii] for r in planted)
        assert dict(counts) == truth["pii"][batch]
        assert 0.02 <= len(planted) / len(records) <= 0.04
        for r in planted:
            assert r.pii_value and r.pii_value in r.text
            if r.plan.pii == "id_number":
                assert id_check_char(r.pii_value[:17]) == r.pii_value[17]
            if r.plan.pii == "bank_card":
                assert passes_luhn(r.pii_value)
        clean = [r.text for r in records if not r.plan.pii]
        assert not any("@" in t and re.search(r"\w@\w+\.\w", t) for t in clean)
        assert not any(re.search(r"(?<!\d)1[3-9]\d{9}(?!\d)", t) for t in clean)
        order_re = re.compile(r"(?<!\d)20\d{14}(?!\d)")
        orders = [m for r in records for m in order_re.findall(r.text)]
        assert orders and not any(passes_luhn(o) for o in orders)


def test_generate_order_reviews_parquet(sample_dir: Path) -> None:
    frame = pd.read_parquet(_export(sample_dir, "2026-09", "order_reviews"))
    assert list(frame.columns) == ["review_id", "order_id", "reviewed_at", "buyer_id", "rating",
                                   "review"]
    assert pd.api.types.is_datetime64_any_dtype(frame["reviewed_at"])
    assert frame["order_id"].str.fullmatch(r"20\d{14}").all()
    assert frame["rating"].between(1, 5).all()


def test_generate_csat_xlsx_is_reproducible(sample_dir: Path) -> None:
    path = _export(sample_dir, "2026-10", "csat_survey")
    with zipfile.ZipFile(path) as archive:
        assert {info.date_time for info in archive.infolist()} == {(2026, 11, 1, 9, 0, 0)}
        core = archive.read("docProps/core.xml").decode()
    assert core.count("2026-11-01T09:00:00Z") == 2
    frame = pd.read_excel(path, engine="openpyxl", sheet_name="Responses")
    assert list(frame.columns) == ["Response ID", "Submitted", "Customer", "CSAT", "Comment",
                                   "Region"]
    assert pd.api.types.is_datetime64_any_dtype(frame["Submitted"])
    assert frame["Submitted"].dt.month.eq(10).all() and frame["CSAT"].between(1, 5).all()


def test_generate_mbox_shapes(sample_dir: Path) -> None:
    messages = _mbox(_export(sample_dir, "2026-09", "complaint_mail"))
    html_only = [m for m in messages if m.get_content_type() == "text/html"]
    gbk = [m for m in messages if m.get_content_charset() == "gbk"]
    assert html_only and gbk
    assert all(m["Subject"].startswith("=?gbk?") or m["Subject"].isascii() for m in gbk)
    subjects = [str(make_header(decode_header(m["Subject"]))) for m in gbk]
    assert all(re.search(r"[\u4e00-\u9fff]", s) for s in subjects)
    bodies = [m.get_payload(decode=True).decode(m.get_content_charset()) for m in messages]
    assert any(re.search(r"^On .+ wrote:$", b, re.M) for b in bodies)
    assert any(re.search(r"^在 2026年.+写道：$", b, re.M) for b in bodies)
    assert any("------------------ 原始邮件 ------------------" in b for b in bodies)
    assert any("发自我的iPhone" in b for b in bodies)
    assert any(re.search(r"^Best regards,\n\w+ \w+$", b, re.M) for b in bodies)
    assert all(m.get_from().startswith(m["From"].split("<")[-1].rstrip(">")) for m in messages)
