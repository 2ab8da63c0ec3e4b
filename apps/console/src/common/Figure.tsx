import { Card, CardContent, Typography } from '@mui/material';

/** One headline figure of a report (customers, upgrades, cost change …): a label above a large value. */
export const Figure = ({ label, value, testId, color, width = 160 }: { label: string; value: string; testId: string; color?: string; width?: number }) => (
  <Card variant="outlined" sx={{ flex: `1 1 ${width}px` }}>
    <CardContent>
      <Typography variant="body2" color="text.secondary">
        {label}
      </Typography>
      <Typography variant="h5" data-testid={testId} sx={{ color }}>
        {value}
      </Typography>
    </CardContent>
  </Card>
);
