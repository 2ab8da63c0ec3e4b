import { Button, Card, CardContent, Stack, TextField, Typography } from '@mui/material';
import { useState } from 'react';
import { useNavigate } from 'react-router-dom';
import { Title, useTranslate } from 'react-admin';

/** /customers — look a customer up by id. */
const CustomerSearch = () => {
  const translate = useTranslate();
  const navigate = useNavigate();
  const [id, setId] = useState('');
  const open = () => {
    const wanted = id.trim();
    if (wanted) void navigate(`/customers/${encodeURIComponent(wanted)}`);
  };
  return (
    <Card variant="outlined" sx={{ mt: 2, maxWidth: 640 }}>
      <Title title={translate('tw.rating.customer.title')} />
      <CardContent>
        <Stack spacing={2}>
          <Typography color="text.secondary">{translate('tw.rating.customer.searchHelp')}</Typography>
          <Stack direction="row" spacing={1}>
            <TextField
              size="small"
              label={translate('tw.rating.customer.search')}
              value={id}
              onChange={(e) => setId(e.target.value)}
              onKeyDown={(e) => {
                if (e.key === 'Enter') open();
              }}
              slotProps={{ htmlInput: { 'data-testid': 'customer-search' } }}
              sx={{ flex: 1 }}
            />
            <Button variant="contained" onClick={open} disabled={!id.trim()} data-testid="customer-open">
              {translate('tw.rating.customer.open')}
            </Button>
          </Stack>
        </Stack>
      </CardContent>
    </Card>
  );
};

export default CustomerSearch;
