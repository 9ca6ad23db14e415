/** One row of a side-by-side diff: a line on the left, on the right, or both. */
export interface DiffRow {
  kind: "same" | "removed" | "added" | "changed";
  left?: string;
  right?: string;
}

const maxCells = 4_000_000;

/**
 * Diffs two texts line by line (longest common subsequence) into side-by-side rows; a run of removed lines next to a
 * run of added lines is paired up as changed rows. Texts too large to diff come back as one changed block.
 */
export function diffLines(from: string, to: string): DiffRow[] {
  const a = from.split("\n");
  const b = to.split("\n");
  if (a.length * b.length > maxCells) {
    return pair(a, b);
  }

  // lengths[i][j] = LCS length of a[i..] and b[j..].
  const lengths: Uint32Array[] = Array.from({ length: a.length + 1 }, () => new Uint32Array(b.length + 1));
  for (let i = a.length - 1; i >= 0; i--) {
    for (let j = b.length - 1; j >= 0; j--) {
      lengths[i][j] = a[i] === b[j] ? lengths[i + 1][j + 1] + 1 : Math.max(lengths[i + 1][j], lengths[i][j + 1]);
    }
  }

  const rows: DiffRow[] = [];
  let removed: string[] = [];
  let added: string[] = [];
  const flush = () => {
    rows.push(...pair(removed, added));
    removed = [];
    added = [];
  };
  let i = 0;
  let j = 0;
  while (i < a.length || j < b.length) {
    if (i < a.length && j < b.length && a[i] === b[j]) {
      flush();
      rows.push({ kind: "same", left: a[i], right: b[j] });
      i++;
      j++;
    } else if (j < b.length && (i === a.length || lengths[i][j + 1] >= lengths[i + 1][j])) {
      added.push(b[j++]);
    } else {
      removed.push(a[i++]);
    }
  }

  flush();
  return rows;
}

function pair(removed: string[], added: string[]): DiffRow[] {
  const rows: DiffRow[] = [];
  for (let k = 0; k < Math.max(removed.length, added.length); k++) {
    const left = removed[k];
    const right = added[k];
    rows.push({ kind: left !== undefined && right !== undefined ? "changed" : left !== undefined ? "removed" : "added", left, right });
  }

  return rows;
}
