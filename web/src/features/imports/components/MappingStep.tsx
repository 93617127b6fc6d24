import { type FormEvent, useState } from "react";
import { Button, Label, Radio, RadioGroup } from "react-aria-components";
import { FormError } from "../../../components/FormError.tsx";
import { TextInput } from "../../../components/TextInput.tsx";
import { formErrors } from "../../../lib/form-errors.ts";
import { useStartImport } from "../api/start-import.ts";
import {
  IMPORT_FIELD_LABELS,
  IMPORT_FIELDS,
  type Import,
  type ImportField,
  type Mapping,
  MULTI_COLUMN_FIELDS,
} from "../api/types.ts";

/** Rows of the preview shown in the table; all 20 the server sends are checked for errors. */
const PREVIEW_ROWS = 8;

/**
 * Step 2: which column fills which field (the server's guess, changeable), a preview of the
 * first rows with the problems found in them, what to do with duplicates, and tags for all.
 */
export function MappingStep({ job, onCancel }: { job: Import; onCancel: () => void }) {
  const [mapping, setMapping] = useState<Mapping>(() =>
    Object.fromEntries(job.columns.map((column) => [column, job.mapping[column] ?? null])),
  );
  const [onDuplicate, setOnDuplicate] = useState<"update" | "skip">("update");
  const [tags, setTags] = useState("");
  const [error, setError] = useState<string>();
  const start = useStartImport();
  const rowsWithErrors = job.preview.filter((row) => row.errors.length > 0);
  const used = new Map<ImportField, number>();
  for (const field of Object.values(mapping)) if (field) used.set(field, (used.get(field) ?? 0) + 1);

  const submit = (event: FormEvent) => {
    event.preventDefault();
    setError(undefined);
    const tagList = tags
      .split(",")
      .map((tag) => tag.trim())
      .filter(Boolean);
    start.mutate(
      { id: job.id, mapping, onDuplicate, tags: tagList },
      { onError: (failure) => setError(formErrors(failure, {}).form) },
    );
  };

  return (
    <form className="import-step" onSubmit={submit}>
      <p>
        <strong>{job.fileName}</strong>{" "}
        <span className="muted">
          {job.format === "csv"
            ? `CSV, ${job.encoding ?? "utf-8"}, “${job.delimiter ?? ","}” between cells`
            : job.format === "vcard"
              ? `vCard, ${job.encoding ?? "utf-8"}, one row per card`
              : "Excel"}
          {job.sheet ? `, sheet “${job.sheet}”` : ""}
        </span>
      </p>
      <div className="table-box">
        <table className="mapping-table">
          <caption className="sr-only">How each column of the file is imported</caption>
          <thead>
            <tr>
              <th scope="col">Column in the file</th>
              <th scope="col">Imported as</th>
              <th scope="col">First values</th>
            </tr>
          </thead>
          <tbody>
            {job.columns.map((column, index) => {
              const field = mapping[column] ?? null;
              const twice = field !== null && (used.get(field) ?? 0) > 1 && !MULTI_COLUMN_FIELDS.has(field);
              return (
                <tr key={column}>
                  <th scope="row">{column}</th>
                  <td>
                    <select
                      aria-label={`Import column ${column} as`}
                      value={field ?? ""}
                      onChange={(event) =>
                        setMapping((current) => ({
                          ...current,
                          [column]: (event.target.value || null) as ImportField | null,
                        }))
                      }
                    >
                      <option value="">Not imported</option>
                      {IMPORT_FIELDS.map((f) => (
                        <option key={f} value={f}>
                          {IMPORT_FIELD_LABELS[f]}
                        </option>
                      ))}
                    </select>
                    {twice && <span className="field-error"> also chosen for another column</span>}
                  </td>
                  <td className="muted">
                    {job.preview
                      .slice(0, 3)
                      .map((row) => row.values[index] ?? "")
                      .filter(Boolean)
                      .join(" · ")}
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>

      <h3>Preview</h3>
      <div className="table-box">
        <table className="preview-table">
          <caption className="sr-only">The first rows of the file</caption>
          <thead>
            <tr>
              <th scope="col">Row</th>
              {job.columns.map((column) => (
                <th key={column} scope="col">
                  {column}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {job.preview.slice(0, PREVIEW_ROWS).map((row) => (
              <tr key={row.row} className={row.errors.length ? "has-errors" : undefined}>
                <th scope="row">{row.row}</th>
                {job.columns.map((column, index) => (
                  <td key={column}>{row.values[index]}</td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {rowsWithErrors.length > 0 ? (
        <div className="preview-errors">
          <p>
            Problems in the first {job.preview.length} rows (with the suggested columns); these rows will be skipped and
            listed in the error file:
          </p>
          <ul>
            {rowsWithErrors.map((row) => (
              <li key={row.row}>
                Row {row.row}: {row.errors.map((e) => `${e.field} ${e.message}`).join("; ")}
              </li>
            ))}
          </ul>
        </div>
      ) : (
        <p className="muted">No problems in the first {job.preview.length} rows.</p>
      )}

      <RadioGroup
        className="radio-group"
        value={onDuplicate}
        onChange={(value) => setOnDuplicate(value as "update" | "skip")}
      >
        <Label>When a row matches an existing contact (same ID, email, phone or external ID)</Label>
        <Radio value="update" className="radio">
          Update the contact with the row's filled cells
        </Radio>
        <Radio value="skip" className="radio">
          Skip the row
        </Radio>
      </RadioGroup>
      <TextInput label="Tags for every imported contact (comma-separated)" value={tags} onChange={setTags} />
      <FormError message={error} />
      <div className="dialog-actions">
        <Button className="button" onPress={onCancel}>
          Cancel
        </Button>
        <Button type="submit" className="button primary" isPending={start.isPending}>
          Start import
        </Button>
      </div>
    </form>
  );
}
