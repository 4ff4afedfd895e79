"""Import route: a multipart upload streamed to a file under the data dir, then a job.

The body is parsed as it arrives (python-multipart's streaming parser), so a file larger
than `DESKBASE_MAX_IMPORT_MB` is refused as soon as it crosses the limit, and the file never
sits in memory or in a second temporary copy.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path
from typing import IO, Any, cast

import orjson
from fastapi import APIRouter, Request
from python_multipart import MultipartParser
from python_multipart.exceptions import FormParserError
from python_multipart.multipart import parse_options_header

from deskbase.api.deps import AppDep, Ctx
from deskbase.api.responses import JSONResponse
from deskbase.data.imports import ImportOptions
from deskbase.kernel.errors import BadRequest, FieldError, PayloadTooLarge, ValidationFailed

__all__ = ["router"]

router = APIRouter(prefix="/data", tags=["records"])

_FIELD_LIMIT = 1 << 20  # the form fields other than the file (the mapping is the largest)
_MODES = ("all_or_nothing", "skip_invalid")
_TRUE, _FALSE = ("true", "1", "yes", "on"), ("false", "0", "no", "off", "")
_FORM = {
    "type": "object",
    "required": ["file"],
    "properties": {
        "file": {"type": "string", "format": "binary", "description": "CSV (UTF-8 or GB18030) or XLSX"},
        "mapping": {
            "type": "string",
            "description": 'JSON: {"column header": "field" | "relation.key" | null}',
        },
        "key": {"type": "string", "description": "a unique field (or id): matching rows update records"},
        "mode": {"type": "string", "enum": list(_MODES), "default": "all_or_nothing"},
        "dry_run": {"type": "boolean", "default": False},
        "run_workflows": {"type": "boolean", "default": False},
        "timezone": {"type": "string", "default": "UTC", "description": "for date-times without an offset"},
    },
}


class _Upload:
    """Callbacks of the streaming multipart parser: the `file` part goes to disk, the rest to `fields`."""

    def __init__(self, directory: Path, limit: int) -> None:
        self.directory, self.limit = directory, limit
        self.fields: dict[str, str] = {}
        self.path: Path | None = None
        self.filename = ""
        self.size = 0
        self._out: IO[bytes] | None = None
        self._name = ""
        self._value = bytearray()
        self._header = [b"", b""]
        self._disposition = b""

    def on_header_field(self, data: bytes, start: int, end: int) -> None:
        self._header[0] += data[start:end]

    def on_header_value(self, data: bytes, start: int, end: int) -> None:
        self._header[1] += data[start:end]

    def on_header_end(self) -> None:
        if self._header[0].lower() == b"content-disposition":
            self._disposition = self._header[1]
        self._header = [b"", b""]

    def on_headers_finished(self) -> None:
        _, options = parse_options_header(self._disposition)
        self._name = options.get(b"name", b"").decode("utf-8", "replace")
        self._value = bytearray()
        if self._name == "file" and b"filename" in options:
            if self.path is not None:
                raise BadRequest("Send one file", errors=[FieldError("file", "one file only", "too_many")])
            self.filename = Path(options[b"filename"].decode("utf-8", "replace")).name or "upload"
            self.directory.mkdir(parents=True, exist_ok=True)
            fd, name = tempfile.mkstemp(
                dir=self.directory, prefix="import-", suffix=Path(self.filename).suffix
            )
            self.path = Path(name)
            self._out = os.fdopen(fd, "wb")

    def on_part_data(self, data: bytes, start: int, end: int) -> None:
        if self._out is not None:
            self.size += end - start
            if self.size > self.limit:
                raise PayloadTooLarge(f"Import files are limited to {self.limit // (1 << 20)} MB")
            self._out.write(data[start:end])
        else:
            self._value += data[start:end]
            if len(self._value) > _FIELD_LIMIT:
                raise PayloadTooLarge(f"The form field {self._name!r} is too large")

    def on_part_end(self) -> None:
        if self._out is not None:
            self._out.close()
            self._out = None
        elif self._name:
            self.fields[self._name] = self._value.decode("utf-8", "replace")

    def discard(self) -> None:
        if self._out is not None:
            self._out.close()
        if self.path is not None:
            self.path.unlink(missing_ok=True)


async def _receive(request: Request, directory: Path, limit: int) -> _Upload:
    content_type, params = parse_options_header(request.headers.get("content-type"))
    if content_type != b"multipart/form-data" or b"boundary" not in params:
        raise BadRequest(
            "Send the file as multipart/form-data",
            errors=[FieldError("file", "a multipart/form-data body with a file part", "invalid_body")],
        )
    length = request.headers.get("content-length", "")
    if length.isdigit() and int(length) > limit + _FIELD_LIMIT:
        raise PayloadTooLarge(f"Import files are limited to {limit // (1 << 20)} MB")
    upload = _Upload(directory, limit)
    callbacks = {name: getattr(upload, name) for name in dir(upload) if name.startswith("on_")}
    parser = MultipartParser(params[b"boundary"], cast(Any, callbacks))
    try:
        async for chunk in request.stream():
            parser.write(chunk)
        parser.finalize()
    except FormParserError:
        upload.discard()
        raise BadRequest("The multipart body is malformed") from None
    except BaseException:
        upload.discard()
        raise
    if upload.path is None or upload.size == 0:
        upload.discard()
        raise ValidationFailed(
            "Send a non-empty file", errors=[FieldError("file", "a file is required", "required")]
        )
    return upload


def _flag(fields: dict[str, str], name: str) -> bool:
    value = fields.get(name, "").strip().lower()
    if value not in _TRUE + _FALSE:
        raise ValidationFailed(
            f"{name} must be true or false", errors=[FieldError(name, "true or false", "type")]
        )
    return value in _TRUE


def _options(fields: dict[str, str]) -> ImportOptions:
    mapping: dict[str, str | None] | None = None
    if fields.get("mapping", "").strip():
        try:
            raw = orjson.loads(fields["mapping"])
        except orjson.JSONDecodeError:
            raw = None
        if not isinstance(raw, dict) or not all(v is None or isinstance(v, str) for v in raw.values()):
            raise ValidationFailed(
                "mapping must be a JSON object of column headers to field names (or null)",
                errors=[FieldError("mapping", "a JSON object of strings", "type")],
            )
        mapping = raw
    mode = fields.get("mode", "").strip() or "all_or_nothing"
    if mode not in _MODES:
        raise ValidationFailed(
            f"mode must be one of {', '.join(_MODES)}", errors=[FieldError("mode", "unknown mode", "invalid")]
        )
    return ImportOptions(
        mapping=mapping,
        key=fields.get("key", "").strip() or None,
        mode=cast(Any, mode),
        dry_run=_flag(fields, "dry_run"),
        run_workflows=_flag(fields, "run_workflows"),
        timezone=fields.get("timezone", "").strip() or "UTC",
    )


@router.post(
    "/{collection}/import",
    status_code=202,
    openapi_extra={"requestBody": {"required": True, "content": {"multipart/form-data": {"schema": _FORM}}}},
)
async def import_records(collection: str, request: Request, app: AppDep, ctx: Ctx) -> JSONResponse:
    """Upload a CSV or XLSX file and import it in a background job: `GET /api/jobs/{id}` follows it."""
    app.catalog.get(collection)  # an unknown collection is a 404 before the upload is read
    settings = app.settings
    upload = await _receive(request, settings.imports_dir, settings.max_import_mb << 20)
    try:
        options = _options(upload.fields)
    except BaseException:
        upload.discard()
        raise
    assert upload.path is not None
    job = await app.imports.start(ctx, collection, upload.path, upload.filename, options)
    return JSONResponse({"job": job.to_json()}, status_code=202)
