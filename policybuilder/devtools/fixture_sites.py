"""Small websites served on 127.0.0.1 for the site-scan tests and the benchmark, each on its own port.

The hosts of real services (connect.facebook.net, js.stripe.com …) cannot be reached from the
test machine: their requests fail at the scanner's proxy, which cannot resolve them. The scan
still sees them, because it records what the browser tries to fetch; the tests rely on that.
A site's pages live in a dict, so a test can change the site between two scans.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


@dataclass
class Page:
    body: str = ""
    status: int = 200
    headers: dict[str, str] = field(default_factory=dict)
    content_type: str = "text/html; charset=utf-8"


def html(title: str, body: str, head: str = "") -> str:
    return (
        f'<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>{title}</title>{head}</head>'
        f"<body>{body}</body></html>"
    )


class FixtureSite:
    """``with FixtureSite(pages) as site:`` serves ``pages`` (path → Page) at ``site.url``."""

    def __init__(self, pages: dict[str, Page]) -> None:
        self.pages = pages
        self.hits: list[str] = []
        self.connection_headers: list[str] = []  # "close" when the request came through the scan proxy
        site = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:  # noqa: N802 -- http.server's name
                site.hits.append(self.path)
                site.connection_headers.append(self.headers.get("Connection", ""))
                page = site.pages.get(self.path.split("?")[0])
                if page is None:
                    page = Page(html("Not found", "<h1>Not found</h1>"), status=404)
                body = page.body.encode()
                self.send_response(page.status)
                self.send_header("Content-Type", page.content_type)
                self.send_header("Content-Length", str(len(body)))
                for name, value in page.headers.items():
                    for one in value.split("\n"):
                        self.send_header(name, one)
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args: object) -> None:
                pass

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self._server.server_address[1]}/"

    def __enter__(self) -> FixtureSite:
        threading.Thread(target=self._server.serve_forever, daemon=True).start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._server.shutdown()
        self._server.server_close()


_SHOP_NAV = (
    '<nav><a href="/products">Products</a> <a href="/blog">Blog</a> <a href="/login">Sign in</a> '
    '<a href="/checkout">Checkout</a> <a href="/privacy">Privacy policy</a> '
    '<a href="/catalog.pdf">Catalog (PDF)</a> <a href="https://elsewhere.example/">Partner</a></nav>'
)
_SHOP_TRACKING = (
    '<script async src="https://www.googletagmanager.com/gtag/js?id=G-TEST123"></script>'
    '<script async src="https://connect.facebook.net/en_US/fbevents.js"></script>'
    "<script>"
    'document.cookie = "_ga=GA1.1.12345.67890; max-age=34190000; path=/";'
    'document.cookie = "_fbp=fb.1.123.456; max-age=7776000; path=/";'
    'try { localStorage.setItem("shop_recently_viewed", "[]"); } catch (e) {}'
    "</script>"
)


def shop_pages() -> dict[str, Page]:
    """A shop that loads analytics and advertising scripts, sets their cookies (by Set-Cookie and by
    script), and has newsletter, login and checkout forms; /about is reachable only by its sitemap."""
    session = {
        "Set-Cookie": "sessionid=abc123; HttpOnly; Path=/; SameSite=Lax\ncart=0; Max-Age=604800; Path=/"
    }
    return {
        "/": Page(html("Juniper Shop", _SHOP_NAV + "<h1>Welcome</h1>", _SHOP_TRACKING), headers=session),
        "/products": Page(html("Products", _SHOP_NAV + "<h1>Mugs</h1>", _SHOP_TRACKING)),
        "/blog": Page(
            html(
                "Blog",
                _SHOP_NAV + '<h1>Blog</h1><form action="/subscribe" method="post"><h2>Get our newsletter</h2>'
                '<label>Email <input type="email" name="email"></label><button>Subscribe</button></form>',
                _SHOP_TRACKING,
            )
        ),
        "/login": Page(
            html(
                "Sign in",
                _SHOP_NAV + '<form method="post" aria-label="Sign in"><input type="email" name="email">'
                '<input type="password" name="password"><button>Sign in</button></form>',
            )
        ),
        "/checkout": Page(
            html(
                "Checkout",
                _SHOP_NAV + '<form method="post"><h2>Pay</h2><input name="full_name" autocomplete="name">'
                '<input name="street" autocomplete="street-address"><input name="phone" type="tel">'
                '<input name="cardnumber" autocomplete="cc-number"><button>Pay now</button></form>',
                '<script src="https://js.stripe.com/v3/"></script>',
            )
        ),
        "/privacy": Page(html("Privacy", _SHOP_NAV + "<h1>Privacy policy</h1>")),
        "/about": Page(html("About", "<h1>About us</h1>")),
        "/sitemap.xml": Page(
            '<?xml version="1.0"?><urlset><url><loc>/about</loc></url></urlset>',
            content_type="application/xml",
        ),
    }


def brochure_pages() -> dict[str, Page]:
    """A brochure site: two pages, no cookies, nothing from elsewhere, no privacy link."""
    return {
        "/": Page(html("Oak Dental", '<h1>Oak Dental</h1><a href="/about">About</a>')),
        "/about": Page(html("About", "<h1>About</h1>")),
    }


def unknown_tracker_pages() -> dict[str, Page]:
    return {
        "/": Page(
            html(
                "Blog",
                '<h1>Blog</h1><a href="/privacy">Privacy</a>',
                '<script src="https://cdn.unknown-tracker.example/t.js"></script>',
            )
        ),
    }


def bench_pages() -> dict[str, Page]:
    """The shop grown to the ten pages a scan visits at most (the benchmark's site): its own pages,
    plus product and help pages linked from the home page, so the crawl reaches the limit."""
    pages = shop_pages()
    more = ["/products/mug", "/products/teapot", "/help"]
    for path in more:
        title = path.rsplit("/", 1)[-1].title()
        pages[path] = Page(html(title, _SHOP_NAV + f"<h1>{title}</h1>", _SHOP_TRACKING))
    home = pages["/"]
    links = "".join(f'<a href="{path}">{path}</a> ' for path in more)
    body = home.body.replace("<h1>Welcome</h1>", f"<h1>Welcome</h1>{links}")
    pages["/"] = Page(body, headers=home.headers)
    return pages
