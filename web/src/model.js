// The model page: card, price ladder chart, routers reaching it, capabilities and fit, sources, conflicts.
import { useState } from "preact/hooks";
import { useQuery } from "./api.js";
import { addToCompare } from "./compare.js";
import { Await, Chips, html, ModelLink, route, Section, Status, tokens, usd, yesNo } from "./ui.js";

function Card({ m }) {
  const lic = m.license;
  const rows = [
    ["Maker", m.maker.name],
    ["Family", m.family ? html`<a href=${route.family(m.family.slug)}>${m.family.name}</a>` : "—"],
    ["Released", m.releaseDate || "undisclosed"],
    ["Status today", html`<${Status} s=${m.status} />${m.statedStatus !== m.status ? html` <span class="muted">(stated ${m.statedStatus.toLowerCase()})</span>` : ""}`],
    ["Deprecation", m.deprecationDate || "—"],
    ["Retirement", m.retirementDate || "—"],
    ["Replacement", m.replacement ? html`<${ModelLink} m=${m.replacement} />` : "—"],
    ["Context window", tokens(m.contextWindow)],
    ["Max output", tokens(m.maxOutputTokens)],
    ["Parameters", m.parameters ? `${m.parameters}B${m.activeParameters ? ` (${m.activeParameters}B active)` : ""}` : "undisclosed"],
    ["Architecture", m.architecture || "—"],
    ["Knowledge cutoff", m.knowledgeCutoff || "—"],
    ["License", lic ? html`${lic.url ? html`<a href=${lic.url} rel="noopener">${lic.name}</a>` : lic.name}${lic.unconfirmed ? " (unconfirmed)" : ""}` : "unknown"],
    ["OSI approved", lic ? yesNo(lic.osiApproved) : "unknown"],
    ["Commercial use", lic ? yesNo(lic.commercialUse) : "unknown"],
    ["Open weights", yesNo(m.openWeights)],
    ["Modalities", `${m.inputModalities.join(", ") || "?"} → ${m.outputModalities.join(", ") || "?"}`],
    ["API ids", m.apiIds.length ? html`${m.apiIds.map((a) => html`<code>${a}</code> `)}` : "—"],
  ];
  return html`<${Section} title="Card" id="card">
    <dl class="facts">${rows.map(([k, v]) => html`<div><dt>${k}</dt><dd>${v}</dd></div>`)}</dl>
    ${m.note ? html`<p class="note">${m.note}</p>` : ""}
    ${m.unconfirmed ? html`<p class="warn">Some facts of this model are unconfirmed by its sources.</p>` : ""}
    ${m.resolution === "unresolved" ? html`<p class="warn">An imported catalog row that no identity rule could place on a known model.</p>` : ""}
  <//>`;
}

const BAR = { input: "#2563eb", output: "#c2410c", blended: "#047857" };

