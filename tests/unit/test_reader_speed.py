"""What makes the reader fast must not change what it reads: the cheap first looks never hide an act
or a date, the hand-kept weights score as scikit-learn does, the trained model is kept and reused,
and importing the service does not import scikit-learn."""

import json
import subprocess
import sys
from datetime import datetime

import pytest

from eval.reader import DEV_SET
from src.adapters.outbound.reader import classifier
from src.adapters.outbound.reader.classifier import IntentModel, LinearWeights, email_intent, fingerprint, train
from src.adapters.outbound.reader.due_dates import due_date, named_date
from src.adapters.outbound.reader.labelled import PERSON, TUNE_SET, load
from src.adapters.outbound.reader.speech import may_act, patterns_act
from src.demo.dataset import REPLIES, TOPICS
from tests.live_server import ROOT


def written_texts() -> list[str]:
    """Every message written by people in this repository: the dev and tune sets, the demo's
    templates and email-intent's sentences."""
    labelled = [example.message.text for path in (DEV_SET, TUNE_SET) for example in load(path)]
    demo = [template for _, _, templates in TOPICS.values() for template in templates] + REPLIES
    return labelled + demo + email_intent()[0]


TEXTS = written_texts()


def test_the_first_look_lets_through_every_message_the_patterns_read_as_an_act():
    hidden = [text for text in TEXTS if patterns_act(text.strip()) is not None and not may_act(text.strip())]
    assert hidden == []


def test_the_first_look_turns_away_most_chat_lines_that_are_no_act():
    no_act = [text for text in TEXTS if patterns_act(text.strip()) is None]
    assert sum(not may_act(text) for text in no_act) > len(no_act) / 2


def test_the_date_gate_never_hides_a_date():
    sent = datetime(2026, 11, 24, 15, 0, tzinfo=PERSON.zone)
    missed = [text for text in TEXTS
              if due_date(text, sent, PERSON.zone) != named_date(text, sent, PERSON.zone)]
    assert missed == []


@pytest.fixture(scope="module")
def pipeline():
    texts, labels = email_intent()
    return train(texts[::2], labels[::2])


def test_the_kept_weights_score_every_sentence_as_scikit_learn_does(pipeline):
    weights = LinearWeights.of(pipeline)
    sample = email_intent()[0][1::7] + ["", "ok", "will do 👍", "can u send the deck by tmrw?? pls"]
    expected = pipeline.predict_proba(sample)[:, 1]
    assert [round(weights.probability(text), 9) for text in sample] == [round(p, 9) for p in expected]


def test_a_model_trained_once_is_loaded_from_the_data_folder_after_a_restart(tmp_path, monkeypatch):
    first = IntentModel(tmp_path)
    probability = first.probability("can you send me the numbers by friday?")
    [kept] = tmp_path.glob("reader-model-*.json")
    assert json.loads(kept.read_text())["fingerprint"] == fingerprint()

    def no_training():
        raise AssertionError("trained again")

    monkeypatch.setattr(classifier, "trained_weights", no_training)
    assert IntentModel(tmp_path).probability("can you send me the numbers by friday?") == probability


def test_a_model_kept_from_other_training_data_is_not_used(tmp_path, monkeypatch):
    stale = LinearWeights({"send": (1.0, 50.0)}, 0.0)
    (tmp_path / f"reader-model-{fingerprint()}.json").write_text(stale.to_json("another-fingerprint"))
    monkeypatch.setattr(classifier, "trained_weights", lambda: LinearWeights({}, -3.0))
    assert IntentModel(tmp_path).probability("send") == pytest.approx(0.0474, abs=1e-3)


def test_importing_the_service_and_the_reader_does_not_import_scikit_learn():
    code = ("import sys, src.bootstrap, src.adapters.outbound.reader; "
            "print(sorted(m for m in ('sklearn', 'scipy') if m in sys.modules))")
    output = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True)
    assert output.stdout.strip() == "[]"
