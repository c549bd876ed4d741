"""How likely a sentence asks someone to do something or commits its writer to something.

TF-IDF over words and word pairs into a logistic regression (character n-grams and a linear SVM scored
no better in cross-validation on email-intent and took 4 to 8 times longer to train), trained from the data shipped beside this file: the email-intent sentences (Apache-2.0)
and the Slack-like tune set. Training takes about a second, so it runs at first use and is kept for
the life of the process; nothing is downloaded and no artefact is stored.
"""

from __future__ import annotations

import csv
import functools
import threading
from collections.abc import Sequence
from pathlib import Path

from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import Pipeline, make_pipeline

from src.domain.items import ConversationKind

EMAIL_INTENT = Path(__file__).parent / "training" / "email-intent" / "train.tsv"


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
    from src.adapters.outbound.reader.labelled import TUNE_SET, load

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
    return make_pipeline(
        TfidfVectorizer(ngram_range=(1, 2), sublinear_tf=True),
        LogisticRegression(C=4.0, solver="liblinear", class_weight="balanced"),
    )


def train(texts: Sequence[str], labels: Sequence[int]) -> Pipeline:
    return new_model().fit(list(texts), list(labels))


class IntentModel:
    """The trained model, built once per process on first use (thread-safe)."""

    def __init__(self) -> None:
        self._model: Pipeline | None = None
        self._lock = threading.Lock()
        # A thread's earlier messages are read again as the context of each reply.
        self.probability = functools.lru_cache(maxsize=4096)(self._probability)

    def _probability(self, text: str) -> float:
        """The probability that `text` asks for or commits to an action."""
        return float(self._trained().predict_proba([text])[0][1])

    def _trained(self) -> Pipeline:
        with self._lock:
            if self._model is None:
                email_texts, email_labels = email_intent()
                tune_texts, tune_labels = tune_set()
                self._model = train(email_texts + tune_texts, email_labels + tune_labels)
            return self._model
