/**
 * A strict little XML parser for the tests: enough to prove an SVG is well-formed (every tag closed in order,
 * attributes quoted and unique, no stray `<` or `&` in text) and to walk its elements.
 */
export interface XmlElement {
  readonly name: string;
  readonly attrs: Readonly<Record<string, string>>;
  readonly children: XmlElement[];
  text: string;
}

const NAME = /^[A-Za-z_][\w.:-]*/;
const ATTR = /^\s+([A-Za-z_][\w.:-]*)\s*=\s*("([^"<]*)"|'([^'<]*)')/;
const ENTITY = /^&(?:[A-Za-z]+|#\d+|#x[0-9A-Fa-f]+);/;

function checkText(text: string, at: number): void {
  for (let i = text.indexOf('&'); i >= 0; i = text.indexOf('&', i + 1)) {
    if (!ENTITY.test(text.slice(i))) throw new Error(`xml: bare '&' at ${at + i}`);
  }
}

/** Parses `xml` and returns its root element; throws naming the offset of the first problem. */
export function parseXml(xml: string): XmlElement {
  let pos = 0;
  const stack: XmlElement[] = [];
  let root: XmlElement | undefined;
  const skip = (end: string, what: string): void => {
    const i = xml.indexOf(end, pos);
    if (i < 0) throw new Error(`xml: unterminated ${what} at ${pos}`);
    pos = i + end.length;
  };
  while (pos < xml.length) {
    const lt = xml.indexOf('<', pos);
    const text = xml.slice(pos, lt < 0 ? xml.length : lt);
    checkText(text, pos);
    if (text.trim() !== '') {
      const parent = stack[stack.length - 1];
      if (!parent) throw new Error(`xml: text outside the root element at ${pos}`);
      parent.text += text;
    }
    if (lt < 0) break;
    pos = lt;
    if (xml.startsWith('<?', pos)) skip('?>', 'processing instruction');
    else if (xml.startsWith('<!--', pos)) skip('-->', 'comment');
    else if (xml.startsWith('<![CDATA[', pos)) skip(']]>', 'CDATA');
    else if (xml.startsWith('<!', pos)) skip('>', 'declaration');
    else if (xml.startsWith('</', pos)) {
      const m = /^<\/([A-Za-z_][\w.:-]*)\s*>/.exec(xml.slice(pos, pos + 200));
      const open = stack.pop();
      if (!m || !open || open.name !== m[1]) throw new Error(`xml: closing tag at ${pos} does not match <${open?.name}>`);
      pos += m[0].length;
    } else {
      pos++;
      const name = NAME.exec(xml.slice(pos, pos + 100))?.[0];
      if (!name) throw new Error(`xml: bad tag name at ${pos}`);
      pos += name.length;
      const attrs: Record<string, string> = {};
      for (;;) {
        const m = ATTR.exec(xml.slice(pos, pos + 100_000));
        if (!m) break;
        if (Object.hasOwn(attrs, m[1]!)) throw new Error(`xml: attribute ${m[1]} repeated at ${pos}`);
        const value = m[3] ?? m[4] ?? '';
        checkText(value, pos);
        attrs[m[1]!] = value;
        pos += m[0].length;
      }
      const end = /^\s*(\/?)>/.exec(xml.slice(pos, pos + 100));
      if (!end) throw new Error(`xml: malformed tag <${name}> at ${pos}`);
      pos += end[0].length;
      const el: XmlElement = { name, attrs, children: [], text: '' };
      const parent = stack[stack.length - 1];
      if (parent) parent.children.push(el);
      else if (root) throw new Error(`xml: second root element <${name}> at ${pos}`);
      else root = el;
      if (end[1] !== '/') stack.push(el);
    }
  }
  if (stack.length > 0) throw new Error(`xml: <${stack[stack.length - 1]!.name}> is never closed`);
  if (!root) throw new Error('xml: no root element');
  return root;
}

/** Every element below `el` (depth first) that satisfies `match`. */
export function findAll(el: XmlElement, match: (e: XmlElement) => boolean): XmlElement[] {
  const out: XmlElement[] = [];
  const stack = [el];
  while (stack.length > 0) {
    const e = stack.pop()!;
    if (match(e)) out.push(e);
    for (let i = e.children.length - 1; i >= 0; i--) stack.push(e.children[i]!);
  }
  return out;
}

/** Elements whose class list contains all of `classes`. */
export function byClass(el: XmlElement, ...classes: string[]): XmlElement[] {
  return findAll(el, (e) => {
    const list = (e.attrs['class'] ?? '').split(/\s+/);
    return classes.every((c) => list.includes(c));
  });
}
