/**
 * Turns an agent's `inputSchema` into form fields, the form's editing state into the JSON input a run takes, and
 * checks that input in the browser with the same words the server uses, keyed by JSON pointer so that the server's
 * 422 errors (whose `path`s are pointers too) land on the same fields.
 */

// A JSON Schema as it comes over the wire; only the keywords the form understands are read.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Schema = Record<string, any>;

export type FieldKind = "text" | "number" | "integer" | "boolean" | "enum" | "object" | "array" | "json";

export interface Field {
  /** The property name; empty for the root and for array items. */
  name: string;
  label: string;
  description?: string;
  required: boolean;
  kind: FieldKind;
  format?: string;
  /** The allowed values of an `enum` (or `const`) field. */
  options?: unknown[];
  defaultValue?: unknown;
  schema: Schema;
  /** An object's properties, in the schema's order. */
  properties?: Field[];
  /** The field of an array's items. */
  items?: Field;
}

/** The form's editing state: text inputs keep their text until the input is read, so "1." can be typed. */
export type FieldState = string | boolean | FieldState[] | { [name: string]: FieldState };

/** Error messages by JSON pointer ("" is the whole input, "/topic" a property, "/tags/0" an item). */
export type FieldErrors = Record<string, string>;

const maxRefDepth = 32;

/** Builds the root field of a schema; a schema that is not an object schema becomes a single JSON field. */
export function fieldsFromSchema(schema: Schema | boolean | null | undefined): Field {
  const root: Schema = typeof schema === "object" && schema !== null ? schema : {};
  return buildField(root, root, "", true, 0);
}

function buildField(root: Schema, raw: Schema, name: string, required: boolean, depth: number): Field {
  const schema = resolve(root, raw, depth);
  const type = primaryType(schema);
  const field: Field = {
    name,
    label: typeof schema.title === "string" ? schema.title : humanize(name),
    description: typeof schema.description === "string" ? schema.description : undefined,
    required,
    kind: "json",
    format: typeof schema.format === "string" ? schema.format : undefined,
    defaultValue: schema.default,
    schema,
  };

  if (Array.isArray(schema.enum)) {
    return { ...field, kind: "enum", options: schema.enum };
  }

  if ("const" in schema) {
    return { ...field, kind: "enum", options: [schema.const] };
  }

  switch (type) {
    case "string":
      return { ...field, kind: "text" };
    case "number":
      return { ...field, kind: "number" };
    case "integer":
      return { ...field, kind: "integer" };
    case "boolean":
      return { ...field, kind: "boolean" };
    case "object": {
      if (depth > maxRefDepth || typeof schema.properties !== "object" || schema.properties === null) {
        return field;
      }

      const requiredNames = new Set<string>(Array.isArray(schema.required) ? schema.required : []);
      const properties = Object.entries(schema.properties as Record<string, Schema>).map(([key, child]) =>
        buildField(root, typeof child === "object" && child !== null ? child : {}, key, requiredNames.has(key), depth + 1),
      );
      return { ...field, kind: "object", properties };
    }
    case "array": {
      const items = typeof schema.items === "object" && schema.items !== null && !Array.isArray(schema.items) ? schema.items : {};
      if (depth > maxRefDepth) {
        return field;
      }

      return { ...field, kind: "array", items: buildField(root, items, "", true, depth + 1) };
    }
    default:
      return field;
  }
}

/** Follows local `$ref`s (`#/$defs/…`, `#/definitions/…`); a reference it cannot follow leaves a JSON field. */
function resolve(root: Schema, schema: Schema, depth: number): Schema {
  let current = schema;
  for (let i = 0; i < maxRefDepth && typeof current.$ref === "string" && current.$ref.startsWith("#") && depth < maxRefDepth; i++) {
    const target = current.$ref
      .slice(1)
      .split("/")
      .filter((part: string) => part.length > 0)
      .map((part: string) => decodeURIComponent(part).replace(/~1/g, "/").replace(/~0/g, "~"))
      .reduce<unknown>((node, part) => (typeof node === "object" && node !== null ? (node as Schema)[part] : undefined), root);
    if (typeof target !== "object" || target === null) {
      return { ...current, $ref: undefined, type: undefined };
    }

    const { $ref: _ref, ...rest } = current;
    void _ref;
    current = { ...(target as Schema), ...rest };
  }

  return current;
}

function primaryType(schema: Schema): string | undefined {
  if (typeof schema.type === "string") return schema.type;
  if (Array.isArray(schema.type)) {
    const types = (schema.type as string[]).filter((t) => t !== "null");
    return types.length === 1 ? types[0] : undefined;
  }

  if (typeof schema.properties === "object") return "object";
  if (typeof schema.items === "object") return "array";
  return undefined;
}

