import { Alert, TextField } from '@mui/material';
import type { PolicyDefinition } from '@tierwise/policy-engine';
import { useState } from 'react';
import { useTranslate } from 'react-admin';
import { definitionToJson, parseDefinitionJson } from '../model/json';
import { useBuilder } from './BuilderContext';

/**
 * The definition as JSON. The text is generated once when the tab opens and then belongs to the
 * user; every edit that parses replaces the definition, so text → definition → text is exact.
 */
export const JsonTab = ({ onChange }: { onChange(definition: PolicyDefinition): void }) => {
  const { definition, readOnly } = useBuilder();
  const translate = useTranslate();
  const [text, setText] = useState(() => definitionToJson(definition));
  const [error, setError] = useState<string | null>(null);
  return (
    <>
      {error && (
        <Alert severity="error" sx={{ mb: 1 }} data-testid="json-error">
          {translate(error, { _: error })}
        </Alert>
      )}
      <TextField
        multiline
        fullWidth
        minRows={20}
        value={text}
        disabled={readOnly}
        slotProps={{ htmlInput: { spellCheck: false, 'data-testid': 'json-editor', style: { fontFamily: 'monospace', fontSize: 13 } } }}
        onChange={(event) => {
          setText(event.target.value);
          const parsed = parseDefinitionJson(event.target.value);
          setError(parsed.ok ? null : parsed.error);
          if (parsed.ok) onChange(parsed.definition);
        }}
      />
    </>
  );
};
