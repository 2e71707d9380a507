/**
 * Text from a user's file made safe to quote in an error message: control characters and undecodable bytes are
 * written as escapes (never raw to the terminal), and long text is cut.
 */
export function printable(text: string, max = 20): string {
  const chars = Array.from(text);
  const shown = chars.length > max ? `${chars.slice(0, max).join('')}…` : text;
  return shown.replace(/[\u0000-\u001f\u007f-\u009f\ufffd]/g, (ch) => (ch === '\ufffd' ? '\\ufffd' : `\\x${ch.charCodeAt(0).toString(16).padStart(2, '0')}`));
}
