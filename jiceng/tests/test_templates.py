"""Templates obey the Content-Security-Policy (`script-src 'self'`): a browser runs no
inline script, so a page that relies on one silently loses its behaviour."""

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
INLINE_SCRIPT = re.compile(
    r"<script(?![^>]*\bsrc=)(?![^>]*type=\"application/json\")[^>]*>"
)


def test_no_template_has_an_inline_script():
    # given every template of every app, when their <script> tags are read,
    # then each loads a file (data islands in application/json are not scripts)
    inline = [
        f"{path.relative_to(ROOT)}"
        for path in sorted(ROOT.rglob("templates/**/*.html"))
        if INLINE_SCRIPT.search(path.read_text(encoding="utf-8"))
    ]
    assert not inline, inline
