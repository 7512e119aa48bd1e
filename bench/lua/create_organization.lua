-- wrk script: POST /v1/organizations with a unique name per request (so no slug ever collides).
-- The secret key comes from the environment (ORGD_BENCH_KEY).
dofile("bench/lua/common.lua")  -- setup (thread_id) and done (the BENCH line)
local key = os.getenv("ORGD_BENCH_KEY")
local counter = 0

function init(args)
  counter = 0
  wrk.headers["Authorization"] = "Bearer " .. key
  wrk.headers["Content-Type"] = "application/json"
end

function request()
  counter = counter + 1
  local body = string.format('{"name":"Bench Org %d %d %d"}', thread_id, counter, math.random(1e9))
  return wrk.format("POST", "/v1/organizations", nil, body)
end
