// Search with suggestions as you type (a WAI-ARIA combobox), and the full results page.
import { useEffect, useRef, useState } from "preact/hooks";
import { gql, useQuery } from "./api.js";
import { Await, html, hitRoute, route, Section, Status } from "./ui.js";

let boxes = 0;

// The alias every model hit matched, when they all matched the same one (not a name or id of their own).
export function aliasOf(hits) {
  const aliased = hits.filter((h) => h.kind === "Model" && h.matched !== h.slug && h.matched !== h.name);
  const all = hits.filter((h) => h.kind === "Model");
  return aliased.length > 1 && aliased.length === all.length && aliased.every((h) => h.matched === aliased[0].matched)
    ? aliased[0].matched : null;
}

// A search field with a suggestion list. onPick(hit) when a suggestion is chosen; onSubmit(text) on Enter otherwise.
export function SearchBox({ label = "Search models, families, providers, routers", onPick, onSubmit, kinds, initial = "",
  placeholder = "e.g. mistral small, gpt-4o, mistral-small-latest, bedrock", autofocus = false, inputId }) {
  const [id] = useState(() => inputId || `search-${++boxes}`);
  const [text, setText] = useState(initial);
  const [hits, setHits] = useState([]);
  const [open, setOpen] = useState(false);
  const [active, setActive] = useState(-1);
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState(null);
  const input = useRef(null);
  const seq = useRef(0);

  useEffect(() => { if (autofocus && input.current) input.current.focus(); }, []);
  useEffect(() => {
    const wanted = text.trim();
    if (wanted.length < 2) { setHits([]); setBusy(false); return undefined; }
    const mine = ++seq.current;
    setBusy(true);
    const timer = setTimeout(() => {
      gql("Search", { text: wanted, first: 12 }).then(async (data) => {
        if (mine !== seq.current) return;
        let found = data.search.filter((h) => !kinds || kinds.includes(h.kind));
        const alias = aliasOf(found);
        if (alias) { // an alias names several versions over time: put the one it names today first
          const today = (await gql("ResolveAlias", { name: alias })).resolveAlias;
          if (mine !== seq.current) return;
          if (today) found = [{ kind: "Alias", slug: today.slug, name: `${alias} → ${today.name}`, matched: "today" }, ...found];
        }
        setHits(found); setActive(found.length ? 0 : -1); setBusy(false); setFailure(null);
      }).catch((error) => { if (mine === seq.current) { setHits([]); setBusy(false); setFailure(error.message); } });
    }, 120);
    return () => clearTimeout(timer);
  }, [text]);

  const choose = (hit) => { setOpen(false); setText(onPick ? "" : hit.name); onPick ? onPick(hit) : (location.hash = hitRoute(hit)); };
  const onKey = (e) => {
    if (e.key === "ArrowDown") { e.preventDefault(); setOpen(true); setActive((a) => Math.min(a + 1, hits.length - 1)); }
    else if (e.key === "ArrowUp") { e.preventDefault(); setActive((a) => Math.max(a - 1, 0)); }
    else if (e.key === "Escape") { setOpen(false); }
    else if (e.key === "Enter") {
      e.preventDefault();
      if (open && active >= 0 && hits[active]) choose(hits[active]);
      else if (onSubmit && text.trim()) { setOpen(false); onSubmit(text.trim()); }
    }
  };
  const listId = id + "-list";
  const shown = open && text.trim().length >= 2;
  return html`<div class="combo">
    <label for=${id} class="visually-hidden">${label}</label>
    <input id=${id} ref=${input} type="search" role="combobox" autocomplete="off" spellcheck="false"
      aria-autocomplete="list" aria-expanded=${shown && hits.length > 0 ? "true" : "false"} aria-controls=${listId}
      aria-activedescendant=${shown && active >= 0 ? `${id}-opt-${active}` : undefined}
      placeholder=${placeholder} value=${text}
      onInput=${(e) => { setText(e.currentTarget.value); setOpen(true); }}
      onKeyDown=${onKey} onFocus=${() => setOpen(true)} onBlur=${() => setTimeout(() => setOpen(false), 150)} />
    <ul id=${listId} role="listbox" aria-label="Suggestions" class=${"suggestions" + (shown ? " open" : "")}>
      ${shown && hits.map((hit, i) => html`<li id=${`${id}-opt-${i}`} role="option" aria-selected=${i === active ? "true" : "false"}
          class=${i === active ? "active" : ""} onMouseDown=${(e) => { e.preventDefault(); choose(hit); }}
          onMouseEnter=${() => setActive(i)}>
        <span class=${"kind kind-" + hit.kind.toLowerCase()}>${hit.kind}</span>
        <span class="hit-name">${hit.name}</span>
        ${hit.kind === "Alias" ? html`<span class="matched">today</span>` : html`<span class="matched">${hit.slug}${hit.matched !== hit.name && hit.matched !== hit.slug ? ` · matched “${hit.matched}”` : ""}</span>`}
      </li>`)}
    </ul>
    <span class="visually-hidden" role="status" aria-live="polite">${shown ? (busy ? "Searching" : failure ? failure : `${hits.length} suggestions`) : ""}</span>
  </div>`;
}

function AliasNote({ alias }) {
  const q = useQuery("ResolveAlias", { name: alias });
  if (!q.data || !q.data.resolveAlias) return "";
  const m = q.data.resolveAlias;
  return html`<p class="alias-note">The alias <code>${alias}</code> points today to <a href=${route.model(m.slug)}>${m.name}</a>; it has named the versions listed below.</p>`;
}

function FamilyVersions({ slug }) {
  const q = useQuery("Family", { id: slug });
  return html`<${Await} q=${q} what="Loading versions">${(data) => data.family && html`<ol class="versions">
    ${data.family.timeline.map((t) => html`<li><a href=${route.model(t.model.slug)}>${t.model.name}</a>
      <span class="muted">${t.releaseDate || "undated"}</span> <${Status} s=${t.status} /></li>`)}
  </ol>`}<//>`;
}

export function SearchPage({ text }) {
  const q = useQuery("Search", { text, first: 30 }, text.length > 0);
  return html`<div class="page">
    <h1>Search</h1>
    <${SearchBox} initial=${text} inputId="search-page" onSubmit=${(t) => { location.hash = route.search(t); }} />
    ${text && html`<${Section} title=${`Results for “${text}”`} id="results">
      <${Await} q=${q} what="Searching">${(data) => {
        const hits = data.search;
        if (!hits.length) return html`<p>No model, family, provider or router matches “${text}”. Try a shorter name or an API id.</p>`;
        const alias = aliasOf(hits);
        return html`${alias && html`<${AliasNote} alias=${alias} />`}
          <ul class="results">${hits.map((hit) => html`<li>
            <span class=${"kind kind-" + hit.kind.toLowerCase()}>${hit.kind}</span>
            <a href=${hitRoute(hit)}>${hit.name}</a> <span class="muted">${hit.slug}</span>
            ${hit.matched !== hit.name && hit.matched !== hit.slug ? html` <span class="matched">matched “${hit.matched}”</span>` : ""}
            ${hit.kind === "Family" ? html`<${FamilyVersions} slug=${hit.slug} />` : ""}
          </li>`)}</ul>`;
      }}<//>
    <//>`}
  </div>`;
}
