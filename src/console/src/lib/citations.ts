/**
 * Turns the citations of a document result, written `[n]`, into links to source n. Numbers without a source, Markdown
 * links (`[1](…)`, `[1]:`), and nested brackets are left alone.
 */
export function linkCitations(markdown: string, sourceCount: number): string {
  return markdown.replace(/\[(\d{1,3})\](?![(:[])/g, (match, digits: string) => {
    const n = Number(digits);
    return n >= 1 && n <= sourceCount ? `<a href="#source-${n}" class="cite" data-cite="${n}">[${n}]</a>` : match;
  });
}
