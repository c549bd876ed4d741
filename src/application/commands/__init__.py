"""The commands a person types: the registry (registry.py) and its entries, one per verb (verbs.py)."""

from src.application.commands.registry import CommandEntry, CommandRegistry, Effect, Plan, PlanTools
from src.application.commands.verbs import COMMANDS

__all__ = ["COMMANDS", "CommandEntry", "CommandRegistry", "Effect", "Plan", "PlanTools"]
