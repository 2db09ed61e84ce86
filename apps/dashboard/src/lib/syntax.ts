// Syntax checks and pretty-printing for config values and znode data: JSON, YAML and Java .properties.
// The API checks again on publish (400 with the parse error); this lets the editor say so before a round trip.
import { parseDocument, stringify as stringifyYaml } from 'yaml';
import type { ContentType } from './api-types';

export type SyntaxResult = { ok: true; warnings: string[] } | { ok: false; message: string; line?: number; column?: number };

const ok = (warnings: string[] = []): SyntaxResult => ({ ok: true, warnings });

export function checkSyntax(value: string, contentType: ContentType): SyntaxResult {
  switch (contentType) {
    case 'text':
      return ok();
    case 'json':
      return checkJson(value);
    case 'yaml':
      return checkYaml(value);
    case 'properties':
      return checkProperties(value);
    default: {
      const unknown: never = contentType;
      return { ok: false, message: `unknown content type ${String(unknown)}` };
    }
  }
}

/** 1-based line and column of a character offset. */
export function lineAndColumn(text: string, offset: number): { line: number; column: number } {
  const before = text.slice(0, Math.max(0, offset));
  const lines = before.split('\n');
  return { line: lines.length, column: lines[lines.length - 1].length + 1 };
}

function checkJson(value: string): SyntaxResult {
  if (value.trim() === '') return { ok: false, message: 'JSON value is empty', line: 1, column: 1 };
  try {
    JSON.parse(value);
    return ok();
  } catch (error) {
    const message = (error as Error).message;
    // V8: "… in JSON at position 12 (line 2 column 3)"; older: "… at position 12".
    const lineColumn = /line (\d+) column (\d+)/.exec(message);
    if (lineColumn) return { ok: false, message: `JSON: ${message}`, line: Number(lineColumn[1]), column: Number(lineColumn[2]) };
    const position = /position (\d+)/.exec(message);
    const offset = position ? Number(position[1]) : jsonErrorOffset(value);
    return { ok: false, message: `JSON: ${message.split('\n')[0]}`, ...lineAndColumn(value, offset) };
  }
}

/**
 * Where JSON.parse gave up, for engines whose message has no position (Node 20: "Unexpected token '}', …"):
 * a small recursive-descent scan that stops at the first character that cannot continue the value.
 */
export function jsonErrorOffset(text: string): number {
  let at = 0;
  const fail = (): never => {
    throw at;
  };
  const space = () => {
    while (at < text.length && ' \t\n\r'.includes(text[at])) at++;
  };
  const literal = (word: string) => {
    for (const char of word) {
      if (text[at] !== char) fail();
      at++;
    }
  };
  const string = () => {
    at++;
    while (at < text.length && text[at] !== '"') {
      if (text[at] === '\\') at++;
      else if (text.charCodeAt(at) < 0x20) fail();
      at++;
    }
    if (at >= text.length) fail();
    at++;
  };
  const number = () => {
    const match = /^-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?/.exec(text.slice(at));
    if (!match || match[0] === '' || match[0] === '-') return fail();
    at += match[0].length;
  };
  const value = (): void => {
    space();
    const char = text[at];
    if (char === '{') {
      at++;
      space();
      if (text[at] === '}') return void at++;
      for (;;) {
        space();
        if (text[at] !== '"') fail();
        string();
        space();
        if (text[at] !== ':') fail();
        at++;
        value();
        space();
        if (text[at] === ',') at++;
        else if (text[at] === '}') return void at++;
        else fail();
      }
    }
    if (char === '[') {
      at++;
      space();
      if (text[at] === ']') return void at++;
      for (;;) {
        value();
        space();
        if (text[at] === ',') at++;
        else if (text[at] === ']') return void at++;
        else fail();
      }
    }
    if (char === '"') return string();
    if (char === 't') return literal('true');
    if (char === 'f') return literal('false');
    if (char === 'n') return literal('null');
    if (char === '-' || (char >= '0' && char <= '9')) return number();
    fail();
  };
  try {
    value();
    space();
    return at < text.length ? at : text.length;
  } catch (offset) {
    return typeof offset === 'number' ? offset : 0;
  }
}

function checkYaml(value: string): SyntaxResult {
  const document = parseDocument(value, { prettyErrors: false, uniqueKeys: true });
  const [first] = document.errors;
  if (first) {
    return { ok: false, message: `YAML: ${first.message.split('\n')[0]}`, ...lineAndColumn(value, first.pos[0]) };
  }
  return ok(document.warnings.map((warning) => `YAML: ${warning.message.split('\n')[0]}`));
}

/** Java .properties: `key=value`, `key: value` or `key value`, `#`/`!` comments, `\` continues a line. */
function checkProperties(value: string): SyntaxResult {
  const lines = value.replace(/\r\n/g, '\n').split('\n');
  const seen = new Map<string, number>();
  const warnings: string[] = [];
  let continued = false;
  for (let index = 0; index < lines.length; index++) {
    const line = lines[index];
    const trimmed = line.trim();
    const wasContinued = continued;
    continued = /(^|[^\\])(\\\\)*\\$/.test(line);
    if (wasContinued || trimmed === '' || trimmed.startsWith('#') || trimmed.startsWith('!')) continue;
    if (/^[=:]/.test(trimmed)) return { ok: false, message: `properties: line ${index + 1} has a value but no key`, line: index + 1, column: line.indexOf(trimmed[0]) + 1 };
    const key = /^((?:\\.|[^\s=:\\])+)/.exec(trimmed)?.[1] ?? trimmed;
    const previous = seen.get(key);
    if (previous !== undefined) warnings.push(`properties: "${key}" on line ${index + 1} repeats line ${previous}; the last one wins`);
    seen.set(key, index + 1);
  }
  if (continued) return { ok: false, message: 'properties: the last line ends with "\\" but nothing follows it', line: lines.length };
  return ok(warnings);
}

/** Pretty-printed JSON or YAML; null when the text does not parse (or the type has no pretty form). */
export function prettyPrint(value: string, contentType: ContentType): string | null {
  try {
    if (contentType === 'json') return JSON.stringify(JSON.parse(value), null, 2);
    if (contentType === 'yaml') {
      const document = parseDocument(value);
      if (document.errors.length > 0) return null;
      return stringifyYaml(document.toJS());
    }
  } catch {
    return null;
  }
  return null;
}

/** A guess for znode data with no declared type: JSON if it parses as an object or array, YAML if it looks like a mapping, else text. */
export function guessContentType(value: string): ContentType {
  const trimmed = value.trim();
  if (/^[[{]/.test(trimmed)) {
    try {
      JSON.parse(trimmed);
      return 'json';
    } catch {
      // not JSON after all
    }
  }
  if (/^[A-Za-z0-9_.-]+:\s/m.test(trimmed) && checkYaml(trimmed).ok) return 'yaml';
  if (/^[A-Za-z0-9_.-]+\s*=/m.test(trimmed) && checkProperties(trimmed).ok) return 'properties';
  return 'text';
}
