import { type FormEvent, useId, useState } from "react";
import { Button } from "react-aria-components";
import { FormError } from "../../../components/FormError.tsx";
import { TextInput } from "../../../components/TextInput.tsx";
import { ApiError } from "../../../lib/api-client.ts";
import { type FormErrors, formErrors, NO_ERRORS } from "../../../lib/form-errors.ts";
import { CHANNEL_FORMS, type ChannelForm, initialValues, settingsBody } from "../api/channel-forms.ts";
import {
  type ChannelState,
  type TestResult,
  useChannelStates,
  useRemoveChannel,
  useSaveChannel,
  useTestChannel,
} from "../api/channels.ts";

/**
 * Settings → Channels: one form per channel the workspace sends on. Secrets are written,
 * never read back: their fields stay empty and say "set" once a value is stored.
 */
export function ChannelsSettings({ canEdit = true }: { canEdit?: boolean }) {
  const channels = useChannelStates();
  return (
    <div className="channels-settings">
      <p className="muted">
        The channels messages to contacts go out on. Secrets are stored encrypted and are never shown again.
      </p>
      {channels.isPending && <p className="muted">Loading the channels…</p>}
      {channels.isError && <FormError message={`The channels could not be loaded: ${channels.error.message}`} />}
      {channels.data &&
        CHANNEL_FORMS.map((form) => {
          const state = channels.data.find((c) => c.channel === form.channel);
          return (
            <ChannelSettingsForm
              // A save or removal that changes the stored settings starts the form again from them.
              key={`${form.channel}:${JSON.stringify(state?.settings ?? null)}:${state?.configured}`}
              form={form}
              state={state}
              canEdit={canEdit}
            />
          );
        })}
    </div>
  );
}

function ChannelSettingsForm({
  form,
  state,
  canEdit,
}: {
  form: ChannelForm;
  state: ChannelState | undefined;
  canEdit: boolean;
}) {
  const headingId = useId();
  const configured = Boolean(state?.configured);
  const [values, setValues] = useState(() => initialValues(form, state?.settings ?? null));
  const [errors, setErrors] = useState<FormErrors>(NO_ERRORS);
  const [saved, setSaved] = useState<string>();
  const save = useSaveChannel();
  const remove = useRemoveChannel();
  const labels = Object.fromEntries(form.fields.map((field) => [field.name, field.label]));

  const submit = (event: FormEvent) => {
    event.preventDefault();
    setSaved(undefined);
    setErrors(NO_ERRORS);
    save.mutate(
      { channel: form.channel, settings: settingsBody(form, values, configured) },
      {
        onSuccess: () => setSaved(`${form.title} settings saved.`),
        onError: (failure) => setErrors(formErrors(failure, labels)),
      },
    );
  };

  return (
    <section className="channel-settings" aria-labelledby={headingId}>
      <div className="channel-settings-head">
        <h3 id={headingId}>{form.title}</h3>
        <span className={`badge${configured ? " on" : ""}`}>{configured ? "configured" : "not configured"}</span>
      </div>
      <p className="muted">{form.intro}</p>
      <form onSubmit={submit} className="channel-form" noValidate>
        {form.fields.map((field) => (
          <TextInput
            key={field.name}
            label={field.label}
            type={field.secret ? "password" : "text"}
            autoComplete={field.secret ? "new-password" : "off"}
            value={values[field.name] ?? ""}
            onChange={(value) => setValues((current) => ({ ...current, [field.name]: value }))}
            error={errors.fields[field.name]}
            isRequired={!field.optional && !(field.secret && configured)}
            placeholder={field.secret && configured ? "set" : undefined}
            description={
              field.secret
                ? configured
                  ? "Set. Leave empty to keep it, or type a new one."
                  : "Not set."
                : (field.hint ?? (field.placeholder ? `e.g. ${field.placeholder}` : undefined))
            }
          />
        ))}
        <FormError message={errors.form} />
        {saved && (
          <p className="notice" role="status">
            {saved}
          </p>
        )}
        {canEdit && (
          <div className="row-actions">
            <Button type="submit" className="button primary" isPending={save.isPending}>
              Save
            </Button>
            {configured && (
              <Button
                className="button danger"
                isPending={remove.isPending}
                onPress={() => {
                  setSaved(undefined);
                  remove.mutate(form.channel, {
                    onError: (failure) => setErrors(formErrors(failure, labels)),
                  });
                }}
              >
                Remove
              </Button>
            )}
          </div>
        )}
      </form>
      {configured && <SendTest form={form} />}
    </section>
  );
}

/** `Send test`: sends a message through the saved settings and shows what the provider answered. */
function SendTest({ form }: { form: ChannelForm }) {
  const [to, setTo] = useState("");
  const test = useTestChannel();
  const [result, setResult] = useState<{ ok: boolean; text: string }>();

  const submit = (event: FormEvent) => {
    event.preventDefault();
    setResult(undefined);
    test.mutate(
      { channel: form.channel, to: to.trim() },
      {
        onSuccess: (answer) => setResult(testOutcome(answer, to.trim())),
        onError: (failure) =>
          setResult({
            ok: false,
            text:
              failure instanceof ApiError
                ? failure.problem.errors?.length
                  ? failure.problem.errors.map((e) => e.message).join("; ")
                  : failure.message
                : "The server could not be reached.",
          }),
      },
    );
  };

  return (
    <form className="send-test" onSubmit={submit} noValidate>
      <TextInput
        label={form.testLabel}
        value={to}
        onChange={setTo}
        autoComplete="off"
        placeholder={form.testPlaceholder}
        description={form.testHint}
      />
      <Button type="submit" className="button" isPending={test.isPending}>
        Send test
      </Button>
      {result && (
        <p className={result.ok ? "notice" : "form-error"} role={result.ok ? "status" : "alert"}>
          {result.text}
        </p>
      )}
    </form>
  );
}

function testOutcome(answer: TestResult | undefined, to: string): { ok: boolean; text: string } {
  if (answer?.ok === false) return { ok: false, text: answer.detail };
  return { ok: true, text: answer?.detail || `Test sent${to ? ` to ${to}` : ""}.` };
}
