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

/** The API's image as a <picture>: a <source> per format (AVIF, WebP), the original's
 * format on the <img>, its width and height so nothing shifts while it loads.
 * @param {any} image @param {string} [alt] @param {boolean} [hero] */
function picture(image, alt, hero = false) {
  if (!image?.fallback) return null;
  const sources = image.sources || [];
  const last = sources[sources.length - 1];
  return h("picture", {},
    ...sources.slice(0, -1).map((s) => h("source", { type: s.type, srcset: s.srcset, sizes: image.sizes })),
    h("img", {
      src: image.fallback.url, srcset: last?.srcset, sizes: last ? image.sizes : undefined,
      width: image.width, height: image.height, alt: alt ?? image.alt,
      loading: hero ? undefined : "lazy", fetchpriority: hero ? "high" : undefined, decoding: "async",
      style: image.dominant_color ? `background-color: ${image.dominant_color}` : undefined,
    }));
}

/** @param {{number: number}[]} citations */
function markers(citations) {
  if (!citations?.length) return null;
  return h("span", { class: "cites" }, ...citations.map((c) =>
    h("sup", { class: "cite" }, h("a", { href: `#ref-${c.number}`, "aria-label": `Source ${c.number}` }, `[${c.number}]`))));
}

/** Server-sanitised rich text with its citation markers inside the last paragraph, so they
 * stay on the line of text they support. @param {string} html @param {any[]} citations @param {string} [className] */
function cited(html, citations, className) {
  const box = h("div", { class: className, html });
  const marks = markers(citations);
  if (marks) {
    const paragraphs = box.querySelectorAll(":scope > p");
    (paragraphs.length ? paragraphs[paragraphs.length - 1] : box).append(marks);
  }
  return box;
}

/** Dates in words, in the page's language ("November 1, 2026"); ISO dates are read as UTC
 * days so no time zone moves them. @param {string|null|undefined} iso */
export function dateInWords(iso) {
  if (!iso) return "";
  const day = iso.slice(0, 10);
  const lang = document.documentElement.lang || "en";
  return new Intl.DateTimeFormat(lang, { dateStyle: "long", timeZone: "UTC" }).format(new Date(`${day}T00:00:00Z`));
}

/** A <time> with a valid datetime (the day) and the date in words. @param {string|null|undefined} iso */
export function time(iso) {
  return iso ? h("time", { datetime: iso.slice(0, 10) }, dateInWords(iso)) : null;
}

/** @param {string} text */
function slugify(text) {
  return text.normalize("NFKD").replace(/[\u0300-\u036f]/g, "").toLowerCase().replace(/[^\w\s-]/g, "").trim().replace(/[\s_-]+/g, "-") || "section";
}

const EVIDENCE_LEGEND = [
  ["strong", "Strong", "Consistent results from several good randomised trials or a systematic review."],
  ["moderate", "Moderate", "Some trials or strong observational studies, with limits."],
  ["limited", "Limited", "Small, early or uncontrolled studies, or surveys."],
  ["anecdotal", "Anecdotal", "Personal reports and case reports only."],
  ["none", "No evidence", "Nothing beyond claims."],
];

function evidenceLegend() {
  return h("div", { class: "legend", role: "group", "aria-labelledby": "legend-title" },
    h("p", { class: "legend__title", id: "legend-title" }, "How we grade the evidence"),
    h("dl", {}, ...EVIDENCE_LEGEND.map(([level, label, text]) =>
      h("div", { class: "legend__item" }, h("dt", {}, h("span", { class: `evidence evidence--${level}` }, label)), h("dd", {}, text)))));
}

