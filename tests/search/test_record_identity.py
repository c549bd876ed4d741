"""A record's identity (its native id and date) is known without building its row, and is the
identity its row has: held records are sorted and deduplicated by it before their rows exist."""

import pytest

from src.search.records import UnusableRecord, index_row, record_identity

RECORDS = {
    "slack": [
        {"conversation_id": "C1", "ts": "1764064800.000100", "text": "hello", "user_name": "ann"},
        {"channel_id": "C2", "ts": "1764064801.000100", "text": "hi", "channel_name": "general"},
        {"client_msg_id": "abc", "ts": 1764064802, "text": "an int ts"},
        {"channel_name": "random", "ts": 1764064803.5, "text": "no ids but a channel"},
        {"id": "legacy-7", "date": "2025-11-25", "text": "no ts"},
        {"text": "nothing to identify it", "timestamp": "2025-11-25T10:00:00+02:00"},
        {"conversation_id": "C3", "ts": "", "client_msg_id": "", "id": "x", "text": "empty ts"},
    ],
    "calendar": [
        {"id": "ev1", "summary": "Budget review", "start": {"dateTime": "2025-11-25T09:00:00-05:00"}},
        {"iCalUID": "uid@x", "summary": "Offsite", "start": {"date": "2025-12-01"}},
        {"summary": "No id", "created_at": "2025-11-20T08:00:00Z"},
    ],
    "drive": [
        {"id": "f1", "name": "Plan.docx", "modifiedTime": "2025-11-24T12:00:00.123Z"},
        {"title": "No id", "createdTime": "bad date"},
    ],
    "employees": [
        {"id": "U1", "real_name": "Ann Lee", "email": "ann@example.com"},
        {"name": "Bob", "email": "bob@example.com"},
        {"name": "No email or id"},
    ],
    "notes": [
        {"id": "n1", "content": "a generic source", "ts": "1764064800"},
        {"text": "without an id"},
    ],
}


@pytest.mark.parametrize("source, record", [(source, record) for source, records in RECORDS.items()
                                            for record in records])
def test_a_records_identity_is_the_native_id_and_date_of_its_row(source, record):
    row = index_row(record, source)
    assert record_identity(record, source) == (row.native_id, row.date)


def test_a_record_that_is_not_an_object_has_no_identity():
    with pytest.raises(UnusableRecord, match="JSON object"):
        record_identity(["not", "a", "record"], "slack")
