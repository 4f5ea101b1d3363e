-- POST /Users: a new user per request, as an IdP creates them (wrk -s create.lua)
local counter = 0
local prefix = string.format("%x%04x", os.time(), math.random(0, 65535))
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/scim+json"

request = function()
  counter = counter + 1
  local name = "wrk-" .. prefix .. "-" .. counter .. "@example.com"
  local body = '{"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"userName":"' .. name .. '",'
      .. '"name":{"givenName":"Ada","familyName":"Lovelace"},'
      .. '"emails":[{"value":"' .. name .. '","type":"work","primary":true}],"active":true}'
  return wrk.format(nil, nil, nil, body)
end

dofile(os.getenv("WRK_DIR") .. "/summary.lua")
