"""A logging filter that masks ID numbers and mobile numbers in every record."""

import logging
import re

from .validators import mask_id_number, mask_mobile

ID_RE = re.compile(r"(?<![0-9A-Za-z])\d{17}[\dXx](?![0-9A-Za-z])")
MOBILE_RE = re.compile(r"(?<!\d)1[3-9]\d{9}(?!\d)")


def scrub(text: str) -> str:
    text = ID_RE.sub(lambda m: mask_id_number(m.group(0)), text)
    return MOBILE_RE.sub(lambda m: mask_mobile(m.group(0)), text)


class ScrubPersonalDataFilter(logging.Filter):
    """Rewrite a record's message so no full ID number or phone reaches a log."""

    def filter(self, record):
        message = record.getMessage()
        cleaned = scrub(message)
        if cleaned != message:
            record.msg, record.args = cleaned, None
        return True
