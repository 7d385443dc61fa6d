-- wrk script for the ingest scenario: each thread cycles through its own share of the signed
-- requests written by signed_events (so no two requests carry the same event_id), and done()
-- prints one machine-readable line for run.sh.
local file = nil
local threads = {}
local count = 0

function setup(thread)
  thread:set("index", #threads)
  table.insert(threads, thread)
end

function init(args)
  file = args[1]
  local step = tonumber(args[2] or "1")
  requests = {}
  local n = 0
  for line in io.lines(file) do
    if n % nthreads_total() == index then
      local ts, sig, body = line:match("^(%d+)\t([^\t]+)\t(.*)$")
      requests[#requests + 1] = wrk.format("POST", "/slack/events", {
        ["Content-Type"] = "application/json",
        ["X-Slack-Request-Timestamp"] = ts,
        ["X-Slack-Signature"] = sig,
      }, body)
    end
    n = n + 1
  end
  cursor = 0
end

function nthreads_total()
  return tonumber(os.getenv("WRK_THREADS") or "1")
end

function request()
  cursor = cursor + 1
  if cursor > #requests then cursor = 1 end
  return requests[cursor]
end

function done(summary, latency, requests)
  local seconds = summary.duration / 1e6
  local e = summary.errors
  io.write(string.format("RESULT rps=%.1f p50=%.3f p99=%.3f max=%.3f requests=%d non2xx=%d errors=%d\n",
    summary.requests / seconds, latency:percentile(50) / 1000, latency:percentile(99) / 1000,
    latency.max / 1000, summary.requests, e.status, e.connect + e.read + e.write + e.timeout))
end
