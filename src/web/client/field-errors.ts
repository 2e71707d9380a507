/**
 * A message tied to one field of a form: shown just under the field (where a phone's screen is, once the field is
 * focused), linked to it with aria-describedby and aria-invalid, and gone when the field changes or the form is
 * sent again.
 */

let made = 0;

/** Shows `message` just after `anchor` (the field's label, or its group) for `field`, and focuses the field. */
export function markField(field: HTMLElement, anchor: HTMLElement, message: string): void {
  const note = document.createElement('span');
  note.className = 'field-error';
  note.id = `field-error-${++made}`;
  note.textContent = message;
  if (anchor.tagName === 'LABEL') {
    // In the label, under its field (in a grid of fields, a note after the label would take a cell, or a row, of its
    // own). Hidden from the accessible name, which the label's text gives; aria-describedby still reads it.
    note.setAttribute('aria-hidden', 'true');
    anchor.append(note);
  } else {
    anchor.after(note);
  }
  field.setAttribute('aria-invalid', 'true');
  field.setAttribute('aria-describedby', note.id);
  const clear = (): void => {
    note.remove();
    field.removeAttribute('aria-invalid');
    field.removeAttribute('aria-describedby');
  };
  // Any input of the label or group (the variant checkboxes) changing clears it.
  anchor.addEventListener('input', clear, { once: true });
  field.focus();
  note.scrollIntoView?.({ block: 'nearest' });
}

/** Removes every field's message and mark in `form`. */
export function clearFieldErrors(form: HTMLFormElement): void {
  for (const note of Array.from(form.querySelectorAll('.field-error'))) note.remove();
  for (const el of Array.from(form.querySelectorAll('[aria-invalid]'))) {
    el.removeAttribute('aria-invalid');
    el.removeAttribute('aria-describedby');
  }
}
