import type { Provider } from '@nestjs/common';
import { CustomersController } from './customers.controller';
import { LedgerHooks } from './ledger-hooks';
import { LedgerService } from './ledger.service';
import { RatingRunsController } from './rating-runs.controller';
import { RatingRunsService } from './rating-runs.service';

/** The tier ledger and rating runs (issue 11): registered in AppModule next to the other product modules. */
export const RATING_CONTROLLERS = [CustomersController, RatingRunsController];

export function ratingProviders(): Provider[] {
  return [LedgerHooks, LedgerService, RatingRunsService];
}
