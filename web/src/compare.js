// Compare two to four models side by side; the selection is the URL.
import { useQuery } from "./api.js";
import { SearchBox } from "./search.js";
import { Await, Chips, html, ModelLink, route, Section, Status, tokens, usd, yesNo } from "./ui.js";

const KEY = "modelatlas.compare";

export function compareList() {
  try { return JSON.parse(sessionStorage.getItem(KEY) || "[]"); } catch (e) { return []; }
}

export function addToCompare(slug) {
  const list = [...new Set([...compareList(), slug])].slice(-4);
  try { sessionStorage.setItem(KEY, JSON.stringify(list)); } catch (e) { /* private mode: the URL still carries it */ }
  location.hash = route.compare(list);
}

const ROWS = [
  ["Maker", (m) => m.maker.name],
  ["Status today", (m) => html`<${Status} s=${m.status} />`],
  ["Released", (m) => m.releaseDate || "—"],
  ["Retires", (m) => m.retirementDate || "—"],
  ["Replacement", (m) => html`<${ModelLink} m=${m.replacement} />`],
  ["Context window", (m) => tokens(m.contextWindow)],
  ["Max output", (m) => tokens(m.maxOutputTokens)],
  ["Parameters", (m) => (m.parameters ? `${m.parameters}B` : "undisclosed")],
  ["Open weights", (m) => yesNo(m.openWeights)],
  ["License", (m) => (m.license ? m.license.name : "unknown")],
  ["Commercial use", (m) => (m.license ? yesNo(m.license.commercialUse) : "unknown")],
  ["Knowledge cutoff", (m) => m.knowledgeCutoff || "—"],
  ["Modalities", (m) => `${m.inputModalities.join(", ")} → ${m.outputModalities.join(", ")}`],
  ["Cheapest route", (m) => (m.cheapestOffering ? html`${m.cheapestOffering.provider.name}<br /><span class="muted">${usd(m.cheapestOffering.inputPrice)} in / ${usd(m.cheapestOffering.outputPrice)} out</span>` : "—")],
  ["Capabilities", (m) => html`<${Chips} items=${m.capabilities} />`],
  ["Suited for", (m) => html`<${Chips} items=${m.suitedFor} kind="good" />`],
];

export function ComparePage({ slugs }) {
  const q = useQuery("Compare", { ids: slugs }, slugs.length > 0);
  const set = (list) => {
    try { sessionStorage.setItem(KEY, JSON.stringify(list)); } catch (e) { /* ignore */ }
    location.hash = route.compare(list);
  };
  return html`<div class="page">
    <header class="page-head"><h1>Compare</h1><p>Two to four models side by side.</p></header>
    <${Section} title="Models" id="pick">
      <ul class="picked">${slugs.map((s) => html`<li><code>${s}</code> <button type="button" class="link" aria-label=${`Remove ${s}`}
        onClick=${() => set(slugs.filter((x) => x !== s))}>remove</button></li>`)}</ul>
      ${slugs.length < 4 ? html`<${SearchBox} label="Add a model to compare" inputId="compare-add" kinds=${["Model"]}
        placeholder="add a model: type its name or id" onPick=${(hit) => set([...new Set([...slugs, hit.slug])])} />` : html`<p class="muted">Four models at most.</p>`}
    <//>
    ${slugs.length < 2 ? html`<p class="empty">Pick ${slugs.length ? "one more model" : "two models"} to compare.</p>` : ""}
    ${slugs.length > 0 ? html`<${Await} q=${q} what="Comparing">${(data) => {
      const models = data.compare;
      if (models.length < slugs.length) {
        const known = new Set(models.map((m) => m.slug));
        return html`<p class="error" role="alert">Unknown model: ${slugs.filter((s) => !known.has(s)).join(", ")}.</p>`;
      }
      return html`<div class="scroll"><table class="compare">
        <thead><tr><th scope="col"><span class="visually-hidden">Field</span></th>${models.map((m) => html`<th scope="col"><${ModelLink} m=${m} /></th>`)}</tr></thead>
        <tbody>${ROWS.map(([label, f]) => html`<tr><th scope="row">${label}</th>${models.map((m) => html`<td>${f(m)}</td>`)}</tr>`)}</tbody>
      </table></div>`;
    }}<//>` : ""}
  </div>`;
}
