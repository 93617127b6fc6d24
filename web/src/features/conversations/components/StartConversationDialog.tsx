import { type FormEvent, useEffect, useMemo, useState } from "react";
import {
  Button,
  Dialog,
  DialogTrigger,
  FieldError,
  Heading,
  Label,
  Modal,
  ModalOverlay,
  Radio,
  RadioGroup,
} from "react-aria-components";
import { FormError } from "../../../components/FormError.tsx";
import { TextArea } from "../../../components/TextArea.tsx";
import { TextInput } from "../../../components/TextInput.tsx";
import { type FormErrors, formErrors, NO_ERRORS } from "../../../lib/form-errors.ts";
import { useStartConversation } from "../api/conversations.ts";
import { useChannels } from "../api/get-channels.ts";
import { useTemplates } from "../api/get-templates.ts";
import { useWhatsappWindow } from "../api/get-window.ts";
import type { ContactForConversations, StartConversation, Template } from "../api/types.ts";
import { CHANNEL_LABELS, type Reach, reachability, reachKey } from "../utils/reachability.ts";
import { smsSegments } from "../utils/segments.ts";
import {
  approved,
  defaultParameters,
  fillTemplate,
  type TemplateVariable,
  templateBody,
  templateKey,
  templateVariables,
} from "../utils/templates.ts";

interface StartConversationDialogProps {
  contact: ContactForConversations;
  /** Where an admin sets channels up; operators are told to ask one. */
  settingsHref?: string;
  onStarted?: (conversationId: string) => void;
}

/** The server sends an SMS of at most ten parts (1,600 characters). */
const MAX_SMS_PARTS = 10;

const time = new Intl.DateTimeFormat(undefined, { weekday: "short", hour: "2-digit", minute: "2-digit" });

/**
 * `Start new conversation`: the channels the contact can be reached on (those the
 * workspace has not set up shown as such), then what that channel needs: a subject and
 * a message for e-mail, a message with its part count for SMS, and for WhatsApp a message
 * inside the 24-hour window or else an approved template with its variables.
 */
export function StartConversationDialog({ contact, settingsHref, onStarted }: StartConversationDialogProps) {
  const [open, setOpen] = useState(false);
  return (
    <DialogTrigger isOpen={open} onOpenChange={setOpen}>
      <Button className="button primary">Start new conversation</Button>
      <ModalOverlay className="modal-overlay" isDismissable>
        <Modal className="modal">
          <Dialog className="dialog">
            {({ close }) => (
              <StartConversationForm
                contact={contact}
                settingsHref={settingsHref}
                onCancel={close}
                onSent={(conversationId) => {
                  close();
                  onStarted?.(conversationId);
                }}
              />
            )}
          </Dialog>
        </Modal>
      </ModalOverlay>
    </DialogTrigger>
  );
}

/** API fields → the labels of the fields they belong to. */
const LABELS: Record<string, string> = {
  channel: "Channel",
  subject: "Subject",
  text: "Message",
  template: "Template",
};
const ALIASES: Record<string, string> = {
  address: "channel",
  "template.name": "template",
  "template.language": "template",
};

