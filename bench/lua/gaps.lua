-- Diagnostic wrapper of bench.lua (bench/tail.sh): the same run, plus a log of every pause in response
-- completions longer than GAP_MS (default 1.5): "<CLOCK_MONOTONIC ms of the last completion before it>
-- <pause ms> <responses so far>" per line, in GAP_FILE.<thread id>. The JVM's -Xlog decorator `tn`
-- and `perf sched record -k CLOCK_MONOTONIC` use the same clock, so a pause can be laid beside the GC
-- and safepoint log and beside what ran on the proxy's core. Defining response() makes wrk hand every
-- response to Lua, which costs wrk CPU: a diagnostic run, not a figure for the report.
dofile(os.getenv("BENCH_LUA"))
local mono_ms = bench_mono_ms -- bench.lua's monotonic clock
local gap_ms = tonumber(os.getenv("GAP_MS") or "1.5")
local last, f, n
local bench_init = init
function init(args)
   if bench_init then bench_init(args) end
   f = io.open(os.getenv("GAP_FILE") .. "." .. tostring(id or 0), "w")
   n = 0
end
function response(status, headers, body)
   local now = mono_ms()
   n = n + 1
   if last and now - last > gap_ms then
      f:write(string.format("%.3f %.3f %d\n", last, now - last, n))
      f:flush() -- wrk does not close Lua states at exit
   end
   last = now
end
