-- wrk script for bench/frontend.sh: one organization's first page of memberships and a session
-- token, through the Backend API and through the Frontend API. ORGD_BENCH_MODE picks the request:
--
--   bapi_read     GET  /v1/organizations/{org}/memberships?limit=10            Bearer secret key
--   fapi_read     GET  /v1/organizations/{org}/memberships?paginated=true&limit=10&offset=0
--                      &_clerk_session_id={sess}                               Cookie: __client, Origin
--   fapi_refresh  POST /v1/client/sessions/{sess}/tokens, organization_id={org} Cookie: __client, Origin
--   bapi_mint     POST /v1/sessions/{sess}/tokens, {}                          Bearer secret key
--
-- ORGD_BENCH_CLIENTS names a file of "<session id> <__client cookie value>" lines (one signed-in
-- browser each); each thread and request takes the next one, so the connections spread over all
-- of them. ORGD_BENCH_ORG is the organization, ORGD_BENCH_ORIGIN the app's origin, ORGD_BENCH_KEY
-- the secret key, ORGD_BENCH_MEMBERS the total_count every page must carry. The path given to wrk
-- is ignored (only its host and port count).
--
-- Every response must be a 200 with the expected body (a page with "total_count":<members>, or a
-- "jwt"): done() prints
--   BENCH errors=<socket errors> non2xx=<non-2xx responses> non200=<not 200> badbody=<200s without it>
-- and bench/frontend.sh fails the run when any count is not zero.
local mode = os.getenv("ORGD_BENCH_MODE") or ""
local org = os.getenv("ORGD_BENCH_ORG") or ""
local origin = os.getenv("ORGD_BENCH_ORIGIN") or ""
local key = os.getenv("ORGD_BENCH_KEY") or ""
local members = os.getenv("ORGD_BENCH_MEMBERS") or ""

local threads = {}
function setup(thread)
  thread:set("thread_id", #threads)
  table.insert(threads, thread)
end

local counter = 0
non200 = 0  -- globals: done() reads them from each thread with thread:get
badbody = 0
local requests = {}
local expect

function init(args)
  local clients = {}
  local file = io.open(os.getenv("ORGD_BENCH_CLIENTS") or "", "r")
  if not file then
    error("ORGD_BENCH_CLIENTS names no readable file")
  end
  for line in file:lines() do
    local sess, cookie = string.match(line, "^(%S+) (%S+)$")
    if sess then
      table.insert(clients, {sess = sess, cookie = cookie})
    end
  end
  file:close()
  if #clients == 0 then
    error("ORGD_BENCH_CLIENTS lists no client")
  end
  local page = '"total_count":' .. members .. "}"
  local bearer = {["Authorization"] = "Bearer " .. key}
  for i, c in ipairs(clients) do
    local browser = {["Cookie"] = "__client=" .. c.cookie, ["Origin"] = origin}
    if mode == "bapi_read" then
      requests[i] = wrk.format("GET", "/v1/organizations/" .. org .. "/memberships?limit=10", bearer)
      expect = page
    elseif mode == "fapi_read" then
      requests[i] = wrk.format("GET", "/v1/organizations/" .. org ..
        "/memberships?paginated=true&limit=10&offset=0&_clerk_session_id=" .. c.sess, browser)
      expect = page
    elseif mode == "fapi_refresh" then
      browser["Content-Type"] = "application/x-www-form-urlencoded"
      requests[i] = wrk.format("POST", "/v1/client/sessions/" .. c.sess .. "/tokens", browser,
        "organization_id=" .. org)
      expect = '"jwt":"'
    elseif mode == "bapi_mint" then
      bearer["Content-Type"] = "application/json"
      requests[i] = wrk.format("POST", "/v1/sessions/" .. c.sess .. "/tokens", bearer, "{}")
      bearer["Content-Type"] = nil
      expect = '"jwt":"'
    else
      error("ORGD_BENCH_MODE must be bapi_read, fapi_read, fapi_refresh or bapi_mint")
    end
  end
end

function request()
  -- Thread t starts at client t and walks through all of them.
  local i = (thread_id + counter) % #requests + 1
  counter = counter + 1
  return requests[i]
end

function response(status, headers, body)
  if status ~= 200 then
    non200 = non200 + 1
    if non200 <= 3 then
      io.stderr:write(string.format("frontend.lua %s: HTTP %d: %s\n", mode, status,
        string.sub(body or "", 1, 300)))
    end
  elseif not string.find(body, expect, 1, true) then
    badbody = badbody + 1
    if badbody <= 3 then
      io.stderr:write(string.format("frontend.lua %s: unexpected body: %s\n", mode,
        string.sub(body or "", 1, 300)))
    end
  end
end

function done(summary, latency, requests)
  local bad, wrong = 0, 0
  for _, thread in ipairs(threads) do
    bad = bad + thread:get("non200")
    wrong = wrong + thread:get("badbody")
  end
  io.write(string.format("BENCH errors=%d non2xx=%d non200=%d badbody=%d\n",
    summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout,
    summary.errors.status, bad, wrong))
end
