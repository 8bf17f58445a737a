// @ts-check
// Renders API JSON into the DOM. Editor rich text (already sanitised by Wagtail's editor)
// is inserted as HTML; everything else, and all reader text, as text.

/** @param {string} tag @param {Record<string, any>} [attrs] @param {...(Node|string|null|undefined|false)} children */
export function h(tag, attrs = {}, ...children) {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs)) {
    if (value === undefined || value === null || value === false) continue;
    // Only the API's rich text fields (rich_text_format=html, the default) are passed as
    // "html": the server sanitises them against an allow-list (kratom_pages.rich_text).
    if (name === "html") element.innerHTML = value;
    else if (name.startsWith("on")) element.addEventListener(name.slice(2), value);
    // true is a boolean attribute, present and empty (novalidate, not novalidate="true").
    else element.setAttribute(name, value === true ? "" : String(value));
  }
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue;
    element.append(typeof child === "string" ? document.createTextNode(child) : child);
  }
  return element;
}

/** A link inside this frontend for a page URL from the API. @param {string|null|undefined} url */
export function localPath(url) {
  if (!url) return "/";
  return new URL(url, window.location.origin).pathname;
}

/** @param {any} image @param {string} [alt] */
function picture(image, alt) {
  if (!image) return null;
  const r = image.renditions;
  const best = r.large || r.medium || r.small;
  if (!best) return null;
  const srcset = ["small", "medium", "large"].filter((n) => r[n]).map((n) => `${r[n].url} ${r[n].width}w`).join(", ");
  return h("img", { src: best.url, srcset, sizes: "(max-width: 44rem) 100vw, 44rem", width: best.width, height: best.height, alt: alt ?? image.alt });
}

/** @param {{number: number}[]} citations */
function markers(citations) {
  if (!citations?.length) return null;
  return h("span", { class: "cites" }, ...citations.map((c) => h("sup", { class: "cite" }, h("a", { href: `#ref-${c.number}` }, `[${c.number}]`))));
}

/** @type {Record<string, (value: any) => Node | null>} */
const BLOCKS = {
  heading: (v) => h(v.level, { id: v.anchor }, v.text),
  paragraph: (v) => h("div", { class: "paragraph", html: v }),
  cited_paragraph: (v) => h("div", { class: "paragraph" }, h("div", { html: v.text }), markers(v.citations)),
  image: (v) => (v.image ? h("figure", {}, picture(v.image), v.caption || v.credit ? h("figcaption", {}, v.caption, v.credit ? ` (${v.credit})` : "") : null) : null),
  pull_quote: (v) => h("figure", { class: "quote" }, h("blockquote", {}, v.quote), v.attribution ? h("figcaption", {}, v.attribution) : null),
  callout: (v) => h("aside", { class: `callout callout--${v.variant}`, role: "note" }, v.title ? h("strong", {}, v.title) : null, h("div", { html: v.body })),
  numbered_sections: (v) =>
    h("section", { class: "numbered" }, v.heading ? h("h2", {}, v.heading) : null,
      h("ol", {}, ...v.items.map((item) =>
        h("li", { value: item.number }, h("h3", {}, item.heading, " ", item.evidence_level ? h("span", { class: "evidence" }, `Evidence: ${item.evidence_level_label}`) : null),
          h("div", { html: item.body }), markers(item.citations))))),
  guidelines: (v) =>
    h("section", { class: "guidelines" }, v.heading ? h("h2", {}, v.heading) : null,
      h("ol", {}, ...v.items.map((item) =>
        h("li", {}, item.kind ? h("span", { class: `kind kind--${item.kind}` }, item.kind_label) : null, " ", h("strong", {}, item.label), h("div", { html: item.explanation }))))),
  faq: (v) =>
    h("section", { class: "faq" }, v.heading ? h("h2", {}, v.heading) : null,
      ...v.items.map((item) => h("details", {}, h("summary", {}, item.question), h("div", { html: item.answer }), markers(item.citations)))),
  conclusion: (v) => h("section", { class: "conclusion" }, h("h2", {}, v.heading), h("div", { html: v.body })),
  related_pages: (v) =>
    v.pages.length ? h("nav", { "aria-label": v.heading || "Related" }, v.heading ? h("h2", {}, v.heading) : null,
      h("ul", {}, ...v.pages.map((p) => h("li", {}, h("a", { href: localPath(p.url) }, p.title))))) : null,
};

/** @param {{type: string, value: any}[]} body */
export function renderBody(body) {
  return h("div", { class: "body" }, ...(body || []).map((block) => (BLOCKS[block.type] ? BLOCKS[block.type](block.value) : null)));
}

/** @param {any} page */
export function renderHeader(page) {
  const reviewer = page.reviewed_by;
  return h("header", {},
    h("h1", {}, page.title),
    page.author_name ? h("p", { class: "byline" }, `By ${page.author_name}`) : null,
    reviewer || page.last_reviewed ? h("p", { class: "review" },
      reviewer ? `Medically reviewed by ${reviewer.name}, ${reviewer.credentials}. ` : "",
      page.last_reviewed ? `Last reviewed ${page.last_reviewed}.` : "") : null,
    page.intro ? h("div", { class: "lede", html: page.intro }) : null,
    page.hero_image ? h("figure", { class: "hero" }, picture(page.hero_image)) : null);
}

/** @param {any} page */
export function renderDisclaimer(page) {
  const hasCallout = (page.body || []).some((b) => b.type === "callout" && b.value.variant === "disclaimer");
  if (hasCallout || !page.disclaimer) return null;
  return h("aside", { class: "disclaimer", role: "note", "aria-label": "Medical disclaimer" }, h("div", { html: page.disclaimer }));
}

/** @param {{number: number, source: any}[]} references */
export function renderReferences(references) {
  if (!references?.length) return null;
  return h("section", { class: "references" }, h("h2", {}, "References"),
    h("ol", {}, ...references.map(({ number, source }) =>
      h("li", { id: `ref-${number}`, value: number }, `${source.authors}${source.year ? ` (${source.year})` : ""}. `,
        source.link ? h("a", { href: source.link, rel: "noopener" }, source.title) : source.title, "."))));
}

/** Put the page's SEO and JSON-LD in <head>. @param {any} page */
export function renderHead(page) {
  document.title = page.seo?.title || page.title;
  document.head.querySelectorAll("[data-page-head]").forEach((node) => node.remove());
  const add = (node) => { node.setAttribute("data-page-head", ""); document.head.append(node); };
  if (page.seo?.description) add(h("meta", { name: "description", content: page.seo.description }));
  if (page.seo?.canonical_url) add(h("link", { rel: "canonical", href: page.seo.canonical_url }));
  if (page.seo?.og_image) add(h("meta", { property: "og:image", content: page.seo.og_image.url }));
  if (page.structured_data) {
    const script = h("script", { type: "application/ld+json" });
    script.textContent = JSON.stringify(page.structured_data);
    add(script);
  }
}
