import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { RouterProvider } from "@tanstack/react-router";
import { meQuery } from "../features/auth/api/me.ts";
import { setUnauthorizedHandler } from "../lib/api-client.ts";
import { revalidateRoutes } from "../lib/navigation.ts";
import { createAppRouter } from "./router.tsx";

const queryClient = new QueryClient({
  defaultOptions: {
    queries: { retry: (failures, error) => failures < 2 && !("status" in error && Number(error.status) < 500) },
  },
});

const router = createAppRouter(queryClient);

// A session that ends while the page is open (signed out elsewhere, expired) leads to sign-in:
// nobody is signed in any more, and every route's guard runs again.
setUnauthorizedHandler(() => {
  queryClient.setQueryData(meQuery.queryKey, null);
  void revalidateRoutes();
});

export function App() {
  return (
    <QueryClientProvider client={queryClient}>
      <RouterProvider router={router} />
    </QueryClientProvider>
  );
}
