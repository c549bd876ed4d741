"""The MessageReader contract, run against the built-in reader and the fake."""

import pytest

from src.adapters.outbound.reader import BuiltinReader
from tests.contract.message_reader_suite import MessageReaderContract
from tests.fakes import FakeReader


class TestBuiltinReader(MessageReaderContract):
    @pytest.fixture(scope="class")
    def reader(self):
        return BuiltinReader()


class TestFakeReader(MessageReaderContract):
    @pytest.fixture
    def reader(self):
        return FakeReader()
