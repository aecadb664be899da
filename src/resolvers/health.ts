/**
 * `health` (the monitoring view's score and what lowered it, with the breakers that are not
 * closed) and `healthChanged` (the current health at once, then after every change).
 */
import { Repeater } from 'graphql-yoga';
import type { HealthReport } from '../monitoring/health';
import type { BreakerSnapshot } from '../sources/upstream/breaker';
import type { GatewayContext } from './context';

export interface HealthShape {
  report: HealthReport;
  breakers: BreakerSnapshot[];
}

export async function health(ctx: GatewayContext): Promise<HealthShape> {
  return { report: await ctx.services.health(), breakers: ctx.services.breakers() };
}

/**
 * The current health first, then a new reading after every change the health monitor announces.
 * A Repeater (see live.ts): a subscriber that leaves is let go at once, not at the next change.
 */
export function healthStream(ctx: GatewayContext): Repeater<HealthShape> {
  return new Repeater<HealthShape>(async (push, stop) => {
    const changes = ctx.services.events.subscribe('health');
    const pump = (async () => {
      await push(await health(ctx));
      for await (const _change of changes) await push(await health(ctx));
    })();
    pump.catch((err) => stop(err));
    await stop;
    await changes.return?.();
  });
}
