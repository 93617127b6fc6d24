import { useId, useState } from "react";
import { Button } from "react-aria-components";
import { CHANNEL_LABELS } from "../../../components/ChannelMark.tsx";
import { formErrors } from "../../../lib/form-errors.ts";
import { useRemoveIdentity } from "../api/identities.ts";
import type { Contact } from "../api/types.ts";
import { lastSeen } from "../utils/contact.ts";

/**
 * The ways the contact reached the workspace: one row per identity (channel and address,
 * when last seen there), each with `Remove <channel> <address>`. Removing one does not
 * touch the contact's own e-mail or phone.
 */
export function IdentitiesList({ contact, now }: { contact: Contact; now: number }) {
  const headingId = useId();
  const remove = useRemoveIdentity();
  const [error, setError] = useState<string>();
  const identities = contact.identities ?? [];
  return (
    <section className="identities" aria-labelledby={headingId}>
      <h3 id={headingId}>Identities</h3>
      {identities.length === 0 ? (
        <p className="muted">Not seen on any channel yet.</p>
      ) : (
        <ul className="identity-list">
          {identities.map((identity) => (
            <li key={`${identity.channel}:${identity.address}`} className="identity">
              <span className="identity-channel">{CHANNEL_LABELS[identity.channel] ?? identity.channel}</span>
              <span className="identity-address">{identity.address}</span>
              <span className="muted identity-seen">
                {identity.lastSeenAt ? `seen ${lastSeen(identity.lastSeenAt, now)}` : "never seen"}
              </span>
              <Button
                className="tag-remove"
                aria-label={`Remove ${identity.channel} ${identity.address}`}
                isPending={
                  remove.isPending &&
                  remove.variables.channel === identity.channel &&
                  remove.variables.address === identity.address
                }
                onPress={() => {
                  setError(undefined);
                  remove.mutate(
                    { id: contact.id, channel: identity.channel, address: identity.address },
                    { onError: (failure) => setError(formErrors(failure, {}).form) },
                  );
                }}
              >
                <span aria-hidden="true">×</span>
              </Button>
            </li>
          ))}
        </ul>
      )}
      {error && (
        <p className="field-error" role="alert">
          {error}
        </p>
      )}
    </section>
  );
}
