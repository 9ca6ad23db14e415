import { describe, expect, it } from "vitest";
import { checkFormat, errorsFromProblem, fieldsFromSchema, humanize, initialState, readForm, type FieldState } from "./schemaForm";

const schema = {
  type: "object",
  required: ["topic", "depth", "audience"],
  properties: {
    topic: { type: "string", title: "Topic", description: "What to research", minLength: 3 },
    depth: { type: "integer", minimum: 1, maximum: 5, default: 2 },
    ratio: { type: "number", exclusiveMaximum: 1 },
    audience: { enum: ["experts", "beginners", 3] },
    notify: { type: "boolean", default: true },
    email: { type: "string", format: "email" },
    homepage: { type: "string", format: "uri" },
    due: { type: "string", format: "date" },
    tags: { type: "array", items: { type: "string" }, maxItems: 2 },
    author: {
      type: "object",
      required: ["name"],
      properties: { name: { type: "string" }, age: { type: "integer" } },
    },
    extra: { anyOf: [{ type: "string" }, { type: "number" }] },
    nullable: { type: ["string", "null"] },
    address: { $ref: "#/$defs/address" },
  },
  $defs: { address: { type: "object", properties: { city: { type: "string" } } } },
};

function state(overrides: Record<string, FieldState>): FieldState {
  const root = fieldsFromSchema(schema);
  return { ...(initialState(root) as Record<string, FieldState>), ...overrides };
}

describe("fieldsFromSchema", () => {
  it("maps each keyword to a field kind, with labels, descriptions, required marks and defaults", () => {
    const root = fieldsFromSchema(schema);
    expect(root.kind).toBe("object");
    const byName = Object.fromEntries(root.properties!.map((f) => [f.name, f]));
    expect(byName.topic).toMatchObject({ kind: "text", label: "Topic", description: "What to research", required: true });
    expect(byName.depth).toMatchObject({ kind: "integer", required: true, defaultValue: 2, label: "Depth" });
    expect(byName.ratio.kind).toBe("number");
    expect(byName.audience).toMatchObject({ kind: "enum", options: ["experts", "beginners", 3] });
    expect(byName.notify.kind).toBe("boolean");
    expect(byName.email).toMatchObject({ kind: "text", format: "email", required: false });
    expect(byName.tags.kind).toBe("array");
    expect(byName.tags.items!.kind).toBe("text");
    expect(byName.author.kind).toBe("object");
    expect(byName.author.properties!.map((f) => [f.name, f.required])).toEqual([["name", true], ["age", false]]);
    expect(byName.extra.kind).toBe("json");
    expect(byName.nullable.kind).toBe("text");
    expect(byName.address.kind).toBe("object");
    expect(byName.address.properties![0].name).toBe("city");
  });

  it("treats a missing or non-object schema as free JSON", () => {
    expect(fieldsFromSchema(undefined).kind).toBe("json");
    expect(fieldsFromSchema(true).kind).toBe("json");
  });

  it("survives a recursive reference", () => {
    const recursive = { type: "object", properties: { child: { $ref: "#" } } };
    expect(() => fieldsFromSchema(recursive)).not.toThrow();
  });

  it("humanizes property names", () => {
    expect(humanize("dueDate")).toBe("Due date");
    expect(humanize("max_results")).toBe("Max results");
  });
});

describe("initialState", () => {
  it("starts from defaults", () => {
    const initial = initialState(fieldsFromSchema(schema)) as Record<string, FieldState>;
    expect(initial.depth).toBe("2");
    expect(initial.notify).toBe(true);
    expect(initial.topic).toBe("");
    expect(initial.tags).toEqual([]);
  });
});

