-- wrk script: POST /v1/organizations/{id}/invitations (the path given to wrk) with a new address
-- per request, notify on (the default). The secret key comes from ORGD_BENCH_KEY.
dofile("bench/lua/common.lua")
local key = os.getenv("ORGD_BENCH_KEY")
local counter = 0

function init(args)
  counter = 0
  wrk.headers["Authorization"] = "Bearer " .. key
  wrk.headers["Content-Type"] = "application/json"
end

function request()
  counter = counter + 1
  local body = string.format('{"email_address":"guest-%d-%d-%d@bench.test","role":"org:member"}',
    thread_id, counter, math.random(1e9))
  return wrk.format("POST", nil, nil, body)
end
