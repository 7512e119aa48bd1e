-- wrk script: GET the URL given on the command line with the bench secret key.
dofile("bench/lua/common.lua")  -- setup (thread_id) and done (the BENCH line)
local key = os.getenv("ORGD_BENCH_KEY")

function init(args)
  wrk.headers["Authorization"] = "Bearer " .. key
end
