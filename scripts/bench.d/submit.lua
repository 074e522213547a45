-- wrk script: POST /v1/videos with a distinct ordinary ad prompt each time, spread over the keys
-- in the file named by env BENCH_KEYS (one per line).
local keys = {}
for line in io.lines(os.getenv("BENCH_KEYS")) do keys[#keys + 1] = line end
local products = {"coffee", "running shoes", "tea", "bikes", "bakery", "skin care", "headphones", "pizza"}
local counter = 0
local thread_id = 0

function setup(thread)
  thread_id = thread_id + 1
  thread:set("tid", thread_id)
end

function request()
  counter = counter + 1
  if counter % 10000 == 1488 then counter = counter + 1 end -- "1488" is a hate code: moderation blocks it (422)
  local key = keys[(counter * 7 + (tid or 1)) % #keys + 1]
  local body = string.format(
    '{"prompt": "A %d-second ad for %s, take %d-%d", "duration_seconds": 15, "cache": "off"}',
    15, products[counter % #products + 1], tid or 1, counter)
  return wrk.format("POST", "/v1/videos", {
    ["Authorization"] = "Bearer " .. key,
    ["Content-Type"] = "application/json"}, body)
end
