"""The message reader's model, trained once per test process.

The reader trains its classifier (about 2 s, more on a busy machine) the first time it reads, and
keeps it in its data folder. Every test has a fresh data folder, so every container that read a
message and every `aicos serve` that collected trained it again, which was minutes of `make test`.
The weights come out the same each time (the same data, a deterministic solver), so the suite trains
once and reuses them: in this process through `trained_once`, and in the servers it starts through
a copy of the kept model file in the data folder that `live_server` makes for them. The training
and the keeping themselves are still tested (tests/unit/test_reader_speed.py, test_reader_quality.py).
"""

from __future__ import annotations

import functools
import shutil
import tempfile
from pathlib import Path

from src.adapters.outbound.reader import classifier
from src.adapters.outbound.reader.classifier import IntentModel, LinearWeights

_train = classifier.trained_weights


@functools.cache
def trained_once() -> LinearWeights:
    return _train()


@functools.cache
def _kept_model_file() -> Path:
    folder = Path(tempfile.mkdtemp(prefix="aicos-test-reader-model-"))
    IntentModel(folder).ready()  # written there as a server would keep it
    [kept] = folder.glob("reader-model-*.json")
    return kept


def copy_into(data_dir: Path) -> None:
    """Puts the kept model where a server started on `data_dir` loads it instead of training."""
    shutil.copy(_kept_model_file(), data_dir)
