import { describe, expect, it } from 'vitest';
import { checkSyntax, guessContentType, jsonErrorOffset, lineAndColumn, prettyPrint } from './syntax';

describe('syntax check', () => {
  it.each([
    ['json', '{"a": 1, "b": [true, null]}'],
    ['yaml', 'a: 1\nb:\n  - x\n  - y\n'],
    ['properties', '# comment\n! also a comment\nurl=jdbc:x\nname: value\nspaced value here\nmulti=one \\\n  two\n'],
    ['text', '{ not json, and that is fine'],
  ] as const)('accepts valid %s', (contentType, value) => {
    expect(checkSyntax(value, contentType).ok).toBe(true);
  });

  it('points at the line of a JSON error', () => {
    const result = checkSyntax('{\n  "a": 1,\n  "b": \n}', 'json');
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.message).toMatch(/^JSON: /);
      expect(result.line).toBe(4);
    }
  });

  it('refuses an empty JSON value', () => {
    expect(checkSyntax('  ', 'json')).toMatchObject({ ok: false, message: 'JSON value is empty' });
  });

  it('points at the line of a YAML error', () => {
    const result = checkSyntax('a: 1\nb: [1, 2\nc: 3\n', 'yaml');
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.line).toBeGreaterThanOrEqual(2);
  });

  it('refuses duplicate YAML keys', () => {
    expect(checkSyntax('a: 1\na: 2\n', 'yaml').ok).toBe(false);
  });

  it('refuses a properties line with a value but no key', () => {
    expect(checkSyntax('good=1\n=orphan\n', 'properties')).toMatchObject({ ok: false, line: 2 });
  });

  it('refuses a properties value continued past the end', () => {
    expect(checkSyntax('a=1 \\', 'properties').ok).toBe(false);
  });

  it('warns about a repeated properties key', () => {
    const result = checkSyntax('a=1\nb=2\na=3\n', 'properties');
    expect(result).toEqual({ ok: true, warnings: ['properties: "a" on line 3 repeats line 1; the last one wins'] });
  });

  it('maps an offset to line and column', () => {
    expect(lineAndColumn('ab\ncd', 4)).toEqual({ line: 2, column: 2 });
  });
});

describe('pretty-print and guess', () => {
  it('indents JSON and normalizes YAML', () => {
    expect(prettyPrint('{"a":{"b":1}}', 'json')).toBe('{\n  "a": {\n    "b": 1\n  }\n}');
    expect(prettyPrint('a:   {b: 1}', 'yaml')).toBe('a:\n  b: 1\n');
  });

  it('returns null for what does not parse or has no pretty form', () => {
    expect(prettyPrint('{', 'json')).toBeNull();
    expect(prettyPrint('x', 'text')).toBeNull();
  });

  it.each([
    ['{"a":1}', 'json'],
    ['a: 1\nb: two', 'yaml'],
    ['a=1\nb=2', 'properties'],
    ['hello world', 'text'],
  ] as const)('guesses %j is %s', (value, expected) => {
    expect(guessContentType(value)).toBe(expected);
  });
});

describe('JSON error offset', () => {
  it.each([
    ['{"a": }', 6],
    ['[1, 2', 5],
    ['{"a": 1} x', 9],
    ['{"a": tru}', 9],
  ])('finds where %j goes wrong', (text, offset) => {
    expect(jsonErrorOffset(text)).toBe(offset);
  });
});
