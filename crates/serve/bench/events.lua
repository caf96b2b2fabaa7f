-- wrk script: GET /v1/events with a rotating set of filters and pages, as a dashboard user would ask.
-- Usage: wrk -t2 -c50 -d30s --latency -s crates/serve/bench/events.lua http://127.0.0.1:8080
local paths = {
  "/v1/events",
  "/v1/events?type=ASSAULT",
  "/v1/events?country=IRQ",
  "/v1/events?type=PROTEST&from=2018-03&to=2018-06",
  "/v1/events?role=MIL&limit=100",
  "/v1/events?country=SYR&type=ASSAULT",
  "/v1/events?cursor=5000",
  "/v1/events?from=2018-07-01&to=2018-07-31",
}
local i = 0
request = function()
  i = i + 1
  return wrk.format("GET", paths[(i % #paths) + 1])
end

-- summary.errors.status counts answers that are not 2xx/3xx, so a run with errors cannot pass for a fast one.
done = function(summary, latency, requests)
  io.write(string.format("p50 %.2f ms, p90 %.2f ms, p99 %.2f ms, max %.2f ms\n",
    latency:percentile(50) / 1000, latency:percentile(90) / 1000, latency:percentile(99) / 1000, latency.max / 1000))
  io.write(string.format("requests %d, socket errors: connect %d read %d write %d timeout %d, non-2xx %d\n",
    summary.requests, summary.errors.connect, summary.errors.read, summary.errors.write, summary.errors.timeout,
    summary.errors.status))
end
