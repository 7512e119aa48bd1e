-- Shared by every wrk script here (loaded with dofile; bench/run.sh and bench/scale.sh run wrk from
-- the repository root): the summary line the scripts parse, and per-thread numbering.

-- Gives each thread a distinct thread_id (0, 1, …) before it starts.
local threads = {}
function setup(thread)
  thread:set("thread_id", #threads)
  table.insert(threads, thread)
end

-- Prints "BENCH errors=<socket errors> non2xx=<non-2xx responses>" for bench/run.sh.
function done(summary, latency, requests)
  io.write(string.format("BENCH errors=%d non2xx=%d\n",
    summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout,
    summary.errors.status))
end
