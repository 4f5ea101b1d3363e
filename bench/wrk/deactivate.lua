-- PATCH active false, then true on the next round, through the preloaded users in turn (Okta's deactivation)
dofile(os.getenv("WRK_DIR") .. "/users.lua")
local base = wrk.path
local sent = 0
wrk.method = "PATCH"
wrk.headers["Content-Type"] = "application/scim+json"

request = function()
  sent = sent + 1
  local user = users[(sent - 1) % #users + 1]
  local active = (math.floor((sent - 1) / #users) % 2 == 1) and "true" or "false"
  local body = '{"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],'
      .. '"Operations":[{"op":"replace","value":{"active":' .. active .. '}}]}'
  return wrk.format(nil, base .. "/" .. user.id, nil, body)
end

dofile(os.getenv("WRK_DIR") .. "/summary.lua")
