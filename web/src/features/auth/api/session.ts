import { useMutation, useQueryClient } from "@tanstack/react-query";
import { request } from "../../../lib/api-client.ts";
import { navigateTo } from "../../../lib/navigation.ts";
import type { BodyOf } from "../../../types/index.ts";
import { meQuery } from "./me.ts";

export type LoginInput = BodyOf<"/api/v1/auth/login", "post">;
export type SetupInput = BodyOf<"/api/v1/setup", "post">;

/** After signing in or setting up, the app reloads who is signed in and goes home. */
function useSignedIn() {
  const client = useQueryClient();
  return async () => {
    client.clear();
    await client.fetchQuery(meQuery);
    await navigateTo("/", { replace: true });
  };
}

export function useLogin() {
  const signedIn = useSignedIn();
  return useMutation({
    mutationFn: (input: LoginInput) => request("/auth/login", { method: "POST", body: input }),
    onSuccess: signedIn,
  });
}

export function useSetup() {
  const signedIn = useSignedIn();
  return useMutation({
    mutationFn: (input: SetupInput) => request("/setup", { method: "POST", body: input }),
    onSuccess: signedIn,
  });
}

export function useLogout() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: () => request("/auth/logout", { method: "POST" }),
    onSettled: () => {
      client.clear();
      client.setQueryData(meQuery.queryKey, null);
      void navigateTo("/login", { replace: true });
    },
  });
}