// Horizontal grouped bars: input, output and blended price per route; batch prices as diamonds; free tiers marked.
export function PriceChart({ offerings }) {
  const [all, setAll] = useState(false);
  const open = offerings.filter((o) => o.status !== "RETIRED");
  const live = open.length ? open : offerings; // a retired model: its retired routes, marked
  const shown = all ? live : live.slice(0, 12);
  if (!live.length) return html`<p>No route with a price is known.</p>`;
  const max = Math.max(0.0001, ...shown.flatMap((o) => [o.inputPrice, o.outputPrice, o.batchOutputPrice].filter((x) => x != null)));
  const label = 210, width = 720, plot = width - label - 70, rowH = 34;
  const x = (v) => label + (v / max) * plot;
  const summary = shown.map((o) => `${o.provider.name}: ${o.freeTier ? "free tier" : `input ${usd(o.inputPrice)}, output ${usd(o.outputPrice)}`}`).join("; ");
  return html`<div class="chart-wrap">
    <p class="legend" aria-hidden="true"><span class="sw" style=${`background:${BAR.input}`}></span>input
      <span class="sw" style=${`background:${BAR.output}`}></span>output <span class="sw" style=${`background:${BAR.blended}`}></span>blended (3:1)
      <span class="diamond">◆</span>batch <span class="free-mark">FREE</span> free tier — USD per 1M tokens</p>
    <div class="scroll" tabindex="0" role="region" aria-label="Price ladder chart (scrolls sideways)"><svg class="chart" viewBox=${`0 0 ${width} ${shown.length * rowH + 24}`} role="img" aria-label=${"Price ladder, cheapest first. " + summary}>
      ${[0, 0.25, 0.5, 0.75, 1].map((f) => html`<g><line x1=${x(max * f)} x2=${x(max * f)} y1="0" y2=${shown.length * rowH} class="grid" />
        <text x=${x(max * f)} y=${shown.length * rowH + 16} class="tick" text-anchor="middle">${usd(max * f)}</text></g>`)}
      ${shown.map((o, i) => {
        const y = i * rowH + 4;
        const bars = [["input", o.inputPrice], ["output", o.outputPrice], ["blended", o.blendedPrice]];
        return html`<g class="row">
          <text x=${label - 8} y=${y + 12} text-anchor="end" class="lbl">${o.provider.name.length > 28 ? o.provider.name.slice(0, 27) + "…" : o.provider.name}</text>
          <text x=${label - 8} y=${y + 24} text-anchor="end" class="sub">${o.status === "RETIRED" ? "retired · " : ""}${o.routeId.length > 30 ? "…" + o.routeId.slice(-29) : o.routeId}</text>
          ${o.freeTier ? html`<text x=${label + 4} y=${y + 17} class="free-mark">FREE TIER</text>` : bars.map(([k, v], j) => v == null ? "" :
            html`<rect x=${label} y=${y + j * 9} width=${Math.max(1, x(v) - label)} height="8" fill=${BAR[k]}><title>${k} ${usd(v)}</title></rect>`)}
          ${!o.freeTier && o.blendedPrice != null ? html`<text x=${x(Math.max(o.inputPrice || 0, o.outputPrice || 0)) + 4} y=${y + 16} class="val">${usd(o.blendedPrice)}</text>` : ""}
          ${[o.batchInputPrice, o.batchOutputPrice].map((v, j) => v == null ? "" : html`<text x=${x(v)} y=${y + j * 9 + 8} text-anchor="middle" class="diamond">◆<title>batch ${j ? "output" : "input"} ${usd(v)}</title></text>`)}
        </g>`;
      })}
    </svg></div>
    ${!open.length ? html`<p class="muted">Every route of this model is retired today; their last prices are shown.</p>` : ""}
    ${live.length > 12 ? html`<button type="button" class="link" onClick=${() => setAll(!all)}>${all ? "Show the 12 cheapest" : `Show all ${live.length} live routes`}</button>` : ""}
    <details><summary>Price table</summary><div class="scroll"><table>
      <thead><tr><th scope="col">Provider</th><th scope="col">Route</th><th scope="col">Input</th><th scope="col">Output</th><th scope="col">Blended</th><th scope="col">Batch in / out</th><th scope="col">Cached input</th><th scope="col">Status</th></tr></thead>
      <tbody>${offerings.map((o) => html`<tr>
        <td><a href=${route.provider(o.provider.slug)}>${o.provider.name}</a></td><td><code>${o.routeId}</code>${o.freeTier ? html` <span class="free-mark">free tier</span>` : ""}</td>
        <td>${usd(o.inputPrice)}</td><td>${usd(o.outputPrice)}</td><td>${usd(o.blendedPrice)}</td>
        <td>${o.batchInputPrice != null || o.batchOutputPrice != null ? `${usd(o.batchInputPrice)} / ${usd(o.batchOutputPrice)}` : "—"}</td>
        <td>${usd(o.cachedInputPrice)}</td><td><${Status} s=${o.status} /></td></tr>`)}</tbody>
    </table></div></details>
  </div>`;
}

function Routers({ reach }) {
  if (!reach.length) return html`<p>No router or gateway is known to reach this model (no evidence, no reach).</p>`;
  const byRouter = new Map();
  for (const r of reach) {
    if (!byRouter.has(r.router.slug)) byRouter.set(r.router.slug, { router: r.router, items: [] });
    byRouter.get(r.router.slug).items.push(r);
  }
  return html`<div class="scroll"><table>
    <thead><tr><th scope="col">Router / gateway</th><th scope="col">Kind</th><th scope="col">Evidence</th></tr></thead>
    <tbody>${[...byRouter.values()].map(({ router, items }) => html`<tr>
      <td><a href=${route.router(router.slug)}>${router.name}</a></td><td>${router.kind.toLowerCase()}</td>
      <td><ul class="plain">${items.map((r) => html`<li>${r.evidence === "LISTED"
        ? html`listed as <code>${r.routeId}</code>` : html`via provider <a href=${route.provider(r.via.slug)}>${r.via.name}</a>`}
        ${r.asOf ? html` <span class="muted">as of ${r.asOf}</span>` : ""}</li>`)}</ul></td></tr>`)}
    </tbody></table></div>`;
}

// Claims grouped by field; a field is in conflict when its sources give more than one value.
export function conflictsOf(claims) {
  const fields = new Map();
  for (const c of claims) {
    if (!fields.has(c.field)) fields.set(c.field, new Map());
    const values = fields.get(c.field);
    const key = c.value === null ? "∅" : c.value;
    if (!values.has(key)) values.set(key, { value: c.value, current: false, votes: 0, rejected: true, claims: [] });
    const v = values.get(key);
    v.current = v.current || c.current;
    v.votes += c.votes;
    v.rejected = v.rejected && c.rejected;
    v.claims.push(c);
  }
  // A field with several current values is a set (capabilities), not a conflict: a conflict has a losing value.
  return [...fields.entries()].filter(([, values]) => values.size > 1 && [...values.values()].some((v) => !v.current))
    .map(([field, values]) => ({ field, values: [...values.values()].sort((a, b) => b.current - a.current || b.votes - a.votes) }));
}

