import { useRef, useState } from "react";
import { Button, Menu, MenuItem, MenuTrigger, Popover } from "react-aria-components";
import { type DownloadProgress, formatBytes, saveFile } from "../../../lib/download.ts";
import { downloadExport, EXPORT_FORMATS, type ExportFormat, type ExportScope } from "../api/export-contacts.ts";
import type { ContactFilters } from "../api/types.ts";
import type { Selection } from "../utils/selection.ts";

/**
 * Ticked rows travel as `ids=` in the address; past this many the address would outgrow
 * what servers accept, so a bigger selection is exported through the filters instead.
 */
export const MAX_EXPORT_IDS = 300;

type State =
  | { kind: "idle" }
  | { kind: "running"; format: ExportFormat; progress: DownloadProgress }
  | { kind: "done"; fileName: string; bytes: number }
  | { kind: "failed"; message: string };

/** Export: the ticked rows when there are some, otherwise the filtered list. */
export function ExportMenu({ filters, selection }: { filters: ContactFilters; selection: Selection }) {
  const [state, setState] = useState<State>({ kind: "idle" });
  const controller = useRef<AbortController | null>(null);
  const tooMany = !selection.matching && selection.ids.size > MAX_EXPORT_IDS;
  const scope: ExportScope =
    !selection.matching && selection.ids.size > 0 && !tooMany ? { ids: [...selection.ids] } : { filters };

  const start = async (format: ExportFormat) => {
    controller.current?.abort();
    const abort = new AbortController();
    controller.current = abort;
    setState({ kind: "running", format, progress: { bytes: 0, total: null } });
    try {
      const file = await downloadExport(
        format,
        scope,
        (progress) => setState({ kind: "running", format, progress }),
        abort.signal,
      );
      saveFile(file);
      setState({ kind: "done", fileName: file.fileName, bytes: file.blob.size });
    } catch (error) {
      if (abort.signal.aborted) setState({ kind: "failed", message: "Export cancelled." });
      else setState({ kind: "failed", message: `Export failed: ${(error as Error).message}` });
    } finally {
      if (controller.current === abort) controller.current = null;
    }
  };

  const what = "ids" in scope ? `${scope.ids.length} selected` : "the filtered list";
  return (
    <div className="export">
      <MenuTrigger>
        <Button className="button" isDisabled={state.kind === "running"}>
          Export <span aria-hidden="true">▾</span>
        </Button>
        <Popover className="popover" placement="bottom end">
          <Menu className="menu" onAction={(key) => void start(key as ExportFormat)} aria-label={`Export ${what}`}>
            {EXPORT_FORMATS.map((format) => (
              <MenuItem key={format.id} id={format.id} className="menu-item">
                {format.label}
              </MenuItem>
            ))}
          </Menu>
        </Popover>
      </MenuTrigger>
      <div className="export-status" role="status">
        {state.kind === "running" && (
          <>
            <span>
              Exporting {what}… {formatBytes(state.progress.bytes)}
              {state.progress.total ? ` of ${formatBytes(state.progress.total)}` : " received"}
            </span>
            {state.progress.total ? (
              <progress value={state.progress.bytes} max={state.progress.total} aria-label="Export progress" />
            ) : (
              <progress aria-label="Export progress" />
            )}
            <Button className="button small" onPress={() => controller.current?.abort()}>
              Cancel export
            </Button>
          </>
        )}
        {state.kind === "done" && (
          <span>
            Saved {state.fileName} ({formatBytes(state.bytes)}).
          </span>
        )}
        {state.kind === "failed" && <span className="form-error">{state.message}</span>}
        {tooMany && state.kind === "idle" && (
          <span className="muted">
            More than {MAX_EXPORT_IDS} rows ticked: Export takes the filtered list. Use “Select all matching” or a
            filter.
          </span>
        )}
      </div>
    </div>
  );
}
