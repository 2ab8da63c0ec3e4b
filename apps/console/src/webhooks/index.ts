import WebhookIcon from '@mui/icons-material/Webhook';
import { lazy } from 'react';
import type { ResourceProps } from 'react-admin';
import { WebhookList } from './WebhookList';

/** Webhooks for tier events (admin, contract §9): list, create, deliveries with hand retry. */
export const webhooks: Omit<ResourceProps, 'name'> = {
  list: WebhookList,
  create: lazy(() => import('./WebhookCreate')),
  show: lazy(() => import('./WebhookShow')),
  icon: WebhookIcon,
};
