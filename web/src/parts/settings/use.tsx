import { useMutation, useQueryClient } from '@tanstack/react-query';

/** One admin action; on settle the named lists are fetched again. The error is shown by the caller, next to its form. */
export function useAct<T = unknown>(keys: string[][]) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (send: () => Promise<T>) => send(),
    onSettled: async () => {
      for (const key of keys) await client.invalidateQueries({ queryKey: key });
    },
  });
}

export function ErrorText({ error }: { error: Error | null }) {
  if (!error) return null;
  return (
    <span className="error" role="alert">
      {error.message}
    </span>
  );
}
