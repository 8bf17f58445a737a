/* Health page editor: cite a source in one click.
 *
 * A claim's sources are a list of source choosers: citing one took the list's "+", then
 * "Choose a source", then the chooser. Each citation list (class kp-citations, labelled by
 * the server in data-kp-cite-label, so it is translated) gets a "Cite a source" button that
 * adds an item at the end and opens its chooser at once. Loaded after Wagtail's blocks.js.
 */
(() => {
  const ListBlock = window.wagtailStreamField?.blocks?.ListBlock;
  if (!ListBlock) return;
  const wagtailInitDragNDrop = ListBlock.prototype.initDragNDrop;

  // The constructor's last step: by then the list's DOM and children exist.
  ListBlock.prototype.initDragNDrop = function initDragNDrop(...args) {
    wagtailInitDragNDrop.apply(this, args);
    const list = this.container[0];
    // From the block's definition: Wagtail sets the attributes after this step.
    const label = this.blockDef.meta.attrs?.['data-kp-cite-label'];
    if (!list.classList.contains('kp-citations') || !label) return;
    const button = document.createElement('button');
    button.type = 'button';
    button.className = 'button button-small button-secondary kp-cite-button';
    button.textContent = label;
    button.addEventListener('click', () => {
      const child = this.insert(null, this.children.length, { animate: true });
      child?.block?.widget?.openChooserModal?.();
    });
    list.insertBefore(button, list.firstChild);
  };
})();
