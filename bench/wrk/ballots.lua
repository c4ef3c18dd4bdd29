-- Complete Council ballots over the HTTP API, for wrk (the work bench/api_load does, driven
-- by wrk's event loop instead of Poco client threads). Run through bench/api_wrk, which starts
-- the server and passes the tokens; one connection per wrk thread (-t N -c N), so a thread's
-- requests and responses alternate and its globals are that connection's ballot:
--
--   1. POST /api/v1/ballots as the secretariat (201), the ballot's id read from the answer;
--   2. POST /api/v1/instances/{id}/events, a "vote" by each of the five Council members with
--      their own token (200); the fifth answer must show the ballot "approved".
--
-- A ballot counts when its fifth vote has been answered "approved"; anything else (another
-- status, no id, another state) is an error and the thread starts a new ballot.

local threads = {}

function setup(thread)
  table.insert(threads, thread)
end

local sec, council, deadline
local phase, id, n = 0, nil, 0
ballots, errors, first_error = 0, 0, ""

local function env(name)
  local v = os.getenv(name)
  if v == nil or v == "" then error(name .. " is not set (run this script through bench/api_wrk)") end
  return v
end

function init(args)
  sec = "Bearer " .. env("RSOFLOW_LOAD_SEC_TOKEN")
  council = {}
  for i = 1, 5 do council[i] = "Bearer " .. env("RSOFLOW_LOAD_COUNCIL_TOKEN_" .. i) end
  deadline = env("RSOFLOW_LOAD_DEADLINE")
end

function request()
  if phase == 0 then
    n = n + 1
    local body = '{"title":"Load ballot ' .. n .. '","question":"Approve the budget?","deadline":"'
        .. deadline .. '"}'
    return wrk.format("POST", "/api/v1/ballots",
        { ["Authorization"] = sec, ["Content-Type"] = "application/json" }, body)
  end
  return wrk.format("POST", "/api/v1/instances/" .. id .. "/events",
      { ["Authorization"] = council[phase], ["Content-Type"] = "application/json" },
      '{"event":"vote","data":{"choice":"approve"}}')
end

local function fail(what, status, body)
  errors = errors + 1
  if first_error == "" then first_error = what .. ": " .. status .. " " .. body:sub(1, 300) end
  phase = 0
end

function response(status, headers, body)
  if phase == 0 then
    -- The instance's own "id" comes first (keys are sorted; no nested key is spelled "id").
    id = status == 201 and body:match('"id":"(%d+)"') or nil
    if id == nil then return fail("create", status, body) end
    phase = 1
  elseif status ~= 200 then
    fail("vote", status, body)
  elseif phase == 5 then
    if body:find('"state":"approved"', 1, true) == nil then
      return fail("fifth vote", status, body)
    end
    ballots = ballots + 1
    phase = 0
  else
    phase = phase + 1
  end
end

function done(summary, latency, requests)
  local b, e, first = 0, 0, ""
  for _, t in ipairs(threads) do
    b = b + t:get("ballots")
    e = e + t:get("errors")
    if first == "" then first = t:get("first_error") end
  end
  local seconds = summary.duration / 1e6
  io.write(string.format("  ballots/s  %9.0f   (%d complete ballots)\n", b / seconds, b))
  io.write(string.format("  requests/s %9.0f\n", summary.requests / seconds))
  io.write(string.format("  all        %9d requests   p50 %7.2f ms   p99 %7.2f ms   max %7.2f ms\n",
      summary.requests, latency:percentile(50) / 1000, latency:percentile(99) / 1000,
      latency.max / 1000))
  local transport = summary.errors.connect + summary.errors.read + summary.errors.write
      + summary.errors.timeout
  -- A status other than the expected one is counted by the script (wrk counts it too).
  io.write(string.format("  errors     %9d%s\n", e + transport,
      first ~= "" and ("   first: " .. first) or ""))
end
