"""Writing a zip whose members are encrypted as ``zip -P`` encrypts them (the traditional
PKWARE cipher, "ZipCrypto"), which the platform's report job uses for each MDO's zip.

Python's :mod:`zipfile` reads such members (``pwd=``) but cannot write them, and the
libraries that write encrypted zips write AES, which the platform does not; so the demo,
to hand users a zip as the platform sends it, writes one here: deflated members, the
cipher of APPNOTE.TXT section 6.1, and the zip records of section 4.3. Only the demo and
the tests write with it; every zip is read by :mod:`zipfile`."""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import struct
import zlib
from collections.abc import Mapping
from pathlib import Path

from karmayogi._atomic import write_bytes_atomically

__all__ = ["write_encrypted_zip"]


def _crc_table() -> list[int]:
    table = []
    for byte in range(256):
        crc = byte
        for _ in range(8):
            crc = (crc >> 1) ^ 0xEDB88320 if crc & 1 else crc >> 1
        table.append(crc)
    return table


_CRC = _crc_table()


def _encrypted(data: bytes, password: bytes, check: int, salt: bytes) -> bytes:
    """``data`` encrypted, after the 12-byte header: 11 bytes of ``salt``, then ``check``."""
    crc = _CRC
    k0, k1, k2 = 0x12345678, 0x23456789, 0x34567890
    out = bytearray()
    header = salt[:11] + bytes([check])
    for index, plain in enumerate(password + header + data):
        if index >= len(password):
            temp = (k2 | 2) & 0xFFFF
            out.append(plain ^ (((temp * (temp ^ 1)) >> 8) & 0xFF))
        k0 = (k0 >> 8) ^ crc[(k0 ^ plain) & 0xFF]
        k1 = ((k1 + (k0 & 0xFF)) * 134775813 + 1) & 0xFFFFFFFF
        k2 = (k2 >> 8) ^ crc[(k2 ^ (k1 >> 24)) & 0xFF]
    return bytes(out)


def write_encrypted_zip(
    path: str | os.PathLike[str],
    members: Mapping[str, bytes],
    password: str,
    *,
    made: dt.datetime | None = None,
) -> Path:
    """Write ``members`` (name to bytes) into a zip at ``path``, each deflated and
    encrypted with ``password`` as ``zip -P`` does; written whole or not at all.

    With ``made`` (the members' time), the same members give the same bytes: each
    member's header salt is drawn from its content instead of at random (it only needs
    to differ between members: the data are the demo's, and public)."""
    key = password.encode("utf-8")
    stamp = made or dt.datetime.now()  # noqa: DTZ005 - a zip's times are the local clock's
    dos_time = stamp.hour << 11 | stamp.minute << 5 | stamp.second // 2
    dos_date = (stamp.year - 1980) << 9 | stamp.month << 5 | stamp.day
    body, directory = bytearray(), bytearray()
    for name, data in members.items():
        title = name.encode("utf-8")
        crc = zlib.crc32(data)
        packer = zlib.compressobj(9, zlib.DEFLATED, -15)
        salt = os.urandom(11) if made is None else hashlib.sha256(title + data).digest()
        packed = _encrypted(packer.compress(data) + packer.flush(), key, crc >> 24, salt)
        # version 2.0, flags: encrypted (bit 0) and UTF-8 names (bit 11), deflated
        fields = (20, 0x0801, 8, dos_time, dos_date, crc, len(packed), len(data), len(title))
        offset = len(body)
        body += struct.pack("<IHHHHHIIIHH", 0x04034B50, *fields, 0) + title + packed
        directory += (
            struct.pack(
                "<IHHHHHHIIIHHHHHII", 0x02014B50, 20, *fields, 0, 0, 0, 0, 0o100644 << 16, offset
            )
            + title
        )
    end = struct.pack(
        "<IHHHHIIH", 0x06054B50, 0, 0, len(members), len(members), len(directory), len(body), 0
    )
    return write_bytes_atomically(path, bytes(body + directory + end))
