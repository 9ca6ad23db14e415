import DOMPurify from "dompurify";
import { marked } from "marked";
import { useMemo, type MouseEvent } from "react";

/**
 * Renders a document result. Citations written `[n]` become links to source n; the HTML is sanitised because the
 * text comes from a model that read the web.
 */
export function Markdown({ text, sourceCount, onCite }: { text: string; sourceCount: number; onCite: (index: number) => void }) {
  const html = useMemo(() => {
    const withCitations = text.replace(/\[(\d{1,3})\](?![(:[])/g, (match, digits: string) => {
      const n = Number(digits);
      return n >= 1 && n <= sourceCount ? `<a href="#source-${n}" class="cite" data-cite="${n}">[${n}]</a>` : match;
    });
    const rendered = marked.parse(withCitations, { async: false, gfm: true }) as string;
    return DOMPurify.sanitize(rendered, { ADD_ATTR: ["data-cite", "target"] });
  }, [text, sourceCount]);

  const click = (event: MouseEvent<HTMLDivElement>) => {
    const target = (event.target as HTMLElement).closest("a");
    if (!target) return;
    const cite = target.getAttribute("data-cite");
    if (cite !== null) {
      event.preventDefault();
      onCite(Number(cite));
    } else if (target.getAttribute("href")?.startsWith("http")) {
      target.setAttribute("target", "_blank");
      target.setAttribute("rel", "noopener noreferrer");
    }
  };

  // The HTML was sanitised above.
  return <div className="markdown" onClick={click} dangerouslySetInnerHTML={{ __html: html }} />;
}
