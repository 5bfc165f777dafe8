// The one way the explorer talks to the service: persisted queries by hash, sent as GET (ETag / 304 / CDN caching).
import { useEffect, useState } from "preact/hooks";
import { documents } from "./generated/documents.js";

const results = new Map(); // key -> data, this page's session: back and forth is instant
const MAX_RESULTS = 300;

export class ApiError extends Error {
  constructor(message, code) {
    super(message);
    this.code = code;
  }
}

function keyOf(name, variables) {
  return name + " " + JSON.stringify(variables || {});
}

const pending = new Map(); // key -> promise of a request in flight: a prefetch and the page share one request

export function gql(name, variables = {}) {
  const key = keyOf(name, variables);
  if (results.has(key)) return Promise.resolve(results.get(key));
  if (!pending.has(key)) pending.set(key, send(name, variables, key).finally(() => pending.delete(key)));
  return pending.get(key);
}

async function send(name, variables, key) {
  const sha256Hash = documents[name];
  if (!sha256Hash) throw new ApiError(`unknown operation ${name}`, "CLIENT");
  const params = new URLSearchParams({ operationName: name });
  if (Object.keys(variables).length) params.set("variables", JSON.stringify(variables));
  params.set("extensions", JSON.stringify({ persistedQuery: { version: 1, sha256Hash } }));
  let response;
  try {
    response = await fetch("/graphql?" + params, { headers: { accept: "application/json", "apollo-require-preflight": "1" } });
  } catch (e) {
    throw new ApiError("The service cannot be reached. Check your connection and retry.", "NETWORK");
  }
  let body = null;
  try {
    body = await response.json();
  } catch (e) {
    throw new ApiError(`The service answered HTTP ${response.status} without a GraphQL body.`, "HTTP_" + response.status);
  }
  const errors = body.errors || [];
  const fatal = errors.find((e) => e.extensions && e.extensions.code !== "NOT_FOUND") || (!body.data && errors[0]);
  if (fatal) throw new ApiError(fatal.message, (fatal.extensions && fatal.extensions.code) || "ERROR");
  if (results.size >= MAX_RESULTS) results.delete(results.keys().next().value);
  results.set(key, body.data);
  return body.data;
}

// {loading, data, error, retry}; a result already held is shown at once, without a loading flash.
export function useQuery(name, variables, enabled = true) {
  const key = keyOf(name, variables);
  const [state, setState] = useState(() => ({ key, data: results.get(key), error: null }));
  const [attempt, setAttempt] = useState(0);
  useEffect(() => {
    if (!enabled) return undefined;
    let live = true;
    const held = results.get(key);
    setState({ key, data: held, error: null });
    if (held === undefined) {
      gql(name, variables).then(
        (data) => live && setState({ key, data, error: null }),
        (error) => live && setState({ key, data: undefined, error }),
      );
    }
    return () => { live = false; };
  }, [key, attempt, enabled]);
  const current = state.key === key ? state : { key, data: results.get(key), error: null };
  return {
    data: current.data, error: current.error, loading: enabled && current.data === undefined && !current.error,
    retry: () => setAttempt((n) => n + 1),
  };
}
