import type { Provider } from '@nestjs/common';
import { OverridesController } from './overrides.controller';
import { OverridesService } from './overrides.service';

/** Overrides (issue 12): registered in AppModule beside the rating module, whose LedgerHooks and LedgerService they use. */
export const OVERRIDES_CONTROLLERS = [OverridesController];

export function overridesProviders(): Provider[] {
  return [OverridesService];
}
