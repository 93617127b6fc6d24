import { useRef, useState } from "react";
import { Button, DropZone, FileTrigger, Text } from "react-aria-components";
import { FormError } from "../../../components/FormError.tsx";
import { API_BASE } from "../../../lib/api-client.ts";
import { fetchFile, formatBytes, saveFile } from "../../../lib/download.ts";
import { formErrors } from "../../../lib/form-errors.ts";
import { uploadImport } from "../api/upload-import.ts";

const ACCEPTED = [
  ".csv",
  ".xlsx",
  ".vcf",
  "text/csv",
  "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
  "text/vcard",
  "text/x-vcard",
];

const TEMPLATES = [
  { format: "xlsx", label: "Excel (.xlsx)" },
  { format: "csv-semicolon", label: "CSV (;)" },
  { format: "csv-comma", label: "CSV (,)" },
];

/** Step 1: a file, dropped or chosen, uploaded with a progress bar. */
export function UploadStep({ onUploaded, onCancel }: { onUploaded: (id: string) => void; onCancel: () => void }) {
  const [progress, setProgress] = useState<{ name: string; sent: number; total: number } | null>(null);
  const [error, setError] = useState<string>();
  const controller = useRef<AbortController | null>(null);

  const upload = async (file: File) => {
    setError(undefined);
    const abort = new AbortController();
    controller.current = abort;
    setProgress({ name: file.name, sent: 0, total: file.size });
    try {
      const job = await uploadImport(
        file,
        (sent, total) => setProgress({ name: file.name, sent, total }),
        abort.signal,
      );
      onUploaded(job.id);
    } catch (failure) {
      setProgress(null);
      const mapped = formErrors(failure, { file: "The file" });
      setError(abort.signal.aborted ? "Upload cancelled." : (mapped.fields.file ?? mapped.form));
    }
  };

  const template = async (format: string) => {
    try {
      saveFile(await fetchFile(`${API_BASE}/imports/template?format=${format}`, { fallbackName: "contacts-template" }));
    } catch (failure) {
      setError((failure as Error).message);
    }
  };

  if (progress) {
    return (
      <div className="import-step" role="status">
        <p>
          Uploading {progress.name}: {formatBytes(progress.sent)} of {formatBytes(progress.total)}
        </p>
        <progress value={progress.sent} max={progress.total || 1} aria-label="Upload progress" />
        <div className="dialog-actions">
          <Button className="button" onPress={() => controller.current?.abort()}>
            Cancel upload
          </Button>
        </div>
      </div>
    );
  }

  return (
    <div className="import-step">
      <DropZone
        className="drop-zone"
        getDropOperation={(types) =>
          ACCEPTED.some((type) => types.has(type)) || types.has("Files") ? "copy" : "cancel"
        }
        onDrop={async (event) => {
          const item = event.items.find((entry) => entry.kind === "file");
          if (item?.kind === "file") await upload(await item.getFile());
        }}
      >
        <Text slot="label">Drop a CSV, Excel or vCard (.vcf) file here, or</Text>{" "}
        <FileTrigger acceptedFileTypes={ACCEPTED} onSelect={(files) => files?.[0] && void upload(files[0])}>
          <Button className="button primary">Choose a file</Button>
        </FileTrigger>
      </DropZone>
      <p className="muted">
        A file exported from Contacts imports back as it is, and so do the exports of Google Contacts, Outlook, HubSpot,
        Chatwoot and Twenty, and vCard files from Apple or Google contacts. The first row names the columns; the next
        step shows how each column is read.
      </p>
      <p className="muted">
        Start from a template:{" "}
        {TEMPLATES.map((t) => (
          <Button key={t.format} className="button small" onPress={() => void template(t.format)}>
            {t.label}
          </Button>
        ))}
      </p>
      <FormError message={error} />
      <div className="dialog-actions">
        <Button className="button" onPress={onCancel}>
          Cancel
        </Button>
      </div>
    </div>
  );
}
