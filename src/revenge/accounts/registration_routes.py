"""The open registration route (accounts.registration has the rules)."""

from __future__ import annotations

from fastapi import APIRouter

from revenge.accounts.registration import RegisterRequest, register_user
from revenge.accounts.schemas import UserOut
from revenge.api.deps import Client, RuntimeDep
from revenge.api.openapi import problem_responses

router = APIRouter(tags=["auth"])


@router.post(
    "/api/v1/auth/register",
    status_code=201,
    responses=problem_responses(
        {
            403: "Registration is closed, or the invite code is wrong.",
            409: "The username is taken.",
            429: "Too many failed attempts; retry after `Retry-After` seconds.",
        }
    ),
)
async def register(body: RegisterRequest, runtime: RuntimeDep, client: Client) -> UserOut:
    """Create one's own account while registration is open; then sign in as usual."""
    # The transaction is committed before a refusal is answered: failures must count.
    async with runtime.db.transaction() as session:
        outcome = await register_user(runtime, session, body, client)
    if outcome.error is not None:
        raise outcome.error
    assert outcome.user is not None
    return outcome.user
