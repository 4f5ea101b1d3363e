-- GET /Users/{id} of a random preloaded user
dofile(os.getenv("WRK_DIR") .. "/users.lua")
local base = wrk.path

request = function()
  return wrk.format("GET", base .. "/" .. any_user().id)
end

dofile(os.getenv("WRK_DIR") .. "/summary.lua")