/** "dueDate" → "Due date", "max_results" → "Max results". */
export function humanize(name: string): string {
  const words = name
    .replace(/([a-z0-9])([A-Z])/g, "$1 $2")
    .replace(/[_-]+/g, " ")
    .trim()
    .toLowerCase();
  return words.length === 0 ? "" : words[0].toUpperCase() + words.slice(1);
}

/** The editing state a field starts with: its default when it has one, else empty. */
export function initialState(field: Field, value: unknown = field.defaultValue): FieldState {
  switch (field.kind) {
    case "boolean":
      return value === true;
    case "text":
      return typeof value === "string" ? value : "";
    case "number":
    case "integer":
      return typeof value === "number" ? String(value) : "";
    case "enum":
      return value === undefined ? (field.required && field.options?.length === 1 ? JSON.stringify(field.options[0]) : "") : JSON.stringify(value);
    case "object": {
      const values = typeof value === "object" && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
      const state: Record<string, FieldState> = {};
      for (const property of field.properties ?? []) {
        state[property.name] = initialState(property, property.name in values ? values[property.name] : property.defaultValue);
      }

      return state;
    }
    case "array":
      return Array.isArray(value) ? value.map((item) => initialState(field.items!, item)) : [];
    case "json":
      return value === undefined ? "" : JSON.stringify(value, null, 2);
  }
}

/** The result of reading a form: the input to send, and what is wrong with it by pointer. */
export interface FormReading {
  value: unknown;
  errors: FieldErrors;
}

/** Reads the editing state into the run's input (numbers parsed, empty optional fields left out) and checks it. */
export function readForm(field: Field, state: FieldState): FormReading {
  const errors: FieldErrors = {};
  const read = readField(field, state, "", errors, true);
  return { value: read.present ? read.value : {}, errors };
}

interface Read {
  present: boolean;
  value?: unknown;
}

const absent: Read = { present: false };

function readField(field: Field, state: FieldState, pointer: string, errors: FieldErrors, isRoot = false): Read {
  switch (field.kind) {
    case "boolean":
      // An unticked optional box without a default says nothing, rather than "false".
      return state === true || field.required || field.defaultValue !== undefined ? { present: true, value: state === true } : absent;
    case "text":
      return readText(field, typeof state === "string" ? state : "", pointer, errors);
    case "number":
    case "integer":
      return readNumber(field, typeof state === "string" ? state : "", pointer, errors);
    case "enum": {
      const text = typeof state === "string" ? state : "";
      if (text === "") return missing(field, pointer, errors);
      return { present: true, value: JSON.parse(text) };
    }
    case "json": {
      const text = typeof state === "string" ? state.trim() : "";
      if (text === "") return missing(field, pointer, errors);
      try {
        return { present: true, value: JSON.parse(text) };
      } catch {
        errors[pointer] = "must be valid JSON";
        return { present: true };
      }
    }
    case "object": {
      const values = typeof state === "object" && state !== null && !Array.isArray(state) ? state : {};
      // An optional object left entirely empty is left out, and its required properties are not asked for.
      const probe: FieldErrors = {};
      const result: Record<string, unknown> = {};
      let any = false;
      for (const property of field.properties ?? []) {
        const read = readField(property, values[property.name] ?? initialState(property), `${pointer}/${escape(property.name)}`, probe);
        if (read.present) {
          any = true;
          result[property.name] = read.value;
        }
      }

      if (!any && !field.required && !isRoot) {
        return absent;
      }

      Object.assign(errors, probe);
      return { present: true, value: result };
    }
    case "array": {
      const items = Array.isArray(state) ? state : [];
      if (items.length === 0 && !field.required) {
        return absent;
      }

      const value = items.map((item, index) => {
        const read = readField(field.items!, item, `${pointer}/${index}`, errors);
        return read.present ? read.value : null;
      });
      const { minItems, maxItems, uniqueItems } = field.schema;
      if (typeof minItems === "number" && value.length < minItems) errors[pointer] ??= `must have at least ${minItems} item${minItems === 1 ? "" : "s"}`;
      if (typeof maxItems === "number" && value.length > maxItems) errors[pointer] ??= `must have at most ${maxItems} item${maxItems === 1 ? "" : "s"}`;
      if (uniqueItems === true && new Set(value.map((v) => JSON.stringify(v))).size !== value.length) errors[pointer] ??= "must not repeat items";
      return { present: true, value };
    }
  }
}

function missing(field: Field, pointer: string, errors: FieldErrors): Read {
  if (field.required) {
    errors[pointer] = "is required";
  }

  return absent;
}

