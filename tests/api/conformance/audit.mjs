// The GraphQL-over-HTTP reference audit (graphql-http's serverAudits) against a running server.
// Usage: node audit.mjs <url>; prints one JSON object: {"ok": n, "warn": [...], "error": [...], "notice": [...]}.
import { createRequire } from "node:module";
import path from "node:path";

const require = createRequire(path.resolve(process.env.GRAPHQL_HTTP_PREFIX ?? ".ci/node", "node_modules") + "/");
const { auditServer } = require("graphql-http");

const url = process.argv[2];
const results = await auditServer({ url });
const summary = { ok: 0, warn: [], error: [], notice: [] };
for (const result of results) {
  if (result.status === "ok") summary.ok += 1;
  else summary[result.status].push({ id: result.id, name: result.name, reason: result.reason });
}
console.log(JSON.stringify(summary));
