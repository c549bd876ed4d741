"""Test suites shipped with the service, for code written elsewhere (see collector_contract.py)."""
