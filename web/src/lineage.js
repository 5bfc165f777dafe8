// The lineage picture: versions along a time axis, replacements with validity dates, derivations, and the alias
// bindings on a timeline below. Hand-laid SVG: the graph is a line with side branches, so a layered layout by
// release date is all it needs (no graph-layout library to ship).
import { useState } from "preact/hooks";
import { useQuery } from "./api.js";
import { Await, html, ModelLink, route, Section, Status } from "./ui.js";

const COL = 180, NODE_W = 166, NODE_H = 44, LANE = 74, TOP = 128, LEFT = 16;
const KINDS = {
  NEXT_VERSION: { label: "next version", cls: "e-next" },
  RECOMMENDED_REPLACEMENT: { label: "recommended replacement", cls: "e-repl" },
  DERIVED_FROM: { label: "derived from", cls: "e-deriv" },
  POSITIONED_SUCCESSOR: { label: "positioned successor", cls: "e-pos" },
  ALTERNATIVE: { label: "alternative", cls: "e-alt" },
};

// Columns are the chain's versions in order; every other node sits under the chain version current when it came
// out (or under its predecessor when undated, or in one column before the chain when older), in the first free lane.
export function layout(lineage) {
  const chain = lineage.chain.map((m) => m.slug);
  const bySlug = new Map(lineage.nodes.map((n) => [n.slug, n]));
  const onChain = new Set(chain);
  const chainDates = chain.map((slug) => (bySlug.get(slug) || {}).releaseDate || null);
  const early = lineage.nodes.some((n) => !onChain.has(n.slug) && n.releaseDate && chainDates[0] && n.releaseDate < chainDates[0]);
  const shift = early ? 1 : 0;
  const pos = new Map();
  const used = new Map(); // column -> lanes taken
  const place = (n, col) => {
    const taken = used.get(col) || new Set();
    let lane = onChain.has(n.slug) ? 0 : 1;
    while (taken.has(lane)) lane += 1;
    taken.add(lane);
    used.set(col, taken);
    pos.set(n.slug, { x: LEFT + col * COL, y: TOP + lane * LANE, lane, col, node: n });
  };
  chain.forEach((slug, i) => bySlug.has(slug) && place(bySlug.get(slug), i + shift));
  const columnOfDate = (d) => {
    if (chainDates[0] && d < chainDates[0]) return 0;
    let col = shift;
    chainDates.forEach((cd, i) => { if (cd && cd <= d) col = i + shift; });
    return col;
  };
  const rest = lineage.nodes.filter((n) => !onChain.has(n.slug))
    .sort((a, b) => (a.releaseDate || "9").localeCompare(b.releaseDate || "9"));
  for (const n of rest.filter((n) => n.releaseDate)) place(n, columnOfDate(n.releaseDate));
  for (const n of rest.filter((n) => !n.releaseDate)) { // under the model it comes from, else after the chain
    const parent = lineage.edges.map((e) => e.to.slug === n.slug && pos.get(e.from.slug)).find(Boolean);
    place(n, parent ? parent.col : chain.length + shift);
  }
  const lanes = Math.max(1, ...[...pos.values()].map((p) => p.lane + 1));
  const cols = Math.max(1, ...[...pos.values()].map((p) => p.col + 1));
  const dates = chainDates.map((d, i) => [i + shift, d]).filter(([, d]) => d);
  // A date's x: piecewise linear between the chain versions' release dates (monotonic, not to scale).
  const xOf = (d) => {
    if (!dates.length || d <= dates[0][1]) return LEFT + (dates.length ? dates[0][0] : 0) * COL;
    for (let i = 1; i < dates.length; i++) {
      if (d <= dates[i][1]) {
        const [ca, a] = dates[i - 1], [cb, b] = dates[i];
        return LEFT + (ca + (cb - ca) * (Date.parse(d) - Date.parse(a)) / Math.max(1, Date.parse(b) - Date.parse(a))) * COL;
      }
    }
    return LEFT + dates[dates.length - 1][0] * COL + NODE_W;
  };
  return { pos, lanes, cols, dates, xOf, chain };
}

