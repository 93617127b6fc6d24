import { randomUUID } from "node:crypto";
import type { FastifyBaseLogger } from "fastify";
import { recordEvent } from "../audit/repository.ts";
import { ProviderError, sendEmail, sendSms, sendWhatsApp } from "../channels/providers.ts";
import { SecretsUnreadable } from "../channels/secrets.ts";
import { loadChannel } from "../channels/service.ts";
import type { Config } from "../config.ts";
import type { Db } from "../db/db.ts";
import { PollLoop } from "../jobs/poll-loop.ts";
import { claimMessage, markFailed, markRetry, markSent, type OutboxRow, releaseLeases } from "./repository.ts";

/** Attempts before a message that keeps meeting network errors or 5xx answers fails. */
export const MAX_ATTEMPTS = 8;
const LEASE_SECONDS = 60;

/**
 * Sends queued outbound messages in the background, at least once: a message is claimed
 * with a lease (`for update skip locked`, so several server processes share the work),
 * handed to its provider, and marked `sent` with the provider's id in one statement that
 * checks the lease is still ours. A process that dies mid-send leaves the lease to run
 * out, and the message is sent again; e-mail carries a stable Message-ID for that case.
 * Network errors, 5xx and rate limits are retried with exponential backoff; a refusal
 * (4xx, SMTP 5xx) fails the message with the provider's code and text.
 */
export class MessageSender {
  readonly worker = `${process.pid}-${randomUUID()}`;
  private readonly loop: PollLoop;

  constructor(
    private readonly db: Db,
    private readonly config: Config,
    private readonly log: FastifyBaseLogger,
    pollMs = 1000,
  ) {
    this.loop = new PollLoop(() => this.drain(), pollMs);
  }

  async start() {
    if (this.db.kind === "pglite") await releaseLeases(this.db);
    this.loop.start();
  }

  /** Sends what is queued now instead of at the next poll (after a message was queued). */
  wake() {
    this.loop.wake();
  }

  async stop() {
    await this.loop.stop();
  }

  private async drain() {
    for (;;) {
      if (this.loop.stopped) return;
      let row: OutboxRow | undefined;
      try {
        row = await claimMessage(this.db, this.worker, LEASE_SECONDS);
      } catch (error) {
        this.log.error({ err: error }, "could not claim a message to send");
        return;
      }
      if (!row) return;
      await this.send(row);
    }
  }

  private async send(row: OutboxRow) {
    try {
      const providerId = await this.deliver(row);
      await this.db.transaction(async (tx) => {
        if (!(await markSent(tx, row, this.worker, providerId))) return;
        await recordEvent(tx, row.workspace_id, row.sent_by ?? { type: "system", id: null }, "message.sent", {
          contactId: row.contact_id,
          details: {
            messageId: row.id,
            channel: row.channel,
            providerId,
            ...(row.template ? { template: row.template.name } : {}),
          },
        });
      });
    } catch (error) {
      const failure =
        error instanceof ProviderError
          ? error
          : error instanceof SecretsUnreadable
            ? new ProviderError(error.message, "secrets", false)
            : new ProviderError(`Sending failed: ${(error as Error).message}`, null, true);
      const detail = { code: failure.code, message: failure.message };
      // Never the settings or secrets: the code and the provider's words only.
      this.log.warn(
        { messageId: row.id, channel: row.channel, code: failure.code, attempt: row.attempts },
        "message not sent",
      );
      try {
        if (failure.retry && row.attempts < MAX_ATTEMPTS) {
          const delay = this.config.messagesRetryBaseMs * 2 ** (row.attempts - 1);
          await markRetry(this.db, row, this.worker, Math.min(delay, 3_600_000), detail);
        } else {
          await markFailed(this.db, row, this.worker, detail);
        }
      } catch (writeError) {
        this.log.error({ err: writeError, messageId: row.id }, "could not record a send failure");
      }
    }
  }

  private async deliver(row: OutboxRow): Promise<string> {
    const channel = await loadChannel(this.db, this.config, row.workspace_id, row.channel);
    if (!channel)
      throw new ProviderError(`The ${row.channel} channel is not configured any more.`, "not_configured", false);
    if (channel.channel === "email") {
      const sent = await sendEmail(channel.settings, channel.secrets, {
        id: row.id,
        to: row.address,
        subject: row.subject ?? "",
        text: row.text ?? "",
      });
      return sent.providerId;
    }
    if (channel.channel === "whatsapp") {
      // The template's components were read from Meta when the message was accepted.
      const sent = await sendWhatsApp(channel.settings, channel.secrets, {
        to: row.address,
        text: row.text,
        template: row.template,
      });
      return sent.providerId;
    }
    const statusCallback = this.config.publicUrl ? `${this.config.publicUrl}/api/v1/channels/sms/status` : undefined;
    const sent = await sendSms(channel.settings, channel.secrets, {
      to: row.address,
      text: row.text ?? "",
      statusCallback,
    });
    return sent.providerId;
  }
}
