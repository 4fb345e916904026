"""How Debian's Chromium is started by the benchmark and by the browser tests."""

# One list for both, so the benchmark's print-to-PDF figures come from the browser the tests use:
# no sandbox (containers run as root), and nothing that reaches the network on its own.
CHROMIUM_ARGS: list[str] = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
