"""Relay global ids and list cursors.

>>> to_global_id("Model", "mistral-small-2402")
'TW9kZWw6bWlzdHJhbC1zbWFsbC0yNDAy'
>>> from_global_id("TW9kZWw6bWlzdHJhbC1zbWFsbC0yNDAy")
('Model', 'mistral-small-2402')
>>> decode_cursor(encode_cursor("models", 4), "models")
4
"""

from __future__ import annotations

import base64
import binascii

__all__ = ["decode_cursor", "encode_cursor", "from_global_id", "to_global_id"]


def to_global_id(type_name: str, slug: str) -> str:
    return base64.urlsafe_b64encode(f"{type_name}:{slug}".encode()).decode().rstrip("=")


def from_global_id(global_id: str) -> tuple[str, str] | None:
    """(type name, slug) of a global id, or None when the text is not one."""
    try:
        text = base64.urlsafe_b64decode(global_id + "=" * (-len(global_id) % 4)).decode("utf-8")
    except (binascii.Error, UnicodeDecodeError, ValueError):
        return None
    type_name, sep, slug = text.partition(":")
    if not sep or not type_name.isalpha() or not type_name[:1].isupper() or not slug:
        return None
    return type_name, slug


def encode_cursor(list_name: str, offset: int) -> str:
    return base64.urlsafe_b64encode(f"{list_name}:{offset}".encode()).decode().rstrip("=")


def decode_cursor(cursor: str, list_name: str) -> int | None:
    """The offset in ``cursor``, or None when it is malformed or belongs to another list."""
    try:
        text = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode("utf-8")
    except (binascii.Error, UnicodeDecodeError, ValueError):
        return None
    name, sep, offset = text.rpartition(":")
    if not sep or name != list_name or not offset.isdigit():
        return None
    return int(offset)
