import { escape, initialState, type Field, type FieldErrors, type FieldState } from "../lib/schemaForm";

interface FieldProps {
  field: Field;
  state: FieldState;
  onChange: (state: FieldState) => void;
  errors: FieldErrors;
  pointer: string;
}

/** The form generated from an input schema; `errors` are keyed by JSON pointer, from the browser or the server. */
export function SchemaForm({ field, state, onChange, errors }: Omit<FieldProps, "pointer">) {
  return (
    <div className="schema-form">
      <FieldEditor field={field} state={state} onChange={onChange} errors={errors} pointer="" />
    </div>
  );
}

function idFor(pointer: string): string {
  return `input${pointer === "" ? "-root" : pointer.replace(/[^a-zA-Z0-9_-]/g, "-")}`;
}

function FieldEditor(props: FieldProps) {
  const { field, pointer } = props;
  if (field.kind === "object") return <ObjectEditor {...props} />;
  if (field.kind === "array") return <ArrayEditor {...props} />;
  const id = idFor(pointer);
  const error = props.errors[pointer];
  return (
    <div className={`field field-${field.kind}${error ? " has-error" : ""}`} data-pointer={pointer}>
      {field.kind === "boolean" ? (
        <label className="checkbox" htmlFor={id}>
          <Input {...props} id={id} error={error} />
          <span>
            {field.label || "Value"}
            {field.required && <RequiredMark />}
          </span>
        </label>
      ) : (
        <>
          <label htmlFor={id}>
            {field.label || "Value"}
            {field.required && <RequiredMark />}
            {field.format && <span className="format-hint">{field.format}</span>}
          </label>
          <Input {...props} id={id} error={error} />
        </>
      )}
      {field.description && (
        <p className="field-help" id={`${id}-help`}>
          {field.description}
        </p>
      )}
      {error && (
        <p className="field-error" id={`${id}-error`} data-error-for={pointer}>
          {error}
        </p>
      )}
    </div>
  );
}

function RequiredMark() {
  return (
    <span className="required" title="required" aria-label="required">
      *
    </span>
  );
}

function Input({ field, state, onChange, id, error }: FieldProps & { id: string; error?: string }) {
  const describedBy = [field.description ? `${id}-help` : null, error ? `${id}-error` : null].filter(Boolean).join(" ") || undefined;
  const common = { id, name: id, "aria-invalid": error ? true : undefined, "aria-describedby": describedBy, "aria-required": field.required || undefined };
  switch (field.kind) {
    case "boolean":
      return <input type="checkbox" {...common} checked={state === true} onChange={(e) => onChange(e.target.checked)} />;
    case "enum":
      return (
        <select {...common} value={typeof state === "string" ? state : ""} onChange={(e) => onChange(e.target.value)}>
          <option value="">{field.required ? "Choose…" : "(none)"}</option>
          {(field.options ?? []).map((option) => (
            <option key={JSON.stringify(option)} value={JSON.stringify(option)}>
              {typeof option === "string" ? option : JSON.stringify(option)}
            </option>
          ))}
        </select>
      );
    case "number":
    case "integer":
      return (
        <input
          type="text"
          inputMode={field.kind === "integer" ? "numeric" : "decimal"}
          {...common}
          value={typeof state === "string" ? state : ""}
          placeholder={placeholderFor(field)}
          onChange={(e) => onChange(e.target.value)}
        />
      );
    case "json":
      return (
        <textarea
          {...common}
          className="mono"
          rows={4}
          value={typeof state === "string" ? state : ""}
          placeholder="JSON"
          onChange={(e) => onChange(e.target.value)}
        />
      );
    default: {
      // Long text (a declared maxLength over 200, or Markdown) gets a text area; everything else one line.
      const long = (typeof field.schema.maxLength === "number" && field.schema.maxLength > 200) || field.schema.contentMediaType === "text/markdown";
      const type = inputType(field.format);
      if (type === "text" && long) {
        return <textarea {...common} rows={2} value={typeof state === "string" ? state : ""} onChange={(e) => onChange(e.target.value)} />;
      }

      return <input type={type} {...common} value={typeof state === "string" ? state : ""} onChange={(e) => onChange(e.target.value)} />;
    }
  }
}

function inputType(format: string | undefined): string {
  switch (format) {
    case "email":
      return "email";
    case "uri":
    case "url":
      return "url";
    case "date":
      return "date";
    case "date-time":
      return "datetime-local";
    default:
      return "text";
  }
}

function placeholderFor(field: Field): string | undefined {
  const { minimum, maximum } = field.schema;
  if (typeof minimum === "number" && typeof maximum === "number") return `${minimum} – ${maximum}`;
  if (typeof minimum === "number") return `≥ ${minimum}`;
  if (typeof maximum === "number") return `≤ ${maximum}`;
  return undefined;
}

function ObjectEditor({ field, state, onChange, errors, pointer }: FieldProps) {
  const values = typeof state === "object" && state !== null && !Array.isArray(state) ? state : {};
  const children = (field.properties ?? []).map((property) => {
    const childPointer = `${pointer}/${escape(property.name)}`;
    return (
      <FieldEditor
        key={property.name}
        field={property}
        state={values[property.name] ?? initialState(property)}
        onChange={(next) => onChange({ ...values, [property.name]: next })}
        errors={errors}
        pointer={childPointer}
      />
    );
  });
  const error = errors[pointer];
  if (pointer === "") {
    return (
      <>
        {children.length === 0 && <p className="muted">This agent takes no input.</p>}
        {children}
        {error && (
          <p className="field-error" data-error-for="">
            {error}
          </p>
        )}
      </>
    );
  }

  return (
    <fieldset className="field-object" data-pointer={pointer}>
      <legend>
        {field.label}
        {field.required && <RequiredMark />}
      </legend>
      {field.description && <p className="field-help">{field.description}</p>}
      {children}
      {error && (
        <p className="field-error" data-error-for={pointer}>
          {error}
        </p>
      )}
    </fieldset>
  );
}

function ArrayEditor({ field, state, onChange, errors, pointer }: FieldProps) {
  const items = Array.isArray(state) ? state : [];
  const error = errors[pointer];
  return (
    <fieldset className={`field-array${error ? " has-error" : ""}`} data-pointer={pointer}>
      <legend>
        {field.label || "Items"}
        {field.required && <RequiredMark />}
      </legend>
      {field.description && <p className="field-help">{field.description}</p>}
      {items.length === 0 && <p className="muted">No items.</p>}
      <ol className="array-items">
        {items.map((item, index) => (
          <li key={index}>
            <FieldEditor
              field={{ ...field.items!, label: `${field.items!.label || "Item"} ${index + 1}` }}
              state={item}
              onChange={(next) => onChange(items.map((current, i) => (i === index ? next : current)))}
              errors={errors}
              pointer={`${pointer}/${index}`}
            />
            <button type="button" className="button button-small button-ghost" onClick={() => onChange(items.filter((_, i) => i !== index))} aria-label={`Remove item ${index + 1}`}>
              Remove
            </button>
          </li>
        ))}
      </ol>
      <button type="button" className="button button-small" onClick={() => onChange([...items, initialState(field.items!)])}>
        Add item
      </button>
      {error && (
        <p className="field-error" data-error-for={pointer}>
          {error}
        </p>
      )}
    </fieldset>
  );
}
