// @ts-check
// The API client: every call is plain HTTP to the kratom-pages API; types come from
// api-types.d.ts, generated from /api/v3/openapi.json (`make types`).
import { API_URL } from "/config.js";

/** @typedef {import("./api-types").components["schemas"]} Schemas */
/** @typedef {Schemas["ArticlePageSchema"]} ArticlePage */
/** @typedef {Schemas["GuidelineListPageSchema"]} GuidelineListPage */
/** @typedef {Schemas["FAQPageSchema"]} FAQPage */
/** @typedef {Schemas["KratomIndexPageSchema"]} IndexPage */
/** @typedef {ArticlePage | GuidelineListPage | FAQPage | IndexPage} AnyPage */
/** @typedef {Schemas["RepliesListSchema"]} RepliesList */

export class APIError extends Error {
  /** @param {number} status @param {any} body */
  constructor(status, body) {
    super((body && (body.message || body.detail)) || `HTTP ${status}`);
    this.status = status;
    this.body = body;
  }
}

/** @param {string} path @param {RequestInit} [init] */
async function request(path, init) {
  const response = await fetch(API_URL + path, init);
  const body = response.headers.get("content-type")?.includes("json") ? await response.json() : null;
  if (!response.ok) throw new APIError(response.status, body);
  return body;
}

/** @param {string} htmlPath @returns {Promise<AnyPage>} */
export function findPage(htmlPath) {
  return request(`/api/v3/pages/find/?html_path=${encodeURIComponent(htmlPath)}`);
}

/** @param {string} contentType @param {string} token @returns {Promise<AnyPage>} */
export function previewPage(contentType, token) {
  const query = new URLSearchParams({ content_type: contentType, token });
  return request(`/api/v3/page_preview/?${query}`);
}

/** @param {number} pageId */
export function childPages(pageId) {
  return request(`/api/v3/pages/?child_of=${pageId}&limit=50`);
}

/** The site root's live, public children that editors put in menus: the navigation. */
export function menuPages() {
  return request("/api/v3/pages/?child_of=root&show_in_menus=true&limit=20");
}

/** @param {number} pageId @returns {Promise<RepliesList>} */
export function replies(pageId) {
  return request(`/api/v3/replies/?page=${pageId}&limit=50`);
}

/** @param {Record<string, unknown>} reply */
export function postReply(reply) {
  return request("/api/v2/replies/", {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify(reply),
  });
}
