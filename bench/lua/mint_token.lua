-- wrk script: POST /v1/sessions/{id}/tokens with body {} for a set of sessions, each thread and
-- request taking the next session so the connections spread over all of them. The session ids
-- come from ORGD_BENCH_SESSIONS (comma-separated), the secret key from ORGD_BENCH_KEY; the path
-- given to wrk is ignored (only its host and port count).
--
-- Every response must be a 200 whose body carries a "jwt": done() prints
--   BENCH errors=<socket errors> non2xx=<non-2xx responses> non200=<responses not 200> nojwt=<200s without a jwt>
--   BENCH p99.9=<us> max=<us>
-- and bench/tokens.sh fails the run when any count is not zero.
local key = os.getenv("ORGD_BENCH_KEY")
local sessions = {}
for id in string.gmatch(os.getenv("ORGD_BENCH_SESSIONS") or "", "[^,]+") do
  table.insert(sessions, id)
end

local threads = {}
function setup(thread)
  thread:set("thread_id", #threads)
  table.insert(threads, thread)
end

local counter = 0
non200 = 0  -- globals: done() reads them from each thread with thread:get
nojwt = 0
local requests = {}

function init(args)
  if #sessions == 0 then
    error("ORGD_BENCH_SESSIONS is empty")
  end
  counter = 0
  wrk.headers["Authorization"] = "Bearer " .. key
  wrk.headers["Content-Type"] = "application/json"
  -- One prepared request per session: request() only picks the next one.
  for i, id in ipairs(sessions) do
    requests[i] = wrk.format("POST", "/v1/sessions/" .. id .. "/tokens", nil, "{}")
  end
end

function request()
  -- Thread t starts at session t and walks through all of them.
  local i = (thread_id + counter) % #requests + 1
  counter = counter + 1
  return requests[i]
end

function response(status, headers, body)
  if status ~= 200 then
    non200 = non200 + 1
    if non200 <= 3 then
      io.stderr:write(string.format("mint_token.lua: HTTP %d: %s\n", status, string.sub(body or "", 1, 300)))
    end
  elseif not string.find(body, '"jwt":"', 1, true) then
    nojwt = nojwt + 1
  end
end

function done(summary, latency, requests)
  local bad, missing = 0, 0
  for _, thread in ipairs(threads) do
    bad = bad + thread:get("non200")
    missing = missing + thread:get("nojwt")
  end
  io.write(string.format("BENCH errors=%d non2xx=%d non200=%d nojwt=%d\n",
    summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout,
    summary.errors.status, bad, missing))
  io.write(string.format("BENCH p99.9=%d max=%d\n", latency:percentile(99.9), latency.max))
end
