"""The MessageReader contract, run against the built-in reader and the fake."""

import pytest

from src.adapters.outbound.reader import BuiltinReader
from tests.contract.message_reader_suite import MessageReaderContract
from tests.fakes import FakeReader


@pytest.fixture(scope="module")
def builtin_reader():
    return BuiltinReader()  # its classifier trains on first use: once for the module


class TestBuiltinReader(MessageReaderContract):
    @pytest.fixture
    def reader(self, builtin_reader):
        return builtin_reader


class TestFakeReader(MessageReaderContract):
    @pytest.fixture
    def reader(self):
        return FakeReader()
