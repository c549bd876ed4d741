"""The reader's measured quality stays where the README says (`python -m eval.reader` prints it all).

The floors sit a little under the figures measured on 2026-11-30, so a change that makes the reader
worse at its job fails here instead of going unnoticed."""

from pathlib import Path

import pytest
from sklearn.metrics import f1_score
from sklearn.model_selection import train_test_split

from eval.reader import DEV_SET, prf, score
from src.adapters.outbound.reader import BuiltinReader
from src.adapters.outbound.reader.classifier import EMAIL_INTENT, email_intent, train

REPOSITORY = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def dev_examples():
    from src.adapters.outbound.reader.labelled import load
    return load(DEV_SET)


def test_on_the_dev_set_items_and_their_kinds_are_found_with_f1_of_at_least_0_85(dev_examples):
    result = score(dev_examples, BuiltinReader())
    kinds = result["counts"]["kinds"]
    assert prf(kinds["tp"], kinds["fp"], kinds["fn"])[2] >= 0.85
    dates = result["dates"]
    assert dates["right"] / (dates["right"] + dates["wrong"]) >= 0.9


def test_on_the_messages_written_last_after_the_reader_items_are_found_with_f1_of_at_least_0_8(dev_examples):
    latest = max(example.batch for example in dev_examples)
    result = score([e for e in dev_examples if e.batch == latest], BuiltinReader())
    items = result["counts"]["items"]
    assert prf(items["tp"], items["fp"], items["fn"])[2] >= 0.8


def test_the_classifier_scores_f1_of_at_least_0_75_on_held_back_email_intent_sentences():
    texts, labels = email_intent()
    train_texts, test_texts, train_labels, test_labels = train_test_split(
        texts, labels, test_size=0.2, random_state=0, stratify=labels)
    predicted = train(train_texts, train_labels).predict(test_texts)
    assert f1_score(test_labels, predicted) >= 0.75


def test_a_fresh_clone_has_the_training_data_with_its_licence():
    assert EMAIL_INTENT.is_relative_to(REPOSITORY)
    texts, labels = email_intent()
    assert (len(texts), sum(labels)) == (3657, 1719)  # as its README says: 3,657 sentences, 1,719 Yes
    assert "Apache License" in (EMAIL_INTENT.parent / "LICENSE").read_text(encoding="utf-8")
