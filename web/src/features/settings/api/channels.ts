import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { request } from "../../../lib/api-client.ts";
import type { ResponseOf } from "../../../types/index.ts";

export type ChannelName = "email" | "whatsapp" | "sms";

/** `GET /channels`: each channel, configured or not, with its settings minus the secrets. */
export type ChannelState = ResponseOf<"/api/v1/channels", "get">[number];

/** The conversations feature reads the same list under the same key. */
export const useChannelStates = () =>
  useQuery({
    queryKey: ["channels"],
    queryFn: ({ signal }) => request<ChannelState[]>("/channels", { signal }),
    staleTime: 60_000,
  });

function useChannelMutation<T>(mutationFn: (input: T) => Promise<unknown>) {
  const client = useQueryClient();
  return useMutation({
    mutationFn,
    onSuccess: () => client.invalidateQueries({ queryKey: ["channels"] }),
  });
}

export const useSaveChannel = () =>
  useChannelMutation(({ channel, settings }: { channel: ChannelName; settings: Record<string, string> }) =>
    request<ChannelState>(`/channels/${channel}`, { method: "PUT", body: settings }),
  );

export const useRemoveChannel = () =>
  useChannelMutation((channel: ChannelName) => request<void>(`/channels/${channel}`, { method: "DELETE" }));

/** What the provider said to a test it accepted; a refusal is a 422 with the provider's text. */
export type TestResult = ResponseOf<"/api/v1/channels/{channel}/test", "post">;

export const useTestChannel = () =>
  useMutation({
    mutationFn: ({ channel, to }: { channel: ChannelName; to: string }) =>
      request<TestResult>(`/channels/${channel}/test`, { method: "POST", body: to ? { to } : {} }),
  });
