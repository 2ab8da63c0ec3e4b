import { codedException, ErrorKind } from '../common/errors/app.exception';

export enum EventsExceptionCode {
  WebhookNotFound = 'WEBHOOK_NOT_FOUND',
  DeliveryNotFound = 'WEBHOOK_DELIVERY_NOT_FOUND',
  /** The URL's host resolves to a private, loopback, link-local or otherwise non-public address (and is not allowed by WEBHOOK_ALLOWED_HOSTS). */
  PrivateAddress = 'WEBHOOK_PRIVATE_ADDRESS',
  /** The URL's host does not resolve. */
  Unresolvable = 'WEBHOOK_UNRESOLVABLE',
  /** Only a failed delivery is retried by hand. */
  NotFailed = 'WEBHOOK_DELIVERY_NOT_FAILED',
}

export const EventsException = codedException<EventsExceptionCode>('EventsException', {
  [EventsExceptionCode.WebhookNotFound]: 'not-found',
  [EventsExceptionCode.DeliveryNotFound]: 'not-found',
  [EventsExceptionCode.PrivateAddress]: 'validation',
  [EventsExceptionCode.Unresolvable]: 'validation',
  [EventsExceptionCode.NotFailed]: 'conflict',
} satisfies Record<EventsExceptionCode, ErrorKind>);
