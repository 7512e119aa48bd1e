-- wrk script (peer): POST /api/auth/organization/create, rotating over the session cookies in
-- the file PEER_COOKIES (one per line) so no single user piles up organizations.
dofile("bench/lua/common.lua")  -- setup (thread_id) and done (the BENCH line)
local cookies = {}
local counter = 0

local origin = os.getenv("PEER_ORIGIN")

function init(args)
  started = os.time()
  for line in io.lines(os.getenv("PEER_COOKIES")) do table.insert(cookies, line) end
end

function request()
  counter = counter + 1
  -- The start time keeps slugs unique across wrk runs (warm-up and measured).
  local n = string.format("%d-%d-%d-%d", started, thread_id, counter, math.random(1e9))
  -- Headers given to wrk.format replace wrk.headers, so every one is listed here.
  local headers = {
    ["Cookie"] = cookies[(counter % #cookies) + 1],
    ["Content-Type"] = "application/json",
    ["Origin"] = origin,
  }
  local body = string.format('{"name":"Bench Org %s","slug":"bench-%s"}', n, n)
  return wrk.format("POST", "/api/auth/organization/create", headers, body)
end