function StartConversationForm({
  contact,
  settingsHref,
  onCancel,
  onSent,
}: {
  contact: ContactForConversations;
  settingsHref?: string;
  onCancel: () => void;
  onSent: (conversationId: string) => void;
}) {
  const channels = useChannels();
  const reaches = useMemo(() => reachability(contact, channels.data), [contact, channels.data]);
  const [selected, setSelected] = useState<string>();
  const firstUsable = reaches.find((reach) => reach.configured);
  const reach = reaches.find((r) => reachKey(r) === selected && r.configured) ?? firstUsable;
  const [subject, setSubject] = useState("");
  const [text, setText] = useState("");
  const [chosenTemplate, setChosenTemplate] = useState("");
  const [parameters, setParameters] = useState<Record<string, string>>({});
  const [errors, setErrors] = useState<FormErrors>(NO_ERRORS);
  const start = useStartConversation();

  const whatsapp = reach?.channel === "whatsapp";
  const windowQuery = useWhatsappWindow(contact.id, whatsapp ? reach.address : undefined);
  const windowOpen = whatsapp && Boolean(windowQuery.data);
  // A template is always allowed; when the history cannot be read, it is the safe offer.
  const useTemplate = whatsapp && (windowQuery.isError || (windowQuery.isSuccess && !windowQuery.data));
  const templates = useTemplates(useTemplate);
  const approvedTemplates = useMemo(() => approved(templates.data ?? []), [templates.data]);
  const template = approvedTemplates.find((t) => templateKey(t) === chosenTemplate);
  const variables = useMemo(() => (template ? templateVariables(template) : []), [template]);

  const chooseTemplate = (key: string) => {
    setChosenTemplate(key);
    const next = approvedTemplates.find((t) => templateKey(t) === key);
    setParameters(next ? defaultParameters(templateVariables(next), contact) : {});
    setErrors(NO_ERRORS);
  };

  // One approved template is the obvious choice; with several the operator picks.
  const only = approvedTemplates.length === 1 ? approvedTemplates[0] : undefined;
  useEffect(() => {
    if (only && !chosenTemplate) {
      setChosenTemplate(templateKey(only));
      setParameters(defaultParameters(templateVariables(only), contact));
    }
  }, [only, chosenTemplate, contact]);

  const labels = useMemo(() => {
    const all: Record<string, string> = { ...LABELS };
    for (const variable of variables) all[`template.parameters.${variable.key}`] = variable.label;
    return all;
  }, [variables]);

  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (!reach) return;
    const missing: Record<string, string> = {};
    const body: StartConversation = { channel: reach.channel, address: reach.address };
    if (reach.channel === "email") {
      if (!subject.trim()) missing.subject = "Subject is required.";
      body.subject = subject;
    }
    if (!useTemplate) {
      if (!text.trim()) missing.text = "Message is required.";
      body.text = text;
    } else if (!template) {
      missing.template = "Choose a template.";
    } else {
      for (const variable of variables) {
        if (!parameters[variable.key]?.trim())
          missing[`template.parameters.${variable.key}`] = `${variable.label} is required.`;
      }
      body.template = { name: template.name, language: template.language, parameters };
    }
    if (Object.keys(missing).length > 0) {
      setErrors({ fields: missing });
      return;
    }
    setErrors(NO_ERRORS);
    start.mutate(
      { contactId: contact.id, body },
      {
        onSuccess: (answer) => onSent(answer.conversation.id),
        onError: (failure) => setErrors(formErrors(failure, labels, ALIASES)),
      },
    );
  };

  return (
    <form onSubmit={submit} noValidate>
      <Heading slot="title">Start new conversation</Heading>
      {channels.isPending && <p className="muted">Loading the channels…</p>}
      {channels.isError && <FormError message={`The channels could not be loaded: ${channels.error.message}`} />}
      {channels.isSuccess && reaches.length === 0 && (
        <p>This contact has no e-mail address, phone number or identity to reach them on. Add one with Edit details.</p>
      )}
      {reaches.length > 0 && (
        <ChannelChoice
          reaches={reaches}
          value={reach ? reachKey(reach) : ""}
          onChange={(key) => {
            setSelected(key);
            setErrors(NO_ERRORS);
          }}
          error={errors.fields.channel}
          settingsHref={settingsHref}
        />
      )}
      {reach?.channel === "email" && (
        <TextInput label="Subject" value={subject} onChange={setSubject} error={errors.fields.subject} isRequired />
      )}
      {whatsapp && windowQuery.isPending && <p className="muted">Checking the 24-hour window…</p>}
      {whatsapp && windowQuery.isError && (
        <FormError message={`The conversation history could not be read: ${windowQuery.error.message}`} />
      )}
      {windowOpen && windowQuery.data && (
        <p className="hint">
          {contactFirst(contact)} wrote in the last 24 hours: free text can be sent until{" "}
          {time.format(Date.parse(windowQuery.data))}.
        </p>
      )}
      {reach && !useTemplate && !(whatsapp && windowQuery.isPending) && (
        <TextArea
          label="Message"
          value={text}
          onChange={setText}
          error={errors.fields.text}
          isRequired
          rows={reach.channel === "email" ? 8 : 4}
          description={reach.channel === "sms" ? <SegmentCount text={text} /> : undefined}
        />
      )}
      {useTemplate && (
        <TemplateFields
          contactName={contactFirst(contact)}
          templates={approvedTemplates}
          isLoading={templates.isPending}
          loadError={templates.isError ? templates.error.message : undefined}
          chosen={chosenTemplate}
          onChoose={chooseTemplate}
          template={template}
          variables={variables}
          values={parameters}
          onValue={(key, value) => setParameters((current) => ({ ...current, [key]: value }))}
          errors={errors.fields}
        />
      )}
      <FormError message={errors.form} />
      <div className="dialog-actions">
        <Button className="button" onPress={onCancel}>
          Cancel
        </Button>
        <Button type="submit" className="button primary" isDisabled={!reach} isPending={start.isPending}>
          Send
        </Button>
      </div>
    </form>
  );
}

