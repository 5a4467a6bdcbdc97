from __future__ import annotations

import pandas as pd

from voc.ingest.chunk import DedupeOptions, process_chunk
from voc.ingest.clean import SourceContext
from voc.ingest.mapping import ColumnMapping, map_chunk
from voc.ingest.tabular import RawChunk
from voc.records import ROW

CTX = SourceContext(batch="b", source="s", source_file="f.csv", channel="chat", timezone="UTC",
                    date_format=None, redact=True, customer_salt="x", min_text_chars=2)


def test_chunk_process_cleans_and_computes_dedupe_features() -> None:
    long_text = "The parcel locker code never arrived and the courier would not answer " * 2
    frame = pd.DataFrame({"text": [long_text, "ok", ""], "who": ["a", "b", "c"]}, dtype=object)
    frame[ROW] = [2, 3, 4]
    mapped = map_chunk(RawChunk(frame), ColumnMapping(text=["text"],
                                                      single={"customer": "who"}))
    output = process_chunk(mapped, [], CTX, DedupeOptions(40, 40, 0))
    assert len(output.records) == 2 and output.rejects["reason"].tolist() == ["empty_text"]
    assert output.features.ids.tolist() == [i.encode() for i in output.records["feedback_id"]]
    assert output.features.near_positions.tolist() == [0]  # only the long text gets MinHash
    assert output.features.signatures.shape == (1, 32)
    assert (output.features.exact_keys != 0).tolist() == [True, True]  # long, or a customer
