"""The benchmark reads wrk's report correctly (units, percentiles, every kind of error)."""

from policybuilder.devtools.management.commands.bench import parse_wrk

REPORT = """Running 5s test @ http://127.0.0.1:40111/d/abc/step/organization/
  2 threads and 16 connections
  Thread Stats   Avg      Stdev     Max   +/- Stdev
    Latency    21.03ms    4.10ms  61.20ms   88.00%
    Req/Sec   383.12     40.55   460.00     72.00%
  Latency Distribution
     50%  {p50}
     75%   22.80ms
     90%   25.01ms
     99%  {p99}
  3830 requests in 5.01s, 89.16MB read
{errors}Requests/sec:    764.47
Transfer/sec:     17.80MB
"""


def test_figures_and_units_are_read_as_milliseconds():
    report = REPORT.format(p50="850.00us", p99="1.20s", errors="")
    assert parse_wrk(report) == (764.47, 0.85, 1200.0, 0)


def test_non_2xx_responses_and_socket_errors_count_as_errors():
    errors = "  Socket errors: connect 0, read 2, write 1, timeout 3\n  Non-2xx or 3xx responses: 7\n"
    assert parse_wrk(REPORT.format(p50="20.21ms", p99="28.11ms", errors=errors)) == (764.47, 20.21, 28.11, 13)
