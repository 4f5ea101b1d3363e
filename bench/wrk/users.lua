-- the users of the file $WRK_USERS (one "id userName" per line), read once per wrk thread
users = {}
for line in io.lines(os.getenv("WRK_USERS")) do
  local id, name = line:match("^(%S+)%s+(%S+)$")
  if id then users[#users + 1] = { id = id, name = name } end
end
math.randomseed(os.time())
function any_user() return users[math.random(1, #users)] end