function Conflicts({ claims }) {
  const conflicts = conflictsOf(claims);
  if (!conflicts.length) return html`<p>No competing claims: every source that states a field agrees (${claims.length} claims).</p>`;
  return html`<p>${conflicts.length} field${conflicts.length > 1 ? "s have" : " has"} competing claims; the current value is chosen by the precedence rule (curated data, then the maker's API, then the catalogs' vote).</p>
    ${conflicts.map(({ field, values }) => html`<div class="conflict">
      <h3><code>${field}</code></h3>
      <div class="scroll"><table>
        <thead><tr><th scope="col">Value</th><th scope="col">Current</th><th scope="col">Votes</th><th scope="col">Origin</th><th scope="col">Sources</th></tr></thead>
        <tbody>${values.map((v) => html`<tr class=${v.current ? "current" : v.rejected ? "rejected" : ""}>
          <td><code>${v.value === null ? "undisclosed" : v.value}</code></td>
          <td>${v.current ? html`<strong>✓ current</strong>` : v.rejected ? "rejected (data error)" : ""}</td>
          <td>${v.votes}</td>
          <td>${[...new Set(v.claims.map((c) => c.origin))].join(", ")}</td>
          <td><details><summary>${v.claims.length} claim${v.claims.length > 1 ? "s" : ""}</summary><ul class="plain small">
            ${v.claims.map((c) => html`<li>${c.source ? (c.source.url ? html`<a href=${c.source.url} rel="noopener">${c.source.name}</a>` : c.source.name) : "—"}
              ${c.citations.length ? html` <code>${c.citations[0]}</code>` : ""}${c.asOf ? ` (${c.asOf})` : ""}${c.note ? ` — ${c.note}` : ""}</li>`)}
          </ul></details></td></tr>`)}
        </tbody></table></div></div>`)}`;
}

function Sources({ m }) {
  return html`<ul class="plain">${m.sources.map((s) => html`<li>${s.url ? html`<a href=${s.url} rel="noopener">${s.name}</a>` : s.name}${" "}
      <span class="muted">${s.kind}${s.asOf ? `, as of ${s.asOf}` : ""}</span></li>`)}</ul>
    ${m.citations.length ? html`<details><summary>${m.citations.length} exact references</summary><ul class="plain small">${m.citations.map((c) => html`<li><code>${c}</code></li>`)}</ul></details>` : ""}
    ${m.checkedOn ? html`<p class="muted">Checked on ${m.checkedOn}.</p>` : ""}`;
}

export function ModelPage({ slug }) {
  const page = useQuery("ModelPage", { id: slug });
  const offers = useQuery("ModelOfferings", { id: slug });
  const claims = useQuery("ModelClaims", { id: slug });
  return html`<${Await} q=${page} what="Loading the model">${(data) => {
    const m = data.model;
    if (!m) return html`<div class="page"><h1>Not found</h1><p>No model is known as <code>${slug}</code>. <a href=${route.search(slug)}>Search for it</a>.</p></div>`;
    return html`<div class="page model-page">
      <header class="page-head">
        <h1>${m.name}</h1>
        <p class="muted"><code>${m.slug}</code> · ${m.maker.name} <${Status} s=${m.status} /></p>
        <nav aria-label="About this model" class="actions">
          <a class="button" href=${route.lineage(m.slug)}>Lineage</a>
          <a class="button" href=${route.migrate(m.slug)}>Plan a migration</a>
          <a class="button" href=${route.alternatives(m.slug)}>Alternatives</a>
          <button type="button" onClick=${() => addToCompare(m.slug)}>Add to compare</button>
        </nav>
      </header>
      <div class="grid">
        <${Card} m=${m} />
        <${Section} title="Capabilities and use-case fit" id="caps">
          <h3>Capabilities</h3><${Chips} items=${m.capabilities} />
          <h3>Suited for</h3><${Chips} items=${m.suitedFor} kind="good" />
          <h3>Not suited for</h3><${Chips} items=${m.notSuitedFor} kind="bad" />
        <//>
      </div>
      <${Section} title="Price ladder" id="prices">
        <${Await} q=${offers} what="Loading prices">${(d) => d.model && html`<${PriceChart} offerings=${d.model.offerings} />`}<//>
      <//>
      <${Section} title="Routers and gateways that reach it" id="routers"><${Routers} reach=${m.routers} /><//>
      <${Section} title="Conflicts" id="conflicts">
        <${Await} q=${claims} what="Loading claims">${(d) => d.model && html`<${Conflicts} claims=${d.model.claims} />`}<//>
      <//>
      <${Section} title="Sources" id="sources"><${Sources} m=${m} /><//>
    </div>`;
  }}<//>`;
}
