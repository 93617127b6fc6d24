import { useMutation, useQueryClient } from "@tanstack/react-query";
import { request } from "../../../lib/api-client.ts";
import { importKeys } from "./get-import.ts";
import type { Import, Mapping } from "./types.ts";

export interface StartImport {
  id: string;
  mapping: Mapping;
  onDuplicate: "update" | "skip";
  tags: string[];
}

export const startImport = ({ id, ...body }: StartImport) =>
  request<Import>(`/imports/${encodeURIComponent(id)}/start`, { method: "POST", body });

export function useStartImport() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: startImport,
    onSuccess: (started) => client.setQueryData(importKeys.detail(started.id), started),
  });
}
