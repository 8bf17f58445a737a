// @ts-check
// The demo frontend: route by URL, fetch the page from the API, render it.
import { APIError, childPages, findPage, menuPages, postReply, previewPage, replies } from "/api.js";
import { contentsOf, h, localPath, renderBody, renderContents, renderDisclaimer, renderHead, renderHeader, renderReferences, time } from "/render.js";

const app = /** @type {HTMLElement} */ (document.getElementById("app"));
const nav = /** @type {HTMLElement} */ (document.getElementById("site-nav"));
const footerDisclaimer = /** @type {HTMLElement} */ (document.getElementById("footer-disclaimer"));
const footerNav = /** @type {HTMLElement} */ (document.getElementById("footer-nav"));
const defaultDisclaimer = footerDisclaimer.innerHTML;
/** @type {Promise<{title: string, path: string}[]>} */
const menu = menuPages()
  .then((list) => list.items.map((item) => ({ title: item.title, path: localPath(item.meta.html_url) })))
  .catch(() => []);

async function route() {
  const url = new URL(window.location.href);
  try {
    if (url.pathname === "/preview" || url.pathname === "/preview/") {
      const page = await previewPage(url.searchParams.get("content_type") || "", url.searchParams.get("token") || "");
      show(await renderPage(page, { preview: true }), page);
    } else {
      const page = await findPage(url.pathname);
      show(await renderPage(page), page);
    }
  } catch (error) {
    renderHead({ title: "Not available" });
    const status = error instanceof APIError ? error.status : 0;
    show(h("section", { class: "error", "data-status": status },
      h("h1", {}, status === 404 ? "Page not found" : "This page is not available"),
      h("p", {}, error instanceof Error ? error.message : String(error))), null);
  }
  await renderMenus(url.pathname);
}

/** @param {Node} node @param {any} page */
function show(node, page) {
  app.replaceChildren(node);
  // The footer carries the page's own disclaimer (already sanitised by the API), else the default.
  if (page?.disclaimer) footerDisclaimer.innerHTML = page.disclaimer;
  else footerDisclaimer.innerHTML = defaultDisclaimer;
}

/** @param {string} path */
async function renderMenus(path) {
  const items = await menu;
  const link = (/** @type {{title: string, path: string}} */ item) =>
    h("a", { href: item.path, "aria-current": item.path === path ? "page" : null }, item.title);
  nav.replaceChildren(...(items.length ? [h("ul", {}, ...items.map((item) => h("li", {}, link(item))))] : []));
  footerNav.replaceChildren(h("li", {}, h("a", { href: "/" }, "Home")),
    ...items.map((item) => h("li", {}, h("a", { href: item.path }, item.title))),
    h("li", {}, h("a", { href: "#editorial-policy" }, "Editorial policy")));
}

/** @param {any} page @param {{preview?: boolean}} [options] */
async function renderPage(page, options = {}) {
  renderHead(page);
  const banner = options.preview ? h("p", { class: "preview-banner", role: "status" }, "Draft preview: not published.") : null;
  if (page.meta.type === "kratom_pages.KratomIndexPage") {
    const children = await childPages(page.id);
    return h("article", { class: "index" }, banner, renderHeader(page),
      h("ul", { class: "children" }, ...children.items.map((child) =>
        h("li", { class: "card" },
          h("p", { class: "card__type" }, typeLabel(child.meta.type)),
          h("h2", {}, h("a", { href: localPath(child.meta.html_url) }, child.title)),
          child.meta.first_published_at ? h("p", { class: "card__date" }, "Published ", time(child.meta.first_published_at)) : null))));
  }
  const contents = page.meta.type === "kratom_pages.ArticlePage" ? contentsOf(page.body) : { entries: [], anchors: new Map() };
  const toc = renderContents(contents.entries);
  const article = h("article", { "data-type": page.meta.type, class: toc ? "layout layout--with-toc" : "layout" },
    banner, renderHeader(page), toc, renderDisclaimer(page),
    renderBody(page.body, { anchors: contents.anchors, heroId: page.hero_image?.id }), renderReferences(page.references),
    page.allow_replies && !options.preview ? await renderReplies(page.id) : null);
  return article;
}

/** @param {string} type */
function typeLabel(type) {
  return { "kratom_pages.ArticlePage": "Article", "kratom_pages.GuidelineListPage": "Guidelines", "kratom_pages.FAQPage": "Questions and answers" }[type] || "Page";
}

