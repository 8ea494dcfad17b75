-- wrk script for the Gatehouse side-by-side benchmark (bench/run.sh). Configured by environment:
--   BENCH_NAME         label of the run, echoed in the result line
--   BENCH_TOKEN_FILE   if set: every request carries the next token of this file (one per line), so a
--                      proxy with a verified-token cache sees a miss per request (as long as the
--                      number of requests stays below the number of tokens; done() reports reuse)
--   BENCH_RATE         if set: fixed total request rate (req/s), paced per thread with delay()
--   BENCH_THREADS      wrk -t value (to split BENCH_RATE and the token file between threads)
--   BENCH_EXPECT_STATUS if set (e.g. 403): every response is counted by status, and those with another
--                      status as "unexpected" (bench/soak.sh: denied traffic must get exactly its 401/403)
-- done() prints one line: BENCH_JSON {...} with req/s, latency percentiles (ms) and errors.

local name = os.getenv("BENCH_NAME") or "run"
local token_file = os.getenv("BENCH_TOKEN_FILE")
local rate = tonumber(os.getenv("BENCH_RATE") or "")
local nthreads = tonumber(os.getenv("BENCH_THREADS") or "1")
local token_count = 0

local expect_status = tonumber(os.getenv("BENCH_EXPECT_STATUS") or "")
local counter = 0
local threads = {}
function setup(thread)
   thread:set("id", counter)
   counter = counter + 1
   threads[counter] = thread
end

if expect_status then
   unexpected, statuses = 0, {}
   function response(status, headers, body)
      statuses[status] = (statuses[status] or 0) + 1
      if status ~= expect_status then unexpected = unexpected + 1 end
   end
end

if token_file and token_file ~= "" then
   -- main state: count tokens, for the reuse warning in done()
   for _ in io.lines(token_file) do token_count = token_count + 1 end
   local tokens, n, pos
   function init(args)
      tokens, n = {}, 0
      local i = 0
      for line in io.lines(token_file) do
         if i % nthreads == (id or 0) then
            n = n + 1
            tokens[n] = line
         end
         i = i + 1
      end
      pos = 0
   end
   function request()
      pos = pos % n + 1
      wrk.headers["Authorization"] = "Bearer " .. tokens[pos]
      return wrk.format(nil, nil, wrk.headers)
   end
end

-- milliseconds on the monotonic clock (wrk's LuaJIT has no clock of its own finer than os.time);
-- a global, so that scripts loading this one (gaps.lua) use the same clock
do
   local ffi = require("ffi")
   ffi.cdef[[
      typedef struct { long tv_sec; long tv_nsec; } bench_timespec;
      int clock_gettime(int clk, bench_timespec *tp);
   ]]
   local ts = ffi.new("bench_timespec")
   function bench_mono_ms()
      ffi.C.clock_gettime(1, ts) -- CLOCK_MONOTONIC
      return tonumber(ts.tv_sec) * 1000 + tonumber(ts.tv_nsec) / 1e6
   end
end

if rate then
   local now_ms = bench_mono_ms
   local interval = 1000 * nthreads / rate
   local next_t
   -- one schedule per thread: each send takes the next slot; a slot already past is not made up
   -- for later (no catch-up bursts), so the achieved rate is reported, not assumed
   function delay()
      local now = now_ms()
      if not next_t or next_t < now then next_t = now end
      next_t = next_t + interval
      return math.floor(next_t - now)
   end
end

-- with BENCH_EXPECT_STATUS: ',"unexpected":N,"statuses":{"403":N,...}' summed over the threads
local function status_json()
   if not expect_status then return "" end
   local total_unexpected, all = 0, {}
   for _, t in ipairs(threads) do
      total_unexpected = total_unexpected + (t:get("unexpected") or 0)
      for k, v in pairs(t:get("statuses") or {}) do all[k] = (all[k] or 0) + v end
   end
   local parts = {}
   for k, v in pairs(all) do parts[#parts + 1] = string.format('"%d":%d', k, v) end
   return string.format(',"expect_status":%d,"unexpected":%d,"statuses":{%s}', expect_status, total_unexpected,
      table.concat(parts, ","))
end

function done(summary, latency, requests)
   local e = summary.errors
   local secs = summary.duration / 1e6
   local reused = 0
   if token_count > 0 and summary.requests > token_count then reused = summary.requests - token_count end
   io.write(string.format(
      'BENCH_JSON {"name":"%s","requests":%d,"seconds":%.3f,"rps":%.1f,' ..
      '"p50_ms":%.3f,"p90_ms":%.3f,"p99_ms":%.3f,"p999_ms":%.3f,"max_ms":%.3f,"mean_ms":%.3f,' ..
      '"non2xx":%d,"err_connect":%d,"err_read":%d,"err_write":%d,"err_timeout":%d,' ..
      '"target_rps":%s,"tokens":%d,"tokens_reused":%d%s}\n',
      name, summary.requests, secs, summary.requests / secs,
      latency:percentile(50) / 1000, latency:percentile(90) / 1000, latency:percentile(99) / 1000,
      latency:percentile(99.9) / 1000, latency.max / 1000, latency.mean / 1000,
      e.status, e.connect, e.read, e.write, e.timeout,
      rate and string.format("%.1f", rate) or "null", token_count, reused, status_json()))
end
