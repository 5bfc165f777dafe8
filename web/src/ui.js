// Shared pieces: the html tag, loading and error states, links, formatting.
import { h } from "preact";
import htm from "htm";
import { gql } from "./api.js";

export const html = htm.bind(h);

export function Loading({ what = "Loading" }) {
  return html`<p class="loading" role="status" aria-live="polite"><span class="spinner" aria-hidden="true"></span>${what}…</p>`;
}

export function ErrorBox({ error, retry }) {
  return html`<div class="error" role="alert">
    <strong>Something went wrong</strong>
    <p>${error.message}${error.code ? html` <code>${error.code}</code>` : ""}</p>
    ${retry ? html`<button type="button" onClick=${retry}>Retry</button>` : ""}
  </div>`;
}

// Render a query's state: loading, error, or the body.
export function Await({ q, what, children }) {
  if (q.error) return html`<${ErrorBox} error=${q.error} retry=${q.retry} />`;
  if (q.loading || q.data === undefined) return html`<${Loading} what=${what} />`;
  return children(q.data);
}

export const route = {
  model: (slug) => `#/model/${encodeURIComponent(slug)}`,
  lineage: (slug) => `#/lineage/${encodeURIComponent(slug)}`,
  family: (slug) => `#/family/${encodeURIComponent(slug)}`,
  migrate: (slug, query = "") => `#/migrate/${encodeURIComponent(slug)}${query ? "?" + query : ""}`,
  alternatives: (slug, query = "") => `#/alternatives/${encodeURIComponent(slug)}${query ? "?" + query : ""}`,
  compare: (slugs) => `#/compare/${slugs.map(encodeURIComponent).join(",")}`,
  provider: (slug) => `#/provider/${encodeURIComponent(slug)}`,
  router: (slug) => `#/router/${encodeURIComponent(slug)}`,
  search: (text) => `#/search?q=${encodeURIComponent(text)}`,
};

export function hitRoute(hit) {
  const kind = hit.kind.toLowerCase();
  if (kind === "model" || kind === "alias") return route.model(hit.slug);
  if (kind === "family") return route.family(hit.slug);
  if (kind === "provider") return route.provider(hit.slug);
  if (kind === "router") return route.router(hit.slug);
  return route.search(hit.name);
}

// Start a model page's queries when a pointer rests on (or focus reaches) a link to it: the next page is ready sooner.
export function prefetchModel(slug) {
  for (const name of ["ModelPage", "ModelOfferings", "ModelClaims"]) gql(name, { id: slug }).catch(() => {});
}

export function ModelLink({ m }) {
  if (!m) return html`<span class="muted">—</span>`;
  const warm = () => prefetchModel(m.slug);
  return html`<a href=${route.model(m.slug)} onMouseEnter=${warm} onFocus=${warm}>${m.name || m.slug}</a>`;
}

export function Status({ s }) {
  return s ? html`<span class=${"status status-" + s.toLowerCase()}>${s.toLowerCase()}</span>` : "";
}

export function Chips({ items, kind = "" }) {
  if (!items || !items.length) return html`<span class="muted">none</span>`;
  return html`<ul class=${"chips " + kind}>${items.map((c) => html`<li>${c.name || c}</li>`)}</ul>`;
}

export function tokens(n) {
  if (n === null || n === undefined) return "—";
  if (n >= 1e6) return `${+(n / 1e6).toFixed(2)}M`;
  if (n >= 1e3) return `${+(n / 1e3).toFixed(1)}k`;
  return String(n);
}

export function usd(n) {
  if (n === null || n === undefined) return "—";
  if (n === 0) return "$0";
  return "$" + (n < 0.1 ? +n.toPrecision(2) : +n.toFixed(2));
}

export function ratio(r) {
  if (r === null || r === undefined) return "—";
  return `×${r >= 10 ? r.toFixed(0) : +r.toPrecision(2)}`;
}

export function yesNo(v) {
  return v === true ? "yes" : v === false ? "no" : "unknown";
}

export function Section({ title, id, children, actions }) {
  return html`<section class="card" aria-labelledby=${id}>
    <div class="card-head"><h2 id=${id}>${title}</h2>${actions || ""}</div>
    ${children}
  </section>`;
}

// The query string of a hash route as an object, and back.
export function queryOf(search) {
  return Object.fromEntries(new URLSearchParams(search || ""));
}

export function queryText(values) {
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(values)) {
    if (v === undefined || v === null || v === "" || v === false) continue;
    params.set(k, v === true ? "1" : Array.isArray(v) ? v.join(",") : String(v));
  }
  return params.toString();
}

export function listOf(text) {
  return (text || "").split(",").map((s) => s.trim()).filter(Boolean);
}

export function numberOrNull(text) {
  if (text === undefined || text === null || text === "") return null;
  const n = Number(text);
  return Number.isFinite(n) ? n : null;
}
