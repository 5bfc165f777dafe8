// The constraints form shared by the migration planner and the alternatives view; its values live in the URL.
import { useState } from "preact/hooks";
import { useQuery } from "./api.js";
import { html, listOf } from "./ui.js";

// fields: [{key, label, type: text|number|checkbox|caps|license|provider, help}]
export function ConstraintForm({ fields, values, onSubmit, providers = [], submitLabel, idPrefix }) {
  const vocab = useQuery("Vocabulary", {});
  const [draft, setDraft] = useState(values);
  const set = (k, v) => setDraft({ ...draft, [k]: v });
  const caps = vocab.data ? vocab.data.capabilities : [];
  const licenses = vocab.data ? vocab.data.licenses : [];
  const field = (f) => {
    const id = `${idPrefix}-${f.key}`;
    if (f.type === "checkbox") {
      return html`<div class="field check"><input id=${id} type="checkbox" checked=${!!draft[f.key]} onChange=${(e) => set(f.key, e.currentTarget.checked)} />
        <label for=${id}>${f.label}</label></div>`;
    }
    if (f.type === "caps") {
      const chosen = new Set(listOf(draft[f.key]));
      const toggle = (slug, on) => { on ? chosen.add(slug) : chosen.delete(slug); set(f.key, [...chosen].join(",")); };
      return html`<fieldset class="field caps"><legend>${f.label}</legend>
        ${vocab.loading ? html`<span class="muted">loading…</span>` : caps.map((c) => html`<label class="cap">
          <input type="checkbox" name=${f.key} value=${c.slug} checked=${chosen.has(c.slug)} onChange=${(e) => toggle(c.slug, e.currentTarget.checked)} /> ${c.name}</label>`)}
      </fieldset>`;
    }
    if (f.type === "license") {
      return html`<div class="field"><label for=${id}>${f.label}</label>
        <select id=${id} value=${draft[f.key] || ""} onChange=${(e) => set(f.key, e.currentTarget.value)}>
          <option value="">any license</option>
          ${licenses.map((l) => html`<option value=${l.slug}>${l.name}</option>`)}
        </select></div>`;
    }
    const list = f.type === "provider" ? `${id}-options` : undefined;
    return html`<div class="field"><label for=${id}>${f.label}</label>
      <input id=${id} type=${f.type === "number" ? "number" : "text"} inputmode=${f.type === "number" ? "decimal" : undefined}
        min=${f.type === "number" ? "0" : undefined} step=${f.step || "any"} list=${list} placeholder=${f.placeholder || ""}
        value=${draft[f.key] || ""} onInput=${(e) => set(f.key, e.currentTarget.value)} />
      ${list ? html`<datalist id=${list}>${providers.map((p) => html`<option value=${p.slug}>${p.name}</option>`)}</datalist>` : ""}
      ${f.help ? html`<small>${f.help}</small>` : ""}</div>`;
  };
  return html`<form class="constraints" onSubmit=${(e) => { e.preventDefault(); onSubmit(draft); }}>
    <div class="fields">${fields.filter((f) => f.type !== "caps").map(field)}</div>
    ${fields.filter((f) => f.type === "caps").map(field)}
    <div class="form-actions"><button type="submit" class="primary">${submitLabel}</button>
      <button type="button" onClick=${() => { setDraft({}); onSubmit({}); }}>Clear</button></div>
  </form>`;
}