function edgePath(a, b, kind, bend) {
  const x1 = a.x + NODE_W, y1 = a.y + NODE_H / 2, x2 = b.x, y2 = b.y + NODE_H / 2;
  if (b.x <= a.x) { // same column or backwards: leave from the bottom, arrive from the top
    const sx = a.x + NODE_W / 2, sy = a.y + NODE_H, ex = b.x + NODE_W / 2, ey = b.y;
    return `M${sx},${sy} C${sx},${sy + 30} ${ex},${ey - 30} ${ex},${ey}`;
  }
  if (kind === "RECOMMENDED_REPLACEMENT" && a.lane === 0 && b.lane === 0) { // arcs above the main line
    const top = a.y - 10 - Math.min(bend, 10) * 9;
    return `M${x1 - 20},${a.y} C${x1 - 20},${top - 20} ${x2 + 20},${top - 20} ${x2 + 20},${b.y}`;
  }
  const mx = (x1 + x2) / 2;
  return `M${x1},${y1} C${mx},${y1} ${mx},${y2} ${x2},${y2}`;
}

function short(name, n = 26) {
  return name.length > n ? name.slice(0, n - 1) + "…" : name;
}

function aliasBindings(lineage, pos) {
  const byAlias = new Map();
  for (const e of lineage.edges.filter((e) => e.kind === "ALIAS" && e.viaAlias)) {
    if (!byAlias.has(e.viaAlias)) byAlias.set(e.viaAlias, []);
    byAlias.get(e.viaAlias).push(e);
  }
  return [...byAlias.entries()].map(([alias, edges]) => {
    edges.sort((a, b) => (a.validFrom || "").localeCompare(b.validFrom || ""));
    const spans = edges.map((e) => ({ slug: e.to.slug, from: e.validFrom, to: e.validTo, source: e.source }));
    const first = edges[0];
    const firstNode = pos.get(first.from.slug);
    if (firstNode && firstNode.node.releaseDate && first.validFrom && !spans.some((s) => s.slug === first.from.slug)) {
      spans.unshift({ slug: first.from.slug, from: firstNode.node.releaseDate, to: first.validFrom, inferred: true });
    }
    return { alias, spans };
  });
}

