import { useEffect, useRef, useState } from "react";
import { Button, Dialog, DialogTrigger, Heading, Modal, ModalOverlay } from "react-aria-components";
import { FormError } from "../../../components/FormError.tsx";
import { saveFile } from "../../../lib/download.ts";
import { fetchImportErrors } from "../api/download-files.ts";
import { useImport } from "../api/get-import.ts";
import type { Import } from "../api/types.ts";
import { MappingStep } from "./MappingStep.tsx";
import { UploadStep } from "./UploadStep.tsx";

const number = new Intl.NumberFormat();

/**
 * Import, in the Studio beside Export: upload a CSV or .xlsx, check how its columns map
 * to contact fields against a preview, then follow the import to its result.
 */
export function ImportDialog({ onImported }: { onImported?: () => void }) {
  const [open, setOpen] = useState(false);
  const [importId, setImportId] = useState<string | null>(null);
  const close = () => {
    setOpen(false);
    setImportId(null);
  };
  return (
    <DialogTrigger isOpen={open} onOpenChange={(next) => (next ? setOpen(true) : close())}>
      <Button className="button">Import</Button>
      <ModalOverlay className="modal-overlay">
        <Modal className="modal wide">
          <Dialog className="dialog">
            <Heading slot="title">Import contacts</Heading>
            {importId === null ? (
              <UploadStep onUploaded={setImportId} onCancel={close} />
            ) : (
              <ImportSteps id={importId} onRestart={() => setImportId(null)} onClose={close} onImported={onImported} />
            )}
          </Dialog>
        </Modal>
      </ModalOverlay>
    </DialogTrigger>
  );
}

function ImportSteps({
  id,
  onRestart,
  onClose,
  onImported,
}: {
  id: string;
  onRestart: () => void;
  onClose: () => void;
  onImported?: () => void;
}) {
  const query = useImport(id);
  const job = query.data;
  if (query.isError) {
    return <Failure message={query.error.message} onRestart={onRestart} onClose={onClose} />;
  }
  if (!job || job.status === "analyzing") {
    return (
      <div className="import-step" role="status">
        <p>Reading {job?.fileName ?? "the file"}…</p>
        <progress aria-label="Reading the file" />
      </div>
    );
  }
  if (job.status === "ready") return <MappingStep job={job} onCancel={onClose} />;
  if (job.status === "running") return <Running job={job} />;
  if (job.status === "failed") {
    return <Failure message={job.error ?? "The file could not be read."} onRestart={onRestart} onClose={onClose} />;
  }
  return <Result job={job} onClose={onClose} onImported={onImported} />;
}

function Running({ job }: { job: Import }) {
  const { done, total } = job.progress;
  return (
    <div className="import-step" role="status">
      <p>
        Importing {job.fileName}: {number.format(done)}
        {total !== null ? ` of ${number.format(total)}` : ""} rows
      </p>
      {total ? (
        <progress value={done} max={total} aria-label="Import progress" />
      ) : (
        <progress aria-label="Import progress" />
      )}
    </div>
  );
}

function Result({ job, onClose, onImported }: { job: Import; onClose: () => void; onImported?: () => void }) {
  const [error, setError] = useState<string>();
  const result = job.result ?? { created: 0, updated: 0, skipped: 0, failed: 0 };
  // The list, its count and the tag catalogue changed under the page: whoever shows them refreshes.
  const refreshed = useRef(false);
  useEffect(() => {
    if (refreshed.current) return;
    refreshed.current = true;
    onImported?.();
  }, [onImported]);
  const downloadErrors = async () => {
    try {
      saveFile(await fetchImportErrors(job.id));
    } catch (failure) {
      setError((failure as Error).message);
    }
  };
  return (
    <div className="import-step">
      <p role="status">Import of {job.fileName} finished.</p>
      <dl className="import-result">
        <div>
          <dt>Created</dt>
          <dd>{number.format(result.created)}</dd>
        </div>
        <div>
          <dt>Updated</dt>
          <dd>{number.format(result.updated)}</dd>
        </div>
        <div>
          <dt>Skipped</dt>
          <dd>{number.format(result.skipped)}</dd>
        </div>
        <div>
          <dt>Failed</dt>
          <dd>{number.format(result.failed)}</dd>
        </div>
      </dl>
      {result.failed > 0 && (
        <p>
          The rows that failed are in a file with an Error column: fix them there and import that file.{" "}
          <Button className="button small" onPress={() => void downloadErrors()}>
            Download the rejected rows
          </Button>
        </p>
      )}
      <FormError message={error} />
      <div className="dialog-actions">
        <Button className="button primary" onPress={onClose}>
          Close
        </Button>
      </div>
    </div>
  );
}

function Failure({ message, onRestart, onClose }: { message: string; onRestart: () => void; onClose: () => void }) {
  return (
    <div className="import-step">
      <p className="form-error" role="alert">
        {message}
      </p>
      <div className="dialog-actions">
        <Button className="button" onPress={onClose}>
          Close
        </Button>
        <Button className="button primary" onPress={onRestart}>
          Choose another file
        </Button>
      </div>
    </div>
  );
}
