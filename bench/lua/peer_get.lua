-- wrk script (peer): GET the URL given on the command line with the session cookie PEER_COOKIE.
function init(args)
  wrk.headers["Cookie"] = os.getenv("PEER_COOKIE")
end

function done(summary, latency, requests)
  io.write(string.format("BENCH errors=%d non2xx=%d\n",
    summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout,
    summary.errors.status))
end
