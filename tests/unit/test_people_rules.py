"""The rules that make one person of several sightings, and how a person is found (contract section 6)."""

import pytest

from src.domain.people import People, Sighting, name_from_email, normalise_email


def slack_user(user_id, name=None, email=None, *handles):
    return Sighting.of("slack", slack_ids=[user_id], name=name, emails=[email] if email else [], handles=handles)


def attendee(email, name=None):
    return Sighting.of("calendar", emails=[email], name=name)


def roster(email, name):
    return Sighting.of("roster", emails=[email], name=name)


DANA = slack_user("U02DANA", "Dana Whitfield", "dana@example.com", "dana")


def test_the_same_email_in_any_case_is_one_person():
    people = People([attendee("Dana@Example.COM"), attendee("dana@example.com", "Dana W.")])
    (person,) = people.all
    assert person.emails == ("dana@example.com",) and person.name == "Dana W."


def test_the_same_slack_id_is_one_person_and_the_later_sighting_adds_to_it():
    people = People([slack_user("U02DANA", "Dana Whitfield"), slack_user("U02DANA", None, "dana@example.com")])
    (person,) = people.all
    assert person.slack_ids == ("U02DANA",) and person.emails == ("dana@example.com",)


def test_a_calendar_attendee_is_the_slack_user_with_that_profile_email():
    people = People([DANA, attendee("DANA@example.com")])
    (person,) = people.all
    assert (person.id, person.name, person.slack_ids) == ("slack:U02DANA", "Dana Whitfield", ("U02DANA",))


def test_a_roster_record_with_an_email_joins_the_slack_user_with_that_profile_email_and_names_them():
    people = People([slack_user("U04PRIYA", "priya r", "cfo@example.com"), roster("CFO@example.com", "Priya Raman")])
    (person,) = people.all
    assert person.name == "Priya Raman" and person.slack_ids == ("U04PRIYA",)


def test_an_attendee_known_only_by_email_is_named_from_the_address():
    (person,) = People([attendee("dana.lee+work@example.com")]).all
    assert (person.id, person.name) == ("email:dana.lee+work@example.com", "Dana Lee")
    assert name_from_email("jo_2@example.com") == "Jo"


def test_a_better_name_replaces_the_one_made_from_the_address():
    (person,) = People([attendee("dana.lee@example.com"), attendee("dana.lee@example.com", "Dana Leigh")]).all
    assert person.name == "Dana Leigh"


def test_two_people_with_the_same_name_or_display_name_stay_two():
    people = People([slack_user("U1SAM", "Sam Ortiz", "sam@a.com", "sam"),
                     slack_user("U2SAM", "Sam Ortiz", "sam@b.com", "sam"),
                     attendee("sam.ortiz@c.com", "Sam Ortiz")])
    assert len(people) == 3
    assert people.resolve("Sam Ortiz") is None and people.resolve("@sam") is None  # ambiguous
    assert len(people.matching("sam ortiz")) == 3


def test_one_sighting_can_link_two_people_seen_apart():
    people = People([attendee("dana@example.com"), slack_user("U02DANA", "Dana Whitfield"),
                     Sighting.of("roster", emails=["dana@example.com"], slack_ids=["U02DANA"])])
    assert len(people) == 1 and people.all[0].emails == ("dana@example.com",)


def test_a_sighting_without_email_or_slack_id_is_refused():
    with pytest.raises(ValueError, match="email or a Slack user id"):
        Sighting.of("roster", name="Nobody Known", emails=["not an email"])


@pytest.mark.parametrize("identity", ["U02DANA", "<@U02DANA>", "<@U02DANA|dana>", "dana@EXAMPLE.com",
                                      "mailto:dana@example.com", "Dana Whitfield", "dana whitfield", "@dana", "dana"])
def test_a_person_is_found_by_slack_id_mention_email_name_or_handle(identity):
    people = People([DANA, slack_user("U03LEE", "Lee Okafor", "lee@example.com", "lee")])
    assert people.resolve(identity).id == "slack:U02DANA"


def test_an_unknown_identity_finds_nobody():
    people = People([DANA])
    assert people.resolve("zoe@example.com") is None and people.resolve("U99NOBODY") is None
    assert people.resolve("") is None and people.matching("@") == ()


@pytest.mark.parametrize("query,found", [
    ("", ["Dana Whitfield", "Lee Okafor"]), ("da", ["Dana Whitfield"]), ("WHIT", ["Dana Whitfield"]),
    ("lee@ex", ["Lee Okafor"]), ("u03", ["Lee Okafor"]), ("@dan", ["Dana Whitfield"]), ("example", ["Dana Whitfield", "Lee Okafor"]),
    ("dana oka", []), ("itfield", []),
])
def test_search_matches_a_prefix_of_any_word_of_name_email_slack_id_or_handle(query, found):
    people = People([DANA, slack_user("U03LEE", "Lee Okafor", "lee@example.com", "lee")])
    assert [p.name for p in people.search(query)] == found


def test_me_names_the_persons_own_identities_and_joins_them():
    people = People([DANA, attendee("alex@example.com"), slack_user("U01ALEX", "Alex Morgan", None, "alex")],
                    me=["U01ALEX", "alex@example.com"])
    assert len(people) == 2  # the Slack user without a profile email and the attendee: one person
    assert people.me.name == "Alex Morgan" and people.me.emails == ("alex@example.com",)
    for identity in ("U01ALEX", "alex@EXAMPLE.com", "Alex Morgan", "@alex"):
        assert people.is_me(identity), identity
    assert not people.is_me("U02DANA") and not people.is_me("dana@example.com") and not people.is_me("")


def test_me_given_as_a_name_is_the_person_of_that_name():
    people = People([DANA], me=["Dana Whitfield"])
    assert people.is_me("U02DANA") and people.me.id == "slack:U02DANA"


@pytest.mark.parametrize("raw,email", [("Dana <Dana@Example.com>", "dana@example.com"), ("MAILTO:x@y.org", "x@y.org"),
                                       ("no-at-sign", None), ("a@", None), ("two words@x.com", None), (None, None)])
def test_emails_are_read_leniently_and_compared_in_lower_case(raw, email):
    assert normalise_email(raw) == email


def test_a_name_in_me_names_the_person_when_their_ids_are_given_too():
    people = People([slack_user("U01ALEX", "alex m")], me=["U01ALEX", "Alex Morgan"])
    assert people.me.name == "Alex Morgan" and people.is_me("alex m")
