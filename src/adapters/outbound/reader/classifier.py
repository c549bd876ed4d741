"""How likely a sentence asks someone to do something or commits its writer to something.

TF-IDF over words and word pairs into a logistic regression (character n-grams and a linear SVM scored
no better in cross-validation on email-intent and took 4 to 8 times longer to train), trained with
scikit-learn from the data shipped beside this file: the email-intent sentences (Apache-2.0) and the
Slack-like tune set. Nothing is downloaded.

Reading does not go through scikit-learn: a fitted TF-IDF + logistic regression is a weight per
word or word pair, so the trained model is kept as those weights (`LinearWeights`) and a sentence is
scored with a dictionary lookup per token. scikit-learn's `predict_proba` costs about a millisecond a
call in input checks, and importing it takes seconds; the scores are the same (a test compares them).
The weights are written to the data folder (`reader-model-<fingerprint>.json`), so a restart loads
them in a few tens of milliseconds instead of training again (about 2 s) and never imports
scikit-learn; the fingerprint changes with the training data, the model's settings and
scikit-learn's version, and a stale file is simply not used.
"""

from __future__ import annotations

import csv
import functools
import hashlib
import json
import logging
import math
import os
import re
import tempfile
import threading
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from importlib.metadata import version
from pathlib import Path
from typing import TYPE_CHECKING, Any

from src.domain.items import ConversationKind

if TYPE_CHECKING:
    from sklearn.pipeline import Pipeline

logger = logging.getLogger(__name__)

TRAINING = Path(__file__).parent / "training"
EMAIL_INTENT = TRAINING / "email-intent" / "train.tsv"
TUNE_SET = TRAINING / "slack-tune.txt"
NGRAMS = (1, 2)
C = 4.0
# scikit-learn's default token pattern and lower-casing: the same tokens the vectorizer was fitted on.
_TOKEN = re.compile(r"(?u)\b\w\w+\b")


def email_intent() -> tuple[list[str], list[int]]:
    """The email-intent sentences and their labels (1: asks or commits)."""
    texts, labels = [], []
    with EMAIL_INTENT.open(encoding="utf-8", newline="") as rows:
        for label, sentence in csv.reader(rows, delimiter="\t", quoting=csv.QUOTE_NONE):
            texts.append(sentence)
            labels.append(1 if label == "Yes" else 0)
    return texts, labels


def tune_set() -> tuple[list[str], list[int]]:
    """The tune set's messages: an item is an ask or a promise; a message without one counts as neither
    only in a DM, since in a group or channel it may be an ask between others (still an ask)."""
    from src.adapters.outbound.reader.labelled import load

    texts, labels = [], []
    for example in load(TUNE_SET):
        if example.expected.kind is not None:
            texts.append(example.message.text)
            labels.append(1)
        elif example.message.conversation_kind is ConversationKind.DM and not example.message.is_bot:
            texts.append(example.message.text)
            labels.append(0)
    return texts, labels


def new_model() -> Pipeline:
    # Imported here: scikit-learn takes seconds to import, and only training needs it.
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import make_pipeline

    return make_pipeline(
        TfidfVectorizer(ngram_range=NGRAMS, sublinear_tf=True),
        LogisticRegression(C=C, solver="liblinear", class_weight="balanced"),
    )


def train(texts: Sequence[str], labels: Sequence[int]) -> Pipeline:
    return new_model().fit(list(texts), list(labels))