const contactFirst = (contact: ContactForConversations) => contact.firstName || "The contact";

function ChannelChoice({
  reaches,
  value,
  onChange,
  error,
  settingsHref,
}: {
  reaches: Reach[];
  value: string;
  onChange: (key: string) => void;
  error?: string;
  settingsHref?: string;
}) {
  const missing = [...new Set(reaches.filter((r) => !r.configured).map((r) => r.channel))];
  return (
    <div className="channel-choice">
      <RadioGroup className="radio-group" value={value} onChange={onChange} isInvalid={Boolean(error)}>
        <Label>Channel</Label>
        {reaches.map((reach) => (
          <Radio key={reachKey(reach)} value={reachKey(reach)} className="radio" isDisabled={!reach.configured}>
            <span>
              <strong>{CHANNEL_LABELS[reach.channel]}</strong> <span className="muted">{reach.address}</span>
              {!reach.configured && (
                <>
                  {" "}
                  <span className="badge">not configured</span>
                </>
              )}
            </span>
          </Radio>
        ))}
        <FieldError className="field-error">{error}</FieldError>
      </RadioGroup>
      {missing.length > 0 && (
        <p className="hint">
          {missing.map((channel) => CHANNEL_LABELS[channel]).join(", ")} {missing.length === 1 ? "is" : "are"} not set
          up for this workspace.{" "}
          {settingsHref ? (
            <a href={settingsHref}>Set up channels in Settings → Channels</a>
          ) : (
            "An admin can set it up in Settings → Channels."
          )}
        </p>
      )}
    </div>
  );
}

function SegmentCount({ text }: { text: string }) {
  const { segments, encoding, remaining } = smsSegments(text);
  if (segments === 0) return <>Up to 160 characters go in one SMS.</>;
  if (segments > MAX_SMS_PARTS) {
    return (
      <span aria-live="polite">
        {segments} SMS parts ({encoding}): more than the {MAX_SMS_PARTS} parts a message may have. Shorten it.
      </span>
    );
  }
  return (
    <span aria-live="polite">
      {segments} SMS {segments === 1 ? "part" : "parts"} ({encoding}), {remaining} characters left in this part
    </span>
  );
}

function TemplateFields(props: {
  contactName: string;
  templates: Template[];
  isLoading: boolean;
  loadError?: string;
  chosen: string;
  onChoose: (key: string) => void;
  template?: Template;
  variables: TemplateVariable[];
  values: Record<string, string>;
  onValue: (key: string, value: string) => void;
  errors: Record<string, string>;
}) {
  const { template, variables, values, errors } = props;
  const body = template ? templateBody(template) : "";
  const preview = fillTemplate(
    body,
    Object.fromEntries(
      variables.filter((v) => !v.key.includes(".") && v.key !== "header").map((v) => [v.key, values[v.key] ?? ""]),
    ),
  );
  return (
    <>
      <p className="hint">
        {props.contactName} has not written on WhatsApp in the last 24 hours, so WhatsApp allows only an approved
        template to open the conversation.
      </p>
      {props.loadError && <FormError message={`The templates could not be loaded: ${props.loadError}`} />}
      <label className="field">
        <span>Template</span>
        <select
          value={props.chosen}
          onChange={(event) => props.onChoose(event.target.value)}
          disabled={props.isLoading}
          aria-invalid={errors.template ? true : undefined}
          aria-describedby={errors.template ? "template-error" : undefined}
        >
          <option value="">{props.isLoading ? "Loading templates…" : "Choose a template"}</option>
          {props.templates.map((t) => (
            <option key={templateKey(t)} value={templateKey(t)}>
              {t.name} ({t.language}, {t.category.toLowerCase()})
            </option>
          ))}
        </select>
        {errors.template && (
          <span id="template-error" className="field-error">
            {errors.template}
          </span>
        )}
      </label>
      {!props.isLoading && !props.loadError && props.templates.length === 0 && (
        <p className="muted">There are no approved templates. Templates are made and approved in WhatsApp Manager.</p>
      )}
      {template && (
        <>
          {variables.map((variable) => (
            <TextInput
              key={variable.key}
              label={variable.label}
              value={values[variable.key] ?? ""}
              onChange={(value) => props.onValue(variable.key, value)}
              error={errors[`template.parameters.${variable.key}`]}
              isRequired
            />
          ))}
          <figure className="template-preview">
            <figcaption className="muted">Preview</figcaption>
            <p>{preview}</p>
          </figure>
        </>
      )}
    </>
  );
}
