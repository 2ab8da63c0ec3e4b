import { Injectable } from '@nestjs/common';

/**
 * Told after every workflow step (publish, retire, …) in this process, so that modules above
 * policies (evaluation's cached timelines) refresh without policies importing them.
 */
@Injectable()
export class PolicyEvents {
  private readonly listeners = new Set<() => void>();

  /** Call `listener` after each change of a version's lifecycle; returns the unsubscribe. */
  onVersionChanged(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  versionChanged(): void {
    for (const listener of this.listeners) listener();
  }
}
