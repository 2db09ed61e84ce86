'use client';
// A text area for a value of a given content type, with a live syntax check and a pretty-print button.
import { useId, useMemo } from 'react';
import { CONTENT_TYPES, type ContentType } from '../lib/api-types';
import { checkSyntax, prettyPrint } from '../lib/syntax';

interface Props {
  label: string;
  value: string;
  onChange(value: string): void;
  contentType: ContentType;
  onContentTypeChange?(contentType: ContentType): void;
  readOnly?: boolean;
  rows?: number;
}

export function CodeEditor({ label, value, onChange, contentType, onContentTypeChange, readOnly, rows = 12 }: Props) {
  const id = useId();
  const check = useMemo(() => checkSyntax(value, contentType), [value, contentType]);
  const pretty = contentType === 'json' || contentType === 'yaml';
  return (
    <div className="stack">
      <div className="row">
        <div className="field">
          <label htmlFor={`${id}-type`}>Content type</label>
          <select id={`${id}-type`} value={contentType} disabled={!onContentTypeChange} onChange={(event) => onContentTypeChange?.(event.target.value as ContentType)}>
            {CONTENT_TYPES.map((type) => (
              <option key={type} value={type}>
                {type}
              </option>
            ))}
          </select>
        </div>
        {pretty && !readOnly ? (
          <button
            type="button"
            className="secondary"
            onClick={() => {
              const formatted = prettyPrint(value, contentType);
              if (formatted !== null) onChange(formatted);
            }}
            disabled={!check.ok}
          >
            Pretty-print
          </button>
        ) : null}
        <span className="spacer" />
        <span id={`${id}-check`} className={`small badge ${check.ok ? 'badge-ok' : 'badge-err'}`} aria-live="polite">
          {check.ok ? (contentType === 'text' ? 'plain text' : `valid ${contentType}`) : `line ${check.line ?? '?'}: ${check.message}`}
        </span>
      </div>
      <div className="field">
        <label htmlFor={`${id}-value`}>{label}</label>
        <textarea
          id={`${id}-value`}
          className="code"
          spellCheck={false}
          rows={rows}
          value={value}
          readOnly={readOnly}
          aria-invalid={!check.ok}
          aria-describedby={`${id}-check`}
          onChange={(event) => onChange(event.target.value)}
        />
      </div>
      {check.ok && check.warnings.length > 0 ? (
        <ul className="small notice notice-warn">
          {check.warnings.map((warning) => (
            <li key={warning}>{warning}</li>
          ))}
        </ul>
      ) : null}
    </div>
  );
}
