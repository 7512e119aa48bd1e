-- wrk script: POST /v1/organizations/{add org}/memberships, each request with a different spare
-- user seeded by `orgd seed` (user_<1000000000 + n>). Thread t uses the spare users
-- offset + [t * span, (t + 1) * span); span comes from ORGD_BENCH_SPARE_SPAN, offset from
-- ORGD_BENCH_SPARE_OFFSET (default 0; wrk processes running together use disjoint offsets). Run
-- it once per database.
dofile("bench/lua/common.lua")  -- setup (thread_id) and done (the BENCH line)
local key = os.getenv("ORGD_BENCH_KEY")
local span = tonumber(os.getenv("ORGD_BENCH_SPARE_SPAN"))
local offset = tonumber(os.getenv("ORGD_BENCH_SPARE_OFFSET") or "0")
local counter = 0

function init(args)
  counter = 0
  wrk.headers["Authorization"] = "Bearer " .. key
  wrk.headers["Content-Type"] = "application/json"
end

function request()
  local n = 1000000000 + offset + thread_id * span + counter
  counter = counter + 1
  local body = string.format('{"user_id":"user_%027d","role":"org:member"}', n)
  return wrk.format("POST", nil, nil, body)
end
