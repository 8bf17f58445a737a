/* Health page editor: a list block's own errors drawn as a field error.
 *
 * Wagtail draws a ListBlock's non-block errors (such as a claim's "Cite at least one source
 * for this claim.") as a pink help-critical box inside the list. Inside a claim the list is
 * a field like its neighbours, so its error gets the same warning icon and red text under
 * the field's label; as an .error-message it is also counted in the minimap and reached by
 * "Go to the first error" like theirs. Loaded after Wagtail's blocks.js (form media).
 */
(() => {
  const ListBlock = window.wagtailStreamField?.blocks?.ListBlock;
  if (!ListBlock) return;
  const wagtailSetError = ListBlock.prototype.setError;

  function fieldErrors(messages) {
    const errors = document.createElement('div');
    errors.className = 'w-field__errors';
    errors.dataset.fieldErrors = '';
    errors.innerHTML =
      '<svg class="icon icon-warning w-field__errors-icon" aria-hidden="true">' +
      '<use href="#icon-warning"></use></svg><p class="error-message"></p>';
    errors.querySelector('.error-message').textContent = messages.join(' ');
    return errors;
  }

  ListBlock.prototype.setError = function setError(error) {
    if (!error) return;
    const { messages, ...childErrors } = error;
    wagtailSetError.call(this, childErrors);
    // setError({}) clears, as Wagtail does when the item count changes.
    this.kpFieldErrors?.remove();
    this.kpFieldErrors = null;
    if (!messages?.length) return;
    const list = this.container[0];
    // Where a field shows its errors: after the label, above the help text.
    const help = list.previousElementSibling?.matches('.c-sf-help')
      ? list.previousElementSibling
      : null;
    this.kpFieldErrors = fieldErrors(messages);
    list.parentNode.insertBefore(this.kpFieldErrors, help || list);
  };
})();