function readText(field: Field, text: string, pointer: string, errors: FieldErrors): Read {
  if (text === "") return missing(field, pointer, errors);
  const { minLength, maxLength, pattern } = field.schema;
  const length = [...text].length;
  let value = text;
  if (typeof minLength === "number" && length < minLength) errors[pointer] = `must be at least ${minLength} characters`;
  else if (typeof maxLength === "number" && length > maxLength) errors[pointer] = `must be at most ${maxLength} characters`;
  else if (typeof pattern === "string" && !safeRegex(pattern)?.test(text)) errors[pointer] = `must match the pattern ${pattern}`;
  else {
    const checked = checkFormat(field.format, text);
    if (typeof checked === "string") value = checked;
    else errors[pointer] = checked.error;
  }

  return { present: true, value };
}

function readNumber(field: Field, text: string, pointer: string, errors: FieldErrors): Read {
  const trimmed = text.trim();
  if (trimmed === "") return missing(field, pointer, errors);
  const value = Number(trimmed);
  if (!Number.isFinite(value) || !/^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/.test(trimmed)) {
    errors[pointer] = field.kind === "integer" ? "must be a whole number" : "must be a number";
    return { present: true };
  }

  const { minimum, maximum, exclusiveMinimum, exclusiveMaximum, multipleOf } = field.schema;
  if (field.kind === "integer" && !Number.isInteger(value)) errors[pointer] = "must be a whole number";
  else if (typeof minimum === "number" && value < minimum) errors[pointer] = `must be >= ${minimum}`;
  else if (typeof maximum === "number" && value > maximum) errors[pointer] = `must be <= ${maximum}`;
  else if (typeof exclusiveMinimum === "number" && value <= exclusiveMinimum) errors[pointer] = `must be > ${exclusiveMinimum}`;
  else if (typeof exclusiveMaximum === "number" && value >= exclusiveMaximum) errors[pointer] = `must be < ${exclusiveMaximum}`;
  else if (typeof multipleOf === "number" && multipleOf > 0 && !Number.isInteger(Number((value / multipleOf).toFixed(9)))) errors[pointer] = `must be a multiple of ${multipleOf}`;
  return { present: true, value };
}

/** Checks the formats the form knows; answers the value to send (a local date-time becomes UTC) or the problem. */
export function checkFormat(format: string | undefined, text: string): string | { error: string } {
  switch (format) {
    case "email":
      return /^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(text) ? text : { error: "must be an email address" };
    case "uri":
    case "url":
      return /^[a-zA-Z][a-zA-Z0-9+.-]*:\S+$/.test(text) && canParseUrl(text) ? text : { error: "must be a URI such as https://example.com" };
    case "date": {
      const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
      const valid = match !== null && new Date(`${text}T00:00:00Z`).toISOString().startsWith(text);
      return valid ? text : { error: "must be a date such as 2026-01-31" };
    }
    case "date-time": {
      // <input type="datetime-local"> gives local time without a zone; the schema wants RFC 3339.
      if (/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?$/.test(text) && !Number.isNaN(Date.parse(text))) return new Date(text).toISOString();
      return /^\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$/.test(text) && !Number.isNaN(Date.parse(text))
        ? text
        : { error: "must be a date and time such as 2026-01-31T12:00:00Z" };
    }
    default:
      return text;
  }
}

function canParseUrl(text: string): boolean {
  try {
    new URL(text);
    return true;
  } catch {
    return false;
  }
}

function safeRegex(pattern: string): RegExp | null {
  try {
    return new RegExp(pattern, "u");
  } catch {
    return null;
  }
}

/** Escapes a property name for a JSON pointer. */
export function escape(name: string): string {
  return name.replace(/~/g, "~0").replace(/\//g, "~1");
}

/** A server problem's field errors (API.md "Errors") by pointer; a `required` error on an object names its missing property. */
export function errorsFromProblem(errors: readonly { path?: string; keyword?: string; message?: string }[] | undefined): FieldErrors {
  const result: FieldErrors = {};
  for (const error of errors ?? []) {
    let path = error.path ?? "";
    if (path !== "" && !path.startsWith("/")) path = `/${path}`;
    const message = error.message ?? error.keyword ?? "is invalid";
    if (error.keyword === "required") {
      const named = /'([^']+)'|"([^"]+)"/.exec(message);
      const property = named?.[1] ?? named?.[2];
      if (property !== undefined && !path.endsWith(`/${escape(property)}`)) path = `${path}/${escape(property)}`;
    }

    result[path] = result[path] === undefined ? message : `${result[path]}; ${message}`;
  }

  return result;
}
