/** Follows a background job (GET /api/jobs/{id}) until it ends. */

import { useEffect, useState } from "react";

import * as endpoints from "../api/endpoints";
import type { Job } from "../api/types";

const POLL_MS = 500;

export function isFinished(job: Job): boolean {
  return job.status === "succeeded" || job.status === "failed" || job.status === "cancelled";
}

export function useJob(initial: Job | null): { job: Job | null; error: string | null } {
  const [job, setJob] = useState<Job | null>(initial);
  const [error, setError] = useState<string | null>(null);
  const id = initial?.id;

  useEffect(() => {
    if (id === undefined) return;
    let stopped = false;
    let timer: number | undefined;
    const poll = async () => {
      try {
        const next = await endpoints.getJob(id);
        if (stopped) return;
        setJob(next);
        if (!isFinished(next)) timer = window.setTimeout(() => void poll(), POLL_MS);
      } catch (e) {
        if (!stopped) setError(e instanceof Error ? e.message : String(e));
      }
    };
    void poll();
    return () => {
      stopped = true;
      window.clearTimeout(timer);
    };
  }, [id]);

  return { job: id === undefined ? null : (job?.id === id ? job : initial), error };
}
