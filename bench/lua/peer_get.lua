-- wrk script (peer): GET the URL given on the command line with the session cookie PEER_COOKIE.
dofile("bench/lua/common.lua")  -- setup (thread_id) and done (the BENCH line)
function init(args)
  wrk.headers["Cookie"] = os.getenv("PEER_COOKIE")
end
