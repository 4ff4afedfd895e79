"""The HTTP layer: FastAPI routes, sign-in, problem+json. No SQL here."""

from deskbase.api.app import create_api

__all__ = ["create_api"]
