// The explorer: hash routes (every view has a shareable URL), one layout, the views.
import { render } from "preact";
import { useEffect, useState } from "preact/hooks";
import { AlternativesPage } from "./alternatives.js";
import { ComparePage, compareList } from "./compare.js";
import { ProviderPage, RouterPage } from "./entities.js";
import { FamilyPage, LineagePage } from "./lineage.js";
import { MigratePage } from "./migrate.js";
import { ModelPage } from "./model.js";
import { SearchBox, SearchPage } from "./search.js";
import { html, queryOf, route } from "./ui.js";

export function parse(hash) {
  const raw = (hash || "").replace(/^#\/?/, "");
  const [path, search] = raw.split("?");
  const [view, ...rest] = path.split("/");
  const arg = decodeURIComponent(rest.join("/"));
  return { view: view || "home", arg, query: queryOf(search) };
}

function Home() {
  const examples = [
    ["Mistral Small 1.0 (v24.02)", route.model("mistral-small-2402")],
    ["its lineage to Mistral Small 4", route.lineage("mistral-small-2402")],
    ["migrate it, staying on Amazon Bedrock", route.migrate("mistral-small-2402", "provider=aws-bedrock")],
    ["alternatives to gpt-4o with function calling", route.alternatives("gpt-4o", "cap=function-calling")],
    ["the Mistral Small family", route.family("mistral-small")],
    ["compare gpt-4o and Mistral Small 4", route.compare(["gpt-4o", "mistral-small-2603"])],
  ];
  return html`<div class="page home">
    <h1>Choose and migrate LLMs</h1>
    <p class="lede">Succession drawn as a graph, alias history on a timeline, migration routes with per-step checks, alternatives explained, and which routers reach a model: all from the public GraphQL API.</p>
    <${SearchBox} inputId="home-search" autofocus=${true} onSubmit=${(t) => { location.hash = route.search(t); }} />
    <h2>Try</h2>
    <ul class="examples">${examples.map(([label, href]) => html`<li><a href=${href}>${label}</a></li>`)}</ul>
  </div>`;
}

function View({ r }) {
  switch (r.view) {
    case "home": return html`<${Home} />`;
    case "search": return html`<${SearchPage} key=${r.query.q} text=${r.query.q || ""} />`;
    case "model": return html`<${ModelPage} key=${r.arg} slug=${r.arg} />`;
    case "lineage": return html`<${LineagePage} key=${r.arg} slug=${r.arg} />`;
    case "family": return html`<${FamilyPage} key=${r.arg} slug=${r.arg} />`;
    case "migrate": return html`<${MigratePage} key=${r.arg} slug=${r.arg} query=${r.query} />`;
    case "alternatives": return html`<${AlternativesPage} key=${r.arg} slug=${r.arg} query=${r.query} />`;
    case "compare": return html`<${ComparePage} slugs=${r.arg ? r.arg.split(",").filter(Boolean).slice(0, 4) : compareList()} />`;
    case "provider": return html`<${ProviderPage} key=${r.arg} slug=${r.arg} />`;
    case "router": return html`<${RouterPage} key=${r.arg} slug=${r.arg} />`;
    default: return html`<div class="page"><h1>Not found</h1><p>No view is called “${r.view}”. <a href="#/">Start over</a>.</p></div>`;
  }
}

function App() {
  const [r, setR] = useState(() => parse(location.hash));
  useEffect(() => {
    const onHash = () => {
      setR(parse(location.hash));
      window.scrollTo(0, 0);
      const main = document.getElementById("main");
      if (main) main.focus({ preventScroll: true });
    };
    const onKey = (e) => { // "/" focuses the search field, as on most sites
      if (e.key === "/" && !/^(INPUT|TEXTAREA|SELECT)$/.test(document.activeElement.tagName)) {
        e.preventDefault();
        document.getElementById("top-search").focus();
      }
    };
    addEventListener("hashchange", onHash);
    addEventListener("keydown", onKey);
    return () => { removeEventListener("hashchange", onHash); removeEventListener("keydown", onKey); };
  }, []);
  useEffect(() => {
    const h = document.querySelector("main h1");
    document.title = (h ? h.textContent + " · " : "") + "modelatlas explorer";
  });
  return html`<a class="skip" href="#main" onClick=${(e) => { e.preventDefault(); document.getElementById("main").focus(); }}>Skip to content</a>
    <header class="top">
      <a class="brand" href="#/">modelatlas</a>
      <div class="top-search"><${SearchBox} inputId="top-search" placeholder="Search (press /)" onSubmit=${(t) => { location.hash = route.search(t); }} /></div>
      <nav aria-label="Main"><a href=${route.compare(compareList())}>Compare</a></nav>
    </header>
    <main id="main" tabindex="-1"><${View} r=${r} /></main>
    <footer><p>Data: curated sources and public catalogs; every fact carries its source. API: <code>/graphql</code>.</p></footer>`;
}

render(html`<${App} />`, document.getElementById("app"));
