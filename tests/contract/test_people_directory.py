"""The PeopleDirectory contract: a base class, and a short subclass per implementation."""

import pytest

from src.adapters.outbound.people_directory import InMemoryPeopleDirectory, SqlitePeopleDirectory
from src.application.ports import PeopleDirectory
from src.domain.people import Sighting

ME = ("U01ALEX", "alex@example.com")


def dana(**changes):
    values = {"slack_ids": ["U02DANA"], "name": "Dana Whitfield", "emails": ["dana@example.com"], "handles": ["dana"]}
    return Sighting.of("slack", **{**values, **changes})


class PeopleDirectoryContract:
    """Subclass with `make_directory(folder, me)`; every test below then runs against it."""

    def make_directory(self, folder, me):
        raise NotImplementedError

    def close(self, directory) -> None:
        """Releases what `make_directory` opened."""

    @pytest.fixture
    def directory(self, tmp_path):
        made = self.make_directory(tmp_path, ME)
        yield made
        self.close(made)

    async def test_it_is_a_people_directory(self, directory):
        assert isinstance(directory, PeopleDirectory)

    async def test_a_new_directory_knows_only_the_person(self, directory):
        people = await directory.people()
        assert [p.emails for p in people.all] == [("alex@example.com",)]
        assert people.is_me("U01ALEX") and people.me.slack_ids == ("U01ALEX",)

    async def test_sightings_from_separate_calls_and_sources_merge_into_one_person(self, directory):
        await directory.add_people([dana()])
        await directory.add_people([Sighting.of("calendar", emails=["DANA@example.com"], name="D. Whitfield")])
        people = await directory.people()
        assert [p.name for p in people.search("dana")] == ["Dana Whitfield"]
        assert people.resolve("dana@example.com") == people.resolve("U02DANA") == people.resolve("@dana")

    async def test_collecting_again_replaces_a_sighting_and_never_duplicates_it(self, directory):
        await directory.add_people([dana()])
        await directory.add_people([dana(name="Dana Whitfield-Lee", emails=["dana.wl@example.com"])])
        (person,) = (await directory.people()).search("U02DANA")
        assert person.name == "Dana Whitfield-Lee" and person.emails == ("dana.wl@example.com",)
        assert len(await directory.people()) == 2  # Dana and the person

    async def test_a_record_is_replaced_by_the_next_with_the_same_id_in_its_source(self, directory):
        await directory.add_people([Sighting.of("roster", ref="E1", emails=["priya@old.example"], name="Priya R")])
        await directory.add_people([Sighting.of("roster", ref="E1", emails=["cfo@example.com"], name="Priya Raman")])
        people = await directory.people()
        assert people.resolve("priya@old.example") is None and people.resolve("cfo@example.com").name == "Priya Raman"

    async def test_a_late_sighting_joins_two_people_seen_apart(self, directory):
        await directory.add_people([dana(emails=[]), Sighting.of("calendar", emails=["dana@example.com"])])
        assert len((await directory.people()).search("dana")) == 2
        await directory.add_people([Sighting.of("roster", emails=["dana@example.com"], slack_ids=["U02DANA"],
                                                name="Dana Whitfield")])
        (person,) = (await directory.people()).search("dana")
        assert person.emails == ("dana@example.com",) and person.slack_ids == ("U02DANA",)

    async def test_people_with_the_same_name_stay_apart(self, directory):
        await directory.add_people([dana(), dana(slack_ids=["U09DANA"], emails=["dana@other.com"])])
        people = await directory.people()
        assert len(people.search("dana whitfield")) == 2 and people.resolve("Dana Whitfield") is None

    async def test_the_person_is_recognised_by_identities_the_sources_add(self, directory):
        await directory.add_people([Sighting.of("slack", slack_ids=["U01ALEX"], name="Alex Morgan",
                                                emails=["alex.morgan@example.com"], handles=["alex"])])
        people = await directory.people()
        assert people.is_me("alex.morgan@example.com") and people.is_me("@alex") and people.is_me("Alex Morgan")
        assert people.me.emails == ("alex.morgan@example.com", "alex@example.com")


class TestInMemoryPeopleDirectory(PeopleDirectoryContract):
    def make_directory(self, folder, me):
        return InMemoryPeopleDirectory(me)


class TestSqlitePeopleDirectory(PeopleDirectoryContract):
    def make_directory(self, folder, me):
        return SqlitePeopleDirectory(folder / "people.db", me)

    def close(self, directory) -> None:
        directory.close()

    async def test_people_survive_a_restart(self, directory, tmp_path):
        await directory.add_people([dana()])
        directory.close()
        reopened = SqlitePeopleDirectory(tmp_path / "people.db", ME)
        try:
            assert (await reopened.people()).resolve("dana@example.com").slack_ids == ("U02DANA",)
        finally:
            reopened.close()

    async def test_what_another_process_adds_is_seen(self, directory, tmp_path):
        assert (await directory.people()).resolve("U02DANA") is None  # read once, so it is cached
        other = SqlitePeopleDirectory(tmp_path / "people.db", ME)
        try:
            await other.add_people([dana()])
        finally:
            other.close()
        assert (await directory.people()).resolve("U02DANA").name == "Dana Whitfield"
