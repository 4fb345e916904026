"""The PDF renderer reads only the app's own static files: no network, no other files."""

import io

import pytest
from weasyprint import HTML

from policybuilder.renderers.pdf import STATIC_DIR, FetchRefused, StaticFilesFetcher

HOSTILE_URLS = [
    "file:///etc/passwd",
    "file:///proc/self/environ",
    f"file://{STATIC_DIR}/../pyproject.toml",
    f"file://{STATIC_DIR}/policy/../../manage.py",
    "file://evil.example/share/x.css",
    "http://169.254.169.254/latest/meta-data/",
    "http://[fd00:ec2::254]/latest/meta-data/",
    "http://127.0.0.1:8000/admin/",
    "https://evil.example/style.css",
    "ftp://evil.example/x",
    "data:text/css,body{}",
    f"file://{STATIC_DIR}/policy/",
]


@pytest.mark.parametrize("url", HOSTILE_URLS)
def test_fetcher_refuses_everything_but_static_files(url):
    fetcher = StaticFilesFetcher()
    with pytest.raises(FetchRefused):
        fetcher.fetch(url)
    assert fetcher.refused == [url]


def test_fetcher_serves_the_print_stylesheet():
    response = StaticFilesFetcher().fetch(f"file://{STATIC_DIR}/policy/print.css")
    assert b"@page" in response.read()
    assert response.headers["Content-Type"] == "text/css"


def test_weasyprint_never_embeds_or_fetches_hostile_resources(tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP-SECRET-CONTENT")
    html = f"""<html><head>
      <link rel="stylesheet" href="https://evil.example/x.css">
      <link rel="attachment" href="file://{secret}">
      </head><body>
      <a rel="attachment" href="file://{secret}">attach</a>
      <img src="file:///etc/passwd"><img src="http://169.254.169.254/latest/meta-data/">
      <p>Hello</p></body></html>"""
    fetcher = StaticFilesFetcher()
    data = HTML(string=html, base_url=f"file://{STATIC_DIR}/", url_fetcher=fetcher).write_pdf()
    assert b"TOP-SECRET-CONTENT" not in data and b"root:" not in data
    assert b"/EmbeddedFile" not in data
    assert set(fetcher.refused) >= {
        "https://evil.example/x.css",
        f"file://{secret}",
        "file:///etc/passwd",
        "http://169.254.169.254/latest/meta-data/",
    }
    from pypdf import PdfReader

    assert "Hello" in PdfReader(io.BytesIO(data)).pages[0].extract_text()
