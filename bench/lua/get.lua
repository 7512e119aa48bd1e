-- wrk script: GET the URL given on the command line with the bench secret key.
local key = os.getenv("ORGD_BENCH_KEY")

function init(args)
  wrk.headers["Authorization"] = "Bearer " .. key
end

function done(summary, latency, requests)
  io.write(string.format("BENCH errors=%d non2xx=%d\n",
    summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout,
    summary.errors.status))
end
