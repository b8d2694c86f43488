-- wrk script for make bench: each thread cycles through the request
-- paths of the file given after "--" (one per line), a mixed query load.
local paths = {}
local i = 0

function init(args)
    for line in io.lines(args[1]) do
        if #line > 0 and line:sub(1, 1) == "/" then
            paths[#paths + 1] = line
        end
    end
    i = math.random(#paths)
end

function request()
    i = i % #paths + 1
    return wrk.format("GET", paths[i])
end
