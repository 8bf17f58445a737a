// @ts-check
// The demo frontend: route by URL, fetch the page from the API, render it.
import { APIError, childPages, findPage, postReply, previewPage, replies } from "/api.js";
import { h, localPath, renderBody, renderDisclaimer, renderHead, renderHeader, renderReferences } from "/render.js";

const app = /** @type {HTMLElement} */ (document.getElementById("app"));

async function route() {
  const url = new URL(window.location.href);
  try {
    if (url.pathname === "/preview" || url.pathname === "/preview/") {
      const page = await previewPage(url.searchParams.get("content_type") || "", url.searchParams.get("token") || "");
      show(await renderPage(page, { preview: true }));
    } else {
      show(await renderPage(await findPage(url.pathname)));
    }
  } catch (error) {
    renderHead({ title: "Not available" });
    const status = error instanceof APIError ? error.status : 0;
    show(h("section", { class: "error", "data-status": status },
      h("h1", {}, status === 404 ? "Page not found" : "This page is not available"),
      h("p", {}, error instanceof Error ? error.message : String(error))));
  }
}

/** @param {Node} node */
function show(node) {
  app.replaceChildren(node);
}

/** @param {any} page @param {{preview?: boolean}} [options] */
async function renderPage(page, options = {}) {
  renderHead(page);
  const banner = options.preview ? h("p", { class: "preview-banner", role: "status" }, "Draft preview: not published.") : null;
  if (page.meta.type === "kratom_pages.KratomIndexPage") {
    const children = await childPages(page.id);
    return h("article", {}, banner, renderHeader(page),
      h("ul", { class: "children" }, ...children.items.map((child) =>
        h("li", {}, h("a", { href: localPath(child.meta.html_url) }, child.title)))));
  }
  return h("article", { "data-type": page.meta.type }, banner, renderHeader(page), renderDisclaimer(page),
    renderBody(page.body), renderReferences(page.references),
    page.allow_replies && !options.preview ? await renderReplies(page.id) : null);
}

/** @param {number} pageId */
async function renderReplies(pageId) {
  const list = await replies(pageId);
  const status = h("p", { role: "status", class: "reply-status" });
  const errors = h("ul", { class: "form-error" });
  const field = (name, label, input) => h("p", {}, h("label", { for: `reply-${name}` }, label), input);
  const form = h("form", { class: "reply-form", novalidate: true },
    field("display_name", "Name shown with your reply", h("input", { id: "reply-display_name", name: "display_name", maxlength: 80 })),
    field("email", "Email (never shown)", h("input", { id: "reply-email", name: "email", type: "email" })),
    field("body", "Your reply", h("textarea", { id: "reply-body", name: "body", rows: 4 })),
    h("button", { type: "submit" }, "Post reply"), errors, status);
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    errors.replaceChildren();
    const data = Object.fromEntries(new FormData(/** @type {HTMLFormElement} */ (form)));
    try {
      await postReply({ page: pageId, ...data });
      /** @type {HTMLFormElement} */ (form).reset();
      status.textContent = "Thank you. Your reply will appear once a moderator has approved it.";
    } catch (error) {
      const fieldErrors = error instanceof APIError && error.body?.errors ? error.body.errors : {};
      errors.replaceChildren(...Object.entries(fieldErrors).map(([name, messages]) => h("li", {}, `${name}: ${messages.join(" ")}`)));
      status.textContent = error instanceof Error ? error.message : "Could not post the reply.";
    }
  });
  return h("section", { class: "replies", id: "replies" }, h("h2", {}, "Replies"),
    list.items.length
      ? h("ol", {}, ...list.items.map((reply) =>
          h("li", { class: "reply" }, h("strong", {}, reply.display_name), " ", h("p", {}, reply.body))))
      : h("p", {}, "No replies yet."),
    h("h3", {}, "Leave a reply"), form);
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
