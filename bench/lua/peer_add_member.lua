-- wrk script (peer): POST /bench/add-member (Better Auth's auth.api.addMember), each request
-- with a different spare user seeded as spare_<n>; thread t uses [t * span, (t + 1) * span).
dofile("bench/lua/common.lua")  -- setup (thread_id) and done (the BENCH line)
local span = tonumber(os.getenv("PEER_SPARE_SPAN"))
local org = os.getenv("PEER_ORG")
local counter = 0

function init(args)
  wrk.headers["Content-Type"] = "application/json"
end

function request()
  local n = thread_id * span + counter
  counter = counter + 1
  local body = string.format('{"userId":"spare_%d","organizationId":"%s","role":"member"}', n, org)
  return wrk.format("POST", "/bench/add-member", nil, body)
end