@dataclass(frozen=True)
class LinearWeights:
    """A fitted TF-IDF (sublinear tf, l2 norm) + logistic regression, as one (idf, coefficient) pair
    per known term and the intercept."""

    terms: dict[str, tuple[float, float]]
    intercept: float

    @classmethod
    def of(cls, pipeline: Pipeline) -> LinearWeights:
        vectorizer, regression = pipeline.steps[0][1], pipeline.steps[-1][1]
        idf, coefficients = vectorizer.idf_, regression.coef_[0]
        terms = {term: (float(idf[column]), float(coefficients[column]))
                 for term, column in vectorizer.vocabulary_.items()}
        return cls(terms, float(regression.intercept_[0]))

    def probability(self, text: str) -> float:
        tokens = _TOKEN.findall(text.lower())
        counts = Counter(tokens)
        if len(tokens) > 1:
            counts.update(" ".join(pair) for pair in zip(tokens, tokens[1:]))
        weighted = squares = 0.0
        for term, count in counts.items():
            known = self.terms.get(term)
            if known is not None:
                value = (1.0 + math.log(count)) * known[0]
                weighted += value * known[1]
                squares += value * value
        decision = self.intercept + (weighted / math.sqrt(squares) if squares else 0.0)
        return 1.0 / (1.0 + math.exp(-decision)) if decision > -700 else 0.0

    def to_json(self, fingerprint: str) -> str:
        return json.dumps({"fingerprint": fingerprint, "intercept": self.intercept, "terms": self.terms})

    @classmethod
    def from_json(cls, text: str, fingerprint: str) -> LinearWeights | None:
        """The weights in `text`, or None when they were trained from something else."""
        document: dict[str, Any] = json.loads(text)
        if document.get("fingerprint") != fingerprint:
            return None
        return cls({term: (idf, coefficient) for term, (idf, coefficient) in document["terms"].items()},
                   float(document["intercept"]))


def fingerprint() -> str:
    """What the trained weights depend on: the training data, the model's settings, scikit-learn."""
    digest = hashlib.sha256()
    for path in (EMAIL_INTENT, TUNE_SET):
        digest.update(path.read_bytes())
    digest.update(f"tfidf{NGRAMS} sublinear l2 | liblinear C={C} balanced | {version('scikit-learn')}".encode())
    return digest.hexdigest()[:16]


def trained_weights() -> LinearWeights:
    email_texts, email_labels = email_intent()
    tune_texts, tune_labels = tune_set()
    return LinearWeights.of(train(email_texts + tune_texts, email_labels + tune_labels))


class IntentModel:
    """The model, loaded from `cache_dir` when trained there before, else trained on first use and
    written there (thread-safe). Without a `cache_dir` it is trained once per process."""

    def __init__(self, cache_dir: Path | None = None) -> None:
        self._cache_dir = cache_dir
        self._weights: LinearWeights | None = None
        self._lock = threading.Lock()
        # A thread's earlier messages are scored again as the context of each reply.
        self.probability = functools.lru_cache(maxsize=16384)(self._probability)

    def _probability(self, text: str) -> float:
        """The probability that `text` asks for or commits to an action."""
        return (self._weights or self._loaded()).probability(text)

    def ready(self) -> None:
        """Loads or trains the model now rather than at the first message."""
        self._loaded()

    def _loaded(self) -> LinearWeights:
        with self._lock:
            if self._weights is None:
                self._weights = self._from_cache() or self._trained_and_cached()
            return self._weights

    def _cache_path(self, stamp: str) -> Path | None:
        return self._cache_dir / f"reader-model-{stamp}.json" if self._cache_dir is not None else None

    def _from_cache(self) -> LinearWeights | None:
        path = self._cache_path(fingerprint())
        if path is None or not path.exists():
            return None
        try:
            return LinearWeights.from_json(path.read_text(encoding="utf-8"), fingerprint())
        except (OSError, ValueError, KeyError, TypeError) as error:
            logger.warning("reader model %s unreadable (%s): training again", path, error)
            return None

    def _trained_and_cached(self) -> LinearWeights:
        weights = trained_weights()
        stamp = fingerprint()
        path = self._cache_path(stamp)
        if path is not None:
            try:
                path.parent.mkdir(parents=True, exist_ok=True)
                # Written aside then renamed: a process reading it never sees half a file.
                with tempfile.NamedTemporaryFile("w", dir=path.parent, suffix=".tmp", delete=False,
                                                 encoding="utf-8") as out:
                    out.write(weights.to_json(stamp))
                os.replace(out.name, path)
            except OSError as error:
                logger.warning("cannot keep the reader model in %s (%s): it will be trained again", path, error)
        return weights
