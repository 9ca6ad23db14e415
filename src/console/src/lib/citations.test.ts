import { describe, expect, it } from "vitest";
import { linkCitations } from "./citations";

describe("linkCitations", () => {
  it("links each cited source", () => {
    expect(linkCitations("Solar grew [1] and wind [2].", 2)).toBe(
      'Solar grew <a href="#source-1" class="cite" data-cite="1">[1]</a> and wind <a href="#source-2" class="cite" data-cite="2">[2]</a>.',
    );
  });

  it("leaves numbers without a source, Markdown links and reference definitions alone", () => {
    expect(linkCitations("See [3] and [0].", 2)).toBe("See [3] and [0].");
    expect(linkCitations("[1](https://example.org) and [1]: https://example.org", 1)).toBe("[1](https://example.org) and [1]: https://example.org");
  });
});
