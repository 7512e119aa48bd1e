-- wrk script (peer): POST /bench/add-member (Better Auth's auth.api.addMember), each request
-- with a different spare user seeded as spare_<n>; thread t uses [t * span, (t + 1) * span).
local span = tonumber(os.getenv("PEER_SPARE_SPAN"))
local org = os.getenv("PEER_ORG")
local threads = {}
local counter = 0

function setup(thread)
  thread:set("thread_id", #threads)
  table.insert(threads, thread)
end

function init(args)
  wrk.headers["Content-Type"] = "application/json"
end

function request()
  local n = thread_id * span + counter
  counter = counter + 1
  local body = string.format('{"userId":"spare_%d","organizationId":"%s","role":"member"}', n, org)
  return wrk.format("POST", "/bench/add-member", nil, body)
end

function done(summary, latency, requests)
  io.write(string.format("BENCH errors=%d non2xx=%d\n",
    summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout,
    summary.errors.status))
end
