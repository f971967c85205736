-- One load of the mock section for wrk (bench/lib/wrk.mjs starts it with one thread). Environment:
--   BENCH_PATH    the path POSTed to, with a form body
--   BENCH_BODY    the body of every request; or
--   BENCH_BODIES  a file of bodies, one per line, sent in turn from line BENCH_START (0-based) on, round
--                 and round; the thread's connections share the count, so each body is sent once a turn
-- Every answer is checked: HTTP 200 with errorCode 0 (the mock answers its errors with HTTP 200). done()
-- prints one line, "BENCH_RESULT {json}", with the counts, the p99 latency and how many bodies were taken.

local path = os.getenv("BENCH_PATH")
local headers = { ["Content-Type"] = "application/x-www-form-urlencoded" }
local bodiesFile = os.getenv("BENCH_BODIES")

wrk.method = "POST"
wrk.path = path
wrk.headers = headers
wrk.body = os.getenv("BENCH_BODY")

-- Per thread (each thread runs this file in a state of its own): what done() reads with thread:get.
wrong = 0
sample = ""
taken = 0

if bodiesFile then
  -- The requests are formatted once, in init (where wrk has added the Host header to `headers`), not one
  -- per request: the generator shares the cores with the server under test, and work it does per request
  -- is taken from that server (DECISIONS 37 has what it changed in the measured latencies).
  local requests = {}
  local count = 0
  local start = tonumber(os.getenv("BENCH_START") or "0")
  init = function()
    for line in io.lines(bodiesFile) do requests[#requests + 1] = wrk.format("POST", path, headers, line) end
    count = #requests
  end
  request = function()
    local formatted = requests[(start + taken) % count + 1]
    taken = taken + 1
    return formatted
  end
end

response = function(status, _, body)
  if status ~= 200 or not string.find(body, '"errorCode"%s*:%s*0%s*[,}]') then
    wrong = wrong + 1
    if sample == "" then sample = "HTTP " .. status .. " " .. string.sub(body, 1, 300) end
  end
end

local threads = {}
function setup(thread)
  threads[#threads + 1] = thread
end

-- A Lua string as JSON text: quotes, backslashes and control characters escaped.
local function jsonString(text)
  return '"' .. string.gsub(text, '[%c"\\]', function(c) return string.format("\\u%04x", string.byte(c)) end) .. '"'
end

function done(summary, latency, _)
  local wrongs, samples, takens = 0, "", 0
  for _, thread in ipairs(threads) do
    wrongs = wrongs + thread:get("wrong")
    takens = takens + thread:get("taken")
    if samples == "" then samples = thread:get("sample") end
  end
  local e = summary.errors
  io.write(string.format(
    'BENCH_RESULT {"requests":%d,"durationUs":%d,"p99Us":%d,"connectErrors":%d,"readErrors":%d,"writeErrors":%d,' ..
      '"timeouts":%d,"wrong":%d,"taken":%d,"sample":%s}\n',
    summary.requests, summary.duration, latency:percentile(99), e.connect, e.read, e.write, e.timeout, wrongs, takens,
    jsonString(samples)))
end