/** @typedef {{anchor?: string, legend?: boolean, heroId?: number}} BlockContext */
/** @type {Record<string, (value: any, ctx: BlockContext) => Node | null>} */
const BLOCKS = {
  heading: (v) => h(v.level, { id: v.anchor }, v.text),
  paragraph: (v) => h("div", { class: "paragraph", html: v }),
  cited_paragraph: (v) => cited(v.text, v.citations, "paragraph"),
  // An image block repeating the hero is not shown twice: the hero carries its caption.
  image: (v, ctx) => (v.image && v.image.id !== ctx.heroId ? figure(v.image, v) : null),
  pull_quote: (v) => h("figure", { class: "quote" }, h("blockquote", {}, v.quote), v.attribution ? h("figcaption", {}, v.attribution) : null),
  callout: (v) => h("aside", { class: `callout callout--${v.variant}`, role: "note" }, v.title ? h("strong", {}, v.title) : null, h("div", { html: v.body })),
  numbered_sections: (v, ctx) =>
    h("section", { class: "numbered", id: ctx.anchor }, v.heading ? h("h2", {}, v.heading) : null,
      ctx.legend ? evidenceLegend() : null,
      h("ol", {}, ...v.items.map((item) =>
        h("li", { value: item.number }, h("h3", {}, h("span", {}, item.heading), " ",
          item.evidence_level ? h("span", { class: `evidence evidence--${item.evidence_level}`, "data-level": item.evidence_level }, `Evidence: ${item.evidence_level_label}`) : null),
          cited(item.body, item.citations))))),
  guidelines: (v, ctx) =>
    h("section", { class: "guidelines", id: ctx.anchor }, v.heading ? h("h2", {}, v.heading) : null,
      h("ol", {}, ...v.items.map((item) =>
        h("li", { class: `guideline guideline--${item.kind || "none"}` }, h("p", {}, item.kind ? h("span", { class: `kind kind--${item.kind}` }, item.kind_label) : null, " ", h("strong", {}, item.label)), h("div", { html: item.explanation }))))),
  faq: (v, ctx) =>
    h("section", { class: "faq", id: ctx.anchor }, v.heading ? h("h2", {}, v.heading) : null,
      ...v.items.map((item) => h("details", {}, h("summary", {}, item.question), cited(item.answer, item.citations, "answer")))),
  conclusion: (v, ctx) => h("section", { class: "conclusion", "aria-labelledby": ctx.anchor }, h("h2", { id: ctx.anchor }, v.heading), h("div", { html: v.body })),
  quote: (v) => h("figure", { class: "quote" }, h("blockquote", { html: v.quote }), v.citation ? h("figcaption", {}, h("cite", {}, v.citation)) : null),
  // Plain text, set as text: the frontend never parses it as markup.
  code: (v) => h("pre", { class: "code" }, h("code", {}, v.code)),
  table: (v) =>
    h("table", { class: "table" }, v.caption ? h("caption", {}, v.caption) : null,
      v.header.some(Boolean) ? h("thead", {}, h("tr", {}, ...v.header.map((text) => h("th", { scope: "col" }, text)))) : null,
      h("tbody", {}, ...v.rows.map((row) => h("tr", {}, ...row.map((cell) => h("td", { html: cell })))))),
  // No third-party player is loaded by the demo: the address, as a link.
  embed: (v) => h("figure", { class: "embed" }, h("a", { href: v.url }, v.caption || v.url)),
  gallery: (v, ctx) =>
    h("figure", { class: "gallery" }, ...v.images.map((image) => (image.image ? figure(image.image, image) : null)),
      v.caption ? h("figcaption", {}, v.caption) : null),
  related_pages: (v) =>
    v.pages.length ? h("nav", { class: "related", "aria-label": v.heading || "Related" }, v.heading ? h("h2", {}, v.heading) : null,
      h("ul", {}, ...v.pages.map((p) => h("li", {}, h("a", { href: localPath(p.url) }, p.title))))) : null,
};

const SECTION_BLOCKS = new Set(["numbered_sections", "guidelines", "faq", "conclusion"]);

/** The table of contents of a body: h2 headings keep their anchors, sections with a heading
 * get one derived from it, unique on the page. @param {{type: string, value: any}[]} body */
export function contentsOf(body) {
  const taken = new Set((body || []).filter((b) => b.type === "heading").map((b) => b.value.anchor));
  /** @type {Map<any, string>} */ const anchors = new Map();
  /** @type {[string, string][]} */ const entries = [];
  for (const block of body || []) {
    if (block.type === "heading" && block.value.level === "h2") entries.push([block.value.anchor, block.value.text]);
    else if (SECTION_BLOCKS.has(block.type) && block.value.heading) {
      const base = block.type === "conclusion" ? "conclusion" : slugify(block.value.heading);
      let anchor = base;
      for (let n = 2; taken.has(anchor); n++) anchor = `${base}-${n}`;
      taken.add(anchor);
      anchors.set(block, anchor);
      entries.push([anchor, block.value.heading]);
    }
  }
  return { entries, anchors };
}

