-- wrk script: POST /v1/organizations/{add org}/memberships, each request with a different spare
-- user seeded by orgd-bench-seed (user_<1000000000 + n>). Thread t uses the spare users
-- [t * span, (t + 1) * span); span comes from ORGD_BENCH_SPARE_SPAN. Run it once per database.
local key = os.getenv("ORGD_BENCH_KEY")
local span = tonumber(os.getenv("ORGD_BENCH_SPARE_SPAN"))
local threads = {}
local counter = 0

function setup(thread)
  thread:set("thread_id", #threads)
  table.insert(threads, thread)
end

function init(args)
  counter = 0
  wrk.headers["Authorization"] = "Bearer " .. key
  wrk.headers["Content-Type"] = "application/json"
end

function request()
  local n = 1000000000 + thread_id * span + counter
  counter = counter + 1
  local body = string.format('{"user_id":"user_%027d","role":"org:member"}', n)
  return wrk.format("POST", nil, nil, body)
end

function done(summary, latency, requests)
  io.write(string.format("BENCH errors=%d non2xx=%d\n",
    summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout,
    summary.errors.status))
end
