// Provider and router pages (search finds them too).
import { useQuery } from "./api.js";
import { Await, html, ModelLink, route, Section, Status, yesNo } from "./ui.js";

function Models({ connection, what }) {
  return html`<${Section} title=${`Models (${connection.totalCount})`} id="models">
    <ul class="columns">${connection.nodes.map((m) => html`<li><${ModelLink} m=${m} /> <${Status} s=${m.status} /></li>`)}</ul>
    ${connection.totalCount > connection.nodes.length ? html`<p class="muted">The first ${connection.nodes.length} of ${connection.totalCount} ${what}.</p>` : ""}
  <//>`;
}

export function ProviderPage({ slug }) {
  const q = useQuery("Provider", { id: slug, slug });
  return html`<${Await} q=${q} what="Loading the provider">${(data) => {
    const p = data.provider;
    if (!p) return html`<div class="page"><h1>Not found</h1><p>No provider is known as <code>${slug}</code>.</p></div>`;
    return html`<div class="page">
      <header class="page-head"><h1>${p.name}</h1><p class="muted">provider · ${p.kind.replace(/_/g, " ")}${p.url ? html` · <a href=${p.url} rel="noopener">${p.url}</a>` : ""}</p></header>
      <${Section} title="Routers and gateways that reach it" id="reach">
        ${p.routers.length ? html`<ul class="plain">${p.routers.map((r) => html`<li><a href=${route.router(r.slug)}>${r.name}</a> <span class="muted">${r.kind.toLowerCase()}</span></li>`)}</ul>` : html`<p>None known.</p>`}
      <//>
      <${Models} connection=${data.models} what="models it serves" />
    </div>`;
  }}<//>`;
}

export function RouterPage({ slug }) {
  const q = useQuery("Router", { id: slug });
  return html`<${Await} q=${q} what="Loading the router">${(data) => {
    const r = data.router;
    if (!r) return html`<div class="page"><h1>Not found</h1><p>No router is known as <code>${slug}</code>.</p></div>`;
    return html`<div class="page">
      <header class="page-head"><h1>${r.name}</h1><p class="muted">${r.kind.toLowerCase()}${r.url ? html` · <a href=${r.url} rel="noopener">${r.url}</a>` : ""}</p></header>
      <${Section} title="Facts" id="facts"><dl class="facts">
        <div><dt>Open source</dt><dd>${yesNo(r.openSource)}</dd></div><div><dt>Self-hosted</dt><dd>${yesNo(r.selfHosted)}</dd></div>
        <div><dt>OpenAI-compatible</dt><dd>${yesNo(r.openaiCompatible)}</dd></div><div><dt>License</dt><dd>${r.license ? r.license.name : "—"}</dd></div>
      </dl>${r.note ? html`<p class="note">${r.note}</p>` : ""}
      <p>Sources: ${r.sources.map((s, i) => html`${i ? ", " : ""}${s.url ? html`<a href=${s.url} rel="noopener">${s.name}</a>` : s.name}`)}</p><//>
      <${Section} title=${`Providers (${r.providers.length})`} id="providers">
        <ul class="columns">${r.providers.map((p) => html`<li><a href=${route.provider(p.slug)}>${p.name}</a></li>`)}</ul>
      <//>
      <${Models} connection=${r.models} what="models it reaches" />
    </div>`;
  }}<//>`;
}
