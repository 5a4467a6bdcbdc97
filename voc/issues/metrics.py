"""Per-issue metrics of one batch: volume, negativity, scores, flags, repeat contacts, trend.

Everything is computed per issue with group-bys over the membership table, so the cost grows
with the number of (document, issue) pairs, not with issues × documents.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

import numpy as np
import pandas as pd

from voc import records as R
from voc.issues.membership import IssueInputs
from voc.issues.stats import key_drivers, mean_difference, nps_difference, two_proportion_tests
from voc.sentiment.flags import FlagKind

SCORES = (R.RATING, R.NPS, R.CSAT)
TREND_ALPHA = 0.05  # a change is a trend only when its two-proportion test is below this


@dataclass(frozen=True)
class IssueOptions:
    repeat_window_days: float = 30.0
    negative_band: float = 0.1  # aspect score at or below minus this is a complaint
    min_volume: int = 3  # issues with fewer documents are not listed


def _shares(frame: pd.DataFrame, column: str) -> pd.Series:
    """issue_id → JSON object of counts per value of `column` (channel, lang, flag)."""
    counts = frame.groupby(["issue_id", column], sort=True).size()
    return counts.groupby(level=0).apply(
        lambda group: json.dumps({str(k[1]): int(v) for k, v in group.items()},
                                 ensure_ascii=False))


def repeat_contacts(documents: pd.DataFrame, members: pd.DataFrame,
                    window_days: float) -> pd.DataFrame:
    """Per issue: customers who raised it more than once within the window, or through more
    than one channel (a first-contact-resolution failure), and their documents (`members`:
    issue_id and the document's position, doc ≥ 0).

    On integer codes and one sort: at a million records there are millions of memberships,
    and grouping them by two string keys cost seconds."""
    customer_of, _ = pd.factorize(documents[R.CUSTOMER_KEY])  # -1: no customer
    channel_of, _ = pd.factorize(documents[R.CHANNEL])  # -1: no channel
    times = pd.to_datetime(documents[R.CREATED_AT])
    # a missing time sorts last among a customer's contacts
    stamp_of = np.where(times.isna().to_numpy(), np.iinfo(np.int64).max,
                        times.to_numpy(dtype="datetime64[ns]").view(np.int64))
    doc = members["doc"].to_numpy()
    known = customer_of[doc] >= 0
    if not known.any():
        return pd.DataFrame(columns=["repeat_customers", "repeat_docs"])
    issues, issue_names = pd.factorize(members["issue_id"], sort=True)
    issues, doc = issues[known], doc[known]
    pair = issues.astype(np.int64) * (int(customer_of.max()) + 1) + customer_of[doc]
    order = np.lexsort((stamp_of[doc], pair))
    issues, doc, pair = issues[order], doc[order], pair[order]
    stamps = stamp_of[doc]
    # one group per (issue, customer) pair, in sorted order
    starts = np.r_[True, pair[1:] != pair[:-1]]
    group = np.cumsum(starts) - 1
    groups = int(group[-1]) + 1
    missing = stamps == np.iinfo(np.int64).max
    gap_days = np.diff(stamps, prepend=stamps[:1]) / 86_400e9
    # a later contact close to the one before; a missing time cannot prove the contacts
    # were far apart, so it counts as within the window
    close = ~starts & (missing | np.r_[False, missing[:-1]] | (gap_days <= window_days))
    any_close = np.bincount(group, close, minlength=groups) > 0
    # more than one channel: the group's lowest and highest known channel differ
    channels, first = channel_of[doc], np.flatnonzero(starts)
    lowest = np.minimum.reduceat(np.where(channels >= 0, channels, np.iinfo(np.int64).max),
                                 first)
    highest = np.maximum.reduceat(channels, first)
    repeated = any_close | ((highest >= 0) & (lowest < highest))
    issue_of_group = issues[starts][repeated]
    docs = np.bincount(group, minlength=groups)[repeated]
    frame = pd.DataFrame({
        "repeat_customers": np.bincount(issue_of_group, minlength=len(issue_names)),
        "repeat_docs": np.bincount(issue_of_group, docs, minlength=len(issue_names)).astype(
            np.int64)}, index=pd.Index(np.asarray(issue_names, dtype=object), name="issue_id"))
    return frame[frame["repeat_customers"] > 0]


def score_effects(documents: pd.DataFrame, members: pd.DataFrame) -> pd.DataFrame:
    """Per issue and score kind: mean with the issue vs without, difference, CI, p-value."""
    rows = []
    # positions, not ids: matching text ids once per issue dominated this at 100k records
    position = members["doc"].to_numpy()
    codes, names = pd.factorize(members["issue_id"], sort=True)  # issue codes, not strings
    known = position >= 0
    order = np.argsort(codes[known], kind="stable")
    positions, sorted_codes = position[known][order], codes[known][order]
    bounds = np.searchsorted(sorted_codes, np.arange(len(names) + 1))
    scores = {score: documents[score].to_numpy(dtype=np.float64) for score in SCORES}
    for code, issue_id in enumerate(names):
        if bounds[code] == bounds[code + 1]:
            continue
        inside = np.zeros(len(documents), dtype=bool)
        inside[positions[bounds[code]:bounds[code + 1]]] = True
        for score in SCORES:
            values = scores[score]
            if np.isnan(values[inside]).all():
                continue
            test = nps_difference if score == R.NPS else mean_difference
            effect = test(values[inside], values[~inside])
            rows.append({"issue_id": issue_id, "score": score, "with": effect.mean_with,
                         "without": effect.mean_without, "difference": effect.difference,
                         "ci_low": effect.ci_low, "ci_high": effect.ci_high,
                         "p_value": effect.p_value, "n": effect.n_with})
    return pd.DataFrame(rows, columns=["issue_id", "score", "with", "without", "difference",
                                       "ci_low", "ci_high", "p_value", "n"])


def driver_table(documents: pd.DataFrame, members: pd.DataFrame) -> tuple[str | None,
                                                                          pd.DataFrame]:
    """Key drivers of the score most records carry (NPS, else CSAT, else rating)."""
    counts = {score: int(documents[score].notna().sum()) for score in SCORES}
    score = max((R.NPS, R.CSAT, R.RATING), key=lambda name: (counts[name], name == R.NPS))
    if counts[score] < 30:
        return None, pd.DataFrame()
    values = documents[score].to_numpy(dtype=np.float64)
    if score == R.NPS:  # per-respondent NPS coding, so coefficients are NPS points
        values = np.where(values >= 9, 100.0, np.where(values <= 6, -100.0, 0.0)) + np.where(
            np.isnan(values), np.nan, 0.0)
    members = members[members["doc"].to_numpy() >= 0]
    issues = sorted(members["issue_id"].unique())
    presence = np.zeros((len(documents), len(issues)), dtype=bool)
    presence[members["doc"].to_numpy(),
             pd.Categorical(members["issue_id"], categories=issues).codes] = True
    return score, key_drivers(values, presence, issues).table


def issue_metrics(inputs: IssueInputs, labels: dict[str, tuple[str, str, str]],
                  previous: pd.DataFrame | None, options: IssueOptions) -> pd.DataFrame:
    """One row per issue with at least `min_volume` documents.

    labels: issue_id → (label_en, label_zh, servqual) for categories (topics bring their own).
    previous: the previous batch's issue table (volume, negative, total_docs per issue_id).
    """
    documents, members = inputs.documents, inputs.members
    total = len(documents)
    members = members[members["doc"].to_numpy() >= 0]
    # only what the metrics read, taken by position: one row per issue a record raises (at
    # a million records, several million rows)
    doc = members["doc"].to_numpy()
    joined = members.assign(**{column: documents[column].array.take(doc) for column in (
        R.CHANNEL, R.LANG, R.CUSTOMER_KEY, R.CREATED_AT)})
    joined["negative"] = joined["aspect_score"] <= -options.negative_band
    grouped = joined.groupby("issue_id", sort=True)
    table = pd.DataFrame({
        "kind": grouped["kind"].first(), "topic_label": grouped["issue_label"].first(),
        "volume": grouped.size(), "negative": grouped["negative"].sum(),
        "mean_sentiment": grouped["aspect_score"].mean(),
        "channels": _shares(joined, R.CHANNEL), "langs": _shares(joined, R.LANG),
        "channel_count": grouped[R.CHANNEL].nunique()})
    table = table[table["volume"] >= options.min_volume].copy()
    table["share"] = table["volume"] / max(total, 1)
    table["negative_rate"] = table["negative"] / table["volume"]
    table["total_docs"] = total
    flagged = inputs.flags[["doc", "flag"]].merge(members[["doc", "issue_id"]], on="doc")
    for kind in FlagKind:
        mine = flagged[flagged["flag"] == kind.value].groupby("issue_id")["doc"]
        table[f"flag_{kind.value}"] = mine.nunique().reindex(table.index).fillna(0).astype(int)
    repeats = repeat_contacts(documents, members, options.repeat_window_days)
    for column in ("repeat_customers", "repeat_docs"):
        table[column] = repeats[column].reindex(table.index).fillna(0).astype(int) if len(
            repeats) else 0
    topic_labels = _topic_labels(members)
    for issue_id in table.index:
        if issue_id in labels:
            table.loc[issue_id, ["label_en", "label_zh", "servqual"]] = labels[issue_id]
        else:  # an emerging topic: its topics' own labels, no SERVQUAL dimension
            label = str(table.loc[issue_id, "topic_label"])
            by_lang = topic_labels.get(issue_id, {})
            table.loc[issue_id, ["label_en", "label_zh", "servqual"]] = (
                by_lang.get("en", label), by_lang.get("zh", label), None)
    table = _with_trend(table, previous)
    return table.drop(columns=["topic_label"]).reset_index()


def _topic_labels(members: pd.DataFrame) -> dict[str, dict[str, str]]:
    """issue_id → {language: label} of the emerging topics behind each topic issue (a Chinese
    and an English topic linked into one issue each bring their own)."""
    if "topic_lang" not in members:
        return {}
    topics = members.dropna(subset=["topic_lang"]).drop_duplicates(["issue_id", "topic_lang"])
    labels: dict[str, dict[str, str]] = {}
    for issue_id, lang, label in zip(topics["issue_id"], topics["topic_lang"],
                                     topics["issue_label"], strict=True):
        labels.setdefault(str(issue_id), {})["zh" if lang == "zh" else "en"] = str(label)
    return labels


def _with_trend(table: pd.DataFrame, previous: pd.DataFrame | None) -> pd.DataFrame:
    """Share and negative-rate change against the previous batch, with two-proportion tests."""
    columns = ["previous_volume", "share_change", "share_p", "negative_rate_change",
               "negative_rate_p", "trend"]
    if previous is None or previous.empty:
        for column in columns:
            table[column] = np.nan
        table["trend"] = "new"
        return table
    before = previous.set_index("issue_id").reindex(table.index)
    known = before["volume"].notna().to_numpy()
    share = two_proportion_tests(before["volume"].fillna(0).to_numpy(),
                                 before["total_docs"].fillna(0).to_numpy(),
                                 table["volume"].to_numpy(), table["total_docs"].to_numpy())
    negativity = two_proportion_tests(before["negative"].fillna(0).to_numpy(),
                                      before["volume"].fillna(0).to_numpy(),
                                      table["negative"].to_numpy(), table["volume"].to_numpy())
    table["previous_volume"] = before["volume"].to_numpy()
    table["share_change"] = np.where(known, share["difference"].to_numpy(), np.nan)
    table["share_p"] = np.where(known, share["p_value"].to_numpy(), np.nan)
    table["negative_rate_change"] = np.where(known, negativity["difference"].to_numpy(),
                                             np.nan)
    table["negative_rate_p"] = np.where(known, negativity["p_value"].to_numpy(), np.nan)
    significant = table["share_p"] < TREND_ALPHA
    table["trend"] = np.select(
        [~known, significant & (table["share_change"] > 0),
         significant & (table["share_change"] < 0)],
        ["new", "rising", "falling"], "steady")
    return table
