"""Demo data, so a newcomer's `make run` shows a live board at once: a board seed (priorities and
commitments) and a dataset in the real formats (a Slack export and an `.ics` calendar) that the
service collects like a person's own."""

from src.demo.board import seed_demo_board
from src.demo.dataset import DEMO_PERSON, DemoDataset, ensure_demo_dataset, write_demo_dataset

__all__ = ["DEMO_PERSON", "DemoDataset", "ensure_demo_dataset", "seed_demo_board", "write_demo_dataset"]
