"""`POST /slack/events`: Slack's HTTP deliveries, handed to the Bolt app.

What Bolt's `AsyncSlackRequestHandler` does for a POST, plus two things the contract wants: a
request Bolt cannot even parse (its body is parsed before the signature is checked) is refused
like a bad signature instead of becoming a 500, and refusals use the contract's error envelope.
The route exists only when `AICOS_SLACK_SIGNING_SECRET` is set; the token and Host checks skip it
(see create_app) because Slack can send neither, and the signature stands in for both.
"""

from __future__ import annotations

import logging
from typing import Protocol

from fastapi import FastAPI
from fastapi.routing import APIRoute
from slack_bolt.adapter.starlette.async_handler import to_async_bolt_request, to_starlette_response
from slack_bolt.async_app import AsyncApp
from slack_sdk.signature import SignatureVerifier
from starlette.requests import Request
from starlette.responses import Response

from src.adapters.inbound.http.errors import HTTP_CODES, error_response

SLACK_EVENTS_PATH = "/slack/events"
logger = logging.getLogger("aicos.slack")
# Slack's signature is good for 5 minutes after its timestamp; a delivery is remembered a little longer.
REPLAY_WINDOW_S = 6 * 60


class DeliveryMemory(Protocol):
    """Where the deliveries already taken are kept (with the state: see adapters/outbound/slack_deliveries)."""

    async def first_time(self, key: str, keep_s: float) -> bool: ...


def _refused() -> Response:
    return error_response(401, "unauthorized", "not a request signed by Slack with this app's signing secret")


def _signed_by_slack(verifier: SignatureVerifier, request: Request, body: bytes) -> bool:
    """Only a request Slack signed (within its 5 minutes) is remembered, so a forged one can never
    shadow the real one; Bolt refuses the others itself."""
    signature = request.headers.get("x-slack-signature", "")
    try:
        return verifier.is_valid(body, request.headers.get("x-slack-request-timestamp", ""), signature)
    except (UnicodeDecodeError, ValueError):  # a body that is not text: Bolt refuses it below
        return False


def slack_events_endpoint(bolt: AsyncApp, signing_secret: str, deliveries: DeliveryMemory):
    verifier = SignatureVerifier(signing_secret)

    async def slack_events(request: Request) -> Response:
        body = await request.body()
        # Bolt's verifier calls int() on the timestamp and would answer 500 for anything else.
        if not request.headers.get("x-slack-request-timestamp", "").isdigit():
            return _refused()
        if _signed_by_slack(verifier, request, body) and not await deliveries.first_time(
                request.headers["x-slack-signature"], REPLAY_WINDOW_S):
            logger.info("a signed Slack request seen before was sent again; not run again")
            return Response(status_code=200)
        try:
            bolt_request = to_async_bolt_request(request, body)
        except Exception:  # not UTF-8, or a JSON body that is not JSON: no Slack request looks like that
            logger.info("refused an unreadable request on %s", SLACK_EVENTS_PATH)
            return _refused()
        answer = await bolt.async_dispatch(bolt_request)
        if answer.status == 401:
            return _refused()
        if answer.status >= 400:
            code = HTTP_CODES.get(answer.status, "internal" if answer.status >= 500 else "validation_error")
            message = "Slack request not handled" if answer.status < 500 else "internal error; the log has the details"
            return error_response(answer.status, code, message)
        return to_starlette_response(answer)

    return slack_events


def mount_slack_events(app: FastAPI, bolt: AsyncApp, signing_secret: str, deliveries: DeliveryMemory) -> None:
    """Adds the route first, ahead of any catch-all mount (the dashboard's static files at `/`)."""
    endpoint = slack_events_endpoint(bolt, signing_secret, deliveries)
    route = APIRoute(SLACK_EVENTS_PATH, endpoint, methods=["POST"], include_in_schema=False)
    app.router.routes.insert(0, route)
