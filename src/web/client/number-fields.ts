/**
 * Number fields' own checks, before a form is sent. A number input whose text is not a number (`1e`, `--2`)
 * reads as "" — what a blank field reads as — so without this a typo would silently become the server's default.
 */

/** The field's name for people: its label's own text (not a select's options) without the "(blank: …)" note. */
export function fieldName(input: HTMLInputElement | HTMLSelectElement): string {
  const label = input.closest('label');
  const own = label === null ? '' : Array.from(label.childNodes).filter((n) => n.nodeType === Node.TEXT_NODE).map((n) => n.textContent).join('');
  return own.replace(/\s*\(blank:[^)]*\)\s*$/, '').trim() || input.name || input.id;
}

/** Why the field's text cannot be sent, as a sentence naming the field; null when it can (blank included). */
export function numberProblem(input: HTMLInputElement): string | null {
  const v = input.validity;
  if (v.valid) return null;
  const name = fieldName(input);
  const example = input.defaultValue !== '' ? input.defaultValue : input.min !== '' ? input.min : '1';
  if (v.badInput) return `${name}: what is typed there is not a number. Type digits only, such as ${example}.`;
  if (v.valueMissing) return `${name}: required; type a number such as ${example}.`;
  if (v.rangeUnderflow) return `${name}: at least ${input.min}, got ${input.value}.`;
  if (v.rangeOverflow) return `${name}: at most ${input.max}, got ${input.value}.`;
  if (v.stepMismatch) return `${name}: a whole number, please (got ${input.value}).`;
  return `${name}: ${input.validationMessage}`;
}

/** Every number field of `form` that cannot be sent, in the form's order (fields in a hidden part are not sent, so not checked). */
export function numberProblems(form: HTMLFormElement): { input: HTMLInputElement; message: string }[] {
  const problems: { input: HTMLInputElement; message: string }[] = [];
  for (const input of Array.from(form.querySelectorAll<HTMLInputElement>('input[type=number]'))) {
    if (input.disabled || input.closest('[hidden]') !== null) continue;
    const message = numberProblem(input);
    if (message !== null) problems.push({ input, message });
  }
  return problems;
}
