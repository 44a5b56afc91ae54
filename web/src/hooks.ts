import { useEffect, useState } from 'react';
import { useQuery } from '@tanstack/react-query';
import { api, PB, rpc, type Playbook, type User } from './api.ts';

/** The current time, re-rendered every `everyMs`: drives duration tickers and due chips. */
export function useNow(everyMs = 30_000): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = window.setInterval(() => setNow(Date.now()), everyMs);
    return () => window.clearInterval(timer);
  }, [everyMs]);
  return now;
}

export function useUsers() {
  return useQuery({
    queryKey: ['users'],
    queryFn: async () => new Map((await api<User[]>('GET', '/api/v4/users?per_page=200')).map((u) => [u.id, u])),
    staleTime: 300_000,
  });
}

export interface Severity {
  displayLabel: string;
  level: number;
  archived: boolean;
}

export function useSeverities() {
  return useQuery({
    queryKey: ['severities'],
    queryFn: async () => (await rpc<{ severities: Severity[] }>('SeveritiesService.GetOrgSeverities', {})).severities.filter((s) => !s.archived),
    staleTime: 300_000,
  });
}

export function usePlaybooks() {
  return useQuery({
    queryKey: ['playbooks'],
    queryFn: async () => (await api<{ items: Playbook[] }>('GET', `${PB}/playbooks?per_page=100`)).items,
    staleTime: 60_000,
  });
}
