import type { Child } from "hono/jsx";

export function Alert(props: { kind: "error" | "success" | "info"; children: Child }) {
  return (
    <p class={`alert alert-${props.kind}`} role={props.kind === "error" ? "alert" : "status"}>
      {props.children}
    </p>
  );
}

export interface FieldProps {
  label: string;
  name: string;
  type?: string;
  value?: string | null;
  error?: string;
  hint?: string;
  autocomplete?: string;
  required?: boolean;
  maxlength?: number;
  minlength?: number;
  inputmode?: "numeric" | "text";
  autofocus?: boolean;
}

/** A labelled input with its hint and error wired up for screen readers. */
export function Field(p: FieldProps) {
  const id = `f-${p.name}`;
  const describedBy = [p.hint ? `${id}-hint` : "", p.error ? `${id}-error` : ""].filter(Boolean).join(" ") || undefined;
  return (
    <div class={`field${p.error ? " has-error" : ""}`}>
      <label for={id}>{p.label}</label>
      <input
        id={id}
        name={p.name}
        type={p.type ?? "text"}
        value={p.value ?? undefined}
        autocomplete={p.autocomplete}
        required={p.required}
        maxlength={p.maxlength}
        minlength={p.minlength}
        inputmode={p.inputmode}
        autofocus={p.autofocus}
        aria-invalid={p.error ? "true" : undefined}
        aria-describedby={describedBy}
      />
      {p.hint ? (
        <p class="hint" id={`${id}-hint`}>
          {p.hint}
        </p>
      ) : null}
      {p.error ? (
        <p class="field-error" id={`${id}-error`}>
          {p.error}
        </p>
      ) : null}
    </div>
  );
}

export function TextArea(p: { label: string; name: string; value?: string; maxlength?: number; error?: string }) {
  const id = `f-${p.name}`;
  return (
    <div class={`field${p.error ? " has-error" : ""}`}>
      <label for={id}>{p.label}</label>
      <textarea id={id} name={p.name} maxlength={p.maxlength} rows={4}>
        {p.value ?? ""}
      </textarea>
      {p.error ? <p class="field-error">{p.error}</p> : null}
    </div>
  );
}

export function Choice(p: { legend: string; name: string; options: { value: string; label: string }[]; selected: string; type?: "radio" | "checkbox"; checked?: string[] }) {
  return (
    <fieldset class="choice">
      <legend>{p.legend}</legend>
      {p.options.map((o) => (
        <label class="choice-option">
          <input type={p.type ?? "radio"} name={p.name} value={o.value} checked={p.type === "checkbox" ? p.checked?.includes(o.value) : o.value === p.selected} /> {o.label}
        </label>
      ))}
    </fieldset>
  );
}
