/** Settings of the exchange functions, read once per cold start. */
export interface ExchangeSettings {
  /** minutes a batch stays open after its last message before the scheduled closer closes it */
  readonly closeAfterMinutes: number;
}

const DEFAULT_CLOSE_AFTER_MINUTES = 10;

/** EXCHANGE_BATCH_CLOSE_MINUTES: 1 to 10080 (a week); 10 when unset. A bad value fails the cold start. */
export function loadExchangeSettings(env: NodeJS.ProcessEnv = process.env): ExchangeSettings {
  const raw = env.EXCHANGE_BATCH_CLOSE_MINUTES;
  if (raw === undefined || raw === '') return { closeAfterMinutes: DEFAULT_CLOSE_AFTER_MINUTES };
  const minutes = Number(raw);
  if (!Number.isInteger(minutes) || minutes < 1 || minutes > 10_080) throw new Error('configuration: EXCHANGE_BATCH_CLOSE_MINUTES must be a whole number of minutes from 1 to 10080');
  return { closeAfterMinutes: minutes };
}
