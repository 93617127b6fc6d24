import type { Config } from "../config.ts";
import type { Queryable } from "../db/db.ts";
import { type ChannelRow, findChannel } from "./repository.ts";
import { channelKey, unseal } from "./secrets.ts";
import type { ChannelConfig, ChannelKind, Secrets } from "./settings.ts";

export type KeyConfig = Pick<Config, "secretKey" | "dataDir" | "databaseUrl">;

/** A stored channel, its secrets opened. */
export function configFromRow(config: KeyConfig, row: ChannelRow): ChannelConfig {
  const secrets = unseal<Secrets>(channelKey(config), row.secrets);
  return { channel: row.channel, settings: row.settings, secrets } as unknown as ChannelConfig;
}

export async function loadChannel(
  db: Queryable,
  config: KeyConfig,
  workspaceId: string,
  channel: ChannelKind,
): Promise<ChannelConfig | undefined> {
  const row = await findChannel(db, workspaceId, channel);
  return row && configFromRow(config, row);
}

/** What the API shows of a channel: its settings, never a secret. */
export function channelView(channel: ChannelKind, row: ChannelRow | undefined) {
  return {
    channel,
    configured: row !== undefined,
    settings: row ? row.settings : null,
    updatedAt: row?.updated_at ?? null,
  };
}
