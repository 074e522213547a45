-- wrk script: a constant-rate (open-loop) load, with latency corrected for coordinated omission.
-- Wraps the script named by env BENCH_SCRIPT (its request() and setup()) and paces it at env
-- BENCH_RATE requests a second in all. Run with one connection per thread (wrk -tN -cN): each
-- connection then has its own schedule, a request every N / rate seconds at a phase of its own
-- (random), so the connections' requests arrive spread out, not N at a time.
-- A request's latency is counted from when it was due, not from when it was sent, so a server
-- that stalls is charged for the requests it kept waiting (as wrk2 does); wrk's own latency
-- figures count from the send and are not printed by done() below.
local ffi = require("ffi")
ffi.cdef [[
  typedef struct { long tv_sec; long tv_nsec; } reelflow_timespec;
  int clock_gettime(int clock, reelflow_timespec *ts);
]]
local clock = ffi.new("reelflow_timespec")
local function now_us()
  ffi.C.clock_gettime(1, clock) -- CLOCK_MONOTONIC: one clock for every thread
  return tonumber(clock.tv_sec) * 1e6 + tonumber(clock.tv_nsec) / 1e3
end

dofile(os.getenv("BENCH_SCRIPT"))
local inner_request, inner_setup = request, setup
local rate = tonumber(os.getenv("BENCH_RATE"))
local connections = tonumber(os.getenv("BENCH_CONNECTIONS"))
local threads = {}

function setup(thread)
  if inner_setup then inner_setup(thread) end
  threads[#threads + 1] = thread
end

local interval, due, phase -- this thread's (one connection's) schedule, in µs
latencies, statuses, first_due, last_done = {}, {}, nil, nil

function init()
  math.randomseed(now_us()) -- each thread its own phase
end

function request()
  if not due then
    interval = connections / rate * 1e6
    due = now_us()
    first_due, phase = due, math.random() * interval
  end
  return inner_request()
end

function response(status)
  local now = now_us()
  latencies[#latencies + 1] = now - due
  statuses[#statuses + 1] = status
  last_done = now
end

function delay()
  if not due then return 0 end -- wrk may ask before this connection's first request
  due = due + (phase or interval) -- the second request at the connection's phase, then every interval
  phase = nil
  local wait = (due - now_us()) / 1e3
  return wait > 0 and math.floor(wait) or 0
end

function done(summary)
  local all, bad, from, to = {}, 0, math.huge, 0
  for _, thread in ipairs(threads) do
    local l, s = thread:get("latencies"), thread:get("statuses")
    for i = 1, #l do
      all[#all + 1] = l[i]
      if s[i] < 200 or s[i] > 299 then bad = bad + 1 end
    end
    from = math.min(from, thread:get("first_due") or math.huge)
    to = math.max(to, thread:get("last_done") or 0)
  end
  table.sort(all)
  local function pct(p) return all[math.max(1, math.ceil(#all * p / 100))] / 1e3 end
  io.write(string.format(
    "paced: target %d/s, done %d in %.1f s (%.0f/s), non-2xx %d, from due time p50 %.1f ms, p90 %.1f ms, p99 %.1f ms, p99.9 %.1f ms, max %.1f ms\n",
    rate, #all, (to - from) / 1e6, #all / ((to - from) / 1e6), bad, pct(50), pct(90), pct(99), pct(99.9),
    all[#all] / 1e3))
end
