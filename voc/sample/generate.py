"""Generate the sample: plan each batch, compose and shape every record, keep texts distinct,
plant duplicates, then write the export files, ground_truth.json and voc.toml.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import cache
from pathlib import Path
from random import Random

from voc.records import RejectReason
from voc.sample import fakes, shapes
from voc.sample.batchplan import BATCHES, SOURCES, RecordPlan, plan_batch
from voc.sample.bundle import SAMPLE_SEED, SOURCE_FILES, Sample, SampleRecord
from voc.sample.compose import Composed, compose
from voc.sample.distinct import DistinctGuard
from voc.sample.messiness import DUPLICATORS
from voc.sample.serialise import WRITERS
from voc.sample.shapes import Built
from voc.sample.truth import ground_truth, render_config, render_ground_truth

CONFIG_FILE = "voc.toml"
TRUTH_FILE = "ground_truth.json"
EXPORTS = "exports"
N_CUSTOMERS = 8000
MAX_ATTEMPTS = 80
WIDEN_EVERY = 10  # after this many clashing tries, compose one sentence more

Builder = Callable[[Random, RecordPlan, Composed, str], Built]


@cache
def _converters() -> tuple[Callable[[str], str], Callable[[str], str]]:
    import opencc  # C++ conversion tables; loaded once

    return opencc.OpenCC("s2hk").convert, opencc.OpenCC("s2tw").convert


def _to_traditional(text: str, hong_kong: bool) -> str:
    hk, tw = _converters()
    return hk(text) if hong_kong else tw(text)


def _customers(seed: int) -> list[str]:
    rng = Random(f"{seed}:customers")
    return [f"C{n:06d}" for n in rng.sample(range(100000, 1000000), N_CUSTOMERS)]


def _record_id(rng: Random, plan: RecordPlan, seq: int) -> str:
    w = plan.when
    return {
        "calls": lambda: f"CALL-{w:%Y%m%d}-{seq:05d}",
        "chats": lambda: f"S{w:%y%m}{seq:06d}",
        "complaint_mail": lambda: shapes.email_message_id(rng, plan),
        "app_reviews": lambda: f"AR{w:%y%m}{seq:05d}",
        "nps_survey": lambda: f"{w:%y%m}{seq:05d}",
        "csat_survey": lambda: "R_" + fakes.token(rng, 15),
        "social": lambda: shapes.social_post_id(rng, plan, w),
        "order_reviews": lambda: f"RV{w:%Y%m%d}{seq:05d}",
    }[plan.source]()


def _builder(source: str) -> Builder:
    if source == "social":
        return lambda rng, plan, c, rid: shapes.build_social(rng, plan, c, rid, _to_traditional)
    return {
        "calls": shapes.build_call,
        "chats": shapes.build_chat,
        "complaint_mail": shapes.build_email,
        "app_reviews": shapes.build_app_review,
        "nps_survey": shapes.build_nps,
        "csat_survey": shapes.build_csat,
        "order_reviews": shapes.build_order_review,
    }[source]


def _realise(rng: Random, plan: RecordPlan, seq: int, guard: DistinctGuard) -> SampleRecord:
    """Compose until the text is distinct from every earlier one (or it is a planted empty)."""
    record_id = _record_id(rng, plan, seq)
    build = _builder(plan.source)
    for attempt in range(MAX_ATTEMPTS):
        composed = compose(rng, plan, extra=attempt // WIDEN_EVERY)
        built = build(rng, plan, composed, record_id)
        if plan.reject == RejectReason.EMPTY_TEXT or guard.admit(built.guard_text, plan.customer):
            break
    else:
        raise RuntimeError(f"no distinct text for {plan.batch}/{plan.source} #{seq}")
    parsed_id = None if plan.reject == RejectReason.MALFORMED_ROW and plan.source == "social" \
        else record_id
    return SampleRecord(plan, parsed_id, built, plan.when, pii_value=composed.pii_value)


def build_sample(seed: int = SAMPLE_SEED) -> Sample:
    """The whole sample in memory: every record of every file, with its truth.

    >>> sample = build_sample()
    >>> len(sample.records) > 3000
    True
    """
    customers = _customers(seed)
    guard = DistinctGuard()
    sample = Sample(seed)
    for batch in BATCHES:
        plans = plan_batch(batch, seed, customers)
        for source in SOURCES:
            rng = Random(f"{seed}:{batch}:{source}")
            records = [_realise(rng, plan, seq, guard)
                       for seq, plan in enumerate(plans[source], start=1)]
            duplicate = DUPLICATORS.get(source)
            sample.records += duplicate(rng, records) if duplicate else records
    return sample


def write_sample(sample: Sample, out_dir: Path) -> Path:
    """Write a built sample under out_dir; return the path of its voc.toml."""
    for batch in BATCHES:
        folder = out_dir / EXPORTS / batch
        folder.mkdir(parents=True, exist_ok=True)
        for source, spec in SOURCE_FILES.items():
            WRITERS[source](folder / spec.file, sample.of(batch, source))
    truth = ground_truth(sample)
    (out_dir / TRUTH_FILE).write_text(render_ground_truth(truth), encoding="utf-8")
    config = out_dir / CONFIG_FILE
    config.write_text(render_config(sample.seed), encoding="utf-8")
    return config


def generate_sample(out_dir: Path, seed: int = SAMPLE_SEED) -> Path:
    """Write the bilingual multichannel sample into out_dir; return the path of its voc.toml.

    Same seed, same bytes: every file is a pure function of the seed.

    >>> config = generate_sample(tmp_path)  # doctest: +SKIP
    >>> config.name
    'voc.toml'
    """
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    return write_sample(build_sample(seed), out_dir)
