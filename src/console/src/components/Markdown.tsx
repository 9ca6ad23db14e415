import DOMPurify from "dompurify";
import { marked } from "marked";
import { useMemo, type MouseEvent } from "react";
import { linkCitations } from "../lib/citations";

/**
 * Renders a document result. Citations written `[n]` become links to source n; the HTML is sanitised because the
 * text comes from a model that read the web.
 */
export function Markdown({ text, sourceCount, onCite }: { text: string; sourceCount: number; onCite: (index: number) => void }) {
  const html = useMemo(() => {
    const rendered = marked.parse(linkCitations(text, sourceCount), { async: false, gfm: true }) as string;
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
