// The migration planner: constraints form, ranked paths with per-step checks, and "no path" explained.
import { useQuery } from "./api.js";
import { ConstraintForm } from "./forms.js";
import { Await, Chips, html, ModelLink, numberOrNull, queryText, listOf, ratio, route, Section, Status, tokens, usd } from "./ui.js";

export const MIGRATION_FIELDS = [
  { key: "provider", label: "Stay on provider", type: "provider", placeholder: "provider slug, e.g. aws-bedrock" },
  { key: "minContext", label: "Minimum context (tokens)", type: "number", step: "1" },
  { key: "maxInputPrice", label: "Max input price ($/1M)", type: "number" },
  { key: "maxOutputPrice", label: "Max output price ($/1M)", type: "number" },
  { key: "license", label: "License", type: "license" },
  { key: "maxSteps", label: "Max steps", type: "number", step: "1" },
  { key: "openWeights", label: "Open weights required", type: "checkbox" },
  { key: "commercial", label: "Commercial use required", type: "checkbox" },
  { key: "osi", label: "OSI-approved license", type: "checkbox" },
  { key: "keep", label: "Capabilities to keep", type: "caps" },
];

const DESCRIBE = {
  provider: (v) => `staying on provider ${v}`,
  minContext: (v) => `a context of at least ${tokens(Number(v))} tokens`,
  maxInputPrice: (v) => `an input price of at most ${usd(Number(v))}`,
  maxOutputPrice: (v) => `an output price of at most ${usd(Number(v))}`,
  license: (v) => `the license ${v}`,
  maxSteps: (v) => `at most ${v} step${v === "1" ? "" : "s"}`,
  openWeights: () => "open weights",
  commercial: () => "commercial use",
  osi: () => "an OSI-approved license",
  keep: (v) => `keeping ${listOf(v).join(", ")}`,
};

export function constraintsOf(values) {
  const c = {};
  if (values.provider) c.provider = values.provider;
  const minContext = numberOrNull(values.minContext);
  if (minContext !== null) c.minContext = Math.round(minContext);
  const maxIn = numberOrNull(values.maxInputPrice), maxOut = numberOrNull(values.maxOutputPrice);
  if (maxIn !== null) c.maxInputPrice = maxIn;
  if (maxOut !== null) c.maxOutputPrice = maxOut;
  if (values.license) c.licenses = [values.license];
  const steps = numberOrNull(values.maxSteps);
  if (steps !== null) c.maxSteps = Math.round(steps);
  if (values.openWeights) c.requireOpenWeights = true;
  if (values.commercial) c.requireCommercialUse = true;
  if (values.osi) c.osiApproved = true;
  if (listOf(values.keep).length) c.keepCapabilities = listOf(values.keep);
  return c;
}

function activeKeys(values) {
  return Object.keys(DESCRIBE).filter((k) => values[k] !== undefined && values[k] !== "" && values[k] !== false);
}

function Checks({ c }) {
  const lic = (l) => (l ? l.name : "unknown");
  const rows = [
    ["Context", `${tokens(c.contextBefore)} → ${tokens(c.contextAfter)}`, c.contextAfter != null && c.contextBefore != null && c.contextAfter < c.contextBefore ? "bad" : ""],
    ["Price ratio (blended)", html`${ratio(c.priceRatio)}${c.priceProvider ? html` <span class="muted">on ${c.priceProvider.name}</span>` : ""}`, c.priceRatio > 1.005 ? "bad" : c.priceRatio < 0.995 ? "good" : ""],
    ["Input price", `${usd(c.inputPriceBefore)} → ${usd(c.inputPriceAfter)}`, ""],
    ["Output price", `${usd(c.outputPriceBefore)} → ${usd(c.outputPriceAfter)}`, ""],
    ["Capabilities gained", html`<${Chips} items=${c.capabilitiesGained} kind="good" />`, ""],
    ["Capabilities lost", html`<${Chips} items=${c.capabilitiesLost} kind="bad" />`, c.capabilitiesLost.length ? "bad" : ""],
    ["Modalities", c.modalitiesGained.length || c.modalitiesLost.length ? `+${c.modalitiesGained.join(", ") || "none"} / −${c.modalitiesLost.join(", ") || "none"}` : "unchanged", c.modalitiesLost.length ? "bad" : ""],
    ["License", lic(c.licenseBefore) === lic(c.licenseAfter) ? `${lic(c.licenseAfter)} (unchanged)` : `${lic(c.licenseBefore)} → ${lic(c.licenseAfter)}`, lic(c.licenseBefore) !== lic(c.licenseAfter) ? "warn" : ""],
    ["Commercial use", c.losesCommercialUse ? "lost" : "kept", c.losesCommercialUse ? "bad" : ""],
    ["Open weights", c.losesOpenWeights ? "lost" : "kept", c.losesOpenWeights ? "bad" : ""],
    ["API id", c.apiIdChanged ? "changes: update your calls" : "same", c.apiIdChanged ? "warn" : ""],
    ["Target status", html`<${Status} s=${c.targetStatus} />${c.targetRetirementDate ? ` retires ${c.targetRetirementDate}` : ""}`, ""],
  ];
  return html`<dl class="checks">${rows.map(([k, v, tone]) => html`<div class=${tone}><dt>${k}</dt><dd>${v}</dd></div>`)}</dl>
    ${c.warnings.length ? html`<ul class="warnings" aria-label="Warnings">${c.warnings.map((w) => html`<li>⚠ ${w}</li>`)}</ul>` : ""}`;
}

