"""The whole REST API fuzzed from its own OpenAPI document (schemathesis): positive and negative
data. `make test` runs a bounded number of examples; `make fuzz` many more (AICOS_FUZZ_EXAMPLES)."""

import os
import tempfile

import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import negative_data_rejection

from src.bootstrap import create_app
from src.config import Settings

EXAMPLES = int(os.environ.get("AICOS_FUZZ_EXAMPLES", "20"))
TOKEN = "fuzz-token"


def fuzz_app(**values):
    # Generous limits: the fuzzer sends commands much faster than a person would.
    return create_app(Settings(_env_file=None, data_dir=tempfile.mkdtemp(prefix="aicos-fuzz-"),
                               allowed_hosts=["testserver"], command_rate=1e6, command_burst=10**6, **values))


open_schema = schemathesis.openapi.from_asgi("/openapi.json", fuzz_app())
guarded_schema = schemathesis.openapi.from_asgi(
    "/openapi.json", fuzz_app(api_token=TOKEN), headers={"Authorization": f"Bearer {TOKEN}"}
)
FUZZ_SETTINGS = settings(max_examples=EXAMPLES, deadline=None,
                         suppress_health_check=list(HealthCheck))


@open_schema.parametrize()
@FUZZ_SETTINGS
def test_no_request_makes_a_server_error_and_bad_data_is_refused(case):
    case.call_and_validate(checks=[not_a_server_error, negative_data_rejection])


@guarded_schema.parametrize()
@FUZZ_SETTINGS
def test_with_a_token_set_nothing_but_health_answers_without_it(case):
    response = case.call()
    assert response.status_code < 500
    if case.path != "/health":
        assert response.status_code == 401, (case.method, case.path, response.status_code)
