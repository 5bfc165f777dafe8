// Alternatives: shared and missing capabilities, price ratio and the cheapest route, filterable in the URL.
import { useState } from "preact/hooks";
import { useQuery } from "./api.js";
import { ConstraintForm } from "./forms.js";
import { Await, Chips, html, listOf, ModelLink, numberOrNull, queryText, ratio, route, Section, Status, usd } from "./ui.js";

const FIELDS = [
  { key: "provider", label: "Offered by provider", type: "provider", placeholder: "provider slug" },
  { key: "minContext", label: "Minimum context (tokens)", type: "number", step: "1" },
  { key: "maxInputPrice", label: "Max input price ($/1M)", type: "number" },
  { key: "maxOutputPrice", label: "Max output price ($/1M)", type: "number" },
  { key: "license", label: "License", type: "license" },
  { key: "openWeights", label: "Open weights", type: "checkbox" },
  { key: "commercial", label: "Commercial use", type: "checkbox" },
  { key: "osi", label: "OSI-approved license", type: "checkbox" },
  { key: "sameFamily", label: "Include the same family", type: "checkbox" },
  { key: "retired", label: "Include retired models", type: "checkbox" },
  { key: "cap", label: "Must have", type: "caps" },
];

export function criteriaOf(v) {
  const c = {};
  if (listOf(v.cap).length) c.mustHave = listOf(v.cap);
  const minContext = numberOrNull(v.minContext), maxIn = numberOrNull(v.maxInputPrice), maxOut = numberOrNull(v.maxOutputPrice);
  if (minContext !== null) c.minContext = Math.round(minContext);
  if (maxIn !== null) c.maxInputPrice = maxIn;
  if (maxOut !== null) c.maxOutputPrice = maxOut;
  if (v.license) c.licenses = [v.license];
  if (v.provider) c.provider = v.provider;
  if (v.openWeights) c.openWeights = true;
  if (v.commercial) c.commercialUse = true;
  if (v.osi) c.osiApproved = true;
  if (v.sameFamily) c.includeSameFamily = true;
  if (v.retired) c.liveOnly = false;
  return c;
}

const SORTS = { score: (a, b) => b.score - a.score, price: (a, b) => (a.priceRatio ?? 1e9) - (b.priceRatio ?? 1e9), context: (a, b) => (b.contextRatio ?? 0) - (a.contextRatio ?? 0) };

export function AlternativesPage({ slug, query }) {
  const q = useQuery("Alternatives", { id: slug, criteria: criteriaOf(query), first: 20 });
  const [sort, setSort] = useState("score");
  return html`<div class="page">
    <header class="page-head"><h1>Alternatives</h1><p>To <a href=${route.model(slug)}><code>${slug}</code></a>.</p></header>
    <${Section} title="Filters" id="filters">
      <${ConstraintForm} key=${JSON.stringify(query)} idPrefix="alt" fields=${FIELDS} values=${query} submitLabel="Apply filters"
        onSubmit=${(v) => { location.hash = route.alternatives(slug, queryText(v)); }} />
    <//>
    <${Section} title="Best first" id="alternatives" actions=${html`<label class="sort">Sort by <select value=${sort} onChange=${(e) => setSort(e.currentTarget.value)}>
        <option value="score">similarity</option><option value="price">price ratio</option><option value="context">context</option></select></label>`}>
      <${Await} q=${q} what="Finding alternatives">${(data) => {
        if (!data.model) return html`<p>No model is known as <code>${slug}</code>.</p>`;
        const alts = [...data.alternatives].sort(SORTS[sort]);
        if (!alts.length) return html`<p class="empty">No alternative fits these filters. Remove one (for example a capability or the price cap) and apply again.</p>`;
        return html`<div class="scroll"><table class="alts">
          <thead><tr><th scope="col">Model</th><th scope="col">Similarity</th><th scope="col">Shared</th><th scope="col">Missing</th><th scope="col">Extra</th>
            <th scope="col">Price ratio</th><th scope="col">Context ratio</th><th scope="col">Cheapest route</th></tr></thead>
          <tbody>${alts.map((a) => html`<tr>
            <td><${ModelLink} m=${a.model} /><br /><span class="muted">${a.model.maker.name}</span> <${Status} s=${a.model.status} /></td>
            <td>${(a.score * 100).toFixed(0)}%</td>
            <td><${Chips} items=${a.shared} /></td><td><${Chips} items=${a.missing} kind="bad" /></td><td><${Chips} items=${a.extra} kind="good" /></td>
            <td class=${a.priceRatio > 1.005 ? "bad" : a.priceRatio < 0.995 ? "good" : ""}>${ratio(a.priceRatio)}</td>
            <td>${ratio(a.contextRatio)}</td>
            <td>${a.cheapestOffering ? html`${a.cheapestOffering.provider.name}<br /><span class="muted">${usd(a.cheapestOffering.inputPrice)} in / ${usd(a.cheapestOffering.outputPrice)} out</span>` : "—"}</td>
          </tr>`)}</tbody></table></div>`;
      }}<//>
    <//>
  </div>`;
}