function Probe({ from, values, without }) {
  const rest = { ...values };
  for (const k of without) delete rest[k];
  const q = useQuery("MigrationProbe", { from, constraints: constraintsOf(rest) });
  const what = without.length === 1 ? DESCRIBE[without[0]](values[without[0]]) : "any constraint";
  const culprit = without.length === 1 ? html` <em>This constraint removes the candidates.</em>` : "";
  return html`<li>${q.loading ? html`Without ${what}: checking…` : q.error ? html`Without ${what}: ${q.error.message}` : (() => {
    const paths = q.data.migrationPaths;
    return paths.length
      ? html`Without <strong>${what}</strong>: ${paths.length}${paths.length === 3 ? "+" : ""} path${paths.length > 1 ? "s" : ""}, e.g. ${paths.map((p, i) => html`${i ? ", " : ""}<${ModelLink} m=${p.target} />`)}.${culprit}`
      : html`Without ${what}: still no path.`;
  })()}</li>`;
}

function NoPath({ from, values }) {
  const keys = activeKeys(values);
  if (!keys.length) return html`<p class="empty">No migration path at all: the model has no successor, replacement or live alternative in the data.</p>`;
  return html`<div class="empty" role="status"><p><strong>No path fits these constraints.</strong> Which one removes the candidates:</p>
    <ul>${keys.map((k) => html`<${Probe} key=${k} from=${from} values=${values} without=${[k]} />`)}
      ${keys.length > 1 ? html`<${Probe} from=${from} values=${values} without=${keys} />` : ""}</ul></div>`;
}

export function MigratePage({ slug, query }) {
  const constraints = constraintsOf(query);
  const q = useQuery("Migration", { from: slug, constraints, first: 3 });
  const offers = useQuery("ModelOfferings", { id: slug });
  const providers = offers.data && offers.data.model
    ? [...new Map(offers.data.model.offerings.map((o) => [o.provider.slug, o.provider])).values()] : [];
  const active = activeKeys(query);
  return html`<div class="page">
    <header class="page-head"><h1>Plan a migration</h1>
      <p>From <a href=${route.model(slug)}><code>${slug}</code></a>${active.length ? `. Constraints: ${active.map((k) => DESCRIBE[k](query[k])).join(", ")}` : ""}.</p></header>
    <${Section} title="Constraints" id="constraints">
      <${ConstraintForm} key=${JSON.stringify(query)} idPrefix="mig" fields=${MIGRATION_FIELDS} values=${query} providers=${providers}
        submitLabel="Find paths" onSubmit=${(v) => { location.hash = route.migrate(slug, queryText(v)); }} />
    <//>
    <${Section} title="Ranked paths" id="paths">
      <${Await} q=${q} what="Finding paths">${(data) => {
        if (!data.model) return html`<p>No model is known as <code>${slug}</code>.</p>`;
        const paths = data.migrationPaths;
        if (!paths.length) return html`<${NoPath} from=${slug} values=${query} />`;
        return html`<ol class="paths">${paths.map((p, i) => html`<li class="path">
          <h3>${i + 1}. <${ModelLink} m=${p.target} /> <span class="muted">score ${p.score.toFixed(3)} · ${p.steps.length} step${p.steps.length > 1 ? "s" : ""}</span></h3>
          <ol class="steps">${p.steps.map((s) => html`<li class="step">
            <p class="step-head"><${ModelLink} m=${s.from} /> → <${ModelLink} m=${s.to} /> <span class="kind">${s.kind.toLowerCase().replace(/_/g, " ")}</span></p>
            <${Checks} c=${s.checks} />
          </li>`)}</ol>
        </li>`)}</ol>`;
      }}<//>
    <//>
  </div>`;
}
