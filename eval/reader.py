"""Measures the message reader: `python -m eval.reader` (add `--errors` to list its mistakes).

On the dev set (eval/sets/dev.txt, Slack-like messages labelled by hand): precision, recall and F1 of
item detection (any kind) and per kind, due-date and counterparty accuracy on the items found with
the right kind. On email-intent (the shipped train.tsv): the classifier's cross-validated P/R/F1.
"""

from __future__ import annotations

import argparse
import time
from collections import Counter
from pathlib import Path

from sklearn.model_selection import StratifiedKFold, cross_validate

from src.adapters.outbound.reader import BuiltinReader
from src.adapters.outbound.reader.classifier import email_intent, new_model
from src.adapters.outbound.reader.labelled import PERSON, TUNE_SET, Example, load
from src.domain.items import ItemKind

DEV_SET = Path(__file__).parent / "sets" / "dev.txt"
FOLDS = 5


def prf(tp: int, fp: int, fn: int) -> tuple[float, float, float]:
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return precision, recall, f1


def score(examples: list[Example], reader=None) -> dict:
    reader = reader or BuiltinReader()
    counts: dict[str, Counter] = {name: Counter() for name in ("items", *(k.value for k in ItemKind), "kinds")}
    dates = Counter()
    people = Counter()
    errors = []
    for example in examples:
        item = reader.read(example.message, PERSON)
        expected = example.expected
        got = item.kind if item else None
        if got is not None and expected.kind is not None:
            counts["items"]["tp"] += 1
        elif got is not None:
            counts["items"]["fp"] += 1
        elif expected.kind is not None:
            counts["items"]["fn"] += 1
        for kind in ItemKind:
            if got is kind and expected.kind is kind:
                counts[kind.value]["tp"] += 1
                counts["kinds"]["tp"] += 1
            elif got is kind:
                counts[kind.value]["fp"] += 1
                counts["kinds"]["fp"] += 1
            elif expected.kind is kind:
                counts[kind.value]["fn"] += 1
                counts["kinds"]["fn"] += 1
        if got is not None and got is expected.kind:
            dates["right" if item.due_date == expected.due_date else "wrong"] += 1
            if expected.due_date is not None:
                dates["named_right" if item.due_date == expected.due_date else "named_wrong"] += 1
            people["right" if item.counterparty == expected.counterparty else "wrong"] += 1
        wrong = got is not expected.kind or (item is not None and (
            item.due_date != expected.due_date or item.counterparty != expected.counterparty))
        if wrong:
            errors.append((example, item))
    return {"counts": counts, "dates": dates, "people": people, "errors": errors, "messages": len(examples)}


def email_intent_cv() -> dict[str, float]:
    texts, labels = email_intent()
    folds = StratifiedKFold(n_splits=FOLDS, shuffle=True, random_state=0)
    result = cross_validate(new_model(), texts, labels, cv=folds, scoring=("precision", "recall", "f1"))
    return {name: float(result[f"test_{name}"].mean()) for name in ("precision", "recall", "f1")}


def _ratio(counter: Counter, right: str, wrong: str) -> str:
    total = counter[right] + counter[wrong]
    return f"{counter[right] / total:.2f} ({counter[right]}/{total})" if total else "n/a"


def report(name: str, result: dict, show_errors: bool) -> None:
    print(f"{name}: {result['messages']} messages")
    print(f"  {'':16} {'P':>5} {'R':>5} {'F1':>5}  {'tp':>4} {'fp':>4} {'fn':>4}")
    for label in ("items", *(k.value for k in ItemKind), "kinds"):
        c = result["counts"][label]
        p, r, f = prf(c["tp"], c["fp"], c["fn"])
        title = {"items": "item detected", "kinds": "kind (overall)"}.get(label, label)
        print(f"  {title:16} {p:5.2f} {r:5.2f} {f:5.2f}  {c['tp']:4} {c['fp']:4} {c['fn']:4}")
    dates, people = result["dates"], result["people"]
    print(f"  due date right (items of the right kind): {_ratio(dates, 'right', 'wrong')};"
          f" where the message names one: {_ratio(dates, 'named_right', 'named_wrong')}")
    print(f"  counterparty right (items of the right kind): {_ratio(people, 'right', 'wrong')}")
    if show_errors:
        for example, item in result["errors"]:
            e = example.expected
            got = f"{item.kind.value} {item.counterparty} {item.due_date}" if item else "-"
            print(f"    {example.message.id}: expected {e.kind.value if e.kind else '-'} {e.counterparty} "
                  f"{e.due_date} | got {got} | {example.message.text}")