export function LineagePicture({ lineage, root }) {
  const [show, setShow] = useState({ NEXT_VERSION: true, RECOMMENDED_REPLACEMENT: true, DERIVED_FROM: true, POSITIONED_SUCCESSOR: true, ALTERNATIVE: true, inferred: true });
  const { pos, lanes, cols, dates, xOf, chain } = layout(lineage);
  const aliases = aliasBindings(lineage, pos);
  const edges = lineage.edges.filter((e) => e.kind !== "ALIAS" && show[e.kind] !== false && (show.inferred || !e.inferred)
    && pos.has(e.from.slug) && pos.has(e.to.slug));
  const graphH = TOP + lanes * LANE;
  const aliasTop = graphH + 20;
  const height = aliasTop + (aliases.length ? 30 + aliases.length * 40 : 0);
  const width = LEFT * 2 + Math.max(1, cols) * COL;
  const bends = new Map();
  const nameOf = (slug) => (pos.get(slug) ? pos.get(slug).node.name : slug);
  const replacements = lineage.edges.filter((e) => e.kind === "RECOMMENDED_REPLACEMENT");
  return html`<div class="lineage">
    <fieldset class="toggles"><legend>Show</legend>
      ${[["NEXT_VERSION", "next versions"], ["RECOMMENDED_REPLACEMENT", "recommended replacements"], ["DERIVED_FROM", "derivations"], ["inferred", "inferred links"]].map(([k, label]) => html`<label>
        <input type="checkbox" checked=${show[k]} onChange=${(e) => setShow({ ...show, [k]: e.currentTarget.checked })} /> ${label}</label>`)}
    </fieldset>
    <div class="scroll graph-scroll" tabindex="0" role="region" aria-label="Lineage graph (scrolls sideways)">
    <svg class="graph" width=${width} height=${height} viewBox=${`0 0 ${width} ${height}`} role="group"
      aria-label=${`Lineage of ${nameOf(root)}: ${chain.map(nameOf).join(" → ")}`}>
      <defs>${["next", "repl", "deriv", "pos", "alt"].map((k) => html`<marker id=${"arrow-" + k} viewBox="0 0 10 10" refX="9" refY="5"
        markerWidth="7" markerHeight="7" orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" class=${"m-" + k} /></marker>`)}</defs>
      ${dates.map(([col, d]) => html`<text x=${LEFT + col * COL} y="14" class="axis">${d}</text>`)}
      ${edges.map((e) => {
        const a = pos.get(e.from.slug), b = pos.get(e.to.slug);
        const k = `${a.lane}`;
        const bend = e.kind === "RECOMMENDED_REPLACEMENT" ? (bends.get(k) || 0) : 0;
        if (e.kind === "RECOMMENDED_REPLACEMENT") bends.set(k, bend + 1);
        const kind = KINDS[e.kind] || KINDS.ALTERNATIVE;
        const when = [e.validFrom && `from ${e.validFrom}`, e.validTo && `until ${e.validTo}`].filter(Boolean).join(" ");
        return html`<path d=${edgePath(a, b, e.kind, bend)} class=${`edge ${kind.cls}${e.inferred ? " inferred" : ""}${e.validTo ? " ended" : ""}`}
          marker-end=${`url(#arrow-${kind.cls.slice(2)})`}><title>${nameOf(e.from.slug)} → ${nameOf(e.to.slug)}: ${kind.label}${e.derivationKind ? ` (${e.derivationKind})` : ""}${when ? `, ${when}` : ""}${e.scope ? `, on ${e.scope.name}` : ""}${e.inferred ? `, inferred by ${e.inferredBy || "a rule"}` : ""}</title></path>`;
      })}
      ${[...pos.values()].map(({ x, y, node }) => html`<a href=${route.model(node.slug)} class=${"node" + (node.slug === root ? " root" : "")}>
        <title>${node.name}</title>
        <rect x=${x} y=${y} width=${NODE_W} height=${NODE_H} rx="8" class=${"n-" + node.status.toLowerCase()} />
        <svg x=${x + 8} y=${y} width=${NODE_W - 12} height=${NODE_H}>
          <text x="0" y="18" class="n-name" textLength=${node.name.length > 22 ? NODE_W - 16 : undefined}
            lengthAdjust="spacingAndGlyphs">${node.name}</text>
          <text x="0" y="35" class="n-sub">${node.releaseDate || "undated"} · ${node.status.toLowerCase()}</text>
        </svg>
      </a>`)}
      ${aliases.length ? html`<text x=${LEFT} y=${aliasTop + 4} class="axis">Alias bindings on a timeline (which version each alias named, when)</text>` : ""}
      ${aliases.map(({ alias, spans }, i) => {
        const y = aliasTop + 26 + i * 40;
        const end = LEFT + Math.max(1, cols) * COL - 10;
        return html`<g class="alias">
          ${spans.map((s, j) => {
            const x1 = s.from ? xOf(s.from) : LEFT, x2 = s.to ? Math.max(x1 + 4, xOf(s.to)) : end;
            const about = `${alias}: ${s.from || "?"} – ${s.to || "today"}`;
            return html`<a href=${route.model(s.slug)} aria-label=${`${nameOf(s.slug)} (${about})`}>
              <title>${nameOf(s.slug)} (${about})</title>
              <rect x=${x1} y=${y} width=${x2 - x1} height="22" class=${"span s" + (j % 2) + (s.inferred ? " inferred" : "")} />
              <svg x=${x1 + 4} y=${y} width=${Math.max(1, x2 - x1 - 6)} height="22"><text x="0" y="15" class="span-lbl">${nameOf(s.slug)}</text></svg>
            </a>`;
          })}
          <text x=${LEFT} y=${y - 4} class="alias-name">${alias}</text>
        </g>`;
      })}
    </svg></div>
    <p class="legend"><span class="ln e-next"></span> next version <span class="ln e-repl"></span> recommended replacement
      <span class="ln e-deriv"></span> derivation <span class="ln inferred"></span> inferred · nodes open the model; hover an edge for its dates</p>
    <h3>Chain</h3>
    <ol class="chain">${chain.map((slug) => html`<li><a href=${route.model(slug)}>${nameOf(slug)}</a></li>`)}</ol>
    ${replacements.length ? html`<h3>Recommended replacements</h3>
    <ul class="plain replacements">${replacements.map((e) => html`<li><a href=${route.model(e.from.slug)}>${nameOf(e.from.slug)}</a> → <a href=${route.model(e.to.slug)}>${nameOf(e.to.slug)}</a>${" "}
      <span class="muted">${[e.validFrom && `from ${e.validFrom}`, e.validTo && `until ${e.validTo}`].filter(Boolean).join(" ") || "no end date"}${e.scope ? ` · on ${e.scope.name} only` : ""}</span></li>`)}</ul>` : ""}
    <details><summary>All ${lineage.edges.length} relations, with validity dates</summary><div class="scroll"><table>
      <thead><tr><th scope="col">From</th><th scope="col">Relation</th><th scope="col">To</th><th scope="col">Valid</th><th scope="col">Scope / note</th></tr></thead>
      <tbody>${lineage.edges.map((e) => html`<tr>
        <td><a href=${route.model(e.from.slug)}>${nameOf(e.from.slug)}</a></td>
        <td>${e.kind === "ALIAS" ? html`alias <code>${e.viaAlias}</code> moved` : (KINDS[e.kind] || KINDS.ALTERNATIVE).label}${e.derivationKind ? ` (${e.derivationKind})` : ""}</td>
        <td><a href=${route.model(e.to.slug)}>${nameOf(e.to.slug)}</a></td>
        <td>${e.validFrom || "…"} – ${e.validTo || "…"}</td>
        <td>${e.scope ? `on ${e.scope.name}` : ""}${e.inferred ? ` inferred (${e.inferredBy || "rule"})` : ""}${e.unconfirmed ? " unconfirmed" : ""}</td></tr>`)}</tbody>
    </table></div></details>
  </div>`;
}

export function LineagePage({ slug }) {
  const q = useQuery("Lineage", { id: slug });
  return html`<${Await} q=${q} what="Loading the lineage">${(data) => {
    if (!data.model) return html`<div class="page"><h1>Not found</h1><p>No model is known as <code>${slug}</code>.</p></div>`;
    const m = data.model;
    return html`<div class="page">
      <header class="page-head"><h1>Lineage of ${m.name}</h1>
        <p class="muted"><a href=${route.model(m.slug)}>model page</a>${m.family ? html` · family <a href=${route.family(m.family.slug)}>${m.family.name}</a>` : ""}</p></header>
      <${Section} title="Succession, replacements, derivations and aliases" id="lineage-graph">
        <${LineagePicture} lineage=${data.lineage} root=${m.slug} />
      <//>
    </div>`;
  }}<//>`;
}

export function FamilyPage({ slug }) {
  const q = useQuery("Family", { id: slug });
  return html`<${Await} q=${q} what="Loading the family">${(data) => {
    const f = data.family;
    if (!f) return html`<div class="page"><h1>Not found</h1><p>No family is known as <code>${slug}</code>.</p></div>`;
    const first = f.timeline[0];
    return html`<div class="page">
      <header class="page-head"><h1>${f.name}</h1><p class="muted">family by ${f.maker.name} · ${f.timeline.length} versions</p></header>
      <${Section} title="Versions" id="versions">
        <ol class="versions">${f.timeline.map((t) => html`<li><${ModelLink} m=${t.model} /> <span class="muted">${t.releaseDate || "undated"}</span> <${Status} s=${t.status} /></li>`)}</ol>
      <//>
      ${first ? html`<${FamilyLine} slug=${first.model.slug} />` : ""}
    </div>`;
  }}<//>`;
}

function FamilyLine({ slug }) {
  const q = useQuery("Lineage", { id: slug });
  return html`<${Section} title="The whole line" id="family-graph">
    <${Await} q=${q} what="Loading the lineage">${(data) => html`<${LineagePicture} lineage=${data.lineage} root=${slug} />`}<//>
  <//>`;
}