/** @param {any} reply @param {HTMLElement|null} [children] */
function renderReply(reply, children) {
  return h("li", { class: reply.parent ? "reply reply--child" : "reply", id: `reply-${reply.id}` },
    h("div", { class: "reply__card" },
      h("p", { class: "reply__meta" }, h("span", { class: "reply__avatar", "aria-hidden": "true" }, (reply.display_name || "?").slice(0, 1).toUpperCase()),
        h("strong", {}, reply.display_name), " ", time(reply.created_at)),
      h("p", { class: "reply__body" }, reply.body)),
    children);
}

/** Replies as threads: each approved reply under the one it answers. @param {any[]} items */
function renderThreads(items) {
  const ids = new Set(items.map((r) => r.id));
  const top = items.filter((r) => !r.parent || !ids.has(r.parent));
  return h("ol", { class: "replies__list" }, ...top.map((reply) => {
    const answers = items.filter((r) => r.parent === reply.id);
    return renderReply(reply, answers.length
      ? h("ol", { class: "replies__children", "aria-label": `Replies to ${reply.display_name}` }, ...answers.map((r) => renderReply(r)))
      : null);
  }));
}

/** @param {number} pageId */
async function renderReplies(pageId) {
  const list = await replies(pageId);
  const status = h("p", { role: "status", class: "reply-status" });
  /** @type {Record<string, HTMLElement>} */ const fieldErrors = {};
  /** @param {string} name @param {string} label @param {HTMLElement} input @param {string} [help] */
  const field = (name, label, input, help) => {
    fieldErrors[name] = h("span", { class: "field__error", id: `reply-${name}-error` });
    input.setAttribute("aria-describedby", `${help ? `reply-${name}-help ` : ""}reply-${name}-error`);
    return h("div", { class: "field" }, h("label", { for: `reply-${name}` }, label), input,
      help ? h("span", { class: "field__help", id: `reply-${name}-help` }, help) : null, fieldErrors[name]);
  };
  const errors = h("ul", { class: "form-error" });
  const form = h("form", { class: "reply-form", novalidate: true, "aria-labelledby": "reply-form-title" },
    field("display_name", "Name shown with your reply", h("input", { id: "reply-display_name", name: "display_name", maxlength: 80, autocomplete: "nickname" })),
    field("email", "Email", h("input", { id: "reply-email", name: "email", type: "email", autocomplete: "email" }), "Private: never shown or sent to the API."),
    field("body", "Your reply", h("textarea", { id: "reply-body", name: "body", rows: 5 }), "Plain text. Replies are moderated before they appear."),
    errors, h("button", { type: "submit" }, "Post reply"), status);
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    errors.replaceChildren();
    for (const [name, box] of Object.entries(fieldErrors)) {
      box.textContent = "";
      form.querySelector(`[name="${name}"]`)?.removeAttribute("aria-invalid");
    }
    const data = Object.fromEntries(new FormData(/** @type {HTMLFormElement} */ (form)));
    try {
      await postReply({ page: pageId, ...data });
      /** @type {HTMLFormElement} */ (form).reset();
      status.textContent = "Thank you. Your reply will appear once a moderator has approved it.";
    } catch (error) {
      const byField = error instanceof APIError && error.body?.errors ? error.body.errors : {};
      for (const [name, messages] of Object.entries(byField)) {
        const input = form.querySelector(`[name="${name}"]`);
        if (fieldErrors[name] && input) {
          fieldErrors[name].textContent = messages.join(" ");
          input.setAttribute("aria-invalid", "true");
        } else {
          errors.append(h("li", {}, `${name}: ${messages.join(" ")}`));
        }
      }
      status.textContent = error instanceof Error ? `Your reply was not posted: ${error.message}` : "Could not post the reply.";
    }
  });
  return h("section", { class: "replies", id: "replies", "aria-labelledby": "replies-title" }, h("h2", { id: "replies-title" }, "Replies"),
    list.items.length ? renderThreads(list.items) : h("p", {}, "No replies yet."),
    h("h3", { id: "reply-form-title" }, "Leave a reply"), form);
}

document.addEventListener("click", (event) => {
  const link = event.target instanceof Element ? event.target.closest("a") : null;
  if (link && link.origin === window.location.origin && !link.hash) {
    event.preventDefault();
    history.pushState({}, "", link.pathname);
    route();
  }
});
window.addEventListener("popstate", route);
route();