/** @param {[string, string][]} entries */
export function renderContents(entries) {
  if (entries.length < 3) return null;
  return h("nav", { class: "toc", "aria-labelledby": "toc-title" }, h("p", { class: "toc__title", id: "toc-title" }, "On this page"),
    h("ol", {}, ...entries.map(([anchor, text]) => h("li", {}, h("a", { href: `#${anchor}` }, text)))));
}

/** @param {any} image @param {{caption?: string, credit?: string, image?: any}} [value] @param {string} [className] */
function figure(image, value = {}, className) {
  // An image block's API image carries its alt text override: the hero borrows it.
  const img = picture(image, value.image?.alt, className === "hero");
  if (!img) return null;
  return h("figure", { class: className }, img,
    value.caption || value.credit ? h("figcaption", {}, value.caption || "", value.credit ? h("small", { class: "credit" }, ` · ${value.credit}`) : null) : null);
}

/** @param {{type: string, value: any}[]} body @param {{anchors?: Map<any, string>, heroId?: number}} [options] */
export function renderBody(body, options = {}) {
  let legend = true;
  return h("div", { class: "body" }, ...(body || []).map((block) => {
    const render = BLOCKS[block.type];
    if (!render) return null;
    const ctx = { anchor: options.anchors?.get(block), heroId: options.heroId, legend: block.type === "numbered_sections" && legend };
    if (ctx.legend) legend = false; // the first list of claims explains the levels
    return render(block.value, ctx);
  }));
}

/** The hero, with the alt text and caption of an image block that repeats it. @param {any} page */
function hero(page) {
  if (!page.hero_image) return null;
  const repeat = (page.body || []).find((b) => b.type === "image" && b.value.image?.id === page.hero_image.id);
  return figure(page.hero_image, repeat ? repeat.value : {}, "hero");
}

/** Author, medical reviewer with credentials, published and reviewed dates. @param {any} page */
export function renderByline(page) {
  const reviewer = page.reviewed_by;
  // Null until an editor sets it: the first publication date, as the templates do.
  const published = page.published_date || page.meta?.first_published_at;
  if (!page.author_name && !reviewer && !published && !page.last_reviewed) return null;
  return h("div", { class: "byline" },
    page.author_name ? h("p", { class: "byline__author" }, `By ${page.author_name}`) : null,
    reviewer ? h("p", { class: "byline__reviewer" },
      reviewer.profile_url
        ? h("a", { href: reviewer.profile_url }, `Medically reviewed by ${reviewer.name}${reviewer.credentials ? `, ${reviewer.credentials}` : ""}`)
        : `Medically reviewed by ${reviewer.name}${reviewer.credentials ? `, ${reviewer.credentials}` : ""}`) : null,
    published || page.last_reviewed ? h("p", { class: "byline__dates" },
      published ? h("span", {}, "Published ", time(published)) : null,
      page.last_reviewed ? h("span", {}, "Last reviewed ", time(page.last_reviewed)) : null,
      h("a", { class: "byline__policy", href: "#editorial-policy" }, "How we review")) : null);
}

/** @param {any} page */
export function renderHeader(page) {
  return h("header", { class: "page-header" },
    h("h1", {}, page.title),
    page.intro ? h("div", { class: "lede", html: page.intro }) : null,
    page.meta?.type === "kratom_pages.KratomIndexPage" ? null : renderByline(page),
    hero(page));
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
  return h("section", { class: "references", "aria-labelledby": "references-title" }, h("h2", { id: "references-title" }, "References"),
    h("ol", {}, ...references.map(({ number, source }) =>
      h("li", { id: `ref-${number}`, value: number }, `${source.authors}${source.year ? ` (${source.year})` : ""}. `,
        source.link ? h("a", { href: source.link, rel: "noopener" }, source.title) : source.title, ". ",
        source.publication ? h("i", {}, source.publication) : null, source.publication ? ". " : null,
        source.kind_label ? h("span", { class: "source-kind" }, source.kind_label) : null))));
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
