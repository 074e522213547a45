-- wrk script: GET the path in env BENCH_PATH with the key in env BENCH_KEY.
local key = os.getenv("BENCH_KEY")
local path = os.getenv("BENCH_PATH")
function request()
  return wrk.format("GET", path, {["Authorization"] = "Bearer " .. key})
end