describe("readForm", () => {
  const root = fieldsFromSchema(schema);

  it("coerces text to numbers, enums to their values, and leaves out empty optional fields", () => {
    const reading = readForm(root, state({ topic: "Solar power", audience: JSON.stringify(3), ratio: "0.5", tags: ["a"] }));
    expect(reading.errors).toEqual({});
    expect(reading.value).toEqual({ topic: "Solar power", depth: 2, ratio: 0.5, audience: 3, notify: true, tags: ["a"] });
  });

  it("reports required fields by pointer", () => {
    const reading = readForm(root, state({ depth: "" }));
    expect(reading.errors).toMatchObject({ "/topic": "is required", "/depth": "is required", "/audience": "is required" });
  });

  it("checks numbers, lengths and limits", () => {
    const reading = readForm(root, state({ topic: "ab", depth: "7", audience: '"experts"', ratio: "1", tags: ["a", "b", "c"] }));
    expect(reading.errors).toEqual({
      "/topic": "must be at least 3 characters",
      "/depth": "must be <= 5",
      "/ratio": "must be < 1",
      "/tags": "must have at most 2 items",
    });
    expect(readForm(root, state({ topic: "abc", audience: '"experts"', depth: "2.5" })).errors).toEqual({ "/depth": "must be a whole number" });
    expect(readForm(root, state({ topic: "abc", audience: '"experts"', depth: "two" })).errors).toEqual({ "/depth": "must be a whole number" });
  });

  it("checks formats", () => {
    const reading = readForm(root, state({ topic: "abc", audience: '"experts"', email: "nobody", homepage: "not a url", due: "2026-02-30" }));
    expect(reading.errors).toEqual({
      "/email": "must be an email address",
      "/homepage": "must be a URI such as https://example.com",
      "/due": "must be a date such as 2026-01-31",
    });
  });

  it("leaves an untouched optional object out, and checks one that was started", () => {
    const untouched = readForm(root, state({ topic: "abc", audience: '"experts"' }));
    expect(untouched.value).not.toHaveProperty("author");
    const started = readForm(root, state({ topic: "abc", audience: '"experts"', author: { name: "", age: "40" } }));
    expect(started.errors).toEqual({ "/author/name": "is required" });
    const complete = readForm(root, state({ topic: "abc", audience: '"experts"', author: { name: "Ada", age: "40" } }));
    expect((complete.value as Record<string, unknown>).author).toEqual({ name: "Ada", age: 40 });
  });

  it("reads array items with their own pointers", () => {
    const itemSchema = { type: "object", properties: { points: { type: "array", items: { type: "integer" } } } };
    const reading = readForm(fieldsFromSchema(itemSchema), { points: ["1", "x", "3"] });
    expect(reading.errors).toEqual({ "/points/1": "must be a whole number" });
  });

  it("parses free JSON fields and reports bad JSON", () => {
    expect(readForm(root, state({ topic: "abc", audience: '"experts"', extra: "42" })).value).toMatchObject({ extra: 42 });
    expect(readForm(root, state({ topic: "abc", audience: '"experts"', extra: "{nope" })).errors).toEqual({ "/extra": "must be valid JSON" });
  });
});

describe("checkFormat", () => {
  it("turns a local date-time into UTC and keeps a zoned one", () => {
    expect(checkFormat("date-time", "2026-01-31T12:00:00Z")).toBe("2026-01-31T12:00:00Z");
    expect(checkFormat("date-time", "2026-01-31T12:00")).toBe(new Date("2026-01-31T12:00").toISOString());
    expect(checkFormat("date-time", "yesterday")).toEqual({ error: "must be a date and time such as 2026-01-31T12:00:00Z" });
    expect(checkFormat("date", "2026-01-31")).toBe("2026-01-31");
  });
});

describe("errorsFromProblem", () => {
  it("keys the server's errors by pointer and puts a required error on the missing property", () => {
    expect(
      errorsFromProblem([
        { path: "/depth", keyword: "maximum", message: "must be <= 5" },
        { path: "", keyword: "required", message: "required property 'topic' is missing" },
        { path: "/topic", keyword: "required", message: "is required" },
        { path: "/depth", keyword: "type", message: "must be an integer" },
      ]),
    ).toEqual({ "/depth": "must be <= 5; must be an integer", "/topic": "required property 'topic' is missing; is required" });
  });
});
