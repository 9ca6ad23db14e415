import { describe, expect, it } from "vitest";
import { diffLines } from "./lineDiff";

describe("diffLines", () => {
  it("keeps equal lines side by side and pairs a changed line", () => {
    expect(diffLines("a\nb\nc", "a\nB\nc")).toEqual([
      { kind: "same", left: "a", right: "a" },
      { kind: "changed", left: "b", right: "B" },
      { kind: "same", left: "c", right: "c" },
    ]);
  });

  it("shows added and removed lines on their side only", () => {
    expect(diffLines("a\nc", "a\nb\nc")).toEqual([
      { kind: "same", left: "a", right: "a" },
      { kind: "added", left: undefined, right: "b" },
      { kind: "same", left: "c", right: "c" },
    ]);
    expect(diffLines("a\nb", "a")).toEqual([
      { kind: "same", left: "a", right: "a" },
      { kind: "removed", left: "b", right: undefined },
    ]);
  });

  it("diffs identical texts to same rows only", () => {
    expect(diffLines("x\ny", "x\ny").every((row) => row.kind === "same")).toBe(true);
  });
});
