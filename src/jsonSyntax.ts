/**
 * Where a JSON text stops being JSON: the line, the column and what was found there, as one line.
 * `JSON.parse`'s own messages name no position on some inputs (then a file's last line would be
 * blamed) and quote the input, newlines included; this scanner runs only after `JSON.parse` failed.
 */

/** The text without a leading UTF-8 byte-order mark (editors on Windows write one). */
export function withoutBom(text: string): string {
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}

/** A character as a message shows it. */
function shown(c: string | undefined): string {
  return c === undefined ? 'the end of the input' : JSON.stringify(c);
}

const NUMBER = /-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?/y;
const MAX_DEPTH = 512;

/** The offset of the first syntax error of `t` and what is wrong there, or undefined when `t` is JSON. */
export function jsonSyntaxError(t: string): { offset: number; problem: string } | undefined {
  let i = 0;
  const ws = () => {
    while (i < t.length && (t[i] === ' ' || t[i] === '\t' || t[i] === '\n' || t[i] === '\r')) i++;
  };
  const string = (): string | undefined => {
    i++;
    for (;;) {
      const c = t[i];
      if (c === undefined) return 'an unterminated string';
      if (c === '"') {
        i++;
        return undefined;
      }
      if (c < ' ') return `${shown(c)} inside a string`;
      if (c === '\\') {
        const e = t[i + 1];
        if (e === 'u') {
          if (!/^[0-9a-fA-F]{4}$/.test(t.slice(i + 2, i + 6))) return 'a \\u escape without four hex digits';
          i += 6;
          continue;
        }
        if (e === undefined || !'"\\/bfnrt'.includes(e)) return `an unknown escape \\${e ?? ''}`;
        i += 2;
        continue;
      }
      i++;
    }
  };
  const value = (depth: number): string | undefined => {
    ws();
    const c = t[i];
    if (depth > MAX_DEPTH) return 'values nested too deeply';
    if (c === '"') return string();
    if (c === '{' || c === '[') {
      const close = c === '{' ? '}' : ']';
      i++;
      ws();
      if (t[i] === close) {
        i++;
        return undefined;
      }
      for (;;) {
        ws();
        if (c === '{') {
          if (t[i] !== '"') return `${shown(t[i])} where a property name in double quotes belongs`;
          const bad = string();
          if (bad !== undefined) return bad;
          ws();
          if (t[i] !== ':') return `${shown(t[i])} where ':' belongs`;
          i++;
        }
        const bad = value(depth + 1);
        if (bad !== undefined) return bad;
        ws();
        if (t[i] === ',') {
          i++;
          continue;
        }
        if (t[i] === close) {
          i++;
          return undefined;
        }
        return `${shown(t[i])} where ',' or '${close}' belongs`;
      }
    }
    for (const word of ['true', 'false', 'null'])
      if (t.startsWith(word, i)) {
        i += word.length;
        return undefined;
      }
    NUMBER.lastIndex = i;
    const m = c === '-' || (c !== undefined && c >= '0' && c <= '9') ? NUMBER.exec(t) : null;
    if (m !== null && m[0].length > 0) {
      i += m[0].length;
      return undefined;
    }
    return `${shown(c)} where a value belongs`;
  };
  const bad = value(0);
  if (bad !== undefined) return { offset: i, problem: bad };
  ws();
  return i < t.length ? { offset: i, problem: `${shown(t[i])} after the JSON value` } : undefined;
}

/** The 1-based line and column of `offset` in `text`. */
export function lineColumn(text: string, offset: number): { line: number; column: number } {
  const before = text.slice(0, offset);
  const nl = before.lastIndexOf('\n');
  return { line: before.split('\n').length, column: offset - nl };
}

/** Parses JSON (a leading BOM allowed), or returns the one-line reason: `line L:C: not valid JSON (…)`. */
export function parseJson(text: string): { value: unknown } | { error: string; line: number; column: number } {
  const t = withoutBom(text);
  try {
    return { value: JSON.parse(t) as unknown };
  } catch {
    const at = jsonSyntaxError(t) ?? { offset: t.length, problem: 'not JSON' };
    const { line, column } = lineColumn(t, at.offset);
    return { error: `line ${line}:${column}: not valid JSON (${at.problem})`, line, column };
  }
}
