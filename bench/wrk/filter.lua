-- GET /Users?filter=userName eq "..." of a random preloaded user, as Okta looks a user up
dofile(os.getenv("WRK_DIR") .. "/users.lua")
local base = wrk.path

request = function()
  return wrk.format("GET", base .. "?filter=userName%20eq%20%22" .. any_user().name .. "%22")
end

dofile(os.getenv("WRK_DIR") .. "/summary.lua")