def band(examples: list[Example], reader: BuiltinReader) -> None:
    """Where the reader is unsure, to choose what the language model reads again: for items, how
    often the kind is wrong by confidence; for messages without an item, how many the reader missed
    by the classifier's likelihood."""
    from src.adapters.outbound.reader.second_reading import LIKELY_FROM, UNSURE_BELOW

    items: list[tuple[float, bool]] = []
    nothing: list[tuple[float, bool]] = []
    for example in examples:
        item = reader.read(example.message, PERSON)
        if item is None:
            nothing.append((reader.likelihood(example.message.text), example.expected.kind is not None))
        elif item.accepts is None:  # acceptances ("will do") are never read again
            items.append((item.confidence, item.kind is not example.expected.kind))
    print(f"items (not acceptances) by confidence: kind wrong / items  (read again below {UNSURE_BELOW})")
    for low, high in ((0.0, 0.6), (0.6, 0.7), (0.7, 0.8), (0.8, 1.01)):
        chosen = [wrong for confidence, wrong in items if low <= confidence < high]
        print(f"  [{low:.1f}, {min(high, 1):.1f}): {sum(chosen)} / {len(chosen)}")
    print(f"messages without an item by likelihood: missed items / messages  (read again from {LIKELY_FROM})")
    for low, high in ((0.0, 0.3), (0.3, 0.5), (0.5, 0.7), (0.7, 1.01)):
        chosen = [missed for likelihood, missed in nothing if low <= likelihood < high]
        print(f"  [{low:.1f}, {min(high, 1):.1f}): {sum(chosen)} / {len(chosen)}")
    sent = sum(confidence < UNSURE_BELOW for confidence, _ in items) + sum(
        likelihood >= LIKELY_FROM for likelihood, _ in nothing)
    print(f"read again: {sent} of {len(examples)} messages")


def with_second_reading(examples: list[Example], reader: BuiltinReader) -> tuple[dict, str]:
    """The dev set scored with the second reading of the model configured in the environment
    (AICOS_LLM_URL, AICOS_LLM_MODEL, AICOS_LLM_API_KEY), and the model's name."""
    import asyncio

    from src.adapters.outbound.reader.second_reading import ModelSecondReading
    from src.adapters_from_settings import language_model
    from src.config import Settings

    settings = Settings()
    if not settings.llm_url or not settings.llm_model:
        raise SystemExit("--second-reading needs AICOS_LLM_URL and AICOS_LLM_MODEL (README, the language model)")
    model = language_model(settings)
    messages = [example.message for example in examples]
    first = reader.read_many(messages, PERSON)
    again = asyncio.run(ModelSecondReading(model, likelihood=reader.likelihood, budget=3600).reread(
        messages, first, PERSON))
    by_message = {id(message): item for message, item in zip(messages, again)}

    class Reread:
        def read(self, message, person):
            return by_message[id(message)]

    return score(examples, Reread()), model.name


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m eval.reader", description=__doc__.splitlines()[0])
    parser.add_argument("--errors", action="store_true", help="list every message the reader got wrong")
    parser.add_argument("--tune", action="store_true", help="also score the tune set (trained on: not a measure)")
    parser.add_argument("--no-cv", action="store_true", help="skip the cross-validation on email-intent")
    parser.add_argument("--band", action="store_true", help="where the reader is unsure (the second reading's band)")
    parser.add_argument("--second-reading", action="store_true",
                        help="also score with the configured language model's second reading (AICOS_LLM_URL)")
    args = parser.parse_args()
    started = time.monotonic()
    reader = BuiltinReader()
    dev = load(DEV_SET)
    if args.band:
        band(dev, reader)
        return
    report("dev set (eval/sets/dev.txt)", score(dev, reader), args.errors)
    notes = {int(line[7:].split(":")[0]): line.split(":", 1)[1].strip()
             for line in DEV_SET.read_text(encoding="utf-8").splitlines() if line.startswith("#batch ")}
    for batch in sorted({example.batch for example in dev} - {1}):
        report(f"  of which batch {batch} ({notes.get(batch, '')})",
               score([e for e in dev if e.batch == batch], reader), False)
    if args.second_reading:
        result, name = with_second_reading(dev, reader)
        report(f"dev set with the second reading of {name}", result, args.errors)
    if args.tune:
        report("tune set (trained and tuned on)", score(load(TUNE_SET), reader), args.errors)
    if not args.no_cv:
        cv = email_intent_cv()
        print(f"email-intent train.tsv, {FOLDS}-fold cross-validation of the classifier (Yes = asks or commits): "
              f"P {cv['precision']:.2f} R {cv['recall']:.2f} F1 {cv['f1']:.2f}")
    print(f"({time.monotonic() - started:.1f} s)")


if __name__ == "__main__":
    main()
