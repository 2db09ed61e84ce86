// Validation of config values by content type: a value that does not parse is refused with the parser's message.
import { parseDocument } from 'yaml';

export type ContentType = 'text' | 'json' | 'yaml' | 'properties';
export const CONTENT_TYPES: readonly ContentType[] = ['text', 'json', 'yaml', 'properties'];

/** The parse error of `value` as `contentType`, or undefined when it parses. */
export function parseError(value: string, contentType: ContentType): string | undefined {
  switch (contentType) {
    case 'text':
      return undefined;
    case 'json':
      try {
        JSON.parse(value);
        return undefined;
      } catch (error) {
        return `not valid JSON: ${(error as Error).message}`;
      }
    case 'yaml': {
      const document = parseDocument(value, { prettyErrors: true, uniqueKeys: true });
      const first = document.errors[0];
      return first === undefined ? undefined : `not valid YAML: ${first.message}`;
    }
    case 'properties':
      return propertiesError(value);
  }
}

/** java.util.Properties accepts nearly anything; what it refuses is a malformed \uXXXX escape. */
function propertiesError(value: string): string | undefined {
  const lines = value.split(/\r?\n/);
  for (let i = 0; i < lines.length; i++) {
    const bad = /\\u(?![0-9a-fA-F]{4})/.exec(lines[i]);
    if (bad) return `not valid properties: line ${i + 1}: malformed \\uxxxx escape`;
    const trimmed = lines[i].trimStart();
    if (trimmed !== '' && !trimmed.startsWith('#') && !trimmed.startsWith('!') && /^[=:]/.test(trimmed)) {
      return `not valid properties: line ${i + 1}: a key is missing before '${trimmed[0]}'`;
    }
  }
  return undefined;
}
