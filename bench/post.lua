-- wrk script: POST the JSON body read from the file named after `--`, as a frontend sends a GraphQL query.
-- Usage: wrk -t2 -c20 -d10s --latency -s bench/post.lua http://127.0.0.1:PORT/graphql -- bench-results/bodies/model_page.json
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Accept"] = "application/json"

function init(args)
   local file = assert(io.open(args[1], "rb"), "cannot open body file " .. tostring(args[1]))
   wrk.body = file:read("*a")
   file:close()
end
