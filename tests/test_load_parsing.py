"""The load benchmark's pure parts: reading wrk's output (with the figures our Lua script prints) and
judging a row against the issue's targets. No frappe, no wrk needed."""

import pytest

from selfservice_portal.benchmarks.load import (
	LUA_SCRIPT,
	Result,
	mean_result,
	parse_wrk_output,
	summary_lines,
	verdicts,
)

WRK_OUTPUT = """Running 5s test @ http://127.0.0.1:41234/self-service
  1 threads and 16 connections
  Thread Stats   Avg      Stdev     Max   +/- Stdev
    Latency     2.11s   565.58ms   4.55s    72.20%
  40 requests in 5.00s, 704.90KB read
  Non-2xx or 3xx responses: 2
Requests/sec:      8.00
Transfer/sec:    140.98KB
LOAD requests 40
LOAD duration_us 5000000
LOAD non2xx 2
LOAD last_non2xx_status 302
LOAD socket_errors 1
LOAD p50_us 2070000
LOAD p95_us 3086000
LOAD p99_us 3744500
"""


def result(rps: float, p50: float = 100.0, p99: float = 150.0, errors: int = 0) -> Result:
	return Result(rps, p50, p50 * 1.2, p99, errors, 302 if errors else 0)


def test_parse_reads_the_lua_figures():
	parsed = parse_wrk_output(WRK_OUTPUT)
	assert parsed.requests_per_s == pytest.approx(8.0)
	assert (parsed.p50_ms, parsed.p95_ms, parsed.p99_ms) == pytest.approx((2070.0, 3086.0, 3744.5))
	# Non-2xx answers (here redirects to /login) and socket errors both count.
	assert parsed.errors == 3
	assert parsed.last_error_status == 302


def test_parse_ignores_wrk_lines_and_fails_without_the_script_figures():
	with pytest.raises(ValueError, match="p99_us"):
		parse_wrk_output("\n".join(line for line in WRK_OUTPUT.splitlines() if "p99_us" not in line))
	with pytest.raises(ValueError):
		parse_wrk_output("Requests/sec: 8.00\n")


def test_the_lua_script_prints_every_figure_parsed():
	for key in ("requests", "duration_us", "non2xx", "last_non2xx_status", "socket_errors"):
		assert f'"LOAD {key} %d' in LUA_SCRIPT
	assert '"LOAD p%d_us %d' in LUA_SCRIPT
	assert "function response(status" in LUA_SCRIPT  # 3xx counted, not only wrk's >= 400


def test_verdicts_apply_the_floor_errors_and_the_tail():
	assert verdicts(result(95.0), 100.0, 0.95) == {"ratio": True, "errors": True, "tail": True}
	assert verdicts(result(94.0), 100.0, 0.95)["ratio"] is False
	assert verdicts(result(99.0), 100.0, 1.0)["ratio"] is False
	assert verdicts(result(200.0, errors=1), 100.0, 1.0)["errors"] is False
	assert verdicts(result(200.0, p50=100.0, p99=200.0), 100.0, 1.0)["tail"] is True
	assert verdicts(result(200.0, p50=100.0, p99=201.0), 100.0, 1.0)["tail"] is False
	assert verdicts(result(10.0), 0.0, 0.95)["ratio"] is False  # no baseline, no claim


def test_mean_of_two_baseline_runs():
	mean = mean_result(result(10.0, p50=100.0, p99=180.0), result(20.0, p50=200.0, p99=220.0, errors=2))
	assert mean.requests_per_s == pytest.approx(15.0)
	assert (mean.p50_ms, mean.p99_ms) == pytest.approx((150.0, 200.0))
	assert (mean.errors, mean.last_error_status) == (2, 302)


def test_summary_names_the_rows_that_missed():
	lines = summary_lines(
		[
			("/polls @16", {"ratio": True, "errors": True, "tail": True}),
			("/contests @64", {"ratio": False, "errors": True, "tail": False}),
		]
	)
	assert lines == [
		"throughput ratio: met by 1 of 2; not by /contests @64",
		"0 errors: met by 2 of 2",
		"p99 ≤ 2x p50: met by 1 of 2; not by /contests @64",
	]
